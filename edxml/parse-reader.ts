/**
 * Reads the children of one element by local name, in any order, prefixed or not (edXML namespace or no
 * namespace), and remembers what it read so that whatever is left can be reported with its path.
 */
import { EdxmlParseError } from './errors';
import { fault } from './faults';
import type { ValidationFault } from './model';
import { EDXML_NS } from './namespaces';
import type { XmlElement } from './safe-xml';

const EDXML_OR_NONE: readonly (string | null)[] = [EDXML_NS, null];

export class ElementReader {
  private readonly consumed = new Set<XmlElement>();

  constructor(
    readonly element: XmlElement,
    readonly path: string,
    private readonly faults: ValidationFault[],
  ) {}

  private matching(local: string, namespaces: readonly (string | null)[]): XmlElement[] {
    return this.element.children.filter((child) => child.local === local && namespaces.includes(child.ns));
  }

  /** A child that may occur at most once; a second one makes the package ambiguous, so it is refused. */
  one(local: string, namespaces: readonly (string | null)[] = EDXML_OR_NONE): ElementReader | undefined {
    const found = this.matching(local, namespaces);
    if (found.length > 1) throw new EdxmlParseError('duplicate_element', { path: `${this.path}/${local}` });
    if (found.length === 0) return undefined;
    this.consumed.add(found[0]);
    return new ElementReader(found[0], `${this.path}/${local}`, this.faults);
  }

  /** A mandatory structural child (envelope, header): without it the package is not edXML. */
  required(local: string): ElementReader {
    const reader = this.one(local);
    if (!reader) throw new EdxmlParseError('missing_element', { path: `${this.path}/${local}` });
    return reader;
  }

  many(local: string): ElementReader[] {
    return this.matching(local, EDXML_OR_NONE).map((child, i) => {
      this.consumed.add(child);
      return new ElementReader(child, `${this.path}/${local}[${i + 1}]`, this.faults);
    });
  }

  /** Text of a leaf child, undefined when absent. */
  text(local: string, normalize?: (raw: string) => string): string | undefined {
    const leaf = this.one(local);
    if (!leaf) return undefined;
    const value = leaf.leafText();
    return normalize ? normalize(value) : value;
  }

  /** Text of a mandatory leaf: '' when absent, so that validation reports it. */
  mandatoryText(local: string, normalize?: (raw: string) => string): string {
    return this.text(local, normalize) ?? '';
  }

  /** Texts of repeated leaf children. */
  texts(local: string): string[] {
    return this.many(local).map((leaf) => leaf.leafText());
  }

  /** This element's own text; any child element inside a leaf is reported. */
  leafText(): string {
    this.finish();
    return this.element.text;
  }

  /** An attribute by namespace, or by its qualified name when the prefix was never declared (as in the samples). */
  attribute(local: string, ns: string, usualQName: string): string | undefined {
    return this.element.attributes.find((a) => (a.local === local && a.ns === ns) || (a.ns === null && a.qname === usualQName))?.value;
  }

  /** Marks a child as read without interpreting it (the signature, verified elsewhere). */
  skip(local: string, namespaces: readonly (string | null)[]): boolean {
    const found = this.matching(local, namespaces);
    for (const child of found) this.consumed.add(child);
    return found.length > 0;
  }

  /** Reports a known, deliberately ignored child (old or provincial variants) as a warning. */
  ignore(local: string): void {
    const found = this.matching(local, EDXML_OR_NONE);
    found.forEach((child, i) => {
      this.consumed.add(child);
      this.faults.push(fault(`${this.path}/${local}${found.length > 1 ? `[${i + 1}]` : ''}`, 'ignored_element', 'warning'));
    });
  }

  /** Reports every child not read and any text where only elements belong. */
  finish(): void {
    const counts = new Map<string, number>();
    for (const child of this.element.children) {
      if (this.consumed.has(child)) continue;
      const n = (counts.get(child.local) ?? 0) + 1;
      counts.set(child.local, n);
      this.faults.push(fault(`${this.path}/${child.local}${n > 1 ? `[${n}]` : ''}`, 'unknown_element'));
      this.consumed.add(child);
    }
  }

  /** For container elements: children read, and no stray text. */
  finishContainer(): void {
    this.finish();
    if (this.element.text.trim() !== '') this.faults.push(fault(this.path, 'unexpected_text'));
  }
}

/**
 * Generated mutations of valid packages (fast-check, 1,500 runs). Each mutation knows what it does:
 * - 'same': changes the form, not the meaning (element order, whitespace, prefixes, comments, lenient dates,
 *   references, line ends, quotes): the package must read as the original object and stay valid;
 * - 'invalid': breaks a rule (drops a mandatory element, duplicates a single one, puts a wrong code or date,
 *   misspells or adds an element, wrong namespace, corrupt base64, truncation): it must be refused or carry
 *   an error fault;
 * - 'any': blind damage (random bytes, random text, dropped or repeated random elements): anything may happen
 *   except a crash.
 * For every mutation: only EdxmlParseError is ever thrown, and whatever is read is written back faithfully.
 */
import { DOMParser, XMLSerializer, type Document as DomDocument, type Element as DomElement, type Node as DomNode } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPackage,
  EdxmlParseError,
  hasErrors,
  parsePackage,
  PARSE_ERROR_MESSAGES_VI,
  validatePackage,
  type EdxmlPackage,
} from '../../edxml/index';
import { comparable, exampleDocument, exampleReplace, exampleRevoke, exampleStatus, exampleUpdate, NOW } from './support/packages';

const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
const H = 'edXML/edXMLEnvelope/edXMLHeader/MessageHeader';
const BU = 'edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness';

interface Base {
  name: string;
  xml: string;
  expected: unknown;
  /** Element paths (no indices) whose removal must be caught. */
  mandatory: string[];
}

const DOCUMENT_MANDATORY = [
  `${H}/From`,
  `${H}/From/OrganId`,
  `${H}/To`,
  `${H}/To/OrganId`,
  `${H}/Code`,
  `${H}/Code/CodeNumber`,
  `${H}/Code/CodeNotation`,
  `${H}/PromulgationInfo`,
  `${H}/PromulgationInfo/PromulgationDate`,
  `${H}/DocumentType`,
  `${H}/DocumentType/Type`,
  `${H}/Subject`,
  `${H}/OtherInfo`,
  `${H}/OtherInfo/Priority`,
  `${BU}/BussinessDocType`,
  'edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader/OrganId',
  'edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader/Timestamp',
  'edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference',
  'edXML/AttachmentEncoded/Attachment/ContentTransferEncoded',
  'edXML/edXMLEnvelope',
  'edXML/edXMLEnvelope/edXMLHeader',
  'edXML/edXMLEnvelope/edXMLHeader/MessageHeader',
];

function base(name: string, pkg: EdxmlPackage, mandatory: string[]): Base {
  const xml = buildPackage(pkg);
  return { name, xml, expected: comparable(parsePackage(xml)), mandatory };
}

const BASES: Base[] = [
  base('new', exampleDocument(), DOCUMENT_MANDATORY),
  base('revoke', exampleRevoke(), [...DOCUMENT_MANDATORY, `${H}/ResponseFor`, `${H}/ResponseFor/DocumentId`]),
  base('update', exampleUpdate(), [
    ...DOCUMENT_MANDATORY,
    `${BU}/DocumentId`,
    `${BU}/BussinessDocumentInfo`,
    `${BU}/BussinessDocumentInfo/ReceiverList`,
    `${BU}/BussinessDocumentInfo/ReceiverList/Receiver/ReceiverType`,
  ]),
  base('replace', exampleReplace(), [
    ...DOCUMENT_MANDATORY,
    `${BU}/ReplacementInfoList`,
    `${BU}/ReplacementInfoList/ReplacementInfo/DocumentId`,
    `${BU}/ReplacementInfoList/ReplacementInfo/OrganIdList`,
  ]),
  base('status', exampleStatus(), [
    `${H}/From`,
    `${H}/From/OrganId`,
    `${H}/ResponseFor`,
    `${H}/ResponseFor/OrganId`,
    `${H}/StatusCode`,
    `${H}/Timestamp`,
    'edXML/edXMLEnvelope/edXMLHeader/MessageHeader',
  ]),
];

/** Elements that may repeat; duplicating any other one makes the package ambiguous. */
const REPEATABLE = new Set(['To', 'Place', 'Appendix', 'TraceHeader', 'Receiver', 'ReplacementInfo', 'Reference', 'Attachment']);

const WRONG_VALUES: Record<string, string[]> = {
  OrganId: ['', '000.00.00.h49', '000.00.00', '28.22.H17', ' 000.00.00.H49', 'X'.repeat(36), '000-00-00-H49'],
  Priority: ['5', '9', '-1', '01', 'khẩn', ''],
  StatusCode: ['00', '17', '99', '3', 'x', '003', ''],
  Type: ['0', '3', '12', ''],
  BussinessDocType: ['4', '9', 'x', '00', ''],
  PromulgationDate: ['2024/02/30', '2024/13/01', 'hôm qua', '2999/01/01', '2024/00/10'],
  Timestamp: ['2024/12/16 25:00:00', 'x', '2024/02/30 10:00:00', ''],
  CodeNumber: ['a1', '12 3', '123456789012', ''],
  CodeNotation: ['UBND VP', '-VP', `U${'B'.repeat(30)}`, ''],
  ReceiverType: ['2', 'x', ''],
  Subject: ['', 'x'.repeat(501)],
};

type Expectation = 'same' | 'invalid' | 'any';

interface Mutation {
  expectation: Expectation;
  label: string;
  apply: (xml: string) => string | Buffer;
}

// ---- DOM helpers (an independent parser rewrites the XML) ----

function dom(xml: string): DomDocument {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`test DOM cannot read the mutated XML: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
}

function serialize(doc: DomDocument): string {
  return new XMLSerializer().serializeToString(doc);
}

function elementsOf(doc: DomDocument): DomElement[] {
  return Array.from(doc.getElementsByTagName('*'));
}

function pathOf(el: DomElement): string {
  const names: string[] = [];
  for (let node: DomElement | null = el; node; node = node.parentNode?.nodeType === 1 ? (node.parentNode as DomElement) : null) {
    names.unshift(node.localName ?? '');
  }
  return names.join('/');
}

function leaves(doc: DomDocument): DomElement[] {
  return elementsOf(doc).filter((el) => !Array.from(el.childNodes).some((c) => c.nodeType === 1));
}

function withoutReadFaults(pkg: EdxmlPackage): EdxmlPackage {
  const { readFaults: _unknownContentIsReportedSeparately, ...rest } = pkg;
  return rest as EdxmlPackage;
}

const pick = <T,>(items: T[], index: number): T => items[index % items.length];

// ---- meaning-preserving mutations ----

const reorder = fc.record({ target: fc.nat(), seed: fc.nat() }).map<Mutation>(({ target, seed }) => ({
  expectation: 'same',
  label: `reorder children of element #${target}`,
  apply: (xml) => {
    const doc = dom(xml);
    const containers = elementsOf(doc).filter((el) => new Set(Array.from(el.childNodes).filter((c) => c.nodeType === 1).map((c) => (c as DomElement).localName)).size > 1);
    const el = pick(containers, target);
    const groups = new Map<string, DomNode[]>();
    for (const child of Array.from(el.childNodes)) {
      const key = child.nodeType === 1 ? (child as DomElement).localName! : '#text';
      groups.set(key, [...(groups.get(key) ?? []), child]);
      el.removeChild(child);
    }
    // Seeded Fisher-Yates over the name groups; same-name siblings keep their order (it carries meaning).
    const order = [...groups.keys()];
    let state = seed + 1;
    for (let i = order.length - 1; i > 0; i--) {
      state = (state * 1103515245 + 12345) % 2147483648;
      const j = state % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const key of order) for (const child of groups.get(key)!) el.appendChild(child);
    return serialize(doc);
  },
}));

const whitespace = fc.array(fc.constantFrom(' ', '\n', '\t', '\r\n', '  '), { minLength: 0, maxLength: 4 }).map<Mutation>((pieces) => ({
  expectation: 'same',
  label: `indentation ${JSON.stringify(pieces.join(''))}`,
  apply: (xml) => xml.replace(/>\s+</g, `>${pieces.join('')}<`),
}));

const prefix = fc.constantFrom('a', 'ns1', 'edxml', '_q', 'x-y', '').map<Mutation>((p) => ({
  expectation: 'same',
  label: p ? `prefix ${p}:` : 'no prefix',
  apply: (xml) =>
    p
      ? xml.replace(/(<\/?)edXML:/g, `$1${p}:`).replace(/xmlns:edXML=/g, `xmlns:${p}=`)
      : xml.replace(/(<\/?)edXML:/g, '$1').replace(/ xmlns:edXML="[^"]*"/g, ''),
}));

// No '>' in comment text: a later comment could be inserted after it, inside this one.
const comment = fc.record({ at: fc.nat(), text: fc.stringMatching(/^[a-zA-Z0-9 đăơ<&]{0,12}$/) }).map<Mutation>(({ at, text }) => ({
  expectation: 'same',
  label: `comment after tag #${at}`,
  apply: (xml) => {
    const ends = [...xml.matchAll(/>/g)].map((m) => m.index! + 1);
    const i = pick(ends, at);
    return `${xml.slice(0, i)}<!--${text}-->${xml.slice(i)}`;
  },
}));

const lenientDate = fc.constantFrom('day-first', 'iso').map<Mutation>((style) => ({
  expectation: 'same',
  label: `dates ${style}`,
  apply: (xml) =>
    xml
      .replace(/(Date>)(\d{4})\/(\d{2})\/(\d{2})</g, (_m, open, y, mo, d) => (style === 'iso' ? `${open}${y}-${mo}-${d}<` : `${open}${d}/${mo}/${y}<`))
      .replace(/(Timestamp>)(\d{4})\/(\d{2})\/(\d{2}) /g, (_m, open, y, mo, d) => `${open}${y}-${mo}-${d}T`),
}));

const characterReference = fc.record({ leaf: fc.nat(), at: fc.nat(), hex: fc.boolean() }).map<Mutation>(({ leaf, at, hex }) => ({
  expectation: 'same',
  label: `character reference in leaf #${leaf}`,
  apply: (xml) => {
    const texts = [...xml.matchAll(/>([^<>\s][^<>]*)</g)].filter((m) => !m[1].includes('&') && !/^[A-Za-z0-9+/=]{16,}$/.test(m[1]));
    const m = pick(texts, leaf);
    const chars = Array.from(m[1]);
    const i = at % chars.length;
    const code = chars[i].codePointAt(0)!;
    chars[i] = hex ? `&#x${code.toString(16)};` : `&#${code};`;
    const start = m.index! + 1;
    return `${xml.slice(0, start)}${chars.join('')}${xml.slice(start + m[1].length)}`;
  },
}));

const lineEndsAndQuotes = fc.constantFrom('crlf', 'quotes', 'redeclare').map<Mutation>((kind) => ({
  expectation: 'same',
  label: kind,
  apply: (xml) => {
    if (kind === 'crlf') return xml.replace(/\n/g, '\r\n');
    if (kind === 'quotes') return xml.replace(/(xmlns(?::\w+)?|version)="([^"]*)"/g, "$1='$2'");
    return xml.replace(/<edXML:(MessageHeader|TraceHeaderList|edXMLBody)>/g, `<edXML:$1 xmlns:edXML="${NS}">`);
  },
}));

const sameMutation = fc
  .record({
    steps: fc.array(fc.oneof(reorder, whitespace, prefix, comment, lenientDate, characterReference, lineEndsAndQuotes), { minLength: 1, maxLength: 3 }),
    byteOrderMark: fc.boolean(),
  })
  .map<Mutation>(({ steps, byteOrderMark }) => ({
    expectation: 'same',
    label: `${steps.map((s) => s.label).join(' + ')}${byteOrderMark ? ' + BOM' : ''}`,
    apply: (xml) => {
      const text = steps.reduce((acc, step) => step.apply(acc) as string, xml);
      return byteOrderMark ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) : text;
    },
  }));

// ---- rule-breaking mutations ----

function dropMandatory(b: Base, index: number): Mutation {
  const target = pick(b.mandatory, index);
  return {
    expectation: 'invalid',
    label: `drop ${target}`,
    apply: (xml) => {
      const doc = dom(xml);
      for (const el of elementsOf(doc).filter((e) => pathOf(e) === target)) el.parentNode!.removeChild(el);
      return serialize(doc);
    },
  };
}

const duplicateSingle = fc.nat().map<Mutation>((index) => ({
  expectation: 'invalid',
  label: `duplicate single element #${index}`,
  apply: (xml) => {
    const doc = dom(xml);
    const singles = elementsOf(doc).filter((el) => el.parentNode?.nodeType === 1 && !REPEATABLE.has(el.localName!) && !(el.localName === 'OrganId' && el.parentNode && (el.parentNode as DomElement).localName === 'OrganIdList') && !(el.localName === 'ResponseFor' && pathOf(el).startsWith(H) && !xml.includes('StatusCode')));
    const el = pick(singles, index);
    el.parentNode!.insertBefore(el.cloneNode(true), el);
    return serialize(doc);
  },
}));

const wrongValue = fc.record({ name: fc.constantFrom(...Object.keys(WRONG_VALUES)), which: fc.nat(), value: fc.nat() }).map<Mutation>(({ name, which, value }) => ({
  expectation: 'invalid',
  label: `${name} = ${JSON.stringify(pick(WRONG_VALUES[name], value))}`,
  apply: (xml) => {
    const doc = dom(xml);
    const targets = leaves(doc).filter((el) => el.localName === name);
    if (targets.length === 0) return xml.replace(/<\/edXML>\s*$/, '<Unknown/></edXML>'); // this base has no such element: break it otherwise
    const el = pick(targets, which);
    while (el.firstChild) el.removeChild(el.firstChild);
    el.appendChild(doc.createTextNode(pick(WRONG_VALUES[name], value)));
    return serialize(doc);
  },
}));

const misspell = fc.record({ index: fc.nat(), suffix: fc.constantFrom('x', 's', '_', 'E') }).map<Mutation>(({ index, suffix }) => ({
  expectation: 'invalid',
  label: `misspell element #${index}`,
  apply: (xml) => {
    const tags = [...xml.matchAll(/<([A-Za-z][\w:.-]*)[\s>]/g)].map((m) => m[1]);
    const name = pick(tags.slice(1), index);
    // Rename every occurrence of that name (open and close tags) to keep the XML well formed.
    return xml.replace(new RegExp(`(</?)${name.replace('.', '\\.')}(?=[\\s>/])`, 'g'), `$1${name}${suffix}`);
  },
}));

const extraElement = fc.nat().map<Mutation>((index) => ({
  expectation: 'invalid',
  label: `unknown element in element #${index}`,
  apply: (xml) => {
    const doc = dom(xml);
    const el = pick(elementsOf(doc), index);
    el.appendChild(doc.createElementNS(NS, 'edXML:Ghi_chu'));
    return serialize(doc);
  },
}));

const structural = fc.constantFrom('namespace', 'base64', 'truncate-end', 'truncate-middle', 'status-with-body').map<Mutation>((kind) => ({
  expectation: 'invalid',
  label: kind,
  apply: (xml) => {
    if (kind === 'namespace') return xml.replace(`<edXML xmlns="${NS}">`, '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2015">');
    if (kind === 'base64') {
      return xml.includes('ContentTransferEncoded')
        ? xml.replace(/(ContentTransferEncoded[^>]*>[A-Za-z0-9+/]{3})[A-Za-z0-9+/]/, '$1!')
        : xml.replace('</edXML:MessageHeader>', '<edXML:Tab>\t</edXML:Tab></edXML:MessageHeader>');
    }
    if (kind === 'truncate-end') return xml.slice(0, xml.lastIndexOf('</edXML>') + 3);
    if (kind === 'truncate-middle') return xml.slice(0, Math.floor(xml.length / 2));
    return xml.replace('</edXML:edXMLHeader>', '</edXML:edXMLHeader><edXML:edXMLBody><edXML:x/></edXML:edXMLBody>').replace(/<edXML:edXMLBody>(?=<edXML:edXMLManifest)/, '<edXML:edXMLBody><edXML:x/>');
  },
}));

// ---- blind damage ----

const corruptBytes = fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }).map<Mutation>((hits) => ({
  expectation: 'any',
  label: `corrupt ${hits.length} byte(s)`,
  apply: (xml) => {
    const bytes = Buffer.from(xml, 'utf8');
    for (const { at, byte } of hits) bytes[at % bytes.length] = byte;
    return bytes;
  },
}));

const randomText = fc.record({ leaf: fc.nat(), text: fc.string({ maxLength: 20 }) }).map<Mutation>(({ leaf, text }) => ({
  expectation: 'any',
  label: `leaf #${leaf} = ${JSON.stringify(text)}`,
  apply: (xml) => {
    const doc = dom(xml);
    const el = pick(leaves(doc), leaf);
    while (el.firstChild) el.removeChild(el.firstChild);
    el.appendChild(doc.createTextNode(text));
    return serialize(doc);
  },
}));

const dropOrRepeat = fc.record({ index: fc.nat(), repeat: fc.boolean() }).map<Mutation>(({ index, repeat }) => ({
  expectation: 'any',
  label: `${repeat ? 'repeat' : 'drop'} element #${index}`,
  apply: (xml) => {
    const doc = dom(xml);
    const el = pick(elementsOf(doc).slice(1), index);
    if (repeat) el.parentNode!.insertBefore(el.cloneNode(true), el);
    else el.parentNode!.removeChild(el);
    return serialize(doc);
  },
}));

const scenario = fc.record({ base: fc.nat(BASES.length - 1), mandatoryIndex: fc.nat() }).chain(({ base: b, mandatoryIndex }) =>
  fc.record({
    base: fc.constant(BASES[b]).map((chosen) => Object.assign(Object.create(null), chosen, { [fc.toStringMethod]: () => `base ${chosen.name}` }) as Base),
    mutation: fc.oneof(
      { weight: 4, arbitrary: sameMutation },
      { weight: 2, arbitrary: fc.constant(dropMandatory(BASES[b], mandatoryIndex)) },
      { weight: 1, arbitrary: duplicateSingle },
      { weight: 2, arbitrary: wrongValue },
      { weight: 1, arbitrary: misspell },
      { weight: 1, arbitrary: extraElement },
      { weight: 1, arbitrary: structural },
      { weight: 2, arbitrary: corruptBytes },
      { weight: 1, arbitrary: randomText },
      { weight: 1, arbitrary: dropOrRepeat },
    ).map((m) => ({ ...m, [fc.toStringMethod]: () => `${m.expectation}: ${m.label}` })),
  }),
);

describe('mutations of valid packages', () => {
  it('the bases are valid', () => {
    for (const b of BASES) expect(validatePackage(parsePackage(b.xml), { now: NOW })).toEqual([]);
  });

  it('never crash, refuse what breaks a rule, and read form-only changes as the same package', () => {
    const seen: Record<Expectation, number> = { same: 0, invalid: 0, any: 0 };
    fc.assert(
      fc.property(scenario, ({ base: b, mutation }) => {
        seen[mutation.expectation]++;
        const mutated = mutation.apply(b.xml);
        let pkg: EdxmlPackage;
        try {
          pkg = parsePackage(mutated);
        } catch (error) {
          // Only a clean refusal with a known code, never a crash of the reader.
          expect(error).toBeInstanceOf(EdxmlParseError);
          expect(Object.keys(PARSE_ERROR_MESSAGES_VI)).toContain((error as EdxmlParseError).code);
          expect(mutation.expectation).not.toBe('same');
          return;
        }
        const faults = validatePackage(pkg, { now: NOW });
        for (const f of faults) {
          expect(f.path).toMatch(/^edXML(\/[A-Za-z_][\w.-]*(\[\d+\])?)*$/);
          expect(f.message.length).toBeGreaterThan(0);
        }
        if (mutation.expectation === 'same') {
          expect(comparable(pkg)).toEqual(b.expected);
          expect(faults).toEqual([]);
        }
        if (mutation.expectation === 'invalid') expect(hasErrors(faults)).toBe(true);
        // Whatever was read is written back faithfully (unknown content aside, which is reported above).
        expect(comparable(withoutReadFaults(parsePackage(buildPackage(pkg))))).toEqual(comparable({ ...withoutReadFaults(pkg), signed: false }));
      }),
      { numRuns: 1_500 },
    );
    // Each kind was exercised many times, not just drawn once.
    expect(seen.same).toBeGreaterThan(300);
    expect(seen.invalid).toBeGreaterThan(300);
    expect(seen.any).toBeGreaterThan(150);
  });
});

import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { EDXML_NS } from './namespaces';

/**
 * The DOM view of a package that XML signing needs (xml-crypto works on a DOM, not on fast-xml-parser output).
 * Safety first: a DOCTYPE or entity declaration is refused before any parser sees the text, so nothing is ever
 * expanded or fetched, and any parser error or warning refuses the document.
 */
export type DomFailureCode = 'unsafe_xml' | 'malformed_xml' | 'not_edxml';

export class PackageDomError extends Error {
  override name = 'PackageDomError';
  constructor(
    readonly code: DomFailureCode,
    message: string,
  ) {
    super(message);
  }
}

const DECLARATION = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/** A byte order mark is not part of the document (files saved by Windows editors often start with one). */
export function withoutBom(xml: string): string {
  return xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
}

export function parsePackageDom(xml: string): Document {
  if (DECLARATION.test(xml)) throw new PackageDomError('unsafe_xml', 'DOCTYPE or entity declarations are not accepted');
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    throw new PackageDomError('malformed_xml', `not well-formed XML: ${(error as Error).message}`);
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'edXML' || root.namespaceURI !== EDXML_NS) {
    throw new PackageDomError('not_edxml', `root element must be edXML in namespace ${EDXML_NS}`);
  }
  return doc;
}

export function elementChildren(parent: Element, localName?: string): Element[] {
  const result: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (!localName || (node as Element).localName === localName)) {
      result.push(node as Element);
    }
  }
  return result;
}

/** The single edXML-namespace child with this name, or null when absent or repeated. */
export function edxmlChild(parent: Element, localName: string): Element | null {
  const found = elementChildren(parent, localName).filter((e) => e.namespaceURI === EDXML_NS);
  return found.length === 1 ? found[0] : null;
}

export function headerOf(doc: Document): Element | null {
  const envelope = edxmlChild(doc.documentElement!, 'edXMLEnvelope');
  return envelope ? edxmlChild(envelope, 'edXMLHeader') : null;
}

/** Every element with this local name, whatever its namespace or prefix. */
export function elementsNamed(doc: Document, localName: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS('*', localName));
}

export function textOf(element: Element | null | undefined): string | null {
  if (!element) return null;
  return (element.textContent ?? '').trim();
}

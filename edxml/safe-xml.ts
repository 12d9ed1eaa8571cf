/**
 * Safe, namespace-aware reading of XML with fast-xml-parser (which knows neither namespaces nor, in its parser,
 * well-formedness). Order of checks, each cheaper than what it protects:
 *   1. byte length against the limit (before decoding);
 *   2. strict UTF-8 decoding (invalid bytes refused);
 *   3. DOCTYPE / ENTITY declarations refused by a scan of the text (nothing is ever expanded);
 *   4. attachment payloads cut out of the text (see splitBase64Payloads), their number and size checked, and
 *      the size of what remains (the metadata) bounded;
 *   5. well-formedness of the remaining skeleton with fast-xml-parser's validator, element count bounded;
 *   6. parse of the skeleton (entities off, nesting bounded), then prefixes resolved and payloads put back.
 */
import { randomBytes } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { EdxmlParseError, type EdxmlParseErrorCode } from './errors';
import type { PackageLimits } from './limits';
import { XMLNS_NS, XML_NS } from './namespaces';
import { decodeReferences, hasIllegalXmlChars } from './xml-text';

export interface XmlAttribute {
  ns: string | null;
  local: string;
  qname: string;
  value: string;
}

export interface XmlElement {
  ns: string | null;
  local: string;
  qname: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Concatenated character data (text and CDATA) directly inside this element, references decoded. */
  text: string;
}


/** Decodes bytes (or checks a string) against the package size limit; refuses invalid UTF-8. */
export function decodeInput(input: string | Uint8Array, limits: PackageLimits): string {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes: most strings pass without being measured.
  const byteLength =
    typeof input !== 'string' ? input.byteLength : input.length * 3 <= limits.maxPackageBytes ? input.length : Buffer.byteLength(input, 'utf8');
  if (byteLength > limits.maxPackageBytes) {
    throw new EdxmlParseError('package_too_large', { detail: `${byteLength} > ${limits.maxPackageBytes} bytes` });
  }
  if (byteLength === 0) throw new EdxmlParseError('empty_input');
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    if ((input[0] === 0xfe && input[1] === 0xff) || (input[0] === 0xff && input[1] === 0xfe)) {
      throw new EdxmlParseError('unsupported_encoding', { detail: 'UTF-16 byte order mark' });
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new EdxmlParseError('invalid_utf8');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim().length === 0) throw new EdxmlParseError('empty_input');
  return text;
}

/** Refuses any DTD machinery before a parser sees the text (case-insensitive: no spelling slips through). */
export function refuseDtd(text: string): void {
  if (/<!DOCTYPE/i.test(text)) throw new EdxmlParseError('doctype_forbidden');
  if (/<!ENTITY/i.test(text)) throw new EdxmlParseError('entity_forbidden');
  const declaration = /^<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(text);
  if (declaration && !/^utf-?8$/i.test(declaration[1])) {
    throw new EdxmlParseError('unsupported_encoding', { detail: declaration[1] });
  }
}

const PAYLOAD_OPEN = /<((?:[A-Za-z_][\w.-]*:)?ContentTransferEncoded)(\s[^<>]*)?>/g;
/** No '<', '>' or '&': plain character data, which can neither hold markup nor end a comment, CDATA or PI. */
const PLAIN_TEXT = /^[^<>&]*$/;

export interface SplitPayloads {
  /** The XML with the content of every ContentTransferEncoded element replaced by a short placeholder. */
  skeleton: string;
  /** placeholder → content as written. */
  payloads: Map<string, string>;
  /** The random part shared by this call's placeholders. */
  nonce: string;
}

/**
 * Cuts the content of every ContentTransferEncoded element out of the text, so that no XML machinery walks
 * megabytes of base64 character by character. Only plain character data is cut (no '<', '>' or '&'): it can
 * hold no markup and end no comment or CDATA section, so the skeleton has exactly the structure of the text,
 * and putting the payloads back restores it exactly, wherever a placeholder lands. Placeholders carry a random
 * nonce, so a package cannot forge one. Exported for ./signature, which can canonicalise the skeleton and hash
 * the payloads back in.
 */
export function splitBase64Payloads(text: string, limits?: Pick<PackageLimits, 'maxAttachments' | 'maxAttachmentBytes'>): SplitPayloads {
  const payloads = new Map<string, string>();
  const parts: string[] = [];
  const nonce = randomBytes(8).toString('hex');
  let copiedUpTo = 0;
  PAYLOAD_OPEN.lastIndex = 0;
  for (let open = PAYLOAD_OPEN.exec(text); open; open = PAYLOAD_OPEN.exec(text)) {
    if (open[2]?.trimEnd().endsWith('/')) continue; // empty element: nothing to cut
    const start = open.index + open[0].length;
    const end = text.indexOf(`</${open[1]}`, start);
    if (end < 0) break; // unclosed: the well-formedness check reports it
    const content = text.slice(start, end);
    if (!PLAIN_TEXT.test(content)) continue;
    if (limits) {
      if (payloads.size >= limits.maxAttachments) {
        throw new EdxmlParseError('too_many_attachments', { detail: `> ${limits.maxAttachments}` });
      }
      if (content.length * 0.75 > limits.maxAttachmentBytes && decodedLength(content) > limits.maxAttachmentBytes) {
        throw new EdxmlParseError('attachment_too_large', { detail: `> ${limits.maxAttachmentBytes} bytes` });
      }
    }
    const placeholder = `@payload-${nonce}-${payloads.size}@`;
    payloads.set(placeholder, content);
    parts.push(text.slice(copiedUpTo, start), placeholder);
    copiedUpTo = end;
    PAYLOAD_OPEN.lastIndex = end;
  }
  if (payloads.size === 0) return { skeleton: text, payloads, nonce };
  parts.push(text.slice(copiedUpTo));
  return { skeleton: parts.join(''), payloads, nonce };
}

function decodedLength(base64WithSpaces: string): number {
  const compact = base64WithSpaces.replace(/\s+/g, '');
  return Math.floor((compact.length * 3) / 4) - (compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0);
}

const COMMENT_OR_CDATA = /<!\[CDATA\[[\s\S]*?\]\]>|<!--([\s\S]*?)-->/g;

/**
 * '--' may not occur inside a comment (XML 1.0 §2.5). fast-xml-parser's validator lets it through, and then
 * reads `<!--a<!--b-->c-->` as a comment followed by the text "c-->".
 */
function refuseBadComments(skeleton: string): void {
  if (!skeleton.includes('<!--')) return;
  for (const match of skeleton.matchAll(COMMENT_OR_CDATA)) {
    const body = match[1];
    if (body !== undefined && (body.includes('--') || body.endsWith('-'))) {
      throw new EdxmlParseError('malformed_xml', { detail: "'--' inside a comment" });
    }
  }
}

/** Occurrences of `char`, counting no further than just past `limit` (no allocation, stops early). */
function countUpTo(text: string, char: string, limit: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && count <= limit; at = text.indexOf(char, at + 1)) count++;
  return count;
}

const parserCache = new Map<number, XMLParser>();

function parserFor(maxDepth: number): XMLParser {
  let parser = parserCache.get(maxDepth);
  if (!parser) {
    parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: false,
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      cdataPropName: '#cdata',
      allowBooleanAttributes: false,
      maxNestedTags: maxDepth,
    });
    parserCache.set(maxDepth, parser);
  }
  return parser;
}

function wellFormednessError(code: string, message: string, line?: number): EdxmlParseError {
  const truncated = /^Unclosed tag|^Invalid '\[|not closed|^Start tag expected/.test(message);
  const errorCode: EdxmlParseErrorCode = truncated ? 'truncated' : 'malformed_xml';
  return new EdxmlParseError(errorCode, { detail: `${code}: ${message}${line ? ` (line ${line})` : ''}` });
}

interface ReadContext {
  elements: number;
  maxElements: number;
  maxDepth: number;
  /** Puts cut payloads back into text that carries their placeholders. */
  restore: (text: string, path: string) => string;
}

/** Full safe read: text in, namespace-resolved element tree out. */
export function readXml(input: string | Uint8Array, limits: PackageLimits): XmlElement {
  const text = decodeInput(input, limits);
  refuseDtd(text);
  const { skeleton, payloads, nonce } = splitBase64Payloads(text, limits);
  const metadataBytes = skeleton.length * 3 <= limits.maxMetadataBytes ? skeleton.length : Buffer.byteLength(skeleton, 'utf8');
  if (metadataBytes > limits.maxMetadataBytes) {
    throw new EdxmlParseError('metadata_too_large', { detail: `${metadataBytes} > ${limits.maxMetadataBytes} bytes` });
  }

  // Every element starts with '<' (and ends with another): counting them bounds the tree before it is built.
  if (countUpTo(skeleton, '<', 2 * limits.maxElements + 16) > 2 * limits.maxElements + 16) {
    throw new EdxmlParseError('too_many_elements', { detail: `> ${limits.maxElements}` });
  }
  const verdict = XMLValidator.validate(skeleton, { allowBooleanAttributes: false });
  if (verdict !== true) throw wellFormednessError(verdict.err.code, verdict.err.msg, verdict.err.line);
  refuseBadComments(skeleton);

  let ordered: unknown[];
  try {
    ordered = parserFor(limits.maxDepth).parse(skeleton) as unknown[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/nested tags/i.test(message)) throw new EdxmlParseError('too_deep', { detail: `> ${limits.maxDepth}` });
    throw wellFormednessError('ParseError', message);
  }
  const context: ReadContext = {
    elements: 0,
    maxElements: limits.maxElements,
    maxDepth: limits.maxDepth,
    restore: (value, path) => (payloads.size > 0 && value.includes(nonce) ? restorePayloads(value, payloads, path) : value),
  };
  const roots: XmlElement[] = [];
  for (const node of ordered) {
    const entry = node as Record<string, unknown>;
    if ('#text' in entry) {
      if (String(entry['#text']).trim() !== '') throw new EdxmlParseError('malformed_xml', { detail: 'text outside the root element' });
      continue;
    }
    if ('#cdata' in entry) throw new EdxmlParseError('malformed_xml', { detail: 'CDATA outside the root element' });
    roots.push(toElement(entry, new Map([['xml', XML_NS]]), '', context, 1));
  }
  if (roots.length !== 1) throw new EdxmlParseError('malformed_xml', { detail: `${roots.length} root elements` });
  return roots[0];
}

/**
 * The element's whole text is one placeholder in the usual case: the payload string is used as is (no copy,
 * no pass over it; strict base64 decoding judges it). Anywhere else (a placeholder that landed in CDATA) the
 * original text is rebuilt and checked like any text.
 */
function restorePayloads(value: string, payloads: Map<string, string>, path: string): string {
  const whole = payloads.get(value);
  if (whole !== undefined) return whole;
  const restored = value.replace(/@payload-[0-9a-f]{16}-\d+@/g, (placeholder) => payloads.get(placeholder) ?? placeholder);
  if (hasIllegalXmlChars(restored)) throw new EdxmlParseError('invalid_character', { path });
  return restored;
}

function splitQName(qname: string): [prefix: string | null, local: string] {
  const colon = qname.indexOf(':');
  return colon < 0 ? [null, qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

function decodeOrThrow(raw: string, path: string): string {
  const decoded = decodeReferences(raw);
  if (decoded === 'undefined_entity' || decoded === 'invalid_character') throw new EdxmlParseError(decoded, { path });
  return decoded;
}

function cdataText(parts: { '#text'?: string }[], path: string): string {
  const text = parts.map((c) => c['#text'] ?? '').join('');
  if (hasIllegalXmlChars(text)) throw new EdxmlParseError('invalid_character', { path });
  return text;
}

function toElement(
  entry: Record<string, unknown>,
  parentScope: Map<string, string | null>,
  parentPath: string,
  context: ReadContext,
  depth: number,
): XmlElement {
  if (++context.elements > context.maxElements) throw new EdxmlParseError('too_many_elements', { detail: `> ${context.maxElements}` });
  if (depth > context.maxDepth) throw new EdxmlParseError('too_deep', { detail: `> ${context.maxDepth}` });
  const qname = Object.keys(entry).find((key) => key !== ':@') as string;
  const [prefix, local] = splitQName(qname);
  const path = parentPath ? `${parentPath}/${local}` : local;

  const rawAttributes = (entry[':@'] ?? {}) as Record<string, string>;
  let scope = parentScope;
  const attributes: XmlAttribute[] = [];
  for (const [name, rawValue] of Object.entries(rawAttributes)) {
    // XML forbids '<' in attribute values; fast-xml-parser's validator does not check it.
    if (String(rawValue).includes('<')) throw new EdxmlParseError('malformed_xml', { path, detail: `'<' in attribute ${name}` });
    const value = decodeOrThrow(String(rawValue), path);
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      scope.set(name === 'xmlns' ? '' : name.slice(6), value === '' ? null : value);
      attributes.push({ ns: XMLNS_NS, local: name === 'xmlns' ? 'xmlns' : name.slice(6), qname: name, value });
      continue;
    }
    const [attrPrefix, attrLocal] = splitQName(name);
    // Attributes with an undeclared prefix are kept by name: national samples write xlink:href without xmlns:xlink.
    attributes.push({ ns: attrPrefix === null ? null : (scope.get(attrPrefix) ?? null), local: attrLocal, qname: name, value });
  }

  let ns: string | null;
  if (prefix === null) {
    ns = scope.get('') ?? null;
  } else {
    const bound = scope.get(prefix);
    if (bound === undefined || bound === null) throw new EdxmlParseError('undeclared_prefix', { path, detail: prefix });
    ns = bound;
  }

  const children: XmlElement[] = [];
  let text = '';
  for (const child of entry[qname] as Record<string, unknown>[]) {
    if ('#text' in child) text += decodeOrThrow(String(child['#text']), path);
    else if ('#cdata' in child) text += cdataText(child['#cdata'] as { '#text'?: string }[], path);
    else children.push(toElement(child, scope, path, context, depth + 1));
  }
  return { ns, local, qname, attributes, children, text: context.restore(text, path) };
}

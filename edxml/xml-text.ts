/** Text-level XML helpers shared by the reader and the writer: escaping, the five predefined entities, legal characters. */

/** Characters XML 1.0 cannot carry at all (C0 controls except tab/LF/CR, U+FFFE/U+FFFF, unpaired surrogates). */
const ILLEGAL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasIllegalXmlChars(text: string): boolean {
  return ILLEGAL_CHARS.test(text);
}

/** Escapes character data; CR is written as a reference so that it survives end-of-line normalisation. */
export function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9._-]*));/g;

export type DecodeFailure = 'undefined_entity' | 'invalid_character';

/**
 * Decodes character and predefined entity references. Any other entity is refused: DTDs are refused before
 * parsing, so a named entity can only be an attempt to reach one.
 */
export function decodeReferences(raw: string): string | DecodeFailure {
  if (!raw.includes('&')) return hasIllegalXmlChars(raw) ? 'invalid_character' : raw;
  let failure: DecodeFailure | undefined;
  const decoded = raw.replace(REFERENCE, (_whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) {
      const value = PREDEFINED[name];
      if (value === undefined) failure ??= 'undefined_entity';
      return value ?? '';
    }
    const codePoint = hex !== undefined ? parseInt(hex, 16) : parseInt(dec as string, 10);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      failure ??= 'invalid_character';
      return '';
    }
    const char = String.fromCodePoint(codePoint);
    if (hasIllegalXmlChars(char)) failure ??= 'invalid_character';
    return char;
  });
  if (failure) return failure;
  // A bare '&' left over is not well-formed XML.
  if (/&(?!(?:#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9._-]*);)/.test(raw)) return 'undefined_entity';
  if (hasIllegalXmlChars(raw.replace(REFERENCE, ''))) return 'invalid_character';
  return decoded;
}

/**
 * Attachments: strict base64, size and SHA-256.
 *
 * Digest decision: edXML has no digest element, and inventing one on the wire would break other axis
 * implementations. So the SHA-256 of every attachment is computed once, on parse (and by createAttachment),
 * and kept on the object; the integrity of the bytes on the wire is the package signature's job (its
 * Reference URI="" covers AttachmentEncoded). A caller that knows the digests (its own store, an earlier
 * receipt) passes them to parsePackage as `expectedDigests`, and a mismatch refuses the package.
 */
import { createHash } from 'node:crypto';
import { EdxmlParseError } from './errors';
import type { Attachment } from './model';

const BASE64_ALPHABET = /^[A-Za-z0-9+/=]*$/;

/** Decodes base64 strictly: only the base64 alphabet and whitespace, correct padding, canonical last quantum. */
export function decodeBase64Strict(text: string, path: string, maxBytes: number): Buffer {
  // One pass in the usual case (one line, as every builder writes); line breaks cost one more.
  let compact = text;
  if (!BASE64_ALPHABET.test(text)) {
    compact = text.replace(/\s+/g, '');
    if (!BASE64_ALPHABET.test(compact)) {
      throw new EdxmlParseError('invalid_base64', { path, detail: 'character outside the base64 alphabet' });
    }
  }
  if (compact.length % 4 !== 0) throw new EdxmlParseError('invalid_base64', { path, detail: 'length is not a multiple of 4' });
  const firstPad = compact.indexOf('=');
  const padding = firstPad < 0 ? 0 : compact.length - firstPad;
  if (padding > 2 || (padding === 2 && compact[compact.length - 1] !== '=')) {
    throw new EdxmlParseError('invalid_base64', { path, detail: 'padding inside the data' });
  }
  const size = (compact.length / 4) * 3 - padding;
  if (size > maxBytes) throw new EdxmlParseError('attachment_too_large', { path, detail: `${size} > ${maxBytes} bytes` });
  if (padding) {
    // Non-zero bits after the last byte would let two texts carry the same bytes: refuse them.
    const lastQuantum = compact.slice(-4);
    if (Buffer.from(lastQuantum, 'base64').toString('base64') !== lastQuantum) {
      throw new EdxmlParseError('invalid_base64', { path, detail: 'non-canonical padding' });
    }
  }
  return Buffer.from(compact, 'base64');
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Builds an attachment from its bytes, computing size and digest. */
export function createAttachment(input: {
  contentId: string;
  name: string;
  contentType: string;
  description?: string;
  data: Buffer;
}): Attachment {
  const attachment: Attachment = {
    contentId: stripCid(input.contentId),
    name: input.name,
    contentType: input.contentType,
    data: input.data,
    size: input.data.length,
    sha256: sha256Hex(input.data),
  };
  if (input.description !== undefined) attachment.description = input.description;
  return attachment;
}

/** ContentId as compared and stored: without 'cid:' (one builder drops it, edxml.md §5) and surrounding blanks. */
export function stripCid(contentId: string): string {
  const trimmed = contentId.trim();
  return /^cid:/i.test(trimmed) ? trimmed.slice(4).trim() : trimmed;
}

import type { Document } from '@xmldom/xmldom';
import { edxmlChild, elementChildren, headerOf, textOf } from './signature-dom';
import { EDXML_NS } from './namespaces';

/**
 * The time at which a package signature is judged. edXML carries no signed signing time in the signature itself, so
 * we use, in order: the caller's option; the sender's own TraceHeader Timestamp (document packages: the sender adds
 * it when it sends, edxml.md §3); the MessageHeader Timestamp (status packages, §6); otherwise the moment of
 * verification. Timestamps are written in Vietnam local time without a zone (§7), so they are read as UTC+07:00.
 * The first two are claims inside the signed content: a holder of a stolen expired key could backdate them, which is
 * why revocation is checked whatever the date (signing/crl.ts) and a time in the future is refused.
 */
export type SigningTimeSource = 'option' | 'trace_header' | 'status_timestamp' | 'verification_time';

export interface SigningTime {
  at: Date;
  source: SigningTimeSource;
}

const EDXML_TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `YYYY/MM/DD HH:mm:ss` in Vietnam time, or null when the text is not one. */
export function parseEdxmlTimestamp(text: string): Date | null {
  const match = EDXML_TIMESTAMP.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+07:00`);
  if (Number.isNaN(at.getTime())) return null;
  // Refuse dates that roll over (2024/02/30 would become 1 March).
  const local = new Date(at.getTime() + 7 * 3600 * 1000);
  if (local.getUTCDate() !== Number(d) || local.getUTCMonth() + 1 !== Number(mo)) return null;
  return at;
}

export type SigningTimeResult = { ok: true; time: SigningTime } | { ok: false; detail: string };

export function signingTimeOf(doc: Document, senderCode: string | null, option?: Date): SigningTimeResult {
  if (option) return { ok: true, time: { at: option, source: 'option' } };
  const header = headerOf(doc);
  const messageHeader = header ? edxmlChild(header, 'MessageHeader') : null;
  const traceList = header ? edxmlChild(header, 'TraceHeaderList') : null;
  if (traceList) {
    const own = elementChildren(traceList, 'TraceHeader').find(
      (trace) => trace.namespaceURI === EDXML_NS && textOf(edxmlChild(trace, 'OrganId')) === senderCode,
    );
    if (own) return fromText(textOf(edxmlChild(own, 'Timestamp')), 'trace_header');
  }
  const statusTimestamp = messageHeader ? edxmlChild(messageHeader, 'Timestamp') : null;
  if (statusTimestamp) return fromText(textOf(statusTimestamp), 'status_timestamp');
  return { ok: true, time: { at: new Date(), source: 'verification_time' } };
}

function fromText(text: string | null, source: SigningTimeSource): SigningTimeResult {
  const at = text ? parseEdxmlTimestamp(text) : null;
  if (!at) return { ok: false, detail: `${source} Timestamp is not YYYY/MM/DD HH:mm:ss: ${JSON.stringify(text)}` };
  return { ok: true, time: { at, source } };
}

/**
 * parsePackage: XML (text or bytes) to a typed package. Refuses (EdxmlParseError) what cannot be read safely
 * or at all; everything else is read, and faults that the typed object cannot hold go to `readFaults`.
 */
import { decodeBase64Strict, sha256Hex, stripCid } from './attachments';
import { normalizeTimestamp } from './dates';
import { EdxmlParseError } from './errors';
import { fault } from './faults';
import { resolveLimits, type PackageLimits } from './limits';
import type { Attachment, DocumentPackage, EdxmlPackage, StatusPackage, ValidationFault } from './model';
import { EDXML_NS, XLINK_NS, XMLDSIG_NS } from './namespaces';
import { assignDefined, readOrganization, readResponseFor, readStaffInfo } from './parse-common';
import { readDocumentHeader, readTraceHeaderList } from './parse-document';
import { ElementReader } from './parse-reader';
import { readXml } from './safe-xml';

export interface ParseOptions {
  /** SHA-256 (hex) the caller expects per ContentId (with or without 'cid:'); a mismatch refuses the package. */
  expectedDigests?: Record<string, string>;
}

const SIGNATURE_NAMESPACES = [XMLDSIG_NS, EDXML_NS, null];

export function parsePackage(xml: string | Uint8Array, limits?: Partial<PackageLimits>, options: ParseOptions = {}): EdxmlPackage {
  const effective = resolveLimits(limits);
  const root = readXml(xml, effective);
  if (root.local !== 'edXML') throw new EdxmlParseError('wrong_root', { path: root.local });
  if (root.ns !== EDXML_NS) throw new EdxmlParseError('wrong_namespace', { path: 'edXML', detail: root.ns ?? '(none)' });

  const faults: ValidationFault[] = [];
  const edxml = new ElementReader(root, 'edXML', faults);
  const envelope = edxml.required('edXMLEnvelope');
  const header = envelope.required('edXMLHeader');
  const messageHeader = header.required('MessageHeader');
  const signed = header.skip('Signature', SIGNATURE_NAMESPACES);
  header.ignore('DigitalSignature');

  let pkg: EdxmlPackage;
  if (messageHeader.element.children.some((c) => c.local === 'StatusCode')) {
    pkg = readStatus(messageHeader, signed);
  } else {
    const documentHeader = readDocumentHeader(messageHeader);
    const { traceHeaders, business } = readTraceHeaderList(header.one('TraceHeaderList'));
    const attachments = readAttachments(edxml, envelope.one('edXMLBody'), effective, faults);
    const document: DocumentPackage = { kind: 'document', header: documentHeader, traceHeaders, attachments, signed };
    if (business) document.business = business;
    pkg = document;
  }
  header.finishContainer();
  envelope.finishContainer();
  edxml.finishContainer();

  if (options.expectedDigests) checkDigests(pkg.kind === 'document' ? pkg.attachments : [], options.expectedDigests);
  if (faults.length > 0) pkg.readFaults = faults;
  return pkg;
}

function readStatus(h: ElementReader, signed: boolean): StatusPackage {
  const statusHeader: StatusPackage['header'] = {
    from: readOrganization(h.one('From')),
    responseFor: readResponseFor(h.one('ResponseFor')),
    staffInfo: readStaffInfo(h.one('StaffInfo')),
    statusCode: h.mandatoryText('StatusCode'),
    timestamp: h.mandatoryText('Timestamp', normalizeTimestamp),
  };
  assignDefined(statusHeader, 'description', h.text('Description'));
  h.finishContainer();
  return { kind: 'status', header: statusHeader, signed };
}

interface ManifestEntry {
  contentId: string;
  contentType?: string;
  description?: string;
  name?: string;
  path: string;
}

function readManifest(body: ElementReader | undefined): ManifestEntry[] {
  if (!body) return [];
  const manifest = body.one('edXMLManifest');
  const entries =
    manifest?.many('Reference').map((ref) => {
      // Some builders put the id in xlink:href instead of a ContentId child (edxml.md §5).
      const entry: ManifestEntry = { contentId: stripCid(ref.text('ContentId') ?? ref.attribute('href', XLINK_NS, 'xlink:href') ?? ''), path: ref.path };
      assignDefined(entry, 'contentType', ref.text('ContentType'));
      assignDefined(entry, 'description', ref.text('Description'));
      assignDefined(entry, 'name', ref.text('AttachmentName'));
      ref.finishContainer();
      return entry;
    }) ?? [];
  manifest?.finishContainer();
  body.finishContainer();
  return entries;
}

function readAttachments(
  edxml: ElementReader,
  body: ElementReader | undefined,
  limits: PackageLimits,
  faults: ValidationFault[],
): Attachment[] {
  const manifest = readManifest(body);
  const encoded = edxml.one('AttachmentEncoded');
  const elements = encoded?.many('Attachment') ?? [];
  encoded?.finishContainer();
  if (elements.length > limits.maxAttachments) {
    throw new EdxmlParseError('too_many_attachments', { detail: `${elements.length} > ${limits.maxAttachments}` });
  }

  const matched = new Set<ManifestEntry>();
  const attachments: Attachment[] = [];
  for (const element of elements) {
    const contentId = stripCid(element.mandatoryText('ContentId'));
    const own = {
      name: element.text('AttachmentName'),
      description: element.text('Description'),
      contentType: element.text('ContentType'),
    };
    const dataReader = element.one('ContentTransferEncoded');
    element.finishContainer();
    const entries = manifest.filter((m) => m.contentId === contentId);
    const entry = entries.find((m) => !matched.has(m));
    if (entry) matched.add(entry);
    else faults.push(fault(`${element.path}/ContentId`, 'attachment_not_in_manifest'));

    if (!dataReader) {
      faults.push(fault(`${element.path}/ContentTransferEncoded`, 'attachment_data_missing'));
      continue;
    }
    const data = decodeBase64Strict(dataReader.leafText(), dataReader.path, limits.maxAttachmentBytes);

    const attachment: Attachment = {
      contentId,
      name: merged(own.name, entry?.name, `${element.path}/AttachmentName`, faults) ?? '',
      contentType: merged(own.contentType, entry?.contentType, `${element.path}/ContentType`, faults) ?? '',
      data,
      size: data.length,
      sha256: sha256Hex(data),
    };
    assignDefined(attachment, 'description', merged(own.description, entry?.description, `${element.path}/Description`, faults));
    attachments.push(attachment);
  }
  for (const entry of manifest) {
    if (!matched.has(entry)) faults.push(fault(`${entry.path}/ContentId`, 'attachment_missing'));
  }
  return attachments;
}

/** A field written both in the manifest and on the attachment must agree; either alone is enough. */
function merged(own: string | undefined, manifest: string | undefined, path: string, faults: ValidationFault[]): string | undefined {
  if (own !== undefined && own !== '' && manifest !== undefined && manifest !== '' && own !== manifest) {
    faults.push(fault(path, 'manifest_mismatch'));
  }
  return own !== undefined && own !== '' ? own : (manifest ?? own);
}

function checkDigests(attachments: Attachment[], expected: Record<string, string>): void {
  for (const [contentId, digest] of Object.entries(expected)) {
    const attachment = attachments.find((a) => a.contentId === stripCid(contentId));
    if (!attachment || attachment.sha256 !== digest.toLowerCase()) {
      throw new EdxmlParseError('attachment_digest_mismatch', { detail: `cid:${stripCid(contentId)}` });
    }
  }
}

/**
 * Reads a package from a stream, refusing it as soon as it grows past maxPackageBytes (the rest is never read).
 */
export async function readPackageStream(
  stream: AsyncIterable<Uint8Array | string>,
  limits?: Partial<PackageLimits>,
): Promise<Buffer> {
  const { maxPackageBytes } = resolveLimits(limits);
  const chunks: Buffer[] = [];
  let total = 0;
  const iterator = stream[Symbol.asyncIterator]();
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : Buffer.from(next.value);
      total += chunk.length;
      if (total > maxPackageBytes) {
        throw new EdxmlParseError('package_too_large', { detail: `> ${maxPackageBytes} bytes` });
      }
      chunks.push(chunk);
    }
  } catch (error) {
    // Stop the producer (a socket, a file) instead of draining it.
    await iterator.return?.();
    throw error;
  }
  return Buffer.concat(chunks, total);
}

/** readPackageStream then parsePackage. */
export async function parsePackageStream(
  stream: AsyncIterable<Uint8Array | string>,
  limits?: Partial<PackageLimits>,
  options?: ParseOptions,
): Promise<EdxmlPackage> {
  return parsePackage(await readPackageStream(stream, limits), limits, options);
}

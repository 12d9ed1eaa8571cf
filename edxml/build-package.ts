/**
 * Writes a package in ONE canonical form: the element order and prefixes of edxml.md §8/§9, one-space
 * indentation, LF line ends, base64 on one line. No Signature element: ./signature inserts it.
 */
import type {
  Attachment,
  Business,
  DocumentPackage,
  EdxmlPackage,
  Organization,
  ResponseFor,
  StaffInfo,
  StatusPackage,
} from './model';
import { EDXML_NS, EDXML_PREFIX } from './namespaces';
import { escapeText, hasIllegalXmlChars } from './xml-text';

const P = `${EDXML_PREFIX}:`;

export class EdxmlBuildError extends Error {
  override readonly name = 'EdxmlBuildError';
  constructor(readonly path: string) {
    super(`Không thể ghi phần tử ${path}: chứa ký tự không được phép trong XML`);
  }
}

class Writer {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private readonly stack: string[] = [];

  open(name: string, attributes = ''): this {
    this.lines.push(`${this.indent()}<${name}${attributes}>`);
    this.stack.push(name);
    return this;
  }

  close(): this {
    const name = this.stack.pop() as string;
    this.lines.push(`${this.indent()}</${name}>`);
    return this;
  }

  /** A leaf element; `undefined` means the element is absent. */
  leaf(name: string, value: string | undefined, attributes = ''): this {
    if (value === undefined) return this;
    if (hasIllegalXmlChars(value)) throw new EdxmlBuildError([...this.stack, name].map((n) => n.slice(n.indexOf(':') + 1)).join('/'));
    this.lines.push(`${this.indent()}<${name}${attributes}>${escapeText(value)}</${name}>`);
    return this;
  }

  /** A leaf whose text is already safe (base64): no escaping pass over megabytes. */
  rawLeaf(name: string, safeText: string, attributes = ''): this {
    this.lines.push(`${this.indent()}<${name}${attributes}>${safeText}</${name}>`);
    return this;
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }

  private indent(): string {
    return ' '.repeat(this.stack.length);
  }
}

export function buildPackage(pkg: EdxmlPackage): string {
  const w = new Writer();
  w.open('edXML', ` xmlns="${EDXML_NS}"`);
  w.open(`${P}edXMLEnvelope`, ` xmlns:${EDXML_PREFIX}="${EDXML_NS}"`);
  w.open(`${P}edXMLHeader`);
  if (pkg.kind === 'document') writeDocumentEnvelope(w, pkg);
  else writeStatusHeader(w, pkg);
  if (pkg.kind === 'document') {
    writeManifest(w, pkg.attachments);
    w.close(); // edXMLEnvelope
    writeAttachments(w, pkg.attachments);
  } else {
    w.close(); // edXMLHeader
    w.close(); // edXMLEnvelope
  }
  w.close(); // edXML
  return w.toString();
}

function writeOrganization(w: Writer, name: string, org: Organization): void {
  w.open(`${P}${name}`)
    .leaf(`${P}OrganId`, org.organId)
    .leaf(`${P}OrganizationInCharge`, org.organizationInCharge)
    .leaf(`${P}OrganName`, org.organName)
    .leaf(`${P}OrganAdd`, org.organAdd)
    .leaf(`${P}Email`, org.email)
    .leaf(`${P}Telephone`, org.telephone)
    .leaf(`${P}Fax`, org.fax)
    .leaf(`${P}Website`, org.website)
    .close();
}

function writeResponseFor(w: Writer, rf: ResponseFor): void {
  w.open(`${P}ResponseFor`)
    .leaf(`${P}OrganId`, rf.organId)
    .leaf(`${P}Code`, rf.code)
    .leaf(`${P}PromulgationDate`, rf.promulgationDate)
    .leaf(`${P}DocumentId`, rf.documentId)
    .close();
}

function writeStaffInfo(w: Writer, staff: StaffInfo, order: 'document' | 'status'): void {
  w.open(`${P}StaffInfo`).leaf(`${P}Department`, staff.department).leaf(`${P}Staff`, staff.staff);
  // Sample order differs between the business block (Email, Mobile) and status packages (Mobile, Email).
  if (order === 'document') w.leaf(`${P}Email`, staff.email).leaf(`${P}Mobile`, staff.mobile);
  else w.leaf(`${P}Mobile`, staff.mobile).leaf(`${P}Email`, staff.email);
  w.close();
}

/** Optional block: written only when at least one of its values is present. */
function anyDefined(values: object): boolean {
  return Object.values(values).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0));
}

function writeDocumentEnvelope(w: Writer, pkg: DocumentPackage): void {
  const h = pkg.header;
  w.open(`${P}MessageHeader`);
  writeOrganization(w, 'From', h.from);
  for (const to of h.to) writeOrganization(w, 'To', to);
  w.open(`${P}Code`).leaf(`${P}CodeNumber`, h.code.codeNumber).leaf(`${P}CodeNotation`, h.code.codeNotation).close();
  if (anyDefined(h.promulgationInfo)) {
    w.open(`${P}PromulgationInfo`)
      .leaf(`${P}Place`, h.promulgationInfo.place)
      .leaf(`${P}PromulgationDate`, h.promulgationInfo.promulgationDate)
      .close();
  }
  w.open(`${P}DocumentType`)
    .leaf(`${P}Type`, h.documentType.type)
    .leaf(`${P}TypeDetail`, h.documentType.typeDetail)
    .leaf(`${P}TypeName`, h.documentType.typeName)
    .close();
  w.leaf(`${P}Subject`, h.subject).leaf(`${P}Content`, h.content);
  if (anyDefined(h.signerInfo)) {
    w.open(`${P}SignerInfo`)
      .leaf(`${P}Competence`, h.signerInfo.competence)
      .leaf(`${P}Position`, h.signerInfo.position)
      .leaf(`${P}FullName`, h.signerInfo.fullName)
      .close();
  }
  w.leaf(`${P}DueDate`, h.dueDate);
  if (h.toPlaces.length > 0) {
    w.open(`${P}ToPlaces`);
    for (const place of h.toPlaces) w.leaf(`${P}Place`, place);
    w.close();
  }
  const o = h.otherInfo;
  w.open(`${P}OtherInfo`)
    .leaf(`${P}Priority`, o.priority)
    .leaf(`${P}SphereOfPromulgation`, o.sphereOfPromulgation)
    .leaf(`${P}TyperNotation`, o.typerNotation)
    .leaf(`${P}PromulgationAmount`, o.promulgationAmount)
    .leaf(`${P}PageAmount`, o.pageAmount)
    .leaf(`${P}Direction`, o.direction);
  if (o.appendixes.length > 0) {
    w.open(`${P}Appendixes`);
    for (const appendix of o.appendixes) w.leaf(`${P}Appendix`, appendix);
    w.close();
  }
  w.close();
  for (const rf of h.responseFor) writeResponseFor(w, rf);
  w.leaf(`${P}SteeringType`, h.steeringType).leaf(`${P}DocumentId`, h.documentId);
  w.close(); // MessageHeader

  if (pkg.traceHeaders.length > 0 || pkg.business) {
    w.open(`${P}TraceHeaderList`);
    for (const trace of pkg.traceHeaders) {
      w.open(`${P}TraceHeader`).leaf(`${P}OrganId`, trace.organId).leaf(`${P}Timestamp`, trace.timestamp).close();
    }
    if (pkg.business) writeBusiness(w, pkg.business);
    w.close();
  }
  w.close(); // edXMLHeader
}

function writeBusiness(w: Writer, b: Business): void {
  w.open(`${P}Bussiness`)
    .leaf(`${P}BussinessDocType`, b.bussinessDocType)
    .leaf(`${P}BussinessDocReason`, b.bussinessDocReason)
    .leaf(`${P}DocumentId`, b.documentId)
    .leaf(`${P}Paper`, b.paper);
  if (b.bussinessDocumentInfo) {
    const info = b.bussinessDocumentInfo;
    w.open(`${P}BussinessDocumentInfo`)
      .leaf(`${P}DocumentInfo`, info.documentInfo)
      .leaf(`${P}DocumentReceiver`, info.documentReceiver);
    if (info.receiverList.length > 0) {
      w.open(`${P}ReceiverList`);
      for (const r of info.receiverList) {
        w.open(`${P}Receiver`).leaf(`${P}OrganId`, r.organId).leaf(`${P}ReceiverType`, r.receiverType).close();
      }
      w.close();
    }
    w.close();
  }
  if (b.replacementInfoList.length > 0) {
    w.open(`${P}ReplacementInfoList`);
    for (const replacement of b.replacementInfoList) {
      w.open(`${P}ReplacementInfo`).leaf(`${P}DocumentId`, replacement.documentId).open(`${P}OrganIdList`);
      for (const organId of replacement.organIdList) w.leaf(`${P}OrganId`, organId);
      w.close().close();
    }
    w.close();
  }
  if (b.staffInfo) writeStaffInfo(w, b.staffInfo, 'document');
  w.close();
}

function writeManifest(w: Writer, attachments: Attachment[]): void {
  w.open(`${P}edXMLBody`).open(`${P}edXMLManifest`, ' version="1.0"');
  for (const a of attachments) {
    w.open(`${P}Reference`)
      .leaf(`${P}ContentId`, `cid:${a.contentId}`)
      .leaf(`${P}ContentType`, a.contentType)
      .leaf(`${P}Description`, a.description)
      .leaf(`${P}AttachmentName`, a.name)
      .close();
  }
  w.close().close();
}

function writeAttachments(w: Writer, attachments: Attachment[]): void {
  if (attachments.length === 0) return;
  w.open('AttachmentEncoded');
  for (const a of attachments) {
    w.open('Attachment')
      .leaf('ContentId', `cid:${a.contentId}`)
      .leaf('AttachmentName', a.name)
      .leaf('Description', a.description)
      .leaf('ContentType', a.contentType)
      .rawLeaf(`${P}ContentTransferEncoded`, a.data.toString('base64'), ` xmlns:${EDXML_PREFIX}="${EDXML_NS}"`)
      .close();
  }
  w.close();
}

function writeStatusHeader(w: Writer, pkg: StatusPackage): void {
  const h = pkg.header;
  w.open(`${P}MessageHeader`);
  writeOrganization(w, 'From', h.from);
  writeResponseFor(w, h.responseFor);
  writeStaffInfo(w, h.staffInfo, 'status');
  w.leaf(`${P}StatusCode`, h.statusCode).leaf(`${P}Description`, h.description).leaf(`${P}Timestamp`, h.timestamp);
  w.close();
}

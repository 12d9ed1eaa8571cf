/**
 * Typed edXML packages (QCVN 102:2016), ../shared/domain/edxml.md.
 *
 * The objects mirror the wire: every value is the text as written (dates are normalised to YYYY/MM/DD when
 * read leniently, edxml.md §7), enumerations stay strings so that a package the axis sends with an unknown
 * value can still be read, stored and reported on. Typed readings of enumerations live in ./codes.
 *
 * Conventions that make build∘parse exact:
 * - a mandatory leaf is a `string` (an absent element reads as ''), an optional leaf is `?: string` (absent
 *   element: property omitted; empty element: '');
 * - a repeatable element is an array (absent or empty container: []);
 * - an optional block is an object whose fields are all optional ({} when absent).
 */

export type StatusCode = string;

export type FaultSeverity = 'error' | 'warning';

export interface ValidationFault {
  /** Element path with local names, 1-based index on repeatable elements: 'edXML/edXMLEnvelope/…/To[2]/OrganId'. */
  path: string;
  /** Stable English code, e.g. 'required', 'invalid_agency_code'. */
  code: string;
  /** Vietnamese explanation for the clerk. */
  message: string;
  severity: FaultSeverity;
}

/** From / To / (status) From: an agency as edXML describes it. */
export interface Organization {
  organId: string;
  organizationInCharge?: string;
  organName?: string;
  organAdd?: string;
  email?: string;
  telephone?: string;
  fax?: string;
  website?: string;
}

/** ResponseFor: the document a package answers, revokes or reports on. */
export interface ResponseFor {
  organId?: string;
  /** `number/notation`, e.g. '1234/UBND-VP'. */
  code?: string;
  promulgationDate?: string;
  documentId?: string;
}

export interface StaffInfo {
  department?: string;
  staff?: string;
  email?: string;
  mobile?: string;
}

export interface DocumentHeader {
  from: Organization;
  to: Organization[];
  /** Code/CodeNumber (số) and Code/CodeNotation (ký hiệu). */
  code: { codeNumber: string; codeNotation: string };
  promulgationInfo: { place?: string; promulgationDate?: string };
  documentType: { type: string; typeDetail?: string; typeName?: string };
  subject: string;
  content?: string;
  signerInfo: { competence?: string; position?: string; fullName?: string };
  dueDate?: string;
  /** ToPlaces/Place: printed "Nơi nhận" lines. */
  toPlaces: string[];
  otherInfo: {
    priority: string;
    sphereOfPromulgation?: string;
    typerNotation?: string;
    promulgationAmount?: string;
    pageAmount?: string;
    direction?: string;
    appendixes: string[];
  };
  responseFor: ResponseFor[];
  steeringType?: string;
  documentId?: string;
}

export interface TraceHeader {
  organId: string;
  timestamp: string;
}

export interface Receiver {
  organId: string;
  /** '0' removed from the recipients, '1' newly added. */
  receiverType: string;
}

/** TraceHeaderList/Bussiness (frozen misspelling on the wire). */
export interface Business {
  /** BussinessDocType: '0' new, '1' revoke, '2' update, '3' replace. */
  bussinessDocType: string;
  bussinessDocReason?: string;
  /** Update/revoke: DocumentId of the target document. */
  documentId?: string;
  paper?: string;
  /** BussinessDocumentInfo (update only). */
  bussinessDocumentInfo?: { documentInfo?: string; documentReceiver?: string; receiverList: Receiver[] };
  /** ReplacementInfoList/ReplacementInfo (replace only). */
  replacementInfoList: { documentId: string; organIdList: string[] }[];
  staffInfo?: StaffInfo;
}

/** A file carried in the package: manifest Reference + AttachmentEncoded/Attachment, joined by ContentId. */
export interface Attachment {
  /** ContentId without the 'cid:' prefix (written back as 'cid:<id>'). */
  contentId: string;
  /** AttachmentName. */
  name: string;
  contentType: string;
  description?: string;
  data: Buffer;
  /** Byte length of data. */
  size: number;
  /** Lower-case hex SHA-256 of data. */
  sha256: string;
}

export interface DocumentPackage {
  kind: 'document';
  header: DocumentHeader;
  traceHeaders: TraceHeader[];
  business?: Business;
  attachments: Attachment[];
  /** A Signature element was present (as last child of edXMLHeader); it is verified by ./signature, not here. */
  signed: boolean;
  /** Faults found while reading that the typed object cannot hold (unknown elements, manifest conflicts). */
  readFaults?: ValidationFault[];
}

export interface StatusHeader {
  from: Organization;
  responseFor: ResponseFor;
  staffInfo: StaffInfo;
  statusCode: StatusCode;
  description?: string;
  timestamp: string;
}

export interface StatusPackage {
  kind: 'status';
  header: StatusHeader;
  signed: boolean;
  readFaults?: ValidationFault[];
}

export type EdxmlPackage = DocumentPackage | StatusPackage;

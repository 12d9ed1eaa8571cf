/**
 * edXML packages (QCVN 102:2016): typed objects, canonical build, safe namespace-aware parse, validation.
 * Pure: no I/O except reading a stream the caller hands over (readPackageStream).
 * The XML signature lives in ./signature (it inserts/verifies the Signature element on the built XML).
 */
export type {
  Attachment,
  Business,
  DocumentHeader,
  DocumentPackage,
  EdxmlPackage,
  FaultSeverity,
  Organization,
  Receiver,
  ResponseFor,
  StaffInfo,
  StatusCode,
  StatusHeader,
  StatusPackage,
  TraceHeader,
  ValidationFault,
} from './model';
export { DEFAULT_LIMITS, resolveLimits, type PackageLimits } from './limits';
export { EdxmlParseError, PARSE_ERROR_MESSAGES_VI, type EdxmlParseErrorCode } from './errors';
export { parsePackage, parsePackageStream, readPackageStream, type ParseOptions } from './parse-package';
export { buildPackage, EdxmlBuildError } from './build-package';
export { validatePackage, isValidPackage, type ValidateOptions } from './validate-package';
export { faultMessage, hasErrors, type FaultCode } from './faults';
export { createAttachment, decodeBase64Strict, sha256Hex, stripCid } from './attachments';
export {
  BUSINESS_TYPE_CODES,
  STATUS_CODES,
  businessTypeOf,
  checkStatusTransition,
  classifyStatusCode,
  mayFollow,
  priorityOf,
  urgencyOf,
  type BusinessType,
  type TransitionVerdict,
  type Urgency,
} from './codes';
export { formatTimestamp, isValidDate, isValidTimestamp, normalizeDate, normalizeTimestamp, vietnamToday } from './dates';
export { parseDocumentId, type ParsedDocumentId } from './validate-common';
export { splitBase64Payloads, type SplitPayloads } from './safe-xml';
export { EDXML_NS, XMLDSIG_NS } from './namespaces';

/**
 * Certificates, keys and document signatures (see README.md beside this file). The package (XML) signature is in
 * ../edxml/signature.ts and ../edxml/signature-verify.ts.
 */
export { type SigningCredential, CredentialError, credentialToPkcs12, loadPem, loadPkcs12 } from './credentials';
export {
  type CertificateInput,
  type CertificateSummary,
  CertificateReadError,
  agencyCodeOf,
  readCertificates,
  summariseCertificate,
} from './certificates';
export { type CrlInput, checkRevocation, readCrl } from './crl';
export { checkCertificateChain } from './trust';
export { VERIFICATION_REASONS_VI, type VerificationFailure, type VerificationFailureCode } from './reasons';
export {
  type TestAgency,
  type TestPki,
  type TestSigner,
  ensureTestPki,
  loadTestCredential,
  revokeTestCertificate,
} from './test-ca';
export {
  DocumentSignatureError,
  addAttachmentSignature,
  addOrganisationSignature,
  addPersonalSignature,
  vietnamIsoTime,
} from './pdf/document-signatures';
export { type PdfSignatureReport, type PdfVerification, verifyPdfSignatures } from './pdf/verify-pdf';

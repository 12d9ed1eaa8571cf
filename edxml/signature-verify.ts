import type { Document, Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import {
  type CertificateInput,
  type CertificateSummary,
  agencyCodeOf,
  certificateFromBase64,
  certificateToPem,
  isPersonalCertificate,
  summariseCertificate,
} from '../signing/certificates';
import { type CrlInput, checkPathRevocation } from '../signing/crl';
import { type VerificationFailure, failure } from '../signing/reasons';
import { checkCertificateChain } from '../signing/trust';
import { DEFAULT_LIMITS } from './limits';
import { EDXML_NS, XMLDSIG_NS } from './namespaces';
import { ALGORITHMS, CANONICALIZATIONS, DIGEST_METHODS, SIGNATURE_METHODS } from './signature-algorithms';
import {
  PackageDomError,
  edxmlChild,
  elementChildren,
  elementsNamed,
  headerOf,
  parsePackageDom,
  textOf,
  withoutBom,
} from './signature-dom';
import { type SigningTimeSource, signingTimeOf } from './signature-time';
import { EdxmlEnvelopedSignature } from './signature-transform';

/**
 * Verifies the package signature (edxml.md §4): exactly one Signature, the last child of edXMLHeader, whose single
 * Reference covers the whole document (URI=""); the digest and signature value (xml-crypto); the certificate chain
 * to the configured roots and its validity at the signing time (signature-time.ts); revocation against the
 * configured CRLs (all of them must be current; with no `crls` option revocation is not checked and the result
 * says so); and that the certificate is an organisation certificate of the sending agency (signing/certificates.ts).
 */
export interface VerifyPackageOptions {
  trustedRoots: CertificateInput[];
  crls?: CrlInput[];
  /** RSA-SHA1 / SHA-1 (2016 samples) are refused unless this is true. */
  allowSha1?: boolean;
  /** Defaults to the package's MessageHeader/From/OrganId. */
  expectedSenderAgencyCode?: string;
  /** Overrides the signing time read from the package. */
  signingTime?: Date;
  /** Defaults to the package size limit of edxml/limits.ts. */
  maxBytes?: number;
  /** The verifier's clock, for the "not in the future" and CRL freshness checks. */
  now?: Date;
}

export interface PackageSignatureVerified {
  ok: true;
  signer: Pick<CertificateSummary, 'subject' | 'agencyCode' | 'serial' | 'notBefore' | 'notAfter'>;
  /** e.g. RSA-SHA256 */
  algorithm: string;
  digestAlgorithm: string;
  signingTime: Date;
  signingTimeSource: SigningTimeSource;
  revocationChecked: boolean;
}

export type PackageSignatureCheck = PackageSignatureVerified | VerificationFailure;

const CLOCK_SKEW_MS = 5 * 60 * 1000;

export async function verifyPackageXml(input: string, options: VerifyPackageOptions): Promise<PackageSignatureCheck> {
  const xml = withoutBom(input);
  const now = options.now ?? new Date();
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxPackageBytes;
  // The UTF-16 length never exceeds the UTF-8 byte length, so it refuses most oversized input without counting.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
    return failure('too_large', `package larger than ${maxBytes} bytes`);
  }
  let doc: Document;
  try {
    doc = parsePackageDom(xml);
  } catch (error) {
    if (error instanceof PackageDomError) return failure(error.code, error.message);
    throw error;
  }

  const located = locateSignature(doc);
  if (!located.ok) return located;
  const shape = readSignedInfo(located.signature, options.allowSha1 === true);
  if (!shape.ok) return shape;
  const certificates = readCertificatesOf(located.signature);
  if (!certificates.ok) return certificates;
  const [leaf, ...intermediates] = certificates.list;

  const cryptoCheck = checkSignatureValue(xml, located.signature, leaf);
  if (cryptoCheck) return cryptoCheck;

  const messageHeader = edxmlChild(located.header, 'MessageHeader');
  const from = messageHeader ? edxmlChild(messageHeader, 'From') : null;
  const senderCode = options.expectedSenderAgencyCode ?? textOf(from ? edxmlChild(from, 'OrganId') : null);

  const time = signingTimeOf(doc, senderCode, options.signingTime);
  if (!time.ok) return failure('signing_time_invalid', time.detail);
  if (time.time.at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return failure('signing_time_invalid', `signing time ${time.time.at.toISOString()} is in the future`);
  }

  const chain = checkCertificateChain({ leaf, intermediates, trustedRoots: options.trustedRoots, at: time.time.at });
  if (!chain.ok) return failure(chain.code, chain.detail);

  if (options.crls) {
    const revocation = await checkPathRevocation({ path: chain.path, root: chain.root, crls: options.crls, now });
    if (!revocation.ok) return failure(revocation.code, revocation.detail);
  }

  if (isPersonalCertificate(leaf)) {
    return failure('not_organisation_certificate', 'the package is signed with a personal certificate');
  }
  const certificateAgency = agencyCodeOf(leaf);
  if (!senderCode || certificateAgency !== senderCode) {
    return failure(
      'agency_mismatch',
      `certificate agency code ${certificateAgency ?? '(none)'} does not match sender ${senderCode ?? '(none)'}`,
    );
  }

  const { subject, agencyCode, serial, notBefore, notAfter } = summariseCertificate(leaf);
  return {
    ok: true,
    signer: { subject, agencyCode, serial, notBefore, notAfter },
    algorithm: SIGNATURE_METHODS[shape.signatureMethod].name,
    digestAlgorithm: DIGEST_METHODS[shape.digestMethod].name,
    signingTime: time.time.at,
    signingTimeSource: time.time.source,
    revocationChecked: options.crls !== undefined,
  };
}

type Located = { ok: true; signature: Element; header: Element } | VerificationFailure;

/** Exactly one Signature in the whole document, and it is the last element of edXMLHeader. */
function locateSignature(doc: Document): Located {
  const signatures = elementsNamed(doc, 'Signature');
  if (signatures.length === 0) return failure('signature_missing', 'no Signature element');
  if (signatures.length > 1) return failure('multiple_signatures', `${signatures.length} Signature elements`);
  const header = headerOf(doc);
  if (!header) return failure('not_edxml', 'no single edXMLEnvelope/edXMLHeader');
  const signature = signatures[0];
  const children = elementChildren(header);
  if (children[children.length - 1] !== signature) {
    return failure('signature_misplaced', 'Signature is not the last child of edXMLHeader');
  }
  if (signature.namespaceURI !== XMLDSIG_NS && signature.namespaceURI !== EDXML_NS) {
    return failure('signature_malformed', `Signature in unexpected namespace ${signature.namespaceURI ?? '(none)'}`);
  }
  if (elementsNamed(doc, 'SignedInfo').length !== 1) return failure('signature_malformed', 'expected one SignedInfo');
  return { ok: true, signature, header };
}

type Shape = { ok: true; signatureMethod: string; digestMethod: string } | VerificationFailure;

/** One Reference with URI="" and only the enveloped-signature (+ optional c14n) transforms; allowed algorithms. */
function readSignedInfo(signature: Element, allowSha1: boolean): Shape {
  const signedInfo = onlyChild(signature, 'SignedInfo');
  if (!signedInfo) return failure('signature_malformed', 'Signature needs one SignedInfo');
  const canonicalization = algorithmOf(onlyChild(signedInfo, 'CanonicalizationMethod'));
  const signatureMethod = algorithmOf(onlyChild(signedInfo, 'SignatureMethod'));
  const references = elementChildren(signedInfo, 'Reference');
  if (references.length !== 1) return failure('signature_malformed', `expected one Reference, found ${references.length}`);
  const reference = references[0];
  if (!reference.hasAttribute('URI') || reference.getAttribute('URI') !== '') {
    return failure('signature_malformed', 'the Reference must cover the whole document (URI="")');
  }
  const transformsElement = onlyChild(reference, 'Transforms');
  const transforms = transformsElement ? elementChildren(transformsElement, 'Transform').map((t) => algorithmOf(t)) : [];
  const digestMethod = algorithmOf(onlyChild(reference, 'DigestMethod'));
  if (!onlyChild(reference, 'DigestValue')) return failure('signature_malformed', 'Reference has no DigestValue');

  // Algorithms first: the usual refusal (SHA-1 samples) gets the clearest reason.
  const method = signatureMethod ? SIGNATURE_METHODS[signatureMethod] : undefined;
  const digest = digestMethod ? DIGEST_METHODS[digestMethod] : undefined;
  if (!method || !digest) {
    return failure('algorithm_not_allowed', `algorithm not supported: ${signatureMethod ?? '(none)'} / ${digestMethod ?? '(none)'}`);
  }
  if ((method.legacy || digest.legacy) && !allowSha1) {
    return failure('algorithm_not_allowed', `${method.name} with ${digest.name} needs the allowSha1 option`);
  }
  if (!canonicalization || !CANONICALIZATIONS.has(canonicalization)) {
    return failure('algorithm_not_allowed', `canonicalization ${canonicalization ?? '(none)'} not supported`);
  }
  const okTransforms =
    transforms[0] === ALGORITHMS.envelopedSignature &&
    (transforms.length === 1 || (transforms.length === 2 && CANONICALIZATIONS.has(transforms[1] ?? '')));
  if (!okTransforms) {
    return failure('algorithm_not_allowed', `transforms not supported: ${transforms.join(', ') || '(none)'}`);
  }
  return { ok: true, signatureMethod: signatureMethod!, digestMethod: digestMethod! };
}

type Certificates = { ok: true; list: ReturnType<typeof certificateFromBase64>[] } | VerificationFailure;

function readCertificatesOf(signature: Element): Certificates {
  const keyInfo = onlyChild(signature, 'KeyInfo');
  const encoded = keyInfo
    ? elementChildren(keyInfo, 'X509Data').flatMap((data) => elementChildren(data, 'X509Certificate'))
    : [];
  if (encoded.length === 0) return failure('certificate_unreadable', 'no KeyInfo/X509Data/X509Certificate');
  try {
    return { ok: true, list: encoded.map((element) => certificateFromBase64(textOf(element) ?? '')) };
  } catch (error) {
    return failure('certificate_unreadable', (error as Error).message);
  }
}

/**
 * xml-crypto checks the reference digest, then the signature value over SignedInfo, with the key of the certificate
 * we read ourselves (never a key it would pick from KeyInfo on its own). Returns null when both hold.
 */
function checkSignatureValue(
  xml: string,
  signature: Element,
  leaf: ReturnType<typeof certificateFromBase64>,
): VerificationFailure | null {
  const verifier = new SignedXml({ publicCert: certificateToPem(leaf), getCertFromKeyInfo: () => null });
  verifier.CanonicalizationAlgorithms[ALGORITHMS.envelopedSignature] = EdxmlEnvelopedSignature;
  try {
    verifier.loadSignature(signature as never);
    if (verifier.checkSignature(xml)) return null;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/signature value .* is incorrect/i.test(message)) return failure('signature_invalid', 'SignatureValue does not verify');
    return failure('signature_malformed', message.slice(0, 300));
  }
  return failure('digest_mismatch', 'reference digest does not match the document');
}

function onlyChild(parent: Element, localName: string): Element | null {
  const found = elementChildren(parent, localName);
  return found.length === 1 ? found[0] : null;
}

function algorithmOf(element: Element | null): string | null {
  return element?.getAttribute('Algorithm') ?? null;
}

import { SignedXml } from 'xml-crypto';
import { certificateToDer, distinguishedName } from '../signing/certificates';
import type { SigningCredential } from '../signing/credentials';
import { privateKeyToPem } from '../signing/keys';
import { ALGORITHMS } from './signature-algorithms';
import { PackageDomError, elementsNamed, headerOf, parsePackageDom, withoutBom } from './signature-dom';
import { EdxmlEnvelopedSignature } from './signature-transform';

/**
 * The sending agency's package signature (edxml.md §4, §8): an enveloped XML-DSig over the whole document
 * (Reference URI=""), RSA-SHA256, exclusive canonicalisation, KeyInfo/X509Data with X509SubjectName and the
 * certificate(s), appended as the last child of edXMLHeader. Made by xml-crypto; keys come from node-forge.
 */
export class PackageSigningError extends Error {
  override name = 'PackageSigningError';
  constructor(
    readonly code: 'unsafe_xml' | 'malformed_xml' | 'not_edxml' | 'already_signed',
    message: string,
  ) {
    super(message);
  }
}

const HEADER_XPATH =
  "/*[local-name()='edXML']/*[local-name()='edXMLEnvelope']/*[local-name()='edXMLHeader']";

export function signPackageXml(input: string, credential: SigningCredential): string {
  const xml = withoutBom(input);
  let headerFound: boolean;
  try {
    const doc = parsePackageDom(xml);
    if (elementsNamed(doc, 'Signature').length > 0) {
      throw new PackageSigningError('already_signed', 'the package already carries a Signature');
    }
    headerFound = headerOf(doc) !== null;
  } catch (error) {
    if (error instanceof PackageDomError) throw new PackageSigningError(error.code, error.message);
    throw error;
  }
  if (!headerFound) throw new PackageSigningError('not_edxml', 'the package has no single edXMLEnvelope/edXMLHeader');

  const signer = new SignedXml({
    privateKey: privateKeyToPem(credential.privateKey),
    signatureAlgorithm: ALGORITHMS.rsaSha256,
    canonicalizationAlgorithm: ALGORITHMS.excC14n,
    getKeyInfoContent: () => keyInfoContent(credential),
  });
  signer.CanonicalizationAlgorithms[ALGORITHMS.envelopedSignature] = EdxmlEnvelopedSignature;
  signer.addReference({
    xpath: '/*',
    uri: '',
    isEmptyUri: true,
    transforms: [ALGORITHMS.envelopedSignature, ALGORITHMS.excC14n],
    digestAlgorithm: ALGORITHMS.sha256,
  });
  signer.computeSignature(xml, { location: { reference: HEADER_XPATH, action: 'append' } });
  return signer.getSignedXml();
}

/** The signer's certificate first, then the issuers that are not self-signed roots (a verifier has those). */
function keyInfoContent(credential: SigningCredential): string {
  const certificates = [credential.certificate, ...credential.chain.filter((c) => !c.isIssuer(c))];
  const encoded = certificates
    .map((c) => `<X509Certificate>${certificateToDer(c).toString('base64')}</X509Certificate>`)
    .join('');
  return `<X509Data><X509SubjectName>${escapeXml(distinguishedName(credential.certificate.subject))}</X509SubjectName>${encoded}</X509Data>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import type forge from 'node-forge';
import * as pkijs from 'pkijs';
import { certificateFromDer } from '../certificates';
import { pkijsEngine } from '../pkijs-engine';

/**
 * Reads a detached CMS SignedData (a PDF signature's /Contents) and checks it against the bytes it claims to sign:
 * the messageDigest attribute against our own hash of the bytes, and the signature over the signed attributes
 * (pkijs). Certificates come back as node-forge objects for the shared chain check (signing/trust.ts).
 */
export type CmsInspection =
  | {
      ok: true;
      signer: forge.pki.Certificate;
      others: forge.pki.Certificate[];
      signingTime: Date | null;
      /** The digest, e.g. sha256; SHA-1 anywhere (digest or signature algorithm) reads as 'sha1'. */
      digestAlgorithm: string;
      digestMatches: boolean;
      signatureValid: boolean;
    }
  | { ok: false; detail: string };

const OID = {
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signedData: '1.2.840.113549.1.7.2',
};
const SHA1_WITH_RSA = '1.2.840.113549.1.1.5';
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};

export async function inspectCms(contents: Uint8Array, signedBytes: Buffer): Promise<CmsInspection> {
  let signedData: pkijs.SignedData;
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(contents);
    if (contentInfo.contentType !== OID.signedData) return { ok: false, detail: 'CMS content is not SignedData' };
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    return { ok: false, detail: `unreadable CMS: ${(error as Error).message}` };
  }
  if (signedData.signerInfos.length !== 1) {
    return { ok: false, detail: `expected one SignerInfo, found ${signedData.signerInfos.length}` };
  }
  const signerInfo = signedData.signerInfos[0];
  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  const digestName = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  const claimed = attributes.find((a) => a.type === OID.messageDigest)?.values[0];
  if (!digestName || !(claimed instanceof asn1js.OctetString)) {
    return { ok: false, detail: 'CMS lacks a supported digest algorithm or a messageDigest attribute' };
  }
  const actual = createHash(digestName).update(signedBytes).digest();
  const digestMatches = Buffer.from(claimed.valueBlock.valueHexView).equals(actual);

  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = signerInfo.sid;
  const signerIndex = certificates.findIndex(
    (c) =>
      sid instanceof pkijs.IssuerAndSerialNumber && c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber),
  );
  if (signerIndex < 0) return { ok: false, detail: 'the signer certificate is not in the CMS' };

  let signatureValid = false;
  try {
    const data = new Uint8Array(signedBytes).buffer;
    const result = await signedData.verify({ signer: 0, data, checkChain: false, extendedMode: true }, pkijsEngine);
    signatureValid = result.signatureVerified === true;
  } catch {
    signatureValid = false;
  }

  const toForge = (c: pkijs.Certificate) => certificateFromDer(Buffer.from(c.toSchema().toBER()));
  const time = attributes.find((a) => a.type === OID.signingTime)?.values[0];
  const signingTime = time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : null;
  return {
    ok: true,
    signer: toForge(certificates[signerIndex]),
    others: certificates.filter((_, i) => i !== signerIndex).map(toForge),
    signingTime,
    digestAlgorithm: signerInfo.signatureAlgorithm.algorithmId === SHA1_WITH_RSA ? 'sha1' : digestName,
    digestMatches,
    signatureValid: digestMatches && signatureValid,
  };
}

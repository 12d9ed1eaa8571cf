import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { pkijsEngine, toPkijsCertificate, toSigningCryptoKey } from './pkijs-engine';

/**
 * Certificate revocation lists: reading (PEM or DER), issuing (for the test CA) and checking a certificate against
 * the configured lists. node-forge has no CRL support, so this uses pkijs; the list's own signature is always
 * checked against the issuer certificate before a single entry is believed.
 */
export type CrlInput = string | Buffer;

export class CrlReadError extends Error {
  override name = 'CrlReadError';
}

export function readCrl(input: CrlInput): pkijs.CertificateRevocationList {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  let der: Buffer;
  if (text.includes('-----BEGIN')) {
    const block = forge.pem.decode(text).find((b) => b.type === 'X509 CRL');
    if (!block) throw new CrlReadError('no X509 CRL block in PEM input');
    der = Buffer.from(block.body, 'binary');
  } else {
    der = Buffer.isBuffer(input) ? input : Buffer.from(input, 'latin1');
  }
  try {
    return pkijs.CertificateRevocationList.fromBER(der);
  } catch (error) {
    throw new CrlReadError(`unreadable CRL: ${(error as Error).message}`);
  }
}

export function crlToPem(crl: pkijs.CertificateRevocationList): string {
  const der = Buffer.from(crl.toSchema(true).toBER());
  return forge.pem.encode({ type: 'X509 CRL', body: der.toString('binary') }, { maxline: 64 });
}

export interface RevokedEntry {
  /** Certificate serial number in hexadecimal. */
  serial: string;
  revokedAt: Date;
}

export interface IssueCrlOptions {
  issuerCertificate: forge.pki.Certificate;
  issuerKey: forge.pki.rsa.PrivateKey;
  revoked: RevokedEntry[];
  thisUpdate: Date;
  nextUpdate: Date;
}

export async function issueCrl(options: IssueCrlOptions): Promise<pkijs.CertificateRevocationList> {
  const issuer = toPkijsCertificate(options.issuerCertificate);
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    issuer: issuer.subject,
    thisUpdate: new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: options.thisUpdate }),
    nextUpdate: new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: options.nextUpdate }),
  });
  if (options.revoked.length > 0) {
    crl.revokedCertificates = options.revoked.map(
      (entry) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({ valueHex: serialBytes(entry.serial) }),
          revocationDate: new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: entry.revokedAt }),
        }),
    );
  }
  await crl.sign(await toSigningCryptoKey(options.issuerKey), 'SHA-256', pkijsEngine);
  return crl;
}

function serialBytes(serialHex: string): ArrayBuffer {
  const even = serialHex.length % 2 === 0 ? serialHex : `0${serialHex}`;
  return new Uint8Array(Buffer.from(even, 'hex')).buffer;
}

export type RevocationCheck =
  | { ok: true }
  | { ok: false; code: 'certificate_revoked'; detail: string; revokedAt: Date }
  | { ok: false; code: 'crl_invalid' | 'revocation_unknown'; detail: string };

export interface RevocationCheckOptions {
  certificate: forge.pki.Certificate;
  issuer: forge.pki.Certificate;
  crls: CrlInput[];
  /** A list whose nextUpdate is before this moment is stale and proves nothing. */
  now?: Date;
}

/**
 * Looks the certificate up in the lists its issuer signed. Any listed certificate is refused, whatever the
 * revocation date: the signing time we know is the one the signer claims, so it cannot put a signature "before"
 * a revocation.
 */
export async function checkRevocation(options: RevocationCheckOptions): Promise<RevocationCheck> {
  const now = options.now ?? new Date();
  const certificate = toPkijsCertificate(options.certificate);
  const issuer = toPkijsCertificate(options.issuer);
  let sawStale = false;
  for (const input of options.crls) {
    let crl: pkijs.CertificateRevocationList;
    try {
      crl = readCrl(input);
    } catch (error) {
      return { ok: false, code: 'crl_invalid', detail: (error as Error).message };
    }
    if (!crl.issuer.isEqual(certificate.issuer)) continue;
    const signatureOk = await crl.verify({ issuerCertificate: issuer }, pkijsEngine).catch(() => false);
    if (!signatureOk) return { ok: false, code: 'crl_invalid', detail: 'CRL signature does not verify with the issuer key' };
    if (crl.nextUpdate && crl.nextUpdate.value < now) {
      sawStale = true;
      continue;
    }
    const entry = crl.revokedCertificates?.find((revoked) => revoked.userCertificate.isEqual(certificate.serialNumber));
    if (entry) {
      const revokedAt = entry.revocationDate.value;
      return {
        ok: false,
        code: 'certificate_revoked',
        detail: `certificate ${options.certificate.serialNumber.toUpperCase()} revoked at ${revokedAt.toISOString()}`,
        revokedAt,
      };
    }
    return { ok: true };
  }
  return {
    ok: false,
    code: 'revocation_unknown',
    detail: sawStale ? 'the CRL of the issuer is past its nextUpdate' : 'no configured CRL was issued by the certificate issuer',
  };
}

/** Every certificate on a validated path except the self-signed root, each against its issuer's list. */
export async function checkPathRevocation(options: {
  path: forge.pki.Certificate[];
  root: forge.pki.Certificate;
  crls: CrlInput[];
  now?: Date;
}): Promise<RevocationCheck> {
  const issued = options.path.filter((certificate) => !certificate.isIssuer(certificate));
  for (const [index, certificate] of issued.entries()) {
    const issuer = options.path[index + 1] ?? options.root;
    const result = await checkRevocation({ certificate, issuer, crls: options.crls, now: options.now });
    if (!result.ok) return result;
  }
  return { ok: true };
}

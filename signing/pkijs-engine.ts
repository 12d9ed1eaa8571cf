import { webcrypto } from 'node:crypto';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { certificateToDer } from './certificates';

/**
 * pkijs glue. An explicit engine over Node's WebCrypto is passed to every pkijs call, so nothing depends on
 * pkijs's process-wide engine setting.
 */
export const pkijsEngine = new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as never });

export function toPkijsCertificate(certificate: forge.pki.Certificate): pkijs.Certificate {
  return pkijs.Certificate.fromBER(certificateToDer(certificate));
}

/** A forge RSA private key as a WebCrypto signing key (RSASSA-PKCS1-v1_5 with SHA-256). */
export async function toSigningCryptoKey(key: forge.pki.rsa.PrivateKey): Promise<webcrypto.CryptoKey> {
  const pkcs8 = forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).getBytes();
  return (await webcrypto.subtle.importKey(
    'pkcs8',
    Buffer.from(pkcs8, 'binary'),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  ));
}

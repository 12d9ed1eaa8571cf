import forge from 'node-forge';
import { readCertificates } from './certificates';
import { keysMatch } from './keys';

/**
 * A signing credential: a private key, its certificate and the issuing certificates that travel with it.
 * Loaded from PKCS#12 (.p12/.pfx, password protected) or PEM, both through node-forge.
 */
export interface SigningCredential {
  privateKey: forge.pki.rsa.PrivateKey;
  certificate: forge.pki.Certificate;
  /** Issuer certificates, closest first; may be empty when the trusted root issued the certificate directly. */
  chain: forge.pki.Certificate[];
}

export type CredentialErrorCode = 'wrong_password' | 'unreadable' | 'no_private_key' | 'no_matching_certificate';

export class CredentialError extends Error {
  override name = 'CredentialError';
  constructor(
    readonly code: CredentialErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function loadPkcs12(data: Buffer, password: string): SigningCredential {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(data.toString('binary'));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (error) {
    const message = (error as Error).message ?? '';
    // forge reports a failed MAC check (the usual symptom of a wrong password) in these words.
    if (/MAC could not be verified|Invalid password/i.test(message)) {
      throw new CredentialError('wrong_password', 'PKCS#12 password is wrong');
    }
    throw new CredentialError('unreadable', `unreadable PKCS#12 file: ${message}`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const privateKey = keyBags.find((bag) => bag.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!privateKey) throw new CredentialError('no_private_key', 'PKCS#12 file holds no RSA private key');
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined);
  return assemble(privateKey, certificates);
}

/** PEM private key (PKCS#1, PKCS#8 or encrypted PKCS#8 with a password) and PEM certificate(s), leaf first or not. */
export function loadPem(keyPem: string, certificatePem: string, password?: string): SigningCredential {
  let privateKey: forge.pki.rsa.PrivateKey | null;
  try {
    privateKey = keyPem.includes('ENCRYPTED')
      ? forge.pki.decryptRsaPrivateKey(keyPem, password ?? '')
      : (forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey);
  } catch (error) {
    throw new CredentialError('unreadable', `unreadable PEM private key: ${(error as Error).message}`);
  }
  // forge returns null instead of throwing when decryption fails.
  if (!privateKey) throw new CredentialError('wrong_password', 'PEM private key password is wrong');
  return assemble(privateKey, readCertificates(certificatePem));
}

function assemble(privateKey: forge.pki.rsa.PrivateKey, certificates: forge.pki.Certificate[]): SigningCredential {
  const certificate = certificates.find((cert) => keysMatch(privateKey, cert.publicKey));
  if (!certificate) {
    throw new CredentialError('no_matching_certificate', 'no certificate matches the private key');
  }
  return { privateKey, certificate, chain: orderIssuers(certificate, certificates.filter((c) => c !== certificate)) };
}

/** Follows issuer links from the certificate through the others, so the chain reads closest issuer first. */
function orderIssuers(leaf: forge.pki.Certificate, others: forge.pki.Certificate[]): forge.pki.Certificate[] {
  const ordered: forge.pki.Certificate[] = [];
  const remaining = [...others];
  let current = leaf;
  while (!current.isIssuer(current)) {
    const index = remaining.findIndex((candidate) => current.isIssuer(candidate));
    if (index < 0) break;
    current = remaining.splice(index, 1)[0];
    ordered.push(current);
  }
  return [...ordered, ...remaining];
}

/** PKCS#12 bytes for a credential, encrypted with AES-256 under the password. */
export function credentialToPkcs12(credential: SigningCredential, password: string, friendlyName?: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    credential.privateKey,
    [credential.certificate, ...credential.chain],
    password,
    // forge writes a friendlyName attribute whenever the key is present, even when undefined.
    friendlyName === undefined ? { algorithm: 'aes256' } : { algorithm: 'aes256', friendlyName },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

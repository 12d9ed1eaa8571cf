import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/**
 * RSA key pairs as node-forge objects. Generation runs in node:crypto (native), because node-forge's pure
 * JavaScript key generation takes seconds per 2048-bit key.
 */
export function generateRsaKeyPair(bits = 2048): forge.pki.rsa.KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }) as string),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ format: 'pem', type: 'spki' }) as string),
  };
}

/** PKCS#1 PEM of a forge private key, the form xml-crypto and node:crypto accept. */
export function privateKeyToPem(key: forge.pki.rsa.PrivateKey): string {
  return forge.pki.privateKeyToPem(key);
}

/** True when the public key is the one that belongs to the private key. */
export function keysMatch(privateKey: forge.pki.rsa.PrivateKey, publicKey: forge.pki.PublicKey): boolean {
  const rsaPublic = publicKey as forge.pki.rsa.PublicKey;
  return privateKey.n.equals(rsaPublic.n) && privateKey.e.equals(rsaPublic.e);
}

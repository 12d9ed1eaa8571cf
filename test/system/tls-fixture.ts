import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

interface Issued {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  certPem: string;
  keyPem: string;
}

/** Keys from node:crypto (fast); certificates built and signed with node-forge. */
function issue(options: {
  commonName: string;
  issuer?: Issued;
  ca?: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
  usage?: 'server' | 'client';
}): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: options.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: Boolean(options.ca), critical: true }];
  if (options.ca) {
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  } else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
    extensions.push({ name: 'extKeyUsage', serverAuth: options.usage === 'server', clientAuth: options.usage === 'client' });
  }
  const altNames = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(options.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  cert.sign(options.issuer?.key ?? key, forge.md.sha256.create());
  return { cert, key, certPem: forge.pki.certificateToPem(cert), keyPem };
}

export interface TlsFiles {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  /** PEM files a Temporal client reads through TEMPORAL_TLS_*. */
  caFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

/** A CA, a server certificate for `serverName` only, and a client certificate, written under `dir`. */
export function createTlsFiles(dir: string, serverName: string): TlsFiles {
  const ca = issue({ commonName: 'Liên Thông test CA', ca: true });
  const server = issue({ commonName: serverName, issuer: ca, dnsNames: [serverName], usage: 'server' });
  const client = issue({ commonName: 'lien-thong-app', issuer: ca, usage: 'client' });
  const files = {
    caFile: path.join(dir, 'ca.pem'),
    clientCertFile: path.join(dir, 'client.pem'),
    clientKeyFile: path.join(dir, 'client.key'),
  };
  writeFileSync(files.caFile, ca.certPem);
  writeFileSync(files.clientCertFile, client.certPem);
  writeFileSync(files.clientKeyFile, client.keyPem, { mode: 0o600 });
  return { caPem: ca.certPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem, ...files };
}

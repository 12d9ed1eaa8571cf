import { randomBytes, randomInt } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import forge from 'node-forge';
import { certificateToPem, readCertificate } from './certificates';
import { type Issuer, agencySubject, issueCertificate, rootSubject, signerSubject } from './certificate-issuer';
import { type RevokedEntry, crlToPem, issueCrl, readCrl } from './crl';
import { type SigningCredential, credentialToPkcs12, loadPkcs12 } from './credentials';
import { generateRsaKeyPair } from './keys';

/**
 * The test certificate authority for tests and the demo: one root, one organisation certificate per demo agency and
 * one personal certificate per signer, written under a folder the caller chooses (e.g. DATA_DIR/pki) on first
 * start and reused afterwards. Nothing here is ever committed: keys are generated on the machine that uses them.
 *
 * Layout: root/ca.key.pem + root/ca.cert.pem, crl.pem + revoked.json, agencies/<code>.p12 and
 * signers/<id>.p12, each with <name>.p12.password and <name>.cert.pem beside it. Secrets are mode 0600.
 */
export interface TestAgency {
  code: string;
  name: string;
}

export interface TestSigner {
  /** File-safe identifier, e.g. the user name. */
  id: string;
  fullName: string;
  agencyCode: string;
  position?: string;
}

export interface TestIdentityFiles {
  p12Path: string;
  passwordPath: string;
  certificatePath: string;
}

export interface TestPki {
  dir: string;
  rootCertificatePath: string;
  crlPath: string;
  agencies: Record<string, TestIdentityFiles>;
  signers: Record<string, TestIdentityFiles>;
}

export interface EnsureTestPkiOptions {
  dir: string;
  agencies: TestAgency[];
  signers?: TestSigner[];
  rootName?: string;
}

/** Certificates start in 2020 so that demo packages dated in the past still fall inside their validity. */
const VALID_FROM = new Date('2020-01-01T00:00:00Z');
const YEAR_MS = 365 * 24 * 3600 * 1000;
const CRL_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const SAFE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

export async function ensureTestPki(options: EnsureTestPkiOptions): Promise<TestPki> {
  const dir = path.resolve(options.dir);
  const signers = options.signers ?? [];
  for (const name of [...options.agencies.map((a) => a.code), ...signers.map((s) => s.id)]) {
    if (!SAFE_NAME.test(name)) throw new Error(`unsafe file name for a test identity: ${JSON.stringify(name)}`);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return withLock(dir, async () => {
    const root = await ensureRoot(dir, options.rootName ?? 'Liên Thông Test Root CA');
    const agencies: Record<string, TestIdentityFiles> = {};
    for (const agency of options.agencies) {
      agencies[agency.code] = await ensureIdentity(dir, 'agencies', agency.code, root, () => agencySubject(agency));
    }
    const result: Record<string, TestIdentityFiles> = {};
    for (const signer of signers) {
      const agency = options.agencies.find((a) => a.code === signer.agencyCode);
      if (!agency) throw new Error(`signer ${signer.id} names an agency that is not in the list: ${signer.agencyCode}`);
      result[signer.id] = await ensureIdentity(dir, 'signers', signer.id, root, () =>
        signerSubject({ ...signer, personalId: randomPersonalId(), agencyName: agency.name }),
      );
    }
    await ensureFreshCrl(dir, root);
    return {
      dir,
      rootCertificatePath: path.join(dir, 'root', 'ca.cert.pem'),
      crlPath: path.join(dir, 'crl.pem'),
      agencies,
      signers: result,
    };
  });
}

/** Loads the credential a test identity's files hold. */
export async function loadTestCredential(files: TestIdentityFiles): Promise<SigningCredential> {
  const password = (await readFile(files.passwordPath, 'utf8')).trim();
  return loadPkcs12(await readFile(files.p12Path), password);
}

/** Adds a certificate to the revoked list and re-issues the CRL; returns the new CRL in PEM. */
export async function revokeTestCertificate(options: {
  dir: string;
  certificate: forge.pki.Certificate;
  revokedAt?: Date;
}): Promise<string> {
  const dir = path.resolve(options.dir);
  return withLock(dir, async () => {
    const root = await loadRoot(dir);
    const revoked = await readRevoked(dir);
    const serial = options.certificate.serialNumber.toLowerCase();
    if (!revoked.some((entry) => entry.serial === serial)) {
      revoked.push({ serial, revokedAt: options.revokedAt ?? new Date() });
      await writePublic(path.join(dir, 'revoked.json'), JSON.stringify(revoked, null, 2));
    }
    return writeCrl(dir, root, revoked);
  });
}

type Root = Issuer;

/** The root's certificate and key, for tests that issue certificates a real CA would refuse to. */
export async function loadTestIssuer(dir: string): Promise<Issuer> {
  return loadRoot(path.resolve(dir));
}

async function ensureRoot(dir: string, name: string): Promise<Root> {
  if (await exists(path.join(dir, 'root', 'ca.cert.pem'))) return loadRoot(dir);
  await mkdir(path.join(dir, 'root'), { recursive: true, mode: 0o700 });
  const keys = generateRsaKeyPair();
  const certificate = issueCertificate({
    subject: rootSubject(name),
    publicKey: keys.publicKey,
    selfSignKey: keys.privateKey,
    notBefore: VALID_FROM,
    notAfter: new Date(Date.now() + 20 * YEAR_MS),
    isCa: true,
  });
  await writeSecret(path.join(dir, 'root', 'ca.key.pem'), forge.pki.privateKeyToPem(keys.privateKey));
  // The certificate is written last: its presence marks a complete root.
  await writePublic(path.join(dir, 'root', 'ca.cert.pem'), certificateToPem(certificate));
  return { certificate, privateKey: keys.privateKey };
}

async function loadRoot(dir: string): Promise<Root> {
  const certificate = readCertificate(await readFile(path.join(dir, 'root', 'ca.cert.pem'), 'utf8'));
  const privateKey = forge.pki.privateKeyFromPem(await readFile(path.join(dir, 'root', 'ca.key.pem'), 'utf8'));
  return { certificate, privateKey: privateKey as forge.pki.rsa.PrivateKey };
}

async function ensureIdentity(
  dir: string,
  folder: string,
  name: string,
  root: Root,
  subject: () => forge.pki.CertificateField[],
): Promise<TestIdentityFiles> {
  const base = path.join(dir, folder, name);
  const files = { p12Path: `${base}.p12`, passwordPath: `${base}.p12.password`, certificatePath: `${base}.cert.pem` };
  if (await exists(files.p12Path)) return files;
  await mkdir(path.join(dir, folder), { recursive: true, mode: 0o700 });
  const keys = generateRsaKeyPair();
  const certificate = issueCertificate({
    subject: subject(),
    publicKey: keys.publicKey,
    issuer: root,
    notBefore: VALID_FROM,
    notAfter: new Date(Date.now() + 5 * YEAR_MS),
  });
  const password = randomBytes(18).toString('base64url');
  const p12 = credentialToPkcs12({ privateKey: keys.privateKey, certificate, chain: [root.certificate] }, password, name);
  await writeSecret(files.passwordPath, `${password}\n`);
  await writePublic(files.certificatePath, certificateToPem(certificate));
  // The PKCS#12 file is written last: its presence marks a complete identity.
  await writeSecret(files.p12Path, p12);
  return files;
}

async function ensureFreshCrl(dir: string, root: Root): Promise<void> {
  const crlPath = path.join(dir, 'crl.pem');
  if (await exists(crlPath)) {
    const crl = readCrl(await readFile(crlPath, 'utf8'));
    const nextUpdate = crl.nextUpdate?.value;
    if (nextUpdate && nextUpdate.getTime() - Date.now() > 24 * 3600 * 1000) return;
  }
  await writeCrl(dir, root, await readRevoked(dir));
}

async function writeCrl(dir: string, root: Root, revoked: RevokedEntry[]): Promise<string> {
  const now = new Date();
  const crl = await issueCrl({
    issuerCertificate: root.certificate,
    issuerKey: root.privateKey,
    revoked,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + CRL_LIFETIME_MS),
  });
  const pem = crlToPem(crl);
  await writePublic(path.join(dir, 'crl.pem'), pem);
  return pem;
}

async function readRevoked(dir: string): Promise<RevokedEntry[]> {
  const file = path.join(dir, 'revoked.json');
  if (!(await exists(file))) return [];
  const entries = JSON.parse(await readFile(file, 'utf8')) as Array<{ serial: string; revokedAt: string }>;
  return entries.map((entry) => ({ serial: entry.serial, revokedAt: new Date(entry.revokedAt) }));
}

function randomPersonalId(): string {
  return Array.from({ length: 12 }, () => randomInt(10)).join('');
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Written to a temporary name first so a reader never sees half a file. */
async function writeAtomically(file: string, data: string | Buffer, mode: number): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data, { mode });
  await chmod(temporary, mode);
  await rename(temporary, file);
}

const writeSecret = (file: string, data: string | Buffer) => writeAtomically(file, data, 0o600);
const writePublic = (file: string, data: string | Buffer) => writeAtomically(file, data, 0o644);

/**
 * Two processes (the API and the worker) may start together on an empty folder; a directory lock (mkdir is atomic)
 * keeps them from generating two roots. A lock older than a minute is left over from a crash and is taken over.
 */
async function withLock<T>(dir: string, action: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, '.lock');
  for (let attempt = 0; ; attempt += 1) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 60_000) await rm(lock, { recursive: true, force: true });
      else if (attempt > 600) throw new Error(`test PKI folder stays locked: ${lock}`);
      else await sleep(100);
    }
  }
  try {
    return await action();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

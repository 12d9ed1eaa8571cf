import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type forge from 'node-forge';
import { agencySubject, issueCertificate } from '../../signing/certificate-issuer';
import type { SigningCredential } from '../../signing/credentials';
import { generateRsaKeyPair } from '../../signing/keys';
import { type TestPki, ensureTestPki, loadTestCredential, loadTestIssuer } from '../../signing/test-ca';

/**
 * A throw-away test PKI per test file (keys are generated, never committed): the sender and recipient agencies of
 * the fixture packages, one agency kept for revocation tests, and one personal signer.
 */
export const SENDER = { code: '000.00.00.H49', name: 'Ủy ban nhân dân tỉnh Quảng Ninh' };
export const RECIPIENT = { code: '000.00.00.G09', name: 'Bộ Nội vụ' };
export const REVOKABLE = { code: '000.00.00.H26', name: 'Ủy ban nhân dân thành phố Hà Nội' };
export const SIGNER = { id: 'hanh', fullName: 'Trần Thị Minh Hạnh', agencyCode: SENDER.code, position: 'Phó Chủ tịch' };

export interface PkiFixture {
  dir: string;
  pki: TestPki;
  rootPem: string;
  crlPem: () => Promise<string>;
  sender: SigningCredential;
  recipient: SigningCredential;
  revokable: SigningCredential;
  signer: SigningCredential;
  /** An organisation certificate of the sender with odd validity dates, from the same root. */
  issueSenderCertificate(notBefore: Date, notAfter: Date): SigningCredential;
  cleanup(): Promise<void>;
}

export async function createPkiFixture(): Promise<PkiFixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lien-thong-pki-'));
  const pki = await ensureTestPki({ dir, agencies: [SENDER, RECIPIENT, REVOKABLE], signers: [SIGNER] });
  const issuer = await loadTestIssuer(dir);
  const oddKeys = generateRsaKeyPair();
  return {
    dir,
    pki,
    rootPem: await readFile(pki.rootCertificatePath, 'utf8'),
    crlPem: () => readFile(pki.crlPath, 'utf8'),
    sender: await loadTestCredential(pki.agencies[SENDER.code]),
    recipient: await loadTestCredential(pki.agencies[RECIPIENT.code]),
    revokable: await loadTestCredential(pki.agencies[REVOKABLE.code]),
    signer: await loadTestCredential(pki.signers[SIGNER.id]),
    issueSenderCertificate(notBefore, notAfter) {
      const certificate: forge.pki.Certificate = issueCertificate({
        subject: agencySubject(SENDER),
        publicKey: oddKeys.publicKey,
        issuer,
        notBefore,
        notAfter,
      });
      return { privateKey: oddKeys.privateKey, certificate, chain: [issuer.certificate] };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface OtherCa {
  rootPem: string;
  crlPem: () => Promise<string>;
  /** An organisation certificate for the same sender agency, from this other root. */
  sender: SigningCredential;
  cleanup(): Promise<void>;
}

/** A second, unrelated certificate authority with only a sender certificate: what a forger could make. */
export async function createOtherCa(): Promise<OtherCa> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lien-thong-other-ca-'));
  const pki = await ensureTestPki({ dir, agencies: [SENDER], rootName: 'Another Test Root CA' });
  return {
    rootPem: await readFile(pki.rootCertificatePath, 'utf8'),
    crlPem: () => readFile(pki.crlPath, 'utf8'),
    sender: await loadTestCredential(pki.agencies[SENDER.code]),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

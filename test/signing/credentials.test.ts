import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificates, summariseCertificate } from '../../signing/certificates';
import { CredentialError, credentialToPkcs12, loadPem, loadPkcs12 } from '../../signing/credentials';
import { ensureTestPki } from '../../signing/test-ca';
import { type PkiFixture, RECIPIENT, REVOKABLE, SENDER, SIGNER, createPkiFixture } from './pki-fixture';

let fx: PkiFixture;
beforeAll(async () => {
  fx = await createPkiFixture();
});
afterAll(() => fx?.cleanup());

describe('PKCS#12 and PEM credentials', () => {
  it('loads a PKCS#12 file with its password: key, certificate and the issuing root', async () => {
    const files = fx.pki.agencies[SENDER.code];
    const password = (await readFile(files.passwordPath, 'utf8')).trim();
    const credential = loadPkcs12(await readFile(files.p12Path), password);
    expect(summariseCertificate(credential.certificate)).toMatchObject({ agencyCode: SENDER.code, kind: 'organisation' });
    expect(credential.chain.map((c) => c.subject.hash)).toEqual([readCertificates(fx.rootPem)[0].subject.hash]);
  });

  it('refuses a wrong PKCS#12 password with wrong_password', async () => {
    const files = fx.pki.agencies[SENDER.code];
    const attempt = async () => loadPkcs12(await readFile(files.p12Path), 'not-the-password');
    await expect(attempt()).rejects.toMatchObject({ name: 'CredentialError', code: 'wrong_password' });
    expect(() => loadPkcs12(Buffer.from('not a p12 file'), 'x')).toThrow(CredentialError);
  });

  it('loads PEM: plain PKCS#1, encrypted PKCS#8 with its password, and refuses a key that matches no certificate', () => {
    const certificatePem = forge.pki.certificateToPem(fx.sender.certificate) + forge.pki.certificateToPem(fx.sender.chain[0]);
    const plain = loadPem(forge.pki.privateKeyToPem(fx.sender.privateKey), certificatePem);
    expect(plain.certificate.serialNumber).toBe(fx.sender.certificate.serialNumber);
    expect(plain.chain).toHaveLength(1);

    const encrypted = forge.pki.encryptRsaPrivateKey(fx.sender.privateKey, 'mật khẩu', { algorithm: 'aes256' });
    expect(encrypted).toContain('ENCRYPTED PRIVATE KEY');
    expect(loadPem(encrypted, certificatePem, 'mật khẩu').certificate.serialNumber).toBe(fx.sender.certificate.serialNumber);
    expect(() => loadPem(encrypted, certificatePem, 'sai')).toThrow(expect.objectContaining({ code: 'wrong_password' }));

    const recipientPem = forge.pki.certificateToPem(fx.recipient.certificate);
    expect(() => loadPem(forge.pki.privateKeyToPem(fx.sender.privateKey), recipientPem)).toThrow(
      expect.objectContaining({ code: 'no_matching_certificate' }),
    );
  });

  it('round-trips a credential through PKCS#12', () => {
    const p12 = credentialToPkcs12(fx.signer, 'p@ss');
    const back = loadPkcs12(p12, 'p@ss');
    expect(back.certificate.serialNumber).toBe(fx.signer.certificate.serialNumber);
    expect(summariseCertificate(back.certificate)).toMatchObject({
      kind: 'personal',
      agencyCode: SENDER.code,
      subject: expect.stringContaining('CN=Trần Thị Minh Hạnh'),
    });
  });
});

describe('test certificate authority', () => {
  it('writes one PKCS#12 per agency and signer, passwords beside them readable only by the owner', async () => {
    for (const files of [...Object.values(fx.pki.agencies), ...Object.values(fx.pki.signers)]) {
      expect((await stat(files.p12Path)).mode & 0o777).toBe(0o600);
      expect((await stat(files.passwordPath)).mode & 0o777).toBe(0o600);
    }
    expect((await stat(path.join(fx.dir, 'root', 'ca.key.pem'))).mode & 0o777).toBe(0o600);
    expect(Object.keys(fx.pki.agencies).sort()).toEqual([RECIPIENT.code, SENDER.code, REVOKABLE.code].sort());
    expect(Object.keys(fx.pki.signers)).toEqual([SIGNER.id]);
    expect(await readFile(fx.pki.crlPath, 'utf8')).toContain('BEGIN X509 CRL');
  });

  it('is idempotent: a second start reuses the root and every certificate, and adds only what is new', async () => {
    const before = await readFile(fx.pki.agencies[SENDER.code].p12Path);
    const again = await ensureTestPki({
      dir: fx.dir,
      agencies: [SENDER, RECIPIENT, REVOKABLE, { code: '000.00.00.G22', name: 'Văn phòng Chính phủ' }],
      signers: [SIGNER],
    });
    expect(await readFile(again.agencies[SENDER.code].p12Path)).toEqual(before);
    expect(await readFile(again.rootCertificatePath, 'utf8')).toBe(fx.rootPem);
    const added = readCertificates(await readFile(again.agencies['000.00.00.G22'].certificatePath, 'utf8'))[0];
    expect(summariseCertificate(added).agencyCode).toBe('000.00.00.G22');
    expect(added.issuer.hash).toBe(readCertificates(fx.rootPem)[0].subject.hash);
  });

  it('gives two processes starting together on an empty folder one and the same root', async () => {
    const dir = path.join(fx.dir, 'concurrent');
    const [a, b] = await Promise.all([
      ensureTestPki({ dir, agencies: [SENDER] }),
      ensureTestPki({ dir, agencies: [SENDER] }),
    ]);
    const rootA = await readFile(a.rootCertificatePath, 'utf8');
    expect(await readFile(b.rootCertificatePath, 'utf8')).toBe(rootA);
    const agency = readCertificates(await readFile(b.agencies[SENDER.code].certificatePath, 'utf8'))[0];
    expect(agency.issuer.hash).toBe(readCertificates(rootA)[0].subject.hash);
  });

  it('refuses identities whose names would escape the folder', async () => {
    await expect(ensureTestPki({ dir: fx.dir, agencies: [{ code: '../x', name: 'x' }] })).rejects.toThrow(/unsafe/);
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PkiFixture, SENDER, createPkiFixture } from '../signing/pki-fixture';

/** The CLI as a user runs it: a child process through tsx, judged by exit code and output. */
const root = path.join(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const cli = path.join(root, 'edxml/cli.ts');
const documentFixture = path.join(root, 'test/fixtures/signing/document-package.xml');
const statusFixture = path.join(root, 'test/fixtures/signing/status-package.xml');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(tsx, [cli, ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let fx: PkiFixture;
let work: string;
let signedPath: string;

beforeAll(async () => {
  fx = await createPkiFixture();
  work = await mkdtemp(path.join(tmpdir(), 'lien-thong-cli-'));
  signedPath = path.join(work, 'signed.xml');
});
afterAll(async () => {
  await fx?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('edxml CLI', () => {
  it('validate: 0 for a valid package, 1 with path, code and message for an invalid one, 2 for unsafe XML', async () => {
    expect(await run('validate', documentFixture)).toMatchObject({ code: 0, stdout: expect.stringContaining('Gói tin hợp lệ') });

    const invalid = path.join(work, 'invalid.xml');
    const xml = await readFile(documentFixture, 'utf8');
    await writeFile(invalid, xml.replace('<edXML:OrganId>000.00.00.G09</edXML:OrganId>', '<edXML:OrganId>XYZ</edXML:OrganId>'));
    const bad = await run('validate', invalid);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/LỖI\tedXML\/edXMLEnvelope\/edXMLHeader\/MessageHeader\/To\[1\]\/OrganId\tinvalid_agency_code\tMã định danh/);

    const unsafe = path.join(work, 'unsafe.xml');
    await writeFile(unsafe, xml.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'));
    const refused = await run('validate', unsafe);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('DOCTYPE');
    expect(refused.stdout).not.toContain('root:');

    expect((await run('validate', path.join(work, 'missing.xml'))).code).toBe(2);
  });

  it('show: a Vietnamese summary of a document package and of a status package', async () => {
    const shown = await run('show', documentFixture);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Nơi gửi: Ủy ban nhân dân tỉnh Quảng Ninh (000.00.00.H49)');
    expect(shown.stdout).toContain('Nơi nhận 1: Bộ Nội vụ (000.00.00.G09)');
    expect(shown.stdout).toContain('Số, ký hiệu: 1234/UBND-VP');
    expect(shown.stdout).toContain('Trích yếu: V/v báo cáo kết quả gửi, nhận văn bản điện tử năm 2024');
    expect(shown.stdout).toMatch(/Tệp 1: 1234_UBND-VP_signed\.pdf \(application\/pdf, 19 byte, SHA-256 [0-9a-f]{64}\)/);
    const status = await run('show', statusFixture);
    expect(status.stdout).toContain('Trạng thái: 03 – Đã tiếp nhận');
  });

  it('sign then verify: 0 for the signed package, 1 with the reason once it is changed', async () => {
    const files = fx.pki.agencies[SENDER.code];
    const signed = await run('sign', documentFixture, '--p12', files.p12Path, '--password-file', files.passwordPath, '--out', signedPath);
    expect(signed.code).toBe(0);
    expect(await readFile(signedPath, 'utf8')).toContain('<SignatureValue>');

    const verified = await run('verify', signedPath, '--trusted-root', fx.pki.rootCertificatePath, '--crl', fx.pki.crlPath);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining('Chữ ký số hợp lệ.') });
    expect(verified.stdout).toContain('Mã định danh cơ quan: 000.00.00.H49');
    expect((await run('show', signedPath)).stdout).toContain('Chữ ký số gói tin: Có');

    const tampered = path.join(work, 'tampered.xml');
    await writeFile(tampered, (await readFile(signedPath, 'utf8')).replace('năm 2024</edXML:Subject>', 'năm 2025</edXML:Subject>'));
    const refused = await run('verify', tampered, '--trusted-root', fx.pki.rootCertificatePath);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('[digest_mismatch]: Nội dung đã bị thay đổi sau khi ký');
  });

  it('sign from PEM: key and certificate files give a package that verifies', async () => {
    const keyPath = path.join(work, 'agency.key.pem');
    await writeFile(keyPath, forge.pki.privateKeyToPem(fx.sender.privateKey), { mode: 0o600 });
    const out = path.join(work, 'pem-signed.xml');
    const signed = await run('sign', documentFixture, '--key', keyPath, '--cert', fx.pki.agencies[SENDER.code].certificatePath, '--out', out);
    expect(signed.code).toBe(0);
    expect((await run('verify', out, '--trusted-root', fx.pki.rootCertificatePath)).code).toBe(0);
  });

  it('sign: 2 for a wrong password; verify: 2 without a trusted root, 1 for an unsigned package', async () => {
    const files = fx.pki.agencies[SENDER.code];
    const wrongPassword = path.join(work, 'wrong.password');
    await writeFile(wrongPassword, 'not-it\n');
    const signed = await run('sign', documentFixture, '--p12', files.p12Path, '--password-file', wrongPassword);
    expect(signed.code).toBe(2);
    expect(signed.stderr).toContain('wrong_password');

    expect((await run('sign', documentFixture, '--p12', files.p12Path)).code).toBe(2); // no password file

    expect((await run('verify', documentFixture)).code).toBe(2);
    const unsigned = await run('verify', documentFixture, '--trusted-root', fx.pki.rootCertificatePath);
    expect(unsigned).toMatchObject({ code: 1, stdout: expect.stringContaining('[signature_missing]') });
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePackage, validatePackage } from '../../edxml/index';
import { signPackageXml } from '../../edxml/signature';
import { verifyPackageXml } from '../../edxml/signature-verify';
import { certificateToDer } from '../../signing/certificates';
import { privateKeyToPem } from '../../signing/keys';
import { revokeTestCertificate } from '../../signing/test-ca';
import { type PkiFixture, RECIPIENT, REVOKABLE, SENDER, createOtherCa, createPkiFixture } from '../signing/pki-fixture';

const fixtures = path.join(import.meta.dirname, '../fixtures/signing');
const documentXml = readFileSync(path.join(fixtures, 'document-package.xml'), 'utf8');
const statusXml = readFileSync(path.join(fixtures, 'status-package.xml'), 'utf8');
const XMLDSIG = 'http://www.w3.org/2000/09/xmldsig#';

let fx: PkiFixture;
let signed: string;

beforeAll(async () => {
  fx = await createPkiFixture();
  signed = signPackageXml(documentXml, fx.sender);
});
afterAll(() => fx?.cleanup());

const trust = () => ({ trustedRoots: [fx.rootPem] });

describe('package signature', () => {
  it('is an enveloped RSA-SHA256 exc-c14n signature over the whole package, last in edXMLHeader', () => {
    const doc = new DOMParser().parseFromString(signed, 'text/xml');
    const header = doc.getElementsByTagNameNS('http://www.mic.gov.vn/TBT/QCVN_102_2016', 'edXMLHeader')[0];
    const last = Array.from(header.childNodes).filter((n) => n.nodeType === 1).pop() as unknown as Element;
    expect(last.localName).toBe('Signature');
    expect(last.namespaceURI).toBe(XMLDSIG);
    const algorithms = Array.from(doc.getElementsByTagNameNS('*', '*'))
      .map((e) => e.getAttribute('Algorithm'))
      .filter(Boolean);
    expect(algorithms).toEqual([
      'http://www.w3.org/2001/10/xml-exc-c14n#',
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
      'http://www.w3.org/2001/04/xmlenc#sha256',
    ]);
    expect(doc.getElementsByTagNameNS(XMLDSIG, 'Reference')[0].getAttribute('URI')).toBe('');
    expect(doc.getElementsByTagNameNS(XMLDSIG, 'X509SubjectName')[0].textContent).toContain('UID=MDDT:000.00.00.H49');
    expect(doc.getElementsByTagNameNS(XMLDSIG, 'X509Certificate')[0].textContent).toBe(
      certificateToDer(fx.sender.certificate).toString('base64'),
    );
    // The package still reads and validates as the same document, now marked signed.
    const pkg = parsePackage(signed);
    expect(pkg).toMatchObject({ kind: 'document', signed: true });
    expect(pkg.kind === 'document' && pkg.header.subject).toBe('V/v báo cáo kết quả gửi, nhận văn bản điện tử năm 2024');
    expect(validatePackage(pkg).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('verifies a good package and names the signer, using the sender TraceHeader time', async () => {
    const result = await verifyPackageXml(signed, { ...trust(), crls: [await fx.crlPem()] });
    expect(result).toMatchObject({
      ok: true,
      algorithm: 'RSA-SHA256',
      signer: { agencyCode: SENDER.code, serial: fx.sender.certificate.serialNumber.toUpperCase() },
      signingTimeSource: 'trace_header',
      revocationChecked: true,
    });
    if (result.ok) expect(result.signingTime.toISOString()).toBe('2024-12-16T08:42:10.000Z');
  });

  it('signs and verifies a status package, timed by its Timestamp', async () => {
    const signedStatus = signPackageXml(statusXml, fx.recipient);
    const result = await verifyPackageXml(signedStatus, trust());
    expect(result).toMatchObject({ ok: true, signingTimeSource: 'status_timestamp', revocationChecked: false });
  });

  it('ignores a byte order mark, which is not part of the document', async () => {
    const withBom = signPackageXml(`\uFEFF${documentXml}`, fx.sender);
    expect(await verifyPackageXml(`\uFEFF${withBom}`, trust())).toMatchObject({ ok: true });
  });

  it('refuses to sign twice or to sign something that is not edXML', () => {
    expect(() => signPackageXml(signed, fx.sender)).toThrow(/already carries a Signature/);
    expect(() => signPackageXml('<a/>', fx.sender)).toThrow(/edXML/);
    expect(() => signPackageXml('<!DOCTYPE x [<!ENTITY e "x">]><edXML/>', fx.sender)).toThrow(/DOCTYPE/);
  });
});

describe('package changed after signing', () => {
  it.each([
    ['text of the subject', (x: string) => x.replace('năm 2024</edXML:Subject>', 'năm 2025</edXML:Subject>')],
    ['an attribute', (x: string) => x.replace('edXMLManifest version="1.0"', 'edXMLManifest version="2.0"')],
    ['an added recipient place', (x: string) => x.replace('<edXML:ToPlaces>', '<edXML:ToPlaces><edXML:Place>Thêm</edXML:Place>')],
    ['the attachment bytes', (x: string) => x.replace('JVBERi0xLjcKJcOkw7zDtsOfCg==', 'JVBERi0xLjcKJcOkw7zDtsOfCh==')],
    ['a duplicated header block', (x: string) => x.replace('<edXML:MessageHeader>', '<edXML:MessageHeader><edXML:Code><edXML:CodeNumber>1</edXML:CodeNumber></edXML:Code>')],
  ])('refuses a change to %s with digest_mismatch', async (_label, change) => {
    const tampered = change(signed);
    expect(tampered).not.toBe(signed);
    expect(await verifyPackageXml(tampered, trust())).toMatchObject({ ok: false, code: 'digest_mismatch' });
  });

  it('refuses a forged signature value', async () => {
    const forged = signed.replace(/<SignatureValue>([A-Za-z0-9+/])/, (_m, c: string) => `<SignatureValue>${c === 'A' ? 'B' : 'A'}`);
    expect(await verifyPackageXml(forged, trust())).toMatchObject({ ok: false, code: 'signature_invalid' });
  });

  it('refuses wrapping attempts: a second signature, a moved signature, a partial reference', async () => {
    const signature = signed.slice(signed.indexOf('<Signature'), signed.indexOf('</Signature>') + '</Signature>'.length);
    const twice = signed.replace('<AttachmentEncoded>', `<AttachmentEncoded>${signature}`);
    expect(await verifyPackageXml(twice, trust())).toMatchObject({ ok: false, code: 'multiple_signatures' });

    const moved = signed.replace(signature, '').replace('</edXML:MessageHeader>', `</edXML:MessageHeader>${signature}`);
    expect(await verifyPackageXml(moved, trust())).toMatchObject({ ok: false, code: 'signature_misplaced' });

    // A real signature by the right key that covers only the body: the header could then be rewritten freely.
    const partial = new SignedXml({
      privateKey: privateKeyToPem(fx.sender.privateKey),
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      getKeyInfoContent: () =>
        `<X509Data><X509Certificate>${certificateToDer(fx.sender.certificate).toString('base64')}</X509Certificate></X509Data>`,
    });
    partial.addReference({
      xpath: "//*[local-name()='edXMLBody']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    partial.computeSignature(documentXml, {
      location: { reference: "//*[local-name()='edXMLHeader']", action: 'append' },
    });
    const rewritten = partial.getSignedXml().replace('năm 2024</edXML:Subject>', 'năm 2030</edXML:Subject>');
    expect(await verifyPackageXml(rewritten, trust())).toMatchObject({ ok: false, code: 'signature_malformed' });
  });

  it('refuses a package without a signature and unsafe XML', async () => {
    expect(await verifyPackageXml(documentXml, trust())).toMatchObject({ ok: false, code: 'signature_missing' });
    const withDoctype = signed.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x "y">]>');
    expect(await verifyPackageXml(withDoctype, trust())).toMatchObject({
      ok: false,
      code: 'unsafe_xml',
      reason: expect.stringContaining('DOCTYPE'),
    });
    expect(await verifyPackageXml(signed.slice(0, 500), trust())).toMatchObject({ ok: false, code: 'malformed_xml' });
    expect(await verifyPackageXml(signed, { ...trust(), maxBytes: 1000 })).toMatchObject({ ok: false, code: 'too_large' });
  });
});

describe('certificate checks', () => {
  it('refuses a certificate of another agency, unless that agency is the expected sender', async () => {
    const byRecipient = signPackageXml(documentXml, fx.recipient);
    const refused = await verifyPackageXml(byRecipient, trust());
    expect(refused).toMatchObject({ ok: false, code: 'agency_mismatch', reason: 'Chứng thư số không thuộc cơ quan gửi gói tin' });
    const expected = await verifyPackageXml(byRecipient, { ...trust(), expectedSenderAgencyCode: RECIPIENT.code });
    expect(expected).toMatchObject({ ok: true, signer: { agencyCode: RECIPIENT.code } });
  });

  it('refuses a personal certificate for a package signature', async () => {
    const byPerson = signPackageXml(documentXml, fx.signer);
    expect(await verifyPackageXml(byPerson, trust())).toMatchObject({ ok: false, code: 'not_organisation_certificate' });
  });

  it('judges validity at the signing time: expired and not-yet-valid certificates are refused', async () => {
    const expired = fx.issueSenderCertificate(new Date('2020-01-01T00:00:00Z'), new Date('2024-06-30T00:00:00Z'));
    expect(await verifyPackageXml(signPackageXml(documentXml, expired), trust())).toMatchObject({
      ok: false,
      code: 'certificate_expired',
    });
    const early = fx.issueSenderCertificate(new Date('2025-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const earlySigned = signPackageXml(documentXml, early);
    expect(await verifyPackageXml(earlySigned, trust())).toMatchObject({ ok: false, code: 'certificate_not_yet_valid' });
    // The same certificate is fine for a signing time inside its validity.
    expect(await verifyPackageXml(earlySigned, { ...trust(), signingTime: new Date('2026-01-01T00:00:00Z') })).toMatchObject({ ok: true });
  });

  it('refuses a signing time in the future', async () => {
    const future = signPackageXml(documentXml.replace('2024/12/16 15:42:10', '2099/01/01 00:00:00'), fx.sender);
    expect(await verifyPackageXml(future, trust())).toMatchObject({ ok: false, code: 'signing_time_invalid' });
  });

  it('refuses a certificate from an untrusted root', async () => {
    const other = await createOtherCa();
    try {
      const result = await verifyPackageXml(signPackageXml(documentXml, other.sender), trust());
      expect(result).toMatchObject({ ok: false, code: 'untrusted_chain' });
      // Trusting that root instead makes it verify: the refusal was about trust, nothing else.
      expect(await verifyPackageXml(signPackageXml(documentXml, other.sender), { trustedRoots: [other.rootPem] })).toMatchObject({ ok: true });
      // A CRL signed by another CA is not evidence about ours.
      expect(await verifyPackageXml(signed, { ...trust(), crls: [await other.crlPem()] })).toMatchObject({
        ok: false,
        code: 'revocation_unknown',
      });
    } finally {
      await other.cleanup();
    }
  });

  it('refuses a revoked certificate once the CRL lists it, and a tampered CRL', async () => {
    const byRevokable = signPackageXml(documentXml, fx.revokable);
    const options = { ...trust(), expectedSenderAgencyCode: REVOKABLE.code };
    expect(await verifyPackageXml(byRevokable, { ...options, crls: [await fx.crlPem()] })).toMatchObject({ ok: true });
    const crl = await revokeTestCertificate({ dir: fx.dir, certificate: fx.revokable.certificate });
    expect(await verifyPackageXml(byRevokable, { ...options, crls: [crl] })).toMatchObject({
      ok: false,
      code: 'certificate_revoked',
      reason: 'Chứng thư số đã bị thu hồi',
    });
    // Other certificates of the same CA still verify against the new list.
    expect(await verifyPackageXml(signed, { ...trust(), crls: [crl] })).toMatchObject({ ok: true });

    // A list past its nextUpdate proves nothing either way.
    const eightDaysLater = new Date(Date.now() + 8 * 24 * 3600 * 1000);
    expect(await verifyPackageXml(signed, { ...trust(), crls: [crl], now: eightDaysLater })).toMatchObject({
      ok: false,
      code: 'revocation_unknown',
    });

    const der = Buffer.from(crl.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    der[der.length - 5] ^= 0xff; // inside the signature value
    expect(await verifyPackageXml(signed, { ...trust(), crls: [der] })).toMatchObject({ ok: false, code: 'crl_invalid' });
  });
});

describe('legacy RSA-SHA1 signatures (2016 samples)', () => {
  let sha1Signed: string;
  beforeAll(() => {
    const legacy = new SignedXml({
      privateKey: privateKeyToPem(fx.sender.privateKey),
      signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
      canonicalizationAlgorithm: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
      getKeyInfoContent: () =>
        `<X509Data><X509SubjectName/><X509Certificate>${certificateToDer(fx.sender.certificate).toString('base64')}</X509Certificate></X509Data>`,
    });
    legacy.addReference({
      xpath: '/*',
      uri: '',
      isEmptyUri: true,
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature'],
      digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1',
    });
    legacy.computeSignature(documentXml, { location: { reference: "//*[local-name()='edXMLHeader']", action: 'append' } });
    sha1Signed = legacy.getSignedXml();
  });

  it('refuses RSA-SHA1 by default with a clear reason', async () => {
    const result = await verifyPackageXml(sha1Signed, trust());
    expect(result).toMatchObject({ ok: false, code: 'algorithm_not_allowed', reason: expect.stringContaining('RSA-SHA1') });
  });

  it('accepts it where configuration allows, and still catches changes', async () => {
    expect(await verifyPackageXml(sha1Signed, { ...trust(), allowSha1: true })).toMatchObject({ ok: true, algorithm: 'RSA-SHA1' });
    const tampered = sha1Signed.replace('năm 2024</edXML:Subject>', 'năm 2025</edXML:Subject>');
    expect(await verifyPackageXml(tampered, { ...trust(), allowSha1: true })).toMatchObject({ ok: false, code: 'digest_mismatch' });
  });

  it('reads the national SDK samples: SHA-1 refused by default; their pasted certificates never verify', async () => {
    const sample = readFileSync(path.join(import.meta.dirname, '../fixtures/edxml/sdk/edoc_update.edxml'), 'utf8');
    expect(await verifyPackageXml(sample, trust())).toMatchObject({
      ok: false,
      code: 'algorithm_not_allowed',
      detail: expect.stringContaining('allowSha1'),
    });
    const allowed = await verifyPackageXml(sample, { ...trust(), allowSha1: true });
    expect(allowed.ok).toBe(false);
  });
});

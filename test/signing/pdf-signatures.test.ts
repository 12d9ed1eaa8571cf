import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  type PDFRawStream,
  type PDFRef,
  PDFStream,
  PDFString,
  StandardFonts,
} from 'pdf-lib';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAttachmentSignature,
  addOrganisationSignature,
  addPersonalSignature,
  vietnamIsoTime,
} from '../../signing/pdf/document-signatures';
import { writableAttributes } from '../../signing/certificates';
import { appendIncrementalUpdate } from '../../signing/pdf/incremental';
import { verifyPdfSignatures } from '../../signing/pdf/verify-pdf';
import { type PkiFixture, SENDER, SIGNER, createOtherCa, createPkiFixture } from './pki-fixture';

let fx: PkiFixture;
let original: Uint8Array;
let personal: Buffer;
let both: Buffer;
const box = { x: 340, y: 215, width: 160, height: 80 };
const signedAt = new Date('2024-12-16T08:40:00Z');

beforeAll(async () => {
  fx = await createPkiFixture();
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  page.drawText('KT. CHU TICH / PHO CHU TICH', { x: 340, y: 310, size: 12, font });
  page.drawText('Tran Thi Minh Hanh', { x: 360, y: 200, size: 12, font });
  original = await doc.save({ useObjectStreams: false });
  personal = await addPersonalSignature(original, {
    credential: fx.signer,
    signerName: SIGNER.fullName,
    pageIndex: 0,
    box,
    signingTime: signedAt,
  });
  both = await addOrganisationSignature(personal, {
    credential: fx.sender,
    agencyName: SENDER.name,
    signingTime: new Date(signedAt.getTime() + 60_000),
  });
});
afterAll(() => fx?.cleanup());

const trust = () => ({ trustedRoots: [fx.rootPem] });

describe('personal then organisation signature', () => {
  it('both verify, and the personal one stays valid after the organisation signature is added', async () => {
    const result = await verifyPdfSignatures(both, { ...trust(), crls: [await fx.crlPem()] });
    expect(result.revisions).toBe(3);
    expect(result.signatures).toMatchObject([
      {
        fieldName: 'personal-1',
        ok: true,
        signer: { kind: 'personal', agencyCode: SENDER.code, subject: expect.stringContaining('CN=Trần Thị Minh Hạnh') },
        signingTime: signedAt,
        digestMatches: true,
        chainTrusted: true,
        coversWholeFile: false,
        laterRevisions: 1,
        modifiedAfter: false,
      },
      {
        fieldName: 'organisation-1',
        ok: true,
        signer: { kind: 'organisation', agencyCode: SENDER.code },
        coversWholeFile: true,
        laterRevisions: 0,
        modifiedAfter: false,
        revocationChecked: true,
      },
    ]);
    // The first revision is a byte-for-byte prefix of the final file: the update was appended, not rewritten.
    expect(both.subarray(0, original.length).equals(Buffer.from(original))).toBe(true);
    expect(both.subarray(0, personal.length).equals(personal)).toBe(true);
  });

  it('draws a blue signature centred in its box and a red seal covering its left third', async () => {
    const doc = await PDFDocument.load(both);
    const [personalWidget, sealWidget] = widgets(doc);
    const p = personalWidget.rect;
    expect(p.x + p.width / 2).toBeCloseTo(box.x + box.width / 2, 3);
    expect(p.y + p.height / 2).toBeCloseTo(box.y + box.height / 2, 3);
    expect(p.width <= box.width + 1e-6 && p.height <= box.height + 1e-6).toBe(true);

    const s = sealWidget.rect;
    expect(s.width).toBeCloseTo((36 * 72) / 25.4, 3); // real size
    expect(s.x + s.width).toBeCloseTo(p.x + p.width / 3, 3); // overlaps the left third
    expect(s.x).toBeLessThan(p.x);
    expect(s.y + s.height / 2).toBeCloseTo(p.y + p.height / 2, 3);

    const ink = averageInk(doc, personalWidget.image!);
    expect(ink.transparentShare).toBeGreaterThan(0.5);
    expect(ink.b).toBeGreaterThan(ink.r + 60);
    const seal = averageInk(doc, sealWidget.image!);
    expect(seal.transparentShare).toBeGreaterThan(0.3);
    expect(seal.r).toBeGreaterThan(seal.b + 100);
  });

  it('refuses an organisation signature before any personal signature', async () => {
    await expect(addOrganisationSignature(original, { credential: fx.sender, agencyName: SENDER.name })).rejects.toMatchObject({
      code: 'personal_signature_missing',
    });
  });
});

describe('changes after signing', () => {
  it('a changed byte inside the signed range breaks the digest of every signature', async () => {
    const tampered = Buffer.from(both);
    // The page size, in the first revision: covered by both signatures.
    const at = tampered.indexOf('841.89');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(original.length);
    tampered.write('9', at, 'latin1');
    const result = await verifyPdfSignatures(tampered, trust());
    expect(result.signatures.map((s) => [s.ok, s.code, s.digestMatches])).toEqual([
      [false, 'digest_mismatch', false],
      [false, 'digest_mismatch', false],
    ]);
  });

  it('a later revision that edits the page is reported as modified_after for both signatures', async () => {
    const doc = await PDFDocument.load(both, { updateMetadata: false });
    const before = doc.context.largestObjectNumber;
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    const page = doc.getPage(0);
    page.drawText('Noi dung them sau khi ky', { x: 50, y: 50, size: 12, font });
    await doc.flush();
    const created = doc.context.enumerateIndirectObjects().map(([ref]) => ref).filter((ref) => ref.objectNumber > before);
    const edited = appendIncrementalUpdate(both, doc, [page.ref, ...created]);
    const result = await verifyPdfSignatures(edited, trust());
    expect(result.revisions).toBe(4);
    for (const signature of result.signatures) {
      expect(signature).toMatchObject({
        ok: false,
        code: 'modified_after',
        reason: 'Tệp đã bị thay đổi sau khi ký (không chỉ thêm chữ ký số)',
        digestMatches: true,
        modifiedAfter: true,
        coversWholeFile: false,
      });
    }
  });

  it('finds signatures in nested form fields, and counts moving them as a modification', async () => {
    const doc = await PDFDocument.load(personal, { updateMetadata: false });
    const acroFormRef = doc.catalog.get(PDFName.of('AcroForm')) as PDFRef;
    const acroForm = doc.context.lookup(acroFormRef, PDFDict);
    const fields = acroForm.lookup(PDFName.of('Fields'), PDFArray);
    const parentRef = doc.context.register(doc.context.obj({ T: PDFString.of('form'), Kids: fields.asArray() }));
    acroForm.set(PDFName.of('Fields'), doc.context.obj([parentRef]));
    const moved = appendIncrementalUpdate(personal, doc, [acroFormRef, parentRef]);
    const result = await verifyPdfSignatures(moved, trust());
    expect(result.signatures).toMatchObject([
      { fieldName: 'form.personal-1', digestMatches: true, modifiedAfter: true, code: 'modified_after' },
    ]);
  });

  it('refuses a SHA-1 signature unless allowed', async () => {
    // Same file and byte range as the personal signature, re-signed in its place with SHA-1 (a 2016-era tool).
    const legacy = Buffer.from(personal);
    const [, b, c, d] = /\/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(legacy.toString('latin1'))!.slice(1).map(Number);
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(Buffer.concat([legacy.subarray(0, b), legacy.subarray(c, c + d)]).toString('binary'));
    p7.addCertificate(fx.sender.certificate);
    const signer = {
      key: fx.sender.privateKey,
      // forge re-encodes a parsed UTF-8 issuer name unless it is given decoded (see signing/pdf/cms-signer.ts).
      issuer: writableAttributes(fx.sender.certificate.issuer),
      serialNumber: fx.sender.certificate.serialNumber,
      digestAlgorithm: forge.pki.oids.sha1,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
      ],
    };
    p7.addSigner(signer as unknown as Parameters<typeof p7.addSigner>[0]);
    p7.sign({ detached: true });
    const hex = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary').toString('hex');
    legacy.write(hex.padEnd(c - b - 2, '0'), b + 1, 'latin1');

    const refused = await verifyPdfSignatures(legacy, trust());
    expect(refused.signatures).toMatchObject([{ ok: false, code: 'algorithm_not_allowed' }]);
    const allowed = await verifyPdfSignatures(legacy, { ...trust(), allowSha1: true });
    expect(allowed.signatures).toMatchObject([{ ok: true, digestMatches: true, signer: { kind: 'organisation' } }]);
  });

  it('reports an untrusted signer without hiding the other facts', async () => {
    const other = await createOtherCa();
    try {
      const result = await verifyPdfSignatures(both, { trustedRoots: [other.rootPem] });
      expect(result.signatures.map((s) => [s.code, s.chainTrusted, s.digestMatches, s.signatureValid])).toEqual([
        ['untrusted_chain', false, true, true],
        ['untrusted_chain', false, true, true],
      ]);
    } finally {
      await other.cleanup();
    }
  });

  it('reads a file that is not a PDF as unreadable, and refuses one over the size limit', async () => {
    const result = await verifyPdfSignatures(Buffer.from('not a pdf'), trust());
    expect(result.signatures[0]).toMatchObject({ ok: false, code: 'unreadable_pdf' });
    const tooLarge = await verifyPdfSignatures(both, { ...trust(), maxBytes: 1000 });
    expect(tooLarge.signatures[0]).toMatchObject({ ok: false, code: 'too_large' });
  });
});

describe('attachment signature', () => {
  it('puts number, notation and Vietnam ISO time at the top right of page 1, with no image', async () => {
    const at = new Date('2024-12-16T08:42:10Z');
    const signed = await addAttachmentSignature(original, {
      credential: fx.sender,
      agencyName: SENDER.name,
      numberAndNotation: '1234/QĐ-UBND',
      signingTime: at,
    });
    expect(vietnamIsoTime(at)).toBe('2024-12-16T15:42:10+07:00');
    const result = await verifyPdfSignatures(signed, trust());
    expect(result.signatures).toMatchObject([{ fieldName: 'attachment-1', ok: true, signingTime: at, coversWholeFile: true }]);

    const doc = await PDFDocument.load(signed);
    const [widget] = widgets(doc);
    const { width, height } = doc.getPage(0).getSize();
    const margin = (10 * 72) / 25.4;
    expect(widget.rect.x + widget.rect.width).toBeCloseTo(width - margin, 3);
    expect(widget.rect.y + widget.rect.height).toBeCloseTo(height - margin, 3);
    expect(widget.image).toBeUndefined();
    const appearance = inflateSync(Buffer.from(widget.appearance.contents)).toString('latin1');
    expect(appearance).toMatch(/\/F0 10 Tf/); // Tinos 10 pt
    expect(appearance.match(/Tj/g)!.length).toBeGreaterThanOrEqual(3); // "1234/Q", "Đ" (Vietnamese subset), "-UBND", time
    expect(appearance).toContain('0 0 0 rg');
  });
});

interface Widget {
  rect: { x: number; y: number; width: number; height: number };
  appearance: PDFRawStream;
  image?: PDFRawStream;
}

function widgets(doc: PDFDocument): Widget[] {
  const fields = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('Fields'), PDFArray);
  return fields.asArray().map((ref) => {
    const field = doc.context.lookup(ref as PDFRef, PDFDict);
    const appearance = field.lookup(PDFName.of('AP'), PDFDict).lookup(PDFName.of('N'), PDFStream) as PDFRawStream;
    const xObjects = appearance.dict.lookup(PDFName.of('Resources'), PDFDict).lookupMaybe(PDFName.of('XObject'), PDFDict);
    const imageRef = xObjects?.get(PDFName.of('Im0'));
    return {
      rect: field.lookup(PDFName.of('Rect'), PDFArray).asRectangle(),
      appearance,
      image: imageRef ? (doc.context.lookup(imageRef as PDFRef) as PDFRawStream) : undefined,
    };
  });
}

/** Average colour of the opaque pixels of an embedded PNG (RGB stream + alpha soft mask), and how much is clear. */
function averageInk(doc: PDFDocument, image: PDFRawStream) {
  const rgb = inflateSync(Buffer.from(image.contents));
  const mask = doc.context.lookup(image.dict.get(PDFName.of('SMask')) as PDFRef) as PDFRawStream;
  const alpha = inflateSync(Buffer.from(mask.contents));
  let r = 0;
  let b = 0;
  let opaque = 0;
  for (let i = 0; i < alpha.length; i += 1) {
    if (alpha[i] < 200) continue;
    r += rgb[i * 3];
    b += rgb[i * 3 + 2];
    opaque += 1;
  }
  const clear = alpha.filter((a) => a === 0).length;
  return { r: r / opaque, b: b / opaque, transparentShare: clear / alpha.length };
}

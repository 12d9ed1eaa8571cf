import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import { type CertificateInput, summariseCertificate } from '../certificates';
import { type CrlInput, checkPathRevocation } from '../crl';
import { VERIFICATION_REASONS_VI, type VerificationFailureCode } from '../reasons';
import { checkCertificateChain } from '../trust';
import { inspectCms } from './cms-verify';
import { changesBetween, revisionEndingAt, revisionEnds } from './revisions';

/**
 * Verifies every signature field of a PDF and reports, per signature: who signed (subject, agency code), when,
 * whether the digest matches the bytes its ByteRange covers, whether the CMS signature and the chain to the trusted
 * roots hold, and whether the file changed after it. A signature "covers the whole file" when its ByteRange reaches
 * the last byte; otherwise later revisions follow, and the file counts as modified after it unless every later
 * revision only adds a signature (signing/pdf/revisions.ts).
 */
export interface VerifyPdfOptions {
  trustedRoots: CertificateInput[];
  crls?: CrlInput[];
  now?: Date;
  /** Default 64 MiB, the package limit: a PDF attachment cannot be larger. */
  maxBytes?: number;
  /** SHA-1 signatures are refused (algorithm_not_allowed) unless this is true, as for packages. */
  allowSha1?: boolean;
}

export interface PdfSignatureReport {
  fieldName: string;
  subFilter: string | null;
  signer: { subject: string; agencyCode: string | null; kind: 'organisation' | 'personal'; serial: string } | null;
  signingTime: Date | null;
  digestMatches: boolean;
  signatureValid: boolean;
  chainTrusted: boolean;
  revocationChecked: boolean;
  coversWholeFile: boolean;
  laterRevisions: number;
  modifiedAfter: boolean;
  ok: boolean;
  /** The first reason the signature fails, when it does. */
  code?: VerificationFailureCode;
  reason?: string;
  detail?: string;
}

export interface PdfVerification {
  revisions: number;
  signatures: PdfSignatureReport[];
}

export async function verifyPdfSignatures(pdf: Uint8Array, options: VerifyPdfOptions): Promise<PdfVerification> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (pdf.length > maxBytes) return { revisions: 0, signatures: [failed('(document)', 'too_large', `over ${maxBytes} bytes`)] };
  const bytes = Buffer.from(pdf);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    return { revisions: 0, signatures: [failed('(document)', 'unreadable_pdf', (error as Error).message)] };
  }
  const ends = revisionEnds(bytes);
  const fields = signatureFields(doc);
  const signatureEnds = fields.map((field) => revisionEndingAt(bytes, ends, rangeOf(field.dict)?.end ?? -1) ?? -1);
  const reports: PdfSignatureReport[] = [];
  for (const field of fields) reports.push(await verifyOne(bytes, field, ends, signatureEnds, options));
  return { revisions: ends.length, signatures: reports };
}

interface SignatureFieldRef {
  name: string;
  dict: PDFDict;
}

function signatureFields(doc: PDFDocument): SignatureFieldRef[] {
  const fields = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const result: SignatureFieldRef[] = [];
  const seen = new Set<PDFDict>();
  // Fields may nest (Kids with partial names); FT is inherited from the parent.
  const visit = (array: PDFArray, inheritedType: string | undefined, prefix: string, depth: number) => {
    for (let i = 0; i < array.size() && depth < 16; i += 1) {
      const field = array.lookupMaybe(i, PDFDict);
      if (!field || seen.has(field)) continue;
      seen.add(field);
      const type = field.get(PDFName.of('FT'))?.toString() ?? inheritedType;
      const title = field.lookup(PDFName.of('T'));
      const partial = title instanceof PDFString || title instanceof PDFHexString ? title.decodeText() : '';
      const qualified = partial ? (prefix ? `${prefix}.${partial}` : partial) : prefix;
      const value = field.lookupMaybe(PDFName.of('V'), PDFDict);
      if (type === '/Sig' && value) result.push({ name: qualified || `field-${result.length + 1}`, dict: value });
      const kids = field.lookupMaybe(PDFName.of('Kids'), PDFArray);
      if (kids) visit(kids, type, qualified, depth + 1);
    }
  };
  if (fields) visit(fields, undefined, '', 0);
  return result;
}

interface ByteRange {
  ranges: [number, number, number, number];
  end: number;
}

function rangeOf(signature: PDFDict): ByteRange | null {
  const array = signature.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
  if (!array || array.size() !== 4) return null;
  const values = array.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : Number.NaN));
  if (!values.every((v) => Number.isSafeInteger(v) && v >= 0)) return null;
  const ranges = values as [number, number, number, number];
  return { ranges, end: ranges[2] + ranges[3] };
}

async function verifyOne(
  bytes: Buffer,
  field: SignatureFieldRef,
  ends: number[],
  signatureEnds: number[],
  options: VerifyPdfOptions,
): Promise<PdfSignatureReport> {
  const range = rangeOf(field.dict);
  const contentsObject = field.dict.lookup(PDFName.of('Contents'));
  const contents = contentsObject instanceof PDFHexString ? contentsObject : null;
  const subFilter = field.dict.get(PDFName.of('SubFilter'))?.toString().slice(1) ?? null;
  if (!range || !contents) return failed(field.name, 'byte_range_invalid', 'missing ByteRange or Contents', subFilter);
  const [start, firstLength, secondStart, secondLength] = range.ranges;
  const gap = bytes.subarray(firstLength, secondStart).toString('latin1');
  // The one hole in the range must be exactly this signature's /Contents: nothing else may go unsigned.
  if (
    start !== 0 ||
    secondStart < firstLength ||
    range.end > bytes.length ||
    !/^<[0-9A-Fa-f]*>$/.test(gap) ||
    !Buffer.from(gap.slice(1, -1), 'hex').equals(Buffer.from(contents.asBytes()))
  ) {
    return failed(field.name, 'byte_range_invalid', 'ByteRange does not leave out exactly the signature contents', subFilter);
  }

  const signed = Buffer.concat([bytes.subarray(0, firstLength), bytes.subarray(secondStart, range.end)]);
  const cms = await inspectCms(contents.asBytes(), signed);
  if (!cms.ok) return failed(field.name, 'signature_malformed', cms.detail, subFilter);
  const summary = summariseCertificate(cms.signer);
  const signingTime = cms.signingTime ?? dateOf(field.dict);
  const report: PdfSignatureReport = {
    fieldName: field.name,
    subFilter,
    signer: { subject: summary.subject, agencyCode: summary.agencyCode, kind: summary.kind, serial: summary.serial },
    signingTime,
    digestMatches: cms.digestMatches,
    signatureValid: cms.signatureValid,
    chainTrusted: false,
    revocationChecked: false,
    coversWholeFile: range.end === bytes.length,
    laterRevisions: ends.filter((end) => end > (revisionEndingAt(bytes, ends, range.end) ?? range.end)).length,
    modifiedAfter: false,
    ok: false,
  };

  const modification = await modificationAfter(bytes, range.end, ends, signatureEnds);
  report.modifiedAfter = modification !== null;

  if (cms.digestAlgorithm === 'sha1' && !options.allowSha1) {
    return withFailure(report, 'algorithm_not_allowed', 'SHA-1 needs the allowSha1 option');
  }
  if (!cms.digestMatches) return withFailure(report, 'digest_mismatch', 'messageDigest does not match the signed bytes');
  if (!cms.signatureValid) return withFailure(report, 'signature_invalid', 'CMS signature does not verify');
  const chain = checkCertificateChain({
    leaf: cms.signer,
    intermediates: cms.others,
    trustedRoots: options.trustedRoots,
    at: signingTime ?? options.now ?? new Date(),
  });
  if (!chain.ok) return withFailure(report, chain.code, chain.detail);
  report.chainTrusted = true;
  if (options.crls) {
    const revocation = await checkPathRevocation({ path: chain.path, root: chain.root, crls: options.crls, now: options.now });
    if (!revocation.ok) return withFailure(report, revocation.code, revocation.detail);
    report.revocationChecked = true;
  }
  if (modification) return withFailure(report, 'modified_after', modification);
  report.ok = true;
  return report;
}

/** Null when nothing follows the signature's revision but revisions that only add signatures. */
async function modificationAfter(bytes: Buffer, rangeEnd: number, ends: number[], signatureEnds: number[]) {
  const end = revisionEndingAt(bytes, ends, rangeEnd);
  if (end === null) return 'the signed range does not end at the end of a revision';
  let from = end;
  for (const next of ends.filter((e) => e > end)) {
    if (!signatureEnds.includes(next)) return 'a later revision was added without a signature';
    const change = await changesBetween(bytes, from, next);
    if (!change.signatureOnly) return `a later signature revision also changed the document: ${change.detail}`;
    from = next;
  }
  return null;
}

function dateOf(signature: PDFDict): Date | null {
  const m = signature.lookupMaybe(PDFName.of('M'), PDFString, PDFHexString);
  try {
    return m ? m.decodeDate() : null;
  } catch {
    return null;
  }
}

function withFailure(report: PdfSignatureReport, code: VerificationFailureCode, detail: string): PdfSignatureReport {
  return { ...report, ok: false, code, reason: VERIFICATION_REASONS_VI[code], detail };
}

function failed(fieldName: string, code: VerificationFailureCode, detail: string, subFilter: string | null = null): PdfSignatureReport {
  return withFailure(
    {
      fieldName,
      subFilter,
      signer: null,
      signingTime: null,
      digestMatches: false,
      signatureValid: false,
      chainTrusted: false,
      revocationChecked: false,
      coversWholeFile: false,
      laterRevisions: 0,
      modifiedAfter: false,
      ok: false,
    },
    code,
    detail,
  );
}

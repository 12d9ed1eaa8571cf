import { PDFDocument } from 'pdf-lib';
import type { SigningCredential } from '../credentials';
import { embedTimesFonts, textRuns, textWidth } from './fonts';
import { drawSealImage, drawSignatureImage } from './images';
import type { Rect } from './signature-field';
import { signPdf, signatureWidgets } from './sign-pdf';

/**
 * The signatures NĐ 30/2020 puts on a document (lifecycle.md §3), each a PDF digital signature in its own revision:
 * - the signer's personal signature, a blue signature image centred in the box the layout leaves for it;
 * - then the agency's organisation signature, the red seal at real size covering about the left third of the
 *   personal signature image;
 * - on a separate attachment or appendix file, an organisation signature at the top right of page 1 with no image,
 *   whose text is the number and notation and the signing time (ISO 8601, Vietnam time), Times 10 pt black.
 */
export class DocumentSignatureError extends Error {
  override name = 'DocumentSignatureError';
  constructor(
    readonly code: 'personal_signature_missing' | 'page_out_of_range',
    message: string,
  ) {
    super(message);
  }
}

const POINTS_PER_MM = 72 / 25.4;
/** A common diameter of an agency's round seal; a deployment passes the real one. */
const DEFAULT_SEAL_DIAMETER_MM = 36;

export interface PersonalSignatureOptions {
  credential: SigningCredential;
  signerName: string;
  pageIndex: number;
  /** The space between the position line and the printed name, in page points. */
  box: Rect;
  signatureImage?: Buffer;
  signingTime?: Date;
}

export async function addPersonalSignature(pdf: Uint8Array, options: PersonalSignatureOptions): Promise<Buffer> {
  await assertPage(pdf, options.pageIndex);
  const png = options.signatureImage ?? drawSignatureImage();
  const rect = fitCentred(pngSize(png), options.box);
  return signPdf(pdf, {
    credential: options.credential,
    fieldPrefix: 'personal',
    pageIndex: options.pageIndex,
    rect,
    images: [{ png, rect }],
    signerName: options.signerName,
    reason: 'Ký số cá nhân người có thẩm quyền',
    signingTime: options.signingTime ?? new Date(),
  });
}

export interface OrganisationSignatureOptions {
  credential: SigningCredential;
  agencyName: string;
  sealImage?: Buffer;
  sealDiameterMm?: number;
  signingTime?: Date;
}

/** Only after a personal signature: the seal is placed from the latest personal signature's image. */
export async function addOrganisationSignature(pdf: Uint8Array, options: OrganisationSignatureOptions): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const personal = signatureWidgets(doc).filter((widget) => widget.name.startsWith('personal-')).pop();
  if (!personal || personal.pageIndex < 0) {
    throw new DocumentSignatureError('personal_signature_missing', 'the organisation signature follows a personal signature');
  }
  const diameter = (options.sealDiameterMm ?? DEFAULT_SEAL_DIAMETER_MM) * POINTS_PER_MM;
  const image = personal.rect;
  const rect = {
    x: image.x + image.width / 3 - diameter,
    y: image.y + image.height / 2 - diameter / 2,
    width: diameter,
    height: diameter,
  };
  return signPdf(pdf, {
    credential: options.credential,
    fieldPrefix: 'organisation',
    pageIndex: personal.pageIndex,
    rect,
    images: [{ png: options.sealImage ?? drawSealImage(), rect }],
    signerName: options.agencyName,
    reason: 'Ký số của cơ quan, tổ chức',
    signingTime: options.signingTime ?? new Date(),
  });
}

export interface AttachmentSignatureOptions {
  credential: SigningCredential;
  agencyName: string;
  /** e.g. 1234/UBND-VP */
  numberAndNotation: string;
  signingTime?: Date;
}

const TEXT_SIZE = 10;
const TOP_RIGHT_MARGIN = 10 * POINTS_PER_MM;

export async function addAttachmentSignature(pdf: Uint8Array, options: AttachmentSignatureOptions): Promise<Buffer> {
  const signingTime = options.signingTime ?? new Date();
  const lines = [options.numberAndNotation, vietnamIsoTime(signingTime)];
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const fontSet = await embedTimesFonts(doc);
  const width = Math.max(...lines.map((line) => textWidth(textRuns(line, fontSet), fontSet, TEXT_SIZE))) + 4;
  const height = lines.length * TEXT_SIZE * 1.2 + 4;
  const { width: pageWidth, height: pageHeight } = doc.getPage(0).getSize();
  return signPdf(pdf, {
    credential: options.credential,
    fieldPrefix: 'attachment',
    pageIndex: 0,
    rect: { x: pageWidth - TOP_RIGHT_MARGIN - width, y: pageHeight - TOP_RIGHT_MARGIN - height, width, height },
    text: { lines, size: TEXT_SIZE },
    signerName: options.agencyName,
    reason: `Ký số tệp đính kèm văn bản ${options.numberAndNotation}`,
    signingTime,
  });
}

/** 2024-12-16T15:42:10+07:00: Vietnam has no daylight saving, so the offset is fixed. */
export function vietnamIsoTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600 * 1000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}

function fitCentred(size: { width: number; height: number }, box: Rect): Rect {
  const scale = Math.min(box.width / size.width, box.height / size.height);
  const width = size.width * scale;
  const height = size.height * scale;
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}

/** Width and height from the PNG header (IHDR is always the first chunk). */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function assertPage(pdf: Uint8Array, pageIndex: number): Promise<void> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  if (!Number.isInteger(pageIndex) || pageIndex < 0 || pageIndex >= doc.getPageCount()) {
    throw new DocumentSignatureError('page_out_of_range', `page ${pageIndex} is not in the document`);
  }
}

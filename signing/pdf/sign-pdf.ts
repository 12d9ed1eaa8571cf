import { SignPdf } from '@signpdf/signpdf';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { SigningCredential } from '../credentials';
import { CredentialCmsSigner } from './cms-signer';
import { appendIncrementalUpdate } from './incremental';
import { type SignatureFieldOptions, addSignatureField } from './signature-field';

/**
 * Signs a PDF as one more revision: the field and its appearance are appended as an incremental update, then
 * @signpdf/signpdf computes the byte range over the whole new file and embeds our CMS. Earlier signatures keep
 * verifying because no earlier byte moves.
 */
export type SignPdfOptions = Omit<SignatureFieldOptions, 'fieldName'> & {
  credential: SigningCredential;
  /** The field is named `<prefix>-<n>`, n counting fields of that prefix. */
  fieldPrefix: string;
};

export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const before = doc.context.largestObjectNumber;
  const fieldName = nextFieldName(doc, options.fieldPrefix);
  const changed = await addSignatureField(doc, { ...options, fieldName });
  await doc.flush();
  const created = doc.context
    .enumerateIndirectObjects()
    .map(([ref]) => ref)
    .filter((ref) => ref.objectNumber > before);
  const prepared = appendIncrementalUpdate(pdf, doc, [...changed, ...created]);
  return new SignPdf().sign(prepared, new CredentialCmsSigner(options.credential), options.signingTime);
}

export interface SignatureWidget {
  name: string;
  pageIndex: number;
  rect: { x: number; y: number; width: number; height: number };
}

/** The signature fields of a document, in the order they were added. */
export function signatureWidgets(doc: PDFDocument): SignatureWidget[] {
  const acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acroForm?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (!fields) return [];
  const pages = doc.getPages();
  const widgets: SignatureWidget[] = [];
  for (let i = 0; i < fields.size(); i += 1) {
    const field = fields.lookupMaybe(i, PDFDict);
    if (!field || field.get(PDFName.of('FT'))?.toString() !== '/Sig') continue;
    const rect = field.lookupMaybe(PDFName.of('Rect'), PDFArray)?.asRectangle();
    const pageRef = field.get(PDFName.of('P'));
    const pageIndex = pages.findIndex((page) => pageRef instanceof PDFRef && page.ref === pageRef);
    widgets.push({ name: fieldName(field), pageIndex, rect: rect ?? { x: 0, y: 0, width: 0, height: 0 } });
  }
  return widgets;
}

function fieldName(field: PDFDict): string {
  const name = field.lookup(PDFName.of('T'));
  return name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : '';
}

function nextFieldName(doc: PDFDocument, prefix: string): string {
  const names = new Set(signatureWidgets(doc).map((widget) => widget.name));
  let n = 1;
  while (names.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

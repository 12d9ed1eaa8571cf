import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFOperator,
  PDFRef,
  PDFString,
  beginText,
  concatTransformationMatrix,
  drawObject,
  endText,
  moveText,
  popGraphicsState,
  pushGraphicsState,
  setFillingRgbColor,
  setFontAndSize,
  showText,
} from 'pdf-lib';
import { type FontSet, embedTimesFonts, textRuns } from './fonts';

/**
 * Adds one signature field to a loaded PDF: the signature dictionary with an empty /Contents and a /ByteRange
 * placeholder that @signpdf/signpdf fills in, and a widget whose appearance draws the signature's images and
 * text. @signpdf/placeholder-pdf-lib is not used because it names every field "Signature1" and leaves the appearance
 * empty; two visible signatures on one page need distinct names and their images.
 *
 * Returns the existing objects it changed; new objects are found by number by the caller.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AppearanceImage {
  png: Buffer;
  /** Page coordinates (points, origin bottom left). */
  rect: Rect;
}

export interface AppearanceText {
  lines: string[];
  size: number;
}

export interface SignatureFieldOptions {
  pageIndex: number;
  /** The widget, in page coordinates. */
  rect: Rect;
  fieldName: string;
  images?: AppearanceImage[];
  text?: AppearanceText;
  signerName: string;
  reason: string;
  location?: string;
  signingTime: Date;
}

/** Must equal @signpdf/utils DEFAULT_BYTE_RANGE_PLACEHOLDER: @signpdf/signpdf looks for exactly this name. */
export const BYTE_RANGE_PLACEHOLDER = '**********';
/** Room for the DER CMS: two 2048-bit certificates and the signature take about 3.5 KB. */
const CONTENTS_BYTES = 8192;

export async function addSignatureField(doc: PDFDocument, options: SignatureFieldOptions): Promise<PDFRef[]> {
  const changed: PDFRef[] = [];
  const page = doc.getPage(options.pageIndex);
  const { context } = doc;

  const signature = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    // Not ETSI.CAdES.detached: CAdES needs the ESS signing-certificate-v2 attribute, which node-forge cannot add.
    SubFilter: 'adbe.pkcs7.detached',
    // ByteRange must come before Contents: @signpdf/signpdf searches for /Contents after it.
    ByteRange: [0, PDFName.of(BYTE_RANGE_PLACEHOLDER), PDFName.of(BYTE_RANGE_PLACEHOLDER), PDFName.of(BYTE_RANGE_PLACEHOLDER)],
    Contents: PDFHexString.of('0'.repeat(CONTENTS_BYTES * 2)),
    Name: PDFHexString.fromText(options.signerName),
    Reason: PDFHexString.fromText(options.reason),
    ...(options.location ? { Location: PDFHexString.fromText(options.location) } : {}),
    M: PDFString.fromDate(options.signingTime),
  });
  const signatureRef = context.register(signature);

  const appearanceRef = context.register(await appearanceStream(doc, options));
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [options.rect.x, options.rect.y, options.rect.x + options.rect.width, options.rect.y + options.rect.height],
    V: signatureRef,
    T: PDFHexString.fromText(options.fieldName),
    F: 4, // print
    P: page.ref,
    AP: { N: appearanceRef },
  });
  const widgetRef = context.register(widget);

  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    context.lookup(annots, PDFArray).push(widgetRef);
    changed.push(annots);
  } else if (annots instanceof PDFArray) {
    annots.push(widgetRef);
  } else {
    page.node.set(PDFName.of('Annots'), context.obj([widgetRef]));
  }
  changed.push(page.ref);

  const acroFormEntry = doc.catalog.get(PDFName.of('AcroForm'));
  let acroForm: PDFDict;
  if (acroFormEntry instanceof PDFRef) {
    acroForm = context.lookup(acroFormEntry, PDFDict);
    changed.push(acroFormEntry);
  } else if (acroFormEntry instanceof PDFDict) {
    acroForm = acroFormEntry;
    changed.push(context.trailerInfo.Root as PDFRef);
  } else {
    acroForm = context.obj({ Fields: [] });
    doc.catalog.set(PDFName.of('AcroForm'), context.register(acroForm));
    changed.push(context.trailerInfo.Root as PDFRef);
  }
  const fieldsEntry = acroForm.get(PDFName.of('Fields'));
  const fields = fieldsEntry instanceof PDFRef ? context.lookup(fieldsEntry, PDFArray) : fieldsEntry;
  if (fieldsEntry instanceof PDFRef) changed.push(fieldsEntry);
  if (fields instanceof PDFArray) fields.push(widgetRef);
  else acroForm.set(PDFName.of('Fields'), context.obj([widgetRef]));
  const flags = acroForm.get(PDFName.of('SigFlags'));
  // 1 = signatures exist, 2 = append only: tells editors to save incrementally.
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of((flags instanceof PDFNumber ? flags.asNumber() : 0) | 3));
  return changed;
}

async function appearanceStream(doc: PDFDocument, options: SignatureFieldOptions) {
  const { rect } = options;
  const operators: PDFOperator[] = [];
  const xObjects: Record<string, PDFRef> = {};
  const fonts: Record<string, PDFRef> = {};
  for (const [index, image] of (options.images ?? []).entries()) {
    const embedded = await doc.embedPng(image.png);
    const name = `Im${index}`;
    xObjects[name] = embedded.ref;
    operators.push(
      pushGraphicsState(),
      concatTransformationMatrix(image.rect.width, 0, 0, image.rect.height, image.rect.x - rect.x, image.rect.y - rect.y),
      drawObject(name),
      popGraphicsState(),
    );
  }
  if (options.text) {
    const fontSet = await embedTimesFonts(doc);
    fontSet.fonts.forEach((font, index) => (fonts[`F${index}`] = font.ref));
    operators.push(...textOperators(options.text, fontSet, rect.height));
  }
  return doc.context.formXObject(operators, {
    BBox: [0, 0, rect.width, rect.height],
    Resources: { XObject: xObjects, Font: fonts },
  });
}

/** Black text, one line under another from the top left of the box. */
function textOperators(text: AppearanceText, fontSet: FontSet, boxHeight: number): PDFOperator[] {
  const leading = text.size * 1.2;
  const operators: PDFOperator[] = [pushGraphicsState(), setFillingRgbColor(0, 0, 0), beginText()];
  operators.push(moveText(2, boxHeight - text.size - 2));
  text.lines.forEach((line, lineIndex) => {
    if (lineIndex > 0) operators.push(moveText(0, -leading));
    // Td moves from the start of the line; each Tj advances within it, so runs in other fonts follow each other.
    for (const run of textRuns(line, fontSet)) {
      const font = fontSet.fonts[run.fontIndex];
      operators.push(setFontAndSize(`F${run.fontIndex}`, text.size), showText(font.encodeText(run.text)));
    }
  });
  operators.push(endText(), popGraphicsState());
  return operators;
}

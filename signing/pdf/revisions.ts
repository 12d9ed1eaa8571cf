import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, PDFRef } from 'pdf-lib';

/**
 * Revisions of a PDF and what a later revision changed. Each incremental update ends with %%EOF; a signature covers
 * its file up to the end of its own revision. A later revision is harmless to an earlier signature only if it
 * adds signature fields and nothing else: new signature widgets in page /Annots and the form, nothing else redefined.
 */
/** Offsets just after each %%EOF marker. */
export function revisionEnds(bytes: Uint8Array): number[] {
  const text = Buffer.from(bytes).toString('latin1');
  return [...text.matchAll(/%%EOF/g)].map((match) => match.index + match[0].length);
}

/** The revision a byte range ending at `end` covers: the %%EOF right before it, with only line ends between. */
export function revisionEndingAt(bytes: Uint8Array, ends: number[], end: number): number | null {
  const candidates = ends.filter((e) => e <= end && /^[\r\n]*$/.test(Buffer.from(bytes.subarray(e, end)).toString('latin1')));
  return candidates.length > 0 ? candidates[candidates.length - 1] : null;
}

export type ChangeCheck = { signatureOnly: true } | { signatureOnly: false; detail: string };

/** Compares the document as it was at `fromEnd` with the document at `toEnd`. */
export async function changesBetween(bytes: Uint8Array, fromEnd: number, toEnd: number): Promise<ChangeCheck> {
  let before: PDFDocument;
  let after: PDFDocument;
  try {
    before = await PDFDocument.load(bytes.subarray(0, fromEnd), { updateMetadata: false, throwOnInvalidObject: true });
    after = await PDFDocument.load(bytes.subarray(0, toEnd), { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    return { signatureOnly: false, detail: `unreadable revision: ${(error as Error).message}` };
  }
  const rootRef = after.context.trailerInfo.Root;
  const pageRefs = new Set(after.getPages().map((page) => page.ref));
  for (const [ref, old] of before.context.enumerateIndirectObjects()) {
    const current = after.context.lookup(ref);
    if (!current) return { signatureOnly: false, detail: `object ${ref.objectNumber} was removed` };
    if (sameBytes(old, current)) continue;
    const allowed =
      ref === rootRef
        ? sameExcept(old, current, ['AcroForm'])
        : pageRefs.has(ref)
          ? sameExcept(old, current, ['Annots']) && onlySignaturesAdded(before, after, old, current, 'Annots')
          : isAcroForm(after, ref)
            ? sameExcept(old, current, ['Fields', 'SigFlags']) && onlySignaturesAdded(before, after, old, current, 'Fields')
            : isArrayOfSignaturesGrowing(before, after, old, current);
    if (!allowed) return { signatureOnly: false, detail: `object ${ref.objectNumber} was changed` };
  }
  return { signatureOnly: true };
}

function serialise(object: PDFObject): Buffer {
  const buffer = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return Buffer.from(buffer);
}

function sameBytes(a: PDFObject, b: PDFObject): boolean {
  return serialise(a).equals(serialise(b));
}

function sameExcept(old: PDFObject, current: PDFObject, keys: string[]): boolean {
  if (!(old instanceof PDFDict) || !(current instanceof PDFDict)) return false;
  const skip = new Set(keys.map((k) => `/${k}`));
  const names = new Set([...old.keys(), ...current.keys()].map((k) => k.toString()));
  for (const name of names) {
    if (skip.has(name)) continue;
    const a = old.get(PDFName.of(name.slice(1)));
    const b = current.get(PDFName.of(name.slice(1)));
    if (!a || !b || !sameBytes(a, b)) return false;
  }
  return true;
}

function isAcroForm(doc: PDFDocument, ref: PDFRef): boolean {
  return doc.catalog.get(PDFName.of('AcroForm')) === ref;
}

/** The array entry under `key` kept all its old items in order and only appended signature widgets. */
function onlySignaturesAdded(before: PDFDocument, after: PDFDocument, old: PDFObject, current: PDFObject, key: string) {
  const oldArray = (old as PDFDict).get(PDFName.of(key));
  const newArray = (current as PDFDict).get(PDFName.of(key));
  if (oldArray instanceof PDFRef && newArray === oldArray) return true; // the array object itself is checked on its own
  const a = oldArray === undefined ? [] : asItems(before, oldArray);
  const b = asItems(after, newArray);
  return a !== null && b !== null && appendsSignatures(after, a, b);
}

function isArrayOfSignaturesGrowing(before: PDFDocument, after: PDFDocument, old: PDFObject, current: PDFObject) {
  const a = asItems(before, old);
  const b = asItems(after, current);
  return a !== null && b !== null && a.length > 0 && appendsSignatures(after, a, b);
}

function asItems(doc: PDFDocument, value: PDFObject | undefined): PDFObject[] | null {
  const array = value instanceof PDFRef ? doc.context.lookup(value) : value;
  return array instanceof PDFArray ? array.asArray() : null;
}

function appendsSignatures(after: PDFDocument, old: PDFObject[], current: PDFObject[]): boolean {
  if (current.length < old.length) return false;
  if (!old.every((item, i) => sameBytes(item, current[i]))) return false;
  return current.slice(old.length).every((item) => {
    const widget = item instanceof PDFRef ? after.context.lookup(item) : item;
    return widget instanceof PDFDict && widget.get(PDFName.of('FT'))?.toString() === '/Sig';
  });
}

import { PDFArray, type PDFDocument, PDFName, PDFNumber, type PDFObject, type PDFRef } from 'pdf-lib';

/**
 * Writes changed and new objects as an incremental update appended to the original bytes (ISO 32000-1 §7.5.6).
 * pdf-lib's own save() rewrites the whole file, which would break every earlier signature's byte range; appending
 * leaves each earlier revision byte for byte as it was signed.
 */
export class PdfStructureError extends Error {
  override name = 'PdfStructureError';
}

export function lastStartXref(bytes: Uint8Array): number {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  const matches = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)];
  const last = matches[matches.length - 1];
  if (!last) throw new PdfStructureError('no startxref at the end of the file');
  return Number(last[1]);
}

export function appendIncrementalUpdate(original: Uint8Array, doc: PDFDocument, refs: PDFRef[]): Buffer {
  const prev = lastStartXref(original);
  const trailer = doc.context.trailerInfo;
  if (trailer.Encrypt) throw new PdfStructureError('encrypted PDF files are not supported');
  if (!trailer.Root) throw new PdfStructureError('the PDF has no document catalog');

  const parts: Buffer[] = [Buffer.from(original)];
  let offset = original.length;
  const push = (chunk: Buffer) => {
    parts.push(chunk);
    offset += chunk.length;
  };
  const last = original[original.length - 1];
  if (last !== 0x0a && last !== 0x0d) push(Buffer.from('\n', 'latin1'));

  const unique = [...new Map(refs.map((ref) => [ref.objectNumber, ref])).values()].sort(
    (a, b) => a.objectNumber - b.objectNumber,
  );
  const offsets = new Map<number, number>();
  for (const ref of unique) {
    const object = doc.context.lookup(ref);
    if (!object) throw new PdfStructureError(`object ${ref.objectNumber} to write is missing`);
    offsets.set(ref.objectNumber, offset);
    push(Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'));
    push(serialise(object));
    push(Buffer.from('\nendobj\n', 'latin1'));
  }

  const xrefOffset = offset;
  let xref = 'xref\n';
  for (const run of contiguousRuns(unique)) {
    xref += `${run[0].objectNumber} ${run.length}\n`;
    for (const ref of run) {
      xref += `${String(offsets.get(ref.objectNumber)).padStart(10, '0')} ${String(ref.generationNumber).padStart(5, '0')} n\r\n`;
    }
  }
  push(Buffer.from(xref, 'latin1'));

  const trailerDict = doc.context.obj({});
  trailerDict.set(PDFName.of('Size'), PDFNumber.of(doc.context.largestObjectNumber + 1));
  trailerDict.set(PDFName.of('Root'), trailer.Root);
  if (trailer.Info) trailerDict.set(PDFName.of('Info'), trailer.Info);
  if (trailer.ID instanceof PDFArray) trailerDict.set(PDFName.of('ID'), trailer.ID);
  trailerDict.set(PDFName.of('Prev'), PDFNumber.of(prev));
  push(Buffer.from('trailer\n', 'latin1'));
  push(serialise(trailerDict));
  push(Buffer.from(`\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

function serialise(object: PDFObject): Buffer {
  const buffer = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return Buffer.from(buffer);
}

function contiguousRuns(refs: PDFRef[]): PDFRef[][] {
  const runs: PDFRef[][] = [];
  for (const ref of refs) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1].objectNumber + 1 === ref.objectNumber) run.push(ref);
    else runs.push([ref]);
  }
  return runs;
}

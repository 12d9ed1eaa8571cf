import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/**
 * Tinos (metric-compatible with Times New Roman, from @fontsource/tinos) for the visible text of signatures. The
 * package splits the face by script, so Vietnamese text is drawn in runs: each character with the first subset
 * that has a glyph for it.
 */
const require = createRequire(import.meta.url);
const SUBSETS = ['latin', 'vietnamese', 'latin-ext'] as const;
const fontFiles = new Map<string, Buffer>();

function fontFile(subset: string): Buffer {
  let bytes = fontFiles.get(subset);
  if (!bytes) {
    bytes = readFileSync(require.resolve(`@fontsource/tinos/files/tinos-${subset}-400-normal.woff`));
    fontFiles.set(subset, bytes);
  }
  return bytes;
}

export interface FontSet {
  fonts: PDFFont[];
  sets: Set<number>[];
}

export async function embedTimesFonts(doc: PDFDocument): Promise<FontSet> {
  doc.registerFontkit(fontkit);
  const fonts: PDFFont[] = [];
  for (const subset of SUBSETS) fonts.push(await doc.embedFont(fontFile(subset), { subset: true }));
  return { fonts, sets: fonts.map((font) => new Set(font.getCharacterSet())) };
}

export interface TextRun {
  fontIndex: number;
  text: string;
}

export class UnsupportedCharacterError extends Error {
  override name = 'UnsupportedCharacterError';
}

/** Splits NFC text into runs of one font each; a character no subset can draw is refused, never dropped. */
export function textRuns(text: string, fontSet: FontSet): TextRun[] {
  const runs: TextRun[] = [];
  for (const character of text.normalize('NFC')) {
    const fontIndex = fontSet.sets.findIndex((set) => set.has(character.codePointAt(0)!));
    if (fontIndex < 0) throw new UnsupportedCharacterError(`no glyph for U+${character.codePointAt(0)!.toString(16)}`);
    const last = runs[runs.length - 1];
    if (last && last.fontIndex === fontIndex) last.text += character;
    else runs.push({ fontIndex, text: character });
  }
  return runs;
}

export function textWidth(runs: TextRun[], fontSet: FontSet, size: number): number {
  return runs.reduce((sum, run) => sum + fontSet.fonts[run.fontIndex].widthOfTextAtSize(run.text, size), 0);
}

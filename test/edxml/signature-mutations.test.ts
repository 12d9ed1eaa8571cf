import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPackageXml } from '../../edxml/signature';
import { verifyPackageXml } from '../../edxml/signature-verify';
import { type PkiFixture, createPkiFixture } from '../signing/pki-fixture';

/**
 * Generated mutations of a signed package: any change to the text of the signed content is refused, and no change
 * anywhere makes verification throw instead of answering.
 */
const documentXml = readFileSync(path.join(import.meta.dirname, '../fixtures/signing/document-package.xml'), 'utf8');

let fx: PkiFixture;
let signed: string;
let contentPositions: number[];

beforeAll(async () => {
  fx = await createPkiFixture();
  signed = signPackageXml(documentXml, fx.sender);
  const signatureStart = signed.indexOf('<Signature');
  const signatureEnd = signed.indexOf('</Signature>') + '</Signature>'.length;
  // Letters and digits in element text outside the signature: every one of them is signed content.
  contentPositions = [];
  let inTag = false;
  for (let i = 0; i < signed.length; i += 1) {
    const c = signed[i];
    if (c === '<') inTag = true;
    else if (c === '>') inTag = false;
    else if (!inTag && (i < signatureStart || i >= signatureEnd) && /[A-Za-z0-9]/.test(c)) contentPositions.push(i);
  }
});
afterAll(() => fx?.cleanup());

const trust = () => ({ trustedRoots: [fx.rootPem] });

describe('mutations of a signed package', () => {
  it('refuses every change of one letter or digit of the signed text', async () => {
    expect(contentPositions.length).toBeGreaterThan(500);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...'aZ09xQ'), async (pick, replacement) => {
        const at = contentPositions[pick % contentPositions.length];
        fc.pre(signed[at] !== replacement);
        const mutated = signed.slice(0, at) + replacement + signed.slice(at + 1);
        const result = await verifyPackageXml(mutated, trust());
        expect(result).toMatchObject({ ok: false, code: 'digest_mismatch' });
      }),
      { numRuns: 100 },
    );
  });

  it('answers every arbitrary one-character change with a result, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...'<>&"\'=/ \nAz0'), async (pick, replacement) => {
        const at = pick % signed.length;
        const mutated = signed.slice(0, at) + replacement + signed.slice(at + 1);
        const result = await verifyPackageXml(mutated, trust());
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * Hostile and broken input: refused with EdxmlParseError and a stable code, nothing expanded, limits applied
 * before the work they bound.
 */
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildPackage,
  createAttachment,
  DEFAULT_LIMITS,
  EdxmlParseError,
  parsePackage,
  parsePackageStream,
  readPackageStream,
  type DocumentPackage,
  type PackageLimits,
} from '../../edxml/index';
import { comparable, exampleDocument, FIXTURES } from './support/packages';

const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
const canonical = () => buildPackage(exampleDocument());

function failure(input: string | Uint8Array, limits?: Partial<PackageLimits>): EdxmlParseError {
  try {
    parsePackage(input, limits);
  } catch (error) {
    if (error instanceof EdxmlParseError) return error;
    throw error;
  }
  throw new Error('parsed');
}

function withAttachment(bytes: number): string {
  const pkg = exampleDocument();
  pkg.attachments = [createAttachment({ contentId: '1', name: 'lon.pdf', contentType: 'application/pdf', data: Buffer.alloc(bytes, 7) })];
  return buildPackage(pkg);
}

describe('DTDs and entities', () => {
  it('refuses XXE: an external entity is never resolved', () => {
    const xml = canonical().replace(
      '<edXML xmlns',
      '<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<edXML xmlns',
    ).replace('<edXML:Subject>V/v', '<edXML:Subject>&xxe; V/v');
    const error = failure(xml);
    expect(error.code).toBe('doctype_forbidden');
    expect(error.message).not.toContain('root:');
  });

  it('refuses billion laughs before expanding anything', () => {
    const lol = ['<!ENTITY lol "lol">'];
    for (let i = 1; i < 10; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE edXML [${lol.join('')}]>\n<edXML xmlns="${NS}">&lol9;</edXML>`;
    expect(failure(xml).code).toBe('doctype_forbidden');
  });

  it('refuses any spelling of DOCTYPE, and ENTITY declarations on their own', () => {
    expect(failure(`<!doctype edXML>\n<edXML xmlns="${NS}"/>`).code).toBe('doctype_forbidden');
    expect(failure(`<edXML xmlns="${NS}"><!-- <!ENTITY x "y"> --></edXML>`).code).toBe('entity_forbidden');
  });

  it('refuses a reference to an undeclared entity and a bare ampersand', () => {
    expect(failure(canonical().replace('<edXML:Subject>V/v', '<edXML:Subject>&nbsp;V/v'))).toMatchObject({
      code: 'undefined_entity',
      path: 'edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Subject',
    });
    expect(failure(canonical().replace('<edXML:Subject>V/v', '<edXML:Subject>A & B')).code).toMatch(/undefined_entity|malformed_xml/);
  });

  it('refuses characters XML cannot carry, raw or as references', () => {
    expect(failure(canonical().replace('<edXML:Subject>V/v', '<edXML:Subject>&#1;V/v')).code).toBe('invalid_character');
    expect(failure(canonical().replace('<edXML:Subject>V/v', '<edXML:Subject>\u0001V/v')).code).toBe('invalid_character');
    expect(failure(canonical().replace('<edXML:Subject>V/v', '<edXML:Subject><![CDATA[\u0002]]>V/v')).code).toBe('invalid_character');
    expect(failure(canonical().replace('<edXML:Subject>V/v', '<edXML:Subject>&#xD800;V/v')).code).toBe('invalid_character');
  });
});

describe('structure', () => {
  it('refuses deep nesting', () => {
    const deep = `${'<edXML:b>'.repeat(10_000)}${'</edXML:b>'.repeat(10_000)}`;
    expect(failure(canonical().replace('<edXML:Subject>V/v', `<edXML:Subject>${deep}V/v`)).code).toBe('too_deep');
    // The limit is configurable: the §8 example itself is 7 levels deep.
    expect(failure(canonical(), { maxDepth: 6 }).code).toBe('too_deep');
    expect(() => parsePackage(canonical(), { maxDepth: 7 })).not.toThrow();
  });

  it('refuses too many elements', () => {
    expect(failure(canonical(), { maxElements: 50 }).code).toBe('too_many_elements');
  });

  it('refuses a root in the wrong namespace, without namespace, or of the wrong name', () => {
    const other = canonical().replace(`<edXML xmlns="${NS}">`, '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2015">');
    expect(failure(other)).toMatchObject({ code: 'wrong_namespace', detail: 'http://www.mic.gov.vn/TBT/QCVN_102_2015' });
    expect(failure('<edXML><edXMLEnvelope/></edXML>')).toMatchObject({ code: 'wrong_namespace', detail: '(none)' });
    expect(failure(`<Package xmlns="${NS}"/>`).code).toBe('wrong_root');
  });

  it('refuses truncated input, wherever it is cut', () => {
    const xml = canonical();
    for (const at of [40, 300, Math.floor(xml.length / 2), xml.length - 12, xml.length - 3]) {
      expect(['truncated', 'malformed_xml']).toContain(failure(xml.slice(0, at)).code);
    }
    expect(failure(xml.slice(0, xml.lastIndexOf('</edXML>'))).code).toBe('truncated');
  });

  it('refuses malformed XML: crossed tags, two roots, text outside the root, empty input, -- in a comment, < in an attribute', () => {
    expect(failure(canonical().replace('</edXML:Subject>', '</edXML:Content>')).code).toBe('malformed_xml');
    expect(failure(`${canonical()}<edXML xmlns="${NS}"/>`).code).toBe('malformed_xml');
    expect(failure(`${canonical()}rác`).code).toBe('malformed_xml');
    expect(failure('  \n').code).toBe('empty_input');
    expect(failure(canonical().replace('<edXML:Subject>', '<!--a<!--b-->c--><edXML:Subject>')).code).toBe('malformed_xml');
    expect(failure(canonical().replace('<edXML:Subject>', '<!--a---><edXML:Subject>')).code).toBe('malformed_xml');
    expect(failure(canonical().replace('<edXML:Subject>', '<edXML:Subject title="a<b">'))).toMatchObject({ code: 'malformed_xml', detail: "'<' in attribute title" });
  });
});

describe('encoding', () => {
  it('refuses invalid UTF-8: a broken sequence and an overlong encoding', () => {
    const bytes = Buffer.from(canonical(), 'utf8');
    const broken = Buffer.from(bytes);
    broken[bytes.indexOf('V/v')] = 0xc3;
    broken[bytes.indexOf('V/v') + 1] = 0x28;
    expect(failure(broken).code).toBe('invalid_utf8');
    const overlong = Buffer.concat([bytes.subarray(0, 200), Buffer.from([0xc0, 0xaf]), bytes.subarray(200)]);
    expect(failure(overlong).code).toBe('invalid_utf8');
  });

  it('refuses other encodings', () => {
    expect(failure(Buffer.from(`\ufeff${canonical()}`, 'utf16le')).code).toBe('unsupported_encoding');
    expect(failure(canonical().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')).code).toBe('unsupported_encoding');
  });
});

describe('attachments and size limits', () => {
  it('refuses a package over maxPackageBytes before reading it, even when it is not XML at all', () => {
    expect(failure(Buffer.alloc(2_000, 0xff), { maxPackageBytes: 1_000 }).code).toBe('package_too_large');
    expect(failure(canonical(), { maxPackageBytes: 1_000 }).code).toBe('package_too_large');
  });

  it('refuses huge base64 by its length, before decoding it or parsing the rest', () => {
    // The package is cut after the payload: the size is what stops it, not the missing end.
    const xml = withAttachment(300_000);
    const cut = xml.slice(0, xml.indexOf('</edXML:ContentTransferEncoded>') + 40);
    expect(failure(cut, { maxAttachmentBytes: 200_000 })).toMatchObject({ code: 'attachment_too_large' });
    expect(() => parsePackage(xml, { maxAttachmentBytes: 300_000 })).not.toThrow();
  });

  it('refuses metadata over maxMetadataBytes without walking it, whatever the attachments weigh', () => {
    const pkg = exampleDocument();
    pkg.header.content = 'Nội dung '.repeat(600_000);
    expect(failure(buildPackage(pkg)).code).toBe('metadata_too_large');
    expect(() => parsePackage(withAttachment(5 * 1024 * 1024))).not.toThrow();
  });

  it('refuses a large attachment that is not base64 by its content, not by parsing it as XML', () => {
    const junk = canonical().replace('JVBERi0xLjcKJcOkw7zDtsOfCg==', '*'.repeat(3_000_000));
    expect(failure(junk)).toMatchObject({ code: 'invalid_base64', path: 'edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded' });
  });

  it('reads text that only looks like an attachment exactly as written (CDATA)', () => {
    const text = '<edXML:ContentTransferEncoded>QUJD</edXML:ContentTransferEncoded>';
    const xml = canonical().replace(/<edXML:Subject>[^<]*</, `<edXML:Subject><![CDATA[${text}]]><`);
    expect((parsePackage(xml) as DocumentPackage).header.subject).toBe(text);
  });

  it('refuses more attachments than allowed', () => {
    const pkg = exampleDocument();
    pkg.attachments = [1, 2, 3].map((i) => createAttachment({ contentId: String(i), name: `${i}.pdf`, contentType: 'application/pdf', data: Buffer.from([i]) }));
    expect(failure(buildPackage(pkg), { maxAttachments: 2 }).code).toBe('too_many_attachments');
    expect((parsePackage(buildPackage(pkg), { maxAttachments: 3 }) as DocumentPackage).attachments).toHaveLength(3);
  });

  it('decodes base64 strictly, naming the element', () => {
    const path = 'edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded';
    const replace = (payload: string) => canonical().replace('JVBERi0xLjcKJcOkw7zDtsOfCg==', payload);
    expect(failure(replace('${__StringFromFile(test.txt,,,)}'))).toMatchObject({ code: 'invalid_base64', path });
    expect(failure(replace('JVBERi0xLjcKJcOkw7zDtsOfCg='))).toMatchObject({ code: 'invalid_base64', path });
    expect(failure(replace('JVBERi0xLjcKJcOkw7zDtsOfCh=='))).toMatchObject({ code: 'invalid_base64', detail: 'non-canonical padding' });
    expect(failure(replace('JVBERi0x=LjcKJcOkw7zDtsOfCg='))).toMatchObject({ code: 'invalid_base64', path });
    // Line breaks inside base64 are fine.
    const wrapped = parsePackage(replace('JVBERi0xLjcK\r\n  JcOkw7zDtsOfCg==')) as DocumentPackage;
    expect(wrapped.attachments[0].data.toString('latin1')).toContain('%PDF-1.7');
  });

  it('computes size and SHA-256 on parse and checks digests the caller knows', () => {
    const pkg = parsePackage(canonical()) as DocumentPackage;
    const expected = exampleDocument().attachments[0];
    expect(pkg.attachments[0]).toMatchObject({ size: 19, sha256: expected.sha256 });
    expect(() => parsePackage(canonical(), undefined, { expectedDigests: { 'cid:1': expected.sha256.toUpperCase() } })).not.toThrow();
    expect(() => parsePackage(canonical(), undefined, { expectedDigests: { '1': '0'.repeat(64) } })).toThrow(
      expect.objectContaining({ code: 'attachment_digest_mismatch' }),
    );
    expect(() => parsePackage(canonical(), undefined, { expectedDigests: { '2': expected.sha256 } })).toThrow(
      expect.objectContaining({ code: 'attachment_digest_mismatch' }),
    );
  });

  it('rejects limits that are not positive integers', () => {
    expect(() => parsePackage(canonical(), { maxDepth: 0 })).toThrow(RangeError);
    expect(DEFAULT_LIMITS.maxPackageBytes).toBeGreaterThan(10 * 1024 * 1024);
  });
});

describe('readPackageStream', () => {
  it('stops reading a stream as soon as it passes maxPackageBytes', async () => {
    let pulled = 0;
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          pulled++;
          yield Buffer.alloc(400, 0x61);
        }
      } finally {
        closed = true;
      }
    }
    await expect(readPackageStream(endless(), { maxPackageBytes: 1_000 })).rejects.toMatchObject({ code: 'package_too_large' });
    expect(pulled).toBe(3);
    expect(closed).toBe(true);
  });

  it('reads a file stream under the limit and parses it', async () => {
    const pkg = await parsePackageStream(createReadStream(`${FIXTURES}example-document.edxml`, { highWaterMark: 1024 }));
    expect(comparable(pkg)).toEqual(comparable({ ...exampleDocument(), signed: true }));
    const bytes = await readPackageStream(createReadStream(`${FIXTURES}example-status.edxml`));
    expect(bytes.toString('utf8')).toContain('<edXML:StatusCode>03</edXML:StatusCode>');
  });

  it('destroys a file stream that is too large', async () => {
    const stream = createReadStream(`${FIXTURES}sdk/edoc_update.edxml`, { highWaterMark: 16 * 1024 });
    await expect(readPackageStream(stream, { maxPackageBytes: 50_000 })).rejects.toMatchObject({ code: 'package_too_large' });
    expect(stream.destroyed).toBe(true);
    expect(stream.bytesRead).toBeLessThan(100_000);
  });
});

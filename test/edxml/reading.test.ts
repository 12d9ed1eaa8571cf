/**
 * Read as the real axis writes: namespace-aware (any prefix or none), any element order, lenient dates,
 * both ContentId spellings, the Signature in any of its namespaces; and whatever cannot be read is named.
 */
import { DOMParser, XMLSerializer, type Element as DomElement, type Node as DomNode } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { buildPackage, EdxmlParseError, parsePackage, validatePackage, type DocumentPackage } from '../../edxml/index';
import { comparable, exampleDocument, exampleStatus, NOW } from './support/packages';

const H = 'edXML/edXMLEnvelope/edXMLHeader/MessageHeader';
const canonical = () => buildPackage(exampleDocument());

function expectSameAsExample(xml: string | Buffer): void {
  expect(comparable(parsePackage(xml))).toEqual(comparable(exampleDocument()));
}

function parseFailure(xml: string): EdxmlParseError {
  try {
    parsePackage(xml);
  } catch (error) {
    if (error instanceof EdxmlParseError) return error;
    throw error;
  }
  throw new Error('parsed');
}

/**
 * Reverses the order of the differently named children of every element (an independent DOM does the
 * rewriting); repeated elements keep their relative order, which carries meaning (To, Place, …).
 */
function reverseElementOrder(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const visit = (el: DomElement) => {
    const groups = new Map<string, DomNode[]>();
    for (const child of Array.from(el.childNodes) as DomNode[]) {
      const key = child.nodeType === 1 ? (child as DomElement).localName ?? '' : '#other';
      groups.set(key, [...(groups.get(key) ?? []), child]);
      el.removeChild(child);
    }
    for (const group of [...groups.values()].reverse()) {
      for (const child of group) {
        el.appendChild(child);
        if (child.nodeType === 1) visit(child as DomElement);
      }
    }
  };
  visit(doc.documentElement!);
  return new XMLSerializer().serializeToString(doc);
}

describe('namespaces and prefixes', () => {
  it('reads unprefixed elements in the default namespace', () => {
    const xml = canonical()
      .replace(/<(\/?)edXML:/g, '<$1')
      .replace(/ xmlns:edXML="[^"]*"/g, '');
    expect(xml).not.toContain('edXML:');
    expectSameAsExample(xml);
  });

  it('reads any prefix bound to the edXML namespace, and a root without a default namespace', () => {
    const xml = canonical()
      .replace(/<(\/?)edXML:/g, '<$1ns2:')
      .replace(/xmlns:edXML=/g, 'xmlns:ns2=')
      .replace('<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">', '<ns2:edXML xmlns:ns2="http://www.mic.gov.vn/TBT/QCVN_102_2016">')
      .replace('</edXML>', '</ns2:edXML>')
      .replace(/<(\/?)(AttachmentEncoded|Attachment|ContentId|AttachmentName|Description|ContentType)>/g, '<$1ns2:$2>');
    expect(xml).not.toMatch(/<edXML/);
    expectSameAsExample(xml);
  });

  it('does not take an element of another namespace for an edXML one', () => {
    const xml = canonical().replace(
      /<edXML:Subject>[^<]*<\/edXML:Subject>/,
      '<x:Subject xmlns:x="urn:other">V/v khác</x:Subject>',
    );
    const pkg = parsePackage(xml) as DocumentPackage;
    expect(pkg.header.subject).toBe('');
    const faults = validatePackage(pkg, { now: NOW }).map((f) => `${f.path} ${f.code}`);
    expect(faults).toContain(`${H}/Subject unknown_element`);
    expect(faults).toContain(`${H}/Subject required`);
  });

  it('refuses an element whose prefix is not declared, naming it', () => {
    const error = parseFailure(canonical().replace('<AttachmentEncoded>', '<edXML:AttachmentEncoded>').replace('</AttachmentEncoded>', '</edXML:AttachmentEncoded>'));
    expect(error.code).toBe('undeclared_prefix');
    expect(error.path).toBe('edXML/AttachmentEncoded');
  });
});

describe('element order, whitespace, comments and escapes', () => {
  it('reads the elements in reverse order as the same package', () => {
    const reversed = reverseElementOrder(canonical());
    expect(reversed.indexOf('<edXML:DocumentId>')).toBeLessThan(reversed.indexOf('<edXML:From>'));
    expectSameAsExample(reversed);
  });

  it('reads CRLF line ends, a UTF-8 byte order mark, comments and no indentation', () => {
    const xml = canonical()
      .replace(/\n\s*/g, '\r\n')
      .replace('<edXML:Subject>', '<!-- trích yếu --><edXML:Subject>')
      .replace('</edXML:MessageHeader>', '<!-- hết --></edXML:MessageHeader>');
    expectSameAsExample(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')]));
  });

  it('decodes predefined entities, character references and CDATA', () => {
    const xml = canonical().replace(
      /<edXML:Subject>[^<]*<\/edXML:Subject>/,
      '<edXML:Subject>V/v &#272;&#x1ea1;i h&#7897;i &amp; &lt;h&#7897;i ngh&#7883;&gt; <![CDATA[<tổng kết> & "khen thưởng"]]></edXML:Subject>',
    );
    const pkg = parsePackage(xml) as DocumentPackage;
    expect(pkg.header.subject).toBe('V/v Đại hội & <hội nghị> <tổng kết> & "khen thưởng"');
  });
});

describe('lenient values', () => {
  it('reads day-first and ISO dates and timestamps, written back in the sample format', () => {
    const xml = canonical()
      .replace('<edXML:PromulgationDate>2024/12/16<', '<edXML:PromulgationDate>16/12/2024<')
      .replace('<edXML:DueDate>2024/12/27<', '<edXML:DueDate>2024-12-27<')
      .replace('<edXML:Timestamp>2024/12/16 15:42:10<', '<edXML:Timestamp>2024-12-16T15:42:10<');
    expectSameAsExample(xml);
  });

  it('matches manifest and attachment by ContentId with or without cid:, or by xlink:href', () => {
    const xml = canonical()
      .replace('<edXML:ContentId>cid:1</edXML:ContentId>', '')
      .replace('<edXML:Reference>', '<edXML:Reference xlink:href="cid:1" xmlns:xlink="http://www.w3.org/1999/xlink">')
      .replace('<ContentId>cid:1</ContentId>', '<ContentId>1</ContentId>');
    expectSameAsExample(xml);
  });

  it('takes a field written only in the manifest or only on the attachment', () => {
    const xml = canonical()
      .replace('<edXML:ContentType>application/pdf</edXML:ContentType>', '')
      .replace('<Description>Công văn 1234/UBND-VP (đã ký số)</Description>', '');
    expectSameAsExample(xml);
  });
});

describe('signature element', () => {
  const signature = (open: string, close: string) => `${open}<SignedInfo/><SignatureValue>AAAA</SignatureValue>${close}`;

  it.each([
    ['the XML-DSig namespace', signature('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">', '</Signature>')],
    ['no namespace of its own, as the 2016 samples', signature('<Signature>', '</Signature>')],
    ['a ds: prefix', signature('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">', '</ds:Signature>')],
  ])('is noted when written with %s, and not interpreted', (_title, element) => {
    const xml = canonical().replace('</edXML:edXMLHeader>', `${element}</edXML:edXMLHeader>`);
    const pkg = parsePackage(xml);
    expect(pkg.signed).toBe(true);
    expect(validatePackage(pkg, { now: NOW })).toEqual([]);
  });

  it('treats the empty DigitalSignature of a provincial variant as no signature, with a warning', () => {
    const xml = canonical().replace('</edXML:edXMLHeader>', '<edXML:DigitalSignature/></edXML:edXMLHeader>');
    const pkg = parsePackage(xml);
    expect(pkg.signed).toBe(false);
    expect(validatePackage(pkg, { now: NOW })).toEqual([
      expect.objectContaining({ path: 'edXML/edXMLEnvelope/edXMLHeader/DigitalSignature', code: 'ignored_element', severity: 'warning' }),
    ]);
  });

  it('tolerates the provincial attributes on TraceHeaderList and the old Author block (with a warning)', () => {
    const xml = canonical()
      .replace('<edXML:TraceHeaderList>', '<edXML:TraceHeaderList id="th1" version="1.0" mustUnderstand="1" actor="x">')
      .replace('<edXML:DueDate>', '<edXML:Author><edXML:FullName>Trần Thị Minh Hạnh</edXML:FullName></edXML:Author><edXML:DueDate>');
    const pkg = parsePackage(xml);
    expect(validatePackage(pkg, { now: NOW }).map((f) => `${f.severity} ${f.path} ${f.code}`)).toEqual([`warning ${H}/Author ignored_element`]);
  });
});

describe('what cannot be read is named', () => {
  it('reports an unknown element and stray text with their paths', () => {
    const xml = canonical()
      .replace('<edXML:Subject>', '<edXML:Subjekt>x</edXML:Subjekt><edXML:Subject>')
      .replace('<edXML:OtherInfo>', '<edXML:OtherInfo>chữ lạc');
    const faults = validatePackage(parsePackage(xml), { now: NOW }).map((f) => `${f.severity} ${f.path} ${f.code}`);
    expect(faults).toEqual([`error ${H}/OtherInfo unexpected_text`, `error ${H}/Subjekt unknown_element`]);
  });

  it('reports child elements inside a leaf', () => {
    const xml = canonical().replace('<edXML:Subject>', '<edXML:Subject><edXML:b>đậm</edXML:b>');
    const faults = validatePackage(parsePackage(xml), { now: NOW }).map((f) => `${f.path} ${f.code}`);
    expect(faults).toEqual([`${H}/Subject/b unknown_element`]);
  });

  it('refuses a single-valued element written twice, naming it', () => {
    const error = parseFailure(canonical().replace('<edXML:Subject>', '<edXML:Subject>Khác</edXML:Subject><edXML:Subject>'));
    expect(error.code).toBe('duplicate_element');
    expect(error.path).toBe(`${H}/Subject`);
  });

  it('refuses a package without envelope or header', () => {
    expect(parseFailure('<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"/>').path).toBe('edXML/edXMLEnvelope');
    const noHeader = '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope/></edXML>';
    expect(parseFailure(noHeader)).toMatchObject({ code: 'missing_element', path: 'edXML/edXMLEnvelope/edXMLHeader' });
  });

  it('reports manifest and attachments that do not match', () => {
    const mismatch = canonical().replace('<AttachmentName>1234_UBND-VP_signed.pdf<', '<AttachmentName>khac.pdf<');
    expect(validatePackage(parsePackage(mismatch), { now: NOW }).map((f) => `${f.path} ${f.code}`)).toEqual([
      'edXML/AttachmentEncoded/Attachment[1]/AttachmentName manifest_mismatch',
    ]);

    const orphanReference = canonical().replace('</edXML:edXMLManifest>', '<edXML:Reference><edXML:ContentId>cid:2</edXML:ContentId></edXML:Reference></edXML:edXMLManifest>');
    expect(validatePackage(parsePackage(orphanReference), { now: NOW }).map((f) => `${f.path} ${f.code}`)).toEqual([
      'edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]/ContentId attachment_missing',
    ]);

    const unlisted = canonical().replace('<edXML:ContentId>cid:1</edXML:ContentId>', '<edXML:ContentId>cid:9</edXML:ContentId>');
    expect(validatePackage(parsePackage(unlisted), { now: NOW }).map((f) => `${f.path} ${f.code}`)).toEqual([
      'edXML/AttachmentEncoded/Attachment[1]/ContentId attachment_not_in_manifest',
      'edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[1]/ContentId attachment_missing',
    ]);

    const noData = canonical().replace(/<edXML:ContentTransferEncoded[^>]*>[^<]*<\/edXML:ContentTransferEncoded>/, '');
    const pkg = parsePackage(noData) as DocumentPackage;
    expect(pkg.attachments).toEqual([]);
    expect(validatePackage(pkg, { now: NOW }).map((f) => `${f.path} ${f.code}`)).toContain(
      'edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded attachment_data_missing',
    );
  });

  it('reads a status package and rejects document-only blocks in it', () => {
    const xml = buildPackage(exampleStatus()).replace('</edXML:edXMLEnvelope>', '<edXML:edXMLBody/></edXML:edXMLEnvelope>');
    expect(validatePackage(parsePackage(xml)).map((f) => `${f.path} ${f.code}`)).toEqual(['edXML/edXMLEnvelope/edXMLBody unknown_element']);
  });
});

/**
 * One canonical form: build∘parse is exact on our own examples (edxml.md §8, §9) and on generated packages,
 * and writing what was read gives the same bytes again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPackage,
  createAttachment,
  EdxmlBuildError,
  normalizeDate,
  normalizeTimestamp,
  parsePackage,
  validatePackage,
  type DocumentPackage,
  type EdxmlPackage,
  type Organization,
  type StatusPackage,
} from '../../edxml/index';
import {
  comparable,
  exampleDocument,
  exampleReplace,
  exampleRevoke,
  exampleStatus,
  exampleUpdate,
  fixture,
  NOW,
} from './support/packages';

function expectExactRoundTrip(pkg: EdxmlPackage): string {
  const xml = buildPackage(pkg);
  const reread = parsePackage(xml);
  expect(comparable(reread)).toEqual(comparable(pkg));
  expect(buildPackage(reread)).toBe(xml);
  return xml;
}

describe('edxml.md examples', () => {
  it('§8 document package reads as the expected object, its Signature noted but not interpreted', () => {
    const pkg = parsePackage(fixture('example-document.edxml'));
    expect(comparable(pkg)).toEqual(comparable({ ...exampleDocument(), signed: true }));
    expect(validatePackage(pkg, { now: NOW })).toEqual([]);
  });

  it('§9 status package reads as the expected object', () => {
    const pkg = parsePackage(fixture('example-status.edxml'));
    expect(pkg).toEqual(exampleStatus());
    expect(validatePackage(pkg, { now: NOW })).toEqual([]);
  });

  it('§8 written canonically is the §8 text without its Signature, one element per line', () => {
    const written = buildPackage(exampleDocument());
    const expected = fixture('example-document.edxml')
      .toString('utf8')
      .replace(/ *<Signature[\s\S]*<\/Signature>\n/, '')
      .replace(/><edXML:/g, '>\n     <edXML:');
    expect(written).toBe(expected);
  });

  it('§9 written canonically is the §9 text byte for byte', () => {
    expect(buildPackage(exampleStatus())).toBe(fixture('example-status.edxml').toString('utf8').replace(/><edXML:/g, '>\n     <edXML:'));
  });

  it('round-trips every example, business type and the status', () => {
    for (const pkg of [exampleDocument(), exampleRevoke(), exampleUpdate(), exampleReplace(), exampleStatus()]) {
      expectExactRoundTrip(pkg);
    }
  });

  it('keeps absent and empty optional elements apart', () => {
    const pkg = exampleDocument();
    delete pkg.header.to[0].fax;
    pkg.header.to[0].website = '';
    const reread = parsePackage(expectExactRoundTrip(pkg)) as DocumentPackage;
    expect('fax' in reread.header.to[0]).toBe(false);
    expect(reread.header.to[0].website).toBe('');
  });

  it('refuses to write text XML cannot carry, naming the element', () => {
    const pkg = exampleDocument();
    pkg.header.subject = 'Trích yếu\u0001';
    expect(() => buildPackage(pkg)).toThrow(EdxmlBuildError);
    expect(() => buildPackage(pkg)).toThrow(/edXML\/edXMLEnvelope\/edXMLHeader\/MessageHeader\/Subject/);
  });
});

// Text that exercises escaping: XML specials, CR/LF/tab, Vietnamese, astral characters, blanks at the ends.
const textChar = fc.constantFrom(...Array.from('aZ09 ./-,;:&<>"\'\r\n\tĐđăâêôơưẠỹ€𝄞'), ']]>', 'Ệ');
const text = fc.array(textChar, { maxLength: 24 }).map((chars) => chars.join(''));
const optionalText = fc.option(text, { nil: undefined });
const date = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replace(/-/g, '/'));
// Lenient reading rewrites date-like text, so generated date fields are canonical dates or text that is no date.
const dateField = fc.oneof(date, text.filter((t) => normalizeDate(t) === t));
const timestampField = fc.oneof(
  date.map((d) => `${d} 08:15:32`),
  text.filter((t) => normalizeTimestamp(t) === t),
);

function withOptional<T extends object>(required: T, optional: Record<string, string | undefined>): T {
  const result = { ...required } as Record<string, unknown>;
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) result[key] = value;
  return result as T;
}

const organization: fc.Arbitrary<Organization> = fc
  .record({
    organId: text,
    organizationInCharge: optionalText,
    organName: optionalText,
    organAdd: optionalText,
    email: optionalText,
    telephone: optionalText,
    fax: optionalText,
    website: optionalText,
  })
  .map(({ organId, ...rest }) => withOptional({ organId }, rest));

const responseFor = fc
  .record({ organId: optionalText, code: optionalText, promulgationDate: fc.option(dateField, { nil: undefined }), documentId: optionalText })
  .map((r) => withOptional({}, r));

const staffInfo = fc
  .record({ department: optionalText, staff: optionalText, email: optionalText, mobile: optionalText })
  .map((s) => withOptional({}, s));

const attachment = fc
  .record({
    contentId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.@-]{0,20}$/),
    name: text,
    contentType: text,
    description: optionalText,
    data: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  })
  .map((a) => createAttachment(withOptional({ contentId: a.contentId, name: a.name, contentType: a.contentType, data: a.data }, { description: a.description })));

const business = fc
  .record({
    bussinessDocType: text,
    bussinessDocReason: optionalText,
    documentId: optionalText,
    paper: optionalText,
    info: fc.option(
      fc.record({
        documentInfo: optionalText,
        documentReceiver: optionalText,
        receiverList: fc.array(fc.record({ organId: text, receiverType: text }), { maxLength: 3 }),
      }),
      { nil: undefined },
    ),
    replacementInfoList: fc.array(fc.record({ documentId: text, organIdList: fc.array(text, { maxLength: 3 }) }), { maxLength: 2 }),
    staffInfo: fc.option(staffInfo, { nil: undefined }),
  })
  .map(({ info, staffInfo: staff, bussinessDocType, replacementInfoList, ...rest }) => {
    const b = withOptional({ bussinessDocType, replacementInfoList }, rest) as DocumentPackage['business'] & object;
    if (info) b.bussinessDocumentInfo = withOptional({ receiverList: info.receiverList }, { documentInfo: info.documentInfo, documentReceiver: info.documentReceiver });
    if (staff) b.staffInfo = staff;
    return b;
  });

const documentPackage: fc.Arbitrary<DocumentPackage> = fc
  .record({
    from: organization,
    to: fc.array(organization, { maxLength: 3 }),
    code: fc.record({ codeNumber: text, codeNotation: text }),
    promulgationInfo: fc.record({ place: optionalText, promulgationDate: fc.option(dateField, { nil: undefined }) }),
    documentType: fc.record({ type: text, typeDetail: optionalText, typeName: optionalText }),
    subject: text,
    content: optionalText,
    signerInfo: fc.record({ competence: optionalText, position: optionalText, fullName: optionalText }),
    dueDate: fc.option(dateField, { nil: undefined }),
    toPlaces: fc.array(text, { maxLength: 3 }),
    otherInfo: fc.record({
      priority: text,
      sphereOfPromulgation: optionalText,
      typerNotation: optionalText,
      promulgationAmount: optionalText,
      pageAmount: optionalText,
      direction: optionalText,
      appendixes: fc.array(text, { maxLength: 2 }),
    }),
    responseFor: fc.array(responseFor, { maxLength: 2 }),
    steeringType: optionalText,
    documentId: optionalText,
    traceHeaders: fc.array(fc.record({ organId: text, timestamp: timestampField }), { maxLength: 2 }),
    business: fc.option(business, { nil: undefined }),
    attachments: fc.uniqueArray(attachment, { maxLength: 3, selector: (a) => a.contentId }),
  })
  .map(({ traceHeaders, business: b, attachments, ...h }) => {
    const header = withOptional(
      {
        from: h.from,
        to: h.to,
        code: h.code,
        promulgationInfo: withOptional({}, h.promulgationInfo),
        documentType: withOptional({ type: h.documentType.type }, { typeDetail: h.documentType.typeDetail, typeName: h.documentType.typeName }),
        subject: h.subject,
        signerInfo: withOptional({}, h.signerInfo),
        toPlaces: h.toPlaces,
        otherInfo: withOptional(
          { priority: h.otherInfo.priority, appendixes: h.otherInfo.appendixes },
          { ...h.otherInfo, priority: undefined, appendixes: undefined } as unknown as Record<string, string | undefined>,
        ),
        responseFor: h.responseFor,
      },
      { content: h.content, dueDate: h.dueDate, steeringType: h.steeringType, documentId: h.documentId },
    ) as DocumentPackage['header'];
    const pkg: DocumentPackage = { kind: 'document', header, traceHeaders, attachments, signed: false };
    if (b) pkg.business = b;
    return pkg;
  });

const statusPackage: fc.Arbitrary<StatusPackage> = fc
  .record({
    from: organization,
    responseFor,
    staffInfo,
    statusCode: text,
    description: optionalText,
    timestamp: timestampField,
  })
  .map(({ description, ...h }) => ({ kind: 'status', header: withOptional(h, { description }), signed: false }) as StatusPackage);

describe('generated packages', () => {
  it('parse(build(x)) equals x and build(parse(build(x))) === build(x)', () => {
    fc.assert(
      fc.property(fc.oneof(documentPackage, statusPackage), (pkg) => {
        expectExactRoundTrip(pkg);
      }),
      { numRuns: 150 },
    );
  });
});

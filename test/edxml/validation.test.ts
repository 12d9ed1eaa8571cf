/**
 * Each validation rule with a package that breaks it: the fault names the element path, a stable code, a
 * Vietnamese message and its severity. The unbroken examples are valid, so every fault below comes from the
 * change the case makes.
 */
import { describe, expect, it } from 'vitest';
import { validatePackage, isValidPackage, type DocumentPackage, type EdxmlPackage, type StatusPackage } from '../../edxml/index';
import { exampleDocument, exampleReplace, exampleRevoke, exampleStatus, exampleUpdate, NOW } from './support/packages';

const H = 'edXML/edXMLEnvelope/edXMLHeader/MessageHeader';
const B = 'edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness';
const A = 'edXML/AttachmentEncoded/Attachment';

function faultLines(pkg: EdxmlPackage, options: { now?: Date; previousStatus?: string } = {}): string[] {
  return validatePackage(pkg, { now: NOW, ...options }).map((f) => `${f.severity} ${f.path} ${f.code}`);
}

type Case<P> = [title: string, change: (pkg: P) => void, expected: string];

function documentCases(base: () => DocumentPackage, cases: Case<DocumentPackage>[]): void {
  for (const [title, change, expected] of cases) {
    it(title, () => {
      const pkg = base();
      change(pkg);
      expect(faultLines(pkg)).toContain(expected);
      if (expected.startsWith('error')) expect(isValidPackage(pkg, { now: NOW })).toBe(false);
    });
  }
}

describe('valid examples', () => {
  it('the §8 document, its revoke/update/replace variants and the §9 status have no fault at all', () => {
    for (const pkg of [exampleDocument(), exampleRevoke(), exampleUpdate(), exampleReplace(), exampleStatus()]) {
      expect(faultLines(pkg)).toEqual([]);
    }
  });

  it('every fault carries a Vietnamese message', () => {
    const pkg = exampleDocument();
    pkg.header.from.organId = 'h49';
    const [fault] = validatePackage(pkg, { now: NOW });
    expect(fault).toEqual({
      path: `${H}/From/OrganId`,
      code: 'invalid_agency_code',
      severity: 'error',
      message: 'Mã định danh cơ quan không hợp lệ: Mã định danh chỉ gồm chữ in hoa A–Z, chữ số và dấu chấm',
    });
  });
});

describe('agencies', () => {
  documentCases(exampleDocument, [
    ['sender code missing', (p) => void (p.header.from.organId = ''), `error ${H}/From/OrganId required`],
    ['sender code malformed', (p) => void (p.header.from.organId = '000.00.H49'), `error ${H}/From/OrganId invalid_agency_code`],
    ['QĐ 20/2020 codes are accepted', (p) => void (p.header.from.organId = 'G09.01'), `warning ${H}/DocumentId document_id_mismatch`],
    ['no recipient', (p) => void (p.header.to = []), `error ${H}/To required`],
    [
      'second recipient code malformed',
      (p) => void p.header.to.push({ organId: '28.22.H17', organName: 'UBND xã Hòa Sơn' }),
      `error ${H}/To[2]/OrganId invalid_agency_code`,
    ],
    [
      'the same recipient twice',
      (p) => void p.header.to.push({ ...p.header.to[0] }),
      `error ${H}/To[2]/OrganId duplicate_recipient`,
    ],
    ['sender name missing (sent in every sample)', (p) => void delete p.header.from.organName, `warning ${H}/From/OrganName recommended_missing`],
    ['sender name over 200 characters', (p) => void (p.header.from.organName = 'Ủ'.repeat(201)), `error ${H}/From/OrganName too_long`],
    ['address over 250 characters', (p) => void (p.header.from.organAdd = 'a'.repeat(251)), `error ${H}/From/OrganAdd too_long`],
    ['telephone over 20 characters', (p) => void (p.header.to[0].telephone = '0'.repeat(21)), `error ${H}/To[1]/Telephone too_long`],
  ]);
});

describe('number, notation and identifiers', () => {
  documentCases(exampleDocument, [
    ['number missing', (p) => void (p.header.code.codeNumber = ''), `error ${H}/Code/CodeNumber required`],
    ['number with letters', (p) => void (p.header.code.codeNumber = '74fass22'), `error ${H}/Code/CodeNumber invalid_code_number`],
    ['number below 10 without its leading zero', (p) => void (p.header.code.codeNumber = '5'), `warning ${H}/Code/CodeNumber code_number_leading_zero`],
    ['number over 11 digits', (p) => void (p.header.code.codeNumber = '123456789012'), `error ${H}/Code/CodeNumber too_long`],
    ['notation missing', (p) => void (p.header.code.codeNotation = ' '), `error ${H}/Code/CodeNotation required`],
    ['notation with a blank', (p) => void (p.header.code.codeNotation = 'UBND VP'), `error ${H}/Code/CodeNotation invalid_code_notation`],
    ['notation ending in a separator', (p) => void (p.header.code.codeNotation = 'UBND-'), `error ${H}/Code/CodeNotation invalid_code_notation`],
    ['notation over 30 characters', (p) => void (p.header.code.codeNotation = `UBND-${'V'.repeat(26)}`), `error ${H}/Code/CodeNotation too_long`],
    ['DocumentId that is a UUID', (p) => void (p.header.documentId = '9fbfbad2-f1f8-4256-a2eb-50fb1061cddb'), `error ${H}/DocumentId invalid_document_id`],
    ['DocumentId on an impossible date', (p) => void (p.header.documentId = '000.00.00.H49,2024/02/30,1234/UBND-VP'), `error ${H}/DocumentId invalid_document_id`],
    ['DocumentId with a bad issuer code', (p) => void (p.header.documentId = 'h49,2024/12/16,1234/UBND-VP'), `error ${H}/DocumentId invalid_document_id`],
    ['DocumentId missing (sent in every sample)', (p) => void delete p.header.documentId, `warning ${H}/DocumentId recommended_missing`],
    ['DocumentId of another number', (p) => void (p.header.documentId = '000.00.00.H49,2024/12/16,1235/UBND-VP'), `warning ${H}/DocumentId document_id_mismatch`],
  ]);

  it('accepts the year form of DocumentId (QĐ 395) and Vietnamese letters in notations', () => {
    const pkg = exampleDocument();
    pkg.header.documentId = '000.00.00.H49,2024,1234/UBND-VP';
    pkg.header.code.codeNotation = 'QĐ-TTg';
    pkg.header.documentId = '000.00.00.H49,2024,1234/QĐ-TTg';
    expect(faultLines(pkg)).toEqual([]);
  });
});

describe('dates', () => {
  documentCases(exampleDocument, [
    ['issue date missing', (p) => void delete p.header.promulgationInfo.promulgationDate, `error ${H}/PromulgationInfo/PromulgationDate required`],
    ['issue date 30 February', (p) => void (p.header.promulgationInfo.promulgationDate = '2024/02/30'), `error ${H}/PromulgationInfo/PromulgationDate invalid_date`],
    ['issue date not a date', (p) => void (p.header.promulgationInfo.promulgationDate = 'hôm nay'), `error ${H}/PromulgationInfo/PromulgationDate invalid_date`],
    ['issue date tomorrow (Vietnam time)', (p) => void (p.header.promulgationInfo.promulgationDate = '2025/01/16'), `error ${H}/PromulgationInfo/PromulgationDate date_in_future`],
    ['reply deadline not a date', (p) => void (p.header.dueDate = '2024/12/32'), `error ${H}/DueDate invalid_date`],
    ['reply deadline before the issue date', (p) => void (p.header.dueDate = '2024/12/01'), `warning ${H}/DueDate due_date_before_promulgation`],
    ['trace timestamp in month 13', (p) => void (p.traceHeaders[0].timestamp = '2024/13/01 10:00:00'), `error edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader[1]/Timestamp invalid_timestamp`],
    ['trace agency code malformed', (p) => void (p.traceHeaders[0].organId = '01.02.G22'), `error edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader[1]/OrganId invalid_agency_code`],
  ]);

  it('judges "future" by the Vietnamese calendar day, not UTC', () => {
    const pkg = exampleDocument();
    pkg.header.promulgationInfo.promulgationDate = '2025/01/15';
    pkg.header.documentId = '000.00.00.H49,2025/01/15,1234/UBND-VP';
    delete pkg.header.dueDate;
    // 18:00 UTC on 14 January is already 01:00 on 15 January in Vietnam.
    expect(faultLines(pkg, { now: new Date('2025-01-14T18:00:00Z') })).toEqual([]);
    expect(faultLines(pkg, { now: new Date('2025-01-14T16:00:00Z') })).toContain(`error ${H}/PromulgationInfo/PromulgationDate date_in_future`);
  });
});

describe('document metadata', () => {
  documentCases(exampleDocument, [
    ['type other than 1 or 2', (p) => void (p.header.documentType.type = '3'), `error ${H}/DocumentType/Type invalid_document_type`],
    ['type missing', (p) => void (p.header.documentType.type = ''), `error ${H}/DocumentType/Type required`],
    ['subject missing', (p) => void (p.header.subject = ''), `error ${H}/Subject required`],
    ['subject over 500 characters', (p) => void (p.header.subject = 'V/v '.repeat(126)), `error ${H}/Subject too_long`],
    ['urgency 5', (p) => void (p.header.otherInfo.priority = '5'), `error ${H}/OtherInfo/Priority invalid_priority`],
    ['urgency missing', (p) => void (p.header.otherInfo.priority = ''), `error ${H}/OtherInfo/Priority required`],
    ['negative page count', (p) => void (p.header.otherInfo.pageAmount = '-1'), `error ${H}/OtherInfo/PageAmount invalid_number`],
    ['copy count in words', (p) => void (p.header.otherInfo.promulgationAmount = 'ba'), `error ${H}/OtherInfo/PromulgationAmount invalid_number`],
    ['drafter initials over 10 characters', (p) => void (p.header.otherInfo.typerNotation = 'NGUYENVANHUNG'), `error ${H}/OtherInfo/TyperNotation too_long`],
    ['second recipient line over 150 characters', (p) => void (p.header.toPlaces[1] = 'x'.repeat(151)), `error ${H}/ToPlaces/Place[2] too_long`],
    ['signer name over 50 characters', (p) => void (p.header.signerInfo.fullName = 'Trần '.repeat(11)), `error ${H}/SignerInfo/FullName too_long`],
  ]);
});

describe('business types and their references', () => {
  documentCases(exampleDocument, [
    ['business block missing', (p) => void delete p.business, `warning ${B} recommended_missing`],
    ['business type 7', (p) => void (p.business!.bussinessDocType = '7'), `error ${B}/BussinessDocType invalid_business_type`],
    ['business type missing', (p) => void (p.business!.bussinessDocType = ''), `error ${B}/BussinessDocType required`],
    [
      'update details in a new document',
      (p) => void (p.business!.bussinessDocumentInfo = { documentInfo: '1', receiverList: [] }),
      `warning ${B}/BussinessDocumentInfo unexpected_element`,
    ],
    [
      'replacement list in a new document',
      (p) => void (p.business!.replacementInfoList = [{ documentId: '000.00.00.H49,2024/12/01,1200/UBND-VP', organIdList: ['000.00.00.G09'] }]),
      `warning ${B}/ReplacementInfoList unexpected_element`,
    ],
    [
      'ResponseFor with a malformed code',
      (p) => void (p.header.responseFor = [{ organId: '000.00.00.G09', code: '12 UBND', documentId: '000.00.00.G09,2024/12/01,12/BNV-VP' }]),
      `error ${H}/ResponseFor[1]/Code invalid_code`,
    ],
    [
      'ResponseFor that identifies nothing',
      (p) => void (p.header.responseFor = [{ organId: '000.00.00.G09' }]),
      `error ${H}/ResponseFor[1]/DocumentId required`,
    ],
    [
      'ResponseFor left empty, as one SDK sample does',
      (p) => void (p.header.responseFor = [{ organId: '', code: '', promulgationDate: '', documentId: '' }]),
      `warning ${H}/ResponseFor[1] empty_block`,
    ],
  ]);

  describe('revoke', () => {
    documentCases(exampleRevoke, [
      ['without ResponseFor', (p) => void (p.header.responseFor = []), `error ${H}/ResponseFor revoke_target_missing`],
      ['ResponseFor without DocumentId', (p) => void delete p.header.responseFor[0].documentId, `error ${H}/ResponseFor revoke_target_missing`],
      ['target DocumentId malformed', (p) => void (p.header.responseFor[0].documentId = '1234/UBND-VP'), `error ${H}/ResponseFor[1]/DocumentId invalid_document_id`],
    ]);

    it('needs no attachment', () => {
      const pkg = exampleRevoke();
      pkg.attachments = [];
      expect(faultLines(pkg)).toEqual([]);
    });
  });

  describe('update', () => {
    documentCases(exampleUpdate, [
      ['without target DocumentId', (p) => void delete p.business!.documentId, `error ${B}/DocumentId update_target_missing`],
      ['target DocumentId malformed', (p) => void (p.business!.documentId = '000.00.00.G22,2014/02/30,7806/VPCP-TTĐT'), `error ${B}/DocumentId invalid_document_id`],
      ['without BussinessDocumentInfo', (p) => void delete p.business!.bussinessDocumentInfo, `error ${B}/BussinessDocumentInfo update_info_missing`],
      [
        'changing nothing',
        (p) => void (p.business!.bussinessDocumentInfo = { documentInfo: '0', documentReceiver: '0', receiverList: [] }),
        `error ${B}/BussinessDocumentInfo update_nothing_changed`,
      ],
      [
        'recipients changed without a list',
        (p) => void (p.business!.bussinessDocumentInfo!.receiverList = []),
        `error ${B}/BussinessDocumentInfo/ReceiverList receiver_list_missing`,
      ],
      ['DocumentInfo flag 2', (p) => void (p.business!.bussinessDocumentInfo!.documentInfo = '2'), `error ${B}/BussinessDocumentInfo/DocumentInfo invalid_flag`],
      [
        'receiver type 2',
        (p) => void (p.business!.bussinessDocumentInfo!.receiverList[0].receiverType = '2'),
        `error ${B}/BussinessDocumentInfo/ReceiverList/Receiver[1]/ReceiverType invalid_flag`,
      ],
      [
        'receiver code malformed',
        (p) => void (p.business!.bussinessDocumentInfo!.receiverList[0].organId = '00.00.G12'),
        `error ${B}/BussinessDocumentInfo/ReceiverList/Receiver[1]/OrganId invalid_agency_code`,
      ],
      [
        'added receiver missing from To',
        (p) => void p.header.to.pop(),
        `warning ${B}/BussinessDocumentInfo/ReceiverList/Receiver[1]/OrganId receiver_not_recipient`,
      ],
    ]);
  });

  describe('replace', () => {
    documentCases(exampleReplace, [
      ['without ReplacementInfo', (p) => void (p.business!.replacementInfoList = []), `error ${B}/ReplacementInfoList replacement_missing`],
      [
        'replacing itself',
        (p) => void (p.business!.replacementInfoList[0].documentId = p.header.documentId!),
        `error ${B}/ReplacementInfoList/ReplacementInfo[1]/DocumentId replaces_itself`,
      ],
      ['replaced DocumentId missing', (p) => void (p.business!.replacementInfoList[0].documentId = ''), `error ${B}/ReplacementInfoList/ReplacementInfo[1]/DocumentId required`],
      ['no agency had it', (p) => void (p.business!.replacementInfoList[0].organIdList = []), `error ${B}/ReplacementInfoList/ReplacementInfo[1]/OrganIdList/OrganId required`],
      [
        'second agency code malformed',
        (p) => void p.business!.replacementInfoList[0].organIdList.push('000.00.00.g12'),
        `error ${B}/ReplacementInfoList/ReplacementInfo[1]/OrganIdList/OrganId[2] invalid_agency_code`,
      ],
    ]);
  });
});

describe('attachments', () => {
  documentCases(exampleDocument, [
    ['no attachment on a new document', (p) => void (p.attachments = []), 'warning edXML/AttachmentEncoded recommended_missing'],
    ['file name missing', (p) => void (p.attachments[0].name = ''), `error ${A}[1]/AttachmentName required`],
    ['file name over 200 characters', (p) => void (p.attachments[0].name = `${'a'.repeat(197)}.pdf`), `error ${A}[1]/AttachmentName too_long`],
    ['content type that is no MIME type', (p) => void (p.attachments[0].contentType = 'pdf'), `error ${A}[1]/ContentType invalid_content_type`],
    ['bytes changed after the digest was taken', (p) => void (p.attachments[0].data = Buffer.from('%PDF-1.7 changed')), `error ${A}[1]/ContentTransferEncoded attachment_digest_mismatch`],
    ['size that does not match the bytes', (p) => void (p.attachments[0].size += 1), `error ${A}[1]/ContentTransferEncoded attachment_digest_mismatch`],
    ['two attachments with one ContentId', (p) => void p.attachments.push({ ...p.attachments[0] }), `error ${A}[2]/ContentId duplicate_content_id`],
    ['empty file', (p) => void (p.attachments[0] = { ...p.attachments[0], data: Buffer.alloc(0), size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }), `warning ${A}[1]/ContentTransferEncoded empty_attachment`],
  ]);
});

describe('status packages', () => {
  function statusCase(title: string, change: (p: StatusPackage) => void, expected: string, previousStatus?: string): void {
    it(title, () => {
      const pkg = exampleStatus();
      change(pkg);
      expect(faultLines(pkg, { previousStatus })).toContain(expected);
    });
  }

  statusCase('code of one digit', (p) => void (p.header.statusCode = '3'), `error ${H}/StatusCode invalid_status_code`);
  statusCase('code outside the list', (p) => void (p.header.statusCode = '17'), `error ${H}/StatusCode unknown_status_code`);
  statusCase('code missing', (p) => void (p.header.statusCode = ''), `error ${H}/StatusCode required`);
  statusCase('rejection without a reason', (p) => void ((p.header.statusCode = '02'), delete p.header.description), `error ${H}/Description reason_required`);
  statusCase('take-back request without a reason', (p) => void ((p.header.statusCode = '13'), (p.header.description = ' ')), `error ${H}/Description reason_required`);
  statusCase('refusing a change without a reason', (p) => void ((p.header.statusCode = '16'), delete p.header.description), `error ${H}/Description reason_required`);
  statusCase('reporting agency code malformed', (p) => void (p.header.from.organId = '000.00.00.G9'), `error ${H}/From/OrganId invalid_agency_code`);
  statusCase('addressee missing', (p) => void delete p.header.responseFor.organId, `error ${H}/ResponseFor/OrganId required`);
  statusCase(
    'document identified by nothing',
    (p) => void ((p.header.responseFor = { organId: '000.00.00.H49' })),
    `error ${H}/ResponseFor/DocumentId required`,
  );
  statusCase('timestamp missing', (p) => void (p.header.timestamp = ''), `error ${H}/Timestamp required`);
  statusCase('timestamp at 24:00', (p) => void (p.header.timestamp = '2024/12/17 24:00:00'), `error ${H}/Timestamp invalid_timestamp`);
  statusCase('accepted after completed: a warning, not an error', () => undefined, `warning ${H}/StatusCode status_backward`, '06');
  statusCase('rejected after accepted: flagged for a human', (p) => void ((p.header.statusCode = '02')), `warning ${H}/StatusCode rejected_after_accepted`, '03');

  it('stores codes 07–12 and 14 raw with a warning, never an error', () => {
    for (const code of ['07', '08', '09', '10', '11', '12', '14']) {
      const pkg = exampleStatus();
      pkg.header.statusCode = code;
      expect(faultLines(pkg, { previousStatus: '05' })).toEqual([`warning ${H}/StatusCode unassigned_status_code`]);
      expect(isValidPackage(pkg)).toBe(true);
    }
  });

  it('is matched by number/notation and date when the DocumentId is absent', () => {
    const pkg = exampleStatus();
    delete pkg.header.responseFor.documentId;
    expect(faultLines(pkg, { previousStatus: '01' })).toEqual([]);
  });
});

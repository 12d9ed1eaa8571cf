/**
 * The national axis SDK's own sample packages (test/fixtures/edxml/sdk/README.md): each one parses and
 * validates, or fails with reasons that name the element. Expectations are written out per sample.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildPackage,
  businessTypeOf,
  EdxmlParseError,
  parsePackage,
  validatePackage,
  type DocumentPackage,
  type EdxmlPackage,
  type StatusPackage,
} from '../../edxml/index';
import { comparable, fixture, FIXTURES } from './support/packages';

const H = 'edXML/edXMLEnvelope/edXMLHeader/MessageHeader';
const T = 'edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList';
const NOW = new Date('2026-01-01T00:00:00Z');

function errorsOf(pkg: EdxmlPackage): string[] {
  return validatePackage(pkg, { now: NOW })
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.path} ${f.code}`);
}

function warningsOf(pkg: EdxmlPackage): string[] {
  return validatePackage(pkg, { now: NOW })
    .filter((f) => f.severity === 'warning')
    .map((f) => `${f.path} ${f.code}`);
}

/** SHA-256 of the sample's attachment, computed from the file text independently of the parser. */
function sha256OfEmbeddedBase64(name: string): string {
  const text = fixture(name).toString('utf8');
  const base64 = /ContentTransferEncoded[^>]*>([^<]*)</.exec(text)![1];
  return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
}

function parseError(name: string): EdxmlParseError {
  try {
    parsePackage(fixture(name));
  } catch (error) {
    if (error instanceof EdxmlParseError) return error;
    throw error;
  }
  throw new Error(`${name} parsed`);
}

describe('SDK sample packages', () => {
  it('are all covered by this file', () => {
    const covered = [
      'edoc.edxml',
      'edoc.edxml.bak',
      'edoc_new.edxml',
      'edoc_new.edxml.bak',
      'edoc_replacement.edxml',
      'edoc_revocation.edxml',
      'edoc_update.edxml',
      ...Object.keys(STATUS_SAMPLES),
    ];
    expect(readdirSync(`${FIXTURES}sdk`).filter((n) => n !== 'README.md').sort()).toEqual(covered.sort());
  });

  it('edoc.edxml and its .bak: refused, the edXML prefix is used outside its declaration on AttachmentEncoded', () => {
    for (const name of ['edoc.edxml', 'edoc.edxml.bak']) {
      const error = parseError(`sdk/${name}`);
      expect(error.code).toBe('undeclared_prefix');
      expect(error.path).toBe('edXML/AttachmentEncoded');
      expect(error.message).toContain('Tiền tố không gian tên chưa được khai báo');
    }
  });

  it('edoc_new.edxml: refused, stray characters before the XML declaration', () => {
    const error = parseError('sdk/edoc_new.edxml');
    expect(error.code).toBe('malformed_xml');
    expect(error.detail).toMatch(/line 1/);
  });

  it('edoc_new.edxml.bak: reads as a new document and fails on its recipient code, number and business DocumentId', () => {
    const pkg = parsePackage(fixture('sdk/edoc_new.edxml.bak')) as DocumentPackage;
    expect(pkg.kind).toBe('document');
    expect(pkg.signed).toBe(true);
    expect(businessTypeOf(pkg.business?.bussinessDocType)).toBe('new');
    expect(pkg.header.from.organId).toBe('000.00.00.A80');
    expect(pkg.header.to.map((t) => t.organId)).toEqual(['28.22.H17']);
    expect(pkg.header.code).toEqual({ codeNumber: '74fass22', codeNotation: 'VPCP-TTĐT' });
    expect(pkg.header.otherInfo.direction).toBe('false');
    expect(pkg.header.toPlaces).toEqual(['Cac bo va co quan ngang bo', 'Uy ban nhan dan cac tinh, TP']);
    expect(pkg.attachments).toHaveLength(1);
    expect(pkg.attachments[0]).toMatchObject({ contentId: '209', name: '1896_QD-TTg_m_294779.doc', contentType: 'application/zip' });
    expect(pkg.attachments[0].sha256).toBe(sha256OfEmbeddedBase64('sdk/edoc_new.edxml.bak'));
    expect(pkg.attachments[0].data.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip, as declared
    expect(errorsOf(pkg)).toEqual([
      `${H}/To[1]/OrganId invalid_agency_code`,
      `${H}/Code/CodeNumber invalid_code_number`,
      // 2014/02/30 is not a calendar date
      `${T}/Bussiness/DocumentId invalid_document_id`,
    ]);
    expect(warningsOf(pkg)).toContain(`${H}/DueDate due_date_before_promulgation`);
  });

  it('edoc_revocation.edxml: a valid revoke package naming the revoked document in ResponseFor', () => {
    const pkg = parsePackage(fixture('sdk/edoc_revocation.edxml')) as DocumentPackage;
    expect(businessTypeOf(pkg.business?.bussinessDocType)).toBe('revoke');
    expect(pkg.header.to).toHaveLength(3);
    expect(pkg.header.responseFor).toEqual([
      {
        organId: '000.00.00.H14',
        code: '267/VPCP-TTĐT',
        documentId: '000.00.04.G14,2012/08/06,267/VPCP-TTĐT',
        promulgationDate: '2018/09/28',
      },
    ]);
    expect(errorsOf(pkg)).toEqual([]);
    // The sample's own DocumentId is dated 2015/09/30 while it was issued 2018/09/28.
    expect(warningsOf(pkg)).toEqual([`${H}/DocumentId document_id_mismatch`]);
  });

  it('edoc_replacement.edxml: a valid replace package with its ReplacementInfo list', () => {
    const pkg = parsePackage(fixture('sdk/edoc_replacement.edxml')) as DocumentPackage;
    expect(businessTypeOf(pkg.business?.bussinessDocType)).toBe('replace');
    expect(pkg.business?.replacementInfoList).toEqual([
      { documentId: '000.00.00.G22,2014/01/30,7806/VPCP-TTĐT', organIdList: ['000.00.00.H41', '000.00.00.H14'] },
      { documentId: '000.00.00.G22,2014/01/30,7806/VPCP-TTĐT', organIdList: ['000.00.00.H41', '000.00.00.H14'] },
    ]);
    expect(errorsOf(pkg)).toEqual([]);
  });

  it('edoc_update.edxml: reads the receiver changes and fails on the impossible target date', () => {
    const pkg = parsePackage(fixture('sdk/edoc_update.edxml')) as DocumentPackage;
    expect(businessTypeOf(pkg.business?.bussinessDocType)).toBe('update');
    expect(pkg.business?.documentId).toBe('000.00.00.G22,2014/02/30,7806/VPCP-TTĐT');
    expect(pkg.business?.bussinessDocumentInfo).toEqual({
      documentInfo: '1',
      documentReceiver: '1',
      receiverList: [
        { organId: '000.00.00.H41', receiverType: '0' },
        { organId: '000.00.00.H14', receiverType: '1' },
      ],
    });
    expect(errorsOf(pkg)).toEqual([`${T}/Bussiness/DocumentId invalid_document_id`]);
  });

  const STATUS_SAMPLES: Record<string, { code: string; from: string; to: string }> = {
    'status.edxml': { code: '01', from: '000.00.00.H41', to: '000.00.00.G22' },
    'status_inbox_ 01.edxml': { code: '01', from: '000.00.00.H41', to: '000.00.00.G22' },
    'status_rejection_02.edxml': { code: '02', from: '000.00.00.H41', to: '000.00.00.G22' },
    'status_acceptance_03.edxml': { code: '03', from: '000.00.00.H41', to: '000.00.00.G22' },
    'status_assignment_04.edxml': { code: '04', from: '000.00.00.H41', to: '000.00.00.G22' },
    'status_processing_05.edxml': { code: '05', from: '000.00.00.H41', to: '000.00.00.G22' },
    'status_finish_06.edxml': { code: '06', from: '000.00.00.H41', to: '000.00.00.G22' },
    // 13 runs sender → recipient: ResponseFor/OrganId is the recipient.
    'status_cancellation_13.edxml': { code: '13', from: '000.00.00.G22', to: '000.00.00.H41' },
    'status_change-acceptance_15.edxml': { code: '15', from: '000.00.00.H41', to: '000.00.00.G22' },
    'status_change-rejection_16.edxml': { code: '16', from: '000.00.00.H41', to: '000.00.00.G22' },
  };

  for (const [name, expected] of Object.entries(STATUS_SAMPLES)) {
    it(`${name}: a valid status ${expected.code}`, () => {
      const pkg = parsePackage(fixture(`sdk/${name}`)) as StatusPackage;
      expect(pkg.kind).toBe('status');
      expect(pkg.header.statusCode).toBe(expected.code);
      expect(pkg.header.from.organId).toBe(expected.from);
      expect(pkg.header.responseFor.organId).toBe(expected.to);
      expect(pkg.header.responseFor.documentId).toBe('000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
      expect(pkg.header.description).toBeTruthy();
      expect(validatePackage(pkg, { now: NOW })).toEqual([]);
    });
  }

  it('every sample that parses round-trips through the canonical writer', () => {
    const readable = readdirSync(`${FIXTURES}sdk`).filter((n) => !['README.md', 'edoc.edxml', 'edoc.edxml.bak', 'edoc_new.edxml'].includes(n));
    expect(readable).toHaveLength(14);
    for (const name of readable) {
      const pkg = parsePackage(fixture(`sdk/${name}`));
      const built = buildPackage(pkg);
      const reread = parsePackage(built);
      // The writer leaves the signature to ./signature, so only that flag differs.
      expect(comparable(reread)).toEqual(comparable({ ...pkg, signed: false }));
      expect(buildPackage(reread)).toBe(built);
      expect(validatePackage(reread, { now: NOW })).toEqual(validatePackage(pkg, { now: NOW }));
    }
  });
});

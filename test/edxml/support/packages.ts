/**
 * Factories for valid packages: the examples of edxml.md §8 and §9 written out as objects, and variants for
 * each business type. Every call returns a fresh object, so a test may change it freely.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAttachment, type DocumentPackage, type EdxmlPackage, type StatusPackage } from '../../../edxml/index';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/edxml/', import.meta.url));

export function fixture(name: string): Buffer {
  return readFileSync(`${FIXTURES}${name}`);
}

/** A date every example is valid at (the example documents are dated December 2024). */
export const NOW = new Date('2025-01-15T03:00:00Z');

export function exampleDocument(): DocumentPackage {
  return {
    kind: 'document',
    header: {
      from: {
        organId: '000.00.00.H49',
        organizationInCharge: 'Ủy ban nhân dân tỉnh Quảng Ninh',
        organName: 'Ủy ban nhân dân tỉnh Quảng Ninh',
        organAdd: 'Phường Hồng Hà, thành phố Hạ Long, tỉnh Quảng Ninh',
        email: 'vanthu@quangninh.gov.vn',
        telephone: '0203 3835 123',
        fax: '0203 3835 124',
        website: 'quangninh.gov.vn',
      },
      to: [
        {
          organId: '000.00.00.G09',
          organizationInCharge: 'Chính phủ',
          organName: 'Bộ Nội vụ',
          organAdd: 'Số 8 Tôn Thất Thuyết, Hà Nội',
          email: '',
          telephone: '',
          fax: '',
          website: '',
        },
      ],
      code: { codeNumber: '1234', codeNotation: 'UBND-VP' },
      promulgationInfo: { place: 'Quảng Ninh', promulgationDate: '2024/12/16' },
      documentType: { type: '1', typeDetail: '0', typeName: 'Công văn' },
      subject: 'V/v báo cáo kết quả gửi, nhận văn bản điện tử năm 2024',
      content: 'Báo cáo số liệu gửi, nhận văn bản điện tử qua Trục liên thông năm 2024.',
      signerInfo: { competence: 'KT. CHỦ TỊCH', position: 'Phó Chủ tịch', fullName: 'Trần Thị Minh Hạnh' },
      dueDate: '2024/12/27',
      toPlaces: ['Bộ Nội vụ', 'Lưu: VT, VP.'],
      otherInfo: {
        priority: '1',
        sphereOfPromulgation: 'Liên thông văn bản quốc gia',
        typerNotation: 'NVH',
        promulgationAmount: '3',
        pageAmount: '2',
        appendixes: ['Phụ lục I: Số liệu gửi, nhận văn bản điện tử năm 2024'],
      },
      responseFor: [],
      steeringType: '1',
      documentId: '000.00.00.H49,2024/12/16,1234/UBND-VP',
    },
    traceHeaders: [{ organId: '000.00.00.H49', timestamp: '2024/12/16 15:42:10' }],
    business: {
      bussinessDocType: '0',
      bussinessDocReason: 'Văn bản điện tử mới',
      paper: '0',
      replacementInfoList: [],
      staffInfo: {
        department: 'Văn phòng UBND tỉnh - Bộ phận Văn thư',
        staff: 'Lê Thu Trang',
        email: 'vanthu@quangninh.gov.vn',
        mobile: '0912345678',
      },
    },
    attachments: [
      createAttachment({
        contentId: 'cid:1',
        name: '1234_UBND-VP_signed.pdf',
        contentType: 'application/pdf',
        description: 'Công văn 1234/UBND-VP (đã ký số)',
        data: Buffer.from('JVBERi0xLjcKJcOkw7zDtsOfCg==', 'base64'),
      }),
    ],
    signed: false,
  };
}

export function exampleStatus(): StatusPackage {
  return {
    kind: 'status',
    header: {
      from: {
        organId: '000.00.00.G09',
        organizationInCharge: 'Chính phủ',
        organName: 'Bộ Nội vụ',
        organAdd: 'Số 8 Tôn Thất Thuyết, Hà Nội',
        email: '',
        telephone: '',
        fax: '',
        website: '',
      },
      responseFor: {
        organId: '000.00.00.H49',
        code: '1234/UBND-VP',
        promulgationDate: '2024/12/16',
        documentId: '000.00.00.H49,2024/12/16,1234/UBND-VP',
      },
      staffInfo: {
        department: 'Văn phòng Bộ - Phòng Văn thư, Lưu trữ',
        staff: 'Phạm Quốc Bảo',
        mobile: '0987654321',
        email: 'vanthu@moha.gov.vn',
      },
      statusCode: '03',
      description: 'Văn thư Bộ Nội vụ đã tiếp nhận, vào sổ văn bản đến số 5678',
      timestamp: '2024/12/17 08:15:32',
    },
    signed: false,
  };
}

/** Revoke package (type 1): names the revoked document in ResponseFor. */
export function exampleRevoke(): DocumentPackage {
  const pkg = exampleDocument();
  pkg.header.code = { codeNumber: '1240', codeNotation: 'UBND-VP' };
  pkg.header.documentId = '000.00.00.H49,2024/12/16,1240/UBND-VP';
  pkg.header.responseFor = [
    {
      organId: '000.00.00.H49',
      code: '1234/UBND-VP',
      promulgationDate: '2024/12/16',
      documentId: '000.00.00.H49,2024/12/16,1234/UBND-VP',
    },
  ];
  pkg.business = { ...pkg.business!, bussinessDocType: '1', bussinessDocReason: 'Thu hồi văn bản điện tử' };
  return pkg;
}

/** Update package (type 2): targets the §8 document, adds one recipient. */
export function exampleUpdate(): DocumentPackage {
  const pkg = exampleDocument();
  pkg.header.to.push({ organId: '000.00.00.G12', organName: 'Bộ Tài chính' });
  pkg.business = {
    ...pkg.business!,
    bussinessDocType: '2',
    bussinessDocReason: 'Cập nhật văn bản điện tử',
    documentId: '000.00.00.H49,2024/12/16,1234/UBND-VP',
    bussinessDocumentInfo: {
      documentInfo: '0',
      documentReceiver: '1',
      receiverList: [{ organId: '000.00.00.G12', receiverType: '1' }],
    },
  };
  return pkg;
}

/** Replace package (type 3): a new document replacing the §8 one at its recipient. */
export function exampleReplace(): DocumentPackage {
  const pkg = exampleDocument();
  pkg.header.code = { codeNumber: '1250', codeNotation: 'UBND-VP' };
  pkg.header.documentId = '000.00.00.H49,2024/12/16,1250/UBND-VP';
  pkg.business = {
    ...pkg.business!,
    bussinessDocType: '3',
    bussinessDocReason: 'Văn bản thay thế',
    replacementInfoList: [{ documentId: '000.00.00.H49,2024/12/16,1234/UBND-VP', organIdList: ['000.00.00.G09'] }],
  };
  return pkg;
}

/**
 * The package with attachment bytes as base64 text: deep equality over large Buffers is slow in vitest,
 * string equality is exact and fast.
 */
export function comparable(pkg: EdxmlPackage): unknown {
  if (pkg.kind !== 'document') return pkg;
  return { ...pkg, attachments: pkg.attachments.map((a) => ({ ...a, data: a.data.toString('base64') })) };
}

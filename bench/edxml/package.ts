/** The benchmark's package: a new document to one recipient whose single PDF attachment sets the size. */
import { createAttachment, type DocumentPackage } from '../../edxml/index';

/** Base64 carries 3 bytes in 4 characters; the rest of the package is about 3 KB. */
const OVERHEAD_BYTES = 3_200;

export function benchPackage(targetBytes: number): DocumentPackage {
  const attachmentBytes = Math.max(1, Math.floor(((targetBytes - OVERHEAD_BYTES) * 3) / 4));
  const data = Buffer.alloc(attachmentBytes);
  // Varied bytes (a fixed pattern would make base64 and hashing unrealistically regular).
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  data.write('%PDF-1.7\n', 0, 'latin1');
  return {
    kind: 'document',
    header: {
      from: { organId: '000.00.00.H49', organName: 'Ủy ban nhân dân tỉnh Quảng Ninh', organizationInCharge: 'Ủy ban nhân dân tỉnh Quảng Ninh' },
      to: [{ organId: '000.00.00.G09', organName: 'Bộ Nội vụ' }],
      code: { codeNumber: '1234', codeNotation: 'UBND-VP' },
      promulgationInfo: { place: 'Quảng Ninh', promulgationDate: '2024/12/16' },
      documentType: { type: '1', typeDetail: '0', typeName: 'Công văn' },
      subject: 'V/v báo cáo kết quả gửi, nhận văn bản điện tử năm 2024',
      content: 'Báo cáo số liệu gửi, nhận văn bản điện tử qua Trục liên thông năm 2024.',
      signerInfo: { competence: 'KT. CHỦ TỊCH', position: 'Phó Chủ tịch', fullName: 'Trần Thị Minh Hạnh' },
      dueDate: '2024/12/27',
      toPlaces: ['Bộ Nội vụ', 'Lưu: VT, VP.'],
      otherInfo: { priority: '1', sphereOfPromulgation: 'Liên thông văn bản quốc gia', typerNotation: 'NVH', promulgationAmount: '3', pageAmount: '2', appendixes: [] },
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
      staffInfo: { department: 'Văn phòng UBND tỉnh', staff: 'Lê Thu Trang', email: 'vanthu@quangninh.gov.vn', mobile: '0912345678' },
    },
    attachments: [createAttachment({ contentId: '1', name: '1234_UBND-VP_signed.pdf', contentType: 'application/pdf', data })],
    signed: false,
  };
}

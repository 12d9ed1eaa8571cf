import {
  type DocumentPackage,
  type EdxmlPackage,
  type Organization,
  type StatusPackage,
  businessTypeOf,
  urgencyOf,
} from './index';

/**
 * The human summary `npm run edxml -- show FILE` prints, with Vietnamese labels. Every value comes from an untrusted
 * package, so control characters are replaced before they reach a terminal (no escape sequences).
 */
const STATUS_LABELS: Record<string, string> = {
  '01': 'Đã đến',
  '02': 'Từ chối tiếp nhận',
  '03': 'Đã tiếp nhận',
  '04': 'Phân công',
  '05': 'Đang xử lý',
  '06': 'Hoàn thành',
  '13': 'Yêu cầu lấy lại',
  '15': 'Đồng ý cập nhật/thu hồi',
  '16': 'Từ chối cập nhật/thu hồi',
};
const BUSINESS_LABELS: Record<string, string> = {
  new: 'Văn bản mới',
  revoke: 'Thu hồi',
  update: 'Cập nhật',
  replace: 'Thay thế',
};
const URGENCY_LABELS: Record<string, string> = {
  normal: 'Thường',
  urgent: 'Khẩn',
  very_urgent: 'Thượng khẩn',
  flash: 'Hỏa tốc',
  flash_timed: 'Hỏa tốc hẹn giờ',
};

export function summarisePackage(pkg: EdxmlPackage): string {
  const lines = pkg.kind === 'document' ? documentLines(pkg) : statusLines(pkg);
  return `${lines.map(([label, value]) => `${label}: ${safe(value)}`).join('\n')}\n`;
}

function documentLines(pkg: DocumentPackage): Array<[string, string]> {
  const h = pkg.header;
  const business = businessTypeOf(pkg.business?.bussinessDocType);
  const urgency = urgencyOf(h.otherInfo.priority);
  const lines: Array<[string, string]> = [
    ['Loại gói tin', 'Gói tin văn bản'],
    ['Nơi gửi', organisation(h.from)],
    ...h.to.map((to, i): [string, string] => [`Nơi nhận ${i + 1}`, organisation(to)]),
    ['Số, ký hiệu', `${h.code.codeNumber}/${h.code.codeNotation}`],
    ['Loại văn bản', h.documentType.typeName ?? h.documentType.type],
    ['Ngày ban hành', h.promulgationInfo.promulgationDate ?? '(không có)'],
    ['Trích yếu', h.subject],
    ['Người ký', [h.signerInfo.competence, h.signerInfo.position, h.signerInfo.fullName].filter(Boolean).join(' – ')],
    ['Độ khẩn', urgency ? URGENCY_LABELS[urgency] : h.otherInfo.priority],
    ['Nghiệp vụ', business ? BUSINESS_LABELS[business] : (pkg.business?.bussinessDocType ?? '(không có)')],
    ['Mã định danh văn bản', h.documentId ?? '(không có)'],
    ['Chữ ký số gói tin', pkg.signed ? 'Có' : 'Không'],
    ['Số tệp đính kèm', String(pkg.attachments.length)],
  ];
  pkg.attachments.forEach((a, i) => {
    lines.push([`Tệp ${i + 1}`, `${a.name} (${a.contentType}, ${a.size} byte, SHA-256 ${a.sha256})`]);
  });
  return lines;
}

function statusLines(pkg: StatusPackage): Array<[string, string]> {
  const h = pkg.header;
  const label = STATUS_LABELS[h.statusCode];
  return [
    ['Loại gói tin', 'Gói tin trạng thái'],
    ['Cơ quan báo trạng thái', organisation(h.from)],
    ['Trạng thái', label ? `${h.statusCode} – ${label}` : h.statusCode],
    ['Mô tả', h.description ?? '(không có)'],
    ['Thời điểm', h.timestamp],
    ['Văn bản liên quan', [h.responseFor.code, h.responseFor.documentId].filter(Boolean).join(' – ') || '(không có)'],
    ['Gửi tới cơ quan', h.responseFor.organId ?? '(không có)'],
    ['Người xử lý', [h.staffInfo.staff, h.staffInfo.department].filter(Boolean).join(' – ') || '(không có)'],
    ['Chữ ký số gói tin', pkg.signed ? 'Có' : 'Không'],
  ];
}

function organisation(o: Organization): string {
  return o.organName ? `${o.organName} (${o.organId})` : o.organId;
}

/** Replaces C0/C1 control characters (output is one value per line) so a package cannot drive the terminal. */
export function safe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

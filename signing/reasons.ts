/**
 * Stable English codes of every signature verification failure (package and PDF), each with the Vietnamese reason
 * shown to clerks. Codes never change meaning; add new ones rather than reuse.
 */
export const VERIFICATION_REASONS_VI = {
  too_large: 'Gói tin hoặc tệp vượt quá kích thước cho phép',
  unsafe_xml: 'Gói tin chứa khai báo DOCTYPE hoặc thực thể (entity), không được chấp nhận',
  malformed_xml: 'Gói tin không phải XML hợp lệ',
  not_edxml: 'Tài liệu không phải gói tin edXML',
  signature_missing: 'Gói tin không có chữ ký số',
  multiple_signatures: 'Gói tin có nhiều hơn một chữ ký số',
  signature_misplaced: 'Chữ ký số không nằm ở vị trí quy định (phần tử cuối cùng của edXMLHeader)',
  signature_malformed: 'Cấu trúc chữ ký số không hợp lệ hoặc không ký toàn bộ gói tin',
  algorithm_not_allowed: 'Thuật toán ký số không được chấp nhận theo cấu hình (ví dụ RSA-SHA1)',
  digest_mismatch: 'Nội dung đã bị thay đổi sau khi ký (giá trị băm không khớp)',
  signature_invalid: 'Giá trị chữ ký số không đúng',
  certificate_unreadable: 'Không đọc được chứng thư số kèm theo chữ ký',
  untrusted_chain: 'Chứng thư số không được cấp bởi tổ chức chứng thực tin cậy',
  certificate_expired: 'Chứng thư số đã hết hạn tại thời điểm ký',
  certificate_not_yet_valid: 'Chứng thư số chưa có hiệu lực tại thời điểm ký',
  certificate_not_for_signing: 'Chứng thư số không được phép dùng để ký số',
  certificate_revoked: 'Chứng thư số đã bị thu hồi',
  crl_invalid: 'Danh sách chứng thư số bị thu hồi (CRL) không hợp lệ',
  revocation_unknown: 'Không xác định được tình trạng thu hồi của chứng thư số',
  agency_mismatch: 'Chứng thư số không thuộc cơ quan gửi gói tin',
  not_organisation_certificate: 'Gói tin phải được ký bằng chứng thư số của cơ quan, tổ chức, không phải chứng thư số cá nhân',
  signing_time_invalid: 'Thời điểm ký không hợp lệ hoặc ở tương lai',
  byte_range_invalid: 'Vùng dữ liệu được ký (ByteRange) của chữ ký trong tệp PDF không hợp lệ',
  modified_after: 'Tệp đã bị thay đổi sau khi ký (không chỉ thêm chữ ký số)',
  unreadable_pdf: 'Không đọc được tệp PDF',
} as const;

export type VerificationFailureCode = keyof typeof VERIFICATION_REASONS_VI;

export interface VerificationFailure {
  ok: false;
  code: VerificationFailureCode;
  /** Vietnamese, for people. */
  reason: string;
  /** English technical detail, for logs and support; never contains document content. */
  detail: string;
}

export function failure(code: VerificationFailureCode, detail: string): VerificationFailure {
  return { ok: false, code, reason: VERIFICATION_REASONS_VI[code], detail };
}

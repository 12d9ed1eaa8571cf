/**
 * EdxmlParseError: a package that cannot be read at all (unsafe, malformed, over a limit, corrupt attachment).
 * Faults in a package that could be read are ValidationFaults instead (./faults).
 */
export const PARSE_ERROR_MESSAGES_VI = {
  empty_input: 'Gói tin rỗng',
  package_too_large: 'Gói tin vượt quá dung lượng cho phép',
  metadata_too_large: 'Phần thông tin của gói tin (ngoài nội dung tệp đính kèm) vượt quá dung lượng cho phép',
  invalid_utf8: 'Gói tin không phải văn bản UTF-8 hợp lệ',
  unsupported_encoding: 'Gói tin phải mã hóa UTF-8',
  doctype_forbidden: 'Gói tin không được chứa khai báo DOCTYPE',
  entity_forbidden: 'Gói tin không được chứa khai báo ENTITY',
  undefined_entity: 'Gói tin dùng thực thể (entity) không được định nghĩa',
  invalid_character: 'Gói tin chứa ký tự không hợp lệ trong XML',
  malformed_xml: 'Gói tin không phải XML hợp lệ',
  truncated: 'Gói tin bị cắt cụt (thiếu thẻ đóng)',
  too_deep: 'Gói tin lồng phần tử quá sâu',
  too_many_elements: 'Gói tin có quá nhiều phần tử',
  wrong_root: 'Phần tử gốc phải là edXML',
  wrong_namespace: 'Phần tử gốc edXML phải thuộc không gian tên http://www.mic.gov.vn/TBT/QCVN_102_2016',
  undeclared_prefix: 'Tiền tố không gian tên chưa được khai báo',
  missing_element: 'Thiếu phần tử bắt buộc của cấu trúc gói tin',
  duplicate_element: 'Phần tử chỉ được xuất hiện một lần',
  too_many_attachments: 'Gói tin có quá nhiều tệp đính kèm',
  attachment_too_large: 'Tệp đính kèm vượt quá dung lượng cho phép',
  invalid_base64: 'Nội dung tệp đính kèm không phải base64 hợp lệ',
  attachment_digest_mismatch: 'Mã băm SHA-256 của tệp đính kèm không khớp',
} as const;

export type EdxmlParseErrorCode = keyof typeof PARSE_ERROR_MESSAGES_VI;

export class EdxmlParseError extends Error {
  override readonly name = 'EdxmlParseError';
  readonly code: EdxmlParseErrorCode;
  /** Element path when the fault is tied to one element. */
  readonly path?: string;
  /** English technical detail (line, limit), never document content. */
  readonly detail?: string;

  constructor(code: EdxmlParseErrorCode, options: { path?: string; detail?: string } = {}) {
    const where = options.path ? ` (${options.path})` : '';
    const detail = options.detail ? `: ${options.detail}` : '';
    super(`${PARSE_ERROR_MESSAGES_VI[code]}${where}${detail}`);
    this.code = code;
    this.path = options.path;
    this.detail = options.detail;
  }
}

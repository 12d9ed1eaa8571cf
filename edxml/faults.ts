/** Validation fault codes (stable English) and their Vietnamese messages. */
import type { FaultSeverity, ValidationFault } from './model';

const MESSAGES_VI = {
  required: 'Thiếu phần tử bắt buộc hoặc phần tử để trống',
  recommended_missing: 'Thiếu phần tử có trong mọi gói tin mẫu của trục (nên gửi)',
  too_long: 'Vượt quá độ dài tối đa {max} ký tự',
  invalid_agency_code: 'Mã định danh cơ quan không hợp lệ: {reason}',
  duplicate_recipient: 'Cơ quan nhận bị lặp lại trong danh sách nhận',
  invalid_code_number: 'Số văn bản chỉ gồm chữ số',
  code_number_leading_zero: 'Số văn bản nhỏ hơn 10 phải viết có số 0 đứng trước (ví dụ 05)',
  invalid_code_notation:
    'Ký hiệu văn bản chỉ gồm chữ, chữ số, nối bằng dấu gạch ngang (-), gạch chéo (/) hoặc dấu chấm, không có khoảng trắng',
  invalid_date: 'Ngày không hợp lệ: phải theo định dạng YYYY/MM/DD và là ngày có thật',
  date_in_future: 'Ngày ban hành không được sau ngày hiện tại',
  due_date_before_promulgation: 'Hạn trả lời sớm hơn ngày ban hành',
  invalid_timestamp: 'Thời điểm không hợp lệ: phải theo định dạng YYYY/MM/DD HH:mm:ss và có thật',
  invalid_document_id:
    'Mã định danh văn bản không đúng định dạng {mã cơ quan},{YYYY/MM/DD hoặc YYYY},{số}/{ký hiệu}',
  document_id_mismatch: 'Mã định danh văn bản không khớp với {field} của văn bản',
  invalid_code: 'Số và ký hiệu phải có dạng số/ký hiệu (ví dụ 1234/UBND-VP)',
  invalid_priority: 'Độ khẩn chỉ nhận giá trị 0 (thường), 1 (khẩn), 2 (thượng khẩn), 3 (hỏa tốc) hoặc 4 (hỏa tốc hẹn giờ)',
  invalid_document_type: 'Loại văn bản (Type) chỉ nhận giá trị 1 hoặc 2',
  invalid_number: 'Phải là số nguyên không âm',
  invalid_flag: 'Chỉ nhận giá trị 0 hoặc 1',
  invalid_status_code: 'Mã trạng thái phải là chuỗi hai chữ số (01 đến 16)',
  unknown_status_code: 'Mã trạng thái không có trong danh mục của trục (01 đến 16)',
  unassigned_status_code: 'Mã trạng thái chưa rõ ý nghĩa (07–12, 14): được lưu nguyên trạng',
  reason_required: 'Trạng thái này phải kèm lý do trong Description',
  status_backward: 'Trạng thái lùi so với trạng thái trước ({previous} → {next}): ghi nhận nhưng không thay đổi trạng thái hiển thị',
  status_after_terminal: 'Văn bản đã ở trạng thái kết thúc {previous}, trạng thái {next} cần được kiểm tra',
  rejected_after_accepted: 'Từ chối (02) sau khi đã tiếp nhận ({previous}): cần người xử lý kiểm tra',
  take_back_before_arrival: 'Yêu cầu lấy lại (13) khi văn bản chưa đến nơi nhận',
  invalid_business_type: 'Loại nghiệp vụ (BussinessDocType) chỉ nhận 0 (mới), 1 (thu hồi), 2 (cập nhật) hoặc 3 (thay thế)',
  revoke_target_missing: 'Gói tin thu hồi phải nêu văn bản bị thu hồi (ResponseFor có DocumentId)',
  update_target_missing: 'Gói tin cập nhật phải nêu mã định danh văn bản được cập nhật (Bussiness/DocumentId)',
  update_info_missing: 'Gói tin cập nhật phải có BussinessDocumentInfo',
  update_nothing_changed:
    'Gói tin cập nhật phải thay đổi thông tin văn bản (DocumentInfo=1) hoặc danh sách nhận (DocumentReceiver=1)',
  receiver_list_missing: 'DocumentReceiver=1 thì phải có danh sách cơ quan nhận thay đổi (ReceiverList)',
  receiver_not_recipient: 'Cơ quan được thêm vào danh sách nhận nhưng không có trong To',
  replacement_missing: 'Gói tin thay thế phải có ReplacementInfo nêu văn bản bị thay thế',
  replaces_itself: 'Văn bản không thể thay thế chính nó',
  unexpected_element: 'Phần tử này không dùng cho loại nghiệp vụ của gói tin',
  unknown_element: 'Phần tử không thuộc chuẩn edXML ở vị trí này',
  unexpected_text: 'Không được có nội dung văn bản ở vị trí này',
  ignored_element: 'Phần tử cũ hoặc của biến thể địa phương: bị bỏ qua khi đọc',
  empty_block: 'Khối thông tin để trống toàn bộ',
  attachment_missing: 'Tệp trong danh mục (edXMLManifest) không có nội dung đính kèm tương ứng',
  attachment_not_in_manifest: 'Tệp đính kèm không có trong danh mục (edXMLManifest)',
  attachment_data_missing: 'Tệp đính kèm thiếu nội dung (ContentTransferEncoded)',
  manifest_mismatch: 'Thông tin tệp trong danh mục khác với thông tin của tệp đính kèm',
  duplicate_content_id: 'ContentId của tệp đính kèm bị lặp',
  invalid_content_type: 'Kiểu nội dung (MIME) không hợp lệ, ví dụ application/pdf',
  attachment_digest_mismatch: 'Kích thước hoặc mã băm SHA-256 không khớp với nội dung tệp',
  empty_attachment: 'Tệp đính kèm rỗng',
} as const;

export type FaultCode = keyof typeof MESSAGES_VI;

export function faultMessage(code: FaultCode, params: Record<string, string | number> = {}): string {
  return MESSAGES_VI[code].replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export function fault(
  path: string,
  code: FaultCode,
  severity: FaultSeverity = 'error',
  params?: Record<string, string | number>,
): ValidationFault {
  return { path, code, message: faultMessage(code, params), severity };
}

export function hasErrors(faults: readonly ValidationFault[]): boolean {
  return faults.some((f) => f.severity === 'error');
}

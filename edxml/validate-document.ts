/** Rules of a document package (edxml.md §2, §3, §5; identifiers.md §2, §3, §6). */
import { sha256Hex } from './attachments';
import { businessTypeOf } from './codes';
import type { Business, DocumentPackage } from './model';
import { checkOrganization, checkResponseFor, Faults, HEADER_PATH, NOTATION } from './validate-common';

const TRACE_PATH = 'edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList';
const BUSINESS_PATH = `${TRACE_PATH}/Bussiness`;
const MIME_TYPE = /^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(?:\s*;.*)?$/;

export function validateDocument(f: Faults, pkg: DocumentPackage, now: Date): void {
  const h = pkg.header;
  const H = HEADER_PATH;
  checkOrganization(f, `${H}/From`, h.from);
  if (h.to.length === 0) f.add(`${H}/To`, 'required');
  const recipients = new Set<string>();
  h.to.forEach((to, i) => {
    checkOrganization(f, `${H}/To[${i + 1}]`, to);
    if (to.organId !== '' && recipients.has(to.organId)) f.add(`${H}/To[${i + 1}]/OrganId`, 'duplicate_recipient');
    recipients.add(to.organId);
  });

  if (f.required(`${H}/Code/CodeNumber`, h.code.codeNumber)) {
    if (!/^\d+$/.test(h.code.codeNumber)) f.add(`${H}/Code/CodeNumber`, 'invalid_code_number');
    else if (/^[1-9]$/.test(h.code.codeNumber)) f.add(`${H}/Code/CodeNumber`, 'code_number_leading_zero', 'warning');
    f.maxLength(`${H}/Code/CodeNumber`, h.code.codeNumber, 11);
  }
  if (f.required(`${H}/Code/CodeNotation`, h.code.codeNotation)) {
    if (!NOTATION.test(h.code.codeNotation)) f.add(`${H}/Code/CodeNotation`, 'invalid_code_notation');
    f.maxLength(`${H}/Code/CodeNotation`, h.code.codeNotation, 30);
  }

  const place = h.promulgationInfo.place;
  f.recommended(`${H}/PromulgationInfo/Place`, place);
  f.maxLength(`${H}/PromulgationInfo/Place`, place, 50);
  const issued = h.promulgationInfo.promulgationDate;
  const issuedPath = `${H}/PromulgationInfo/PromulgationDate`;
  const issuedValid = f.required(issuedPath, issued) && f.issueDate(issuedPath, issued, now);
  if (f.date(`${H}/DueDate`, h.dueDate) && issuedValid && (h.dueDate as string) < (issued as string)) {
    f.add(`${H}/DueDate`, 'due_date_before_promulgation', 'warning');
  }

  const type = h.documentType;
  if (f.required(`${H}/DocumentType/Type`, type.type) && type.type !== '1' && type.type !== '2') {
    f.add(`${H}/DocumentType/Type`, 'invalid_document_type');
  }
  f.nonNegativeInteger(`${H}/DocumentType/TypeDetail`, type.typeDetail);
  f.recommended(`${H}/DocumentType/TypeName`, type.typeName);
  f.maxLength(`${H}/DocumentType/TypeName`, type.typeName, 100);

  if (f.required(`${H}/Subject`, h.subject)) f.maxLength(`${H}/Subject`, h.subject, 500);
  f.maxLength(`${H}/Content`, h.content, 500);
  f.maxLength(`${H}/SignerInfo/Competence`, h.signerInfo.competence, 100);
  f.recommended(`${H}/SignerInfo/Position`, h.signerInfo.position);
  f.maxLength(`${H}/SignerInfo/Position`, h.signerInfo.position, 100);
  f.recommended(`${H}/SignerInfo/FullName`, h.signerInfo.fullName);
  f.maxLength(`${H}/SignerInfo/FullName`, h.signerInfo.fullName, 50);
  h.toPlaces.forEach((p, i) => f.maxLength(`${H}/ToPlaces/Place[${i + 1}]`, p, 150));

  const o = h.otherInfo;
  if (f.required(`${H}/OtherInfo/Priority`, o.priority) && !/^[0-4]$/.test(o.priority)) f.add(`${H}/OtherInfo/Priority`, 'invalid_priority');
  f.maxLength(`${H}/OtherInfo/SphereOfPromulgation`, o.sphereOfPromulgation, 100);
  f.maxLength(`${H}/OtherInfo/TyperNotation`, o.typerNotation, 10);
  f.nonNegativeInteger(`${H}/OtherInfo/PromulgationAmount`, o.promulgationAmount);
  f.nonNegativeInteger(`${H}/OtherInfo/PageAmount`, o.pageAmount);
  o.appendixes.forEach((a, i) => f.maxLength(`${H}/OtherInfo/Appendixes/Appendix[${i + 1}]`, a, 250));

  h.responseFor.forEach((rf, i) => checkResponseFor(f, `${H}/ResponseFor[${i + 1}]`, rf, 'document', now));
  f.recommended(`${H}/SteeringType`, h.steeringType);
  checkOwnDocumentId(f, pkg);

  pkg.traceHeaders.forEach((trace, i) => {
    f.agencyCode(`${TRACE_PATH}/TraceHeader[${i + 1}]/OrganId`, trace.organId);
    f.timestamp(`${TRACE_PATH}/TraceHeader[${i + 1}]/Timestamp`, trace.timestamp);
  });
  if (!pkg.business) f.add(BUSINESS_PATH, 'recommended_missing', 'warning');
  else checkBusiness(f, pkg, pkg.business);
  checkAttachments(f, pkg);
}

/** The package's own DocumentId: well formed, and (a warning) consistent with sender, date and number. */
function checkOwnDocumentId(f: Faults, pkg: DocumentPackage): void {
  const h = pkg.header;
  const path = `${HEADER_PATH}/DocumentId`;
  f.recommended(path, h.documentId);
  const parsed = f.documentId(path, h.documentId);
  if (!parsed) return;
  const issued = h.promulgationInfo.promulgationDate ?? '';
  if (parsed.organId !== h.from.organId) f.add(path, 'document_id_mismatch', 'warning', { field: 'cơ quan gửi (From/OrganId)' });
  if (parsed.date.length > 4 ? parsed.date !== issued : !issued.startsWith(parsed.date)) {
    f.add(path, 'document_id_mismatch', 'warning', { field: 'ngày ban hành (PromulgationDate)' });
  }
  const sameCode =
    Number(parsed.codeNumber) === Number(h.code.codeNumber) &&
    (parsed.codeNotation === undefined || parsed.codeNotation === h.code.codeNotation);
  if (!sameCode) f.add(path, 'document_id_mismatch', 'warning', { field: 'số, ký hiệu (Code)' });
}

function checkBusiness(f: Faults, pkg: DocumentPackage, b: Business): void {
  const kind = businessTypeOf(b.bussinessDocType);
  if (!kind) {
    f.add(`${BUSINESS_PATH}/BussinessDocType`, b.bussinessDocType === '' ? 'required' : 'invalid_business_type');
  }
  const targetPath = `${BUSINESS_PATH}/DocumentId`;
  if (kind === 'update' && (b.documentId === undefined || b.documentId === '')) f.add(targetPath, 'update_target_missing');
  else f.documentId(targetPath, b.documentId);

  if (kind === 'revoke') {
    const hasTarget = pkg.header.responseFor.some((rf) => rf.documentId !== undefined && rf.documentId !== '');
    if (!hasTarget) f.add(`${HEADER_PATH}/ResponseFor`, 'revoke_target_missing');
  }

  const infoPath = `${BUSINESS_PATH}/BussinessDocumentInfo`;
  const info = b.bussinessDocumentInfo;
  if (kind === 'update' && !info) f.add(infoPath, 'update_info_missing');
  if (info) {
    if (kind !== 'update') f.add(infoPath, 'unexpected_element', 'warning');
    f.flag(`${infoPath}/DocumentInfo`, info.documentInfo);
    f.flag(`${infoPath}/DocumentReceiver`, info.documentReceiver);
    if (kind === 'update' && info.documentInfo !== '1' && info.documentReceiver !== '1') f.add(infoPath, 'update_nothing_changed');
    if (info.documentReceiver === '1' && info.receiverList.length === 0) f.add(`${infoPath}/ReceiverList`, 'receiver_list_missing');
    const recipients = new Set(pkg.header.to.map((to) => to.organId));
    info.receiverList.forEach((r, i) => {
      const path = `${infoPath}/ReceiverList/Receiver[${i + 1}]`;
      f.agencyCode(`${path}/OrganId`, r.organId);
      if (f.required(`${path}/ReceiverType`, r.receiverType)) f.flag(`${path}/ReceiverType`, r.receiverType);
      if (r.receiverType === '1' && r.organId !== '' && !recipients.has(r.organId)) {
        f.add(`${path}/OrganId`, 'receiver_not_recipient', 'warning');
      }
    });
  }

  const replacementsPath = `${BUSINESS_PATH}/ReplacementInfoList`;
  if (kind === 'replace' && b.replacementInfoList.length === 0) f.add(replacementsPath, 'replacement_missing');
  if (kind !== 'replace' && b.replacementInfoList.length > 0) f.add(replacementsPath, 'unexpected_element', 'warning');
  b.replacementInfoList.forEach((r, i) => {
    const path = `${replacementsPath}/ReplacementInfo[${i + 1}]`;
    if (f.required(`${path}/DocumentId`, r.documentId)) {
      f.documentId(`${path}/DocumentId`, r.documentId);
      if (r.documentId === pkg.header.documentId) f.add(`${path}/DocumentId`, 'replaces_itself');
    }
    if (r.organIdList.length === 0) f.add(`${path}/OrganIdList/OrganId`, 'required');
    r.organIdList.forEach((organId, j) => f.agencyCode(`${path}/OrganIdList/OrganId[${j + 1}]`, organId));
  });
}

function checkAttachments(f: Faults, pkg: DocumentPackage): void {
  const kind = businessTypeOf(pkg.business?.bussinessDocType) ?? 'new';
  if (pkg.attachments.length === 0 && kind !== 'revoke') f.add('edXML/AttachmentEncoded', 'recommended_missing', 'warning');
  const seen = new Set<string>();
  pkg.attachments.forEach((a, i) => {
    const path = `edXML/AttachmentEncoded/Attachment[${i + 1}]`;
    if (f.required(`${path}/ContentId`, a.contentId)) {
      if (seen.has(a.contentId)) f.add(`${path}/ContentId`, 'duplicate_content_id');
      seen.add(a.contentId);
    }
    if (f.required(`${path}/AttachmentName`, a.name)) f.maxLength(`${path}/AttachmentName`, a.name, 200);
    if (f.required(`${path}/ContentType`, a.contentType) && !MIME_TYPE.test(a.contentType)) {
      f.add(`${path}/ContentType`, 'invalid_content_type');
    }
    if (a.size !== a.data.length || a.sha256 !== sha256Hex(a.data)) f.add(`${path}/ContentTransferEncoded`, 'attachment_digest_mismatch');
    if (a.data.length === 0) f.add(`${path}/ContentTransferEncoded`, 'empty_attachment', 'warning');
  });
}

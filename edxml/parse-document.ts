/** Reads the MessageHeader and TraceHeaderList of a document package (edxml.md §2, §3). */
import { normalizeDate, normalizeTimestamp } from './dates';
import type { Business, DocumentHeader, TraceHeader } from './model';
import { assignDefined, readOrganization, readResponseFor, readStaffInfo } from './parse-common';
import type { ElementReader } from './parse-reader';

export function readDocumentHeader(h: ElementReader): DocumentHeader {
  const codeReader = h.one('Code');
  const code = { codeNumber: codeReader?.mandatoryText('CodeNumber') ?? '', codeNotation: codeReader?.mandatoryText('CodeNotation') ?? '' };
  codeReader?.finishContainer();

  const promulgationReader = h.one('PromulgationInfo');
  const promulgationInfo: DocumentHeader['promulgationInfo'] = {};
  if (promulgationReader) {
    assignDefined(promulgationInfo, 'place', promulgationReader.text('Place'));
    assignDefined(promulgationInfo, 'promulgationDate', promulgationReader.text('PromulgationDate', normalizeDate));
    promulgationReader.finishContainer();
  }

  const typeReader = h.one('DocumentType');
  const documentType: DocumentHeader['documentType'] = { type: typeReader?.mandatoryText('Type') ?? '' };
  if (typeReader) {
    assignDefined(documentType, 'typeDetail', typeReader.text('TypeDetail'));
    assignDefined(documentType, 'typeName', typeReader.text('TypeName'));
    typeReader.finishContainer();
  }

  const signerReader = h.one('SignerInfo');
  const signerInfo: DocumentHeader['signerInfo'] = {};
  if (signerReader) {
    assignDefined(signerInfo, 'competence', signerReader.text('Competence'));
    assignDefined(signerInfo, 'position', signerReader.text('Position'));
    assignDefined(signerInfo, 'fullName', signerReader.text('FullName'));
    signerReader.finishContainer();
  }

  const toPlacesReader = h.one('ToPlaces');
  const toPlaces = toPlacesReader?.texts('Place') ?? [];
  toPlacesReader?.finishContainer();

  const otherReader = h.one('OtherInfo');
  const otherInfo: DocumentHeader['otherInfo'] = { priority: otherReader?.mandatoryText('Priority') ?? '', appendixes: [] };
  if (otherReader) {
    assignDefined(otherInfo, 'sphereOfPromulgation', otherReader.text('SphereOfPromulgation'));
    assignDefined(otherInfo, 'typerNotation', otherReader.text('TyperNotation'));
    assignDefined(otherInfo, 'promulgationAmount', otherReader.text('PromulgationAmount'));
    assignDefined(otherInfo, 'pageAmount', otherReader.text('PageAmount'));
    assignDefined(otherInfo, 'direction', otherReader.text('Direction'));
    const appendixesReader = otherReader.one('Appendixes');
    otherInfo.appendixes = appendixesReader?.texts('Appendix') ?? [];
    appendixesReader?.finishContainer();
    otherReader.finishContainer();
  }

  const header: DocumentHeader = {
    from: readOrganization(h.one('From')),
    to: h.many('To').map((to) => readOrganization(to)),
    code,
    promulgationInfo,
    documentType,
    subject: h.mandatoryText('Subject'),
    signerInfo,
    toPlaces,
    otherInfo,
    responseFor: h.many('ResponseFor').map((rf) => readResponseFor(rf)),
  };
  assignDefined(header, 'content', h.text('Content'));
  assignDefined(header, 'dueDate', h.text('DueDate', normalizeDate));
  assignDefined(header, 'steeringType', h.text('SteeringType'));
  assignDefined(header, 'documentId', h.text('DocumentId'));
  h.ignore('Author');
  h.finishContainer();
  return header;
}

export function readTraceHeaderList(list: ElementReader | undefined): { traceHeaders: TraceHeader[]; business?: Business } {
  if (!list) return { traceHeaders: [] };
  const traceHeaders = list.many('TraceHeader').map((trace) => {
    const entry = { organId: trace.mandatoryText('OrganId'), timestamp: trace.mandatoryText('Timestamp', normalizeTimestamp) };
    trace.finishContainer();
    return entry;
  });
  const businessReader = list.one('Bussiness');
  list.finishContainer();
  if (!businessReader) return { traceHeaders };
  return { traceHeaders, business: readBusiness(businessReader) };
}

function readBusiness(b: ElementReader): Business {
  const business: Business = { bussinessDocType: b.mandatoryText('BussinessDocType'), replacementInfoList: [] };
  assignDefined(business, 'bussinessDocReason', b.text('BussinessDocReason'));
  assignDefined(business, 'documentId', b.text('DocumentId'));
  assignDefined(business, 'paper', b.text('Paper'));

  const infoReader = b.one('BussinessDocumentInfo');
  if (infoReader) {
    const info: NonNullable<Business['bussinessDocumentInfo']> = { receiverList: [] };
    assignDefined(info, 'documentInfo', infoReader.text('DocumentInfo'));
    assignDefined(info, 'documentReceiver', infoReader.text('DocumentReceiver'));
    const listReader = infoReader.one('ReceiverList');
    info.receiverList =
      listReader?.many('Receiver').map((r) => {
        const receiver = { organId: r.mandatoryText('OrganId'), receiverType: r.mandatoryText('ReceiverType') };
        r.finishContainer();
        return receiver;
      }) ?? [];
    listReader?.finishContainer();
    infoReader.finishContainer();
    business.bussinessDocumentInfo = info;
  }

  const replacementsReader = b.one('ReplacementInfoList');
  business.replacementInfoList =
    replacementsReader?.many('ReplacementInfo').map((r) => {
      const organIdsReader = r.one('OrganIdList');
      const replacement = { documentId: r.mandatoryText('DocumentId'), organIdList: organIdsReader?.texts('OrganId') ?? [] };
      organIdsReader?.finishContainer();
      r.finishContainer();
      return replacement;
    }) ?? [];
  replacementsReader?.finishContainer();

  const staffReader = b.one('StaffInfo');
  if (staffReader) business.staffInfo = readStaffInfo(staffReader);
  b.finishContainer();
  return business;
}

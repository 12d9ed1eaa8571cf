import forge from 'node-forge';

/**
 * Reading X.509 certificates and what they say about their holder.
 *
 * Where the agency code lives (our convention, the test CA follows it): the subject attribute UID
 * (0.9.2342.19200300.100.1.1) carries `MDDT:<agency code>` (mã định danh). An organisation certificate has only that;
 * a personal certificate also carries the holder's citizen identity in the subject serialNumber (2.5.4.5) as
 * `CCCD:<number>`, and its MDDT is the agency the person signs for. Vietnamese CAs mark identities in the subject
 * with the same `PREFIX:value` style (MST:, CMND:, CCCD:).
 */
export const UID_OID = '0.9.2342.19200300.100.1.1';
export const AGENCY_CODE_PREFIX = 'MDDT:';
export const PERSONAL_ID_PREFIX = 'CCCD:';

export type CertificateInput = string | Buffer | forge.pki.Certificate;

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** Upper-case hexadecimal, as certificate viewers show it. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  agencyCode: string | null;
  kind: 'organisation' | 'personal';
}

export class CertificateReadError extends Error {
  override name = 'CertificateReadError';
}

/** Reads one or more certificates from PEM text (a bundle is allowed), DER bytes or a forge object. */
export function readCertificates(input: CertificateInput): forge.pki.Certificate[] {
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) return [input];
  const text = typeof input === 'string' ? input : input.toString('latin1');
  try {
    if (text.includes('-----BEGIN')) {
      const certificates = forge.pem
        .decode(text)
        .filter((block) => block.type === 'CERTIFICATE')
        .map((block) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(block.body)));
      if (certificates.length === 0) throw new CertificateReadError('no CERTIFICATE block in PEM input');
      return certificates;
    }
    return [certificateFromDer(Buffer.isBuffer(input) ? input : Buffer.from(input, 'latin1'))];
  } catch (error) {
    if (error instanceof CertificateReadError) throw error;
    throw new CertificateReadError(`unreadable certificate: ${(error as Error).message}`);
  }
}

export function readCertificate(input: CertificateInput): forge.pki.Certificate {
  return readCertificates(input)[0];
}

export function certificateFromDer(der: Buffer): forge.pki.Certificate {
  try {
    // Strict parsing: trailing bytes after the certificate are refused.
    return forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'), true));
  } catch (error) {
    throw new CertificateReadError(`unreadable certificate: ${(error as Error).message}`);
  }
}

export function certificateFromBase64(base64: string): forge.pki.Certificate {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new CertificateReadError('certificate is not base64');
  return certificateFromDer(Buffer.from(compact, 'base64'));
}

export function certificateToDer(certificate: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');
}

export function certificateToPem(certificate: forge.pki.Certificate): string {
  return forge.pki.certificateToPem(certificate);
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.5': 'SERIALNUMBER',
  [UID_OID]: 'UID',
  '1.2.840.113549.1.9.1': 'E',
};

/** RFC 4514 string of a forge name (most specific attribute first), as X509SubjectName carries it. */
export function distinguishedName(name: forge.pki.Certificate['subject']): string {
  return name.attributes
    .map((attribute) => {
      const type = SHORT_NAMES[attribute.type ?? ''] ?? attribute.type;
      return `${type}=${escapeDnValue(attributeText(attribute))}`;
    })
    .reverse()
    .join(',');
}

function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

/** forge keeps UTF8String values as UTF-8 byte strings; decode them so Vietnamese names read right. */
function attributeText(attribute: forge.pki.CertificateField): string {
  const value = String(attribute.value ?? '');
  if ((attribute.valueTagClass as unknown) === forge.asn1.Type.UTF8) {
    try {
      return forge.util.decodeUtf8(value);
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * A parsed name holds UTF8String values as UTF-8 bytes, and forge encodes UTF8String values again whenever it writes
 * a name (issuing a certificate, a CMS SignerInfo); decode first so the written name is byte-identical.
 */
export function writableAttributes(name: forge.pki.Certificate['subject']): forge.pki.CertificateField[] {
  return name.attributes.map((attribute) =>
    (attribute.valueTagClass as unknown) === forge.asn1.Type.UTF8
      ? { ...attribute, value: forge.util.decodeUtf8(String(attribute.value)) }
      : attribute,
  );
}

function subjectValues(certificate: forge.pki.Certificate, oid: string): string[] {
  return certificate.subject.attributes.filter((a) => a.type === oid).map(attributeText);
}

export function agencyCodeOf(certificate: forge.pki.Certificate): string | null {
  const tagged = subjectValues(certificate, UID_OID).find((v) => v.startsWith(AGENCY_CODE_PREFIX));
  return tagged ? tagged.slice(AGENCY_CODE_PREFIX.length) : null;
}

export function isPersonalCertificate(certificate: forge.pki.Certificate): boolean {
  return subjectValues(certificate, '2.5.4.5').some((v) => v.startsWith(PERSONAL_ID_PREFIX));
}

/** Common name of the subject, decoded. */
export function commonNameOf(certificate: forge.pki.Certificate): string | null {
  return subjectValues(certificate, '2.5.4.3')[0] ?? null;
}

export function summariseCertificate(certificate: forge.pki.Certificate): CertificateSummary {
  return {
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    serial: certificate.serialNumber.toUpperCase(),
    notBefore: certificate.validity.notBefore,
    notAfter: certificate.validity.notAfter,
    agencyCode: agencyCodeOf(certificate),
    kind: isPersonalCertificate(certificate) ? 'personal' : 'organisation',
  };
}

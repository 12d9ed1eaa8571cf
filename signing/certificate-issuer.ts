import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import {
  AGENCY_CODE_PREFIX,
  PERSONAL_ID_PREFIX,
  UID_OID,
  certificateFromDer,
  certificateToDer,
  writableAttributes,
} from './certificates';

/**
 * Issues X.509 certificates with node-forge, for the test certificate authority and for tests that need
 * certificates a real CA would never issue (expired, not yet valid, from another root).
 */
export type SubjectAttribute = forge.pki.CertificateField;

export interface Issuer {
  certificate: forge.pki.Certificate;
  privateKey: forge.pki.rsa.PrivateKey;
}

export interface IssueCertificateOptions {
  subject: SubjectAttribute[];
  publicKey: forge.pki.PublicKey;
  /** Omit for a self-signed certificate, signed by `selfSignKey`. */
  issuer?: Issuer;
  selfSignKey?: forge.pki.rsa.PrivateKey;
  notBefore: Date;
  notAfter: Date;
  isCa?: boolean;
}

export function issueCertificate(options: IssueCertificateOptions): forge.pki.Certificate {
  const signingKey = options.issuer?.privateKey ?? options.selfSignKey;
  if (!signingKey) throw new Error('issueCertificate needs an issuer or a self-sign key');
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.setSubject(options.subject);
  cert.setIssuer(options.issuer ? writableAttributes(options.issuer.certificate.subject) : options.subject);
  cert.setExtensions(
    options.isCa
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ],
  );
  cert.sign(signingKey, forge.md.sha256.create());
  // Round trip through DER so attribute values read back exactly as a verifier will see them.
  return certificateFromDer(certificateToDer(cert));
}

/** 16 random bytes with the top bit clear: a positive serial that is unique without any counter. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return bytes.toString('hex');
}

const utf8 = (type: string, value: string): SubjectAttribute => ({ type, value, valueTagClass: forge.asn1.Type.UTF8 as never });

export function rootSubject(name: string): SubjectAttribute[] {
  return [{ shortName: 'C', value: 'VN' }, utf8('2.5.4.10', name), utf8('2.5.4.3', name)];
}

/** Organisation certificate subject: the agency code goes in UID as MDDT:<code> (certificates.ts). */
export function agencySubject(agency: { code: string; name: string }): SubjectAttribute[] {
  return [
    { shortName: 'C', value: 'VN' },
    utf8('2.5.4.10', agency.name),
    utf8(UID_OID, `${AGENCY_CODE_PREFIX}${agency.code}`),
    utf8('2.5.4.3', agency.name),
  ];
}

/** Personal certificate subject: citizen identity in serialNumber as CCCD:<number>, the agency in O and UID. */
export function signerSubject(signer: {
  fullName: string;
  personalId: string;
  agencyCode: string;
  agencyName: string;
  position?: string;
}): SubjectAttribute[] {
  return [
    { shortName: 'C', value: 'VN' },
    utf8('2.5.4.10', signer.agencyName),
    utf8(UID_OID, `${AGENCY_CODE_PREFIX}${signer.agencyCode}`),
    ...(signer.position ? [utf8('2.5.4.12', signer.position)] : []),
    { type: '2.5.4.5', value: `${PERSONAL_ID_PREFIX}${signer.personalId}`, valueTagClass: forge.asn1.Type.PRINTABLESTRING as never },
    utf8('2.5.4.3', signer.fullName),
  ];
}

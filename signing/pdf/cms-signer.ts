import { Signer } from '@signpdf/signpdf';
import forge from 'node-forge';
import { writableAttributes } from '../certificates';
import type { SigningCredential } from '../credentials';

/**
 * The CMS (PKCS#7 detached, SHA-256) signer that @signpdf/signpdf calls with the bytes a PDF signature covers.
 * Same construction as @signpdf/signer-p12, but from an already loaded credential (PKCS#12 or PEM), so keys are
 * read once and never written back to a temporary PKCS#12.
 */
export class CredentialCmsSigner extends Signer {
  constructor(private readonly credential: SigningCredential) {
    super();
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdfBuffer.toString('binary'));
    p7.addCertificate(this.credential.certificate);
    for (const issuer of this.credential.chain) p7.addCertificate(issuer);
    const signer = {
      key: this.credential.privateKey,
      // Issuer and serial given directly: forge would re-encode a parsed UTF-8 issuer name and no longer match it.
      issuer: writableAttributes(this.credential.certificate.issuer),
      serialNumber: this.credential.certificate.serialNumber,
      digestAlgorithm: forge.pki.oids.sha256,
      // This attribute order is the one EU validators expect (noted by @signpdf/signer-p12).
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest },
      ],
    };
    // @types/node-forge only lists the `certificate` form of addSigner; forge itself accepts issuer + serialNumber.
    p7.addSigner(signer as unknown as Parameters<typeof p7.addSigner>[0]);
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

import forge from 'node-forge';
import { type CertificateInput, readCertificates } from './certificates';

/**
 * Certificate path validation against the configured trusted roots (node-forge), with the validity period of
 * every certificate on the path checked at the signing time rather than "now", so a document signed while the
 * certificate was valid still verifies after it expires.
 */
export type ChainFailureCode =
  | 'untrusted_chain'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'certificate_not_for_signing';

export type ChainCheck =
  | { ok: true; path: forge.pki.Certificate[]; root: forge.pki.Certificate }
  | { ok: false; code: ChainFailureCode; detail: string };

export interface ChainCheckOptions {
  leaf: forge.pki.Certificate;
  /** Issuer certificates that came with the signature, in any order. */
  intermediates: forge.pki.Certificate[];
  trustedRoots: CertificateInput[];
  at: Date;
}

export function checkCertificateChain({ leaf, intermediates, trustedRoots, at }: ChainCheckOptions): ChainCheck {
  const roots = trustedRoots.flatMap(readCertificates);
  if (roots.length === 0) return { ok: false, code: 'untrusted_chain', detail: 'no trusted root configured' };
  const store = forge.pki.createCaStore(roots);
  const path = buildPath(leaf, intermediates, store);
  try {
    // Dates are checked below with clearer reasons; forge checks signatures, CA constraints and the anchor.
    forge.pki.verifyCertificateChain(store, [...path], { validityCheckDate: null });
  } catch (error) {
    const failure = error as { message?: string; error?: string };
    return { ok: false, code: 'untrusted_chain', detail: failure.message ?? String(failure.error ?? error) };
  }
  const root = anchorOf(path, store);
  for (const certificate of [...path, root]) {
    if (at < certificate.validity.notBefore) {
      return {
        ok: false,
        code: 'certificate_not_yet_valid',
        detail: `${describe(certificate)} is valid from ${certificate.validity.notBefore.toISOString()}, signing time ${at.toISOString()}`,
      };
    }
    if (at > certificate.validity.notAfter) {
      return {
        ok: false,
        code: 'certificate_expired',
        detail: `${describe(certificate)} expired at ${certificate.validity.notAfter.toISOString()}, signing time ${at.toISOString()}`,
      };
    }
  }
  const keyUsage = leaf.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (keyUsage && !keyUsage.digitalSignature && !keyUsage.nonRepudiation) {
    return { ok: false, code: 'certificate_not_for_signing', detail: 'key usage allows neither digitalSignature nor nonRepudiation' };
  }
  return { ok: true, path, root };
}

/** Leaf first, then each issuer found among the supplied intermediates, stopping at a trusted certificate. */
function buildPath(
  leaf: forge.pki.Certificate,
  intermediates: forge.pki.Certificate[],
  store: forge.pki.CAStore,
): forge.pki.Certificate[] {
  const path = [leaf];
  const remaining = [...intermediates];
  let current = leaf;
  while (!store.hasCertificate(current) && !current.isIssuer(current)) {
    const index = remaining.findIndex((candidate) => current.isIssuer(candidate));
    if (index < 0) break;
    current = remaining.splice(index, 1)[0];
    path.push(current);
  }
  return path;
}

function anchorOf(path: forge.pki.Certificate[], store: forge.pki.CAStore): forge.pki.Certificate {
  const last = path[path.length - 1];
  if (store.hasCertificate(last)) return last;
  const issuers = store.getIssuer(last) as forge.pki.Certificate | forge.pki.Certificate[] | null;
  const candidates = Array.isArray(issuers) ? issuers : issuers ? [issuers] : [];
  // verifyCertificateChain already proved one of them signed `last`.
  return candidates.find((candidate) => safeVerify(candidate, last)) ?? candidates[0];
}

function safeVerify(issuer: forge.pki.Certificate, certificate: forge.pki.Certificate): boolean {
  try {
    return issuer.verify(certificate);
  } catch {
    return false;
  }
}

function describe(certificate: forge.pki.Certificate): string {
  return `certificate ${certificate.serialNumber.toUpperCase()}`;
}

/** XML-DSig algorithm identifiers the package signature uses or meets (edxml.md §4). */
export const ALGORITHMS = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

export const SIGNATURE_METHODS: Record<string, { name: string; legacy: boolean }> = {
  [ALGORITHMS.rsaSha256]: { name: 'RSA-SHA256', legacy: false },
  [ALGORITHMS.rsaSha512]: { name: 'RSA-SHA512', legacy: false },
  [ALGORITHMS.rsaSha1]: { name: 'RSA-SHA1', legacy: true },
};

export const DIGEST_METHODS: Record<string, { name: string; legacy: boolean }> = {
  [ALGORITHMS.sha256]: { name: 'SHA-256', legacy: false },
  [ALGORITHMS.sha512]: { name: 'SHA-512', legacy: false },
  [ALGORITHMS.sha1]: { name: 'SHA-1', legacy: true },
};

export const CANONICALIZATIONS: ReadonlySet<string> = new Set([ALGORITHMS.excC14n, ALGORITHMS.c14n]);

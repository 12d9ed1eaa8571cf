/**
 * Size limits applied while reading a package. Every one is checked before the work it bounds (byte length
 * before decoding, base64 length before decoding it), so an oversized input costs a comparison, not a parse.
 */
export interface PackageLimits {
  /** Whole package, in bytes (UTF-8). */
  maxPackageBytes: number;
  /** The package without its attachment contents (the XML every parser walks), in bytes. */
  maxMetadataBytes: number;
  /** Number of AttachmentEncoded/Attachment elements. */
  maxAttachments: number;
  /** One decoded attachment, in bytes. */
  maxAttachmentBytes: number;
  /** Element nesting depth (edXML itself needs 8; the signature 7 below the header). */
  maxDepth: number;
  /** Number of elements in the package. */
  maxElements: number;
}

export const DEFAULT_LIMITS: Readonly<PackageLimits> = Object.freeze({
  maxPackageBytes: 64 * 1024 * 1024,
  maxMetadataBytes: 4 * 1024 * 1024,
  maxAttachments: 100,
  maxAttachmentBytes: 40 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 20_000,
});

export function resolveLimits(limits?: Partial<PackageLimits>): PackageLimits {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`PackageLimits.${name} must be a positive integer`);
  }
  return merged;
}

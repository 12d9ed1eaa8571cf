/** The benchmark's package: the edxml.md §8 document (one recipient) whose single PDF attachment sets the size. */
import { createAttachment, type DocumentPackage } from '../../edxml/index';
import { exampleDocument } from '../../test/edxml/support/packages';

/** Base64 carries 3 bytes in 4 characters; the rest of the package is about 3 KB. */
const OVERHEAD_BYTES = 3_200;

export function benchPackage(targetBytes: number): DocumentPackage {
  const attachmentBytes = Math.max(1, Math.floor(((targetBytes - OVERHEAD_BYTES) * 3) / 4));
  const data = Buffer.alloc(attachmentBytes);
  // Varied bytes (a fixed pattern would make base64 and hashing unrealistically regular).
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  data.write('%PDF-1.7\n', 0, 'latin1');
  return {
    ...exampleDocument(),
    attachments: [createAttachment({ contentId: '1', name: '1234_UBND-VP_signed.pdf', contentType: 'application/pdf', data })],
  };
}

import { crc32, deflateSync } from 'node:zlib';

/**
 * A minimal PNG writer for the RGBA images we draw ourselves (signature and seal). PNG is a container around zlib
 * data; node:zlib does the compression and the checksums.
 */
export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, rows top to bottom, not premultiplied. */
  pixels: Uint8Array;
}

export function createImage(width: number, height: number): RgbaImage {
  return { width, height, pixels: new Uint8Array(width * height * 4) };
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function encodePng(image: RgbaImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const stride = image.width * 4;
  const raw = Buffer.alloc((stride + 1) * image.height);
  for (let y = 0; y < image.height; y += 1) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(image.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/** Raises the coverage of one pixel in a single colour (keeps the strongest coverage seen). */
export function cover(image: RgbaImage, x: number, y: number, rgb: readonly [number, number, number], coverage: number) {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height || coverage <= 0) return;
  const offset = (y * image.width + x) * 4;
  const alpha = Math.round(Math.min(1, coverage) * 255);
  if (alpha <= image.pixels[offset + 3]) return;
  image.pixels.set([rgb[0], rgb[1], rgb[2], alpha], offset);
}

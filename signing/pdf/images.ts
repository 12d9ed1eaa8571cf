import { type RgbaImage, cover, createImage, encodePng } from './png';

/**
 * The visible images of document signatures (lifecycle.md §3), drawn in code so no image file is shipped:
 * the personal signature is blue ink on a transparent background, the seal a red stamp on a transparent background.
 * They are stand-ins for a signer's scanned signature and an agency's scanned seal, which a deployment supplies.
 */
export const SIGNATURE_BLUE = [0x1f, 0x3a, 0x93] as const;
export const SEAL_RED = [0xd4, 0x1e, 0x25] as const;

/** A handwritten-looking flourish, 3:1 wide. */
export function drawSignatureImage(width = 360, height = 120): Buffer {
  const image = createImage(width, height);
  const pen = Math.max(1.5, height / 40);
  const points: Array<[number, number]> = [];
  for (let t = 0; t <= 1; t += 0.0005) {
    // Three loops travelling right, then an underline sweeping back.
    const x = width * (0.08 + 0.72 * t) + width * 0.06 * Math.sin(t * 6 * Math.PI);
    const y = height * (0.45 - 0.22 * Math.cos(t * 6 * Math.PI) * (1 - 0.4 * t));
    points.push([x, y]);
  }
  for (let t = 0; t <= 1; t += 0.001) {
    points.push([width * (0.9 - 0.8 * t), height * (0.78 - 0.08 * Math.sin(t * Math.PI))]);
  }
  for (const [x, y] of points) stamp(image, x, y, pen, SIGNATURE_BLUE);
  return encodePng(image);
}

/** A round seal: double outer ring, inner ring and a five-pointed star, square image. */
export function drawSealImage(size = 400): Buffer {
  const image = createImage(size, size);
  const c = size / 2;
  const rings = [
    { radius: size * 0.48, width: size * 0.025 },
    { radius: size * 0.44, width: size * 0.01 },
    { radius: size * 0.3, width: size * 0.012 },
  ];
  const star = starPolygon(c, c, size * 0.22, size * 0.09);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
      let coverage = 0;
      for (const ring of rings) coverage = Math.max(coverage, ring.width / 2 - Math.abs(d - ring.radius) + 0.5);
      if (d < size * 0.25) coverage = Math.max(coverage, supersampledInside(star, x, y));
      cover(image, x, y, SEAL_RED, Math.min(1, coverage) * 0.9);
    }
  }
  return encodePng(image);
}

function stamp(image: RgbaImage, cx: number, cy: number, radius: number, rgb: readonly [number, number, number]) {
  for (let y = Math.floor(cy - radius - 1); y <= Math.ceil(cy + radius + 1); y += 1) {
    for (let x = Math.floor(cx - radius - 1); x <= Math.ceil(cx + radius + 1); x += 1) {
      cover(image, x, y, rgb, radius - Math.hypot(x + 0.5 - cx, y + 0.5 - cy) + 0.5);
    }
  }
}

function starPolygon(cx: number, cy: number, outer: number, inner: number): Array<[number, number]> {
  return Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)] as [number, number];
  });
}

function supersampledInside(polygon: Array<[number, number]>, x: number, y: number): number {
  let inside = 0;
  for (const dy of [0.25, 0.75]) for (const dx of [0.25, 0.75]) if (contains(polygon, x + dx, y + dy)) inside += 1;
  return inside / 4;
}

function contains(polygon: Array<[number, number]>, x: number, y: number): boolean {
  let result = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

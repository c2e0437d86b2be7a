// Draws the app icon (resources/icon.png, 512×512): a 3×3 ARC-style puzzle grid in the ARC palette
// on a dark rounded tile. Plain Node (zlib), no image libraries: `node resources/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const BG = [17, 19, 24];
const GRID = [
  [[0, 116, 217], [255, 65, 54], [46, 204, 64]],
  [[255, 220, 0], [17, 19, 24], [240, 18, 190]],
  [[255, 133, 27], [127, 219, 255], [135, 12, 37]],
];

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const radius = 96;
const pad = 72;
const cell = (SIZE - 2 * pad) / 3;
const gap = 14;
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    // rounded-square tile: transparent outside the corners
    const dx = Math.max(radius - x, x - (SIZE - 1 - radius), 0);
    const dy = Math.max(radius - y, y - (SIZE - 1 - radius), 0);
    const inside = dx * dx + dy * dy <= radius * radius;
    let rgb = BG;
    const gx = Math.floor((x - pad) / cell);
    const gy = Math.floor((y - pad) / cell);
    if (gx >= 0 && gx < 3 && gy >= 0 && gy < 3) {
      const ox = (x - pad) - gx * cell;
      const oy = (y - pad) - gy * cell;
      if (ox > gap / 2 && ox < cell - gap / 2 && oy > gap / 2 && oy < cell - gap / 2) rgb = GRID[gy][gx];
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    raw[o] = rgb[0];
    raw[o + 1] = rgb[1];
    raw[o + 2] = rgb[2];
    raw[o + 3] = inside ? 255 : 0;
  }
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(import.meta.dirname, 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);

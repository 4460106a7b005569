// Draws the Loket mark (a white queue ticket with side notches on a green rounded square) and writes
// build/icon.png (512×512, Linux/docs) and build/icon.ico (Windows exe + NSIS installer).
// Node built-ins only: shapes are sampled 4×4 per pixel for anti-aliasing, PNG via zlib, and the ICO
// container holds one PNG per size (Windows Vista+ reads PNG entries; electron-builder wants 256).
//
//   node scripts/make-icons.mjs [outDir=build]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'build'));

const PNG_SIZE = 512;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const SUPERSAMPLE = 4;

const GREEN = [0x0b, 0x8a, 0x4e];
const GREEN_DARK = [0x07, 0x66, 0x3a];
const WHITE = [0xff, 0xff, 0xff];

// --- geometry, in a unit square (0..1, y down) ---

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

// The ticket is tilted a little so the mark reads as "a ticket", not a generic card.
const TILT = (-12 * Math.PI) / 180;
function toTicketSpace(x, y) {
  const dx = x - 0.5;
  const dy = y - 0.5;
  return [0.5 + dx * Math.cos(-TILT) - dy * Math.sin(-TILT), 0.5 + dx * Math.sin(-TILT) + dy * Math.cos(-TILT)];
}

/** Colour at a point, or null outside the icon. `detailed`: text bars and perforation (large sizes). */
function colourAt(x, y, detailed) {
  if (!inRoundedRect(x, y, 0.03, 0.03, 0.97, 0.97, 0.2)) return null;
  const [tx, ty] = toTicketSpace(x, y);
  const inTicket =
    inRoundedRect(tx, ty, 0.16, 0.3, 0.84, 0.7, 0.05) && !inCircle(tx, ty, 0.16, 0.5, 0.075) && !inCircle(tx, ty, 0.84, 0.5, 0.075);
  if (inTicket) {
    if (detailed) {
      // Perforation between ticket and stub.
      if (Math.abs(tx - 0.66) < 0.012 && (ty - 0.3) % 0.06 < 0.035) return GREEN;
      // Two lines of "print": the queue number and the service.
      if (inRoundedRect(tx, ty, 0.26, 0.4, 0.56, 0.47, 0.02)) return GREEN;
      if (inRoundedRect(tx, ty, 0.26, 0.53, 0.48, 0.59, 0.02)) return GREEN;
    }
    return WHITE;
  }
  // Soft shading towards the bottom of the square.
  const t = Math.min(Math.max((y - 0.03) / 0.94, 0), 1);
  return GREEN.map((c, i) => Math.round(c + (GREEN_DARK[i] - c) * t));
}

function render(size) {
  const detailed = size >= 48;
  const rgba = Buffer.alloc(size * size * 4);
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = colourAt((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size, detailed);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
      const o = (py * size + px) * 4;
      // Average colour over the covered samples (straight, not premultiplied, alpha).
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((a / n) * 255);
    }
  }
  return rgba;
}

// --- PNG ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  // compression, filter, interlace: 0
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- ICO: ICONDIR, one ICONDIRENTRY per image, then the PNG images ---

function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size; // 0 means 256
    e[1] = size >= 256 ? 0 : size;
    e[2] = 0; // no palette
    e[3] = 0; // reserved
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'icon.png'), encodePng(PNG_SIZE, render(PNG_SIZE)));
const images = ICO_SIZES.map((size) => ({ size, png: encodePng(size, render(size)) }));
writeFileSync(join(outDir, 'icon.ico'), encodeIco(images));
console.log(`wrote ${join(outDir, 'icon.png')} (${PNG_SIZE}px) and ${join(outDir, 'icon.ico')} (${ICO_SIZES.join(', ')} px)`);

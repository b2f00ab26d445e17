// Draws build/icon.png (512x512): a dark tile with a green tally light and a "T" bar. Run once; the PNG is committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const size = 512;
const px = Buffer.alloc(size * (size * 4 + 1));
function set(x, y, [r, g, b, a]) {
  const i = y * (size * 4 + 1) + 1 + x * 4;
  px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = a;
}
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const inTile = Math.hypot(Math.max(0, Math.abs(x - 255.5) - 200), Math.max(0, Math.abs(y - 255.5) - 200)) < 48;
    let c = inTile ? [22, 26, 32, 255] : [0, 0, 0, 0];
    if (inTile && y > 120 && y < 180 && x > 110 && x < 402) c = [230, 233, 238, 255];
    if (inTile && y >= 180 && y < 330 && x > 226 && x < 286) c = [230, 233, 238, 255];
    if (Math.hypot(x - 256, y - 400) < 46) c = [47, 191, 113, 255];
    set(x, y, c);
  }
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  let crc = ~0;
  for (const byte of td) { crc ^= byte; for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1)); }
  const crcBuf = Buffer.alloc(4); crcBuf.writeUInt32BE((~crc) >>> 0);
  return Buffer.concat([len, td, crcBuf]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
mkdirSync('build', { recursive: true });
writeFileSync('build/icon.png', Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px)), chunk('IEND', Buffer.alloc(0))]));
console.log('wrote build/icon.png');

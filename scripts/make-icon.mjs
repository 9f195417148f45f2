// Writes build/icon.png (1024×1024), the app icon electron-builder turns into each platform's
// format: a dark blue rounded square with a lineage mark (a root node splitting into three lots,
// one of them flagged). Deterministic, so the file only changes when this script does.
//   node scripts/make-icon.mjs
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const SIZE = 1024
const px = Buffer.alloc(SIZE * SIZE * 4)
const set = (x, y, [r, g, b, a]) => {
  if (x < 0 || y < 0 || x >= SIZE || y >= SIZE) return
  const i = (y * SIZE + x) * 4
  px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = a
}
const BG = [22, 52, 96, 255]
const LINE = [236, 242, 250, 255]
const FLAG = [240, 128, 48, 255]

// Rounded square background.
const R = 180
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const dx = Math.max(R - x, x - (SIZE - 1 - R), 0)
    const dy = Math.max(R - y, y - (SIZE - 1 - R), 0)
    if (dx * dx + dy * dy <= R * R) set(x, y, BG)
  }
}
const disc = (cx, cy, r, color) => {
  for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y, color)
}
const line = (x0, y0, x1, y1, w, color) => {
  const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0))
  for (let s = 0; s <= steps; s++) disc(Math.round(x0 + ((x1 - x0) * s) / steps), Math.round(y0 + ((y1 - y0) * s) / steps), w, color)
}
const root = [512, 260]
const lots = [[270, 740], [512, 740], [754, 740]]
for (const [x, y] of lots) line(root[0], root[1], x, y, 22, LINE)
disc(root[0], root[1], 86, LINE)
lots.forEach(([x, y], i) => disc(x, y, 70, i === 2 ? FLAG : LINE))

// PNG encoding (RGBA, no filter).
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
const header = Buffer.alloc(13)
header.writeUInt32BE(SIZE, 0)
header.writeUInt32BE(SIZE, 4)
header[8] = 8 // bit depth
header[9] = 6 // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1))
for (let y = 0; y < SIZE; y++) px.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4)
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
])
const out = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'build', 'icon.png')
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, png)
console.log(`wrote ${out} (${png.length} bytes)`)

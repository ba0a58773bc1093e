/**
 * The trade-off chart as a PNG, without a dependency: a raster canvas (RGB), straight lines, filled boxes, a 3 x 5
 * bitmap font, and a PNG encoder (8-bit truecolour, no interlace; rows with filter 0, deflated by node:zlib, each
 * chunk with its CRC-32 as the PNG specification, section 5.3, defines it).
 *
 * The chart model and the plot area come from report.ts, so a point lands on the same pixel as in the SVG.
 * Lines are drawn last-family-on-top, 2 pixels wide; markers are 5 x 5 squares centred on the points.
 */
import { deflateSync } from 'node:zlib';
import { plotArea, tickLabel, toPixel, type ChartModel } from './chart.js';

type Rgb = readonly [number, number, number];

export class Canvas {
  readonly pixels: Uint8Array;
  constructor(readonly width: number, readonly height: number, background: Rgb = [255, 255, 255]) {
    this.pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < this.pixels.length; i += 3) this.pixels.set(background, i);
  }

  set(x: number, y: number, c: Rgb): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.pixels.set(c, (y * this.width + x) * 3);
  }

  get(x: number, y: number): [number, number, number] {
    const i = (y * this.width + x) * 3;
    return [this.pixels[i]!, this.pixels[i + 1]!, this.pixels[i + 2]!];
  }

  /** The box [x0, x1] x [y0, y1], ends included. */
  fill(x0: number, y0: number, x1: number, y1: number, c: Rgb): void {
    for (let y = Math.round(y0); y <= Math.round(y1); y++) for (let x = Math.round(x0); x <= Math.round(x1); x++) this.set(x, y, c);
  }

  /** A straight line (Bresenham), `width` pixels thick (a square brush). */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, width = 1): void {
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xe = Math.round(x1);
    const ye = Math.round(y1);
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    let err = dx + dy;
    const lo = -Math.floor((width - 1) / 2);
    for (;;) {
      this.fill(x + lo, y + lo, x + lo + width - 1, y + lo + width - 1, c);
      if (x === xe && y === ye) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** Text in the 3 x 5 font scaled by `scale`, top-left at (x, y); lower case is drawn as upper case. */
  text(s: string, x: number, y: number, c: Rgb, scale = 2): void {
    for (const ch of s) {
      const glyph = font[ch.toUpperCase()] ?? font['?']!;
      for (let row = 0; row < 5; row++) {
        for (let col = 0; col < 3; col++) if (glyph[row * 3 + col] === '1') this.fill(x + col * scale, y + row * scale, x + (col + 1) * scale - 1, y + (row + 1) * scale - 1, c);
      }
      x += 4 * scale;
    }
  }
}

export const textWidth = (s: string, scale = 2): number => s.length * 4 * scale - scale;

/** 3 x 5 glyphs, rows top to bottom, '1' = ink. Enough for numbers, percentages and family names. */
const font: Record<string, string> = Object.fromEntries(
  Object.entries({
    '0': '111 101 101 101 111', '1': '010 110 010 010 111', '2': '111 001 111 100 111', '3': '111 001 111 001 111', '4': '101 101 111 001 001',
    '5': '111 100 111 001 111', '6': '111 100 111 101 111', '7': '111 001 001 010 010', '8': '111 101 111 101 111', '9': '111 101 111 001 111',
    A: '010 101 111 101 101', B: '110 101 110 101 110', C: '011 100 100 100 011', D: '110 101 101 101 110', E: '111 100 110 100 111',
    F: '111 100 110 100 100', G: '011 100 101 101 011', H: '101 101 111 101 101', I: '111 010 010 010 111', J: '001 001 001 101 010',
    K: '101 101 110 101 101', L: '100 100 100 100 111', M: '101 111 111 101 101', N: '110 101 101 101 101', O: '010 101 101 101 010',
    P: '110 101 110 100 100', Q: '010 101 101 110 011', R: '110 101 110 101 101', S: '011 100 010 001 110', T: '111 010 010 010 010',
    U: '101 101 101 101 111', V: '101 101 101 101 010', W: '101 101 111 111 101', X: '101 101 010 101 101', Y: '101 101 010 010 010',
    Z: '111 001 010 100 111', '.': '000 000 000 000 010', ',': '000 000 000 010 100', '%': '101 001 010 100 101', '-': '000 000 111 000 000',
    '+': '000 010 111 010 000', '/': '001 001 010 100 100', ':': '000 010 000 010 000', '(': '001 010 010 010 001', ')': '100 010 010 010 100',
    _: '000 000 000 000 111', '=': '000 111 000 111 000', ' ': '000 000 000 000 000', '?': '111 001 011 000 010',
  }).map(([k, v]) => [k, v.replace(/ /g, '')]),
);

const BLACK: Rgb = [0, 0, 0];
const GRID: Rgb = [225, 225, 225];
const GREY: Rgb = [120, 120, 120];

/** Draws the chart: gridlines, axes with tick marks and labels, one polyline per series with markers, a legend. */
export function drawChart(model: ChartModel, width = 800, height = 480): Canvas {
  const c = new Canvas(width, height);
  const a = plotArea(width, height);
  const at = (x: number, y: number) => toPixel(model, width, height, x, y);
  c.text(model.title, (a.left + a.right) / 2 - textWidth(model.title) / 2, 10, BLACK);
  for (const t of model.x.ticks) {
    const [x] = at(t, model.y.min);
    c.line(x, a.top, x, a.bottom, GRID);
    c.line(x, a.bottom, x, a.bottom + 5, BLACK);
    const label = tickLabel(t, false);
    c.text(label, x - textWidth(label) / 2, a.bottom + 9, BLACK);
  }
  for (const t of model.y.ticks) {
    const [, y] = at(model.x.min, t);
    c.line(a.left, y, a.right, y, GRID);
    c.line(a.left - 5, y, a.left, y, BLACK);
    const label = tickLabel(t, model.yPercent);
    c.text(label, a.left - 9 - textWidth(label), y - 5, BLACK);
  }
  c.line(a.left, a.top, a.left, a.bottom, BLACK);
  c.line(a.left, a.bottom, a.right, a.bottom, BLACK);
  c.text(model.xLabel, (a.left + a.right) / 2 - textWidth(model.xLabel) / 2, height - 22, BLACK);
  c.text(model.yLabel, 8, a.top - 14, BLACK);
  for (const s of model.series) {
    const pts = s.points.map(([x, y]) => at(x, y));
    for (let i = 1; i < pts.length; i++) c.line(pts[i - 1]![0], pts[i - 1]![1], pts[i]![0], pts[i]![1], s.color, 2);
    for (const [x, y] of pts) c.fill(x - 2, y - 2, x + 2, y + 2, s.color);
  }
  // Legend box on the right, in the corner the model says the curves leave free.
  const row = 16;
  const w = 34 + Math.max(...model.series.map((s) => textWidth(s.name)), 40) + 8;
  const h = row * model.series.length + 8;
  const lx = a.right - w - 8;
  const ly = model.legend === 'bottom' ? a.bottom - h - 8 : a.top + 8;
  c.fill(lx, ly, lx + w, ly + h, [255, 255, 255]);
  c.line(lx, ly, lx + w, ly, GREY);
  c.line(lx, ly + h, lx + w, ly + h, GREY);
  c.line(lx, ly, lx, ly + h, GREY);
  c.line(lx + w, ly, lx + w, ly + h, GREY);
  model.series.forEach((s, k) => {
    const y = ly + 6 + k * row;
    c.fill(lx + 6, y, lx + 26, y + 8, s.color);
    c.text(s.name, lx + 34, y - 1, BLACK);
  });
  return c;
}

/** The chart as PNG bytes. */
export function chartPng(model: ChartModel, width = 800, height = 480): Buffer {
  const c = drawChart(model, width, height);
  return encodePng(c.width, c.height, c.pixels);
}

/** An 8-bit RGB image (rows top to bottom, 3 bytes a pixel) as a PNG file. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (rgb.length !== width * height * 3) throw new RangeError(`encodePng: ${rgb.length} bytes for ${width} x ${height} RGB pixels`);
  // Each row is preceded by its filter type; 0 (none) keeps the encoder trivial, and deflate still packs the
  // large flat areas of a chart well.
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0;
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (truecolour), deflate, filter method 0, no interlace
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** length, type, data, CRC-32 over type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as PNG and zlib use it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

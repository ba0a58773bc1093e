// png.ts: the file is a PNG a decoder accepts (checked here with node:zlib's own CRC-32 and inflate, not the
// writer's), and the chart's curves are drawn where their data says.
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Canvas, chartPng, crc32, encodePng } from './png.js';
import type { ChartModel } from './chart.js';

interface Decoded {
  width: number;
  height: number;
  chunks: string[];
  pixel(x: number, y: number): [number, number, number];
}

/** A strict reader for what encodePng writes: checks every chunk's CRC and the image data's size and filters. */
function decode(png: Buffer): Decoded {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | null = null;
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(zlibCrc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push(type);
    if (type === 'IHDR') ihdr = Buffer.from(data);
    if (type === 'IDAT') idat.push(Buffer.from(data));
    at += 12 + length;
  }
  expect(at).toBe(png.length);
  expect(ihdr).not.toBeNull();
  const width = ihdr!.readUInt32BE(0);
  const height = ihdr!.readUInt32BE(4);
  // Bit depth 8, truecolour, deflate, filter method 0, no interlace.
  expect([...ihdr!.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + width * 3;
  expect(raw.length).toBe(height * stride);
  for (let y = 0; y < height; y++) expect(raw[y * stride], `filter of row ${y}`).toBe(0);
  return {
    width,
    height,
    chunks,
    pixel: (x, y) => {
      const i = y * stride + 1 + x * 3;
      return [raw[i]!, raw[i + 1]!, raw[i + 2]!];
    },
  };
}

describe('encodePng', () => {
  it('crc32 is the standard CRC-32 (check value of "123456789" is CBF43926)', () => {
    expect(crc32(Buffer.from('123456789', 'ascii'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('a 3 x 2 image: signature, IHDR, IDAT, IEND, and the pixels back', () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const d = decode(encodePng(3, 2, rgb));
    expect(d.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([d.width, d.height]).toEqual([3, 2]);
    expect(d.pixel(0, 0)).toEqual([255, 0, 0]);
    expect(d.pixel(2, 0)).toEqual([0, 0, 255]);
    expect(d.pixel(1, 1)).toEqual([40, 50, 60]);
  });

  it('refuses pixels that do not fit the size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(RangeError);
  });
});

describe('Canvas', () => {
  it('lines cover both ends and every pixel between (Bresenham), 2 wide when asked', () => {
    const c = new Canvas(10, 10);
    c.line(1, 1, 8, 1, [0, 0, 0]);
    for (let x = 1; x <= 8; x++) expect(c.get(x, 1)).toEqual([0, 0, 0]);
    expect(c.get(0, 1)).toEqual([255, 255, 255]);
    expect(c.get(9, 1)).toEqual([255, 255, 255]);
    c.line(2, 3, 6, 7, [9, 9, 9], 2);
    for (let k = 0; k <= 4; k++) {
      expect(c.get(2 + k, 3 + k)).toEqual([9, 9, 9]);
      expect(c.get(3 + k, 4 + k)).toEqual([9, 9, 9]);
    }
  });
});

describe('chartPng', () => {
  const red = [200, 0, 0] as const;
  const blue = [0, 0, 200] as const;
  // x 0..10, y 0..1. Red rises along y = x / 10 on x 0..6; blue is flat at y = 0.75 on x 1..9, below the legend (top right).
  const model: ChartModel = {
    title: 'Fill rate', xLabel: 'units', yLabel: 'fill', yPercent: true, legend: 'top',
    x: { min: 0, max: 10, ticks: [0, 5, 10] },
    y: { min: 0, max: 1, ticks: [0, 0.5, 1] },
    series: [
      { name: 'rule', color: red, points: [[0, 0], [2, 0.2], [6, 0.6]] },
      { name: 'tsb/RS/fill', color: blue, points: [[1, 0.75], [9, 0.75]] },
    ],
  };
  const width = 400;
  const height = 300;
  const d = decode(chartPng(model, width, height));
  // Plot area (report.ts plotArea): x 72..376, y 40..244. Data x 0..10 -> 72 + 30.4 x; y 0..1 -> 244 - 204 y.
  const px = (x: number) => Math.round(72 + 30.4 * x);
  const py = (y: number) => Math.round(244 - 204 * y);

  it('is the size asked for', () => {
    expect([d.width, d.height]).toEqual([width, height]);
    expect(d.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('each curve passes through its points and between them', () => {
    for (const [x, y] of [[0, 0], [2, 0.2], [6, 0.6], [1, 0.1], [4, 0.4], [5.5, 0.55]] as const) expect(d.pixel(px(x), py(y)), `red at ${x}, ${y}`).toEqual([...red]);
    for (const x of [1, 2.5, 4, 7]) expect(d.pixel(px(x), py(0.75)), `blue at ${x}`).toEqual([...blue]);
  });

  it('nothing is drawn where there is no data: inside the plot, away from lines, the background or a gridline', () => {
    const background = [[255, 255, 255], [225, 225, 225]];
    for (const [x, y] of [[2, 0.7], [8, 0.3], [6, 0.2], [9.5, 0.6]] as const) expect(background, `at ${x}, ${y}`).toContainEqual(d.pixel(px(x), py(y)));
    // Right of its last point (6, 0.6) the red curve does not continue.
    expect(d.pixel(px(7), py(0.7))).not.toEqual([...red]);
  });

  it('axes, tick marks and gridlines where the ticks are', () => {
    // The y axis at x = 72, the x axis at y = 244, in black.
    expect(d.pixel(72, 100)).toEqual([0, 0, 0]);
    expect(d.pixel(200, 244)).toEqual([0, 0, 0]);
    // Tick mark below the x axis at x = 5 (pixel 224), and its gridline inside the plot.
    expect(d.pixel(px(5), 247)).toEqual([0, 0, 0]);
    expect(d.pixel(px(5), py(0.3))).toEqual([225, 225, 225]);
    // Gridline at y = 50% left of the curves.
    expect(d.pixel(px(0.5), py(0.5))).toEqual([225, 225, 225]);
  });

  it('a legend box with a swatch per series in its colour, top right', () => {
    // Legend: right edge at 376 - 8, top at 48; swatches at x + 6..x + 26, rows 16 apart starting 6 below the top.
    const found = (color: readonly number[]): [number, number] | null => {
      for (let y = 40; y < 100; y++) for (let x = 200; x < 376; x++) if (d.pixel(x, y).join() === color.join() && d.pixel(x + 19, y + 7).join() === color.join()) return [x, y];
      return null;
    };
    const r = found(red);
    const b = found(blue);
    expect(r).not.toBeNull();
    expect(b).not.toBeNull();
    expect(b![0]).toBe(r![0]);
    expect(b![1] - r![1]).toBe(16);
  });
});

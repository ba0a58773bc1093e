/**
 * The weekly KPI email's trend chart as a PNG, drawn on the simulator's dependency-free canvas (simulation/png.ts):
 * rates per ISO week on a fixed 0-100% axis, one line per series, broken where a week has no figure (no orders).
 * The image carries no words but week labels and percentages (its 3 x 5 font has no accents); the legend is in
 * the email, in the reader's language, in the same colours.
 */
import { Canvas, encodePng, textWidth } from '../simulation/png.js';

type Rgb = readonly [number, number, number];

export interface TrendSeries {
  color: Rgb;
  /** One value (0..1) per label; null where the week has no figure. */
  values: readonly (number | null)[];
}

/** The series colours (Okabe & Ito, as the simulator's charts); the kpi-report templates' legends use the same hex. */
export const trendColors = { backorderRate: [213, 94, 0] as Rgb, fillRate: [0, 114, 178] as Rgb };

const BLACK: Rgb = [0, 0, 0];
const GRID: Rgb = [225, 225, 225];
const yTicks = [0, 0.25, 0.5, 0.75, 1];

/** The plot area: room on the left for "100%", below for the week labels. */
export function trendPlotArea(width: number, height: number) {
  return { left: 44, top: 10, right: width - 12, bottom: height - 24 };
}

/** Pixel of week `i` of `n` at rate `v`: weeks sit in the middle of equal slots, so the first and last are not on the frame. */
export function trendPixel(width: number, height: number, n: number, i: number, v: number): [number, number] {
  const a = trendPlotArea(width, height);
  const x = a.left + ((i + 0.5) * (a.right - a.left)) / n;
  const y = a.bottom - Math.min(1, Math.max(0, v)) * (a.bottom - a.top);
  return [Math.round(x), Math.round(y)];
}

/** Draws the chart: percentage gridlines, week labels, then each series as 2-pixel lines with 5 x 5 markers. */
export function drawTrendChart(labels: readonly string[], series: readonly TrendSeries[], width = 560, height = 200): Canvas {
  const c = new Canvas(width, height);
  const a = trendPlotArea(width, height);
  const at = (i: number, v: number) => trendPixel(width, height, labels.length, i, v);
  for (const t of yTicks) {
    const [, y] = at(0, t);
    c.line(a.left, y, a.right, y, GRID);
    const label = `${Math.round(t * 100)}%`;
    c.text(label, a.left - 6 - textWidth(label), y - 5, BLACK);
  }
  c.line(a.left, a.top, a.left, a.bottom, BLACK);
  c.line(a.left, a.bottom, a.right, a.bottom, BLACK);
  labels.forEach((label, i) => {
    const [x] = at(i, 0);
    c.line(x, a.bottom, x, a.bottom + 4, BLACK);
    c.text(label, x - textWidth(label) / 2, a.bottom + 8, BLACK);
  });
  for (const s of series) {
    let previous: [number, number] | null = null;
    s.values.forEach((v, i) => {
      if (v === null) {
        previous = null;
        return;
      }
      const p = at(i, v);
      if (previous) c.line(previous[0], previous[1], p[0], p[1], s.color, 2);
      c.fill(p[0] - 2, p[1] - 2, p[0] + 2, p[1] + 2, s.color);
      previous = p;
    });
  }
  return c;
}

/** The chart as PNG bytes. */
export function trendChartPng(labels: readonly string[], series: readonly TrendSeries[], width = 560, height = 200): Buffer {
  const c = drawTrendChart(labels, series, width, height);
  return encodePng(c.width, c.height, c.pixels);
}

/**
 * The trade-off charts of a simulation report: one model (axes, one curve per family), drawn as SVG here and as a
 * raster PNG in png.ts, so both show the same thing.
 */
import { num, pct, type SettingRow, type SimulationReport } from './report.js';

export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

export interface ChartSeries {
  readonly name: string;
  readonly color: readonly [number, number, number];
  /** Points in data units, sorted by x. */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartModel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: Axis;
  readonly y: Axis;
  /** Show y ticks as percentages. */
  readonly yPercent: boolean;
  /** Where the legend goes: the corner the curves leave free (rising fill-rate curves: bottom; falling backorders: top). */
  readonly legend: 'top' | 'bottom';
  readonly series: readonly ChartSeries[];
}

/** Colour-blind-safe-ish categorical colours (Okabe & Ito 2008), then a few more. */
export const palette: readonly (readonly [number, number, number])[] = [
  [0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [230, 159, 0], [86, 180, 233], [0, 0, 0], [120, 120, 120], [160, 40, 40], [40, 40, 160],
];

/**
 * Ticks at 1, 2 or 5 times a power of ten covering [min, max], about `count` of them; the axis is widened to the
 * outer ticks so every point sits inside.
 */
export function niceAxis(min: number, max: number, count = 5): Axis {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceAxis(min - (min === 0 ? 0 : pad), max + pad, count);
  }
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9))!;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) ticks.push(Number((lo + k * step).toPrecision(12)));
  return { min: lo, max: hi, ticks };
}

/** The two trade-off charts of a report: fill rate, and backordered units, against inventory; one curve per family. */
export function tradeoffCharts(report: SimulationReport): { fill: ChartModel; backorders: ChartModel } {
  const m = report.inventory.measure;
  const xs = report.families.flatMap((f) => f.settings.map((s) => s[m]));
  const x = niceAxis(0, Math.max(0, ...xs));
  const curve = (y: (s: SettingRow) => number) =>
    report.families.map((f, k) => ({
      name: f.name,
      color: palette[k % palette.length]!,
      points: f.settings.map((s) => [s[m], y(s)] as const).sort((a, b) => a[0] - b[0]),
    }));
  const fills = report.families.flatMap((f) => f.settings.map((s) => s.fillRate));
  const yFill = niceAxis(Math.max(0, Math.floor(Math.min(1, ...fills) * 10) / 10), 1);
  const shorts = report.families.flatMap((f) => f.settings.map((s) => s.backorderedUnits));
  const label = report.inventory.label;
  return {
    fill: { title: 'Fill rate against inventory', xLabel: label, yLabel: 'fill rate', x, y: yFill, yPercent: true, legend: 'bottom', series: curve((s) => s.fillRate) },
    backorders: { title: 'Backordered units against inventory', xLabel: label, yLabel: 'backordered units', x, y: niceAxis(0, Math.max(0, ...shorts)), yPercent: false, legend: 'top', series: curve((s) => s.backorderedUnits) },
  };
}

/** Plot area inside a width x height chart; png.ts uses the same so both charts put points at the same places. */
export function plotArea(width: number, height: number): { left: number; top: number; right: number; bottom: number } {
  return { left: 72, top: 40, right: width - 24, bottom: height - 56 };
}

/** Pixel position of a data point (y grows downwards). */
export function toPixel(model: ChartModel, width: number, height: number, x: number, y: number): [number, number] {
  const a = plotArea(width, height);
  return [a.left + ((x - model.x.min) / (model.x.max - model.x.min)) * (a.right - a.left), a.bottom - ((y - model.y.min) / (model.y.max - model.y.min)) * (a.bottom - a.top)];
}

export function tickLabel(v: number, percent: boolean): string {
  if (percent) return `${Number((v * 100).toPrecision(6))}%`;
  return Math.abs(v) >= 10_000 ? `${Number((v / 1000).toPrecision(6))}k` : String(Number(v.toPrecision(6)));
}

// ---------------------------------------------------------------------------------------------------------------
// HTML

/** Text for HTML content and attribute values: the five characters that could open markup or end a value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const rgb = (c: readonly [number, number, number]) => `rgb(${c[0]},${c[1]},${c[2]})`;

export function chartSvg(model: ChartModel, width = 760, height = 440): string {
  const a = plotArea(width, height);
  const px = (x: number, y: number) => toPixel(model, width, height, x, y).map((v) => v.toFixed(1)).join(',');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(model.title)}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${a.left}" y="20" font-size="14" font-weight="bold">${escapeHtml(model.title)}</text>`,
  ];
  for (const t of model.x.ticks) {
    const [x] = toPixel(model, width, height, t, model.y.min);
    parts.push(`<line x1="${x.toFixed(1)}" y1="${a.top}" x2="${x.toFixed(1)}" y2="${a.bottom + 5}" stroke="#ddd"/>`, `<text x="${x.toFixed(1)}" y="${a.bottom + 18}" text-anchor="middle">${tickLabel(t, false)}</text>`);
  }
  for (const t of model.y.ticks) {
    const [, y] = toPixel(model, width, height, model.x.min, t);
    parts.push(`<line x1="${a.left - 5}" y1="${y.toFixed(1)}" x2="${a.right}" y2="${y.toFixed(1)}" stroke="#ddd"/>`, `<text x="${a.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end">${tickLabel(t, model.yPercent)}</text>`);
  }
  parts.push(
    `<path d="M${a.left},${a.top}V${a.bottom}H${a.right}" fill="none" stroke="black"/>`,
    `<text x="${(a.left + a.right) / 2}" y="${height - 14}" text-anchor="middle">${escapeHtml(model.xLabel)}</text>`,
    `<text transform="translate(16,${(a.top + a.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(model.yLabel)}</text>`,
  );
  for (const s of model.series) {
    const color = rgb(s.color);
    const name = escapeHtml(s.name);
    parts.push(`<g class="series"><title>${name}</title><polyline fill="none" stroke="${color}" stroke-width="2" points="${s.points.map(([x, y]) => px(x, y)).join(' ')}"/>`);
    for (const [x, y] of s.points) {
      const [cx, cy] = toPixel(model, width, height, x, y);
      parts.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="3" fill="${color}"><title>${name}: ${num(x)}, ${model.yPercent ? pct(y) : num(y)}</title></circle>`);
    }
    parts.push('</g>');
  }
  const rowHeight = 16;
  const legendWidth = 16 + 7 * Math.max(8, ...model.series.map((s) => s.name.length)) + 24;
  const legendHeight = rowHeight * model.series.length + 8;
  const lx = a.right - legendWidth - 8;
  const ly = model.legend === 'bottom' ? a.bottom - legendHeight - 8 : a.top + 8;
  parts.push(`<g class="legend"><rect x="${lx}" y="${ly}" width="${legendWidth}" height="${legendHeight}" fill="white" stroke="#888"/>`);
  model.series.forEach((s, k) => {
    const y = ly + 4 + k * rowHeight;
    parts.push(`<rect x="${lx + 6}" y="${y + 3}" width="14" height="8" fill="${rgb(s.color)}"/>`, `<text x="${lx + 26}" y="${y + 11}">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</g></svg>');
  return parts.join('\n');
}


/**
 * The weekly KPI report's pure parts: which week is due when, the figures as the reader sees them (in en, de, fr),
 * the trend chart's pixels, and the kpi-report templates of the default playbook rendering every figure.
 */
import { missingNames } from '../../test/support/mustache.js';
import { describe, expect, it } from 'vitest';
import { defaultPlaybookSource } from '../communication/playbook/active.js';
import { parsePlaybook } from '../communication/playbook/load.js';
import type { TemplateView } from '../communication/template-view.js';
import { pickTemplate, renderTemplate } from '../communication/templates.js';
import { PNG_SIGNATURE } from '../simulation/png.js';
import { drawTrendChart, trendChartPng, trendColors, trendPixel } from './weekly-chart.js';
import { dueReportWeek, kpiReportView, type KpiReportVars, type KpiReportView, type WeekFigures } from './weekly-report.js';

describe('dueReportWeek', () => {
  const at = (iso: string, weekday = 1, hour = 7) => dueReportWeek(new Date(iso), weekday, hour);

  it('is the ISO week before now’s, from the weekday and hour on, until the week ends', () => {
    expect(at('2026-01-12T06:59:59.999Z')).toBeNull();
    const w02 = { label: '2026-W02', start: '2026-01-05', end: '2026-01-11' };
    expect(at('2026-01-12T07:00:00.000Z')).toEqual(w02);
    expect(at('2026-01-18T23:59:59.999Z')).toEqual(w02);
    expect(at('2026-01-19T07:00:00.000Z')?.label).toBe('2026-W03');
  });

  it('waits for a later weekday (Friday 17:00), and labels weeks by their ISO year', () => {
    expect(at('2027-01-07T23:00:00.000Z', 5, 17)).toBeNull(); // Thursday
    expect(at('2027-01-08T16:59:00.000Z', 5, 17)).toBeNull();
    expect(at('2027-01-08T17:00:00.000Z', 5, 17)).toEqual({ label: '2026-W53', start: '2026-12-28', end: '2027-01-03' });
    expect(at('2026-01-01T12:00:00.000Z', 4, 0)).toEqual({ label: '2025-W52', start: '2025-12-22', end: '2025-12-28' });
  });
});

const figures = (over: Partial<WeekFigures> = {}): WeekFigures => ({
  orders: 5,
  lines: 6,
  units: 20,
  unitsBackordered: 5,
  unitsRejected: 2,
  backorderRate: { lines: 0.4, units: 5 / 18, orders: 0.5 },
  fillRate: { units: 0.65, lines: 0.5, orders: 0.4 },
  lostDemandRate: 0.1,
  cycleTime: { orders: 3, p50Hours: 30, p90Hours: 96.25 },
  openBackorders: { count: 1, units: 3 },
  cleared: { count: 1, meanDays: 4 },
  promiseAccuracy: 1,
  csat: { count: 2, mean: 4.5 },
  inventory: { onHandUnits: 3, turnover: 98 / 65, daysOfSupply: 1.25 },
  ...over,
});

const rates: [number | null, number | null][] = [[null, null], [0.1, 0.85], [0.15, 0.8], [0.05, 0.93], [null, null], [0.2, 0.7], [0, 1], [5 / 18, 0.65]];
const vars: KpiReportVars = {
  week: { label: '2026-W02', start: '2026-01-05', end: '2026-01-11' },
  overall: figures(),
  warehouses: [{ warehouseId: 'UK', name: 'Manchester', ...figures({ csat: null, backorderRate: { lines: null, units: 0.2, orders: null } }) }],
  trend: rates.map(([bo, fill], i) => ({ week: `2025-W${47 + i}`, start: '2025-11-17', orders: bo === null ? 0 : 3, backorderRateUnits: bo, fillRateUnits: fill })),
};

describe('kpiReportView', () => {
  it('formats rates, hours and changes in the reader’s language, with a dash where a figure is undefined', () => {
    const en = kpiReportView(vars, 'en');
    expect(en.overall).toMatchObject({ backorderRateUnits: '27.8%', fillRateUnits: '65.0%', lostDemandRate: '10.0%', cycleP90Hours: '96.3', csatMean: '4.5', turnover: '1.5' });
    expect(en.warehouses[0]).toMatchObject({ id: 'UK', name: 'Manchester', backorderRateUnits: '20.0%', backorderRateLines: '–', csatMean: '–' });
    expect(en.change).toEqual({ backorderRate: '+27.8', fillRate: '-35' });
    expect(en.trend[0]).toEqual({ week: '2025-W47', orders: 0, backorderRate: '–', fillRate: '–' });
    const de = kpiReportView(vars, 'de');
    expect(de.overall.backorderRateUnits).toBe('27,8\u00a0%');
    expect(de.overall.cycleP90Hours).toBe('96,3');
  });

  it('draws the trend chart: the stored rates at their pixels in the series colours, gaps where a week has none', () => {
    const labels = vars.trend.map((p) => p.week.slice(5));
    const series = [
      { color: trendColors.fillRate, values: vars.trend.map((p) => p.fillRateUnits) },
      { color: trendColors.backorderRate, values: vars.trend.map((p) => p.backorderRateUnits) },
    ];
    const canvas = drawTrendChart(labels, series);
    expect(canvas.get(...trendPixel(560, 200, 8, 7, 0.65))).toEqual([...trendColors.fillRate]);
    expect(canvas.get(...trendPixel(560, 200, 8, 7, 5 / 18))).toEqual([...trendColors.backorderRate]);
    // Week 5 has no figure: the lines break there rather than join weeks 4 and 6 (which would pass these pixels).
    expect(canvas.get(...trendPixel(560, 200, 8, 4, (0.93 + 0.7) / 2))).toEqual([255, 255, 255]);
    expect(canvas.get(...trendPixel(560, 200, 8, 4, (0.05 + 0.2) / 2))).toEqual([255, 255, 255]);
    const src = kpiReportView(vars, 'en').chart.src;
    const png = Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png).toEqual(trendChartPng(labels, series));
  });
});

describe('the kpi-report templates of the default playbook', () => {
  const parsed = parsePlaybook(defaultPlaybookSource());
  if (!parsed.ok) throw new Error(parsed.error.message);
  const playbook = parsed.value;
  const view = (language: string, kpi: KpiReportView | null = kpiReportView(vars, language)): TemplateView => ({
    company: 'Raincheck', customer: null, order: null, lines: [], hasLines: false, statusUrl: null, survey: [], choice: null, sku: null, slips: null, digest: null, kpi,
  });

  it('has a weekly rule sending kpi-report to internal recipients on Monday at 07:00 UTC, with 8 weeks of trend', () => {
    const rule = playbook.rules.find((r) => r.on === 'report.weekly');
    expect(rule).toMatchObject({ id: 'weekly-kpi-report', weekday: 'monday', hour_utc: 7, trend_weeks: 8, template: 'kpi-report' });
    expect(Array.isArray(rule?.to)).toBe(true);
  });

  it.each(['en', 'de', 'fr'])('renders every figure in %s, in text and HTML, with the chart as an image', (language) => {
    const picked = pickTemplate('kpi-report', language, playbook.templates, playbook.language);
    expect(picked?.language).toBe(language);
    const v = view(language);
    for (const part of ['subject', 'text', 'html'] as const) {
      expect(missingNames(picked!.bodies[part], v), part).toEqual([]);
    }
    const out = renderTemplate(picked!.bodies, v);
    expect(out.subject).not.toMatch(/[\r\n]/);
    const o = v.kpi!.overall;
    for (const body of [out.text, out.html]) {
      for (const figure of [o.backorderRateUnits, o.backorderRateLines, o.fillRateUnits, o.fillRateOrders, o.lostDemandRate, o.cycleP50Hours, o.cycleP90Hours, o.promiseAccuracy, o.csatMean, 'Manchester', '2025-W54', v.kpi!.change.fillRate]) {
        expect(body).toContain(figure);
      }
    }
    expect(out.html).toContain(`<html lang="${language}">`);
    expect(out.html.match(/<img /g)).toHaveLength(1);
    expect(out.html).toContain(`<img src="${v.kpi!.chart.src}" width="560" height="200"`);
  });

  it('says there is no data when the message has none, and lets a playbook override the template', () => {
    const picked = pickTemplate('kpi-report', 'en', playbook.templates, 'en')!;
    expect(renderTemplate(picked.bodies, view('en', null)).text).toContain('No report data.');
    const own = parsePlaybook(`version: 1\nname: Own\nrules: []\ntemplates:\n  en:\n    kpi-report: { subject: "Ours", text: "ours", html: "<p>ours</p>" }\n`);
    if (!own.ok) throw new Error(own.error.message);
    expect(pickTemplate('kpi-report', 'en', own.value.templates, 'en')?.bodies.subject).toBe('Ours');
    expect(pickTemplate('kpi-report', 'de', own.value.templates, 'en')?.bodies.subject).toContain('Wochenbericht');
  });
});

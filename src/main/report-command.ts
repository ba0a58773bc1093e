/**
 * `raincheck report`: the KPI report (or the Pareto of root causes) for a date range, as a table for people, CSV
 * for spreadsheets or JSON (the API's document) for programs. The same services as GET /kpis and /kpis/causes.
 */
import type { Command } from 'commander';
import pino from 'pino';
import { causeReport, type CauseReport } from '../causes/service.js';
import { kpiReport, type KpiReport, type KpiRow } from '../kpis/service.js';
import { foldDue } from '../kpis/rollup.js';
import { dimensions, kpiPeriods } from '../kpis/schemas.js';
import { flatKpiRow } from '../exports/kpi-records.js';
import { csvHeader, csvLine, type CsvRecord } from '../exports/write.js';
import { exitCodeOf } from '../shared/errors.js';
import { namedChoice } from '../demand-files/options.js';
import { createContext, defaultDatabaseUrl } from './context.js';

const formats = ['table', 'json', 'csv'] as const;
type Format = (typeof formats)[number];

export function toCsv(records: readonly CsvRecord[]): string {
  if (records.length === 0) return '';
  const header = Object.keys(records[0]!);
  return [csvHeader(header), ...records.map((r) => csvLine(header, r))].join('');
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, digits = 1) => (x === null ? '-' : x.toFixed(digits));

function kpiTable(rep: KpiReport): string {
  const head = ['period', 'slice', 'orders', 'units', 'bo% lines', 'bo% units', 'bo% orders', 'fill% units', 'fill% lines', 'fill% orders', 'lost%', 'cycle p50 h', 'cycle p90 h', 'open bo', 'promise acc.', 'CSAT', 'turnover', 'days supply'];
  const line = (r: KpiRow) => [
    r.period, r.slice ?? 'all', String(r.intake.orders), String(r.intake.units),
    pct(r.intake.backorderRate.lines), pct(r.intake.backorderRate.units), pct(r.intake.backorderRate.orders),
    pct(r.intake.fillRate.units), pct(r.intake.fillRate.lines), pct(r.intake.fillRate.orders), pct(r.intake.lostDemandRate),
    num(r.cycleTime.p50Hours), num(r.cycleTime.p90Hours), String(r.backorders.open.count), pct(r.backorders.promiseAccuracy.rate),
    num(r.csat?.mean ?? null, 2), num(r.inventory?.turnover ?? null, 2), num(r.inventory?.daysOfSupply ?? null),
  ];
  const rows = [head, ...rep.rows.map(line), ...(rep.period === 'total' ? [] : rep.totals.map(line))];
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n') + '\n';
}

function causeTable(rep: CauseReport): string {
  const rows = [['slice', 'cause', 'backorders', 'units', 'share', 'cumulative'], ...rep.rows.map((r) => [r.slice || 'all', r.cause, String(r.count), String(r.units), pct(r.shareOfUnits), pct(r.cumulativeUnits)])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n') + '\n';
}

interface ReportOptions {
  from: string;
  to: string;
  period: (typeof kpiPeriods)[number];
  by?: (typeof dimensions)[number];
  format: Format;
  causes?: boolean;
  warehouse?: string;
  sku?: string;
  supplier?: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('KPIs (backorder rate, fill rate, cycle time, backorder age, promise accuracy, CSAT, turnover) or, with --causes, the Pareto of root causes')
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <day>', 'last day, YYYY-MM-DD')
    .option('--period <period>', `${kpiPeriods.join(' | ')}`, namedChoice('--period', kpiPeriods), 'month')
    .option('--by <slice>', `${dimensions.join(' | ')}`, namedChoice('--by', dimensions))
    .option('--format <format>', formats.join(' | '), namedChoice('--format', formats), 'table')
    .option('--causes', 'the Pareto of root causes of the backorders created in the range (by warehouse, sku or supplier)')
    .option('--warehouse <id>', 'only this warehouse')
    .option('--sku <id>', 'only this SKU')
    .option('--supplier <id>', "only this supplier's SKUs")
    .action(async (o: ReportOptions) => {
      if (o.causes && o.by === 'tier') {
        process.stderr.write('--causes slices by warehouse, sku or supplier, not tier\n');
        process.exitCode = 2;
        return;
      }
      const databaseUrl = (program.opts().database as string | undefined) ?? defaultDatabaseUrl();
      const ctx = await createContext({ databaseUrl, log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)) });
      try {
        // No worker may be running beside a one-shot command: fold the days that are over first.
        await foldDue(ctx);
        const filter = { warehouseId: o.warehouse, skuId: o.sku, supplierId: o.supplier };
        const result = o.causes
          ? await causeReport(ctx, { from: o.from, to: o.to, by: o.by as 'warehouse' | 'sku' | 'supplier' | undefined, ...filter })
          : await kpiReport(ctx, { from: o.from, to: o.to, period: o.period, by: o.by, ...filter });
        if (!result.ok) {
          process.stderr.write(`${result.error.message}\n`);
          process.exitCode = exitCodeOf(result.error.code);
          return;
        }
        const value = result.value;
        const isCauses = 'stage' in value;
        if (o.format === 'json') process.stdout.write(`${JSON.stringify(value)}\n`);
        else if (o.format === 'csv') process.stdout.write(isCauses ? toCsv(value.rows.map((r) => ({ ...r }))) : toCsv([...value.rows, ...(value.period === 'total' ? [] : value.totals)].map(flatKpiRow)));
        else process.stdout.write(isCauses ? causeTable(value) : kpiTable(value));
      } finally {
        await ctx.store.close();
      }
    });
}

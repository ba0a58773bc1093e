/**
 * `raincheck export <kind>`: backorders, orders, KPIs, recommendations or the stock ledger as CSV or JSON, to a file
 * or stdout, streamed page by page. A bad filter is refused before anything is written (no half file is left).
 */
import { createWriteStream, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import pino from 'pino';
import { exportKinds, type ExportFilters, type ExportKindName } from '../exports/kinds.js';
import { writeExport } from '../exports/write.js';
import { dimensions, kpiPeriods } from '../kpis/schemas.js';
import { foldDue } from '../kpis/rollup.js';
import { exitCodeOf } from '../shared/errors.js';
import { namedChoice } from '../demand-files/options.js';
import { createContext, defaultDatabaseUrl } from './context.js';

const kindNames = Object.keys(exportKinds) as ExportKindName[];

interface ExportOptions {
  format: 'csv' | 'json';
  out?: string;
  sku?: string;
  warehouse?: string;
  customer?: string;
  status?: string;
  from?: string;
  to?: string;
  period?: ExportFilters['period'];
  by?: ExportFilters['by'];
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(`Export ${kindNames.join(', ')} as CSV or JSON`)
    .argument('<kind>', kindNames.join(' | '), namedChoice('<kind>', kindNames))
    .option('--format <format>', 'csv | json', namedChoice('--format', ['csv', 'json'] as const), 'csv')
    .option('--out <file>', 'write here instead of stdout')
    .option('--sku <id>', 'only this SKU (backorders, ledger, recommendations, kpis)')
    .option('--warehouse <id>', 'only this warehouse (backorders, ledger, recommendations, kpis)')
    .option('--customer <id>', 'only this customer (backorders, orders)')
    .option('--status <status>', 'backorders: statuses, comma-separated; orders: open or closed')
    .option('--from <day>', 'kpis: first day, YYYY-MM-DD')
    .option('--to <day>', 'kpis: last day, YYYY-MM-DD')
    .option('--period <period>', `kpis: ${kpiPeriods.join(' | ')}`, namedChoice('--period', kpiPeriods))
    .option('--by <slice>', `kpis: ${dimensions.join(' | ')}`, namedChoice('--by', dimensions))
    .action(async (kind: ExportKindName, o: ExportOptions) => {
      const databaseUrl = (program.opts().database as string | undefined) ?? defaultDatabaseUrl();
      const ctx = await createContext({ databaseUrl, log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)) });
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      try {
        if (kind === 'kpis') await foldDue(ctx); // no worker runs beside a one-shot command
        const filters: ExportFilters = { skuId: o.sku, warehouseId: o.warehouse, customerId: o.customer, status: o.status, from: o.from, to: o.to, period: o.period, by: o.by };
        const written = await writeExport(ctx, exportKinds[kind] as Parameters<typeof writeExport>[1], filters, o.format, out);
        if (o.out) {
          out.end();
          await finished(out);
        }
        if (!written.ok) {
          if (o.out) rmSync(o.out, { force: true });
          process.stderr.write(`${written.error.message}\n`);
          process.exitCode = exitCodeOf(written.error.code);
          return;
        }
        if (o.out) process.stderr.write(`${written.value} ${o.format === 'csv' ? 'records' : 'rows'} written to ${o.out}\n`);
      } finally {
        await ctx.store.close();
      }
    });
}

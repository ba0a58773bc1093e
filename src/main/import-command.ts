/**
 * `raincheck import <kind> <file>`: a CSV file (gzipped or not, any size) into the store, all or nothing, with a
 * column mapping for files in another layout, progress on stderr, and a report naming each bad row's line and
 * column and why. Importing the same file again changes nothing.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import pino from 'pino';
import { importKinds, type ImportKindName } from '../imports/kinds.js';
import { importFile, type RowProblem } from '../imports/run.js';
import type { ImportKind } from '../imports/catalog-kinds.js';
import { exitCodeOf } from '../shared/errors.js';
import { fieldMap, oneOf } from '../demand-files/options.js';
import { createContext, defaultDatabaseUrl } from './context.js';

const kindNames = Object.keys(importKinds) as ImportKindName[];

/** Progress on stderr: redrawn in place on a terminal, a line now and then otherwise. */
function progressLine(kind: string) {
  const started = performance.now();
  const tty = process.stderr.isTTY;
  return (stage: string, lines: number, total: number | null) => {
    const rate = lines / Math.max(0.001, (performance.now() - started) / 1000);
    const pct = total ? ` ${((100 * lines) / total).toFixed(0)}%` : '';
    const text = `import ${kind}: ${stage} ${lines.toLocaleString('en')}${total ? ` / ${total.toLocaleString('en')}` : ''} rows${pct} (${Math.round(rate).toLocaleString('en')} rows/s)`;
    process.stderr.write(tty ? `\r${text}\x1b[K${total !== null && lines === total && stage === 'importing' ? '\n' : ''}` : `${text}\n`);
  };
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(`Import ${kindNames.join(', ')} from a CSV file, all or nothing`)
    .argument('<kind>', kindNames.join(' | '), oneOf(...kindNames))
    .argument('<file>', 'CSV with a header line (.gz is read as gzip)')
    .option('--map <field=column,...>', 'which column holds each field, for files in another layout', fieldMap)
    .option('--dry-run', 'check the file and report, write nothing')
    .option('--report <file>', 'write the problems found as JSON here too')
    .action(async (kind: ImportKindName, file: string, o: { map?: Record<string, string>; dryRun?: boolean; report?: string }) => {
      const databaseUrl = (program.opts().database as string | undefined) ?? defaultDatabaseUrl();
      const ctx = await createContext({ databaseUrl, log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)) });
      try {
        const result = await importFile(ctx, importKinds[kind] as ImportKind<object>, file, { ...(o.map ? { map: o.map } : {}), dryRun: Boolean(o.dryRun), progress: progressLine(kind) });
        if (result.ok) {
          process.stdout.write(`${JSON.stringify({ kind, file, dryRun: Boolean(o.dryRun), ...result.value })}\n`);
          return;
        }
        const problems = (result.error.details?.problems as RowProblem[] | undefined) ?? [];
        process.stderr.write(`${result.error.message}\n`);
        for (const p of problems) process.stderr.write(`  ${file}:${p.line}: ${p.column ? `${p.column}: ` : ''}${p.message}\n`);
        if (o.report) writeFileSync(o.report, `${JSON.stringify({ message: result.error.message, ...result.error.details }, null, 2)}\n`);
        process.exitCode = exitCodeOf(result.error.code);
      } finally {
        await ctx.store.close();
      }
    });
}

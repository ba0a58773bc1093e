/**
 * Importing a CSV file, any size, all or nothing. Two passes over the streamed file, so memory holds a batch and
 * the set of ids seen, never the file: the first reads every row through the column mapping, the cell types, the
 * API's schema and the entity's rules, and lists each bad row with its line, column and reason (a duplicate id in
 * the file too); only a clean file gets the second pass, which writes it in batches inside ONE transaction.
 * Progress goes to `progress` (the CLI draws it on stderr).
 */
import type { AppContext } from '../main/context.js';
import { readCsvRecords, parseNumber, type CsvRecord } from '../demand-files/csv.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { CellType, ImportCounts, ImportKind, ImportRow, StoreProblem } from './catalog-kinds.js';

export interface RowProblem {
  line: number;
  /** The file's column (as mapped), or null for the row as a whole. */
  column: string | null;
  message: string;
}

export interface ImportReport extends ImportCounts {
  lines: number;
  /** Header columns no field was mapped to. */
  ignoredColumns: string[];
}

export interface ImportOptions {
  /** field -> the file's column, for files in another layout; unmapped fields are looked for by name. */
  map?: Record<string, string>;
  /** Check only: the first pass, no writing. */
  dryRun?: boolean;
  progress?: (stage: 'checking' | 'importing', lines: number, total: number | null) => void;
}

const maxListedProblems = 100;
const batchSize = 500;
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Header position of each field: the mapped column, else the field's name or its snake_case. */
function resolveColumns(kind: ImportKind<object>, header: string[], map: Record<string, string>): Result<{ at: Map<string, number>; ignored: string[] }> {
  const unknown = Object.keys(map).filter((f) => !(f in kind.columns));
  if (unknown.length > 0) return fail('validation_failed', `--map names no field '${unknown[0]}' (fields: ${Object.keys(kind.columns).join(', ')})`, { field: 'map' });
  const at = new Map<string, number>();
  for (const field of Object.keys(kind.columns)) {
    const wanted = map[field];
    const i = wanted !== undefined ? header.indexOf(wanted) : header.findIndex((h) => h === field || h === snake(field));
    if (i < 0 && wanted !== undefined) return fail('validation_failed', `column '${wanted}' (mapped to ${field}) is not in the header: ${header.join(', ')}`, { field: 'map' });
    if (i >= 0) at.set(field, i);
  }
  const key = kind.keyField;
  if (!at.has(key)) return fail('validation_failed', `no column for '${key}' (header: ${header.join(', ')}); map one with --map ${key}=<column>`, { field: 'map' });
  const used = new Set(at.values());
  return ok({ at, ignored: header.filter((_, i) => !used.has(i)) });
}

function cellValue(text: string, type: CellType): { value?: unknown; problem?: string } {
  const t = text.trim();
  if (t === '') return {};
  if (type === 'string') return { value: t };
  if (type === 'list') return { value: t.split(/[|;]/).map((x) => x.trim()).filter(Boolean) };
  if (type === 'boolean') {
    const b = ({ true: true, yes: true, y: true, '1': true, false: false, no: false, n: false, '0': false } as Record<string, boolean>)[t.toLowerCase()];
    return b === undefined ? { problem: `'${t}' is not true or false` } : { value: b };
  }
  const n = parseNumber(t);
  return n === null ? { problem: `'${t}' is not a number` } : { value: n };
}

/** One row as the schema's input, or its problems. */
function readRow(kind: ImportKind<object>, record: CsvRecord, at: Map<string, number>, header: string[]): { input?: object; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const raw: Record<string, unknown> = {};
  const columnOf = (field: string) => header[at.get(field) ?? -1] ?? field;
  for (const [field, i] of at) {
    const cell = cellValue(record.fields[i] ?? '', kind.columns[field]!);
    if (cell.problem) problems.push({ line: record.line, column: columnOf(field), message: cell.problem });
    else if (cell.value !== undefined) raw[field] = cell.value;
  }
  if (problems.length > 0) return { problems };
  const parsed = kind.schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      const missing = raw[field] === undefined && issue.code === 'invalid_type';
      problems.push({ line: record.line, column: field ? columnOf(field) : null, message: missing ? `${field} is required` : issue.message });
    }
    return { problems };
  }
  const rule = kind.check(parsed.data);
  if (rule) return { problems: [{ line: record.line, column: rule.field ? columnOf(rule.field) : null, message: rule.message }] };
  return { input: parsed.data, problems };
}

async function* rows(path: string): AsyncGenerator<CsvRecord> {
  let first = true;
  for await (const r of readCsvRecords(path)) {
    if (first) first = false;
    else yield r;
  }
}

async function headerOf(path: string): Promise<string[] | null> {
  for await (const r of readCsvRecords(path)) return r.fields.map((f) => f.trim());
  return null;
}

/** Checks the whole file, then (unless a dry run) imports it in one transaction; a bad row means nothing is written. */
export async function importFile<I extends object>(ctx: AppContext, kindOfRows: ImportKind<I>, path: string, o: ImportOptions = {}): Promise<Result<ImportReport>> {
  const kind = kindOfRows as unknown as ImportKind<object>;
  const header = await headerOf(path);
  if (header === null) return fail('validation_failed', `${path} is empty: it needs a header line`, { field: 'file' });
  const columns = resolveColumns(kind, header, o.map ?? {});
  if (!columns.ok) return columns;
  const { at, ignored } = columns.value;

  const problems: RowProblem[] = [];
  let bad = 0;
  let lines = 0;
  const seen = new Set<string>();
  for await (const record of rows(path)) {
    lines++;
    if (lines % 10_000 === 0) o.progress?.('checking', lines, null);
    const row = readRow(kind, record, at, header);
    const key = row.input && kind.key(row.input);
    if (key !== undefined && !kind.repeatsKey && seen.has(key)) row.problems.push({ line: record.line, column: header[at.get(kind.keyField)!]!, message: `${key} appears earlier in the file` });
    if (key !== undefined && !kind.repeatsKey) seen.add(key);
    if (row.problems.length > 0) {
      bad++;
      if (problems.length < maxListedProblems) problems.push(...row.problems.slice(0, maxListedProblems - problems.length));
    }
  }
  o.progress?.('checking', lines, lines);
  if (bad > 0) {
    const first = problems[0]!;
    const where = `line ${first.line}${first.column ? `, column '${first.column}'` : ''}`;
    return fail('validation_failed', `${bad} of ${lines} rows are bad; nothing was imported. First: ${where}: ${first.message}`, {
      field: first.column ?? 'file',
      details: { badRows: bad, lines, problems },
    });
  }
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  if (o.dryRun) return ok({ lines, ignoredColumns: ignored, ...counts });

  let refused: StoreProblem | null = null;
  const written = await ctx.store.transaction(async (tx) => {
    counts.created = counts.updated = counts.unchanged = 0; // a retried transaction counts afresh
    delete counts.skipped;
    const run = new Map<string, unknown>();
    let batch: ImportRow<object>[] = [];
    let done = 0;
    const flush = async () => {
      refused = await kind.apply(ctx, tx, batch, counts, run);
      done += batch.length;
      batch = [];
    };
    for await (const record of rows(path)) {
      batch.push({ line: record.line, input: readRow(kind, record, at, header).input! });
      if (batch.length === batchSize) {
        await flush();
        if (refused) return fail('validation_failed', 'refused by the store');
        if (done % 10_000 === 0 && done < lines) o.progress?.('importing', done, lines);
      }
    }
    await flush();
    if (refused) return fail('validation_failed', 'refused by the store');
    o.progress?.('importing', lines, lines);
    return ok(null);
  });
  if (refused) {
    const p = refused as StoreProblem;
    const column = p.field === null ? null : (header[at.get(p.field) ?? -1] ?? p.field);
    return fail('validation_failed', `line ${p.line}${column ? `, column '${column}'` : ''}: ${p.message}; nothing was imported`, {
      field: column ?? 'file',
      details: { badRows: 1, lines, problems: [{ line: p.line, column, message: p.message }] },
    });
  }
  if (!written.ok) return written;
  await kind.afterImport?.(ctx, counts);
  return ok({ lines, ignoredColumns: ignored, ...counts });
}

/**
 * CSV in and out, streamed: records come from readline over a file stream (gunzipped when the file starts with
 * the gzip magic bytes), so memory holds one record at a time, never the file. RFC 4180 quoting: a field in double
 * quotes may hold commas, doubled quotes and line breaks; a record spanning lines reports its first line.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface CsvRecord {
  /** 1-based line number where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

/** Thrown by readers for input that breaks a rule; `readDemandFile` turns it into a validation failure. */
export class BadInput extends Error {
  constructor(
    readonly line: number,
    readonly column: string | null,
    readonly reason: string,
  ) {
    super(`line ${line}${column === null ? '' : `, column '${column}'`}: ${reason}`);
  }
}

const maxRecordLines = 100;

/** The file's records in order, blank lines skipped. */
export async function* readCsvRecords(path: string): AsyncGenerator<CsvRecord> {
  const input = openMaybeGzip(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let pending: string | null = null;
  let start = 0;
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const text: string = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (pending === null) {
        if (text.length === 0) continue;
        pending = text;
        start = lineNo;
      } else {
        pending += `\n${text}`;
      }
      // An odd count of quotes means a quoted field runs on to the next line; a stray quote must not swallow the
      // rest of the file, so a record may span at most `maxRecordLines`.
      if (countQuotes(pending) % 2 === 1) {
        if (lineNo - start + 1 >= maxRecordLines) throw new BadInput(start, null, `a quoted field is not closed within ${maxRecordLines} lines`);
        continue;
      }
      yield { line: start, fields: splitCsvLine(pending) };
      pending = null;
    }
  } catch (e) {
    throw readFailure(e as Error & { code?: string }, lineNo + 1);
  } finally {
    // A reader that stops early (bad input) must not leave the file open.
    input.destroy();
  }
  if (pending !== null) throw new BadInput(start, null, 'a quoted field is never closed');
}

/** Splits one CSV record into fields, undoing RFC 4180 quoting. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** A field quoted when it needs to be. */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A number for a CSV cell: empty for NaN or infinities, otherwise rounded to 1e-6 (enough for units and money). */
export function csvNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  const rounded = Math.round(x * 1e6) / 1e6;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number (no hex, no blanks, no "Infinity"), or null when the text is not one. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : null;
}

function openMaybeGzip(path: string): Readable {
  const stream = createReadStream(path);
  if (!isGzip(path)) return stream;
  const gunzip = createGunzip();
  stream.on('error', (e) => gunzip.destroy(e));
  gunzip.on('close', () => stream.destroy());
  return stream.pipe(gunzip);
}

/** A damaged gzip file is bad input (at the line where it broke off); other read errors are the machine's. */
function readFailure(e: Error & { code?: string }, line: number): Error {
  return e.code?.startsWith('Z_') ? new BadInput(line, null, `the gzip data is damaged (${e.message})`) : e;
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

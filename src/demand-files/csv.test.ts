import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { csvField, csvNumber, parseNumber, readCsvRecords, splitCsvLine, type CsvRecord } from './csv.js';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function records(name: string, content: string | Buffer): Promise<CsvRecord[]> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const out: CsvRecord[] = [];
  for await (const r of readCsvRecords(path)) out.push(r);
  return out;
}

describe('CSV', () => {
  it('splits quoted fields with commas and doubled quotes', () => {
    expect(splitCsvLine('a,"b, c","say ""hi""",,d')).toEqual(['a', 'b, c', 'say "hi"', '', 'd']);
    expect(splitCsvLine('1,,3,')).toEqual(['1', '', '3', '']);
  });

  it('numbers each record by the line it starts on, across quoted line breaks, BOM, CRLF and blank lines', async () => {
    const got = await records('a.csv', '\uFEFFid,text\r\n1,"two\r\nlines"\r\n\r\n2,plain\r\n');
    expect(got).toEqual([
      { line: 1, fields: ['id', 'text'] },
      { line: 2, fields: ['1', 'two\nlines'] },
      { line: 5, fields: ['2', 'plain'] },
    ]);
  });

  it('reads gzip files by their magic bytes, whatever the name', async () => {
    expect(await records('b.data', gzipSync('x,y\n1,2\n'))).toEqual([{ line: 1, fields: ['x', 'y'] }, { line: 2, fields: ['1', '2'] }]);
  });

  it('reports damaged gzip data as bad input, not a crash', async () => {
    const whole = gzipSync('x,y\n'.repeat(1000));
    await expect(records('d.gz', whole.subarray(0, whole.length - 12))).rejects.toThrow(/the gzip data is damaged/);
  });

  it('rejects a quoted field that never closes, naming its line', async () => {
    await expect(records('c.csv', 'a\n"open\nstill\n')).rejects.toThrow(/line 2: a quoted field is never closed/);
    await expect(records('c2.csv', `a\n1\n"stray\n${'2\n'.repeat(500)}`)).rejects.toThrow(/line 3: a quoted field is not closed within 100 lines/);
  });

  it('reads only plain decimal numbers and writes cells back', () => {
    expect(['12', '-3.5', '1e3', ' 7 ', '.5'].map(parseNumber)).toEqual([12, -3.5, 1000, 7, 0.5]);
    expect(['', 'abc', '0x10', 'Infinity', '1,5', 'NaN'].map(parseNumber)).toEqual([null, null, null, null, null, null]);
    expect([csvNumber(NaN), csvNumber(1 / 3), csvNumber(-0.0000001), csvField('a,b'), csvField('q"')]).toEqual(['', '0.333333', '0', '"a,b"', '"q"""']);
  });
});

/**
 * SQL only through the query builder, with bound parameters: Kysely's `sql` template binds every `${value}`, so the
 * only ways to put text into SQL are the raw escapes. This checks the source: none outside src/db/connect.ts, and
 * there only with generated placeholders and their values bound alongside.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('..', import.meta.url));
const rawEscapes = /\bsql\.(raw|lit|id)\s*\(|CompiledQuery\.raw\s*\(|\.unsafe\s*\(|\.query\s*\(\s*`/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('SQL in the source', () => {
  it('puts text into SQL only in connect.ts, and there with bound placeholders', () => {
    const found = sources(srcDir).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.match(rawEscapes) ? [`${relative(srcDir, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found.length).toBeGreaterThan(0); // the check sees the escapes it is looking for
    const elsewhere = found.filter((f) => !f.startsWith('db/connect.ts:'));
    expect(elsewhere).toEqual([]);
    // In connect.ts: a constant statement, generated placeholders with the row values as the parameters, or
    // readMany's selects (compiled by Kysely, their placeholders renumbered) with their parameters bound.
    for (const f of found) {
      expect(f).toMatch(
        /CompiledQuery\.raw\('begin immediate'\)|CompiledQuery\.raw\(bulkSql\(into, .*\), (\[\.\.\.row\]|chunk\.flat\(\))\)\);$|CompiledQuery\.raw\(`select \$\{columns\.join\(', '\)\}`, parameters\)\);$/,
      );
    }
  });
});

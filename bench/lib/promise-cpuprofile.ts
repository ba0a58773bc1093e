/**
 * Reads a V8 .cpuprofile (as bench/lib/profile.ts writes it) and says where the time went: self time per function
 * (all code, natives and GC included) and inclusive time per function of this repository (src/ and bench/), each
 * function counted once per sample even when it recurses.
 */
import { readFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  self: { name: string; ms: number }[];
  inclusive: { name: string; ms: number }[];
}

const shortUrl = (url: string) => {
  const i = url.search(/\/(src|bench|node_modules)\//);
  return i >= 0 ? url.slice(i + 1) : url.replace(/^file:\/\//, '');
};
/**
 * tsx compiles each .ts file to a few long lines; its source maps (registered in this process) give the line in
 * the .ts file, so a summary made in the process that was profiled names real lines.
 */
function sourceLine(f: CallFrame): number {
  if (f.url.startsWith('file://') && !f.url.includes('/node_modules/')) {
    try {
      const entry = findSourceMap(f.url)?.findEntry(f.lineNumber, f.columnNumber) as { originalLine?: number } | undefined;
      if (entry && typeof entry.originalLine === 'number') return entry.originalLine + 1;
    } catch {
      // no map: the generated line will do
    }
  }
  return f.lineNumber + 1;
}
const keyOf = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url ? `${shortUrl(f.url)}:${sourceLine(f)}` : ''}`.trim();

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const keys = new Map(p.nodes.map((n) => [n.id, keyOf(n.callFrame)]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [i, id] of p.samples.entries()) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const k = keys.get(id)!;
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!/\/(src|bench)\//.test(f.url) || f.url.includes('node_modules')) continue;
      const key = keys.get(cur)!;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms }));
  return { totalMs: total, self: sorted(self), inclusive: sorted(inclusive) };
}

export function describeProfile(title: string, s: ProfileSummary, indent = '    '): string[] {
  const pct = (ms: number) => `${((100 * ms) / (s.totalMs || 1)).toFixed(1).padStart(5)}%`;
  return [
    `${title}: ${s.totalMs.toFixed(0)} ms sampled`,
    `${indent}self time (top ${s.self.length}):`,
    ...s.self.map((x) => `${indent}  ${pct(x.ms)} ${x.ms.toFixed(0).padStart(6)} ms  ${x.name}`),
    `${indent}inclusive time, functions in src/ and bench/ (top ${s.inclusive.length}):`,
    ...s.inclusive.map((x) => `${indent}  ${pct(x.ms)} ${x.ms.toFixed(0).padStart(6)} ms  ${x.name}`),
  ];
}

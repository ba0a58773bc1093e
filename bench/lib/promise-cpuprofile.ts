/**
 * Reads a V8 .cpuprofile (as bench/lib/profile.ts writes it) and says where the time went: self time per function
 * (all code, natives and GC included) and inclusive time per function of this repository (src/ and bench/), each
 * function counted once per sample even when it recurses.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
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
const keyOf = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}`.trim();

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [i, id] of p.samples.entries()) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const node = byId.get(id)!;
    const k = keyOf(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!/\/(src|bench)\//.test(f.url) || f.url.includes('node_modules')) continue;
      const key = keyOf(f);
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

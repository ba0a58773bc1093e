/**
 * Reads a playbook (YAML, or JSON, which is YAML too) and validates it. Every error names the line and column at
 * fault and the path inside the document, so an operator can fix a typo without reading code.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { fail, ok, type Result } from '../../shared/result.js';
import { pickTemplate, templateError } from '../templates.js';
import { playbookSchema, type Playbook } from './schema.js';

export interface PlaybookProblem {
  line: number;
  column: number;
  path: string;
  message: string;
}

/** Parses and validates playbook text; on failure the error's details list every problem with its line. */
export function parsePlaybook(source: string): Result<Playbook> {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax: PlaybookProblem[] = doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { line, column: col, path: '', message: e.message.split('\n')[0]! };
  });
  if (syntax.length > 0) return problems(syntax);
  const parsed = playbookSchema.safeParse(doc.toJS());
  if (!parsed.success) return problems(parsed.error.issues.map((i) => locate(doc, lines, i)));
  const templateProblems = checkTemplates(parsed.data).map((p) => locate(doc, lines, { path: p.path, message: p.message, code: 'custom' } as z.core.$ZodIssue));
  if (templateProblems.length > 0) return problems(templateProblems);
  return ok(parsed.data);
}

/** Reads a playbook file; the message names the file. */
export function loadPlaybookFile(path: string): Result<Playbook> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (e) {
    return fail('validation_failed', `playbook file ${path} cannot be read: ${(e as Error).message}`, { field: 'playbook' });
  }
  const result = parsePlaybook(source);
  return result.ok ? result : fail(result.error.code, `${path}: ${result.error.message}`, { field: 'playbook', details: result.error.details ?? {} });
}

function problems(list: PlaybookProblem[]): Result<never> {
  const first = list[0]!;
  const where = (p: PlaybookProblem) => `line ${p.line}, column ${p.column}${p.path ? ` (${p.path})` : ''}: ${p.message}`;
  const more = list.length > 1 ? ` (and ${list.length - 1} more)` : '';
  return fail('validation_failed', `invalid playbook: ${where(first)}${more}`, { field: 'playbook', details: { problems: list } });
}

/** Each rule's template must exist in the playbook's language (built in or defined in the playbook) and parse. */
function checkTemplates(p: Playbook): { path: (string | number)[]; message: string }[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  p.rules.forEach((r, i) => {
    if (!pickTemplate(r.template, p.language, p.templates, p.language)) {
      found.push({ path: ['rules', i, 'template'], message: `template '${r.template}' is neither built in nor defined under templates.${p.language}` });
    }
  });
  for (const [lang, byName] of Object.entries(p.templates)) {
    for (const [name, bodies] of Object.entries(byName)) {
      for (const part of ['subject', 'text', 'html'] as const) {
        const error = templateError(bodies[part]);
        if (error) found.push({ path: ['templates', lang, name, part], message: `template does not parse: ${error}` });
      }
    }
  }
  return found;
}

/** Finds the deepest node of the issue's path that exists in the document, and its line. */
function locate(doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): PlaybookProblem {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let key = path;
  let node = doc.getIn(key, true);
  while (!node && key.length > 0) {
    key = key.slice(0, -1);
    node = key.length === 0 ? doc.contents : doc.getIn(key, true);
  }
  let offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0] ?? 0;
  // An unknown key points at the key itself, not at the object holding it.
  if (issue.code === 'unrecognized_keys' && isMap(node)) {
    const pair = node.items.find((it) => isScalar(it.key) && issue.keys.includes(String(it.key.value)));
    if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
  }
  const pos = lines.linePos(offset);
  const message = path[path.length - 1] === 'on' && isScalar(node) ? `unknown trigger '${String(node.value)}'; ${issue.message.replace(/^Invalid discriminator value\. Expected/, 'expected')}` : issue.message;
  const shown = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  return { line: pos.line, column: pos.col, path: shown, message };
}

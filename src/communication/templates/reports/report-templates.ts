/**
 * The shipped report templates (reports/<lang>.yaml here; kpi-report so far). They are kept out of the message
 * templates' files, which must hold exactly the built-in names and no images or tables, and enter every playbook
 * beneath its own `templates` (playbook/schema.ts), so the loader's check, the lookup order (the playbook's own
 * version first, language by language) and playbook overrides work for them as for any template.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { templateError } from '../../templates.js';

type Bodies = { subject: string; text: string; html: string };
type ByLanguage = Record<string, Record<string, Bodies>>;

const languages = ['en', 'de', 'fr'] as const;
let loaded: ByLanguage | undefined;

/** language -> name -> bodies; read and checked once, throwing on a broken file (a programming error). */
export function shippedReportTemplates(): ByLanguage {
  loaded ??= Object.fromEntries(languages.map((lang) => [lang, readFile(lang)]));
  return loaded;
}

function readFile(lang: string): Record<string, Bodies> {
  const file = `templates/reports/${lang}.yaml`;
  const doc: unknown = parseYaml(readFileSync(new URL(`./${lang}.yaml`, import.meta.url), 'utf8'));
  if (typeof doc !== 'object' || doc === null) throw new Error(`${file}: expected a map of template name -> {subject, text, html}`);
  const out: Record<string, Bodies> = {};
  for (const [name, value] of Object.entries(doc as Record<string, unknown>)) {
    const v = (value ?? {}) as Record<string, unknown>;
    for (const part of ['subject', 'text', 'html'] as const) {
      const body = v[part];
      if (typeof body !== 'string' || body.trim() === '') throw new Error(`${file}: template '${name}': '${part}' must be a non-empty string`);
      const error = templateError(body);
      if (error !== null) throw new Error(`${file}: template '${name}': '${part}': ${error}`);
    }
    out[name] = { subject: v.subject as string, text: v.text as string, html: v.html as string };
  }
  return out;
}

/** A playbook's templates with the shipped report templates beneath them (its own win, name by name). */
export function withReportTemplates<T extends Record<string, Record<string, Bodies>>>(own: T): T {
  const out: Record<string, Record<string, Bodies>> = { ...own };
  for (const [lang, set] of Object.entries(shippedReportTemplates())) {
    // Language tags compare case-insensitively in the lookup: merge into the playbook's own spelling of the tag.
    const key = Object.keys(own).find((k) => k.toLowerCase() === lang) ?? lang;
    out[key] = { ...set, ...own[key] };
  }
  return out as T;
}

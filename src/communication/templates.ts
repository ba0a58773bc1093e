/**
 * Message templates: the built-in language files next to this module, the lookup that picks one for a customer's
 * language (the playbook's overrides first), and rendering with mustache.
 */
import { readFileSync } from 'node:fs';
import Mustache from 'mustache';
import { parse as parseYaml } from 'yaml';
import type { Playbook, TemplateBodies } from './playbook/schema.js';
import { builtInTemplateNames, type TemplateView } from './template-view.js';

type TemplateSet = ReadonlyMap<string, TemplateBodies>;

const builtInLanguages = ['en', 'de', 'fr'] as const;
const parts = ['subject', 'text', 'html'] as const;

let loaded: ReadonlyMap<string, TemplateSet> | undefined;

/** The templates shipped with Raincheck, language -> name -> bodies; read and checked once, throwing on a broken file. */
export function builtInTemplates(): ReadonlyMap<string, TemplateSet> {
  loaded ??= new Map(
    builtInLanguages.map((lang) => {
      const source = readFileSync(new URL(`./templates/${lang}.yaml`, import.meta.url), 'utf8');
      return [lang, parseTemplateFile(source, `templates/${lang}.yaml`)] as const;
    }),
  );
  return loaded;
}

/** Parses one language file (name -> {subject, text, html}); a missing built-in or a bad body is a programming error. */
export function parseTemplateFile(source: string, file: string): TemplateSet {
  const doc: unknown = parseYaml(source);
  if (!isRecord(doc)) throw new Error(`${file}: expected a map of template name -> {subject, text, html}`);
  const set = new Map<string, TemplateBodies>();
  for (const [name, value] of Object.entries(doc)) set.set(name, checkBodies(value, `${file}: template '${name}'`));
  for (const name of builtInTemplateNames) {
    if (!set.has(name)) throw new Error(`${file}: template '${name}' is missing`);
  }
  return set;
}

function checkBodies(value: unknown, where: string): TemplateBodies {
  if (!isRecord(value)) throw new Error(`${where}: expected {subject, text, html}`);
  const extra = Object.keys(value).filter((k) => !(parts as readonly string[]).includes(k));
  if (extra.length > 0) throw new Error(`${where}: unknown key(s) ${extra.join(', ')}`);
  const bodies = { subject: '', text: '', html: '' };
  for (const part of parts) {
    const body = value[part];
    if (typeof body !== 'string' || body.trim() === '') throw new Error(`${where}: '${part}' must be a non-empty string`);
    const error = templateError(body);
    if (error !== null) throw new Error(`${where}: '${part}': ${error}`);
    bodies[part] = body;
  }
  return bodies;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The template for a name in a language: for the exact tag (fr-CA), then its shorter forms (fr), then the playbook's
 * language, then English, the playbook's override before the built-in. Tags compare case-insensitively (BCP 47).
 */
export function pickTemplate(
  name: string,
  language: string,
  overrides: Playbook['templates'],
  fallbackLanguage: string,
): { language: string; bodies: TemplateBodies } | null {
  const builtIn = builtInTemplates();
  for (const tag of candidateTags(language, fallbackLanguage)) {
    const overrideLang = Object.keys(overrides).find((k) => k.toLowerCase() === tag);
    const own = overrideLang === undefined ? undefined : overrides[overrideLang];
    // hasOwn: a rule may name a template such as 'constructor', which must not resolve to Object.prototype's.
    if (overrideLang !== undefined && own !== undefined && Object.hasOwn(own, name)) {
      const bodies = own[name];
      if (bodies !== undefined) return { language: overrideLang, bodies };
    }
    const bodies = builtIn.get(tag)?.get(name);
    if (bodies !== undefined) return { language: tag, bodies };
  }
  return null;
}

/** 'fr-CA', 'de' -> ['fr-ca', 'fr', 'de', 'en']: each tag, then its prefixes (RFC 4647 lookup), without repeats. */
function candidateTags(language: string, fallbackLanguage: string): string[] {
  const prefixes = (tag: string): string[] => {
    const subtags = tag.toLowerCase().split('-');
    return subtags.map((_, i) => subtags.slice(0, subtags.length - i).join('-'));
  };
  const tags = [...prefixes(language), ...prefixes(fallbackLanguage), 'en'].filter((t) => t !== '');
  return [...new Set(tags)];
}

// Subject and text are plain text: HTML-escaping them would show customers "&amp;" and "&#x2F;".
const verbatim = (value: unknown): string => String(value);

/** Renders a template's three bodies; only the HTML is escaped, and the subject is one trimmed line (a header). */
export function renderTemplate(bodies: TemplateBodies, view: TemplateView): { subject: string; text: string; html: string } {
  return {
    subject: Mustache.render(bodies.subject, view, {}, { escape: verbatim }).replace(/\s+/g, ' ').trim(),
    text: Mustache.render(bodies.text, view, {}, { escape: verbatim }),
    html: Mustache.render(bodies.html, view, {}),
  };
}

/** Mustache's parse error for a template (unclosed section or tag, unopened section), or null when it parses. */
export function templateError(source: string): string | null {
  try {
    Mustache.parse(source);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

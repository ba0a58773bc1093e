/**
 * JSON Schema (the subset the app's OpenAPI document uses) -> fast-check arbitraries, for fuzzing the HTTP API:
 * `validArbitrary` draws values the schema accepts (ids from pools of real ones where a field names an entity),
 * `mutatedArbitrary` draws a valid value and breaks it at one place: a wrong type, a value just past a bound, a
 * hostile string, a missing field, an extra field, a null, deep nesting.
 */
import fc from 'fast-check';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  [k: string]: unknown;
}

/** Real ids to draw from, by the field or parameter name that holds one (`skuId`, `skuIds`, `id` in context...). */
export type IdPools = (name: string) => string[] | undefined;

export interface SchemaContext {
  /** The document `$ref`s point into (`#/components/schemas/X`). */
  root: unknown;
  pools?: IdPools;
}

/** Resolves a local `$ref` (`#/a/b`). */
export function resolve(schema: JsonSchema, sc: SchemaContext): JsonSchema {
  let s = schema;
  for (let hops = 0; s.$ref !== undefined && hops < 20; hops++) {
    const path = s.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let target: unknown = sc.root;
    for (const p of path) target = (target as Record<string, unknown> | undefined)?.[p];
    if (target === undefined) throw new Error(`unresolved $ref ${s.$ref}`);
    s = target as JsonSchema;
  }
  return s;
}

const typesOf = (s: JsonSchema): string[] => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

// ---------------------------------------------------------------------------------------------------------------
// Valid values

const realisticDate = fc
  .integer({ min: Date.UTC(2025, 6, 1), max: Date.UTC(2027, 6, 1) })
  .map((ms) => new Date(ms).toISOString());

function stringArbitrary(s: JsonSchema, name: string, sc: SchemaContext): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, Math.max(min, 40));
  const fits = (v: string) => v.length >= min && v.length <= (s.maxLength ?? Infinity);
  const choices: fc.WeightedArbitrary<string>[] = [];
  const pool = sc.pools?.(name)?.filter(fits);
  if (pool && pool.length > 0) choices.push({ weight: 6, arbitrary: fc.constantFrom(...pool) });
  if (s.format === 'date-time') {
    choices.push({ weight: 4, arbitrary: realisticDate });
  } else if (s.pattern !== undefined) {
    if (s.pattern.includes('\\d{4}-\\d{2}-\\d{2}')) choices.push({ weight: 3, arbitrary: realisticDate.map((d) => d.slice(0, 10)) });
    choices.push({ weight: 1, arbitrary: fc.stringMatching(new RegExp(s.pattern)).filter(fits) });
  } else {
    choices.push({ weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max }) });
    if (min <= 8) choices.push({ weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,7}$/).filter(fits) });
  }
  return fc.oneof(...choices);
}

function numberBounds(s: JsonSchema, integer: boolean): { min: number; max: number } {
  const step = integer ? 1 : 1e-6;
  let min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + step : -1e6);
  let max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - step : 1e6);
  if (s.minimum !== undefined && s.exclusiveMinimum !== undefined) min = Math.max(s.minimum, s.exclusiveMinimum + step);
  if (s.maximum !== undefined && s.exclusiveMaximum !== undefined) max = Math.min(s.maximum, s.exclusiveMaximum - step);
  if (integer) {
    min = Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER);
    max = Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER);
  }
  return { min, max };
}

function numericArbitrary(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const { min, max } = numberBounds(s, integer);
  if (integer) {
    // Mostly small, realistic numbers (so requests reach the services), sometimes anywhere in range, and the bounds.
    const small = fc.integer({ min: Math.max(min, Math.min(max, 0)), max: Math.min(max, Math.max(min, 20)) });
    return fc.oneof({ weight: 5, arbitrary: small }, { weight: 1, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
  );
}

/** Values the schema accepts. `name` is the property or parameter name, used to draw real ids. */
export function validArbitrary(schema: JsonSchema, sc: SchemaContext, name = ''): fc.Arbitrary<unknown> {
  const s = resolve(schema, sc);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum !== undefined) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives !== undefined) return fc.oneof(...alternatives.map((a) => validArbitrary(a, sc, name)));
  if (s.allOf !== undefined && s.allOf.length === 1) return validArbitrary(s.allOf[0]!, sc, name);
  const types = typesOf(s);
  if (types.length > 1) return fc.oneof(...types.map((t) => validArbitrary({ ...s, type: t }, sc, name)));
  switch (types[0]) {
    case 'string':
      return stringArbitrary(s, name, sc);
    case 'integer':
      return numericArbitrary(s, true);
    case 'number':
      return numericArbitrary(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.min(s.maxItems ?? minLength + 3, minLength + 3);
      const item = s.items ? validArbitrary(s.items, sc, name) : fc.jsonValue({ maxDepth: 1 });
      return fc.array(item, { minLength, maxLength });
    }
    case 'object':
    case undefined: {
      if (s.properties === undefined) {
        if (types[0] === undefined) return fc.jsonValue({ maxDepth: 2 });
        if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          return fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), validArbitrary(s.additionalProperties, sc), { maxKeys: 3 });
        }
        return fc.constant({});
      }
      const props: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, p] of Object.entries(s.properties)) props[k] = validArbitrary(p, sc, k);
      const required = (s.required ?? []).filter((k) => k in props);
      return fc.record(props, { requiredKeys: required });
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

/** Strings an attacker or a broken client sends. */
export const hostileStrings = [
  "' OR 1=1 --",
  '"; drop table sku; --',
  "'); DELETE FROM backorder; --",
  "1' UNION SELECT id FROM customer --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '../../../etc/passwd',
  '%00',
  '\u0000',
  '\u0000\u0001\u001f\u007f',
  '\r\n\r\nX-Injected: 1',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x10',
  '1.5',
  '-1',
  ' 1 ',
  '١٢٣',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '',
  ' ',
  '\t',
  '𝕳𝖊𝖑𝖑𝖔 wörld ĳ ﬁ',
  '\u202eevil\u202c',
  'Ｚａｌｇｏ̸̢̛̗̝͓',
  '😀👨‍👩‍👧‍👦🏳️‍🌈',
  '\ud800',
  'A'.repeat(65),
  'a'.repeat(257),
  'x'.repeat(100_001),
  '2026-02-30',
  '2026-13-01',
  '9999-12-31',
  '0000-01-01',
  '2026-01-05T25:61:61Z',
  'not-an-email@',
];

export const hostileNumbers = [
  -1, 0, -0, 0.5, -0.5, 1.0000001, 1e-9, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, -(2 ** 53),
  Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, -Number.MAX_VALUE, 1e21, 1e300, Number.MIN_VALUE,
];

/** An object nested `depth` levels deep (or an array, with `array`). */
export const deeplyNested = (depth: number, array = false): unknown => {
  let v: unknown = array ? [1] : { a: 1 };
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
};

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }) },
  { weight: 1, arbitrary: fc.constantFrom(20, 200, 2000).chain((d) => fc.boolean().map((arr) => deeplyNested(d, arr))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Values just outside what the schema accepts (or, for free-form schemas, odd ones). */
export function boundaryValues(schema: JsonSchema | undefined, sc: SchemaContext): unknown[] {
  if (schema === undefined) return [];
  const s = resolve(schema, sc);
  const out: unknown[] = [];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) for (const a of alternatives) out.push(...boundaryValues(a, sc));
  if (s.enum) out.push(`${String(s.enum[0])}x`, String(s.enum[0]).toUpperCase(), ` ${String(s.enum[0])}`);
  for (const t of typesOf(s)) {
    if (t === 'integer' || t === 'number') {
      const { min, max } = numberBounds(s, t === 'integer');
      out.push(min - 1, max + 1, String(min), `${min}`.concat('abc'), min + 0.5, -max, max * 2);
      if (s.exclusiveMinimum !== undefined) out.push(s.exclusiveMinimum);
      if (s.exclusiveMaximum !== undefined) out.push(s.exclusiveMaximum);
    } else if (t === 'string') {
      if (s.maxLength !== undefined && s.maxLength < 600_000) out.push('x'.repeat(s.maxLength + 1));
      if (s.minLength !== undefined && s.minLength > 0) out.push('x'.repeat(s.minLength - 1));
      if (s.pattern !== undefined) out.push('bad value', '-leading', 'A'.repeat(65), 'a\nb');
      if (s.format === 'date-time') out.push('2026-01-05', '2026-01-05T09:00:00+01:00', '2026-02-29T00:00:00Z');
      out.push(42, true);
    } else if (t === 'boolean') {
      out.push('true', 1, 0, 'yes');
    } else if (t === 'array') {
      out.push('a', {}, [null]);
      if (s.minItems !== undefined && s.minItems > 0) out.push([]);
      if (s.maxItems !== undefined && s.maxItems <= 600) out.push(new Array(s.maxItems + 1).fill(s.items ? null : 1));
    } else if (t === 'object') {
      out.push([], 'object', {});
    }
  }
  return out;
}

/** The schema of the value at `path` inside a value of `schema` (undefined where the schema does not say). */
export function schemaAt(schema: JsonSchema, path: (string | number)[], sc: SchemaContext): JsonSchema | undefined {
  let s: JsonSchema | undefined = schema;
  for (const step of path) {
    if (s === undefined) return undefined;
    s = resolve(s, sc);
    const alternatives: JsonSchema[] | undefined = s.anyOf ?? s.oneOf;
    if (alternatives) s = alternatives.map((a) => resolve(a, sc)).find((a) => !typesOf(a).includes('null')) ?? s;
    if (typeof step === 'number') s = s.items;
    else s = s.properties?.[step] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
  }
  return s;
}

type Path = (string | number)[];

function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

function getAt(v: unknown, path: Path): unknown {
  let x = v;
  for (const p of path) x = (x as Record<string | number, unknown>)[p];
  return x;
}

export type MutationKind = 'replace' | 'boundary' | 'stringify' | 'null' | 'delete' | 'extra' | 'nest';

export interface Mutation {
  kind: MutationKind;
  path: Path;
}

/**
 * Breaks `value` (a valid value of `schema`) at one place. Returns the new value (undefined when the root itself
 * was deleted) and what was done, for the failure report.
 */
export function mutate(
  value: unknown,
  schema: JsonSchema | undefined,
  sc: SchemaContext,
  choice: { at: number; kind: MutationKind; hostile: unknown; pick: number; extraKey: string },
): { value: unknown; mutation: Mutation } {
  const paths = pathsOf(value);
  const path = paths[choice.at % paths.length]!;
  const root = clone(value);
  const parent = path.length === 0 ? undefined : (getAt(root, path.slice(0, -1)) as Record<string | number, unknown>);
  const key = path.at(-1);
  const current = getAt(root, path);
  const set = (v: unknown): unknown => {
    if (parent === undefined) return v;
    parent[key!] = v;
    return root;
  };
  let kind = choice.kind;
  if (kind === 'delete' && parent === undefined) kind = 'replace';
  if (kind === 'extra' && (current === null || typeof current !== 'object')) kind = 'replace';
  let next: unknown;
  switch (kind) {
    case 'replace':
      next = set(choice.hostile);
      break;
    case 'boundary': {
      const candidates = boundaryValues(schema === undefined ? undefined : schemaAt(schema, path, sc), sc);
      next = set(candidates.length > 0 ? candidates[choice.pick % candidates.length] : choice.hostile);
      break;
    }
    case 'stringify':
      next = set(typeof current === 'string' ? (Number.isNaN(Number(current)) ? 0 : Number(current)) : JSON.stringify(current));
      break;
    case 'null':
      next = set(null);
      break;
    case 'nest':
      next = set(choice.pick % 2 === 0 ? { value: current } : [current]);
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent![key!];
      next = root;
      break;
    case 'extra':
      if (Array.isArray(current)) current.push(choice.hostile);
      else (current as Record<string, unknown>)[choice.extraKey] = choice.hostile;
      next = root;
      break;
  }
  return { value: next, mutation: { kind, path } };
}

const mutationChoice = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<MutationKind>('replace', 'replace', 'boundary', 'boundary', 'boundary', 'stringify', 'null', 'delete', 'delete', 'extra', 'nest'),
  hostile: hostileValue,
  pick: fc.nat(),
  extraKey: fc.constantFrom('extra', '__proto__', 'constructor', 'id', 'status', "' OR 1=1 --", '', 'allocated'),
});

/** A valid value broken at one place. */
export function mutatedArbitrary(schema: JsonSchema, sc: SchemaContext, name = ''): fc.Arbitrary<{ value: unknown; mutation: Mutation }> {
  return fc.tuple(validArbitrary(schema, sc, name), mutationChoice).map(([v, c]) => mutate(v, schema, sc, c));
}

/** A broken value for a scalar slot (a path or query parameter), as text. */
export function hostileParameter(schema: JsonSchema | undefined, sc: SchemaContext): fc.Arbitrary<string> {
  const boundary = boundaryValues(schema, sc).filter((v) => v === null || typeof v !== 'object');
  const hostile = hostileValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''));
  return boundary.length > 0
    ? fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 2, arbitrary: fc.constantFrom(...boundary.map(String)) })
    : hostile;
}

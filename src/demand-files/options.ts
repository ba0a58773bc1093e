/**
 * Command-line option parsers for the demand-file commands (commander argument parsers: each throws
 * InvalidArgumentError with the rule broken) and the mapping from parsed options to reader options.
 */
import { InvalidArgumentError } from 'commander';
import { methodNames, type MethodName } from '../forecasting/index.js';
import { attributeNames, type AttributeName, type ReadOptions } from './types.js';
import type { Grain } from './periods.js';

/** The reading flags shared by `forecast` and `plan`, as commander hands them over: the reader's options, named as flags. */
export interface ReadFlags extends Omit<ReadOptions, 'grain' | 'exclude'> {
  input: string;
  period?: Grain;
  exclude?: string[];
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number >= 1');
  return n;
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number >= 0');
  return n;
}

export function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number >= 0');
  return n;
}

export function positive(value: string): number {
  const n = nonNegative(value);
  if (n === 0) throw new InvalidArgumentError('must be a number > 0');
  return n;
}

/** A share from 0 up to, not including, 1. */
export function shareBelowOne(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError(`'${value}' must be a number from 0 up to (not including) 1`);
  return n;
}

/** A probability strictly between 0 and 1, e.g. a service level or a quantile. */
export function probability(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n < 1)) throw new InvalidArgumentError(`'${value}' must be a number strictly between 0 and 1`);
  return n;
}

/** Comma-separated quantiles, each in (0, 1), without repeats, kept in the order given. */
export function quantileList(value: string): number[] {
  const qs = value.split(',').map((q) => probability(q.trim()));
  if (new Set(qs).size !== qs.length) throw new InvalidArgumentError('a quantile is listed twice');
  return qs;
}

export function method(value: string): MethodName | 'auto' {
  if (value === 'auto' || (methodNames as string[]).includes(value)) return value as MethodName | 'auto';
  throw new InvalidArgumentError(`must be auto or one of ${methodNames.join(', ')}`);
}

/** `lead_time=lead_time_weeks,unit_cost=cost_price_eur`: attribute -> the file's column. */
export function attributeMap(value: string): Partial<Record<AttributeName, string>> {
  const map: Partial<Record<AttributeName, string>> = {};
  for (const pair of value.split(',')) {
    const [name, column, ...rest] = pair.split('=').map((s) => s.trim());
    if (!name || !column || rest.length > 0) throw new InvalidArgumentError(`'${pair}' is not attribute=column`);
    if (!(attributeNames as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`'${name}' is not an attribute; attributes: ${attributeNames.join(', ')}`);
    }
    map[name as AttributeName] = column;
  }
  return map;
}

export function idList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A choice among fixed words, for flags such as --format. */
export function oneOf<T extends string>(...choices: T[]): (value: string) => T {
  return (value) => {
    if ((choices as string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`must be one of ${choices.join(', ')}`);
  };
}

/** As oneOf, naming the flag or argument in the message (`--format must be one of table, json, csv`). */
export function namedChoice<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}`);
  };
}

/** Reader options from the flags (only those given, so defaults stay in one place: the readers). */
export function readOptionsOf(flags: ReadFlags): ReadOptions {
  const opts: ReadOptions = {};
  if (flags.format !== undefined) opts.format = flags.format;
  if (flags.map !== undefined) opts.map = flags.map;
  if (flags.seriesColumn !== undefined) opts.seriesColumn = flags.seriesColumn;
  if (flags.periodColumn !== undefined) opts.periodColumn = flags.periodColumn;
  if (flags.quantityColumn !== undefined) opts.quantityColumn = flags.quantityColumn;
  if (flags.dateColumn !== undefined) opts.dateColumn = flags.dateColumn;
  if (flags.invoiceColumn !== undefined) opts.invoiceColumn = flags.invoiceColumn;
  if (flags.period !== undefined) opts.grain = flags.period;
  if (flags.cancellations !== undefined) opts.cancellations = flags.cancellations;
  if (flags.missing !== undefined) opts.missing = flags.missing;
  if (flags.exclude !== undefined) opts.exclude = new Set(flags.exclude);
  return opts;
}

/** `field=column,field=column`. */
export function fieldMap(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new InvalidArgumentError(`'${pair}' is not field=column`);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

/** The shapes every demand-file reader returns and takes. */
import type { Grain, PeriodKind } from './periods.js';

/** Per-series facts used by `plan`; absent ones fall back to the command's defaults. */
export const attributeNames = ['lead_time', 'lead_time_sd', 'unit_cost', 'order_cost', 'holding_cost', 'min_order_qty', 'pack_size'] as const;
export type AttributeName = (typeof attributeNames)[number];
export type Attributes = Partial<Record<AttributeName, number>>;

export interface DemandSeries {
  id: string;
  /** One value per period of the set's calendar, oldest first; NaN = not observed. */
  values: Float64Array;
  attributes: Attributes;
}

export type FileFormat = 'wide' | 'long' | 'orders';

export interface DemandSet {
  format: FileFormat;
  periodKind: PeriodKind;
  /** Ordinal of the calendar's first period (see ./periods.ts); period i of every series is firstOrdinal + i. */
  firstOrdinal: number;
  periodCount: number;
  series: DemandSeries[];
  /** Header columns the reader did not use, so the CLI can say so. */
  ignoredColumns: string[];
  /** Data lines read (header excluded) and, for order lines, those left out by the rules. */
  linesRead: number;
  linesSkipped: number;
}

export interface ReadOptions {
  format?: FileFormat;
  /** Attribute name -> the file's column holding it (wide files), e.g. lead_time -> lead_time_weeks. */
  map?: Partial<Record<AttributeName, string>>;
  seriesColumn?: string;
  periodColumn?: string;
  quantityColumn?: string;
  dateColumn?: string;
  invoiceColumn?: string;
  /** Order lines: the period they are summed over (default week). */
  grain?: Grain;
  /** Order lines: what a cancellation (invoice starting with C) does (default skip). */
  cancellations?: 'skip' | 'subtract';
  /** Long files: what a period without a row is (default nan: not observed). */
  missing?: 'nan' | 'zero';
  /** Series ids to leave out (non-products such as POST or BANK CHARGES). */
  exclude?: ReadonlySet<string>;
}

/** How numbers read on screen: rates as percentages, days and hours with one decimal, missing values as a dash. */
export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
export const num = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '–' : x.toFixed(digits));
export const int = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toLocaleString('en'));
/** YYYY-MM-DD of a day `days` before `from` (UTC). */
export const dayBefore = (from: Date, days: number): string => new Date(from.getTime() - days * 86_400_000).toISOString().slice(0, 10);
/** An ISO timestamp as 'YYYY-MM-DD HH:MM' UTC (the API's times are UTC). */
export const dateTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

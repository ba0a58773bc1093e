/**
 * Order shapes for load: lines per order, quantities and the customer's region, from the Online Retail II invoices
 * when the file is there (streamed through zlib, never copied), else synthetic. Stock codes are mapped onto a
 * synthetic catalog of `skuCount` SKUs: the most frequent codes get their own SKU, the rest are hashed onto them.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../src/shared/random.js';

/** Where the Online Retail II invoices sit beside a checkout (../shared/data), for the benchmarks' --data default. */
export const onlineRetailFile = fileURLToPath(new URL('../../../shared/data/online-retail-2009-2010/transactions.csv.gz', import.meta.url));

export interface OrderShape {
  region: string;
  lines: { sku: number; quantity: number }[];
}

export interface Shapes {
  source: string;
  orders: OrderShape[];
}

export interface ShapeOptions {
  skuCount: number;
  /** Quantities above this are capped (the data holds wholesale lines of thousands of units). */
  maxQuantity: number;
  /** The API takes at most 500 lines per order. */
  maxLines: number;
}

const countryCodes: Record<string, string> = {
  'United Kingdom': 'GB', EIRE: 'IE', Germany: 'DE', France: 'FR', Netherlands: 'NL', Spain: 'ES', Switzerland: 'CH',
  Portugal: 'PT', Belgium: 'BE', Sweden: 'SE', 'Channel Islands': 'JE', Italy: 'IT', Australia: 'AU', Cyprus: 'CY',
  Greece: 'GR', Austria: 'AT', Denmark: 'DK', 'United Arab Emirates': 'AE', Norway: 'NO', Finland: 'FI', USA: 'US',
  Poland: 'PL', Malta: 'MT', Japan: 'JP', Lithuania: 'LT', Singapore: 'SG', RSA: 'ZA', Canada: 'CA', Israel: 'IL',
};

/** Stock codes that are fees, postage or corrections, not products. */
const nonProducts = new Set(['POST', 'DOT', 'M', 'm', 'D', 'S', 'B', 'C2', 'CRUK', 'PADS', 'BANK CHARGES', 'AMAZONFEE', 'ADJUST', 'ADJUST2', 'TEST001', 'TEST002']);
// Product codes are a 5-digit number, sometimes with a letter suffix; everything else (gift sets, tests) is skipped.
const isProduct = (code: string) => !nonProducts.has(code) && /^\d{5}/.test(code);

/** Splits one CSV record (RFC 4180 quotes; the data has no newlines inside fields). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(field), (field = '');
    else field += ch;
  }
  out.push(field);
  return out;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface RawInvoice {
  country: string;
  lines: { code: string; quantity: number }[];
}

async function readInvoices(path: string): Promise<RawInvoice[]> {
  const input = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  const byInvoice = new Map<string, RawInvoice>();
  let header: string[] | null = null;
  let col = { invoice: 0, code: 1, quantity: 3, country: 7 };
  for await (const text of input) {
    if (header === null) {
      header = splitCsv(text);
      const at = (n: string) => header!.indexOf(n);
      col = { invoice: at('invoice'), code: at('stock_code'), quantity: at('quantity'), country: at('country') };
      if (Object.values(col).some((i) => i < 0)) throw new Error(`${path}: unexpected header ${text}`);
      continue;
    }
    const f = splitCsv(text);
    const invoice = f[col.invoice] ?? '';
    const code = (f[col.code] ?? '').trim();
    const quantity = Number(f[col.quantity]);
    // C = cancellation, A = bad-debt adjustment; non-positive quantities are corrections, not demand.
    if (invoice === '' || invoice[0] === 'C' || invoice[0] === 'A' || !isProduct(code) || !(quantity > 0)) continue;
    let inv = byInvoice.get(invoice);
    if (!inv) byInvoice.set(invoice, (inv = { country: f[col.country] ?? '', lines: [] }));
    inv.lines.push({ code, quantity });
  }
  return [...byInvoice.values()];
}

/** Real order shapes from the Online Retail invoices, in invoice order. */
export async function realShapes(path: string, o: ShapeOptions): Promise<Shapes> {
  const invoices = await readInvoices(path);
  const frequency = new Map<string, number>();
  for (const inv of invoices) for (const l of inv.lines) frequency.set(l.code, (frequency.get(l.code) ?? 0) + 1);
  const rank = new Map([...frequency].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code], i) => [code, i]));
  // Scatter popularity over the catalog: SKU ids sort in lock order, and the hottest items must not all lock first.
  const scatter = (r: number) => (r * 7919) % o.skuCount;
  const skuOf = (code: string) => {
    const r = rank.get(code)!;
    return scatter(r < o.skuCount ? r : fnv1a(code) % o.skuCount);
  };
  const orders = invoices.map((inv) => ({
    region: countryCodes[inv.country] ?? 'ROW',
    lines: inv.lines.slice(0, o.maxLines).map((l) => ({ sku: skuOf(l.code), quantity: Math.min(l.quantity, o.maxQuantity) })),
  }));
  return { source: `online-retail (${path})`, orders };
}

/** Synthetic shapes close to the real ones: median ~12 lines, long tail, Zipf-like SKU popularity, mostly GB. */
export function syntheticShapes(o: ShapeOptions, count = 20_000, seed = 7): Shapes {
  const rand = seededRandom(seed);
  const quantities = [1, 2, 3, 4, 6, 6, 10, 12, 12, 12, 24, 24, 48];
  const regions = ['GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'GB', 'IE', 'DE', 'FR', 'NL'];
  const orders = Array.from({ length: count }, () => {
    const lineCount = Math.min(o.maxLines, 1 + Math.floor(-Math.log(1 - rand()) * 18));
    const lines = Array.from({ length: lineCount }, () => ({
      sku: (Math.min(o.skuCount - 1, Math.floor(o.skuCount * rand() ** 2.5)) * 7919) % o.skuCount,
      quantity: Math.min(o.maxQuantity, quantities[Math.floor(rand() * quantities.length)]!),
    }));
    return { region: regions[Math.floor(rand() * regions.length)]!, lines };
  });
  return { source: 'synthetic', orders };
}

/** Real shapes when the file exists, otherwise synthetic ones. */
export async function loadShapes(path: string, o: ShapeOptions): Promise<Shapes> {
  return existsSync(path) ? realShapes(path, o) : syntheticShapes(o);
}

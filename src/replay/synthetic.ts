/**
 * A synthetic order history in the Online Retail layout, so a replay (the demo, the tests) runs without the shared
 * data: wholesale customers, mostly in the United Kingdom, ordering a gift-ware catalogue on weekdays; each SKU has
 * its own rate (a few fast movers, a long tail of slow ones, some only bought now and then in bulk), invoices of a
 * few to a dozen lines, an occasional `C` invoice cancelling part of a customer's recent line, a few guest orders
 * without a customer id, and postage lines (`POST`) that are not stock. Deterministic for a seed.
 */
import { writeFileSync } from 'node:fs';
import { seededRandom } from '../shared/random.js';

export interface SyntheticOptions {
  seed: number;
  /** First day (ISO) and how many days of trading. */
  start: string;
  days: number;
  skus: number;
  customers: number;
  /** Mean invoices per trading day. */
  invoicesPerDay: number;
}

export const syntheticDefaults: SyntheticOptions = { seed: 7, start: '2026-01-05', days: 70, skus: 40, customers: 24, invoicesPerDay: 6 };

const countries = ['United Kingdom', 'United Kingdom', 'United Kingdom', 'United Kingdom', 'United Kingdom', 'France', 'Germany', 'EIRE', 'Netherlands'];
const things = ['MUG', 'LANTERN', 'TEA TOWEL', 'CANDLE', 'BUNTING', 'GIFT BAG', 'JAR', 'CAKE STAND', 'PHOTO FRAME', 'DOORMAT'];
const colours = ['PINK', 'SAGE', 'RED', 'IVORY', 'BLUE', 'ZINC'];

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The file's lines (header first). */
export function syntheticOrderLines(o: SyntheticOptions = syntheticDefaults): string[] {
  const rand = seededRandom(o.seed);
  const skus = Array.from({ length: o.skus }, (_, i) => ({
    code: String(20000 + i * 7),
    name: `${colours[i % colours.length]} ${things[Math.floor(i / colours.length) % things.length]}`,
    price: Number((0.85 + rand() * 9).toFixed(2)),
    // A few fast movers, a long tail: weights fall off as 1/(i+1).
    weight: 1 / (i + 1),
    pack: [1, 6, 12, 24][Math.floor(rand() * 4)]!,
  }));
  const total = skus.reduce((s, k) => s + k.weight, 0);
  const pick = () => {
    let r = rand() * total;
    for (const k of skus) if ((r -= k.weight) <= 0) return k;
    return skus[skus.length - 1]!;
  };
  const customers = Array.from({ length: o.customers }, (_, i) => ({ id: String(12000 + i * 3), country: countries[i % countries.length]! }));
  const out = ['invoice,stock_code,description,quantity,invoice_date,unit_price,customer_id,country'];
  const recent: { customer: (typeof customers)[number]; code: string; name: string; quantity: number; price: number }[] = [];
  let invoice = 600000;
  const startMs = Date.parse(`${o.start}T00:00:00Z`);
  for (let d = 0; d < o.days; d++) {
    const day = new Date(startMs + d * 86_400_000);
    if (day.getUTCDay() === 6) continue; // no trading on Saturdays, as in the Online Retail year
    const count = Math.max(0, Math.round(o.invoicesPerDay * (0.5 + rand())));
    for (let n = 0; n < count; n++) {
      const at = new Date(day.getTime() + (8 * 60 + Math.floor(rand() * 10 * 60)) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
      const guest = rand() < 0.08;
      const customer = customers[Math.floor(rand() * customers.length)]!;
      const ref = String(invoice++);
      const lines = 2 + Math.floor(rand() * 10);
      for (let l = 0; l < lines; l++) {
        const k = pick();
        const quantity = k.pack * (1 + Math.floor(rand() * 3));
        out.push([ref, k.code, csvCell(k.name), String(quantity), at, k.price.toFixed(2), guest ? '' : customer.id, customer.country].join(','));
        if (!guest) recent.push({ customer, code: k.code, name: k.name, quantity, price: k.price });
      }
      if (rand() < 0.3) out.push([ref, 'POST', 'POSTAGE', '1', at, '18.00', guest ? '' : customer.id, customer.country].join(','));
      if (recent.length > 0 && rand() < 0.05) {
        const c = recent[recent.length - 1 - Math.floor(rand() * Math.min(recent.length, 30))]!;
        out.push([`C${invoice++}`, c.code, csvCell(c.name), String(-Math.max(1, Math.floor(c.quantity / 2))), at, c.price.toFixed(2), c.customer.id, c.customer.country].join(','));
      }
    }
    if (recent.length > 200) recent.splice(0, recent.length - 200);
  }
  return out;
}

export function writeSyntheticOrders(path: string, o: SyntheticOptions = syntheticDefaults): number {
  const lines = syntheticOrderLines(o);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

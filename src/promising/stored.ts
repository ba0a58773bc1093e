/** How a projected promise is stored and shown: rounded confidence, basis as JSON, and a short fingerprint. */
import type { Promise as ProjectedPromise } from './domain.js';

// Promises from one lot share its basis object: serialise each once, not once per backorder.
const basisJson = new WeakMap<object, string>();
function jsonOfBasis(basis: ProjectedPromise['basis']): string {
  let json = basisJson.get(basis);
  if (json === undefined) {
    json = JSON.stringify(basis);
    basisJson.set(basis, json);
  }
  return json;
}

/** A promise as the API shows it beside a backorder or quote line. */
export interface PromiseView {
  promisedDate: string | null;
  confidence: number | null;
  confirmed: boolean;
  basis: ProjectedPromise['basis'] | null;
}

export function promiseView(p: ProjectedPromise | undefined): PromiseView {
  if (!p) return { promisedDate: null, confidence: null, confirmed: false, basis: null };
  return { promisedDate: p.date, confidence: storedPromise(p).promise_confidence, confirmed: p.confirmed, basis: p.basis };
}

/** The stored form of a promise: rounded confidence, basis as JSON, and the fingerprint of all of it. */
export function storedPromise(p: ProjectedPromise): StoredPromise {
  // Backorders served by the same lot share basis, date and confidence: build their stored form once. A lot
  // yields only a few distinct (date, confidence, confirmed), so a short list beats building a string key for
  // each of the tens of thousands of promises a re-projection checks.
  let shared = storedByBasis.get(p.basis);
  if (shared === undefined) storedByBasis.set(p.basis, (shared = []));
  for (const entry of shared) if (entry.date === p.date && entry.confidence === p.confidence && entry.confirmed === p.confirmed) return entry.stored;
  const stored = buildStored(p);
  shared.push({ date: p.date, confidence: p.confidence, confirmed: p.confirmed, stored });
  return stored;
}

type StoredPromise = ReturnType<typeof buildStored>;
const storedByBasis = new WeakMap<object, { date: string | null; confidence: number; confirmed: boolean; stored: StoredPromise }[]>();

function buildStored(p: ProjectedPromise) {
  const confidence = Math.round(p.confidence * 1000) / 1000;
  const basis = jsonOfBasis(p.basis);
  return {
    promised_date: p.date,
    promise_confidence: confidence,
    promise_confirmed: p.confirmed ? 1 : 0,
    promise_basis: basis,
    promise_key: `${p.date ?? '-'}|${confidence}|${p.confirmed ? 1 : 0}|${keyOfBasis(p.basis)}`,
    first_promised_date: p.date,
  };
}

// The basis's identity in a few characters (its JSON can be 150): which lot or estimate, and the inputs that set
// its date, so any change that could change what is shown also changes the key.
const basisKey = new WeakMap<object, string>();
function keyOfBasis(b: ProjectedPromise['basis']): string {
  let key = basisKey.get(b);
  if (key === undefined) {
    key =
      b.kind === 'po' ? `po:${b.poLineId}:${b.expectedDate}:${b.shiftDays}:${b.supplierId}:${b.poId}`
      : b.kind === 'transfer' ? `tr:${b.transferId}:${b.arrivalDate}:${b.fromWarehouseId}`
      : b.kind === 'lead_time' ? `lt:${b.supplierId}:${b.leadTimeDays}:${b.quantile}`
      : b.kind === 'none' ? `none:${b.reason}`
      : 'stock';
    basisKey.set(b, key);
  }
  return key;
}


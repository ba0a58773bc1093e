/**
 * Prefixed, time-sortable ids (`ord_01JD5...`): a 48-bit millisecond timestamp and 80 random bits in Crockford
 * base32, as in ULID. Sorting ids sorts by creation time, which cursor pagination relies on. Within one
 * millisecond the generator increments, so ids made by one process are strictly increasing.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdPrefix = 'ord' | 'line' | 'alc' | 'bo' | 'bev' | 'mov' | 'shp' | 'po' | 'pol' | 'rcp' | 'trf' | 'msg' | 'whk' | 'evt' | 'chc' | 'srv' | 'run' | 'aud';

export interface IdGenerator {
  next(prefix: IdPrefix): string;
}

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = alphabet[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** Makes an id generator from a clock and a source of random bytes (both injected so tests are repeatable). */
export function createIdGenerator(nowMs: () => number, randomBytes: (n: number) => Uint8Array): IdGenerator {
  let lastMs = -1;
  let lastRandom: number[] = [];
  // A bulk change makes thousands of ids in one millisecond: its time part is encoded once, not per id.
  let encodedMs = -1;
  let encodedTime = '';
  return {
    next(prefix) {
      const ms = nowMs();
      if (ms <= lastMs) {
        // Same (or earlier: clock stepped back) millisecond: count up; on the rare wrap, borrow the next millisecond.
        if (!increment(lastRandom)) lastMs += 1;
      } else {
        lastMs = ms;
        lastRandom = Array.from(randomBytes(16), (b) => b % 32);
      }
      if (encodedMs !== lastMs) {
        encodedMs = lastMs;
        encodedTime = encodeTime(lastMs);
      }
      let random = '';
      for (const d of lastRandom) random += alphabet[d];
      return `${prefix}_${encodedTime}${random}`;
    },
  };
}

/** Adds one to the base-32 digits in place; false when they wrapped round to all zeros. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = (digits[i] ?? 0) + 1;
    if (d < 32) {
      digits[i] = d;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

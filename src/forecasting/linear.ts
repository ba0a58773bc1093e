/** Small dense linear systems, for the least-squares and likelihood fits of this folder (ets-init.ts, occurrence.ts). */

/**
 * Solves A x = b (A is p x p, row-major) by Gaussian elimination with partial pivoting. A zero pivot (a singular
 * system, e.g. a feature that never varies) leaves that unknown at 0 instead of dividing by zero.
 */
export function solveLinear(matrix: Float64Array, rhs: Float64Array, p: number): Float64Array {
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(rhs);
  for (let i = 0; i < p; i++) {
    let pivot = i;
    for (let r = i + 1; r < p; r++) if (Math.abs(a[r * p + i]!) > Math.abs(a[pivot * p + i]!)) pivot = r;
    if (pivot !== i) {
      for (let c = 0; c < p; c++) [a[i * p + c], a[pivot * p + c]] = [a[pivot * p + c]!, a[i * p + c]!];
      [b[i], b[pivot]] = [b[pivot]!, b[i]!];
    }
    const d = a[i * p + i]!;
    if (d === 0) continue;
    for (let r = i + 1; r < p; r++) {
      const f = a[r * p + i]! / d;
      if (f === 0) continue;
      for (let c = i; c < p; c++) a[r * p + c] = a[r * p + c]! - f * a[i * p + c]!;
      b[r] = b[r]! - f * b[i]!;
    }
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let c = i + 1; c < p; c++) s -= a[i * p + c]! * x[c]!;
    const d = a[i * p + i]!;
    x[i] = d === 0 ? 0 : s / d;
  }
  return x;
}

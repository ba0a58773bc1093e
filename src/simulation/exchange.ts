/** The exchange-curve scan shared by the simulator's exchange families (policies.ts, panel-knn.ts). */

/**
 * The scan behind every exchange level: S rises from 0 while the fill gained by one more unit per period,
 * gained(S) / R, is at least lambda x held(S) x unit value; each lambda's level is the first S where it is not (the
 * limit when none is below it).
 */
export function exchangeScan(gained: (S: number) => number, held: (S: number) => number, review: number, limit: number, lambdas: readonly number[], unitValue: number): number[] {
  const out = lambdas.map(() => 0);
  // Largest lambda first: each smaller one stops at the same S or later.
  const order = lambdas.map((_, i) => i).sort((a, b) => lambdas[b]! - lambdas[a]!);
  let next = 0;
  for (let S = 0; S <= limit && next < order.length; S++) {
    const g = gained(S);
    const h = held(S);
    while (next < order.length && g / review < lambdas[order[next]!]! * h * unitValue) out[order[next++]!] = S;
  }
  while (next < order.length) out[order[next++]!] = limit;
  return out;
}

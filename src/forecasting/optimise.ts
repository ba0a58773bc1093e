/**
 * Deterministic minimisers for parameter estimation: Brent's method for one parameter (R. P. Brent, "Algorithms
 * for Minimization without Derivatives", 1973, ch. 5, procedure `localmin`; the same algorithm as R's optimize())
 * and Nelder-Mead on the unit cube for several (Nelder & Mead 1965; reflection 1, expansion 2, contraction 1/2,
 * shrink 1/2, as R's optim()). Methods map the unit cube onto their own parameter region, so constraints such as
 * beta <= alpha stay outside the optimiser. No randomness: restarts come from fixed starting points.
 */

const GOLDEN = (3 - Math.sqrt(5)) / 2;
const SQRT_EPS = Math.sqrt(Number.EPSILON);

/** Minimum of f on [lo, hi] by Brent's method (golden-section with parabolic steps); NaN counts as +Infinity. */
export function minimiseScalar(f: (x: number) => number, lo: number, hi: number, tol = 1e-7): { x: number; fx: number } {
  const g = (x: number): number => {
    const v = f(x);
    return v === v ? v : Infinity;
  };
  let a = lo;
  let b = hi;
  let x = a + GOLDEN * (b - a);
  let w = x;
  let v = x;
  let fx = g(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (let iter = 0; iter < 200; iter++) {
    const xm = (a + b) / 2;
    const tol1 = SQRT_EPS * Math.abs(x) + tol / 3;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - (b - a) / 2) break;
    let golden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = xm >= x ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = x < xm ? b - x : a - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = g(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w; fv = fw; w = x; fw = fx; x = u; fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w; fv = fw; w = u; fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u; fv = fu;
      }
    }
  }
  return { x, fx };
}

export interface CubeResult {
  readonly u: Float64Array;
  readonly fx: number;
  readonly evals: number;
}

interface NelderMeadOptions {
  readonly maxEvals: number;
  /** Stop when the simplex's values differ by at most relTol * |best| + absTol. */
  readonly relTol: number;
  readonly absTol: number;
  readonly step: number;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * Minimum of f over [0, 1]^d: Nelder-Mead from each start, then once more from the best point with a fresh
 * simplex (a collapsed simplex is the usual way Nelder-Mead stops early). Points are clamped into the cube.
 */
export function minimiseInCube(
  f: (u: Float64Array) => number,
  starts: readonly (readonly number[])[],
  opts: Partial<NelderMeadOptions> = {},
): CubeResult {
  const o: NelderMeadOptions = {
    maxEvals: opts.maxEvals ?? 400,
    relTol: opts.relTol ?? 1e-8,
    absTol: opts.absTol ?? 0,
    step: opts.step ?? 0.15,
  };
  let best: CubeResult | undefined;
  let evals = 0;
  for (const start of starts) {
    const r = nelderMead(f, Float64Array.from(start, clamp01), o);
    evals += r.evals;
    if (best === undefined || r.fx < best.fx) best = r;
  }
  if (best === undefined) throw new RangeError('minimiseInCube needs at least one starting point');
  const again = nelderMead(f, best.u, { ...o, step: o.step / 3 });
  evals += again.evals;
  return { ...(again.fx <= best.fx ? again : best), evals };
}

function nelderMead(f: (u: Float64Array) => number, x0: Float64Array, o: NelderMeadOptions): CubeResult {
  const d = x0.length;
  const pts: Float64Array[] = [];
  const fs = new Float64Array(d + 1);
  for (let i = 0; i <= d; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) {
      // Step inward when the start sits near the upper face, so the simplex never degenerates on a face.
      p[i - 1] = p[i - 1]! + o.step <= 1 ? p[i - 1]! + o.step : p[i - 1]! - o.step;
    }
    pts.push(p);
    fs[i] = finite(f(p));
  }
  let evals = d + 1;
  const centroid = new Float64Array(d);
  const reflected = new Float64Array(d);
  const other = new Float64Array(d);
  while (evals < o.maxEvals) {
    // Best, worst and second worst by one scan: d + 1 is at most 5 here, so no sort.
    let b = 0;
    let w = 0;
    for (let i = 1; i <= d; i++) {
      if (fs[i]! < fs[b]!) b = i;
      if (fs[i]! > fs[w]!) w = i;
    }
    if (w === b) w = b === 0 ? 1 : 0;
    let s = b;
    for (let i = 0; i <= d; i++) if (i !== w && fs[i]! >= fs[s]!) s = i;
    const fBest = fs[b]!;
    const fWorst = fs[w]!;
    if (fWorst - fBest <= o.relTol * Math.abs(fBest) + o.absTol) break;
    const worst = pts[w]!;
    centroid.fill(0);
    for (let i = 0; i <= d; i++) {
      if (i === w) continue;
      const p = pts[i]!;
      for (let j = 0; j < d; j++) centroid[j] = centroid[j]! + p[j]! / d;
    }
    move(reflected, centroid, worst, -1);
    const fr = finite(f(reflected));
    evals++;
    if (fr < fBest) {
      move(other, centroid, worst, -2);
      const fe = finite(f(other));
      evals++;
      if (fe < fr) accept(worst, other, fs, w, fe);
      else accept(worst, reflected, fs, w, fr);
    } else if (fr < fs[s]!) {
      accept(worst, reflected, fs, w, fr);
    } else {
      move(other, centroid, worst, fr < fWorst ? -0.5 : 0.5);
      const fc = finite(f(other));
      evals++;
      if (fc < Math.min(fr, fWorst)) accept(worst, other, fs, w, fc);
      else evals += shrink(pts, fs, b, f);
    }
  }
  let bi = 0;
  for (let i = 1; i <= d; i++) if (fs[i]! < fs[bi]!) bi = i;
  return { u: Float64Array.from(pts[bi]!), fx: fs[bi]!, evals };
}

/** out = centroid + coef * (worst - centroid), clamped into the cube. */
function move(out: Float64Array, centroid: Float64Array, worst: Float64Array, coef: number): void {
  for (let j = 0; j < out.length; j++) out[j] = clamp01(centroid[j]! + coef * (worst[j]! - centroid[j]!));
}

function finite(v: number): number {
  return v === v ? v : Infinity;
}

function accept(target: Float64Array, source: Float64Array, fs: Float64Array, i: number, fx: number): void {
  target.set(source);
  fs[i] = fx;
}

function shrink(pts: Float64Array[], fs: Float64Array, bestI: number, f: (u: Float64Array) => number): number {
  const best = pts[bestI]!;
  let evals = 0;
  for (let i = 0; i < pts.length; i++) {
    if (i === bestI) continue;
    const p = pts[i]!;
    for (let j = 0; j < p.length; j++) p[j] = best[j]! + 0.5 * (p[j]! - best[j]!);
    fs[i] = finite(f(p));
    evals++;
  }
  return evals;
}

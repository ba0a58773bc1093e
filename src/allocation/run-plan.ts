/**
 * A processing run re-allocates one SKU's open backorders under a strategy (issue 8). This file is the pure core
 * the strategies share: the input types and their validation, the flow of units from warehouse pools to demand
 * (with augmenting paths, so one demand can be served by moving another's units to a warehouse it may also use),
 * the placement that turns "how many units each demand gets" into "from which warehouse" with the fewest moves,
 * and the diff between the current and the planned state. No I/O, clock or randomness.
 *
 * A strategy decides totals (how many units each demand ends with); `placeTotals` decides where, minimising first
 * the units that leave the warehouse they are allocated at now, then units outside the demand's own warehouse, then
 * the id order of the other warehouses. Totals are always feasible by construction (a strategy computes them with a
 * `RunFlow`), so placement always succeeds.
 */
import { isEligibleAt } from './domain.js';

export interface RunDemand {
  backorderId: string;
  orderId: string;
  customerId: string;
  /** ISO instant; ties by backorderId. */
  placedAt: string;
  /** 1 = most important. */
  customerTier: number;
  /** ISO day. */
  promisedDate: string | null;
  /** Units still owed: allocated-not-shipped plus still waiting. */
  owed: number;
  /** Current unshipped allocations of this backorder, per warehouse. */
  allocated: { warehouseId: string; quantity: number }[];
  /** Where it waits. */
  warehouseId: string;
  /** May be filled from any warehouse; else only from warehouseId. */
  flexible: boolean;
  /** For segment rules. */
  channel: string | null;
  orderValueMinor: number;
  ageDays: number;
}

export interface RunSupply {
  warehouseId: string;
  /** On-hand not allocated to anything. */
  free: number;
}

export interface PlannedAllocation {
  backorderId: string;
  warehouseId: string;
  quantity: number;
  /** 1-based position of the backorder in the strategy's order. */
  rank: number;
  reason: string;
}

/** One line per demand (also for those that get nothing, which have no allocation row). */
export interface PlannedDemand {
  backorderId: string;
  rank: number;
  owed: number;
  /** Units allocated before the run. */
  before: number;
  /** Units allocated after the run. */
  planned: number;
  reason: string;
}

export interface RunPlan {
  strategy: string;
  /** The target state: every planned unit of every demand, per backorder x warehouse (no zero rows), in rank order. */
  allocations: PlannedAllocation[];
  /** Every demand in rank order with its totals and the explanation of its position. */
  demands: PlannedDemand[];
}

export interface RunStrategy {
  readonly name: string;
  readonly description: string;
  plan(supply: readonly RunSupply[], demand: readonly RunDemand[]): RunPlan;
}

export interface RunDiffRow {
  backorderId: string;
  orderId: string;
  customerId: string;
  warehouseId: string;
  before: number;
  after: number;
  delta: number;
}

/** Bad input to a run or a bad strategy configuration; `path` names the field (e.g. `demand[2].allocated[0].quantity`). */
export class RunInputError extends RangeError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'RunInputError';
  }
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const fifoCompare = (a: RunDemand, b: RunDemand): number =>
  byText(a.placedAt, b.placedAt) || byText(a.backorderId, b.backorderId);

/** The validated, indexed form of a run's input. Warehouses are sorted by id; `pool[w]` = free + held by these demands. */
export interface PreparedRun {
  readonly supply: readonly RunSupply[];
  readonly demand: readonly RunDemand[];
  readonly warehouses: readonly string[];
  readonly pool: readonly number[];
  /** Per demand: the warehouses it may use, own first, then those it holds units at, then by id. */
  readonly eligible: readonly (readonly number[])[];
  /** Per demand x warehouse: units allocated now. */
  readonly current: readonly (readonly number[])[];
}

/** Validates a run's input (throws RunInputError naming the field) and indexes it. */
export function prepareRun(supply: readonly RunSupply[], demand: readonly RunDemand[]): PreparedRun {
  const ids = new Set<string>();
  supply.forEach((s, k) => {
    if (typeof s.warehouseId !== 'string' || s.warehouseId === '') throw new RunInputError(`supply[${k}].warehouseId`, 'must be a non-empty string');
    if (ids.has(s.warehouseId)) throw new RunInputError(`supply[${k}].warehouseId`, `'${s.warehouseId}' appears twice`);
    if (!isCount(s.free)) throw new RunInputError(`supply[${k}].free`, `must be a whole number >= 0, got ${String(s.free)}`);
    ids.add(s.warehouseId);
  });
  const seen = new Set<string>();
  demand.forEach((d, k) => {
    const at = `demand[${k}]`;
    if (typeof d.backorderId !== 'string' || d.backorderId === '') throw new RunInputError(`${at}.backorderId`, 'must be a non-empty string');
    if (seen.has(d.backorderId)) throw new RunInputError(`${at}.backorderId`, `'${d.backorderId}' appears twice`);
    seen.add(d.backorderId);
    if (typeof d.warehouseId !== 'string' || d.warehouseId === '') throw new RunInputError(`${at}.warehouseId`, 'must be a non-empty string');
    if (!isCount(d.owed)) throw new RunInputError(`${at}.owed`, `must be a whole number >= 0, got ${String(d.owed)}`);
    if (!Array.isArray(d.allocated)) throw new RunInputError(`${at}.allocated`, 'must be an array');
    let held = 0;
    d.allocated.forEach((a, j) => {
      if (!isCount(a.quantity)) throw new RunInputError(`${at}.allocated[${j}].quantity`, `must be a whole number >= 0, got ${String(a.quantity)}`);
      if (a.quantity > 0 && !isEligibleAt(d, a.warehouseId))
        throw new RunInputError(`${at}.allocated[${j}].warehouseId`, `'${a.warehouseId}' is not a warehouse this backorder may be filled from`);
      held += a.quantity;
      ids.add(a.warehouseId);
    });
    if (held > d.owed) throw new RunInputError(`${at}.allocated`, `holds ${held} units but owes only ${d.owed}`);
    ids.add(d.warehouseId);
  });

  const warehouses = [...ids].sort(byText);
  const index = new Map(warehouses.map((w, k) => [w, k]));
  const pool = warehouses.map(() => 0);
  for (const s of supply) pool[index.get(s.warehouseId)!]! += s.free;
  const current = demand.map((d) => {
    const row = warehouses.map(() => 0);
    for (const a of d.allocated) row[index.get(a.warehouseId)!]! += a.quantity;
    row.forEach((q, w) => (pool[w]! += q));
    return row;
  });
  const eligible = demand.map((d, i) => {
    const own = index.get(d.warehouseId)!;
    const rest = warehouses.map((_, w) => w).filter((w) => w !== own && isEligibleAt(d, warehouses[w]!));
    const held = rest.filter((w) => current[i]![w]! > 0);
    return [own, ...held, ...rest.filter((w) => current[i]![w]! === 0)];
  });
  return { supply, demand, warehouses, pool, eligible, current };
}

/**
 * A mutable flow of units from warehouse pools to demand, used by strategies to compute feasible totals.
 * Every change keeps: flow >= 0, flow only at eligible warehouses, used[w] <= pool[w].
 */
export class RunFlow {
  readonly flow: number[][];
  readonly used: number[];
  /**
   * Warehouses a failed search for free units reached: all full, and every demand holding units there may use
   * only such warehouses, so no later search for free units can get anything through them (until units are taken
   * from a victim, which may move units into them from outside). Saves the quadratic cost of the many demands
   * that cannot be served in a short run.
   */
  private readonly closed: Uint8Array;

  constructor(readonly run: PreparedRun) {
    this.flow = run.demand.map(() => run.warehouses.map(() => 0));
    this.used = run.warehouses.map(() => 0);
    this.closed = new Uint8Array(run.warehouses.length);
  }

  /** Starts from the current allocations (optionally skipping some demands, whose units then count as free). */
  static fromCurrent(run: PreparedRun, skip: (i: number) => boolean = () => false): RunFlow {
    const f = new RunFlow(run);
    run.current.forEach((row, i) => {
      if (skip(i)) return;
      row.forEach((q, w) => {
        f.flow[i]![w] = q;
        f.used[w]! += q;
      });
    });
    return f;
  }

  total(i: number): number {
    return this.flow[i]!.reduce((s, q) => s + q, 0);
  }

  totals(): number[] {
    return this.flow.map((_, i) => this.total(i));
  }

  free(w: number): number {
    return this.run.pool[w]! - this.used[w]!;
  }

  /**
   * Gives demand `i` up to `limit` more units along augmenting paths: i -> an eligible warehouse -> a demand
   * holding units there, which moves them to another warehouse it may use -> ... -> the end. The end is free pool
   * (`victim` undefined), or units of demand `victim` at that warehouse, which it loses. Demands on the way keep
   * their totals. Returns the units given.
   */
  augment(i: number, limit: number, victim?: number): number {
    const { eligible } = this.run;
    const D = this.flow.length;
    const W = this.used.length;
    let given = 0;
    if (victim === undefined && eligible[i]!.every((w) => this.closed[w])) return 0;
    while (given < limit) {
      const viaDemand = new Int32Array(W).fill(-1); // warehouse w reached from demand viaDemand[w]
      const viaWarehouse = new Int32Array(D).fill(-2); // demand j reached from warehouse viaWarehouse[j] (-1: root)
      viaWarehouse[i] = -1;
      if (victim !== undefined) viaWarehouse[victim] = -3; // never an intermediate
      const queue = [i];
      let end = -1;
      search: for (let h = 0; h < queue.length; h++) {
        const j = queue[h]!;
        for (const w of eligible[j]!) {
          if (viaDemand[w] !== -1 || (victim === undefined && this.closed[w])) continue;
          viaDemand[w] = j;
          if (victim === undefined ? this.free(w) > 0 : this.flow[victim]![w]! > 0) {
            end = w;
            break search;
          }
          for (let k = 0; k < D; k++) {
            if (viaWarehouse[k] === -2 && this.flow[k]![w]! > 0) {
              viaWarehouse[k] = w;
              queue.push(k);
            }
          }
        }
      }
      if (end < 0) {
        if (victim === undefined) viaDemand.forEach((j, w) => j !== -1 && (this.closed[w] = 1));
        break;
      }
      let q = Math.min(limit - given, victim === undefined ? this.free(end) : this.flow[victim]![end]!);
      for (let w = end, j = viaDemand[w]!; j !== i; ) {
        const from = viaWarehouse[j]!;
        q = Math.min(q, this.flow[j]![from]!);
        w = from;
        j = viaDemand[w]!;
      }
      if (victim === undefined) this.used[end]! += q;
      else this.flow[victim]![end]! -= q;
      for (let w = end, j = viaDemand[w]!; ; ) {
        this.flow[j]![w]! += q;
        if (j === i) break;
        const from = viaWarehouse[j]!;
        this.flow[j]![from]! -= q;
        w = from;
        j = viaDemand[w]!;
      }
      given += q;
    }
    if (victim !== undefined && given > 0) this.closed.fill(0);
    return given;
  }
}

/**
 * Places feasible per-demand totals at warehouses with the fewest moves: a min-cost flow where keeping a unit where
 * it is allocated now costs 0, a new unit at the demand's own warehouse costs B, at another eligible warehouse
 * B + 1 + its position in id order (B exceeds all the extras together, so fewer moves always wins).
 * Returns per demand x warehouse quantities.
 */
export function placeTotals(run: PreparedRun, totals: readonly number[]): number[][] {
  const D = run.demand.length;
  const W = run.warehouses.length;
  // One warehouse: every unit is placed there (totals are feasible by construction); no flow to solve.
  if (W === 1) return totals.map((t) => [t]);
  const S = 0;
  const T = D + W + 1;
  const dn = (i: number) => 1 + i;
  const wn = (w: number) => 1 + D + w;
  const head = new Int32Array(T + 1).fill(-1);
  const to: number[] = [];
  const cap: number[] = [];
  const cost: number[] = [];
  const next: number[] = [];
  const edge = (u: number, v: number, c: number, k: number): number => {
    const e = to.length;
    to.push(v, u);
    cap.push(c, 0);
    cost.push(k, -k);
    next.push(head[u]!, head[v]!);
    head[u] = e;
    head[v] = e + 1;
    return e;
  };
  const push = (e: number, q: number) => {
    cap[e]! -= q;
    cap[e ^ 1]! += q;
  };
  const need = totals.reduce((s, t) => s + t, 0);
  const B = need * (W + 1) + 1;
  const demandEdges: { w: number; e: number }[][] = [];
  const sinkEdges = run.warehouses.map((_, w) => edge(wn(w), T, run.pool[w]!, 0));
  let flowed = 0;
  for (let i = 0; i < D; i++) {
    const t = totals[i]!;
    const own = run.eligible[i]![0]!;
    const source = edge(S, dn(i), t, 0);
    const list: { w: number; e: number }[] = [];
    // Keep units where they are (own warehouse first, then by id), as many as the total allows: a zero-cost start.
    let keep = t;
    for (const w of [own, ...[...run.eligible[i]!].slice(1).sort((a, b) => a - b)]) {
      const held = run.current[i]![w]!;
      if (held === 0) continue;
      const e = edge(dn(i), wn(w), held, 0);
      list.push({ w, e });
      const q = Math.min(held, keep);
      if (q > 0) {
        push(source, q);
        push(e, q);
        push(sinkEdges[w]!, q);
        keep -= q;
        flowed += q;
      }
    }
    for (const w of run.eligible[i]!) list.push({ w, e: edge(dn(i), wn(w), t, w === own ? B : B + 1 + w) });
    demandEdges.push(list);
  }
  // Primal-dual min-cost flow: Dijkstra on reduced costs (the zero-cost start leaves no negative residual edge, so
  // zero potentials are valid), then a blocking flow (Dinic, current arcs) over the edges of reduced cost 0. Costs
  // take few distinct values, so there are few phases even with thousands of demands.
  const N = T + 1;
  const h = new Array<number>(N).fill(0);
  const reduced = (e: number, u: number) => cost[e]! + h[u]! - h[to[e]!]!;
  while (flowed < need) {
    const dist = dijkstra(N, S, head, next, to, cap, reduced);
    const far = dist[T]!;
    if (far === Infinity) throw new Error('placeTotals: the totals are not feasible (a strategy bug)');
    for (let v = 0; v < N; v++) h[v]! += Math.min(dist[v]!, far);
    for (;;) {
      const level = new Int32Array(N).fill(-1);
      level[S] = 0;
      const queue = [S];
      for (let k = 0; k < queue.length; k++) {
        const u = queue[k]!;
        for (let e = head[u]!; e !== -1; e = next[e]!) {
          const v = to[e]!;
          if (cap[e]! > 0 && level[v] === -1 && reduced(e, u) === 0) {
            level[v] = level[u]! + 1;
            queue.push(v);
          }
        }
      }
      if (level[T] === -1) break;
      const arc = Int32Array.from(head);
      const dfs = (u: number, limit: number): number => {
        if (u === T) return limit;
        for (; arc[u] !== -1; arc[u] = next[arc[u]!]!) {
          const e = arc[u]!;
          const v = to[e]!;
          if (cap[e]! <= 0 || level[v] !== level[u]! + 1 || reduced(e, u) !== 0) continue;
          const got = dfs(v, Math.min(limit, cap[e]!));
          if (got > 0) {
            push(e, got);
            return got;
          }
        }
        return 0;
      };
      while (flowed < need) {
        const got = dfs(S, need - flowed);
        if (got === 0) break;
        flowed += got;
      }
    }
  }
  return demandEdges.map((list, i) => {
    const row = run.warehouses.map(() => 0);
    for (const { w, e } of list) row[w]! += cap[e ^ 1]!;
    if (row.reduce((s, q) => s + q, 0) !== totals[i]) throw new Error('placeTotals: a demand was not placed in full (a bug)');
    return row;
  });
}

/**
 * Builds the plan from totals: places them, then writes one allocation row per demand x warehouse with units, in
 * rank order. `order` lists demand indexes in the strategy's order; `reason(i, rank, planned)` explains demand i.
 */
export function assemblePlan(
  strategy: string,
  run: PreparedRun,
  order: readonly number[],
  totals: readonly number[],
  reason: (i: number, rank: number, planned: number) => string,
): RunPlan {
  const placed = placeTotals(run, totals);
  const allocations: PlannedAllocation[] = [];
  const demands: PlannedDemand[] = [];
  order.forEach((i, k) => {
    const d = run.demand[i]!;
    const rank = k + 1;
    const planned = totals[i]!;
    const why = reason(i, rank, planned);
    demands.push({ backorderId: d.backorderId, rank, owed: d.owed, before: run.current[i]!.reduce((s, q) => s + q, 0), planned, reason: why });
    placed[i]!.forEach((quantity, w) => {
      if (quantity > 0) allocations.push({ backorderId: d.backorderId, warehouseId: run.warehouses[w]!, quantity, rank, reason: why });
    });
  });
  return { strategy, allocations, demands };
}

/** "gets 5 of 8 owed (had 3)": the outcome part of a reason. */
export const outcome = (planned: number, owed: number, before: number): string =>
  `gets ${planned} of ${owed} owed` + (before === planned ? (before > 0 ? ' (unchanged)' : '') : ` (had ${before})`);

/** The diff between current and planned: per backorder x warehouse, before, after, delta. */
export function diffRun(demand: readonly RunDemand[], plan: RunPlan): RunDiffRow[] {
  const byId = new Map(demand.map((d) => [d.backorderId, d]));
  const cells = new Map<string, Map<string, { before: number; after: number }>>();
  const cell = (b: string, w: string) => {
    let row = cells.get(b);
    if (!row) cells.set(b, (row = new Map()));
    let c = row.get(w);
    if (!c) row.set(w, (c = { before: 0, after: 0 }));
    return c;
  };
  for (const d of demand) for (const a of d.allocated) if (a.quantity !== 0) cell(d.backorderId, a.warehouseId).before += a.quantity;
  plan.allocations.forEach((a, k) => {
    if (!byId.has(a.backorderId)) throw new RunInputError(`plan.allocations[${k}].backorderId`, `'${a.backorderId}' is not among the demand`);
    cell(a.backorderId, a.warehouseId).after += a.quantity;
  });
  const rows: RunDiffRow[] = [];
  for (const d of demand) {
    const row = cells.get(d.backorderId);
    if (!row) continue;
    for (const w of [...row.keys()].sort(byText)) {
      const { before, after } = row.get(w)!;
      rows.push({ backorderId: d.backorderId, orderId: d.orderId, customerId: d.customerId, warehouseId: w, before, after, delta: after - before });
    }
  }
  return rows;
}

/** Shortest distances from `source` over edges with room, by `weight` (non-negative), with a binary heap. */
function dijkstra(
  n: number,
  source: number,
  head: Int32Array,
  next: readonly number[],
  to: readonly number[],
  cap: readonly number[],
  weight: (e: number, u: number) => number,
): number[] {
  const dist = new Array<number>(n).fill(Infinity);
  const heap: [number, number][] = [];
  const up = (k: number) => {
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (heap[p]![0] <= heap[k]![0]) break;
      [heap[p], heap[k]] = [heap[k]!, heap[p]!];
      k = p;
    }
  };
  const down = (k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && heap[l]![0] < heap[m]![0]) m = l;
      if (r < heap.length && heap[r]![0] < heap[m]![0]) m = r;
      if (m === k) return;
      [heap[m], heap[k]] = [heap[k]!, heap[m]!];
      k = m;
    }
  };
  dist[source] = 0;
  heap.push([0, source]);
  while (heap.length > 0) {
    const [d, u] = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      down(0);
    }
    if (d > dist[u]!) continue;
    for (let e = head[u]!; e !== -1; e = next[e]!) {
      if (cap[e]! <= 0) continue;
      const v = to[e]!;
      const nd = d + weight(e, u);
      if (nd < dist[v]!) {
        dist[v] = nd;
        heap.push([nd, v]);
        up(heap.length - 1);
      }
    }
  }
  return dist;
}

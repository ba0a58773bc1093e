/**
 * Where SQL time goes, without touching src/: a Kysely plugin that notes when each query is handed to the executor
 * (transformQuery, just before it is compiled) and when its result comes back (transformResult), and adds that up
 * per statement kind and table ("select backorder+customer", "update backorder", ...). A context whose store
 * installs the plugin on `db` and on every transaction makes every query of a use case pass through it.
 */
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { AppContext } from '../../src/main/context.js';

export interface QueryStat {
  label: string;
  count: number;
  ms: number;
  /** Rows returned (selects) or changed (writes). */
  rows: number;
}

const tableName = (n: OperationNode | undefined): string => {
  if (!n) return '?';
  const x = n as unknown as { kind: string; node?: OperationNode; table?: { identifier?: { name?: string } } | OperationNode };
  if (x.kind === 'AliasNode') return tableName(x.node);
  if (x.kind === 'TableNode') return (x.table as { identifier?: { name?: string } }).identifier?.name ?? '?';
  if (x.kind === 'SelectQueryNode') return `(${labelOf(n as RootOperationNode)})`;
  return x.kind;
};

function labelOf(node: RootOperationNode): string {
  const n = node as unknown as {
    kind: string;
    from?: { froms: OperationNode[] };
    joins?: { table: OperationNode }[];
    into?: OperationNode;
    table?: OperationNode;
  };
  const joins = (n.joins ?? []).map((j) => `+${tableName(j.table)}`).join('');
  switch (n.kind) {
    case 'SelectQueryNode':
      return `select ${n.from ? n.from.froms.map(tableName).join(',') : '-'}${joins}`;
    case 'InsertQueryNode':
      return `insert ${tableName(n.into)}`;
    case 'UpdateQueryNode':
      return `update ${tableName(n.table)}${joins}`;
    case 'DeleteQueryNode':
      return `delete ${n.from ? n.from.froms.map(tableName).join(',') : '-'}`;
    case 'RawNode': {
      // sql`...` statements: name them by their first words ("update backorder set").
      const text = ((node as unknown as { sqlFragments?: readonly string[] }).sqlFragments ?? []).join(' ');
      return `sql: ${text.trim().split(/\s+/).slice(0, 3).join(' ')}`;
    }
    default:
      return n.kind;
  }
}

export class SqlTimer implements KyselyPlugin {
  readonly #pending = new WeakMap<object, { label: string; t0: number }>();
  readonly stats = new Map<string, QueryStat>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#pending.set(args.queryId, { label: labelOf(args.node), t0: performance.now() });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const p = this.#pending.get(args.queryId);
    if (p) {
      this.#pending.delete(args.queryId);
      const s = this.stats.get(p.label) ?? { label: p.label, count: 0, ms: 0, rows: 0 };
      s.count++;
      s.ms += performance.now() - p.t0;
      s.rows += args.result.rows.length || Number(args.result.numAffectedRows ?? 0);
      this.stats.set(p.label, s);
    }
    return args.result;
  }

  reset(): void {
    this.stats.clear();
  }

  totalMs(): number {
    return [...this.stats.values()].reduce((s, x) => s + x.ms, 0);
  }

  /** Lines "  select backorder+customer   1 x   12.3 ms  10000 rows", largest first. */
  describe(indent = '    ', divideBy = 1): string[] {
    return [...this.stats.values()]
      .sort((a, b) => b.ms - a.ms)
      .map((s) => {
        const per = (x: number) => (x / divideBy).toFixed(divideBy === 1 ? 1 : 2);
        return `${indent}${s.label.padEnd(40)} ${per(s.count).padStart(8)} x ${per(s.ms).padStart(9)} ms ${per(s.rows).padStart(9)} rows`;
      });
  }
}

/** The same context, except that every query made through `store.db` or a `store.transaction` goes through `timer`. */
export function timedContext(ctx: AppContext, timer: SqlTimer): AppContext {
  const store = ctx.store;
  return {
    ...ctx,
    store: {
      dialect: store.dialect,
      writersSerialised: store.writersSerialised,
      db: store.db.withPlugin(timer),
      transaction: (fn) => store.transaction((tx) => fn(tx.withPlugin(timer))),
      lockSkus: (tx, skuIds) => store.lockSkus(tx, skuIds),
      insertAll: (tx, batches, guard) => store.insertAll(tx, batches, guard),
      readMany: (tx, queries) => store.readMany(tx, queries),
      selectArrays: (tx, query) => store.selectArrays(tx, query),
      // Bulk inserts run on the driver directly (SQLite): the timer does not see them.
      insertRows: (tx, into, rows) => store.insertRows(tx, into, rows),
      close: () => store.close(),
    },
  };
}

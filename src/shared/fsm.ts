/**
 * State machines as tables: `{ from: [allowed targets] }`. A table is checked when it is defined (every target
 * is a known state), and every change of state goes through `canTransition`, so an illegal move is a 409, not a
 * silent corruption. Persisting code guards with `WHERE status = from` as well.
 */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export function defineMachine<S extends string>(name: string, table: TransitionTable<S>): TransitionTable<S> {
  const states = new Set(Object.keys(table));
  for (const [from, targets] of Object.entries(table) as [S, readonly S[]][]) {
    for (const to of targets) {
      if (!states.has(to)) throw new Error(`state machine ${name}: ${from} -> ${to} names an unknown state`);
    }
  }
  return table;
}

/** Staying in the same state is always allowed (a quantity change that keeps the status). */
export function canTransition<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return from === to ? table[from] !== undefined : (table[from]?.includes(to) ?? false);
}

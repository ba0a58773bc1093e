/**
 * Day facts read from the source tables (order lines, the ledger, orders, backorders, surveys) for one way of
 * slicing: the live part of every report, and what the fold stores. Intake, cycle and CSAT facts come from
 * [start, end); stock and backorder facts from [historyStart, end), since balances and ageing need their past.
 */
import type { Tx } from '../db/connect.js';
import { backorderFacts, csatFacts, cycleFacts, type DayFact, type FactKind } from './facts.js';
import * as repo from './repository.js';

export type Facts = { [K in FactKind]: DayFact<K>[] };

export interface FactWindow {
  start: string;
  historyStart: string;
  end: string;
}

export interface FactsWanted {
  stock: boolean;
  csat: boolean;
}

export async function sourceFacts(tx: Tx, slicing: Pick<repo.KpiScope, 'by' | 'filter'>, w: FactWindow, wanted: FactsWanted): Promise<Facts> {
  const recent = { ...slicing, start: w.start, end: w.end };
  const history = { ...slicing, start: w.historyStart, end: w.end };
  const intake = await repo.intakeSums(tx, recent);
  const stock = wanted.stock ? await repo.movementSums(tx, history) : [];
  const cycle = cycleFacts(await repo.closedOrders(tx, recent));
  const { aging, cleared } = backorderFacts(await repo.backorderEvents(tx, history), w.historyStart, w.end);
  const csat = wanted.csat ? csatFacts(await repo.answeredSurveys(tx, recent)) : [];
  return {
    intake: intake.map(({ day, key, ...data }) => ({ day, key, data })),
    stock: stock.map(({ day, key, ...data }) => ({ day, key, data })),
    cycle,
    cleared,
    aging,
    csat,
  };
}

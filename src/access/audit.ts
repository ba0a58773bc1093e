/**
 * The audit log: who changed what, when, through which route, and what came of it. A row is written before the
 * reply leaves, so a change the caller saw acknowledged is in the log (a process that dies after committing and
 * before writing the row loses that row; the caller's retry, with its idempotency key, is logged instead).
 * Rows from requests answered in the same turn of the event loop go in one statement: under load that is one
 * write for many requests, not one each.
 */
import type { Kysely, Insertable } from 'kysely';
import type { AuditLogTable, Database } from '../db/schema.js';
import type { IdGenerator } from '../shared/ids.js';

export const auditOutcomes = ['changed', 'denied', 'limited'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

export type AuditRow = Insertable<AuditLogTable>;
export type AuditEntry = Omit<AuditRow, 'id'>;

// 15 columns a row: well under both engines' limits on bound parameters.
const rowsPerStatement = 1000;

export function auditWriter(db: Kysely<Database>, ids: IdGenerator) {
  let queue: { row: AuditRow; done: (e?: unknown) => void }[] = [];
  let scheduled = false;
  const flush = async () => {
    const batch = queue;
    queue = [];
    scheduled = false;
    try {
      for (let i = 0; i < batch.length; i += rowsPerStatement) {
        await db.insertInto('audit_log').values(batch.slice(i, i + rowsPerStatement).map((b) => b.row)).execute();
      }
      for (const b of batch) b.done();
    } catch (e) {
      for (const b of batch) b.done(e);
    }
  };
  return {
    /** Resolves once the row is stored. */
    write(entry: AuditEntry): Promise<void> {
      return new Promise((resolve, reject) => {
        queue.push({ row: { id: ids.next('aud'), ...entry }, done: (e) => (e === undefined ? resolve() : reject(e)) });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}

export type AuditWriter = ReturnType<typeof auditWriter>;

export interface AuditQuery {
  keyId?: string | undefined;
  outcome?: string | undefined;
  route?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Rows older than this id (the previous page's last). */
  before?: string | undefined;
  limit: number;
}

/** Newest first. */
export async function listAudit(db: Kysely<Database>, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit + 1);
  if (q.keyId) query = query.where('key_id', '=', q.keyId);
  if (q.outcome) query = query.where('outcome', '=', q.outcome);
  if (q.route) query = query.where('route', '=', q.route);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.before) query = query.where('id', '<', q.before);
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      keyId: r.key_id,
      role: r.role,
      via: r.via,
      method: r.method,
      route: r.route,
      path: r.path,
      status: r.status,
      outcome: r.outcome as AuditOutcome,
      idempotencyKey: r.idempotency_key,
      requestId: r.request_id,
      ip: r.ip,
    })),
    nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
  };
}

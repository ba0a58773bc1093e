/** Request pieces shared by every route: ids, quantities, paging, the Idempotency-Key header. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IdempotencyKey } from '../idempotency/command.js';
import { problemSchema } from './problem.js';

/** Largest quantity one request may name: beyond any real order, well inside exact integer arithmetic. */
export const maxQuantity = 100_000_000;

export const catalogId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be 1-64 letters, digits, or . _ : - (starting with a letter or digit)');

export const quantity = z.number().int('must be a whole number').positive('must be at least 1').max(maxQuantity, `must be at most ${maxQuantity}`);

export const pageQuery = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional()
    .describe('Makes the request safe to retry: a retry with the same key returns the first answer and creates nothing new.'),
});

/** The error replies every route can give, documented once. */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  413: problemSchema,
  422: problemSchema,
  429: problemSchema,
} as const;

/** The key of a request (scoped to its method and path), or undefined when the client sent none. */
export function idempotencyOf(req: FastifyRequest, request: unknown): IdempotencyKey | undefined {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) return undefined;
  return { scope: `${req.method} ${req.url.split('?')[0]}`, key, request };
}

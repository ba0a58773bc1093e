/** RFC 9457 problem details: the one shape of every error the API sends. */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errorCodes, httpStatusOf, type ErrorCode } from '../shared/errors.js';
import type { Failure, Result } from '../shared/result.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  /** The input at fault, as a path (`lines/2/quantity`) or a header name. */
  field?: string;
  /** Every fault found, when there are several. */
  errors?: { field: string; message: string }[];
  details?: Record<string, unknown>;
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
    field: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export function problemOf(failure: Failure, errors?: Problem['errors']): Problem {
  const problem: Problem = {
    type: `urn:raincheck:problem:${failure.code}`,
    title: errorCodes[failure.code].title,
    status: httpStatusOf(failure.code),
    detail: failure.message,
    code: failure.code,
  };
  if (failure.field !== undefined) problem.field = failure.field;
  if (errors !== undefined) problem.errors = errors;
  if (failure.details !== undefined) problem.details = failure.details;
  return problem;
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Replies with the value on success (status given), or with the failure as problem+json. */
export function sendResult<T>(reply: FastifyReply, result: Result<T>, status = 200): FastifyReply {
  if (!result.ok) return sendProblem(reply, problemOf(result.error));
  return reply.code(status).send(result.value);
}

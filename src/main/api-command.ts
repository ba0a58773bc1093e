/**
 * `raincheck api METHOD PATH`: the API from the command line, with the same keys as every other client
 * (RAINCHECK_API_KEY or --key) against a running server (RAINCHECK_URL or --url). Prints the reply's JSON; a refused
 * request prints the problem's detail on stderr and exits with the code the error maps to (77 for 401/403).
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { errorCodes, exitCodeOf, type ErrorCode } from '../shared/errors.js';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function method(value: string): string {
  const m = value.toUpperCase();
  if (!(methods as readonly string[]).includes(m)) throw new InvalidArgumentError(`must be one of ${methods.join(', ')}`);
  return m;
}

/** The body: JSON given inline, or `@file` to read it from a file. */
function body(value: string): string {
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  try {
    JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError(`is not JSON (${(e as Error).message})`);
  }
  return text;
}

interface ApiOptions {
  data?: string;
  url: string;
  key?: string;
  idempotencyKey?: string;
}

export function registerApiCommand(program: Command): void {
  program
    .command('api <method> <path>')
    .description('Call the API of a running server with an API key (RAINCHECK_API_KEY) and print the reply')
    .option('-d, --data <json>', 'request body: JSON, or @file', body)
    .option('--url <url>', 'the server (default $RAINCHECK_URL or http://127.0.0.1:3000)', process.env.RAINCHECK_URL ?? 'http://127.0.0.1:3000')
    .option('--key <key>', 'the API key (default $RAINCHECK_API_KEY; prefer the variable: arguments show in process lists)')
    .option('--idempotency-key <key>', 'makes a change safe to retry')
    .action(async (m: string, path: string, opts: ApiOptions) => {
      const verb = method(m);
      const key = opts.key ?? process.env.RAINCHECK_API_KEY;
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (opts.data !== undefined) headers['content-type'] = 'application/json';
      if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
      let res: Response;
      try {
        res = await fetch(new URL(path, opts.url), { method: verb, headers, ...(opts.data === undefined ? {} : { body: opts.data }) });
      } catch (e) {
        process.stderr.write(`could not reach ${opts.url}: ${(e as Error).message}\n`);
        process.exitCode = 69;
        return;
      }
      const text = await res.text();
      if (res.ok) {
        process.stdout.write(text ? `${JSON.stringify(JSON.parse(text), null, 2)}\n` : '');
        return;
      }
      const problem = (text ? JSON.parse(text) : {}) as { code?: string; detail?: string; title?: string };
      process.stderr.write(`${res.status} ${problem.title ?? res.statusText}: ${problem.detail ?? text}\n`);
      process.exitCode = problem.code && problem.code in errorCodes ? exitCodeOf(problem.code as ErrorCode) : 1;
    });
}

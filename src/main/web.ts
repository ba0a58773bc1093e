/**
 * The dashboard's static files (web/, built by Vite into dist-web/ by `npm install` and `npm start`): `/` is its
 * page, `/assets/<file>` its hashed scripts and styles (cached for a year: a new build has new names). Pages live
 * after the `#`, so every other path stays the API's. Without a build, `/` says how to make one.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problemOf, sendProblem } from './problem.js';

export const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist-web');

const types: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.map': 'application/json' };

export function webRoutes(app: FastifyInstance, root = webRoot): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    try {
      const html = await readFile(join(root, 'index.html'));
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    } catch {
      return sendProblem(reply, problemOf({ code: 'not_found', message: 'the dashboard is not built: run `npm run build:web` (npm install and npm start do it)' }));
    }
  });
  app.get('/assets/:file', { schema: { hide: true, params: z.object({ file: z.string().regex(/^[\w.-]+$/) }) } }, async (req, reply) => {
    const { file } = req.params as { file: string };
    const ext = file.slice(file.lastIndexOf('.'));
    try {
      const body = await readFile(join(root, 'assets', file));
      return reply.type(types[ext] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').send(body);
    } catch {
      return sendProblem(reply, problemOf({ code: 'not_found', message: `no dashboard asset ${file}` }));
    }
  });
}

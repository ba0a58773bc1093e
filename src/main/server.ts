/** Starts the HTTP server and stops it cleanly on SIGINT / SIGTERM. */
import type { AppContext } from './context.js';
import { buildApp } from './http.js';

export interface ServeOptions {
  port: number;
  host: string;
}

export async function serve(ctx: AppContext, options: ServeOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildApp(ctx, { logRequests: process.env.LOG_REQUESTS === '1' });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  // Links in messages point here unless RAINCHECK_PUBLIC_URL names the public address.
  if (!process.env.RAINCHECK_PUBLIC_URL) ctx.comms.publicUrl = `http://${shownHost}:${port}`;
  const close = async () => {
    await app.close();
    await ctx.store.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0));
    });
  }
  return { url: `http://${shownHost}:${port}`, close };
}

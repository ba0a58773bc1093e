/** The HTTP tests' two ways to call the app: `call` returns the reply; `send` returns its JSON and throws on >= 400. */
import type { FastifyInstance } from 'fastify';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `app` is a getter: suites build their app in beforeAll, after the client is made. */
export function httpClient(app: () => FastifyInstance) {
  const call = (method: Method, url: string, payload?: object) => app().inject({ method, url, ...(payload === undefined ? {} : { payload }) });
  const send = async (method: Method, url: string, payload?: object) => {
    const res = await call(method, url, payload);
    if (res.statusCode >= 400) throw new Error(`${method} ${url} -> ${res.statusCode} ${res.body}`);
    return res.json();
  };
  return { call, send };
}

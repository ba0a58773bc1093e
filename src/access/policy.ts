/**
 * Who may call what: the one table every request is checked against (src/access/guard.ts), and the OpenAPI
 * document's `x-roles`. Reads (GET) are open to every staff role unless listed; every other method must be listed
 * here, or only an admin may call it (fail closed: a new route nobody thought about is not open to all).
 */
export const roles = ['admin', 'planner', 'agent', 'viewer', 'integration'] as const;
export type Role = (typeof roles)[number];

/** `public`: no key needed (customer links carry their own signature; the dashboard's shell and docs hold no data). */
export type Access = Role[] | 'public';

/** What each role is for, for the docs and the keys page. */
export const roleDescriptions: Record<Role, string> = {
  admin: 'everything, including API keys, the audit log, warehouses and the playbook',
  planner: 'stock, purchasing, allocation runs, promises, replenishment and the catalogue of SKUs and suppliers',
  agent: 'customer service: orders and their lines, customers, notices, choices on a customer\'s behalf, message retries',
  viewer: 'read-only: every page and report, no changes',
  integration: 'order intake and webhooks only: create and read orders, quote dates, manage webhook subscriptions',
};

const staff: Role[] = ['admin', 'planner', 'agent', 'viewer'];
const planning: Role[] = ['admin', 'planner'];
const service: Role[] = ['admin', 'agent'];
const serviceAndPlanning: Role[] = ['admin', 'planner', 'agent'];
const adminOnly: Role[] = ['admin'];

/** `METHOD /pattern` (Fastify's route pattern) -> who may call it. GETs not listed are `staff`. */
const table: Record<string, Access> = {
  // The dashboard's shell, the docs and health hold no data.
  'GET /': 'public',
  'GET /assets/:file': 'public',
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  // Customer links are signed and expire (src/communication/links.ts): the signature is the credential.
  'GET /status/:orderId': 'public',
  'POST /status/:orderId/choices': 'public',
  'GET /survey/:surveyId': 'public',
  'POST /survey/:surveyId': 'public',
  // Signing in checks the key in the body; signing out and reading the session need only the session.
  'POST /auth/session': 'public',
  'GET /auth/session': 'public',
  'DELETE /auth/session': 'public',

  'GET /api-keys': adminOnly,
  'POST /api-keys': adminOnly,
  'DELETE /api-keys/:id': adminOnly,
  'GET /audit-log': adminOnly,

  'POST /skus': planning,
  'PATCH /skus/:id': planning,
  'POST /warehouses': adminOnly,
  'PATCH /warehouses/:id': adminOnly,
  'POST /customers': service,
  'PATCH /customers/:id': service,
  'POST /suppliers': planning,
  'PATCH /suppliers/:id': planning,
  'PUT /suppliers/:id/items/:skuId': planning,

  'POST /stock/receipts': planning,
  'POST /stock/adjustments': planning,
  'POST /stock/transfers': planning,
  'POST /transfers/:id/arrive': planning,

  'POST /orders': ['admin', 'agent', 'integration'],
  'GET /orders/:id': [...staff, 'integration'],
  'POST /orders/:id/shipments': serviceAndPlanning,
  'POST /orders/:id/lines/:lineId/cancel': service,
  'POST /orders/:id/choices': service,
  'POST /quotes': [...serviceAndPlanning, 'integration'],

  'POST /backorders/repromise': planning,
  'POST /backorders/notify': serviceAndPlanning,
  'POST /backorders/:id/cancel': service,

  'POST /allocation/runs/dry-run': planning,
  'POST /allocation/runs': planning,
  'PUT /settings/allocation': planning,
  'PUT /settings/allocation/schedule': planning,
  'PUT /settings/promises': planning,

  'POST /purchase-orders': planning,
  'POST /purchase-orders/:id/place': planning,
  'PATCH /purchase-orders/:id/lines/:lineId': planning,
  'POST /purchase-orders/:id/receipts': planning,
  'POST /purchase-orders/:id/cancel': planning,
  'POST /replenishment/recommendations/approve': planning,
  'PUT /skus/:id/alternates': planning,

  'POST /webhooks': ['admin', 'integration'],
  'GET /webhooks': ['admin', 'integration'],
  'PATCH /webhooks/:id': ['admin', 'integration'],
  'POST /messages/:id/retry': service,
  'PUT /playbook': adminOnly,
  'POST /playbook/validate': serviceAndPlanning,
};

/** Who may call `method` on the route `pattern`. */
export function accessOf(method: string, pattern: string): Access {
  // The API's documentation (Swagger UI's page, scripts and the document it shows) is as public as /openapi.json.
  if (pattern === '/docs' || pattern.startsWith('/docs/')) return 'public';
  const listed = table[`${method} ${pattern}`];
  if (listed) return listed;
  return method === 'GET' || method === 'HEAD' ? (table[`GET ${pattern}`] ?? staff) : adminOnly;
}

/** Routes that take a POST but change nothing (they compute an answer): not audited when they succeed. */
const inspections = new Set(['POST /allocation/runs/dry-run', 'POST /playbook/validate', 'POST /quotes']);

export const changesState = (method: string, pattern: string): boolean =>
  method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && !inspections.has(`${method} ${pattern}`);

/** Every route the table names: the matrix test checks each exists, so a renamed route cannot leave a stale entry. */
export const listedRoutes = (): string[] => Object.keys(table);

/**
 * Signed, expiring links for customers: the status page of an order and the one-click CSAT survey. A link carries
 * its expiry (`e`, unix seconds) and an HMAC-SHA256 (`s`, base64url) over `purpose|subject|e`, so nobody can make
 * a link to another order, stretch an expiry, or reuse a survey link as a status link without the secret. There
 * is nothing to store: a link is checked from its own text and the secret (ctx.comms.linkSecret).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../main/context.js';

export type LinkPurpose = 'status' | 'survey';
export type LinkCheck = 'ok' | 'expired' | 'invalid';

const dayMs = 86_400_000;

/** The signature of one link: base64url HMAC-SHA256 over `purpose|subject|exp`. */
export function signToken(secret: string, purpose: LinkPurpose, subject: string, expiresAtUnix: number): string {
  // exp is the last field and has no '|', so `purpose|subject|exp` names exactly one (purpose, subject, exp).
  return createHmac('sha256', secret).update(`${purpose}|${subject}|${expiresAtUnix}`).digest('base64url');
}

/**
 * Checks a link: 'invalid' unless the signature matches (any change to purpose, subject, expiry or signature),
 * then 'expired' once `nowMs` is past the expiry second. The signature is checked first, so a forged expiry can
 * never be reported as merely expired.
 */
export function verifyToken(secret: string, purpose: LinkPurpose, subject: string, exp: number, sig: string, nowMs: number): LinkCheck {
  if (!Number.isSafeInteger(exp) || exp < 0) return 'invalid';
  // Compare the text, not decoded bytes: base64url decoding ignores stray characters, so "sig!" would decode alike.
  const expected = Buffer.from(signToken(secret, purpose, subject, exp), 'utf8');
  const given = Buffer.from(sig, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return nowMs > exp * 1000 ? 'expired' : 'ok';
}

/** `e` as sent in a query string: a plain decimal integer, else NaN (which verifyToken refuses). */
export const parseExpiry = (e: string | undefined): number => (e !== undefined && /^\d{1,15}$/.test(e) ? Number(e) : Number.NaN);

/** The expiry of a link made now that lasts `ttlDays`. */
const expiryOf = (ctx: AppContext, ttlDays: number): number => Math.floor((ctx.clock.now().getTime() + ttlDays * dayMs) / 1000);

/** The query string that makes a link valid: `e=<exp>&s=<sig>`. */
export function signedQuery(ctx: AppContext, purpose: LinkPurpose, subject: string, ttlDays: number): { e: number; s: string } {
  const e = expiryOf(ctx, ttlDays);
  return { e, s: signToken(ctx.comms.linkSecret, purpose, subject, e) };
}

/** The order's status page, valid for `ttlDays` from now. */
export function statusUrl(ctx: AppContext, orderId: string, ttlDays: number): string {
  const { e, s } = signedQuery(ctx, 'status', orderId, ttlDays);
  return `${ctx.comms.publicUrl}/status/${encodeURIComponent(orderId)}?e=${e}&s=${s}`;
}

/** The five one-click answers of a survey; one signature covers the survey, so the score is the customer's to pick. */
export function surveyUrls(ctx: AppContext, surveyId: string, ttlDays: number): { score: number; url: string }[] {
  const { e, s } = signedQuery(ctx, 'survey', surveyId, ttlDays);
  return [1, 2, 3, 4, 5].map((score) => ({
    score,
    url: `${ctx.comms.publicUrl}/survey/${encodeURIComponent(surveyId)}?score=${score}&e=${e}&s=${s}`,
  }));
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pino from 'pino';
import { manualClock } from '../shared/clock.js';
import type { AppContext } from '../main/context.js';
import { parseExpiry, signToken, statusUrl, surveyUrls, verifyToken, type LinkPurpose } from './links.js';

const purpose = fc.constantFrom<LinkPurpose>('status', 'survey');
const subject = fc.string({ minLength: 1, maxLength: 40 });
const exp = fc.integer({ min: 0, max: 4_000_000_000 });
const secret = fc.string({ minLength: 1, maxLength: 64 });
const link = fc.record({ secret, purpose, subject, exp });

describe('signed links', () => {
  it('verify what they signed, up to and including the expiry second', () => {
    fc.assert(
      fc.property(link, ({ secret, purpose, subject, exp }) => {
        const sig = signToken(secret, purpose, subject, exp);
        expect(verifyToken(secret, purpose, subject, exp, sig, exp * 1000 - 1)).toBe('ok');
        expect(verifyToken(secret, purpose, subject, exp, sig, exp * 1000)).toBe('ok');
        expect(verifyToken(secret, purpose, subject, exp, sig, exp * 1000 + 1)).toBe('expired');
      }),
    );
  });

  it('refuse any change to the purpose, subject, expiry or secret', () => {
    fc.assert(
      fc.property(link, link, ({ secret, purpose, subject, exp }, other) => {
        fc.pre(other.purpose !== purpose || other.subject !== subject || other.exp !== exp || other.secret !== secret);
        const sig = signToken(secret, purpose, subject, exp);
        // Checked before expiry, so even a stretched expiry is 'invalid', never 'ok' or 'expired'.
        expect(verifyToken(other.secret, other.purpose, other.subject, other.exp, sig, 0)).toBe('invalid');
      }),
    );
  });

  it('refuse any change to the signature', () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), by: fc.string({ minLength: 1, maxLength: 1 }) }),
      fc.record({ kind: fc.constant('append' as const), at: fc.nat(), by: fc.string({ minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), by: fc.constant('') }),
    );
    fc.assert(
      fc.property(link, change, ({ secret, purpose, subject, exp }, c) => {
        const sig = signToken(secret, purpose, subject, exp);
        const i = c.at % sig.length;
        const tampered =
          c.kind === 'replace' ? sig.slice(0, i) + c.by + sig.slice(i + 1) : c.kind === 'append' ? sig + c.by : sig.slice(0, i);
        fc.pre(tampered !== sig);
        expect(verifyToken(secret, purpose, subject, exp, tampered, 0)).toBe('invalid');
      }),
    );
  });

  it('refuse expiries that are not plain integers', () => {
    const sig = signToken('k', 'status', 'ord_1', 100);
    expect(verifyToken('k', 'status', 'ord_1', Number.NaN, sig, 0)).toBe('invalid');
    expect(verifyToken('k', 'status', 'ord_1', 100.5, sig, 0)).toBe('invalid');
    expect(parseExpiry('100')).toBe(100);
    for (const bad of [undefined, '', '1e3', '-5', ' 100', '0x10', '100.0']) expect(parseExpiry(bad)).toBeNaN();
  });

  it('build status and survey URLs that verify with the context secret', () => {
    const clock = manualClock('2026-01-05T09:00:00.000Z');
    const ctx = { clock, comms: { publicUrl: 'https://shop.example', linkSecret: 'secret', smtpUrl: undefined }, log: pino({ level: 'silent' }) } as unknown as AppContext;
    const status = new URL(statusUrl(ctx, 'ord_1', 30));
    expect(status.origin + status.pathname).toBe('https://shop.example/status/ord_1');
    const e = Number(status.searchParams.get('e'));
    expect(e).toBe(Date.parse('2026-02-04T09:00:00.000Z') / 1000);
    expect(verifyToken('secret', 'status', 'ord_1', e, status.searchParams.get('s')!, clock.now().getTime())).toBe('ok');
    expect(verifyToken('secret', 'survey', 'ord_1', e, status.searchParams.get('s')!, clock.now().getTime())).toBe('invalid');

    const survey = surveyUrls(ctx, 'srv_1', 30);
    expect(survey.map((s) => s.score)).toEqual([1, 2, 3, 4, 5]);
    for (const { score, url } of survey) {
      const u = new URL(url);
      expect(u.pathname).toBe('/survey/srv_1');
      expect(u.searchParams.get('score')).toBe(String(score));
      expect(verifyToken('secret', 'survey', 'srv_1', Number(u.searchParams.get('e')), u.searchParams.get('s')!, clock.now().getTime())).toBe('ok');
    }
  });
});

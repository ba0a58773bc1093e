/**
 * The customer's pages, reached only through signed links: the order's status page (and its choice forms) and the
 * one-click survey. Every request checks its link before reading anything, so a tampered, expired or borrowed link
 * shows a page that says so and no data. Forms post application/x-www-form-urlencoded, parsed here with
 * URLSearchParams (scoped to this plugin; the JSON API is unchanged).
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { activePlaybook } from '../communication/playbook/active.js';
import { parseExpiry, verifyToken, type LinkPurpose } from '../communication/links.js';
import { httpStatusOf } from '../shared/errors.js';
import { makeChoice, type ChoiceKind } from './choices.js';
import { answerSurvey } from './csat.js';
import { badScorePage, choiceErrorPage, commentThanksPage, linkProblemPage, surveyThanksPage, type HtmlPage } from './pages.js';
import { loadStatus } from './status.js';
import { statusPage, type SignedQuery } from './status-page.js';

type Fields = Record<string, unknown>;
const field = (f: Fields, name: string): string => (typeof f[name] === 'string' ? (f[name] as string) : '');
const maxComment = 2000;

const notices: Record<ChoiceKind, string> = {
  wait: 'Thank you: your order keeps its place and ships as soon as the stock arrives.',
  substitute: 'Done: the alternative item replaces the waiting units and is ready to ship.',
  ship_ready: 'Done: we will ship what is ready now and the rest when it arrives.',
  cancel: 'Done: the line is cancelled. You will not be charged for it.',
};
const isKind = (k: string): k is ChoiceKind => Object.hasOwn(notices, k);

// Personal pages: never cached or indexed, links never leak through Referer, nothing loads from elsewhere.
function sendPage(reply: FastifyReply, p: HtmlPage): FastifyReply {
  return reply
    .code(p.status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    .type('text/html; charset=utf-8')
    .send(p.body);
}

/** The link's verdict for one subject: the signed query to carry on, or why it cannot be used. */
function checkLink(ctx: AppContext, purpose: LinkPurpose, subject: string, f: Fields): { link: SignedQuery } | { problem: 'expired' | 'invalid' } {
  const link = { e: field(f, 'e'), s: field(f, 's') };
  const verdict = verifyToken(ctx.comms.linkSecret, purpose, subject, parseExpiry(link.e), link.s, ctx.clock.now().getTime());
  return verdict === 'ok' ? { link } : { problem: verdict };
}

const companyOf = async (ctx: AppContext): Promise<string> => (await activePlaybook(ctx, ctx.store.db)).playbook.name;
const statusPath = (orderId: string, link: SignedQuery) => `/status/${encodeURIComponent(orderId)}?e=${encodeURIComponent(link.e)}&s=${encodeURIComponent(link.s)}`;

export function pageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const orderParams = z.object({ orderId: z.string() });
    const surveyParams = z.object({ surveyId: z.string() });
    const pageSchema = <P extends z.ZodType>(summary: string, params: P) => ({ tags: ['self-service'], summary, params });

    app.get('/status/:orderId', {
      schema: pageSchema("The order's status page (HTML) behind a signed link: ?e=<expiry>&s=<signature>", orderParams),
      handler: async (req, reply) => {
        const company = await companyOf(ctx);
        const checked = checkLink(ctx, 'status', req.params.orderId, req.query as Fields);
        if ('problem' in checked) return sendPage(reply, linkProblemPage(checked.problem, company));
        const view = await loadStatus(ctx, req.params.orderId);
        if (!view) return sendPage(reply, linkProblemPage('not_found', company));
        const notice = field(req.query as Fields, 'notice');
        return sendPage(reply, { status: 200, body: statusPage(view, checked.link, company, isKind(notice) ? notices[notice] : null) });
      },
    });

    app.post('/status/:orderId/choices', {
      schema: pageSchema('A choice from the status page (form: e, s, kind, lineId, alternateSkuId); redirects back with a notice', orderParams),
      handler: async (req, reply) => {
        const { orderId } = req.params;
        const company = await companyOf(ctx);
        const form = (req.body ?? {}) as Fields;
        const checked = checkLink(ctx, 'status', orderId, form);
        if ('problem' in checked) return sendPage(reply, linkProblemPage(checked.problem, company));
        const kind = field(form, 'kind');
        if (!isKind(kind)) return sendPage(reply, choiceErrorPage(400, orderId, checked.link, 'Please pick one of the choices on the page.', company));
        const input = { kind, lineId: field(form, 'lineId') || undefined, alternateSkuId: field(form, 'alternateSkuId') || undefined };
        const made = await makeChoice(ctx, orderId, input, 'status_page');
        if (!made.ok) {
          if (made.error.code === 'not_found' && made.error.field === 'orderId') return sendPage(reply, linkProblemPage('not_found', company));
          return sendPage(reply, choiceErrorPage(httpStatusOf(made.error.code), orderId, checked.link, made.error.message, company));
        }
        return reply.header('cache-control', 'no-store').redirect(`${statusPath(orderId, checked.link)}&notice=${kind}`, 303);
      },
    });

    app.get('/survey/:surveyId', {
      schema: pageSchema('One-click CSAT answer (HTML) behind a signed link: ?score=1..5&e=<expiry>&s=<signature>; the latest answer wins', surveyParams),
      handler: async (req, reply) => sendPage(reply, await answer(ctx, req.params.surveyId, req.query as Fields, false)),
    });

    app.post('/survey/:surveyId', {
      schema: pageSchema('A comment on a CSAT answer (form: e, s, score, comment)', surveyParams),
      handler: async (req, reply) => sendPage(reply, await answer(ctx, req.params.surveyId, (req.body ?? {}) as Fields, true)),
    });
  };
}

/** Checks the survey link and the score, stores the answer, and picks the page to show. */
async function answer(ctx: AppContext, surveyId: string, f: Fields, withComment: boolean): Promise<HtmlPage> {
  const company = await companyOf(ctx);
  const checked = checkLink(ctx, 'survey', surveyId, f);
  if ('problem' in checked) return linkProblemPage(checked.problem, company);
  const score = field(f, 'score');
  if (!/^[1-5]$/.test(score)) return badScorePage(company);
  const comment = withComment ? field(f, 'comment').trim().slice(0, maxComment) : '';
  const stored = await answerSurvey(ctx, surveyId, Number(score), comment || undefined);
  if (!stored.ok) return linkProblemPage('not_found', company);
  return withComment ? commentThanksPage(company) : surveyThanksPage(surveyId, checked.link, Number(score), company);
}

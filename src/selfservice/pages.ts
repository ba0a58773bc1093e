/**
 * The small pages around the status page and the survey: a link that cannot be used (expired, not valid, no such
 * order), a choice that could not be made, and the survey's thank-you pages. None of them shows order data.
 */
import { esc, page, raw, type SignedQuery } from './status-page.js';

export interface HtmlPage {
  status: number;
  body: string;
}

const contact = 'Reply to any email we sent you about this order, or contact our customer service, and we will send you a new link.';

/** Why a customer link cannot be used, and what to do about it. */
export function linkProblemPage(problem: 'expired' | 'invalid' | 'not_found', company: string): HtmlPage {
  switch (problem) {
    case 'expired':
      return {
        status: 410,
        body: page('This link has expired', company, raw(`<h1>This link has expired</h1>
<p>For your security, the links in our emails only work for a limited time.</p><p>${esc(contact)}</p>`)),
      };
    case 'invalid':
      return {
        status: 403,
        body: page('This link is not valid', company, raw(`<h1>This link is not valid</h1>
<p>The link may have been copied incompletely or changed. Please open it again from the email we sent you.</p><p>${esc(contact)}</p>`)),
      };
    case 'not_found':
      return {
        status: 404,
        body: page('Not found', company, raw(`<h1>We could not find this</h1><p>It may have been removed. ${esc(contact)}</p>`)),
      };
  }
}

/** A choice that could not be made: what went wrong, and the way back to the order. */
export function choiceErrorPage(status: number, orderId: string, link: SignedQuery, message: string, company: string): HtmlPage {
  const back = `/status/${encodeURIComponent(orderId)}?e=${encodeURIComponent(link.e)}&s=${encodeURIComponent(link.s)}`;
  return {
    status,
    body: page('We could not make that change', company, raw(`<h1>We could not make that change</h1>
<p class="problem" role="alert">${esc(message)}</p><p>Nothing was changed. <a href="${esc(back)}">Back to your order</a></p>`)),
  };
}

/** After a one-click score: thanks, and an optional comment. */
export function surveyThanksPage(surveyId: string, link: SignedQuery, score: number, company: string): HtmlPage {
  return {
    status: 200,
    body: page('Thank you', company, raw(`<h1>Thank you!</h1>
<p>You rated us <strong>${esc(score)} out of 5</strong>. Changed your mind? Click another score in the email; your latest answer counts.</p>
<form method="post" action="/survey/${esc(encodeURIComponent(surveyId))}">
<input type="hidden" name="e" value="${esc(link.e)}"><input type="hidden" name="s" value="${esc(link.s)}"><input type="hidden" name="score" value="${esc(score)}">
<p><label for="comment">Anything you would like to tell us? (optional)</label><br>
<textarea id="comment" name="comment" rows="5" cols="50" maxlength="2000"></textarea></p>
<button type="submit">Send comment</button></form>`)),
  };
}

export function commentThanksPage(company: string): HtmlPage {
  return { status: 200, body: page('Thank you', company, raw('<h1>Thank you for your comment</h1><p>We read every one.</p>')) };
}

export function badScorePage(company: string): HtmlPage {
  return { status: 400, body: page('Choose a score', company, raw('<h1>Please choose a score from 1 to 5</h1><p>Use one of the five links in our email.</p>')) };
}

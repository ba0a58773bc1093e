/**
 * The status page as HTML: small, readable without scripts or external resources (styles inline, no fonts, no
 * images), usable with a keyboard and a screen reader (tables with headers, labelled forms, a live notice).
 * Everything that comes from data is escaped.
 */
import type { StatusLine, StatusView } from './status.js';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text or attribute value made safe for HTML. */
export const esc = (v: string | number | null | undefined): string => String(v ?? '').replace(/[&<>"']/g, (c) => entities[c]!);

/** Pre-escaped HTML: what the page helpers return, so a raw string is never mistaken for markup. */
export interface Html {
  html: string;
}
export const raw = (html: string): Html => ({ html });
const join = (parts: readonly Html[]): Html => raw(parts.map((p) => p.html).join(''));

const style = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;color:#1b1b1b;background:#fff;margin:0}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ccc}
.notice{background:#e7f4e4;border-left:4px solid #2e7d32;padding:.5rem 1rem}
.problem{background:#fdecea;border-left:4px solid #b3261e;padding:.5rem 1rem}
form{display:inline-block;margin:.25rem .5rem .25rem 0}fieldset{border:1px solid #ccc;margin:.5rem 0}
button{font:inherit;padding:.4rem .9rem;border:1px solid #1b1b1b;border-radius:4px;background:#f4f4f4;cursor:pointer}
button:focus,input:focus,textarea:focus{outline:3px solid #1a73e8;outline-offset:2px}
.muted{color:#555}`;

/** A whole page: language, title, viewport, no indexing (links are personal), inline style only. */
export function page(title: string, company: string, body: Html): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><title>${esc(title)} · ${esc(company)}</title><style>${style}</style></head>
<body><main>
<p class="muted">${esc(company)}</p>
${body.html}
</main></body></html>
`;
}

/** The signed part of a link, carried by every form so the POST is checked exactly like the page. */
export interface SignedQuery {
  e: string;
  s: string;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;

function choiceForm(orderId: string, link: SignedQuery, fields: Record<string, string>, label: string, extra = ''): Html {
  return raw(
    `<form method="post" action="/status/${esc(encodeURIComponent(orderId))}/choices">${hidden('e', link.e)}${hidden('s', link.s)}` +
      Object.entries(fields).map(([k, v]) => hidden(k, v)).join('') +
      `${extra}<button type="submit">${esc(label)}</button></form>`,
  );
}

const statusWords: Record<StatusLine['status'], string> = {
  backordered: 'Waiting for stock',
  allocated: 'Ready to ship',
  shipped: 'Shipped',
  cancelled: 'Cancelled',
  rejected: 'Not available',
};

function linesTable(v: StatusView): Html {
  const rows = v.lines.map(
    (l) => `<tr><th scope="row">${esc(l.lineNo)}</th><td>${esc(l.skuName)} <span class="muted">(${esc(l.skuId)})</span></td>
<td>${esc(l.quantity)}</td><td>${esc(l.shipped)}</td><td>${esc(l.ready)}</td><td>${esc(l.waiting)}</td><td>${esc(statusWords[l.status])}</td>
<td>${l.promisedDate ? esc(l.promisedDate) : '<span class="muted">—</span>'}</td></tr>`,
  );
  return raw(`<table><caption class="muted">Each line of your order</caption>
<thead><tr><th scope="col">Line</th><th scope="col">Item</th><th scope="col">Ordered</th><th scope="col">Shipped</th><th scope="col">Ready</th>
<th scope="col">Waiting</th><th scope="col">Status</th><th scope="col">Expected by</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`);
}

function promiseText(l: StatusLine): string {
  if (l.waiting === 0) return '';
  if (!l.promisedDate) return `<p>${esc(l.waiting)} unit(s) are waiting for stock. We do not have a date for them yet.</p>`;
  const sure = l.confirmed ? 'confirmed by a delivery on its way' : 'an estimate';
  const conf = l.confidencePct !== null ? `, about ${esc(l.confidencePct)}% likely to be met` : '';
  const basis = l.basis ? `<br><span class="muted">Based on: ${esc(l.basis)}.</span>` : '';
  return `<p>${esc(l.waiting)} unit(s) are waiting for stock, expected to ship by <strong>${esc(l.promisedDate)}</strong> (${sure}${conf}).${basis}</p>`;
}

function lineChoices(v: StatusView, l: StatusLine, link: SignedQuery): Html {
  if (!v.open || l.waiting === 0) return raw('');
  const forms = [choiceForm(v.orderId, link, { kind: 'wait', lineId: l.id }, 'Keep waiting')];
  if (l.substitutes.length > 0) {
    const options = l.substitutes
      .map((s, i) => `<label><input type="radio" name="alternateSkuId" value="${esc(s.skuId)}"${i === 0 ? ' checked' : ''}> ${esc(s.name)} (${esc(s.skuId)}), in stock now</label><br>`)
      .join('');
    const fieldset = `<fieldset><legend>Take an alternative item instead of the ${esc(l.waiting)} waiting unit(s)</legend>${options}</fieldset>`;
    forms.push(choiceForm(v.orderId, link, { kind: 'substitute', lineId: l.id }, 'Accept this alternative', fieldset));
  }
  forms.push(choiceForm(v.orderId, link, { kind: 'cancel', lineId: l.id }, `Cancel line ${l.lineNo}`));
  return raw(`<h3 id="choices-${esc(l.id)}">What would you like to do?</h3><div role="group" aria-labelledby="choices-${esc(l.id)}">${join(forms).html}</div>`);
}

function lineSection(v: StatusView, l: StatusLine, link: SignedQuery): Html {
  const history = l.history.length
    ? `<h3>History</h3><ol>${l.history.map((h) => `<li><time datetime="${esc(h.at)}">${esc(h.at.slice(0, 10))}</time>: ${esc(h.text)}</li>`).join('')}</ol>`
    : '';
  if (l.waiting === 0 && !history) return raw('');
  return raw(`<section aria-labelledby="line-${esc(l.id)}"><h2 id="line-${esc(l.id)}">Line ${esc(l.lineNo)}: ${esc(l.skuName)}</h2>
${promiseText(l)}${history}${lineChoices(v, l, link).html}</section>`);
}

/** The page for one order, with a notice after a choice was made. */
export function statusPage(v: StatusView, link: SignedQuery, company: string, notice: string | null): string {
  const parts: Html[] = [
    raw(`<h1>Your order ${esc(v.orderId)}</h1>`),
    raw(`<p>Placed on ${esc(v.placedAt.slice(0, 10))}${v.reference ? `, your reference ${esc(v.reference)}` : ''}. ${v.open ? 'In progress.' : 'Complete.'}</p>`),
    raw(notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ''),
    linesTable(v),
  ];
  if (v.canShipReady && v.open) {
    parts.push(raw(`<h2>Ship what is ready now?</h2><p>Some items are ready and others are still waiting. We can send the ready items now and the rest when they arrive.</p>`));
    parts.push(choiceForm(v.orderId, link, { kind: 'ship_ready' }, 'Ship what is ready now'));
  }
  parts.push(...v.lines.map((l) => lineSection(v, l, link)));
  if (v.choices.length > 0) {
    parts.push(raw(`<h2>Your choices so far</h2><ul>${v.choices.map((c) => `<li><time datetime="${esc(c.at)}">${esc(c.at.slice(0, 10))}</time>: ${esc(c.text)}</li>`).join('')}</ul>`));
  }
  return page(`Order ${v.orderId}`, company, join(parts));
}

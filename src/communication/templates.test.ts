import { describe, it, expect } from 'vitest';
import { missingNames } from '../../test/support/mustache.js';
import type { TemplateBodies } from './playbook/schema.js';
import { builtInTemplateNames, type TemplateLine, type TemplateView } from './template-view.js';
import { builtInTemplates, parseTemplateFile, pickTemplate, renderTemplate, templateError } from './templates.js';

const line = (over: Partial<TemplateLine> = {}): TemplateLine => ({
  backorderId: 'bo_01',
  skuId: 'sku_widget',
  skuName: 'Widget, blue',
  quantity: 3,
  promisedDate: '2026-12-04',
  previousDate: '2026-11-20',
  shiftDays: 14,
  confidencePct: 80,
  basis: 'purchase order PO-7 due 2026-12-01 from Acme',
  reason: 'supplier Acme confirmed a later delivery',
  customerName: 'Globex Ltd',
  tier: 1,
  ageDays: 21,
  ...over,
});

/** Every field set and every list non-empty, so every section of every template is exercised. */
const fullView = (over: Partial<TemplateView> = {}): TemplateView => ({
  company: 'Northwind Supplies',
  customer: { id: 'cus_01', name: 'Globex Ltd' },
  order: { id: 'ord_01', reference: 'SO-1042' },
  lines: [line(), line({ backorderId: 'bo_02', skuName: 'Gadget', quantity: 1, promisedDate: '2027-01-15' })],
  hasLines: true,
  statusUrl: 'https://status.example.com/o/ord_01?sig=abc&exp=123',
  survey: [1, 2, 3, 4, 5].map((score) => ({ score, url: `https://status.example.com/s/sv_01/${score}?sig=x${score}` })),
  choice: { kind: 'substitute', label: 'Accept a substitute' },
  sku: { id: 'sku_widget', name: 'Widget, blue', openBackorders: 42, waitingUnits: 310 },
  slips: 3,
  digest: {
    date: '2026-11-30',
    atRisk: [line({ confidencePct: 35 })],
    slipped: [line()],
    oldest: [line({ ageDays: 64 })],
    topSkus: [{ skuId: 'sku_widget', skuName: 'Widget, blue', openBackorders: 42, waitingUnits: 310 }],
  },
  ...over,
});

/** Everything optional missing: exercises the inverted sections. */
const sparseView = (): TemplateView => ({
  company: 'Northwind Supplies',
  customer: null,
  order: { id: 'ord_01', reference: null },
  lines: [line({ promisedDate: null, previousDate: null, shiftDays: null, confidencePct: null, basis: null, reason: null, customerName: null, tier: null, ageDays: null, backorderId: null })],
  hasLines: true,
  statusUrl: null,
  survey: [],
  choice: null,
  sku: null,
  slips: null,
  digest: { date: '2026-11-30', atRisk: [], slipped: [], oldest: [], topSkus: [] },
});

const languages = ['en', 'de', 'fr'];
const bodiesOf = (lang: string, name: string): TemplateBodies => {
  const bodies = builtInTemplates().get(lang)?.get(name);
  if (bodies === undefined) throw new Error(`no ${lang}/${name}`);
  return bodies;
};

describe('built-in templates', () => {
  it('every language defines every built-in name', () => {
    expect([...builtInTemplates().keys()].sort()).toEqual([...languages].sort());
    for (const lang of languages) {
      expect([...(builtInTemplates().get(lang)?.keys() ?? [])].sort()).toEqual([...builtInTemplateNames].sort());
    }
  });

  it('uses only fields of TemplateView and never unescaped data', () => {
    for (const lang of languages) {
      for (const name of builtInTemplateNames) {
        const bodies = bodiesOf(lang, name);
        for (const part of ['subject', 'text', 'html'] as const) {
          expect(missingNames(bodies[part], fullView()), `${lang}/${name}.${part}`).toEqual([]);
          expect(bodies[part], `${lang}/${name}.${part}`).not.toMatch(/\{\{\s*[{&]/);
        }
      }
    }
  });

  it.each([
    ['full', fullView()],
    ['sparse', sparseView()],
  ])('each template renders a %s view completely', (_kind, view) => {
    for (const lang of languages) {
      for (const name of builtInTemplateNames) {
        const out = renderTemplate(bodiesOf(lang, name), view);
        for (const [part, body] of Object.entries(out)) {
          expect(body, `${lang}/${name}.${part}`).not.toContain('{{');
          expect(body, `${lang}/${name}.${part}`).not.toContain('}}');
          expect(body.trim().length, `${lang}/${name}.${part}`).toBeGreaterThan(10);
        }
        expect(out.subject, `${lang}/${name}`).not.toMatch(/[\r\n]/);
        expect(out.html, `${lang}/${name}`).toContain(`<html lang="${lang}">`);
        expect(out.html, `${lang}/${name}`).not.toMatch(/<script|<img|<link|src=|<table/i);
      }
    }
  });

  it('backorder-confirmed in German states each promised date, its basis and confidence, and the status link', () => {
    const out = renderTemplate(bodiesOf('de', 'backorder-confirmed'), fullView());
    for (const body of [out.text, out.html]) {
      expect(body).toContain('2026-12-04');
      expect(body).toContain('2027-01-15');
      expect(body).toContain('80 %');
      expect(body).toContain('Bestellung');
    }
    expect(out.text).toContain('purchase order PO-7 due 2026-12-01 from Acme');
    expect(out.text).toContain('https://status.example.com/o/ord_01?sig=abc&exp=123');
    expect(out.html).toContain('href="https:&#x2F;&#x2F;status.example.com&#x2F;o&#x2F;ord_01?sig&#x3D;abc&amp;exp&#x3D;123"');
    expect(out.subject).toContain('SO-1042');
  });

  it('says "date to be confirmed" in the customer\'s language when there is no date', () => {
    const view = sparseView();
    expect(renderTemplate(bodiesOf('en', 'backorder-confirmed'), view).text).toContain('date to be confirmed');
    expect(renderTemplate(bodiesOf('de', 'backorder-confirmed'), view).text).toContain('Termin folgt');
    expect(renderTemplate(bodiesOf('fr', 'backorder-confirmed'), view).text).toContain('date à confirmer');
    expect(renderTemplate(bodiesOf('en', 'backorder-confirmed'), view).subject).toContain('ord_01');
  });

  it('promise-changed shows the old and the new date and why', () => {
    for (const lang of languages) {
      const text = renderTemplate(bodiesOf(lang, 'promise-changed'), fullView()).text;
      expect(text).toMatch(/2026-11-20.*2026-12-04/);
      expect(text).toContain('supplier Acme confirmed a later delivery');
    }
  });

  it('csat-survey has the five one-click links in order', () => {
    for (const lang of languages) {
      const out = renderTemplate(bodiesOf(lang, 'csat-survey'), fullView());
      const links = [...out.html.matchAll(/<a href="([^"]+)"[^>]*>(\d)<\/a>/g)].map((m) => [m[1], m[2]]);
      expect(links).toEqual([1, 2, 3, 4, 5].map((s) => [`https:&#x2F;&#x2F;status.example.com&#x2F;s&#x2F;sv_01&#x2F;${s}?sig&#x3D;x${s}`, String(s)]));
      for (let s = 1; s <= 5; s++) expect(out.text).toContain(`https://status.example.com/s/sv_01/${s}?sig=x${s}`);
    }
  });

  it('daily-digest says "none" under each empty section, and lists entries otherwise', () => {
    const empty = renderTemplate(bodiesOf('en', 'daily-digest'), sparseView()).text;
    expect(empty.match(/^none$/gm)).toHaveLength(4);
    const full = renderTemplate(bodiesOf('en', 'daily-digest'), fullView()).text;
    expect(full).not.toMatch(/^none$/m);
    expect(full).toContain('Widget, blue (sku_widget): 42 open backorders, 310 units waiting');
    expect(full).toContain('waiting 64 days');
  });
});

describe('renderTemplate', () => {
  it('escapes data in html and keeps it verbatim in subject and text', () => {
    const name = '<script>alert(1)</script>';
    const view = fullView({ customer: { id: 'cus_x', name } });
    const out = renderTemplate(bodiesOf('en', 'backorder-confirmed'), view);
    expect(out.html).not.toContain(name);
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt;');
    expect(out.text).toContain(`Hello ${name},`);
    const own = renderTemplate({ subject: 'For {{customer.name}} & co', text: 'x', html: '<p>{{customer.name}}</p>' }, view);
    expect(own.subject).toBe(`For ${name} & co`);
  });

  it('collapses the subject to one trimmed line, whatever the data holds', () => {
    const view = fullView({ order: { id: 'ord_01', reference: 'SO-1\r\n  Bcc: evil@example.com' } });
    const out = renderTemplate({ subject: '  Order {{order.reference}}\n  shipped  ', text: 'a\nb\n', html: '<p>x</p>' }, view);
    expect(out.subject).toBe('Order SO-1 Bcc: evil@example.com shipped');
    expect(out.text).toBe('a\nb\n');
  });
});

describe('pickTemplate', () => {
  const mine: TemplateBodies = { subject: 'Mine', text: 'mine', html: '<p>mine</p>' };

  it('falls back from a regional tag to its base language', () => {
    const picked = pickTemplate('backorder-confirmed', 'fr-CA', {}, 'de');
    expect(picked?.language).toBe('fr');
    expect(picked?.bodies).toBe(bodiesOf('fr', 'backorder-confirmed'));
  });

  it('falls back to the playbook language, then English', () => {
    expect(pickTemplate('order-shipped', 'xx', {}, 'de')?.language).toBe('de');
    expect(pickTemplate('order-shipped', 'xx', {}, 'de-AT')?.language).toBe('de');
    const en = pickTemplate('order-shipped', 'xx', {}, 'yy');
    expect(en?.language).toBe('en');
    expect(en?.bodies).toBe(bodiesOf('en', 'order-shipped'));
  });

  it('prefers the playbook override at each step, and its exact tag to a built-in base', () => {
    expect(pickTemplate('backorder-confirmed', 'fr-CA', { fr: { 'backorder-confirmed': mine } }, 'en')).toEqual({ language: 'fr', bodies: mine });
    expect(pickTemplate('backorder-confirmed', 'fr-ca', { 'fr-CA': { 'backorder-confirmed': mine } }, 'en')).toEqual({ language: 'fr-CA', bodies: mine });
    // An override of another template or language leaves the built-in in place.
    expect(pickTemplate('order-shipped', 'fr-CA', { fr: { 'backorder-confirmed': mine } }, 'en')?.bodies).toBe(bodiesOf('fr', 'order-shipped'));
    expect(pickTemplate('backorder-confirmed', 'de', { fr: { 'backorder-confirmed': mine } }, 'en')?.language).toBe('de');
  });

  it('finds templates only the playbook defines, and null for unknown names', () => {
    expect(pickTemplate('vip-apology', 'de', { en: { 'vip-apology': mine } }, 'de')).toEqual({ language: 'en', bodies: mine });
    expect(pickTemplate('vip-apology', 'de', {}, 'de')).toBeNull();
    expect(pickTemplate('constructor', 'en', { en: {} }, 'en')).toBeNull();
  });
});

describe('templateError', () => {
  it('reports an unclosed section, an unopened section and an unclosed tag', () => {
    expect(templateError('Hello {{#lines}}{{skuName}}')).toMatch(/Unclosed section "lines"/);
    expect(templateError('Hello {{/lines}}')).toMatch(/Unopened section "lines"/);
    expect(templateError('Hello {{customer.name')).toMatch(/Unclosed tag/);
  });

  it('returns null for a good template', () => {
    expect(templateError('Hello {{#customer}}{{name}}{{/customer}}{{^customer}}there{{/customer}}')).toBeNull();
  });
});

describe('parseTemplateFile', () => {
  const complete = (extra: string): string =>
    builtInTemplateNames.map((n) => `${n}: { subject: s, text: t, html: h }`).join('\n') + '\n' + extra;

  it('names the file, template and part at fault', () => {
    expect(() => parseTemplateFile(complete('extra: { subject: s, text: t }'), 'templates/xx.yaml')).toThrow(
      "templates/xx.yaml: template 'extra': 'html' must be a non-empty string",
    );
    expect(() => parseTemplateFile(complete('extra: { subject: "{{#a}}", text: t, html: h }'), 'templates/xx.yaml')).toThrow(
      /templates\/xx.yaml: template 'extra': 'subject': Unclosed section "a"/,
    );
    expect(() => parseTemplateFile('order-shipped: { subject: s, text: t, html: h }', 'templates/xx.yaml')).toThrow(
      "templates/xx.yaml: template 'backorder-confirmed' is missing",
    );
  });

  it('accepts a complete file', () => {
    expect(parseTemplateFile(complete(''), 'templates/xx.yaml').size).toBe(builtInTemplateNames.length);
  });
});

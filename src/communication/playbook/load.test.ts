import { describe, expect, it } from 'vitest';
import { parsePlaybook, type PlaybookProblem } from './load.js';
import { defaultPlaybookSource } from './active.js';
import { eventTriggers, timeTriggers } from './schema.js';

/** 1-based line of the first occurrence of `needle` at or after the first occurrence of `after`. */
function lineOf(source: string, needle: string, after = ''): number {
  const from = source.indexOf(after);
  const at = source.indexOf(needle, from < 0 ? 0 : from);
  if (at < 0) throw new Error(`'${needle}' is not in the source`);
  return source.slice(0, at).split('\n').length;
}

/** The first problem of a rejected playbook (and the message), failing the test if it parsed. */
function rejected(source: string): { message: string; problems: PlaybookProblem[] } {
  const r = parsePlaybook(source);
  if (r.ok) throw new Error('expected the playbook to be rejected');
  expect(r.error.code).toBe('validation_failed');
  expect(r.error.field).toBe('playbook');
  return { message: r.error.message, problems: (r.error.details as { problems: PlaybookProblem[] }).problems };
}

const header = `version: 1
name: Test shop
language: en
delivery:
  max_attempts: 3
rules:
`;

const rule = (lines: string[]) => lines.map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)).join('\n') + '\n';
const confirm = rule(['id: confirm', 'on: backorder.confirmed', 'to: customer', 'template: backorder-confirmed']);

describe('the playbook loader', () => {
  it('parses the shipped default: every trigger it uses is known, defaults filled in', () => {
    const r = parsePlaybook(defaultPlaybookSource());
    if (!r.ok) throw new Error(r.error.message);
    const p = r.value;
    expect(p).toMatchObject({ version: 1, name: 'Raincheck', language: 'en', links: { ttl_days: 30 } });
    expect(p.delivery).toEqual({ max_attempts: 8, backoff_base_seconds: 30, backoff_max_seconds: 21_600, timeout_seconds: 10 });
    expect(p.rules.map((x) => x.id)).toContain('confirm-backorder');
    expect(new Set(p.rules.map((x) => x.id)).size).toBe(p.rules.length);
    for (const x of p.rules) expect([...eventTriggers, ...timeTriggers]).toContain(x.on);
    expect(p.rules.every((x) => x.enabled && x.channel === 'email')).toBe(true);
    const slipped = p.rules.find((x) => x.id === 'promise-slipped');
    expect(slipped).toMatchObject({ on: 'promise.changed', direction: 'later', min_shift_days: 1, delay_minutes: 0 });
  });

  it('fills defaults for what a minimal playbook leaves out', () => {
    const r = parsePlaybook(`version: 1\nname: Tiny\nrules: []\n`);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ language: 'en', sender: 'Raincheck <backorders@raincheck.local>', notify_within_hours: 24, rules: [], templates: {} });
    expect(r.value.delivery.max_attempts).toBe(8);
  });

  it('rejects an unknown trigger at the line of its `on`', () => {
    const source = header + confirm + rule(['id: boom', 'on: backorder.exploded', 'to: customer', 'template: backorder-confirmed']);
    const { message, problems } = rejected(source);
    expect(problems[0]).toMatchObject({ line: lineOf(source, 'on: backorder.exploded'), path: 'rules[1].on' });
    expect(message).toContain(`line ${lineOf(source, 'on: backorder.exploded')}`);
    expect(message).toContain("unknown trigger 'backorder.exploded'");
  });

  it('rejects an unknown key at the line of that key, not of its rule', () => {
    const source = header + rule(['id: confirm', 'on: backorder.confirmed', 'to: customer', 'colour: red', 'template: backorder-confirmed']);
    const { message, problems } = rejected(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: lineOf(source, 'colour: red'), column: 5 });
    expect(message).toMatch(/line \d+, column 5 .*colour/);
  });

  it('rejects an unknown top-level key and a misspelt delivery setting at their lines', () => {
    const source = header.replace('  max_attempts: 3', '  max_atempts: 3') + confirm;
    expect(rejected(source).problems[0]).toMatchObject({ line: lineOf(source, 'max_atempts'), path: 'delivery' });
    const top = header + confirm + 'colours: [red]\n';
    expect(rejected(top).problems[0]).toMatchObject({ line: lineOf(top, 'colours') });
  });

  it('rejects a bad email address among the internal recipients at its line', () => {
    const source = header + rule(['id: tell-team', 'on: backorder.confirmed', 'to:', '  - team@example.com', '  - not-an-email', 'template: backorder-confirmed']);
    const { message, problems } = rejected(source);
    expect(problems[0]).toMatchObject({ line: lineOf(source, 'not-an-email'), path: 'rules[0].to[1]' });
    expect(message).toMatch(/email/i);
  });

  it('rejects a template that is neither built in nor defined, at the rule’s template line', () => {
    const source = header + confirm + rule(['id: other', 'on: order.shipped', 'to: customer', 'template: no-such-template']);
    const { message, problems } = rejected(source);
    expect(problems[0]).toMatchObject({ line: lineOf(source, 'template: no-such-template'), path: 'rules[1].template' });
    expect(message).toContain("template 'no-such-template'");
  });

  it('rejects a rule without a template at the line of that rule', () => {
    const source = header + confirm + rule(['id: other', 'on: order.shipped', 'to: customer']);
    expect(rejected(source).problems[0]).toMatchObject({ line: lineOf(source, 'id: other'), path: 'rules[1].template' });
  });

  it('rejects bad YAML indentation at the line where it breaks', () => {
    const source = header + '  - id: confirm\n    on: backorder.confirmed\n   to: customer\n    template: backorder-confirmed\n';
    const { message, problems } = rejected(source);
    expect(problems[0]!.line).toBe(lineOf(source, '   to: customer'));
    expect(message).toContain(`line ${lineOf(source, '   to: customer')}`);
  });

  it('gives every problem the same shape (line, column, path, message), syntax errors included', () => {
    const syntax = header + '  - id: confirm\n    on: backorder.confirmed\n   to: customer\n';
    const schema = header + rule(['id: confirm', 'on: backorder.confirmed', 'to: customer', 'colour: red', 'template: backorder-confirmed']);
    for (const source of [syntax, schema]) {
      for (const p of rejected(source).problems) expect(Object.keys(p).sort()).toEqual(['column', 'line', 'message', 'path']);
    }
  });

  it('rejects a duplicate rule id at the second rule’s id', () => {
    const source = header + confirm + rule(['id: confirm', 'on: order.shipped', 'to: customer', 'template: order-shipped']);
    const { message, problems } = rejected(source);
    const second = lineOf(source, 'id: confirm', 'on: backorder.confirmed');
    expect(second).toBeGreaterThan(lineOf(source, 'id: confirm'));
    expect(problems[0]).toMatchObject({ line: second, path: 'rules[1].id' });
    expect(message).toContain("rule id 'confirm' is used twice");
  });

  it('rejects a template override that does not parse, at the line of the broken body', () => {
    const source =
      header +
      rule(['id: confirm', 'on: backorder.confirmed', 'to: customer', 'template: my-confirm']) +
      'templates:\n  en:\n    my-confirm:\n      subject: "Order {{#order}}{{id}}{{/order}}"\n      text: "{{#lines}} unclosed"\n      html: "<p>ok</p>"\n';
    const { message, problems } = rejected(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: lineOf(source, 'text: "{{#lines}}'), path: 'templates.en.my-confirm.text' });
    expect(message).toMatch(/does not parse: Unclosed section "lines"/);
  });

  it('accepts a rule naming a template the playbook itself defines', () => {
    const source =
      header +
      rule(['id: confirm', 'on: backorder.confirmed', 'to: customer', 'template: my-confirm']) +
      'templates:\n  en:\n    my-confirm:\n      subject: "Order {{#order}}{{id}}{{/order}}"\n      text: "{{#lines}}- {{skuName}}\\n{{/lines}}"\n      html: "<p>ok</p>"\n';
    const r = parsePlaybook(source);
    expect(r.ok ? r.value.templates.en?.['my-confirm']?.subject : r.error.message).toBe('Order {{#order}}{{id}}{{/order}}');
  });

  it('rejects settings out of range at their line (a time rule every 0 days)', () => {
    const source = header + rule(['id: nag', 'on: backorder.still_open', 'every_days: 0', 'to: customer', 'template: still-on-track']);
    expect(rejected(source).problems[0]).toMatchObject({ line: lineOf(source, 'every_days: 0'), path: 'rules[0].every_days' });
  });

  it('lists every problem, the first in the message with a count of the rest', () => {
    const source = header + rule(['id: a', 'on: backorder.confirmed', 'to: [nobody]', 'template: backorder-confirmed']) + rule(['id: B!', 'on: order.shipped', 'to: customer', 'template: order-shipped']);
    const { message, problems } = rejected(source);
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(message).toMatch(/\(and \d+ more\)$/);
  });

  describe('in JSON', () => {
    const playbook = {
      version: 1,
      name: 'JSON shop',
      language: 'de',
      delivery: { max_attempts: 4 },
      rules: [
        { id: 'confirm', on: 'backorder.confirmed', to: 'customer', template: 'backorder-confirmed' },
        { id: 'nag', on: 'backorder.still_open', every_days: 7, to: 'customer', template: 'still-on-track' },
      ],
    };

    it('parses a JSON playbook (one line or pretty-printed) to the same playbook as its YAML twin', () => {
      const compact = parsePlaybook(JSON.stringify(playbook));
      const pretty = parsePlaybook(JSON.stringify(playbook, null, 2));
      if (!compact.ok || !pretty.ok) throw new Error('JSON playbook rejected');
      expect(compact.value).toEqual(pretty.value);
      expect(compact.value).toMatchObject({ language: 'de', delivery: { max_attempts: 4, timeout_seconds: 10 } });
      expect(compact.value.rules.map((r) => r.on)).toEqual(['backorder.confirmed', 'backorder.still_open']);
      const yaml = parsePlaybook(
        'version: 1\nname: JSON shop\nlanguage: de\ndelivery: {max_attempts: 4}\nrules:\n' +
          rule(['id: confirm', 'on: backorder.confirmed', 'to: customer', 'template: backorder-confirmed']) +
          rule(['id: nag', 'on: backorder.still_open', 'every_days: 7', 'to: customer', 'template: still-on-track']),
      );
      expect(yaml.ok && yaml.value).toEqual(compact.value);
    });

    it('names the JSON line of a problem', () => {
      const bad = { ...playbook, rules: [...playbook.rules, { id: 'x', on: 'backorder.exploded', to: 'customer', template: 'backorder-confirmed' }] };
      const source = JSON.stringify(bad, null, 2);
      expect(rejected(source).problems[0]).toMatchObject({ line: lineOf(source, '"backorder.exploded"'), path: 'rules[2].on' });
    });

    it('names the line of a JSON syntax error', () => {
      const source = JSON.stringify(playbook, null, 2).replace('"name": "JSON shop",', '"name": "JSON shop"');
      expect(rejected(source).problems[0]!.line).toBe(lineOf(source, '"language"'));
    });
  });
});

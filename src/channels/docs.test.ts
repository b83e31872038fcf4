import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FrequencyCap, QuietHours } from './policy/index.js';
import { renderTemplate, validateTemplate } from './templates/index.js';
import { signWebhook } from './webhook/index.js';

// docs/channels.md is part of the repository: its examples must stay true.
const doc = readFileSync(new URL('../../docs/channels.md', import.meta.url), 'utf8');
const json = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
const js = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/channels.md', () => {
  it('shows a template that validates, compiles and renders as described', async () => {
    const result = validateTemplate(json[0]);
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result.errors));
    const out = await renderTemplate(
      result.compiled,
      {
        profile: { id: 'p1', traits: {} },
        event: {
          properties: { products: [{ product_id: 'a', name: 'Mug', url: 'https://s.test/a' }] },
        },
        links: { unsubscribe: 'https://r.test/u/t' },
        workspace: { website: 'https://s.test' },
      },
      { personalized: true, now: 0, recommend: () => [{ name: 'Tea', url: 'https://s.test/t' }] },
    );
    expect(out.kind === 'ok' && out.fields).toEqual({
      subject: 'Friend, your cart is waiting',
      preheader: '1 items saved for you',
      html: '<p>Hi friend,</p><p><a href="https://s.test/a">Mug</a></p><h2>Goes well with</h2><a href="https://s.test/t">Tea</a><p><a href="https://r.test/u/t">Unsubscribe</a></p>',
      text: 'Hi friend,\n- Mug\n',
    });
  });

  it('shows caps and quiet hours that parse', () => {
    // json[1] is the brand settings example, checked by test/channels/cart-email.test.ts.
    expect(FrequencyCap.array().parse(json[2])).toEqual(json[2]);
    expect(QuietHours.parse(json[3])).toEqual(json[3]);
    expect(json).toHaveLength(4);
  });

  it('gives a verification snippet that accepts Rapport signatures and the example value', async () => {
    // Run the snippet as the module a reader would paste it into.
    const dir = mkdtempSync(join(tmpdir(), 'rapport-docs-'));
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, `${js[0]!}\nexport { verify };\n`);
    const { verify } = (await import(pathToFileURL(file).href)) as {
      verify: (header: string, body: string, secret: string) => boolean;
    };
    rmSync(dir, { recursive: true, force: true });
    const body = '{"event":"cart_reminder"}';
    const now = Math.floor(Date.now() / 1000);
    expect(verify(signWebhook('whsec_example', now, body), body, 'whsec_example')).toBe(true);
    expect(verify(signWebhook('whsec_example', now, body), `${body} `, 'whsec_example')).toBe(
      false,
    );
    expect(verify(signWebhook('whsec_example', now - 600, body), body, 'whsec_example')).toBe(
      false,
    );
    expect(doc).toContain(signWebhook('whsec_example', 1767225600, body));
    // During a rotation: two v1 values, and a receiver holding either secret accepts.
    const both = signWebhook(['whsec_new', 'whsec_example'], now, body);
    expect(verify(both, body, 'whsec_new')).toBe(true);
    expect(verify(both, body, 'whsec_example')).toBe(true);
    expect(verify(both, body, 'whsec_other')).toBe(false);
  });
});

// The pieces a send goes through, composed as the shell will compose them: consent,
// rendering with recommendations, link tracking, MIME over real SMTP, and the one-click
// unsubscribe that comes back from the received message's own header.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecommendRequest } from '../../src/channels/index.js';
import type { TemplateContext } from '../../src/channels/templates/context.js';
import {
  EmailSender,
  MessageTemplate,
  rewriteLinks,
  signClickToken,
  signOpenToken,
  verifyClickToken,
} from '../../src/channels/index.js';
import { TemplateEngine } from '../../src/channels/templates/engine.js';
import { compileTemplate } from '../../src/channels/templates/compile.js';
import { renderTemplate } from '../../src/channels/templates/render.js';
import {
  consentFromTraits,
  foldStatements,
  type ConsentChange,
  mayContact,
  mayPersonalize,
  signToken,
  verifyToken,
} from '../../src/privacy/index.js';

const SECRET = 'flow-test-secret-0123456789abcdef';
const NOW = Date.UTC(2026, 4, 12, 9, 0);
const html = readFileSync(
  new URL('../fixtures/channels/cart-reminder.liquid', import.meta.url),
  'utf8',
);

const template = MessageTemplate.parse({
  id: 'cart_reminder',
  name: 'Cart reminder',
  channel: 'email',
  topic: 'cart',
  subject: '{{ profile.traits.first_name | default: "Hi" }}, your cart is waiting',
  preheader: '{{ event.properties.products.size }} items saved for you',
  html,
  text: 'Hi {{ profile.traits.first_name | default: "there" }},\n{% for p in event.properties.products %}- {{ p.name }}\n{% endfor %}{{ event.properties.cart_url }}\nUnsubscribe: {{ links.unsubscribe }}',
});

const products = [
  {
    product_id: 'p1',
    name: 'Linen shirt',
    price: 49,
    quantity: 1,
    url: 'https://shop.example.com/p/p1',
    image_url: 'https://cdn.example.com/p1.jpg',
  },
  {
    product_id: 'p2',
    name: 'Canvas "weekender" bag',
    price: 89.5,
    quantity: 2,
    url: 'https://shop.example.com/p/p2',
    image_url: 'https://cdn.example.com/p2.jpg',
  },
];
const recs = ['Leather belt', 'Wool socks', 'Straw hat', 'Sunglasses'].map((name, i) => ({
  name,
  price: 10 + i,
  url: `https://shop.example.com/p/r${i}`,
  image_url: `https://cdn.example.com/r${i}.jpg`,
}));

let server: SMTPServer;
let port: number;
const inbox: ParsedMail[] = [];
const raw: string[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const bytes = Buffer.concat(chunks);
        raw.push(bytes.toString('utf8'));
        simpleParser(bytes)
          .then((m) => inbox.push(m))
          .then(() => callback())
          .catch((e: unknown) => callback(e as Error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a cart reminder from consent to unsubscribe', () => {
  it('sends a well-formed, tracked e-mail and honours the one-click unsubscribe from its header', async () => {
    // Consent from an identify call.
    const history: ConsentChange[] = consentFromTraits(
      { email_opt_in: true },
      NOW - 86_400_000,
    ).changes;
    let consents = foldStatements(history);
    expect(
      mayContact(consents, { channel: 'email', topic: 'cart', address: 'zoe@example.com' }),
    ).toEqual({ kind: 'ok' });

    // Render for this person.
    const unsubscribeToken = signToken(
      {
        workspaceId: 'ws_1',
        profileId: 'prof_zoe',
        purpose: 'unsubscribe',
        exp: NOW + 90 * 86_400_000,
        channel: 'email',
        messageId: 'msg_1',
      },
      SECRET,
    );
    const links = {
      unsubscribe: `https://rapport.example.com/u/${unsubscribeToken}`,
      preferences: 'https://rapport.example.com/preferences/PREFTOKEN',
    };
    const context: TemplateContext = {
      profile: {
        id: 'prof_zoe',
        traits: { first_name: 'Zoë', email: 'zoe@example.com' },
        computed: {},
      },
      event: {
        event: 'Product Added',
        properties: {
          cart_id: 'c1',
          currency: 'EUR',
          cart_url: 'https://shop.example.com/cart/c1',
          products,
        },
      },
      links,
      workspace: {
        name: 'Maison & Co',
        website: 'https://shop.example.com',
        logo: 'https://cdn.example.com/logo.png',
      },
    };
    const asked: RecommendRequest[] = [];
    const compiled = compileTemplate(template, new TemplateEngine());
    if (compiled.kind !== 'ok') throw new Error(JSON.stringify(compiled.errors));
    const rendered = await renderTemplate(compiled.compiled, context, {
      personalized: mayPersonalize(consents),
      now: NOW,
      recommend: async (r) => {
        asked.push(r);
        return recs;
      },
    });
    if (rendered.kind !== 'ok') throw new Error(JSON.stringify(rendered.errors));
    expect(asked).toEqual([
      {
        strategy: 'bought_together',
        limit: 4,
        item_id: 'p1',
        personalized: true,
        profileId: 'prof_zoe',
      },
    ]);

    // Track links (not the unsubscribe and preference links) and opens.
    const tracked = rewriteLinks(
      rendered.fields.html!,
      (link) =>
        `https://rapport.example.com/c/${signClickToken({ messageId: 'msg_1', profileId: 'prof_zoe', linkIndex: link.index, url: link.url, exp: NOW + 180 * 86_400_000 }, SECRET)}`,
      {
        exclude: [links.unsubscribe, links.preferences],
        openPixelUrl: `https://rapport.example.com/o/${signOpenToken({ messageId: 'msg_1', profileId: 'prof_zoe', exp: NOW + 180 * 86_400_000 }, SECRET)}.gif`,
      },
    );
    // Logo, two products, the call to action, and two links per recommended item.
    expect(tracked.links.map((l) => l.url)).toEqual([
      'https://shop.example.com?utm_source=email&utm_campaign=cart',
      'https://shop.example.com/p/p1?utm_source=email&utm_campaign=cart',
      'https://shop.example.com/p/p2?utm_source=email&utm_campaign=cart',
      'https://shop.example.com/cart/c1',
      ...recs.flatMap((r, i) =>
        [0, 1].map(() => `${r.url}?utm_source=email&utm_campaign=cart_recs&pos=${i + 1}`),
      ),
    ]);

    // Send over SMTP.
    const sender = new EmailSender(`smtp://127.0.0.1:${port}`);
    const result = await sender.send({
      from: { name: 'Maison & Co', address: 'hello@shop.example.com' },
      to: 'zoe@example.com',
      subject: rendered.fields.subject!,
      preheader: rendered.fields.preheader,
      html: tracked.html,
      text: rendered.fields.text,
      messageId: 'msg_1',
      unsubscribe: { url: links.unsubscribe, mailto: 'unsubscribe+msg_1@shop.example.com' },
    });
    sender.close();
    expect(result.kind).toBe('sent');

    const mail = inbox.at(-1)!;
    expect(mail.subject).toBe('Zoë, your cart is waiting');
    expect(mail.messageId).toBe('<msg_1@shop.example.com>');
    expect(mail.html).toContain('Hi Zoë, you left something behind');
    expect(mail.html).toContain('Canvas &#34;weekender&#34; bag</a><br>');
    expect(mail.html).toContain('2 × 89.5 EUR');
    expect(mail.html).toContain('>Straw hat</a>');
    expect(mail.html).toContain(`<a href="${links.unsubscribe}">Unsubscribe</a>`);
    expect(mail.html).toMatch(/<body><div style="display:none;[^"]*">2 items saved for you/);
    expect(mail.text?.trim()).toBe(
      `Hi Zoë,\n- Linen shirt\n- Canvas "weekender" bag\nhttps://shop.example.com/cart/c1\nUnsubscribe: ${links.unsubscribe}`,
    );

    // A click on the second product redirects to it.
    const clickUrl = /<a href="https:\/\/rapport\.example\.com\/c\/([^"]+)">Canvas/.exec(
      mail.html as string,
    )![1]!;
    expect(verifyClickToken(clickUrl, SECRET, NOW + 3_600_000)).toEqual({
      kind: 'ok',
      claims: {
        messageId: 'msg_1',
        profileId: 'prof_zoe',
        linkIndex: 2,
        url: 'https://shop.example.com/p/p2?utm_source=email&utm_campaign=cart',
        exp: NOW + 180 * 86_400_000,
      },
    });

    // The mail client POSTs to the https URL of List-Unsubscribe (RFC 8058).
    const header = raw.at(-1)!.replace(/\r\n[ \t]+/g, ' ');
    const oneClick = /^List-Unsubscribe: .*<(https:\/\/[^>]+)>/m.exec(header)![1]!;
    const token = oneClick.slice(oneClick.lastIndexOf('/') + 1);
    const later = NOW + 2 * 86_400_000;
    const verified = verifyToken(token, SECRET, { now: later, purpose: 'unsubscribe' });
    if (verified.kind !== 'ok') throw new Error(verified.reason);
    history.push({
      target: { kind: 'channel', channel: verified.claims.channel ?? 'email' },
      state: 'denied',
      source: 'unsubscribe',
      at: later,
    });
    consents = foldStatements(history);

    // Every later e-mail is refused; web push still goes.
    expect(mayContact(consents, { channel: 'email', topic: 'cart' })).toMatchObject({
      kind: 'refused',
      reason: 'channel_denied',
    });
    expect(mayContact(consents, { channel: 'email', topic: 'newsletter' })).toMatchObject({
      kind: 'refused',
      reason: 'channel_denied',
    });
    expect(mayContact(consents, { channel: 'push', topic: 'cart' })).toEqual({ kind: 'ok' });
    // An import of last year's opt-in arriving afterwards does not undo it.
    history.push(
      ...consentFromTraits({ email_opt_in: true }, NOW - 365 * 86_400_000, 'import').changes,
    );
    consents = foldStatements(history);
    expect(mayContact(consents, { channel: 'email' })).toMatchObject({
      kind: 'refused',
      reason: 'channel_denied',
    });
  });
});

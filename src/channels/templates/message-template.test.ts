import { describe, expect, it } from 'vitest';
import { validateTemplate } from './compile.js';

describe('MessageTemplate', () => {
  it.each([
    [{ subject: undefined }, 'subject', 'an e-mail needs a subject'],
    [{ text: undefined }, 'html', 'an e-mail needs html or text'],
    [
      { pushTitle: 'x' },
      'pushTitle',
      'email templates do not use pushTitle (they use subject, preheader, html, text)',
    ],
    [
      { nonPersonalized: { webhookBody: '{}' } },
      'nonPersonalized.webhookBody',
      'email templates do not use webhookBody (they use subject, preheader, html, text)',
    ],
    [
      { defaults: { 'profile.__proto__.x': 1 } },
      'defaults.profile.__proto__.x',
      'must not use __proto__, prototype or constructor',
    ],
    [
      { defaults: { 'profile traits': 1 } },
      'defaults.profile traits',
      'must be a dotted path of identifiers such as profile.traits.first_name',
    ],
    [
      { topic: 'Big Offers' },
      'topic',
      'must be 1-64 lower-case letters, digits, _ or -, starting with a letter or digit',
    ],
  ])('rejects %j naming the field', (over, field, message) => {
    const result = validateTemplate({
      id: 't',
      name: 'T',
      channel: 'email',
      subject: 'Hi',
      text: 'x',
      ...over,
    });
    expect(result.kind).not.toBe('ok');
    if (result.kind !== 'ok') expect(result.errors).toContainEqual({ field, message });
  });

  it('needs a title and body for push, and nothing else for webhook', () => {
    const push = validateTemplate({ id: 't', name: 'T', channel: 'push', pushTitle: 'x' });
    expect(push.kind === 'ok' ? [] : push.errors).toEqual([
      { field: 'pushBody', message: 'a push needs pushBody' },
    ]);
    expect(validateTemplate({ id: 't', name: 'T', channel: 'webhook' }).kind).toBe('ok');
  });
});

import { describe, expect, it } from 'vitest';
import { buildFromRecipe, JOURNEY_RECIPES, listRecipes } from './recipes/index.js';
import { validateJourney } from './validate.js';

const hook = 'http://127.0.0.1:9999/hook';

describe('recipe registry', () => {
  it('lists every recipe with a JSON schema of its parameters', () => {
    const list = listRecipes();
    expect(list.map((t) => t.id)).toEqual([
      'welcome_series',
      'browse_abandonment',
      'cart_abandonment',
      'post_purchase',
      'replenishment',
      'birthday',
      'win_back',
      'price_drop',
      'back_in_stock',
    ]);
    const cart = list.find((t) => t.id === 'cart_abandonment')!;
    expect(cart.params).toMatchObject({
      type: 'object',
      properties: {
        delay: { type: 'string', default: 'PT1H' },
        channel: { enum: ['webhook', 'email', 'push', 'preferred'], default: 'webhook' },
        webhookUrl: { type: 'string' },
      },
    });
    expect(list.find((t) => t.id === 'win_back')!.params.required).toEqual(['segmentId']);
  });

  it.each(JOURNEY_RECIPES.map((t) => [t.id]))(
    '%s builds a valid journey from its defaults',
    (id) => {
      const r = buildFromRecipe(id, id === 'win_back' ? { segmentId: 'lapsed' } : {});
      expect(r.kind).toBe('ok');
      if (r.kind === 'ok') {
        expect(r.value.id).toBe(id);
        expect(validateJourney(r.value).kind).toBe('ok');
      }
    },
  );

  it.each(JOURNEY_RECIPES.map((t) => [t.id]))(
    '%s builds a valid journey on every channel, with holdout',
    (id) => {
      for (const channel of ['email', 'push', 'preferred', 'webhook']) {
        const r = buildFromRecipe(id, {
          channel,
          holdoutPercent: 10,
          journeyId: `${id}-x`,
          ...(id === 'win_back' ? { segmentId: 's' } : {}),
        });
        expect(r.kind).toBe('ok');
        if (r.kind === 'ok') expect(r.value).toMatchObject({ id: `${id}-x`, holdoutPercent: 10 });
      }
    },
  );

  it('reports an unknown recipe and bad parameters with paths', () => {
    const unknown = buildFromRecipe('nope', {});
    expect(unknown.kind).not.toBe('ok');
    if (unknown.kind !== 'ok') expect(unknown.details[0]!.path).toBe('recipe');
    const bad = buildFromRecipe('cart_abandonment', {
      delay: '1h',
      channel: 'fax',
      webhookUrl: 'ftp://x',
      extra: 1,
    });
    expect(bad.kind).not.toBe('ok');
    if (bad.kind !== 'ok') {
      expect(bad.details.map((d) => d.path).sort()).toEqual([
        'params',
        'params.channel',
        'params.delay',
        'params.webhookUrl',
      ]);
    }
    const mismatch = buildFromRecipe('cart_abandonment', { channel: 'email', webhookUrl: hook });
    expect(mismatch).toEqual({
      kind: 'invalid',
      details: [{ path: 'params.webhookUrl', problem: 'only applies to channel "webhook"' }],
    });
  });
});

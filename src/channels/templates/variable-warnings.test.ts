import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile.js';
import { MessageTemplate } from './message-template.js';
import { variableWarnings } from './variable-warnings.js';

const compiled = (fields: Record<string, unknown>) => {
  const r = compileTemplate(
    MessageTemplate.parse({ id: 't', name: 't', channel: 'email', ...fields }),
  );
  if (r.kind !== 'ok') throw new Error(JSON.stringify(r.errors));
  return r.compiled;
};

const context = {
  profile: {
    id: 'p1',
    traits: { first_name: 'Ada', plan: 'pro' },
    computed: { order_count: 3, rfm: null, affinities: { category: [] } },
  },
  message: { id: 'm', items: [{ product_id: 'A-1', title: 'Boots' }] },
  links: { unsubscribe: 'https://x/u' },
};

describe('variableWarnings', () => {
  it('lists missing variables with the closest existing path', () => {
    const t = compiled({
      subject: 'Hi {{ profile.traits.frist_name }} ({{ profile.traits.plan }})',
      html: '<p>{{ profile.computed.ordr_count }} {{ profile.computed.rfm.code }} {{ message.items[0].title }} {{ message.items[1].title }} {{ frist_name }} {{ profile.traits.frist_name }}</p>',
    });
    expect(variableWarnings(t, context, true)).toEqual([
      { variable: 'profile.traits.frist_name', didYouMean: 'profile.traits.first_name' },
      { variable: 'profile.computed.ordr_count', didYouMean: 'profile.computed.order_count' },
      { variable: 'profile.computed.rfm.code' },
      { variable: 'message.items.1.title' },
      { variable: 'frist_name' },
    ]);
  });

  it('knows sizes, loop and block variables, assigns and declared defaults', () => {
    const t = compiled({
      defaults: { 'profile.traits.nickname': 'friend' },
      subject: 'Hello',
      html: '{% assign n = message.items.size %}{{ n }}{{ profile.traits.nickname }}{% for p in message.items %}{{ p.title }}{{ forloop.index }}{% endfor %}{% recommend strategy: "popular" %}{{ item.title }}{% endrecommend %}{{ profile.computed.affinities.category.first }}',
    });
    expect(variableWarnings(t, context, true)).toEqual([]);
  });

  it('checks a non-personalized render against what it may read', () => {
    const t = compiled({
      subject: '{{ profile.traits.first_name }} {{ profile.traits.plan }}',
      text: 'Hi',
    });
    expect(variableWarnings(t, context, false)).toEqual([{ variable: 'profile.traits.plan' }]);
  });
});

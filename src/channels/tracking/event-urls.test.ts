import { describe, expect, it } from 'vitest';
import { eventUrlWarnings } from './event-urls.js';

/** The variable each warning names, by path. */
const named = (fields: Parameters<typeof eventUrlWarnings>[0]) =>
  eventUrlWarnings(fields).map((w) => [w.path, /event data \(([^)]+)\)/.exec(w.problem)?.[1]]);

describe('eventUrlWarnings', () => {
  it.each([
    ['<a href="{{ event.properties.url }}">x</a>', 'event.properties.url'],
    ['<a href="{{event.properties.url|strip}}">x</a>', 'event.properties.url'],
    [
      '<a href=\'{{ event.properties.url | default: "https://shop.test" }}\'>x</a>',
      'event.properties.url',
    ],
    [
      '<a href="{{ event.properties.url | default: "https://shop.test" }}">x</a>',
      'event.properties.url',
    ],
    ['<AREA HREF={{event.url}}>', 'event.url'],
    ['<a href="https://{{ event.properties.sub }}.shop.test/">x</a>', 'event.properties.sub'],
    ['<a href="{{ event.properties.scheme }}://shop.test/">x</a>', 'event.properties.scheme'],
    ['<a href="{% if x %}{{ event.properties.url }}{% endif %}">x</a>', 'event.properties.url'],
    ['<a href="{{ profile.traits.website }}">x</a>', 'profile.traits.website'],
    ['<a href="{{ message.items[0].url }}">x</a>', 'message.items[0].url'],
    [
      '{% for p in event.properties.products %}<a href="{{ p.url }}">{{ p.name }}</a>{% endfor %}',
      'p.url',
    ],
    ['{% assign u = event.properties.url %}<a href="{{ u }}">x</a>', 'u'],
    ['{%- assign a = event.properties -%}{% assign u = a.url %}<a href="{{ u }}">x</a>', 'u'],
    ['{% capture u %}{{ event.properties.url }}{% endcapture %}<a href="{{ u }}">x</a>', 'u'],
  ])('warns on %s', (html, variable) => {
    expect(named({ html })).toEqual([['html', variable]]);
  });

  it.each([
    // The host is fixed: event data only chooses a path or a query on the shop.
    '<a href="https://shop.test/p/{{ event.properties.product_id }}">x</a>',
    '<a href="https://shop.test?r={{ event.properties.url | url_encode }}">x</a>',
    '<a href="//shop.test/{{ event.properties.path }}">x</a>',
    '<a href="{{ workspace.website }}/p/{{ event.properties.product_id }}">x</a>',
    // Not event data.
    '<a href="{{ links.unsubscribe }}">x</a>',
    '<a href="{{ workspace.website }}">x</a>',
    '{% recommend limit: 2 %}<a href="{{ item.url }}">{{ item.name }}</a>{% endrecommend %}',
    '{% assign u = "https://shop.test/event.url" %}<a href="{{ u }}">x</a>',
    // Not a link, or event data outside the href.
    '<img src="{{ event.properties.image }}"><p>{{ event.properties.url }}</p>',
    '<a title="{{ event.properties.url }}" href="https://shop.test/">x</a>',
    '<!-- <a href="{{ event.properties.url }}"> -->',
  ])('does not warn on %s', (html) => {
    expect(eventUrlWarnings({ html })).toEqual([]);
  });

  it('names the line of each link, and the push URL', () => {
    const html =
      '<p>Hi</p>\n<a href="https://shop.test/">ok</a>\n\n<a href="{{ event.url }}">x</a>';
    expect(eventUrlWarnings({ html }).map((w) => w.problem.split(':')[0])).toEqual(['line 4']);
    expect(named({ pushUrl: '{{ event.properties.url }}' })).toEqual([
      ['pushUrl', 'event.properties.url'],
    ]);
    expect(eventUrlWarnings({ pushUrl: 'https://shop.test/{{ event.properties.id }}' })).toEqual(
      [],
    );
    expect(
      eventUrlWarnings({ html: '<a href="{{ event.url }}">x</a>' }, 'nonPersonalized.')[0]!.path,
    ).toBe('nonPersonalized.html');
  });
});

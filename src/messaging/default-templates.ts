import type { MessageTemplateInput } from '../channels/index.js';

const footer = `<p style="font-size:12px;color:#666">You get this because you shop with us.
<a href="{{ links.preferences }}">Preferences</a> · <a href="{{ links.unsubscribe }}" data-rapport-no-track>Unsubscribe</a></p>`;

const items = `{% for item in message.items %}<li>{{ item.name | default: item.product_id }}{% if item.quantity %} × {{ item.quantity }}{% endif %}{% if item.price %} — {{ item.price }}{% endif %}</li>{% endfor %}`;

function email(
  id: string,
  name: string,
  subject: string,
  body: string,
  topic = 'offers',
): MessageTemplateInput {
  return {
    id,
    name,
    channel: 'email',
    topic,
    subject,
    preheader: name,
    html: `<p>Hi {{ profile.traits.first_name | default: "there" }},</p>${body}${footer}`,
  };
}

function push(
  id: string,
  name: string,
  title: string,
  body: string,
  topic = 'offers',
): MessageTemplateInput {
  return { id: `${id}.push`, name, channel: 'push', topic, pushTitle: title, pushBody: body };
}

/**
 * Starter messages for the journey templates, in a plain style a workspace replaces with
 * its own (`PUT /v1/templates/{id}`). They render for personalized and non-personalized
 * people alike: behavioural blocks sit in `{% recommend %}`, which falls back to
 * popular items when a person opted out of personalization.
 */
export const DEFAULT_TEMPLATES: MessageTemplateInput[] = [
  email(
    'cart_abandonment_reminder',
    'Cart reminder',
    'You left something in your cart',
    `<p>Your cart is waiting:</p><ul>${items}</ul><p>Goes well with:</p><ul>{% recommend strategy: "bought_together", limit: 3, item_id: message.items[0].product_id %}<li>{{ item.title | default: item.id }}</li>{% endrecommend %}</ul>`,
  ),
  push(
    'cart_abandonment_reminder',
    'Cart reminder',
    'Your cart is waiting',
    'You left {{ message.items.size }} item(s) in your cart.',
  ),
  email(
    'browse_abandonment',
    'Still looking?',
    'Still thinking it over?',
    `<p>Here is what you were looking at:</p><ul>${items}</ul>`,
  ),
  push(
    'browse_abandonment',
    'Still looking?',
    'Still thinking it over?',
    'The items you looked at are still here.',
  ),
  email('welcome_1', 'Welcome', 'Welcome!', '<p>Thanks for joining us.</p>', 'newsletter'),
  email(
    'welcome_2',
    'Welcome, part 2',
    'Getting the most out of your account',
    '<p>A few tips to get started.</p>',
    'newsletter',
  ),
  email(
    'welcome_3',
    'Welcome, part 3',
    'Picked for you',
    '<ul>{% recommend strategy: "popular", limit: 4 %}<li>{{ item.title | default: item.id }}</li>{% endrecommend %}</ul>',
    'newsletter',
  ),
  email(
    'post_purchase_thanks',
    'Thank you',
    'Thank you for your order',
    `<p>We got your order:</p><ul>${items}</ul>`,
  ),
  email(
    'post_purchase_review',
    'Review request',
    'How was your order?',
    '<p>Tell us what you think of your purchase.</p>',
  ),
  email(
    'post_purchase_complementary',
    'Complementary products',
    'Goes well with your order',
    '<ul>{% recommend strategy: "bought_together", limit: 4, item_id: message.items[0].product_id %}<li>{{ item.title | default: item.id }}</li>{% endrecommend %}</ul>',
  ),
  email(
    'replenishment_reminder',
    'Time to restock',
    'Running low?',
    `<p>Time to restock:</p><ul>${items}</ul>`,
  ),
  email(
    'birthday_greeting',
    'Happy birthday',
    'Happy birthday, {{ profile.traits.first_name | default: "friend" }}!',
    '<p>Have a wonderful day.</p>',
  ),
  push('birthday_greeting', 'Happy birthday', 'Happy birthday!', 'Have a wonderful day.'),
  email(
    'win_back_miss_you',
    'We miss you',
    'We miss you',
    '<p>It has been a while. Here is what is new.</p>',
  ),
  email(
    'win_back_incentive',
    'A little something',
    'A little something to welcome you back',
    '<p>Come back and see what is new.</p>',
  ),
  email(
    'price_drop_alert',
    'Price drop',
    'A price dropped',
    '<p>{{ event.properties.product_id }} is now {{ event.properties.new_price }} (was {{ event.properties.old_price }}).</p>',
  ),
  push(
    'price_drop_alert',
    'Price drop',
    'A price dropped',
    '{{ event.properties.product_id }} is now {{ event.properties.new_price }}.',
  ),
  email(
    'back_in_stock_alert',
    'Back in stock',
    'It is back in stock',
    '<p>{{ event.properties.product_id }} is available again.</p>',
  ),
  push(
    'back_in_stock_alert',
    'Back in stock',
    'Back in stock',
    '{{ event.properties.product_id }} is available again.',
  ),
];

import type { MessageTemplateInput } from '../channels/index.js';
import {
  button,
  heading,
  itemCards,
  itemLines,
  layout,
  paragraph,
  recommendCards,
  recommendLines,
  textLayout,
} from './email-layout.js';

const greeting = 'Hi {{ profile.traits.first_name | default: "there" }},';

interface Ready {
  id: string;
  name: string;
  subject: string;
  preheader: string;
  topic?: string;
  /** The HTML inside the card, and the same message as plain text. */
  html: string;
  text: string;
}

function email(r: Ready): MessageTemplateInput {
  return {
    id: r.id,
    name: r.name,
    channel: 'email',
    topic: r.topic ?? 'offers',
    subject: r.subject,
    preheader: r.preheader,
    html: layout(r.html),
    text: textLayout(r.text),
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

// Block arguments shared by the HTML and the text part, so both show the same items
// (the same call is asked once per message).
const CART_PICKS = 'strategy: "bought_together,popular", limit: 3, cart: message.items';
const VIEWED_PICKS = 'strategy: "similar,viewed_together,popular", limit: 3, cart: message.items';
const ORDER_PICKS = 'strategy: "bought_together,popular", limit: 4, cart: message.items';
const FOR_YOU = 'strategy: "personalized,trending,popular", limit: 4';
const ALTERNATIVES = 'strategy: "similar,popular", limit: 3, cart: message.items';

const shop = button('workspace.website', 'Visit the shop');
const shopText = '{% if workspace.website %}Visit the shop: {{ workspace.website }}{% endif %}';

/**
 * The ready-made messages of the journey recipes: an e-mail for each (product cards with
 * image, name, price and link; the brand's name, logo, colours and address from the
 * settings' `brand` section) and a push for the short reminders. A workspace gets them at
 * creation and replaces any of them with its own (`PUT /v1/templates/{id}`). They render
 * for personalized and non-personalized people alike: behavioural content sits in
 * `{% recommend %}`, which falls back to popular items when a person opted out.
 */
export const DEFAULT_TEMPLATES: MessageTemplateInput[] = [
  email({
    id: 'cart_abandonment_reminder',
    name: 'Cart reminder',
    subject: 'You left something in your cart',
    preheader: 'Your cart at {{ workspace.name | default: "our shop" }} is saved for you.',
    html:
      heading('Your cart is waiting') +
      paragraph(greeting) +
      paragraph('You left these in your cart. They are saved for you, whenever you are ready.') +
      itemCards('message.items') +
      button('links.cart', 'Return to your cart') +
      recommendCards(CART_PICKS, 'Goes well with'),
    text:
      `${greeting}\n\nYou left these in your cart:\n${itemLines('message.items')}\n` +
      '{% if links.cart %}Return to your cart: {{ links.cart }}\n{% endif %}' +
      recommendLines(CART_PICKS, 'Goes well with:'),
  }),
  push(
    'cart_abandonment_reminder',
    'Cart reminder',
    'Your cart is waiting',
    'You left {{ message.items.size }} item(s) in your cart.',
  ),
  email({
    id: 'browse_abandonment',
    name: 'Still looking?',
    subject: 'Still thinking it over?',
    preheader: 'The items you looked at are still here.',
    html:
      heading('Still thinking it over?') +
      paragraph(greeting) +
      paragraph('Here is what you were looking at:') +
      itemCards('message.items') +
      recommendCards(VIEWED_PICKS, 'You may also like') +
      shop,
    text:
      `${greeting}\n\nHere is what you were looking at:\n${itemLines('message.items')}` +
      `${recommendLines(VIEWED_PICKS, 'You may also like:')}\n${shopText}`,
  }),
  push(
    'browse_abandonment',
    'Still looking?',
    'Still thinking it over?',
    'The items you looked at are still here.',
  ),
  email({
    id: 'welcome_1',
    name: 'Welcome',
    subject: 'Welcome to {{ workspace.name | default: "our shop" }}!',
    preheader: 'Thanks for joining us.',
    topic: 'newsletter',
    html:
      heading('Welcome!') +
      paragraph(greeting) +
      paragraph('Thanks for joining us. We are glad you are here.') +
      shop,
    text: `${greeting}\n\nThanks for joining us. We are glad you are here.\n\n${shopText}`,
  }),
  email({
    id: 'welcome_2',
    name: 'Welcome, part 2',
    subject: 'Getting the most out of your account',
    preheader: 'A few tips to get started.',
    topic: 'newsletter',
    html:
      heading('Getting started') +
      paragraph(greeting) +
      paragraph(
        'A few tips: save what you like to your cart, and check your preferences to hear about what matters to you.',
      ) +
      button('links.preferences', 'Choose what you hear about'),
    text:
      `${greeting}\n\nA few tips: save what you like to your cart, and check your preferences ` +
      'to hear about what matters to you.\n\nYour preferences: {{ links.preferences }}',
  }),
  email({
    id: 'welcome_3',
    name: 'Welcome, part 3',
    subject: 'Picked for you',
    preheader: 'A few favourites from the shop.',
    topic: 'newsletter',
    html:
      heading('Picked for you') +
      paragraph(greeting) +
      recommendCards('strategy: "popular", limit: 4', 'Our customers love these') +
      shop,
    text:
      `${greeting}\n${recommendLines('strategy: "popular", limit: 4', 'Our customers love these:')}` +
      `\n${shopText}`,
  }),
  email({
    id: 'post_purchase_thanks',
    name: 'Thank you',
    subject: 'Thank you for your order',
    preheader: 'We got your order.',
    html:
      heading('Thank you for your order') +
      paragraph(greeting) +
      paragraph('We got your order:') +
      itemCards('message.items'),
    text: `${greeting}\n\nWe got your order:\n${itemLines('message.items')}`,
  }),
  email({
    id: 'post_purchase_review',
    name: 'Review request',
    subject: 'How was your order?',
    preheader: 'Tell us what you think.',
    html:
      heading('How was your order?') +
      paragraph(greeting) +
      paragraph('Tell us what you think of your purchase:') +
      itemCards('message.items') +
      shop,
    text: `${greeting}\n\nTell us what you think of your purchase:\n${itemLines('message.items')}\n${shopText}`,
  }),
  email({
    id: 'post_purchase_complementary',
    name: 'Complementary products',
    subject: 'Goes well with your order',
    preheader: 'A few things that go with what you bought.',
    html:
      heading('Goes well with your order') +
      paragraph(greeting) +
      recommendCards(ORDER_PICKS, 'Picked to go with it') +
      shop,
    text: `${greeting}\n${recommendLines(ORDER_PICKS, 'Picked to go with it:')}\n${shopText}`,
  }),
  email({
    id: 'replenishment_reminder',
    name: 'Time to restock',
    subject: 'Running low?',
    preheader: 'Time to restock.',
    html:
      heading('Running low?') +
      paragraph(greeting) +
      paragraph('It may be time to restock:') +
      itemCards('message.items') +
      shop,
    text: `${greeting}\n\nIt may be time to restock:\n${itemLines('message.items')}\n${shopText}`,
  }),
  email({
    id: 'birthday_greeting',
    name: 'Happy birthday',
    subject: 'Happy birthday, {{ profile.traits.first_name | default: "friend" }}!',
    preheader: 'Have a wonderful day.',
    html:
      heading('Happy birthday!') + paragraph(greeting) + paragraph('Have a wonderful day.') + shop,
    text: `${greeting}\n\nHave a wonderful day.\n\n${shopText}`,
  }),
  push('birthday_greeting', 'Happy birthday', 'Happy birthday!', 'Have a wonderful day.'),
  email({
    id: 'win_back_miss_you',
    name: 'We miss you',
    subject: 'We miss you',
    preheader: 'Here is what is new.',
    html:
      heading('We miss you') +
      paragraph(greeting) +
      paragraph('It has been a while. Here is what is new:') +
      recommendCards(FOR_YOU, 'Picked for you') +
      shop,
    text: `${greeting}\n\nIt has been a while.\n${recommendLines(FOR_YOU, 'Picked for you:')}\n${shopText}`,
  }),
  email({
    id: 'win_back_incentive',
    name: 'A little something',
    subject: 'A little something to welcome you back',
    preheader: 'Come back and see what is new.',
    html:
      heading('Welcome back') +
      paragraph(greeting) +
      paragraph('Come back and see what is new.') +
      recommendCards(FOR_YOU, 'Picked for you') +
      shop,
    text: `${greeting}\n\nCome back and see what is new.\n${recommendLines(FOR_YOU, 'Picked for you:')}\n${shopText}`,
  }),
  email({
    id: 'price_drop_alert',
    name: 'Price drop',
    subject: 'A price dropped',
    preheader: 'Something you looked at costs less now.',
    html:
      heading('A price dropped') +
      paragraph(greeting) +
      paragraph('Something you looked at costs less now:') +
      itemCards('message.items'),
    text: `${greeting}\n\nSomething you looked at costs less now:\n${itemLines('message.items')}`,
  }),
  push(
    'price_drop_alert',
    'Price drop',
    'A price dropped',
    '{{ message.items[0].name | default: event.properties.product_id }} is now {{ event.properties.new_price }}.',
  ),
  email({
    id: 'back_in_stock_alert',
    name: 'Back in stock',
    subject: 'It is back in stock',
    preheader: 'Something you wanted is available again.',
    html:
      heading('It is back in stock') +
      paragraph(greeting) +
      paragraph('Something you wanted is available again:') +
      itemCards('message.items') +
      recommendCards(ALTERNATIVES, 'Similar items'),
    text: `${greeting}\n\nSomething you wanted is available again:\n${itemLines('message.items')}`,
  }),
  push(
    'back_in_stock_alert',
    'Back in stock',
    'Back in stock',
    '{{ message.items[0].name | default: event.properties.product_id }} is available again.',
  ),
];

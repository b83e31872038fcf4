// The markup of the ready-made e-mails, written as Liquid over `workspace.*` (the brand
// settings), `links.*` and the message's items. Hand-written table markup, as e-mail
// clients need it: tables with role="presentation" for layout (Outlook on Windows renders
// with Word and ignores most CSS layout), every style inline (Gmail drops <style> in some
// views), one column at most 600 px wide that shrinks on a phone, images with width,
// alt text and display:block. No external CSS, fonts or scripts.

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const TEXT = `${FONT};font-size:16px;line-height:24px;color:{{ workspace.colors.text }}`;
const MUTED = `${FONT};font-size:13px;line-height:20px;color:#6b7280`;
const TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';

/** A paragraph of body text. */
export function paragraph(html: string): string {
  return `<p style="margin:0 0 16px;${TEXT}">${html}</p>`;
}

/** A heading at the top of the message's card. */
export function heading(html: string): string {
  return `<h1 style="margin:0 0 16px;${FONT};font-size:24px;line-height:30px;font-weight:700;color:{{ workspace.colors.text }}">${html}</h1>`;
}

/** A smaller heading above a group of product cards. */
export function subheading(html: string): string {
  return `<h2 style="margin:24px 0 8px;${FONT};font-size:18px;line-height:24px;font-weight:700;color:{{ workspace.colors.text }}">${html}</h2>`;
}

/**
 * A call-to-action button: a link styled as a block, inside a table cell carrying the
 * colour (so it shows as a button in Outlook too). `href` is a Liquid expression; no
 * button when it is empty.
 */
export function button(href: string, label: string): string {
  return (
    `{% assign rp_href = ${href} %}{% if rp_href != blank %}` +
    `<table ${TABLE} style="margin:8px 0 16px"><tr>` +
    `<td align="center" bgcolor="{{ workspace.colors.primary }}" style="border-radius:6px;background:{{ workspace.colors.primary }}">` +
    `<a href="{{ rp_href }}" data-rapport-button style="display:inline-block;padding:12px 24px;${FONT};font-size:16px;line-height:20px;font-weight:600;color:{{ workspace.colors.button_text }};text-decoration:none;border-radius:6px">${label}</a>` +
    `</td></tr></table>{% endif %}`
  );
}

/**
 * One product card per row, for the Liquid variable `v`: image (linked, with the name
 * as its alt text), name, quantity when given, and price with currency. Fields follow
 * Segment's product properties (`name`, `url`, `image_url`, `price`, `currency`), which
 * run items (completed from the catalog) and recommended items both have.
 */
export function productCard(v: string): string {
  return (
    `{% assign rp_currency = ${v}.currency | default: workspace.currency %}` +
    `{% assign rp_link = ${v}.url | default: workspace.website %}` +
    `<tr><td data-product-card style="padding:12px 0;border-top:1px solid #e5e7eb">` +
    `<table ${TABLE} width="100%"><tr>` +
    `<td width="104" valign="top" style="width:104px;padding-right:16px">` +
    `{% if ${v}.image_url %}<a href="{{ rp_link }}"><img src="{{ ${v}.image_url }}" alt="{{ ${v}.name }}" width="104" style="display:block;width:104px;max-width:104px;height:auto;border:0;border-radius:6px"></a>` +
    `{% else %}<div style="width:104px;height:104px;border-radius:6px;background:{{ workspace.colors.background }}"></div>{% endif %}` +
    `</td><td valign="top" style="${TEXT}">` +
    `<a href="{{ rp_link }}" style="color:{{ workspace.colors.text }};font-weight:600;text-decoration:none">{{ ${v}.name }}</a>` +
    `{% if ${v}.quantity and ${v}.quantity != 1 %}<div style="${MUTED}">Quantity: {{ ${v}.quantity }}</div>{% endif %}` +
    `{% if ${v}.price != nil %}<div data-price style="${FONT};font-size:16px;line-height:24px;font-weight:700;color:{{ workspace.colors.primary }}">{{ ${v}.price | money: rp_currency, workspace.locale }}</div>{% endif %}` +
    `{% if rp_link != blank %}<a href="{{ rp_link }}" style="${FONT};font-size:14px;line-height:20px;color:{{ workspace.colors.primary }}">View</a>{% endif %}` +
    `</td></tr></table></td></tr>`
  );
}

/** Product cards for every item of a Liquid list expression (the run's cart or order). */
export function itemCards(list: string): string {
  return `<table ${TABLE} width="100%">{% for item in ${list} %}${productCard('item')}{% endfor %}</table>`;
}

/**
 * A `{% recommend %}` block as product cards under a heading; nothing at all (heading
 * included) when the engine has no item, so an empty block never shows a bare title.
 */
export function recommendCards(args: string, title: string): string {
  return (
    `{% recommend ${args} %}` +
    `{% if forloop.first %}${subheading(title)}<table ${TABLE} width="100%">{% endif %}` +
    productCard('item') +
    `{% if forloop.last %}</table>{% endif %}` +
    `{% endrecommend %}`
  );
}

/**
 * The whole HTML document around a body: the brand's logo (or name) linking to the
 * shop, the body in a card, and a footer with the shop's postal address and the
 * preference and unsubscribe links. The ghost table in conditional comments holds
 * Outlook on Windows, which ignores max-width, to 600 px.
 */
export function layout(body: string): string {
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="x-apple-disable-message-reformatting">' +
    '<title>{{ workspace.name }}</title></head>' +
    `<body style="margin:0;padding:0;background:{{ workspace.colors.background }}">` +
    `<table ${TABLE} width="100%" style="background:{{ workspace.colors.background }}"><tr><td align="center" style="padding:24px 8px">` +
    `<!--[if mso]><table ${TABLE} width="600" align="center"><tr><td><![endif]-->` +
    `<table ${TABLE} width="100%" style="width:100%;max-width:600px">` +
    // Header: the logo, else the shop's name.
    `<tr><td align="center" style="padding:0 0 16px">` +
    `{% if workspace.website %}<a href="{{ workspace.website }}" style="text-decoration:none">{% endif %}` +
    `{% if workspace.logo %}<img src="{{ workspace.logo }}" alt="{{ workspace.name | default: 'Logo' }}" width="160" style="display:block;width:160px;max-width:160px;height:auto;border:0">` +
    `{% else %}<span style="${FONT};font-size:22px;line-height:28px;font-weight:700;color:{{ workspace.colors.text }}">{{ workspace.name }}</span>{% endif %}` +
    `{% if workspace.website %}</a>{% endif %}` +
    `</td></tr>` +
    // The card.
    `<tr><td style="background:{{ workspace.colors.surface }};border-radius:8px;padding:24px">${body}</td></tr>` +
    // Footer.
    `<tr><td align="center" style="padding:16px 8px;${MUTED}">` +
    `{% if workspace.name != blank %}<div style="font-weight:600">{{ workspace.name }}</div>{% endif %}` +
    `{% for line in workspace.address %}<div>{{ line }}</div>{% endfor %}` +
    `<div style="padding-top:8px">You get this because you shop with us. ` +
    `<a href="{{ links.preferences }}" style="color:#6b7280">Preferences</a> · ` +
    `<a href="{{ links.unsubscribe }}" data-rapport-no-track style="color:#6b7280">Unsubscribe</a></div>` +
    `</td></tr></table>` +
    `<!--[if mso]></td></tr></table><![endif]-->` +
    `</td></tr></table></body></html>`
  );
}

/** The plain-text part around a body: the shop's name first, its address and links last. */
export function textLayout(body: string): string {
  return (
    '{{ workspace.name }}\n\n' +
    body.trim() +
    '\n\n--\n{{ workspace.name }}\n{% for line in workspace.address %}{{ line }}\n{% endfor %}' +
    'Preferences: {{ links.preferences }}\nUnsubscribe: {{ links.unsubscribe }}\n'
  );
}

/** Text lines for the items of a list expression: name, quantity, price and link. */
export function itemLines(list: string): string {
  return `{% for item in ${list} %}${textLine('item')}{% endfor %}`;
}

/** One text line per item of a `{% recommend %}` block, under a title. */
export function recommendLines(args: string, title: string): string {
  return `{% recommend ${args} %}{% if forloop.first %}\n${title}\n{% endif %}${textLine('item')}{% endrecommend %}`;
}

function textLine(v: string): string {
  return (
    `{% assign rp_currency = ${v}.currency | default: workspace.currency %}` +
    `- {{ ${v}.name }}{% if ${v}.quantity and ${v}.quantity != 1 %} × {{ ${v}.quantity }}{% endif %}` +
    `{% if ${v}.price != nil %}: {{ ${v}.price | money: rp_currency, workspace.locale }}{% endif %}` +
    `{% if ${v}.url %}\n  {{ ${v}.url }}{% endif %}\n`
  );
}

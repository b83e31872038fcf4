// Formatters are costly to build and a send renders the same currency many times.
const formatters = new Map<string, Intl.NumberFormat>();
const CACHED_FORMATTERS = 200;

function formatter(currency: string, locale: string): Intl.NumberFormat | null {
  const key = `${locale}\u0000${currency}`;
  let f = formatters.get(key);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // An unknown locale or a currency that is not an ISO 4217 code.
      return null;
    }
    if (formatters.size >= CACHED_FORMATTERS) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/**
 * `{{ item.price | money: item.currency }}` → `£3.75`; `| money: "EUR", "de-DE"` → `3,75 €`.
 * Text that is not a number renders as it is, anything else as nothing; without a valid currency the amount is
 * shown with two decimals and the code after it (`3.75 XYZ`), so a typo never hides a
 * price. The locale defaults to `en-US`.
 */
export function money(value: unknown, currency?: unknown, locale?: unknown): string {
  const amount = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    return typeof value === 'string' ? value : '';
  }
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  const tag = typeof locale === 'string' && locale.trim() !== '' ? locale.trim() : 'en-US';
  const f = /^[A-Z]{3}$/.test(code) ? formatter(code, tag) : null;
  if (f) return f.format(amount);
  const plain = amount.toFixed(2);
  return code ? `${plain} ${code}` : plain;
}

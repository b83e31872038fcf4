// Anything shaped like local@domain.tld, inside angle brackets or bare. Errs towards
// redacting: a log line may lose a token that only looked like an address.
const EMAIL = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+\.[^\s<>()[\]"',;:@]+/g;
const MAX_CHARS = 300;

/**
 * Text fit for a log line: e-mail addresses replaced and at most 300 characters. For
 * messages that other systems wrote (an SMTP server's "550 <ada@example.com>: no such
 * user"), which may name the person; logs are read by more people than the data.
 * @example
 * redactContacts('550 <ada@example.com>: unknown'); // '550 <[email]>: unknown'
 */
export function redactContacts(text: string): string {
  const clean = text.replace(EMAIL, '[email]');
  return clean.length > MAX_CHARS ? `${clean.slice(0, MAX_CHARS)}…` : clean;
}

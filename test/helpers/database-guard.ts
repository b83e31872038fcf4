/**
 * Tests create and drop databases. Refuse any database whose name lacks "test", so a
 * mistyped TEST_DATABASE_URL can never point the suite at real data.
 */
export function assertTestDatabase(url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!name.toLowerCase().includes('test')) {
    throw new Error(
      `Refusing to use database "${name}" for tests: its name must contain "test". ` +
        'Set TEST_DATABASE_URL to e.g. postgres://127.0.0.1:5432/test.',
    );
  }
  return name;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

import { describe, expect, it } from 'vitest';
import { defaultPublicUrl } from './public-url.js';

describe('defaultPublicUrl', () => {
  it.each([
    ['127.0.0.1', 4700, 'http://127.0.0.1:4700'],
    ['127.0.0.1', 5123, 'http://127.0.0.1:5123'],
    ['0.0.0.0', 8080, 'http://127.0.0.1:8080'],
    ['::', 8080, 'http://127.0.0.1:8080'],
    ['::1', 9000, 'http://[::1]:9000'],
    ['rapport.internal', 80, 'http://rapport.internal:80'],
  ])('%s port %i -> %s', (host, port, url) => {
    expect(defaultPublicUrl(host, port)).toBe(url);
  });
});

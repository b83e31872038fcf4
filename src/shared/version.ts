import { readFileSync } from 'node:fs';

// Read once at load: package.json sits two levels above both src/shared and dist/shared.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const VERSION: string = pkg.version;

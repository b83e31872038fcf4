#!/usr/bin/env node
// The published entry point runs the compiled CLI; `npm install` builds dist/ through `prepare`.
import('../dist/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('rapport: dist/ is missing; run `npm run build` (or `npm install`) first.');
    process.exit(1);
  }
  throw error;
});

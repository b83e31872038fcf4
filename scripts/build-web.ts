import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const root = fileURLToPath(new URL('../web', import.meta.url));

/** Where `rapport start` looks for the dashboard (src/server/web.ts). */
export const WEB_OUT_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));

/**
 * Builds the dashboard (web/) into `outDir`: hashed files under `assets/`, which the
 * server caches as immutable, and an `index.html` that is never cached.
 */
export async function buildWeb(outDir = WEB_OUT_DIR): Promise<void> {
  await build({
    root,
    configFile: false,
    // Always the production build of React, even when run from a test (NODE_ENV=test).
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    logLevel: 'warn',
    plugins: [react()],
    base: '/',
    build: { outDir, emptyOutDir: true, assetsDir: 'assets', sourcemap: true },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? WEB_OUT_DIR;
  await buildWeb(outDir);
  console.log(`dashboard built into ${outDir}`);
}

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
  // Always the production build: under a test runner NODE_ENV is 'test', which would
  // make Vite and the React plugin emit development code (the JSX dev runtime).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildIt(outDir);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

async function buildIt(outDir: string): Promise<void> {
  await build({
    root,
    configFile: false,
    mode: 'production',
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

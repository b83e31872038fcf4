import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The browser script of on-site slots, as served: its bytes, gzipped bytes and ETag. */
export interface SdkScript {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

/**
 * The compiled `src/sdk/rapport.ts`. A built server reads `dist/sdk/rapport.js` (written
 * by `npm run build`); run from source (tsx, the tests) there is no compiled file, so
 * it is compiled here with the same tsconfig (TypeScript is a dev dependency, present
 * whenever the sources run). A built server without the file refuses to start guessing.
 */
export async function loadSdkScript(): Promise<SdkScript> {
  const built = new URL('../sdk/rapport.js', import.meta.url);
  let text: string;
  try {
    text = await readFile(built, 'utf8');
  } catch (error) {
    if (!import.meta.url.endsWith('.ts')) {
      throw new Error(
        `${fileURLToPath(built)} is missing: run \`npm run build\`, which compiles src/sdk/rapport.ts.`,
        { cause: error },
      );
    }
    text = await compileFromSource();
  }
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { body, gzipped: gzipSync(body, { level: 9 }), etag: `"${hash}"` };
}

async function compileFromSource(): Promise<string> {
  const { default: ts } = await import('typescript');
  const dir = fileURLToPath(new URL('../sdk/', import.meta.url));
  const configFile = ts.readConfigFile(`${dir}tsconfig.json`, (path) => ts.sys.readFile(path));
  const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
  const source = await readFile(`${dir}rapport.ts`, 'utf8');
  return ts.transpileModule(source, { compilerOptions: config.options, fileName: 'rapport.ts' })
    .outputText;
}

/** Whether an If-None-Match header names this ETag (a list, weak forms and `*` too). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

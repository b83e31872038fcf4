import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/index.js';

const Manifest = z.object({ version: z.string() });

/** The npm package whose standalone build Rapport serves as analytics.js. */
export const ANALYTICS_NEXT_PACKAGE = '@segment/analytics-next';

export interface BundleFile {
  body: Buffer;
  /** The same bytes gzip-compressed, as the package ships them; null if it does not. */
  gzip: Buffer | null;
}

export interface SdkBundle {
  version: string;
  /** `standalone.js`: what Segment's CDN serves as `analytics.min.js`. */
  standalone: BundleFile;
  /** The chunks it loads from `<cdn>/analytics-next/bundles/`, and their source maps, by name. */
  files: Map<string, BundleFile>;
}

/** The names a chunk may have: webpack's `<name>.bundle.<hash>.js` and their maps. */
const SERVED = /^[A-Za-z0-9_-]+\.bundle\.[0-9a-f]+\.js(\.map)?$/;

/**
 * Reads analytics-next's UMD build (`dist/umd`) once, into memory: a few hundred KB,
 * served byte for byte, so a site needs no Segment CDN. The file names come from the
 * package's own directory, so a request can only ever name one of them.
 */
export class SdkBundleFiles {
  private loading: Promise<SdkBundle | null> | null = null;

  get(): Promise<SdkBundle> {
    this.loading ??= load();
    return this.loading.then((bundle) => {
      if (bundle) return bundle;
      throw new AppError(
        'sdk_not_installed',
        503,
        `This Rapport was installed without ${ANALYTICS_NEXT_PACKAGE}, so it cannot serve analytics.js: load it from Segment's CDN with cdnURL pointing at Rapport (docs/sdk.md), or install the package.`,
      );
    });
  }
}

async function load(): Promise<SdkBundle | null> {
  let dir: string;
  let version: string;
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve(`${ANALYTICS_NEXT_PACKAGE}/package.json`);
    version = Manifest.parse(JSON.parse(await readFile(manifest, 'utf8'))).version;
    dir = path.join(path.dirname(manifest), 'dist', 'umd');
  } catch {
    return null;
  }
  const names = new Set(await readdir(dir));
  const read = async (name: string): Promise<BundleFile> => ({
    body: await readFile(path.join(dir, name)),
    gzip: names.has(`${name}.gz`) ? await readFile(path.join(dir, `${name}.gz`)) : null,
  });
  if (!names.has('standalone.js')) return null;
  const files = new Map<string, BundleFile>();
  for (const name of names) if (SERVED.test(name)) files.set(name, await read(name));
  return { version, standalone: await read('standalone.js'), files };
}

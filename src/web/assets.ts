import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The UI's static files, read once at start-up from src/web/assets (dist/web/assets once built) and served under
 * content-hashed names with a year-long, immutable cache lifetime: a new release changes the names, so browsers
 * never keep a stale script. `/embed.js` keeps a stable name for embedders and a short lifetime.
 */
export interface Asset {
  /** The public path, e.g. /assets/app.3f2a91c0de.css */
  path: string;
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };
const FILES = ['app.css', 'app.js', 'embed.js', 'explorer.js'] as const;
export type AssetName = (typeof FILES)[number];

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export function loadAssets(): Map<AssetName, Asset> {
  const dir = new URL('./assets/', import.meta.url);
  const assets = new Map<AssetName, Asset>();
  for (const name of FILES) {
    const body = readFileSync(new URL(name, dir));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const [base, ext] = name.split('.') as [string, string];
    assets.set(name, { path: `/assets/${base}.${hash}.${ext}`, body, contentType: TYPES[ext]! });
  }
  return assets;
}

import type { Context, Hono } from 'hono';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { HttpEnv } from './env.ts';

/**
 * The built web app: `/assets/*` compressed (brotli, else gzip, as the client accepts) and cached for a year when
 * the name carries Vite's content hash (`index-P-hfF5Nu.js`: a new build is a new name), `no-cache` otherwise;
 * every other path is index.html (client routes work on reload), `no-cache` so a new build is seen at once.
 * Files are read and compressed once per process (the bundle is a few hundred KB; brotli at its best level once).
 */

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
/** Already compressed: sent as they are. */
const compressedTypes = new Set(['.png', '.ico', '.woff2']);
/** Vite's `[name]-[hash].[ext]`: eight characters of base64url before the extension. */
const hashedName = /-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Encoded {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  mtimeMs: number;
}

export function mountWebApp(app: Hono<HttpEnv>, distDir: string): void {
  const root = resolve(distDir);
  const cache = new Map<string, Encoded>();

  const load = (file: string): Encoded => {
    const mtimeMs = statSync(file).mtimeMs;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit;
    const identity = readFileSync(file);
    const entry: Encoded = { identity, mtimeMs };
    if (!compressedTypes.has(extname(file)) && identity.length > 1024) {
      entry.br = brotliCompressSync(identity, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
      });
      entry.gzip = gzipSync(identity, { level: 9 });
    }
    cache.set(file, entry);
    return entry;
  };

  const send = (c: Context<HttpEnv>, file: string, cacheControl: string): Response => {
    const entry = load(file);
    const accepts = (c.req.header('accept-encoding') ?? '').toLowerCase();
    const [encoding, body] =
      entry.br && /\bbr\b/.test(accepts)
        ? ['br', entry.br]
        : entry.gzip && /\bgzip\b/.test(accepts)
          ? ['gzip', entry.gzip]
          : [undefined, entry.identity];
    c.header('Content-Type', types[extname(file)] ?? 'application/octet-stream');
    c.header('Cache-Control', cacheControl);
    if (entry.br) c.header('Vary', 'Accept-Encoding');
    if (encoding) c.header('Content-Encoding', encoding);
    c.header('Content-Length', String(body.length));
    return c.body(new Uint8Array(body));
  };

  app.get('/assets/*', async (c, next) => {
    const file = resolve(root, `.${decodeURIComponent(c.req.path)}`);
    // Only files under dist/assets: no `..` out of it, no directories.
    if (!file.startsWith(join(root, 'assets') + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
    return send(c, file, hashedName.test(file) ? IMMUTABLE : 'no-cache');
  });

  app.get('*', (c) => {
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      return c.html(
        '<p>The web app is not built yet. Run <code>npm run build</code> (npm start does it for you).</p>',
        503,
      );
    }
    return send(c, index, 'no-cache');
  });
}

import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppError } from '../core/errors.ts';
import { webDistDir } from '../http/app.ts';

/**
 * The web app a server serves is built by `npm run build` into web/dist. `start` (the laptop and demo
 * shape) builds it when it is missing; `serve` (production, possibly several behind a load balancer that
 * would race to write the same files) refuses instead, in one line that says which command to run.
 */
export async function requireWebBuild(options: { buildIfMissing: boolean; dir?: string }): Promise<void> {
  const dir = options.dir ?? webDistDir;
  const index = join(dir, 'index.html');
  if (existsSync(index)) return;
  const where = relative(process.cwd(), index) || index;
  if (!options.buildIfMissing)
    throw new AppError('WEB_NOT_BUILT', `The web app is not built (${where} is missing): run \`npm run build\` first`);
  let build: (typeof import('vite'))['build'];
  try {
    ({ build } = await import('vite'));
  } catch {
    throw new AppError(
      'WEB_NOT_BUILT',
      `The web app is not built (${where} is missing) and Vite, which builds it, is not installed: run \`npm install\`, then \`npm run build\``,
    );
  }
  console.error('Building the web app (first start)…');
  await build({ configFile: join(dir, '..', 'vite.config.ts'), logLevel: 'warn' });
}

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../core/errors.ts';
import { requireWebBuild } from './web-build.ts';

test('serve without a built web app: one line naming the missing file and `npm run build`', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tradeloop-web-'));
  try {
    const dist = join(root, 'web', 'dist');
    await assert.rejects(requireWebBuild({ buildIfMissing: false, dir: dist }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'WEB_NOT_BUILT');
      assert.match(error.message, /index\.html is missing/);
      assert.match(error.message, /npm run build/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    await requireWebBuild({ buildIfMissing: false, dir: dist });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

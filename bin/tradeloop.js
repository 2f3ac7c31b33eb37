#!/usr/bin/env node
// The `tradeloop` command. Tradeloop runs TypeScript natively, which needs Node 24; on an older Node
// this shim re-runs the command with the Node 24 that npm installed as a dependency (package `node`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);

if (major >= 24) {
  await import(entry);
} else {
  const bundled = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
  if (!existsSync(bundled)) {
    console.error(
      `Tradeloop needs Node.js 24 or newer (this is ${process.version}). Run "npm install" in ${root} first.`,
    );
    process.exit(1);
  }
  const result = spawnSync(bundled, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

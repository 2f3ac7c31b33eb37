#!/usr/bin/env node
// The `tradeloop` command. Tradeloop runs TypeScript natively, which needs Node 24; on an older Node
// this shim runs the command with the Node 24 that npm installed as a dependency (package `node`).
import { spawn } from 'node:child_process';
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
      `Tradeloop runs on Node.js 24, which "npm install" puts in ${join(root, 'node_modules')} (this is ${process.version}, and it is not there): run "npm install" in ${root}.`,
    );
    process.exit(1);
  }
  const child = spawn(bundled, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  // A process manager stops `tradeloop serve` by signalling this process: pass it on, so the server
  // shuts down cleanly instead of being orphaned, and exit the way it did.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (error) => {
    console.error(`Cannot run ${bundled}: ${error.message}. Run "npm install" in ${root} again.`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}

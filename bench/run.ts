// `npm run bench` (= `node bench/run.ts`): runs every bench/*.ts except this one, in name order, one at a
// time in its own process, and exits non-zero when any of them does. `node bench/run.ts seed-large` runs only
// the named benches.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const dir = import.meta.dirname;
const self = basename(import.meta.filename);
const wanted = process.argv.slice(2).map((a) => basename(a).replace(/\.ts$/, ''));
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== self && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, '')))
  .sort();
if (benches.length === 0) {
  console.error(`No bench matches ${wanted.join(', ')}`);
  process.exit(1);
}

const results: Array<{ bench: string; status: number | null; ms: number }> = [];
for (const bench of benches) {
  console.log(`\n=== bench/${bench} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(dir, bench)], { stdio: 'inherit' });
  results.push({ bench, status: run.status, ms: Date.now() - started });
}

console.log('\n=== summary ===');
for (const r of results) {
  console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'}  bench/${r.bench}  (${(r.ms / 1000).toFixed(1)} s)`);
}
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;

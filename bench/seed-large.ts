// Acceptance 5 of the simulators issue: seeding the `large` scenario (a POS catalog of ≈206,000 items and
// wholesale orders of up to ~5,000 lines) takes under 60 s and under 1 GiB of memory.
//
//   node bench/seed-large.ts [nuorder] [lightspeed-x] [lightspeed-r] [netsuite] [--option key=value …]
//
// Each simulator is seeded in a fresh child process, so the scenario is generated from scratch (nothing is
// shared through the in-process scenario cache) and the memory figures belong to that seed alone:
// - time: the wall-clock time of `seedScenario('large', options)`, scenario generation included;
// - peak RSS: the kernel's high-water mark for the child (getrusage ru_maxrss), runtime included;
// - peak heap: the largest V8 used-heap size seen before any GC during the seed or right after it (from
//   v8.GCProfiler, which records every collection even while the seed runs synchronously), and the
//   largest committed heap (heapTotal).
// Default systems: X-Series and R-Series (the 200,000-item POS catalogs), NuORDER (5,600 products and the
// 1,000–5,000-line orders) and NetSuite (its items are capped at 5,000 by design; shown for information).
// The process exits 1 when a required system fails a target.
import { spawn } from 'node:child_process';
import { GCProfiler } from 'node:v8';

const targets = { seedMs: 60_000, memoryBytes: 1024 ** 3 };
const systems = ['lightspeed-x', 'lightspeed-r', 'nuorder', 'netsuite'] as const;
type System = (typeof systems)[number];
/** Systems whose `large` seed is held to the targets; the others are reported for information. */
const required = new Set<System>(['lightspeed-x', 'lightspeed-r', 'nuorder']);

interface Figures {
  system: System;
  seedMs: number;
  peakRssBytes: number;
  rssBeforeBytes: number;
  peakHeapUsedBytes: number;
  peakHeapTotalBytes: number;
  heapUsedAfterBytes: number;
  gcCount: number;
  summary: Record<string, number>;
  maxOrderLines: number;
  posItems: number;
}

const isSystem = (s: string): s is System => (systems as readonly string[]).includes(s);

function parseArgs(argv: string[]): { child?: System; chosen: System[]; options: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  const chosen: System[] = [];
  let child: System | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--child') {
      const name = argv[++i] ?? '';
      if (!isSystem(name)) throw new Error(`--child needs a system, got "${name}"`);
      child = name;
    } else if (arg === '--option') {
      const [key, value = ''] = (argv[++i] ?? '').split('=');
      if (!key) throw new Error('--option needs key=value');
      options[key] = value !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
    } else if (isSystem(arg)) chosen.push(arg);
    else throw new Error(`Unknown argument "${arg}"; systems: ${systems.join(', ')}`);
  }
  return { ...(child ? { child } : {}), chosen: chosen.length ? chosen : [...systems], options };
}

/** Child side: seed one simulator and print its figures as one JSON line. */
async function measure(system: System, options: Record<string, unknown>): Promise<Figures> {
  const { createSimulator } = await import('../src/simulators/index.ts');
  const { buildScenario, scenarioOptions } = await import('../src/simulators/shared/scenario.ts');
  const sim = createSimulator(system);
  const rssBeforeBytes = process.memoryUsage().rss;

  const profiler = new GCProfiler();
  profiler.start();
  const started = performance.now();
  const { summary } = sim.seedScenario('large', options);
  const seedMs = performance.now() - started;
  const after = process.memoryUsage();
  const gc = profiler.stop();

  // GCProfiler reports camelCase heap statistics (the typings borrow getHeapStatistics' snake_case names).
  const stat = (h: unknown, key: string): number => Number((h as Record<string, unknown>)[key] ?? 0);
  let peakHeapUsedBytes = after.heapUsed;
  let peakHeapTotalBytes = after.heapTotal;
  for (const entry of gc.statistics) {
    for (const moment of [entry.beforeGC, entry.afterGC]) {
      peakHeapUsedBytes = Math.max(peakHeapUsedBytes, stat(moment.heapStatistics, 'usedHeapSize'));
      peakHeapTotalBytes = Math.max(peakHeapTotalBytes, stat(moment.heapStatistics, 'totalHeapSize'));
    }
  }
  const peakRssBytes = Math.max(process.resourceUsage().maxRSS * 1024, after.rss);

  // After the measurement: the scenario's shape (cached by the seed when it used the same options).
  const scenario = buildScenario(scenarioOptions('large', options as Parameters<typeof scenarioOptions>[1]));
  const maxOrderLines = Math.max(...scenario.orders.map((o) => o.lines.length));
  return {
    system,
    seedMs,
    peakRssBytes,
    rssBeforeBytes,
    peakHeapUsedBytes,
    peakHeapTotalBytes,
    heapUsedAfterBytes: after.heapUsed,
    gcCount: gc.statistics.length,
    summary,
    maxOrderLines,
    posItems: scenario.posItems.length,
  };
}

function runChild(system: System, options: Record<string, unknown>): Promise<Figures> {
  const optionArgs = Object.entries(options).flatMap(([k, v]) => ['--option', `${k}=${String(v)}`]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [import.meta.filename, '--child', system, ...optionArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{"system"'));
      if (code !== 0 || !line) return reject(new Error(`seeding ${system} failed (exit ${code ?? signal}):\n${out}`));
      resolve(JSON.parse(line) as Figures);
    });
  });
}

const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const { child, chosen, options } = parseArgs(process.argv.slice(2));
  if (child) {
    process.stdout.write(`${JSON.stringify(await measure(child, options))}\n`);
    return;
  }

  console.log(`Seeding the \`large\` scenario, each simulator in a fresh process (node ${process.version}).`);
  console.log(`Targets: under ${secs(targets.seedMs)} and under ${mib(targets.memoryBytes)} (peak RSS and peak heap).`);
  if (Object.keys(options).length) console.log(`Scenario options: ${JSON.stringify(options)}`);
  console.log('');
  const header = [
    'system',
    'seed time',
    'peak RSS',
    'RSS before',
    'peak heap used',
    'peak heap total',
    'GCs',
    'verdict',
  ];
  const rows: string[][] = [];
  let failed = false;
  for (const system of chosen) {
    try {
      const f = await runChild(system, options);
      const pass =
        f.seedMs < targets.seedMs && f.peakRssBytes < targets.memoryBytes && f.peakHeapTotalBytes < targets.memoryBytes;
      if (!pass && required.has(system)) failed = true;
      const verdict = `${pass ? 'PASS' : 'FAIL'}${required.has(system) ? '' : ' (info)'}`;
      rows.push([
        system,
        secs(f.seedMs),
        mib(f.peakRssBytes),
        mib(f.rssBeforeBytes),
        mib(f.peakHeapUsedBytes),
        mib(f.peakHeapTotalBytes),
        String(f.gcCount),
        verdict,
      ]);
      const counts = Object.entries(f.summary)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
        .join(', ');
      console.log(
        `${system}: ${verdict} in ${secs(f.seedMs)}, peak RSS ${mib(f.peakRssBytes)}, peak heap ${mib(f.peakHeapUsedBytes)} used / ${mib(f.peakHeapTotalBytes)} committed`,
      );
      console.log(`  seeded: ${counts}`);
      console.log(
        `  scenario: ${f.posItems.toLocaleString('en-US')} POS items, largest order ${f.maxOrderLines.toLocaleString('en-US')} lines`,
      );
    } catch (error) {
      if (required.has(system)) failed = true;
      rows.push([system, '—', '—', '—', '—', '—', '—', 'FAIL (error)']);
      console.log(`${system}: FAIL — ${(error as Error).message}`);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log('');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log(
    failed
      ? 'FAIL: a required simulator missed a target.'
      : 'PASS: every required simulator seeds `large` within the targets.',
  );
  process.exitCode = failed ? 1 : 0;
}

await main();

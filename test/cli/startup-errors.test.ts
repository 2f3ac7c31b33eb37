/**
 * Issue 12, item 3/8: a process that cannot start says why in one line and exits non-zero, instead of
 * printing a stack trace: unreachable database, data directory not writable, corrupt SQLite file, port
 * in use, and a second process on one SQLite file (refused while the first runs, taken over once it is
 * gone).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runTradeloop, type CliResult } from '../support/cli-process.ts';
import { startServerProcess } from '../support/server-process.ts';

const dirs: string[] = [];
const newDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tradeloop-startup-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Exits non-zero with exactly one line on stderr, and no stack frame anywhere. */
function assertOneLine(result: CliResult, pattern: RegExp): void {
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.notEqual(result.code, 0, 'exits non-zero');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(result.stdout + result.stderr, /^\s+at /m, 'no stack trace');
}

test('an unreachable PostgreSQL: one line naming the host, without the password', async () => {
  const result = await runTradeloop(['serve'], {
    DATABASE_URL: 'postgres://tradeloop:s3cret@127.0.0.1:1/tradeloop',
    TRADELOOP_DATA_DIR: newDir(),
  });
  assertOneLine(result, /^Cannot reach the PostgreSQL database at 127\.0\.0\.1:1\/tradeloop .*DATABASE_URL/);
  assert.doesNotMatch(result.stderr, /s3cret/);
});

test('a corrupt SQLite file: one line naming the file and the way out', async () => {
  const dataDir = newDir();
  writeFileSync(join(dataDir, 'tradeloop.db'), Buffer.alloc(8192, 'not a database '));
  const result = await runTradeloop(['worker'], { TRADELOOP_DATA_DIR: dataDir });
  assertOneLine(
    result,
    /^The SQLite file .*tradeloop\.db is damaged or is not a Tradeloop database .*tradeloop restore/,
  );
});

test('a read-only data directory: one line naming the directory', async (t) => {
  const mountPoint = newDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tradeloop-ro', mountPoint], { stdio: 'pipe' });
  } catch {
    t.skip('cannot mount a read-only file system here (needs root)');
    return;
  }
  try {
    const result = await runTradeloop(['serve'], { TRADELOOP_DATA_DIR: join(mountPoint, 'data') });
    assertOneLine(result, /^Cannot write to .*data .*TRADELOOP_DATA_DIR/);
  } finally {
    execFileSync('umount', [mountPoint]);
  }
});

test('a port in use: one line naming the port', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const result = await runTradeloop(['serve'], { TRADELOOP_DATA_DIR: newDir(), PORT: String(port) });
    assertOneLine(result, new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use`));
  } finally {
    blocker.close();
  }
});

test('one process per SQLite file: a second is refused while the first runs; a dead one leaves no lock', async () => {
  const dataDir = newDir();
  const first = await startServerProcess(['serve'], { TRADELOOP_DATA_DIR: dataDir });
  try {
    const holder = JSON.parse(readFileSync(join(dataDir, 'tradeloop.db.lock'), 'utf8')) as { pid: number };
    assert.equal(holder.pid, first.child.pid);
    const second = await runTradeloop(['worker'], { TRADELOOP_DATA_DIR: dataDir });
    assertOneLine(
      second,
      new RegExp(
        `^Another Tradeloop process \\(pid ${first.child.pid}, \`tradeloop serve\` since .*\\) is using the SQLite database`,
      ),
    );
  } finally {
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
  }
  // SIGKILL left the lock file behind: its process is gone, so the next start takes it over.
  const again = await startServerProcess(['serve'], { TRADELOOP_DATA_DIR: dataDir });
  await again.stop();
  assert.throws(() => readFileSync(join(dataDir, 'tradeloop.db.lock')), /ENOENT/, 'a clean stop removes the lock');
});

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger.ts';

test('tokens, passwords and authorization headers never reach the log', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('info', sink);
  logger.info(
    { password: 'hunter2-pass', headers: { authorization: 'Bearer sk_live_abc', cookie: 'tl_session=xyz' } },
    'login',
  );
  logger.info({ connection: { accessToken: 'at-123', refresh_token: 'rt-456', clientSecret: 'cs-789' } }, 'refreshed');
  const output = lines.join('');
  for (const secret of ['hunter2-pass', 'sk_live_abc', 'tl_session=xyz', 'at-123', 'rt-456', 'cs-789']) {
    assert.equal(output.includes(secret), false, `${secret} leaked into the log`);
  }
  assert.match(output, /\[redacted\]/);
  assert.equal(lines.length, 2);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passwordProblem } from './password-policy.ts';

test('passwords need 12 characters and may not be common', () => {
  assert.equal(passwordProblem('12345678')?.code, 'PASSWORD_TOO_SHORT');
  assert.equal(passwordProblem('short-pass1')?.code, 'PASSWORD_TOO_SHORT');
  // On the bundled list, as it is, in another case, or with digits and symbols added.
  assert.equal(passwordProblem('123456789012')?.code, 'PASSWORD_TOO_COMMON');
  assert.equal(passwordProblem('QWERTYUIOP123')?.code, 'PASSWORD_TOO_COMMON');
  assert.equal(passwordProblem('password1234!')?.code, 'PASSWORD_TOO_COMMON');
  assert.equal(passwordProblem('sunshine2024!!')?.code, 'PASSWORD_TOO_COMMON');
  assert.equal(passwordProblem('aaaaaaaaaaaaaaa')?.code, 'PASSWORD_TOO_COMMON');
  assert.equal(passwordProblem('me@shop.example', 'ME@shop.example')?.code, 'PASSWORD_TOO_COMMON');
  assert.equal(passwordProblem('x'.repeat(300))?.code, 'PASSWORD_TOO_LONG');
  // What the demo, the tests and the benchmark use, and ordinary passphrases, pass.
  for (const ok of ['tradeloop-demo', 'correct horse battery', 'bench-password', 'lantern-orbit-cactus'])
    assert.equal(passwordProblem(ok), undefined, ok);
});

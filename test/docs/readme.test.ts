import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configDocs } from '../../src/config.ts';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

test('the README shows the two commands that set up, run and test the product', () => {
  assert.match(readme, /npm install && npm start/);
  assert.match(readme, /npm install && npm test/);
});

test("the README's configuration table lists every setting the code reads, with its default", () => {
  for (const doc of configDocs) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${doc.variable}\` |`));
    assert.ok(row, `README has no row for ${doc.variable}`);
    assert.ok(row.includes(doc.default), `README's default for ${doc.variable} differs from the code (${doc.default})`);
  }
});

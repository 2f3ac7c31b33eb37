/**
 * The web app reads the API through the server's own types (src/http/api-types.ts), imported as types only:
 * a value import would bundle server code (zod, the store) into the browser, and a hand copy could drift. Only
 * core (pure, no I/O) may be shared as code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { importsOf, isForbiddenWebImport, readSource, sourceFiles } from '../support/source-imports.ts';

const webSrc = join(import.meta.dirname, '..', '..', 'web', 'src');

// The same reading and rule as test/house-rules.test.ts (test/support/source-imports.ts).
test('the web app imports server code as types only (core excepted)', () => {
  const valueImports: string[] = [];
  for (const file of sourceFiles('web/src')) {
    for (const imported of importsOf(file, readSource(file)))
      if (isForbiddenWebImport(imported)) valueImports.push(`${file}:${imported.line}: ${imported.text}`);
  }
  assert.deepEqual(valueImports, []);
});

test("the web app's API shapes are the server's: no reply shape is declared by hand in its type modules", () => {
  for (const module of ['types.ts', 'merchant-types.ts', 'pages/sales/types.ts']) {
    const text = readFileSync(join(webSrc, module), 'utf8');
    assert.doesNotMatch(text, /^\s*(export\s+)?interface\s/m, `${module} declares an interface`);
    assert.doesNotMatch(text, /^\s*(export\s+)?type\s+\w+\s*=\s*\{/m, `${module} writes an object type by hand`);
    assert.match(text, /src\/http\/api-types\.ts/, `${module} reads src/http/api-types.ts`);
  }
});

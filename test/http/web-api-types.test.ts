/**
 * The web app reads the API through the server's own types (src/http/api-types.ts), imported as types only:
 * a value import would bundle server code (zod, the store) into the browser, and a hand copy could drift. Only
 * core (pure, no I/O) may be shared as code.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const webSrc = join(import.meta.dirname, '..', '..', 'web', 'src');

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

test('the web app imports server code as types only (core excepted)', () => {
  const valueImports: string[] = [];
  for (const file of sources(webSrc)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'((?:\.\.\/)+src\/[^']+)'/gm)) {
      if (!match[2] && !/\/src\/core\//.test(match[3]!))
        valueImports.push(`${relative(webSrc, file)}: ${match[0].split('\n')[0]}`);
    }
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

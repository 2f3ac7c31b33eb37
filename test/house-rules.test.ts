/**
 * The house rules of docs/architecture.md, checked on the sources themselves: each failure names the file, the line
 * and the import or query that breaks a rule. There is no allowlist: a file that breaks a rule is fixed, not listed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  importsOf,
  isForbiddenWebImport,
  readSource,
  sourceFiles,
  type SourceImport,
} from './support/source-imports.ts';

const isTest = (file: string): boolean => /\.test\.tsx?$|\.test-util\.ts$/.test(file);
const under = (path: string | null, directory: string): boolean => path !== null && path.startsWith(`${directory}/`);

/** Packages core may use: pure computation, no I/O (hashing for fingerprints and keys). */
const PURE_PACKAGES = new Set(['node:crypto']);
/** Core's own tests may use the test tools too. */
const TEST_PACKAGES = new Set(['node:test', 'node:assert', 'node:assert/strict', 'fast-check']);

interface Rule {
  name: string;
  /** Which files it applies to. */
  applies(file: string): boolean;
  /** Why an import breaks it, or null. */
  breaks(imported: SourceImport, file: string): string | null;
}

const importRules: Rule[] = [
  {
    name: 'src/core is pure: it imports only src/core',
    applies: (file) => under(file, 'src/core'),
    breaks(imported, file) {
      if (imported.target !== null) return under(imported.target, 'src/core') ? null : 'reaches outside src/core';
      if (PURE_PACKAGES.has(imported.specifier)) return null;
      if (isTest(file) && TEST_PACKAGES.has(imported.specifier)) return null;
      return 'uses a package (core has no I/O and no dependencies)';
    },
  },
  {
    name: 'simulators never import connectors',
    applies: (file) => under(file, 'src/simulators'),
    breaks: (imported) => (under(imported.target, 'src/connectors') ? 'imports a connector' : null),
  },
  {
    name: 'flows see only the store and ports: no src/connectors, no src/http',
    applies: (file) => under(file, 'src/flows'),
    breaks: (imported) =>
      under(imported.target, 'src/connectors')
        ? 'imports a connector (open it through the registry, flows/port-registry.ts)'
        : under(imported.target, 'src/http')
          ? 'imports the HTTP layer'
          : null,
  },
  {
    name: 'the web app imports server code as types only (core excepted)',
    applies: (file) => under(file, 'web/src'),
    breaks: (imported) => (isForbiddenWebImport(imported) ? 'imports server code as a value' : null),
  },
];

function importViolations(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const rules = importRules.filter((rule) => rule.applies(file));
    if (rules.length === 0) continue;
    for (const imported of importsOf(file, readSource(file))) {
      for (const rule of rules) {
        const why = rule.breaks(imported, file);
        if (why) out.push(`${file}:${imported.line}: ${imported.text} — ${why} [${rule.name}]`);
      }
    }
  }
  return out;
}

/** The store's tables, from the Kysely schema: a raw SQL string is one that names one of them. */
function storeTables(): string[] {
  const schema = readSource('src/store/schema.ts');
  return [...schema.matchAll(/^\s+([a-z_]+): [A-Z]\w*Table;/gm)].map((m) => m[1]!);
}

function sqlViolations(files: readonly string[]): string[] {
  const tables = storeTables().join('|');
  const rawSql = new RegExp(
    `\\b(select\\b[\\s\\S]*?\\bfrom|insert\\s+into|update|delete\\s+from|join)\\s+"?(${tables})"?\\b`,
    'i',
  );
  const builders = /\bsql`|\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(/g;
  const literals = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
  const out: string[] = [];
  for (const file of files) {
    if (under(file, 'src/store') || isTest(file)) continue;
    const text = readSource(file);
    const lineOf = (index: number): number => text.slice(0, index).split('\n').length;
    for (const match of text.matchAll(builders)) {
      out.push(`${file}:${lineOf(match.index)}: ${match[0]}… — a query outside src/store (move it into a repo)`);
    }
    for (const match of text.matchAll(literals)) {
      if (rawSql.test(match[0]))
        out.push(`${file}:${lineOf(match.index)}: ${match[0].slice(0, 60)} — raw SQL outside src/store`);
    }
  }
  return out;
}

const serverFiles = sourceFiles('src');
const webFiles = sourceFiles('web/src');

test('house rules: layers import only what they may', () => {
  const broken = importViolations([...serverFiles, ...webFiles]);
  assert.equal(broken.length, 0, `${broken.length} import(s) break the house rules:\n${broken.join('\n')}`);
});

test('house rules: every SQL query lives in src/store', () => {
  const broken = sqlViolations(serverFiles);
  assert.equal(broken.length, 0, `${broken.length} quer(ies) outside src/store:\n${broken.join('\n')}`);
});

test('house rules: the checks see what they are meant to see', () => {
  // A check that finds nothing because it reads nothing would pass forever.
  assert.ok(serverFiles.length > 100 && webFiles.length > 10, 'the sources were found');
  assert.ok(storeTables().includes('jobs') && storeTables().includes('wholesale_orders'), 'the tables were found');
  const imports = importsOf(
    'src/flows/example.ts',
    "import type { A } from '../core/a.ts';\nimport {\n  b,\n} from '../connectors/x/b.ts';\nconst c = await import('../http/c.ts');\n",
  );
  assert.deepEqual(
    imports.map((i) => [i.target, i.typeOnly, i.line]),
    [
      ['src/core/a.ts', true, 1],
      ['src/connectors/x/b.ts', false, 2],
      ['src/http/c.ts', false, 5],
    ],
  );
});

/**
 * What a source file imports, read from its text (no compiler): the house-rules test and the web types test use the
 * same reading, so they cannot disagree on what counts as an import or as type-only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface SourceImport {
  /** As written: `../store/db.ts`, `node:crypto`, `zod`. */
  specifier: string;
  /** Repository-relative path of a relative import (`src/store/db.ts`); null for a package. */
  target: string | null;
  /** `import type …` / `export type … from` only: erased, so no code crosses. */
  typeOnly: boolean;
  line: number;
  /** The statement's first line, for messages. */
  text: string;
}

/** Every .ts/.tsx file under a repository-relative directory, as repository-relative paths. */
export function sourceFiles(directory: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : walk(path);
      return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
    });
  return walk(join(repoRoot, directory)).map((path) => relative(repoRoot, path));
}

export function readSource(file: string): string {
  return readFileSync(join(repoRoot, file), 'utf8');
}

// Static imports and re-exports (possibly over several lines), side-effect imports, and dynamic import('…').
const STATIC = /^[ \t]*(import|export)\s+(type\s+)?(?:[^;'"`=()]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: string, text: string): SourceImport[] {
  const lineOf = (index: number): number => text.slice(0, index).split('\n').length;
  const targetOf = (specifier: string): string | null =>
    specifier.startsWith('.') ? relative(repoRoot, resolve(repoRoot, dirname(file), specifier)) : null;
  const out: SourceImport[] = [];
  for (const match of text.matchAll(STATIC)) {
    const statement = match[0];
    // `export const x = …` and the like carry no module: only statements that name one count.
    if (match[1] === 'export' && !/\sfrom\s*['"]/.test(statement)) continue;
    const specifier = match[3]!;
    out.push({
      specifier,
      target: targetOf(specifier),
      typeOnly: match[2] !== undefined,
      line: lineOf(match.index),
      text: statement.trim().split('\n')[0]!,
    });
  }
  for (const match of text.matchAll(DYNAMIC)) {
    const specifier = match[1]!;
    out.push({
      specifier,
      target: targetOf(specifier),
      typeOnly: false,
      line: lineOf(match.index),
      text: match[0],
    });
  }
  return out;
}

/** The rule the web app keeps: server code (src/) only as types, core (pure, no I/O) excepted. */
export function isForbiddenWebImport(imported: SourceImport): boolean {
  if (imported.target === null || imported.typeOnly) return false;
  return imported.target.startsWith('src/') && !imported.target.startsWith('src/core/');
}

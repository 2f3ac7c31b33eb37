import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';

/**
 * What the CLI remembers between commands, per data directory (TRADELOOP_DATA_DIR is the profile): for
 * now only the organization chosen with `tradeloop org use`. A small JSON file beside the database.
 */
export interface CliProfile {
  org?: { id: string; name: string };
}

const profileSchema = z.object({ org: z.object({ id: z.string().min(1), name: z.string() }).optional() });

export function profileFile(dataDir: string): string {
  return join(dataDir, 'cli-profile.json');
}

export function readProfile(dataDir: string): CliProfile {
  const file = profileFile(dataDir);
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, error instanceof Error ? error.message : String(error));
  }
  const checked = profileSchema.safeParse(parsed);
  if (!checked.success) throw invalid(file, checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)[0]);
  return checked.data;
}

/** Written whole and renamed into place, so a command reading it never sees half a file. */
export function writeProfile(dataDir: string, profile: CliProfile): void {
  const file = profileFile(dataDir);
  if (Object.keys(profile).length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dataDir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(profile, null, 2)}\n`);
  renameSync(partial, file);
}

function invalid(file: string, why: string | undefined): AppError {
  return new AppError(
    'PROFILE_INVALID',
    `${file} is not a Tradeloop CLI profile (${why ?? 'unreadable'}): delete it, or run \`tradeloop org forget\``,
  );
}

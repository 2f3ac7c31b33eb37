import { InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';

/**
 * Parsers for option and argument values. Commander reports a value they refuse as a usage error that
 * names the option (`option '--limit <n>' argument 'abc' is invalid. …`), before anything is opened.
 * Defaults are not parsed: give them already parsed.
 */

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `It must be a whole number from ${min}.`
          : `It must be a whole number from ${min} to ${max}.`,
      );
    return n;
  };
}

export const port = wholeNumber(0, 65535);

export function email(value: string): string {
  const trimmed = value.trim();
  if (!z.string().email().safeParse(trimmed).success) throw new InvalidArgumentError('It is not an email address.');
  return trimmed;
}

/** Ids of records Tradeloop made (jobs, synced orders…) are UUIDs. */
export function uuid(value: string): string {
  if (!z.string().uuid().safeParse(value.trim()).success) throw new InvalidArgumentError('It must be an id (a UUID).');
  return value.trim();
}

/** Free text that must say something (a name, a search). */
export function text(maxLength = 200): (value: string) => string {
  return (value) => {
    const trimmed = value.trim();
    if (trimmed === '') throw new InvalidArgumentError('It is empty.');
    if (trimmed.length > maxLength) throw new InvalidArgumentError(`It is longer than ${maxLength} characters.`);
    return trimmed;
  };
}

/** `--org`: which organization a command acts on, when there are several and none was chosen once. */
export function orgOption(): Option {
  return new Option(
    '--org <id-or-name>',
    'organization (default: TRADELOOP_ORG, else the one chosen with `tradeloop org use`, else the only one)',
  ).argParser(text());
}

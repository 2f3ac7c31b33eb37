import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;
/** What may be added at the end of a common password without making it any less common ("monkey1234!"). */
const TRAILING_DIGITS_AND_SYMBOLS = /[\d\W_]+$/;

let common: Set<string> | undefined;

/** The bundled list (src/auth/common-passwords.txt), read once. */
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(join(import.meta.dirname, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return common;
}

export interface PasswordProblem {
  code: 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_TOO_COMMON';
  message: string;
}

/**
 * Why a new password is refused, or undefined when it is acceptable (ASVS 2.1): at least 12
 * characters, not a common password (also with digits or symbols added at the end), not one character
 * repeated, not the email itself. No composition rules: length is what makes a password strong.
 */
export function passwordProblem(password: string, email?: string): PasswordProblem | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return {
      code: 'PASSWORD_TOO_SHORT',
      message: `A password needs at least ${MIN_PASSWORD_LENGTH} characters; a few words together make a good one`,
    };
  if (password.length > MAX_PASSWORD_LENGTH)
    return { code: 'PASSWORD_TOO_LONG', message: `A password may have at most ${MAX_PASSWORD_LENGTH} characters` };
  const lower = password.toLowerCase();
  const stem = lower.replace(TRAILING_DIGITS_AND_SYMBOLS, '');
  const list = commonPasswords();
  if (
    list.has(lower) ||
    (stem.length >= 4 && list.has(stem)) ||
    new Set(lower).size < 4 ||
    lower === email?.toLowerCase()
  )
    return {
      code: 'PASSWORD_TOO_COMMON',
      message: 'This password is too common or too easy to guess; choose another (a few unrelated words work well)',
    };
  return undefined;
}

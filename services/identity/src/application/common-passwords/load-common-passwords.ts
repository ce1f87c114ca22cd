import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PasswordPolicy, parsePasswordList } from '../../domain/password-policy';

let cached: Set<string> | undefined;

/** The shipped list of well-known passwords (copied next to the compiled code by the build). */
export function loadCommonPasswords(): Set<string> {
  cached ??= parsePasswordList(readFileSync(join(__dirname, 'common-passwords.txt'), 'utf8'));
  return cached;
}

export const createPasswordPolicy = () => new PasswordPolicy(loadCommonPasswords());

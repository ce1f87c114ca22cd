import { CodedError } from '@prescriptchain/contracts';

export const MIN_PASSWORD_LENGTH = 10;
/** argon2 hashes anything, but an unbounded input is a cheap way to burn our CPU. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Length and a list of well-known passwords (compared lower-cased): NIST SP 800-63B's advice,
 * instead of composition rules that push people to `Password1!`.
 */
export class PasswordPolicy {
  constructor(private readonly commonPasswords: ReadonlySet<string>) {}

  /** What is wrong with the password, as human-readable reasons; empty when it is acceptable. */
  problems(password: string, context: { email?: string } = {}): string[] {
    const problems: string[] = [];
    const length = [...password].length;
    if (length < MIN_PASSWORD_LENGTH) problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
    if (length > MAX_PASSWORD_LENGTH) problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters`);
    const lower = password.toLowerCase();
    if (this.commonPasswords.has(lower)) problems.push('is too common');
    const email = context.email?.trim().toLowerCase();
    if (email && (lower === email || lower === email.split('@')[0]))
      problems.push('must not be your email address');
    return problems;
  }

  assertAcceptable(password: string, context: { email?: string } = {}): void {
    const problems = this.problems(password, context);
    if (problems.length) {
      throw new CodedError(
        'VALIDATION_FAILED',
        'The password is not strong enough.',
        problems.map((message) => ({ path: 'password', message })),
      );
    }
  }
}

/** One password a line; blank lines and `#` comments ignored. */
export function parsePasswordList(text: string): Set<string> {
  const set = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim();
    if (entry && !entry.startsWith('#')) set.add(entry.toLowerCase());
  }
  return set;
}

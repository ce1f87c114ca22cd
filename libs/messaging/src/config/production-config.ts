/**
 * Fail closed: outside development and test every process checks, before it builds anything, that
 * the secrets and vendor keys it needs are set, and refuses to start otherwise — with ONE line that
 * names every problem at once, and the exit code the launcher reads as "do not restart me".
 *
 * Each process owns its list of rules (next to its configuration); this file only knows how to run
 * them. Add a setting by adding a rule to that process's list.
 */

type Env = NodeJS.ProcessEnv;

/** sysexits.h EX_CONFIG: the launcher stops instead of restarting a process that exits with it. */
export const CONFIG_REFUSED_EXIT_CODE = 78;

/** NODE_ENV values under which development conveniences (built-in secrets, sandboxes) may run. */
const DEVELOPMENT_ENVS = new Set(['development', 'test']);

/** True unless NODE_ENV is `development` or `test` (unset counts as development). */
export function isProductionEnv(env: Env = process.env): boolean {
  const value = env.NODE_ENV?.trim();
  return Boolean(value) && !DEVELOPMENT_ENVS.has(value!);
}

/** What a rule finds wrong: a missing setting (listed together) or another problem, in words. */
export type ConfigProblem = { missing: string } | { invalid: string };

/** One requirement: the problems it finds in `env` (none = satisfied). */
export type ConfigRule = (env: Env) => ConfigProblem[];

const value = (env: Env, name: string) => env[name]?.trim() || '';

/** `name` must be set (non-blank). */
export const requireSetting =
  (...names: string[]): ConfigRule =>
  (env) =>
    names.filter((n) => !value(env, n)).map((missing) => ({ missing }));

/** At least one of `names` must be set; reported as `A or B`. */
export const requireOneOf =
  (...names: string[]): ConfigRule =>
  (env) =>
    names.some((n) => value(env, n)) ? [] : [{ missing: names.join(' or ') }];

/** The rules apply only when `when(env)` holds (e.g. Stripe's keys only with PAYMENT_PROVIDER=stripe). */
export const requireWhen =
  (when: (env: Env) => boolean, ...rules: ConfigRule[]): ConfigRule =>
  (env) =>
    when(env) ? rules.flatMap((r) => r(env)) : [];

/**
 * `name` must be set to one of `allowed`; `refused` values (the development sandboxes) are named as
 * development-only. Unset counts as missing: production has no default provider.
 */
export const requireChoice =
  (name: string, allowed: readonly string[], refused: readonly string[] = []): ConfigRule =>
  (env) => {
    const v = value(env, name).toLowerCase();
    if (!v) return [{ missing: `${name} (${allowed.join('|')})` }];
    if (refused.includes(v)) return [{ invalid: `${name}=${v} is for development only` }];
    if (!allowed.includes(v)) return [{ invalid: `${name} must be one of ${allowed.join('|')}` }];
    return [];
  };

/** `name`, when set, must not be one of the values shipped in this repository. */
export const refuseShippedValue =
  (name: string, shipped: readonly string[]): ConfigRule =>
  (env) =>
    shipped.includes(value(env, name)) ? [{ invalid: `${name} is a shipped default` }] : [];

/**
 * Every problem the rules find, as one line (null when there is none or this is not production):
 * `identity refuses to start with NODE_ENV=production: missing PII_ENCRYPTION_KEYS, ADMIN_PASSWORD`.
 */
export function productionConfigProblems(
  processName: string,
  rules: readonly ConfigRule[],
  env: Env = process.env,
): string | null {
  if (!isProductionEnv(env)) return null;
  const problems = rules.flatMap((r) => r(env));
  if (!problems.length) return null;
  const missing = [...new Set(problems.flatMap((p) => ('missing' in p ? [p.missing] : [])))];
  const invalid = [...new Set(problems.flatMap((p) => ('invalid' in p ? [p.invalid] : [])))];
  const parts = [...(missing.length ? [`missing ${missing.join(', ')}`] : []), ...invalid];
  return `${processName} refuses to start with NODE_ENV=${env.NODE_ENV?.trim()}: ${parts.join('; ')}`;
}

/**
 * Runs the rules and, when any fails in production, writes the one line to stderr and exits with
 * CONFIG_REFUSED_EXIT_CODE. Call it first thing in a process's main, before a connection is opened.
 */
export function checkProductionConfig(
  processName: string,
  rules: readonly ConfigRule[],
  env: Env = process.env,
): void {
  const line = productionConfigProblems(processName, rules, env);
  if (!line) return;
  process.stderr.write(`${line}\n`);
  process.exit(CONFIG_REFUSED_EXIT_CODE);
}

/** Rules every service process shares: the personal-data key (identity, orders, pharmacy). */
export const PII_KEY_RULES: readonly ConfigRule[] = [requireSetting('PII_ENCRYPTION_KEYS')];

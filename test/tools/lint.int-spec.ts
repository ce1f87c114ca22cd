import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; line: number; message: string }[];
}

/** ESLint in a child process, as `npm run lint` runs it (its config loader needs real dynamic import). */
function eslintJson(args: string[], input?: string): LintResult[] {
  const out = spawnSync(process.execPath, [ESLINT, '--format', 'json', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!out.stdout) throw new Error(`eslint produced no report: ${out.stderr}`);
  return JSON.parse(out.stdout) as LintResult[];
}

/** Lints `code` as if it were the file at `filePath` (relative to the repo root). */
async function lintAs(filePath: string, code: string) {
  const [result] = eslintJson(['--stdin', '--stdin-filename', path.join(ROOT, filePath)], code);
  return result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId);
}

describe('workspace boundaries (Nx tags + module-boundary lint)', () => {
  beforeAll(() => {
    // The boundary rule reads Nx's project graph; compute it the way `nx` would.
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: 'ignore',
    });
  }, 60_000);

  it('forbids a service from importing another service', async () => {
    const rules = await lintAs(
      'services/orders/src/application/peek.ts',
      "import { IdentityModule } from '../../../identity/src/identity.module';\nexport const m = IdentityModule;\n",
    );
    expect(rules).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids a library from importing a service', async () => {
    const rules = await lintAs(
      'libs/contracts/src/peek.ts',
      "import { AccountsModule } from '../../../services/accounts/src/accounts.module';\nexport const m = AccountsModule;\n",
    );
    expect(rules).toContain('@nx/enforce-module-boundaries');
  });

  it.each([
    ["import { Injectable } from '@nestjs/common';", 'Nest'],
    ["import { PrismaClient } from '../generated/prisma/client';", 'Prisma'],
    ["import { z } from 'zod';", 'zod'],
  ])('keeps domain/ plain TypeScript: %s is refused (%s)', async (line) => {
    const rules = await lintAs('services/accounts/src/domain/peek.ts', `${line}\nexport const x = 1;\n`);
    expect(rules).toContain('no-restricted-imports');
  });

  it('lets every project import the shared contracts', async () => {
    const rules = await lintAs(
      'services/pharmacy/src/application/peek.ts',
      "import { ERRORS } from '@prescriptchain/contracts';\nexport const e = ERRORS;\n",
    );
    expect(rules).toEqual([]);
  });

  it('finds no lint errors anywhere in the workspace', async () => {
    const results = eslintJson(['.']);
    const errors = results.flatMap((r) =>
      r.messages
        .filter((m) => m.severity === 2)
        .map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`),
    );
    expect(errors).toEqual([]);
  }, 120_000);
});

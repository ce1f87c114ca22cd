import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Platform, startPlatform } from './support/platform';

jest.setTimeout(180_000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
// The scripts take the admin's login from the environment, as they do under `npm start`.
const ADMIN_ENV = { ADMIN_EMAIL: 'admin@prescriptchain.local', ADMIN_PASSWORD: 'demo-e2e-admin-password-1' };

/** `npm start`'s demo seed and `npm run demo`, run as scripts against the real processes. */
describe('the demo scripts', () => {
  let platform: Platform;
  let outDir: string;
  const script = (name: string) =>
    run(process.execPath, [join(ROOT, 'tools', name)], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...ADMIN_ENV,
        DEMO_BASE_URL: `${platform.baseUrl}/api/v1`,
        DEMO_OUT_DIR: outDir,
      },
      timeout: 120_000,
    });

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'pc-demo-'));
    platform = await startPlatform({
      env: {
        ...ADMIN_ENV,
        MAIL_DIR: join(outDir, 'mail'),
        // The scripts honour Retry-After, but waiting out the auth limit would only slow the suite.
        RATE_LIMIT_AUTH_PER_MIN: '0',
      },
    });
  });

  afterAll(async () => {
    await platform?.shutdown();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('seeds the demo users, clinic and pharmacy, and finds them in place when run again', async () => {
    const first = await script('demo-seed.js');
    expect(first.stdout).toContain('demo data ready');
    const again = await script('demo-seed.js');
    expect(again.stdout).toContain('13 herbs declared');
  });

  it('drives the closed loop through the API and prints each step', async () => {
    const { stdout } = await script('demo.js');
    expect(stdout).toMatch(/order PC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]: PAID/);
    expect(stdout).toContain('redeemable: true, claimed by: nobody');
    expect(stdout).toMatch(
      /order PC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]: DISPENSING, payout fixed at \d+\.\d{2} NZD/,
    );
    expect(stdout).toMatch(/FULFILLED/);
    expect(stdout).toMatch(/settlement paid/);
    expect(stdout).toContain('settlement_paid → dispensary@demo.prescriptchain.nz: sent');
    expect(stdout).toContain('the closed loop is complete.');
    expect(readdirSync(outDir).filter((f) => f.endsWith('.pdf'))).toHaveLength(1);
    expect(readdirSync(join(outDir, 'mail')).some((f) => f.endsWith('.eml'))).toBe(true);
  });
});

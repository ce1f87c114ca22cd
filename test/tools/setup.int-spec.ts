import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ensurePdfFonts, setup } from '../../tools/setup';
import { PG_ADMIN_URL } from '../support/infra';

const SERVICES = ['identity', 'orders', 'accounts', 'pharmacy', 'notifications'];
const everyDatabase = (url: string) =>
  Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_DATABASE_URL`, url]));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-setup-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('set-up: the PDF fonts', () => {
  it('checks the font CREDENTIAL_FONT_PATH names, not the default', () => {
    const font = path.join(dir, 'my-cjk.ttf');
    fs.writeFileSync(font, 'a font file');
    const lines: string[] = [];
    const install = jest.fn();
    const warnings = ensurePdfFonts(
      (l) => lines.push(l),
      { CREDENTIAL_FONT_PATH: font },
      { root: true, install },
    );
    expect(lines).toContain(`cjk font: present (${font})`);
    expect(warnings).toEqual([]);
    expect(install).not.toHaveBeenCalled();
  });

  it('warns, without installing anything, when the font CREDENTIAL_FONT_PATH names is missing — only the credential PDF needs it', () => {
    const missing = path.join(dir, 'no-such-font.ttc');
    const install = jest.fn();
    const warnings = ensurePdfFonts(() => {}, { CREDENTIAL_FONT_PATH: missing }, { root: true, install });
    expect(install).not.toHaveBeenCalled();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`cjk font missing at ${missing}`);
    expect(warnings[0]).toContain('credential PDF');
    expect(warnings[0]).toContain(`CREDENTIAL_FONT_PATH is ${missing}, which does not exist`);
  });

  it('finishes the set-up (database migrated) when the font is missing, and reports it as a warning', async () => {
    const name = `pctest_setup_${Date.now().toString(36)}`;
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    const lines: string[] = [];
    try {
      const { warnings } = await setup({
        services: ['orders'],
        log: (l) => lines.push(l),
        env: {
          ...process.env,
          ORDERS_DATABASE_URL: url.toString(),
          CREDENTIAL_FONT_PATH: path.join(dir, 'absent.ttc'),
        },
      });
      expect(warnings).toHaveLength(1);
      expect(lines).toContain(`setup: warning: ${warnings[0]}`);
      expect(lines.some((l) => l.startsWith(`setup: migrate orders: created database`))).toBe(true);
      expect(lines[lines.length - 1]).toMatch(/^setup: done in .* \(1 warning\(s\) above\)$/);
    } finally {
      const admin = new Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000);
});

describe('set-up: a server that refuses the credentials is not "not reachable"', () => {
  const run = (env: NodeJS.ProcessEnv) =>
    setup({ services: [], log: () => {}, env: { ...process.env, ...env } });

  it('PostgreSQL refusing the role', async () => {
    const bad = new URL(PG_ADMIN_URL);
    bad.username = 'pctest_no_such_role';
    const failure = run(everyDatabase(bad.toString()));
    await expect(failure).rejects.toThrow(
      /^PostgreSQL at .+ is reachable but refused the credentials of user pctest_no_such_role \(.*pctest_no_such_role.*\): check the user and password in the \*_DATABASE_URL variables$/,
    );
  });

  it('RabbitMQ refusing the AMQP login', async () => {
    const failure = run({ AMQP_URL: 'amqp://guest:not-the-password@127.0.0.1:5672' });
    await expect(failure).rejects.toThrow(
      /^RabbitMQ at 127\.0\.0\.1:5672 is reachable but refused the credentials of user guest \(.*ACCESS.REFUSED.*\): check the user, password and vhost in AMQP_URL$/,
    );
  });

  it('the RabbitMQ management API refusing the login', async () => {
    const failure = run({ RABBITMQ_MGMT_URL: 'http://guest:not-the-password@127.0.0.1:15672' });
    await expect(failure).rejects.toThrow(
      /^The RabbitMQ management API at 127\.0\.0\.1:15672 is reachable but refused the credentials of user guest \(HTTP 401\): check the user and password in RABBITMQ_MGMT_URL/,
    );
  });

  it('still says "not reachable" when nothing answers', async () => {
    const failure = run({ REDIS_URL: 'redis://192.0.2.1:6379' });
    await expect(failure).rejects.toThrow(/^Redis at 192\.0\.2\.1:6379 is not reachable/);
  });
});

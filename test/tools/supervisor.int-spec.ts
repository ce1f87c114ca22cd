import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Supervisor } from '../../tools/lib/supervisor';
import { eventually } from '../support/infra';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-supervisor-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, body);
  return file;
}

function collector() {
  const lines: string[] = [];
  return { lines, write: (s: string) => lines.push(...s.split('\n').filter(Boolean)) };
}

describe('process supervisor (npm start / nx serve)', () => {
  let supervisor: Supervisor;
  afterEach(async () => {
    await supervisor?.stop(2000);
  });

  it("prefixes each line of a child's stdout and stderr with its name", async () => {
    const out = collector();
    const err = collector();
    supervisor = new Supervisor({ log: () => {}, stdout: out, stderr: err });
    supervisor.run('orders', [
      script(
        'talk',
        'console.log(\'{"msg":"hello"}\'); console.error(\'oops\'); setInterval(() => {}, 1000);',
      ),
    ]);
    await eventually(() => out.lines.length && err.lines.length);
    expect(out.lines).toEqual([expect.stringMatching(/^orders +\| \{"msg":"hello"\}$/)]);
    expect(err.lines).toEqual([expect.stringMatching(/^orders +\| oops$/)]);
  });

  it('restarts a child that dies unexpectedly and says so', async () => {
    const log: string[] = [];
    const counter = path.join(dir, 'starts');
    fs.writeFileSync(counter, '');
    supervisor = new Supervisor({ log: (l) => log.push(l), stdout: collector(), stderr: collector() });
    // Dies on its first start, stays up on the second.
    supervisor.run('accounts', [
      script(
        'crash-once',
        `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(counter)}, 'x');
         if (fs.readFileSync(${JSON.stringify(counter)}, 'utf8').length === 1) process.exit(3);
         setInterval(() => {}, 1000);`,
      ),
    ]);
    await eventually(() => fs.readFileSync(counter, 'utf8').length === 2, 5000);
    expect(log).toContainEqual(
      expect.stringMatching(/^accounts: exited unexpectedly \(code 3\) .* restarting in 1 s$/),
    );
    expect(supervisor.down()).toEqual([]);
  });

  it('does not restart a child that refuses its configuration (exit 78) and tells its owner', async () => {
    const log: string[] = [];
    const counter = path.join(dir, 'refusals');
    fs.writeFileSync(counter, '');
    const refused: string[] = [];
    supervisor = new Supervisor({
      log: (l) => log.push(l),
      stdout: collector(),
      stderr: collector(),
      onRefused: (name) => refused.push(name),
    });
    supervisor.run('accounts', [
      script(
        'refuse',
        `require('fs').appendFileSync(${JSON.stringify(counter)}, 'x');
         console.error('accounts refuses to start with NODE_ENV=production: missing PAYMENT_PROVIDER (stripe)');
         process.exit(78);`,
      ),
    ]);
    await eventually(() => refused.length === 1);
    await new Promise((r) => setTimeout(r, 1500)); // longer than the first restart backoff
    expect(fs.readFileSync(counter, 'utf8')).toBe('x');
    expect(refused).toEqual(['accounts']);
    expect(supervisor.refused).toEqual(['accounts']);
    expect(log).toContainEqual('accounts: refused its configuration (exit 78); not restarting it');
    expect(log.some((l) => /restarting in/.test(l))).toBe(false);
  });

  it('stops children with SIGTERM and lets them finish their shutdown', async () => {
    const marker = path.join(dir, 'graceful');
    supervisor = new Supervisor({ log: () => {}, stdout: collector(), stderr: collector() });
    const child = supervisor.run('identity', [
      script(
        'graceful',
        `process.on('SIGTERM', () => setTimeout(() => { require('fs').writeFileSync(${JSON.stringify(marker)}, 'done'); process.exit(0); }, 200));
         setInterval(() => {}, 1000); console.log('up');`,
      ),
    ]);
    await eventually(() => child.proc?.pid);
    await new Promise((r) => setTimeout(r, 300));
    await supervisor.stop(5000);
    expect(fs.readFileSync(marker, 'utf8')).toBe('done');
    expect(child.proc?.exitCode).toBe(0);
  });

  it('kills a child that ignores SIGTERM once the stop timeout passes, without restarting it', async () => {
    const log: string[] = [];
    supervisor = new Supervisor({ log: (l) => log.push(l), stdout: collector(), stderr: collector() });
    const child = supervisor.run('pharmacy', [
      script('stubborn', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);"),
    ]);
    await eventually(() => child.proc?.pid);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await supervisor.stop(500);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(child.proc?.signalCode).toBe('SIGKILL');
    expect(log).toContainEqual('pharmacy still running after 0.5 s: SIGKILL');
    await new Promise((r) => setTimeout(r, 1200));
    expect(child.proc?.signalCode).toBe('SIGKILL');
  });
});

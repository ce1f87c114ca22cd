import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('the workspace', () => {
  // swc strips types without checking them; this is where type errors are caught.
  it('typechecks with tsc (strict)', () => {
    const tsc = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const errors = tsc.stdout.split('\n').filter((l) => l.includes('error TS'));
    expect(errors).toEqual([]);
    expect(tsc.status).toBe(0);
  }, 180_000);

  // The portal: browser code (DOM, JSX) against the API types generated from the gateway's OpenAPI
  // document at build time — a contract change that breaks the portal fails here and in the build.
  it.each(['tsconfig.json', 'tsconfig.spec.json'])('typechecks the web portal (%s)', (tsconfig) => {
    const portal = path.join(ROOT, 'gateway', 'portal');
    const tsc = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig],
      { cwd: portal, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(tsc.stdout.split('\n').filter((l) => l.includes('error TS'))).toEqual([]);
    expect(tsc.status).toBe(0);
  }, 180_000);
});

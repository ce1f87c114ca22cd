/**
 * Runs the whole platform for an e2e suite: five services and the gateway as real child processes
 * (the built dist/main.js of each, as `npm start` runs them), each service on its own fresh database,
 * all on a fresh RabbitMQ vhost, the gateway on a free port. The launcher is plain JS in tools/lib so
 * `npm run bench` starts the very same platform.
 *
 * On shutdown the processes' last output lines (E2E_LOG_LEVEL, `warn` by default) are written to
 * `e2eLogFile(<the suite's path>)`; `npm test` prints the end of that file for a suite that failed,
 * so a CI failure shows what the services said.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Platform, startPlatform as launch } from '../../../tools/lib/platform';
import { e2eLogFile } from '../../../tools/lib/e2e-logs';

export type { Platform, ProcessName } from '../../../tools/lib/platform';

export async function startPlatform(options?: Parameters<typeof launch>[0]): Promise<Platform> {
  const platform = await launch(options);
  const suite = expect.getState().testPath;
  if (!suite) return platform;
  const shutdown = platform.shutdown.bind(platform);
  platform.shutdown = async () => {
    try {
      const file = e2eLogFile(suite);
      mkdirSync(dirname(file), { recursive: true });
      const sections = Object.entries(platform.logs).map(([name, lines]) => `--- ${name}\n${(lines ?? []).join('\n')}`);
      writeFileSync(file, `${sections.join('\n')}\n`);
    } catch {
      // the log file is a diagnostic; its failure must not fail the suite
    }
    await shutdown();
  };
  return platform;
}

// Types for tools/lib/platform.js.
import type { ServiceName } from '@prescriptchain/contracts';

export type ProcessName = ServiceName | 'gateway';

import type { ScratchDatabase, ScratchVhost } from './scratch';

export type { ScratchDatabase, ScratchVhost };

export interface Platform {
  /** `http://127.0.0.1:<port>` of the gateway. */
  baseUrl: string;
  vhost: ScratchVhost;
  databases: Record<ServiceName, ScratchDatabase>;
  /** The last 500 output lines of each process. */
  logs: Record<ProcessName, string[]>;
  start(name: ProcessName): Promise<void>;
  /** Signals a process (SIGKILL after 15 s) and resolves with its exit code. */
  stop(name: ProcessName, signal?: NodeJS.Signals): Promise<number | null>;
  get(path: string, init?: RequestInit): Promise<Response>;
  /** The operating-system pid of a running process (e.g. to read its memory), or null. */
  pid(name: ProcessName): number | null;
  /** Stops every process, then drops the databases and the vhost. */
  shutdown(): Promise<void>;
}

/** Starts the six processes on fresh databases and a fresh vhost; resolves once /health/ready is 200. */
export declare function startPlatform(options?: {
  /** Added to (and overriding) the children's environment. */
  env?: Record<string, string>;
  /** Names the scratch databases and vhost (`<prefix>_<service>_…`). Default `pctest_e2e`. */
  prefix?: string;
}): Promise<Platform>;
export declare function createScratchDatabase(prefix: string): Promise<ScratchDatabase>;
export declare function createScratchVhost(prefix: string): Promise<ScratchVhost>;
export declare function freePort(): Promise<number>;
export declare const PG_ADMIN_URL: string;
export declare const REDIS_URL: string;

// Types for tools/lib/platform.js.
import type { ServiceName } from '@prescriptchain/contracts';

/**
 * A process of the platform: each service and the gateway by its name, and with ORDERS_REPLICAS=n
 * the further orders replicas `orders-2` … `orders-<n>` (`orders` is the first). Every replica is
 * its own child process with its own logs and pid, started and stopped on its own.
 */
export type ProcessName = ServiceName | 'gateway' | OrdersReplicaName;
/** `orders-2`, `orders-3`, … — only those ORDERS_REPLICAS asked for exist. */
export type OrdersReplicaName = `orders-${number}`;

import type { ScratchDatabase, ScratchVhost } from './scratch';

export type { ScratchDatabase, ScratchVhost };

export interface Platform {
  /** `http://127.0.0.1:<port>` of the gateway. */
  baseUrl: string;
  vhost: ScratchVhost;
  databases: Record<ServiceName, ScratchDatabase>;
  /**
   * Every process's name in start order: identity, orders (then orders-2 … with ORDERS_REPLICAS),
   * accounts, pharmacy, notifications, gateway. E.g. to sum the CPU time of all orders replicas.
   */
  processes: ProcessName[];
  /** The last 500 output lines of each process (orders-2 … only for the replicas that exist). */
  logs: Record<ServiceName | 'gateway', string[]> & Partial<Record<OrdersReplicaName, string[]>>;
  /** (Re)starts a process of this platform; an unknown name (e.g. orders-3 of two replicas) throws. */
  start(name: ProcessName): Promise<void>;
  /** Signals a process (SIGKILL after 15 s) and resolves with its exit code. */
  stop(name: ProcessName, signal?: NodeJS.Signals): Promise<number | null>;
  get(path: string, init?: RequestInit): Promise<Response>;
  /** The operating-system pid of a running process (e.g. to read its memory), or null. */
  pid(name: ProcessName): number | null;
  /** Stops every process, then drops the databases and the vhost. */
  shutdown(): Promise<void>;
}

/**
 * Starts the six processes (orders as ORDERS_REPLICAS processes, default 1) on fresh databases and a
 * fresh vhost; resolves once /health/ready is 200 and every orders replica consumes its queues.
 */
export declare function startPlatform(options?: {
  /**
   * Added to (and overriding) the children's environment. ORDERS_REPLICAS here (else in
   * process.env) says how many orders processes run, competing for one database and vhost;
   * a value that is not a whole number from 1 to 16 throws before anything is created.
   */
  env?: Record<string, string>;
  /** Names the scratch databases and vhost (`<prefix>_<service>_…`). Default `pctest_e2e`. */
  prefix?: string;
}): Promise<Platform>;
export declare function createScratchDatabase(prefix: string): Promise<ScratchDatabase>;
export declare function createScratchVhost(prefix: string): Promise<ScratchVhost>;
export declare function freePort(): Promise<number>;
export declare const PG_ADMIN_URL: string;
export declare const REDIS_URL: string;

// Types for tools/lib/scratch.js.
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}
export interface ScratchVhost {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export declare const PG_ADMIN_URL: string;
export declare const AMQP_BASE_URL: string;
export declare const RABBIT_MGMT_URL: string;
export declare const REDIS_URL: string;
/** One call to RabbitMQ's management HTTP API; resolves also on 404, throws on any other failure. */
export declare function rabbitMgmt(
  method: string,
  path: string,
  body?: unknown,
  options?: { url?: string },
): Promise<Response>;
/** An empty database named `<prefix>_<unique suffix>`, dropped (forcibly) by `drop()`. */
export declare function createScratchDatabase(prefix: string): Promise<ScratchDatabase>;
/** A RabbitMQ vhost named `<prefix>_<unique suffix>` the AMQP user may use, deleted by `drop()`. */
export declare function createScratchVhost(prefix: string): Promise<ScratchVhost>;

// Types for tools/lib/config.js.
export interface Project {
  name: string;
  dir: string;
  kind: 'lib' | 'service' | 'gateway';
}
export declare const ROOT: string;
export declare const SERVICES: readonly string[];
export declare const PROJECTS: readonly Project[];
export declare const PROCESSES: readonly Project[];
export declare const CJK_FONT: string;
/** One process to run: a project, or one replica of a replicated service (`orders-2`). */
export interface Instance {
  /** Unique: the project's name for its first replica, `<name>-<i>` for the others. */
  name: string;
  project: Project;
  /** 1-based. */
  replica: number;
  replicas: number;
}
/** Replicable services → the variable that says how many processes (`{ orders: 'ORDERS_REPLICAS' }`). */
export declare const REPLICAS_ENV: Readonly<Record<string, string>>;
export declare const MAX_REPLICAS: number;
/** How many processes of `service` to run; throws on a value that is not a whole number 1…MAX_REPLICAS. */
export declare function replicas(service: string, env?: NodeJS.ProcessEnv): number;
export declare function replicaName(name: string, replica: number): string;
/** `orders-2` → `orders`; any other name → itself. */
export declare function serviceOf(instanceName: string): string;
/** Every process to run, in start order (a replicated service's replicas in a row). */
export declare function instances(env?: NodeJS.ProcessEnv): Instance[];
/** SERVICE_INSTANCE_ID and OTEL_RESOURCE_ATTRIBUTES (with service.instance.id) for one process. */
export declare function instanceEnv(
  instanceName: string,
  env?: NodeJS.ProcessEnv,
): { SERVICE_INSTANCE_ID: string; OTEL_RESOURCE_ATTRIBUTES: string };
export declare function project(name: string): Project;
export declare function databaseEnvVar(service: string): string;
export declare function defaultDatabaseUrl(service: string): string;
export declare function databaseUrl(service: string, env?: NodeJS.ProcessEnv): string;
export declare function databaseEnv(env?: NodeJS.ProcessEnv): Record<string, string>;
export declare function migrationsDir(service: string): string;
export declare function schemaPath(service: string): string;
export declare function amqpUrl(env?: NodeJS.ProcessEnv): string;
export declare function redisUrl(env?: NodeJS.ProcessEnv): string;
export declare function rabbitMgmtUrl(env?: NodeJS.ProcessEnv): string;
export declare function gatewayPort(env?: NodeJS.ProcessEnv): number;
export declare function isProductionEnv(env?: NodeJS.ProcessEnv): boolean;
export declare const CONFIG_REFUSED_EXIT_CODE: number;
export declare function developmentAdmin(env?: NodeJS.ProcessEnv): {
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
};
export declare const DEV_ADMIN_EMAIL: string;
export declare const DEV_ADMIN_PASSWORD_FILE: string;

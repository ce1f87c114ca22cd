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

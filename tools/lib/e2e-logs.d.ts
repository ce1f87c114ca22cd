// Types for tools/lib/e2e-logs.js.
export declare const E2E_LOG_DIR: string;
export declare const E2E_RUN_ENV: string;
export declare function e2eLogFile(testPath: string, run?: string): string;
export declare function e2eLogTail(testPath: string, run?: string, lines?: number): string | null;
export declare function removeE2eLogs(run?: string): void;

// Types for tools/setup.js (plain CommonJS so it runs without a build step).
export declare class SetupError extends Error {}
/**
 * Environment set-up; resolves with the warnings it logged (a missing PDF font is one, not a
 * failure). services: whose databases to create and migrate (default all; [] = infrastructure only).
 */
export declare function setup(options?: {
  services?: string[];
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}): Promise<{ warnings: string[] }>;
/** Installs the default PDF fonts when missing and possible; returns a warning per font still missing. */
export declare function ensurePdfFonts(
  log: (line: string) => void,
  env?: NodeJS.ProcessEnv,
  how?: { root?: boolean; install?: (pkgs: string[], log: (line: string) => void) => void },
): string[];

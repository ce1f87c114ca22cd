// Types for tools/lib/supervisor.js.
import type { ChildProcess } from 'node:child_process';

export interface Supervised {
  name: string;
  proc: ChildProcess | null;
}
export declare class Supervisor {
  constructor(options?: {
    log?: (line: string) => void;
    stdout?: { write(s: string): unknown };
    stderr?: { write(s: string): unknown };
    /** Called with a child's name when it exits CONFIG_REFUSED_EXIT_CODE (it is not restarted). */
    onRefused?: ((name: string) => void) | null;
  });
  readonly stopping: boolean;
  /** Names of the children that exited CONFIG_REFUSED_EXIT_CODE. */
  readonly refused: string[];
  onRefused: ((name: string) => void) | null;
  log(line: string): void;
  run(
    name: string,
    args: string[],
    options?: {
      env?: NodeJS.ProcessEnv;
      restart?: boolean;
      onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
    },
  ): Supervised;
  down(): string[];
  stop(timeoutMs?: number): Promise<void>;
}
export declare function stopOnSignals(supervisor: Supervisor, options?: { timeoutMs?: number }): void;
export declare function entryPoint(project: { name: string; dir: string }): string | Error;
export declare function nodeArgs(main: string): string[];
export declare function childEnv(name: string, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export declare function label(name: string): string;
export declare const TELEMETRY_REGISTER: string;

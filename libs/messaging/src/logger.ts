import { Logger } from '@nestjs/common';

/**
 * What the kit logs through: pino's call shape (`logger.warn({ err, messageId }, 'text')`), so a
 * pino logger can be passed as is. Without one, logs go to Nest's Logger.
 */
export interface MessagingLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

const render = (obj: Record<string, unknown>) =>
  JSON.stringify(obj, (_k, v) => (v instanceof Error ? (v.stack ?? `${v.name}: ${v.message}`) : v));

export function nestLogger(context: string): MessagingLogger {
  const logger = new Logger(context);
  return {
    debug: (obj, msg) => logger.debug(`${msg} ${render(obj)}`),
    info: (obj, msg) => logger.log(`${msg} ${render(obj)}`),
    warn: (obj, msg) => logger.warn(`${msg} ${render(obj)}`),
    error: (obj, msg) => logger.error(`${msg} ${render(obj)}`),
  };
}

/** One line describing an error, safe for a message header (no stack, bounded length). */
export function describeError(err: unknown, max = 1000): string {
  let text: string;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    text = `${err.name}${code !== undefined ? ` [${String(code)}]` : ''}: ${err.message}`;
  } else if (typeof err === 'string') {
    text = err;
  } else {
    try {
      text = JSON.stringify(err) ?? String(err);
    } catch {
      text = String(err);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

import { z } from 'zod';

/**
 * Every message type and version on the broker, with its payload schema. Add fields, never rename;
 * a breaking change is a new version registered beside the old one. Recorded fixtures of every
 * entry keep parsing (registry.spec.ts).
 */
export interface MessageDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  /** `event` goes to the topic exchange for anyone; `command` is addressed to its owning service. */
  kind: 'event' | 'command';
  payload: S;
}

export const defineMessage = <S extends z.ZodType>(def: MessageDefinition<S>) => def;

const registry = new Map<string, MessageDefinition>();
const key = (type: string, version: number) => `${type}@v${version}`;

export function registerMessages(...defs: MessageDefinition[]): void {
  for (const def of defs) {
    const k = key(def.type, def.version);
    if (registry.has(k) && registry.get(k) !== def) throw new Error(`message ${k} registered twice`);
    registry.set(k, def);
  }
}

export function findMessage(type: string, version: number): MessageDefinition | undefined {
  return registry.get(key(type, version));
}

export function allMessages(): MessageDefinition[] {
  return [...registry.values()];
}

export type PayloadOf<D> = D extends MessageDefinition<infer S> ? z.infer<S> : never;

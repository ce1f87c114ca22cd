import type { Principal } from './principal';

interface Entry {
  principal: Principal;
  /** The token epoch identity accepted this principal for: a token of another epoch is a miss. */
  tokenEpoch: number;
  expiresAt: number;
}

export interface PrincipalCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * Principals identity answered for a token's user (by user id and token epoch), reused for `ttlMs`
 * at most and for `maxEntries` users at most (least recently used out first). Nothing is stored
 * over an invalidation: `ticket()` is taken before asking identity and `set` stores only when no
 * `forget`/`clear` came between — an answer identity gave before a suspension committed, arriving
 * after the suspension's event, is used once and not kept.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: PrincipalCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(userId: string, tokenEpoch: number): Principal | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(userId);
      return undefined;
    }
    if (entry.tokenEpoch !== tokenEpoch) return undefined;
    // Most recently used last: eviction takes the first.
    this.entries.delete(userId);
    this.entries.set(userId, entry);
    return entry.principal;
  }

  ticket(): number {
    return this.generation;
  }

  /** Stores unless something was invalidated since `ticket` was taken; true when stored. */
  set(ticket: number, tokenEpoch: number, principal: Principal): boolean {
    if (ticket !== this.generation || this.options.ttlMs <= 0) return false;
    this.entries.delete(principal.userId);
    this.entries.set(principal.userId, {
      principal,
      tokenEpoch,
      expiresAt: this.now() + this.options.ttlMs,
    });
    while (this.entries.size > this.options.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return true;
  }

  forget(userId: string): void {
    this.generation += 1;
    this.entries.delete(userId);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { CatalogueIndexSource } from '../../ports/catalogue-index-source';
import type { MedicineFilter } from '../../ports/medicine-repository';
import { CatalogueSearchIndex, type SearchPage } from './catalogue-search-index';

export interface CatalogueIndexOptions {
  /** How often the index asks the database for changes made elsewhere (other replicas); 0 = never. */
  refreshMs: number;
  /** Rows read per statement while building. */
  batchSize: number;
}

export const CATALOGUE_INDEX_OPTIONS = Symbol('CATALOGUE_INDEX_OPTIONS');

/** CATALOGUE_INDEX_REFRESH_MS (default 1000; 0 = no periodic check). */
export function catalogueIndexOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CatalogueIndexOptions {
  const raw = env.CATALOGUE_INDEX_REFRESH_MS?.trim();
  const refreshMs = raw ? Number(raw) : 1000;
  if (!Number.isInteger(refreshMs) || refreshMs < 0)
    throw new Error('CATALOGUE_INDEX_REFRESH_MS must be a whole number of milliseconds ≥ 0');
  return { refreshMs, batchSize: 500 };
}

/**
 * This replica's in-memory catalogue search index: built from the database after start-up (in
 * slices that yield to the event loop; until it is ready, search stays on SQL), kept current by
 * delta reads — every CATALOGUE_INDEX_REFRESH_MS for changes made through other replicas, and right
 * after each write through this one (IndexedMedicineRepository awaits `changed()`), so this replica
 * never answers from a catalogue older than its own last write.
 *
 * Every read that feeds the index (build batches and deltas) runs one after another, so a later
 * read — a later snapshot — is always applied last. A failed delta read marks the index stale:
 * search falls back to SQL until a read succeeds.
 */
@Injectable()
export class CatalogueSearchIndexService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('CatalogueIndex');
  private readonly options: CatalogueIndexOptions;
  private index = new CatalogueSearchIndex();
  private watermark: string | null = null;
  private ready = false;
  private stale = false;
  private tail: Promise<unknown> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private timer?: NodeJS.Timeout;
  private building?: Promise<void>;
  private closed = false;
  /** Start-up build: wall time and the rows it read (for logs and the bench). */
  buildStats: { ms: number; medicines: number } | null = null;

  constructor(
    private readonly source: CatalogueIndexSource,
    @Optional() @Inject(CATALOGUE_INDEX_OPTIONS) options?: CatalogueIndexOptions,
  ) {
    this.options = options ?? catalogueIndexOptionsFromEnv();
  }

  onApplicationBootstrap(): void {
    void this.start().catch(() => {});
  }

  onModuleDestroy(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
  }

  get isReady(): boolean {
    return this.ready && !this.stale;
  }

  get medicines(): number {
    return this.index.size;
  }

  /** Builds the index (once); resolves when it is ready, rejects when the build failed. */
  start(): Promise<void> {
    this.building ??= this.build().catch((err: unknown) => {
      this.log.error(`catalogue index build failed; search stays on SQL: ${(err as Error).message}`);
      this.building = undefined;
      throw err;
    });
    return this.building;
  }

  private async build(): Promise<void> {
    const started = process.hrtime.bigint();
    const index = new CatalogueSearchIndex();
    let after: string | null = null;
    let first: string | null = null;
    for (;;) {
      const batch = await this.serially(() => this.source.catalogueBatch(after, this.options.batchSize));
      first ??= batch.watermark;
      await index.load(batch.rows);
      if (batch.rows.length < this.options.batchSize) break;
      after = batch.rows[batch.rows.length - 1].id;
    }
    await index.seal();
    await this.serially(async () => {
      this.index = index;
      this.watermark = first;
    });
    await this.refresh();
    if (this.stale) throw new Error('its first change read failed');
    this.ready = true;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    this.buildStats = { ms, medicines: index.size };
    this.log.log(`catalogue index ready: ${index.size} medicines in ${ms.toFixed(0)} ms`);
    if (this.options.refreshMs > 0 && !this.closed) {
      this.timer = setInterval(() => void this.refresh(), this.options.refreshMs);
      this.timer.unref();
    }
  }

  /** Runs `task` after every read queued before it. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Applies every change committed before this call (a delta read that starts after it). Calls
   * while one is still waiting to start share it. Never rejects: a failure marks the index stale.
   */
  refresh(): Promise<void> {
    this.queued ??= this.serially(async () => {
      this.queued = null;
      if (this.watermark === null || this.closed) return;
      try {
        const batch = await this.source.changedSince(this.watermark);
        this.index.upsert(batch.rows);
        this.watermark = batch.watermark;
        if (this.stale) this.log.log('catalogue index current again');
        this.stale = false;
      } catch (err) {
        if (!this.stale)
          this.log.warn(
            `catalogue index refresh failed; search falls back to SQL: ${(err as Error).message}`,
          );
        this.stale = true;
      }
    });
    return this.queued;
  }

  /** After a write through this replica: resolves once the index holds it (or has fallen back to SQL). */
  changed(): Promise<void> {
    return this.refresh();
  }

  /** The ranked page, or null while the index is not ready (the caller then asks SQL). */
  search(query: string, filter: MedicineFilter, page: { offset: number; limit: number }): SearchPage | null {
    if (!this.isReady) return null;
    return this.index.search(query, filter, page);
  }
}

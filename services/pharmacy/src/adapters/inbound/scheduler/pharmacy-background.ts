import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AmqpRpcClient } from '@prescriptchain/messaging';
import { PharmacyConfig } from '../../../application/pharmacy-config';
import { ResolveStaleClaimsHandler } from '../../../application/proofs/resolve-stale-claims/resolve-stale-claims.handler';
import { CredentialKeySync } from '../../../application/scan/credential-key-sync';

/**
 * What runs without a request (and the RPC client to orders it and the use cases share): the proof-claim sweeper (every PROOF_CLAIM_SWEEP_MS; its state is
 * in the database, so a restart loses nothing) and, once at start-up, fetching orders' credential
 * keys when none are known — retried in the background, never blocking start-up.
 */
@Injectable()
export class PharmacyBackground implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('PharmacyBackground');
  private sweeper?: NodeJS.Timeout;
  private keyRetry?: NodeJS.Timeout;
  private sweeping = false;
  private stopped = false;

  constructor(
    private readonly resolveStaleClaims: ResolveStaleClaimsHandler,
    private readonly keySync: CredentialKeySync,
    private readonly config: PharmacyConfig,
    private readonly rpc: AmqpRpcClient,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.config.claimSweepEveryMs);
    this.sweeper.unref();
    // The client reconnects by itself; a broker that is away at start-up only delays the key fetch.
    void this.rpc
      .connect()
      .catch((err: Error) => this.log.warn(`orders RPC not connected yet: ${err.message}`))
      .then(() => this.syncKeys(1));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    clearTimeout(this.keyRetry);
    await this.rpc.close();
  }

  async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      const done = await this.resolveStaleClaims.execute();
      if (done.pending + done.failed > 0)
        this.log.log(`resolved stale proof claims: ${JSON.stringify(done)}`);
    } catch (err) {
      this.log.warn(`proof claim sweep failed: ${(err as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  private async syncKeys(attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      const stored = await this.keySync.run({ onlyIfEmpty: true });
      if (stored > 0) this.log.log(`fetched ${stored} credential key(s) from orders`);
    } catch (err) {
      const delay = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
      this.log.warn(
        `could not fetch credential keys from orders (${(err as Error).message}); retrying in ${delay} ms`,
      );
      this.keyRetry = setTimeout(() => void this.syncKeys(attempt + 1), delay);
      this.keyRetry.unref();
    }
  }
}

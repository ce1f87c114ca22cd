import type { ServerResponse } from 'node:http';

/**
 * Graceful shutdown of HTTP: once draining, every response not yet started closes its
 * connection after it is sent (keep-alive sockets would otherwise hold the server open).
 */
export class HttpDrain {
  private draining = false;
  private readonly open = new Set<ServerResponse>();

  get isDraining(): boolean {
    return this.draining;
  }

  track(res: ServerResponse): void {
    if (this.draining) res.shouldKeepAlive = false;
    this.open.add(res);
    res.once('close', () => this.open.delete(res));
  }

  start(): void {
    this.draining = true;
    for (const res of this.open) if (!res.headersSent) res.shouldKeepAlive = false;
  }

  get inFlight(): number {
    return this.open.size;
  }
}

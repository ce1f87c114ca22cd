import { OrdersStore, type OrdersTransaction } from '../../src/application/ports/orders-store';

export type TransactionStep = keyof OrdersTransaction;

/**
 * The real store, except that inside its transactions the chosen step fails right after it did its
 * work — a crash between two steps of a saga transaction. Everything else is the real store.
 */
export class FaultInjectingStore extends OrdersStore {
  constructor(
    private readonly real: OrdersStore,
    private readonly failAfter: TransactionStep,
  ) {
    super();
  }

  transaction<R>(work: (tx: OrdersTransaction) => Promise<R>): Promise<R> {
    return this.real.transaction((tx) => work(this.faulty(tx)));
  }

  findById: OrdersStore['findById'] = (id) => this.real.findById(id);
  findByPlatformOrderId: OrdersStore['findByPlatformOrderId'] = (id) => this.real.findByPlatformOrderId(id);
  list: OrdersStore['list'] = (q) => this.real.list(q);
  findIdempotencyKey: OrdersStore['findIdempotencyKey'] = (p, k, n) => this.real.findIdempotencyKey(p, k, n);
  partyNames: OrdersStore['partyNames'] = (ids) => this.real.partyNames(ids);

  private faulty(tx: OrdersTransaction): OrdersTransaction {
    const step = this.failAfter;
    return new Proxy(tx, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== step || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await value.apply(target, args);
          throw new Error(`injected failure after ${String(step)}`);
        };
      },
    });
  }
}

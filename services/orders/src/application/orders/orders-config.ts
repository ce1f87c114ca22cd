/** Orders' settings from the environment, with their defaults. */
export class OrdersConfig {
  constructor(
    /** How long a PENDING_PAYMENT order waits for accounts before it fails with TIMEOUT (SAGA_TIMEOUT_MS). */
    readonly sagaTimeoutMs: number,
    /** How long a paid credential stays valid (CREDENTIAL_TTL_DAYS). */
    readonly credentialTtlDays: number,
    /** How often the deadline jobs look at the database (ORDER_JOBS_INTERVAL_MS; 0 = not in this process). */
    readonly jobsIntervalMs: number,
    /** Orders one job transaction handles. */
    readonly jobsBatchSize: number,
    /** The window in which an Idempotency-Key replays its first result. */
    readonly idempotencyTtlMs: number,
    /** How long a pharmacy holds a claimed order without (re)submitted proof (DISPENSING_HOLD_HOURS). */
    readonly dispensingHoldHours: number = 72,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<OrdersConfig> = {}): OrdersConfig {
    const number = (name: string, fallback: number, min: number) => {
      const raw = env[name]?.trim();
      if (!raw) return fallback;
      const value = Number(raw);
      if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
      return value;
    };
    return new OrdersConfig(
      overrides.sagaTimeoutMs ?? number('SAGA_TIMEOUT_MS', 60_000, 1),
      overrides.credentialTtlDays ?? number('CREDENTIAL_TTL_DAYS', 30, 0.0001),
      overrides.jobsIntervalMs ?? number('ORDER_JOBS_INTERVAL_MS', 5_000, 0),
      overrides.jobsBatchSize ?? number('ORDER_JOBS_BATCH_SIZE', 50, 1),
      overrides.idempotencyTtlMs ?? 24 * 60 * 60 * 1000,
      overrides.dispensingHoldHours ?? number('DISPENSING_HOLD_HOURS', 72, 0.0001),
    );
  }

  credentialExpiry(paidAt: Date): Date {
    return new Date(paidAt.getTime() + Math.round(this.credentialTtlDays * 24 * 60 * 60 * 1000));
  }

  /** When a hold that starts at `from` (a claim or a rejection) lapses. */
  holdExpiry(from: Date): Date {
    return new Date(from.getTime() + Math.round(this.dispensingHoldHours * 60 * 60 * 1000));
  }

  paymentDeadline(from: Date): Date {
    return new Date(from.getTime() + this.sagaTimeoutMs);
  }
}

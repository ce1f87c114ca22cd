export interface RpcCallOptions {
  /** How long the caller waits for the reply; the transport rejects with GATEWAY_TIMEOUT after it. */
  deadlineMs?: number;
}

/**
 * Request/reply to the backing services. Rejects with a CodedError: the remote service's code,
 * GATEWAY_TIMEOUT when the deadline passes, SERVICE_UNAVAILABLE when the broker is away.
 */
export abstract class BackendRpc {
  abstract call<T>(pattern: string, data: unknown, opts?: RpcCallOptions): Promise<T>;
  /** False while the broker connection is down. */
  abstract isConnected(): boolean;
  abstract close(): Promise<void>;
}

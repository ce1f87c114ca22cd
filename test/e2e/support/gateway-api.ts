import { randomUUID } from 'node:crypto';
import { eventually } from '../../support/infra';
import type { Platform } from './platform';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** One answer of the gateway: status, the parsed body (JSON, else text, none for binary files), headers, bytes. */
export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
  bytes: Buffer;
}

export interface ApiOptions {
  /** Bearer access token. */
  token?: string;
  /** A pharmacy POS's API key (`X-API-Key`). */
  apiKey?: string;
  /** `Idempotency-Key`. */
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const BINARY = /^(image\/|application\/(pdf|octet-stream))/;

function parseBody(bytes: Buffer, contentType: string): Json {
  if (!bytes.length || BINARY.test(contentType)) return undefined;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text; // a provider's plain `success`, an HTML page
  }
}

/**
 * The e2e suites' client of the public API (`/api/v1`) and its envelope checks, so every suite
 * speaks to the gateway the same way and asserts the contract's envelope the same way.
 */
export function gatewayApi(platform: () => Platform) {
  async function api(method: string, path: string, opts: ApiOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
    if (opts.key) headers['idempotency-key'] = opts.key;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await platform().get(`/api/v1${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      body: parseBody(bytes, res.headers.get('content-type') ?? ''),
      headers: res.headers,
      bytes,
    };
  }

  /** The data of a success envelope with the expected status. */
  function data(res: Answer, status = 200): Json {
    if (res.status !== status)
      throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    expect(res.body).toMatchObject({ success: true, meta: { timestamp: expect.any(String) } });
    return res.body.data;
  }

  /** `[status, error code]`, for tables of refusals. */
  const errorOf = (res: Answer): [number, string | undefined] => [res.status, res.body?.error?.code];

  /** The contract's error envelope, with its status and code, a trace id and the request id header. */
  function expectError(res: Answer, status: number, code: string) {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(res.body).toEqual({
      success: false,
      error: expect.objectContaining({
        code,
        message: expect.any(String),
        timestamp: expect.any(String),
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  }

  /** Registers a user through the gateway, has the admin approve them, signs them in. */
  async function approvedUser(
    adminToken: string,
    user: {
      role: 'practitioner' | 'pharmacy_operator';
      password: string;
      fullName: string;
      licenseNumber: string;
      emailPrefix?: string;
    },
  ): Promise<{ id: string; email: string; token: string }> {
    const email = `${user.emailPrefix ?? user.role}.${randomUUID().slice(0, 8)}@e2e.test`;
    const { password, role, fullName, licenseNumber } = user;
    const registered = data(
      await api('POST', '/auth/register', { body: { email, password, role, fullName, licenseNumber } }),
      201,
    ).user;
    data(await api('POST', `/admin/users/${registered.id}/approve`, { token: adminToken }));
    const token = data(await api('POST', '/auth/login', { body: { email, password } })).tokens.accessToken;
    return { id: registered.id as string, email, token };
  }

  /**
   * A clinic the admin opens with `memberId` as its member, returned once accounts has opened its
   * account (from identity's `identity.clinic.created`), and funded with `fund` when given.
   */
  async function clinicWithAccount(
    adminToken: string,
    clinic: { name: string; memberId: string; fund?: string },
  ): Promise<string> {
    const { id } = data(
      await api('POST', '/admin/clinics', {
        token: adminToken,
        body: {
          name: clinic.name,
          address: { street: '1 Queen St', city: 'Auckland', country: 'NZ', postalCode: '1010' },
        },
      }),
      201,
    );
    data(
      await api('POST', `/admin/clinics/${id}/members`, { token: adminToken, body: { userId: clinic.memberId } }),
      201,
    );
    await eventually(
      async () => (await api('GET', `/clinic-accounts/${id}`, { token: adminToken })).status === 200,
      30_000,
      100,
    );
    if (clinic.fund !== undefined)
      data(
        await api('POST', `/admin/clinic-accounts/${id}/adjustments`, {
          token: adminToken,
          key: randomUUID(),
          body: { amount: clinic.fund, reason: 'opening balance' },
        }),
        201,
      );
    return id as string;
  }

  return { api, data, errorOf, expectError, approvedUser, clinicWithAccount };
}

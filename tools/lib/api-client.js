'use strict';
// A small client for the gateway's public API, used by the demo scripts the way a portal would
// use it: JSON envelopes, bearer tokens, Idempotency-Key, and Retry-After honoured on 429.
const config = require('./config');

const BASE = process.env.DEMO_BASE_URL || `http://127.0.0.1:${config.gatewayPort()}/api/v1`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One request; answers `{ status, data, error, headers, bytes? }` (bytes for non-JSON bodies). */
async function call(method, path, { token, body, raw, contentType, idempotencyKey } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (raw !== undefined) headers['content-type'] = contentType;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const url = path.startsWith('http') ? path : `${BASE}${path}`;
  for (;;) {
    const res = await fetch(url, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const wait = Number(res.headers.get('retry-after'));
    // The auth rate limit (RATE_LIMIT_AUTH_PER_MIN) applies to scripts too: wait as told, then go on.
    if (res.status === 429 && wait > 0 && wait <= 120) {
      console.log(`  (rate limited on ${path}; waiting ${wait} s)`);
      await sleep(wait * 1000);
      continue;
    }
    const type = res.headers.get('content-type') || '';
    if (!type.includes('json'))
      return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    return {
      status: res.status,
      data: json?.data,
      meta: json?.meta,
      error: json?.error,
      headers: res.headers,
    };
  }
}

/** Like `call`, but anything other than the expected statuses is an error naming the step. */
async function must(method, path, opts = {}, ok = [200, 201, 204]) {
  const r = await call(method, path, opts);
  if (!ok.includes(r.status)) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.error)}`);
  return r.data ?? r.bytes;
}

async function login({ email, password }) {
  return (await must('POST', '/auth/login', { body: { email, password } })).tokens.accessToken;
}

/** Polls `check` until it returns something truthy (events take a moment to reach other services). */
async function eventually(what, check, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const itemsOf = (page) => (Array.isArray(page) ? page : page.items);

module.exports = { BASE, call, must, login, eventually, itemsOf, sleep };

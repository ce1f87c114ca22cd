'use strict';
// Where a saga order's time goes: an OTLP/HTTP (JSON) span receiver the platform's processes export
// to (OTEL_EXPORTER_OTLP_ENDPOINT), and a per-hop breakdown of the traces rooted at POST /orders.
const { once } = require('node:events');
const http = require('node:http');
const { percentile } = require('./stats');

const KIND = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const MAX_SPANS = 2_000_000;

/** A receiver on a free port: `{ url, spans, clear(), close() }`. */
async function startTraceSink() {
  const spans = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        try {
          collect(JSON.parse(Buffer.concat(chunks).toString('utf8')), spans);
        } catch {
          /* not JSON (a protobuf exporter): ignored */
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    spans,
    clear: () => spans.splice(0, spans.length),
    close: () => server.close(),
  };
}

function collect(doc, spans) {
  for (const rs of doc.resourceSpans ?? []) {
    const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue ?? '?';
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        if (spans.length >= MAX_SPANS) return;
        const attr = (key) => {
          const v = s.attributes?.find((a) => a.key === key)?.value;
          return v?.stringValue ?? v?.intValue;
        };
        spans.push({
          service,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || null,
          name: s.name,
          kind: KIND[s.kind] ?? String(s.kind),
          start: Number(BigInt(s.startTimeUnixNano) / 1000n) / 1000,
          end: Number(BigInt(s.endTimeUnixNano) / 1000n) / 1000,
          path: attr('http.target') ?? attr('url.path') ?? attr('http.route') ?? null,
          method: attr('http.method') ?? attr('http.request.method') ?? null,
        });
      }
    }
  }
}

/**
 * Lines describing the traces whose root is the gateway's POST /api/v1/orders: for every kind of
 * span (service, kind, name; the first of each per trace) the median start after the request arrived
 * and the median duration, in order of start — the hops, the database work and the waits between.
 */
function sagaBreakdown(spans, { limit = 45 } = {}) {
  const byTrace = new Map();
  for (const s of spans) {
    if (!byTrace.has(s.traceId)) byTrace.set(s.traceId, []);
    byTrace.get(s.traceId).push(s);
  }
  const roots = spans.filter(
    (s) =>
      s.service === 'gateway' &&
      s.kind === 'SERVER' &&
      s.method === 'POST' &&
      /\/api\/v1\/orders\/?$/.test(s.path ?? ''),
  );
  if (!roots.length) return ['trace breakdown: no POST /api/v1/orders server spans were exported'];
  const rows = new Map();
  for (const root of roots) {
    const seen = new Set();
    for (const s of byTrace.get(root.traceId).sort((a, b) => a.start - b.start)) {
      const key = `${s.service.padEnd(9)} ${s.kind.padEnd(8)} ${s.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!rows.has(key)) rows.set(key, { key, offsets: [], durations: [] });
      rows.get(key).offsets.push(s.start - root.start);
      rows.get(key).durations.push(s.end - s.start);
    }
  }
  const med = (xs) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const p95 = (xs) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      95,
    );
  const lines = [
    `trace breakdown over ${roots.length} orders (median ms after the gateway received the request; spans seen in ≥ 50% of them):`,
    '   start    took  (p95 took)   service   kind     span',
  ];
  const common = [...rows.values()]
    .filter((r) => r.offsets.length >= roots.length / 2)
    .sort((a, b) => med(a.offsets) - med(b.offsets))
    .slice(0, limit);
  for (const r of common) {
    lines.push(
      `  ${med(r.offsets).toFixed(1).padStart(6)}  ${med(r.durations).toFixed(1).padStart(6)}  (${p95(r.durations).toFixed(1).padStart(6)})   ${r.key}`,
    );
  }
  return lines;
}

/** Every span of the POST /api/v1/orders trace with the median duration, nested under its parent. */
function medianTrace(spans) {
  const roots = spans
    .filter(
      (s) =>
        s.service === 'gateway' &&
        s.kind === 'SERVER' &&
        s.method === 'POST' &&
        /\/api\/v1\/orders\/?$/.test(s.path ?? ''),
    )
    .sort((a, b) => a.end - a.start - (b.end - b.start));
  if (!roots.length) return [];
  const root = roots[Math.floor(roots.length / 2)];
  const all = spans.filter((s) => s.traceId === root.traceId).sort((a, b) => a.start - b.start);
  const byId = new Map(all.map((s) => [s.spanId, s]));
  const depth = (s) => (s.parentSpanId && byId.has(s.parentSpanId) ? 1 + depth(byId.get(s.parentSpanId)) : 0);
  return [
    `the median order's trace (${(root.end - root.start).toFixed(1)} ms; ms after the request arrived, duration):`,
    ...all.map(
      (s) =>
        `  ${(s.start - root.start).toFixed(1).padStart(7)} ${(s.end - s.start).toFixed(1).padStart(6)}  ${'  '.repeat(depth(s))}${s.service} ${s.kind} ${s.name}`,
    ),
  ];
}

module.exports = { startTraceSink, sagaBreakdown, medianTrace };

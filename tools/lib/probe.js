'use strict';
// Small, bounded reachability checks and waits used by set-up, the launcher and jest's global set-up.
const net = require('node:net');
const http = require('node:http');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves true when a TCP connection to host:port opens within timeoutMs. */
function tcpOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * GET a URL (credentials in the URL become Basic auth). Resolves { status, body } or null when
 * nothing answers within timeoutMs.
 */
function httpGet(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const u = new URL(url);
    const headers = {};
    if (u.username) {
      headers.authorization =
        'Basic ' +
        Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
    }
    const req = http.get(
      { host: u.hostname, port: u.port || 80, path: u.pathname + u.search, headers, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
        res.on('error', () => resolve(null));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** Polls `check` until it returns a truthy value or timeoutMs passes; returns the last value. */
async function waitFor(check, timeoutMs, everyMs = 250) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v || Date.now() >= until) return v;
    await sleep(everyMs);
  }
}

/** host/port of a URL with the scheme's default port. */
function endpoint(url, defaultPort) {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || defaultPort) };
}

const isLocalHost = (host) => ['127.0.0.1', 'localhost', '::1', '0.0.0.0'].includes(host);

module.exports = { sleep, tcpOpen, httpGet, waitFor, endpoint, isLocalHost };

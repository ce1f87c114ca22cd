'use strict';
// CPU time by component while a bench level runs (Linux /proc): the platform's processes (children
// of this one, by their dist/main.js: replicas of one service add up under its name), the HTTP
// monolith (a child running tools/bench/lib/monolith-http.js), pgbench (a child), PostgreSQL (every
// `postgres` process of the machine: the backends of whoever is connected, the checkpointer, the WAL
// writer…), RabbitMQ, Redis and this process. On a 2-core machine, Σ CPU per order bounds the
// throughput: 2000 ms/s ÷ (CPU ms per order). Also how many processes each component had running.
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

let ticksPerSecond;
const ticks = () => {
  if (!ticksPerSecond) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
};

function componentOf(pid, ppid, comm, cmdline) {
  if (pid === process.pid) return 'bench';
  if (ppid === process.pid) {
    const m = /(?:services\/([a-z]+)|(gateway))\/dist\/main\.js/.exec(cmdline);
    if (m) return m[1] ?? m[2];
    if (cmdline.includes('tools/bench/lib/monolith-http.js')) return 'monolith';
    if (comm === 'pgbench') return 'pgbench';
  }
  if (comm === 'postgres') return 'postgresql';
  if (comm === 'beam.smp') return 'rabbitmq';
  if (comm === 'redis-server') return 'redis';
  return null;
}

/**
 * CPU seconds so far by component (and, non-enumerable, `pids`: component → its pids). Processes of
 * other users of the machine's PostgreSQL count too.
 */
function snapshot() {
  const out = {};
  const pids = {};
  Object.defineProperty(out, 'pids', { value: pids, enumerable: false });
  if (!fs.existsSync('/proc/self/stat')) return out;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ppid = Number(fields[1]);
      const own = (Number(fields[11]) + Number(fields[12])) / ticks();
      // cutime + cstime: the CPU of its children that ended and were waited for. PostgreSQL's
      // postmaster reaps every backend, so a connection that opened and closed within a measurement
      // (pgbench's) is counted there; a live backend's children are none, so nothing counts twice.
      const reaped = (Number(fields[13]) + Number(fields[14])) / ticks();
      const cmdline = ppid === process.pid ? fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8') : '';
      const name = componentOf(Number(entry), ppid, comm, cmdline);
      if (name) {
        out[name] = (out[name] ?? 0) + own + (name === 'postgresql' ? reaped : 0);
        (pids[name] ??= []).push(Number(entry));
      }
      // This process's children that ended meanwhile (a pgbench run, a stopped service): their own
      // line, as they are no longer there to be named.
      if (name === 'bench' && reaped > 0) out['ended children'] = reaped;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/**
 * Starts measuring; `stop(orders)` → `{ perOrderMs: { component: ms }, totalMs, processes }`, where
 * `processes` counts each component's processes seen running at the start or the end.
 */
function cpuMeter() {
  const before = snapshot();
  return {
    stop(orders) {
      const after = snapshot();
      const processes = {};
      for (const name of new Set([...Object.keys(before.pids), ...Object.keys(after.pids)])) {
        processes[name] = new Set([...(before.pids[name] ?? []), ...(after.pids[name] ?? [])]).size;
      }
      const perOrderMs = {};
      for (const [name, s] of Object.entries(after)) {
        const used = s - (before[name] ?? 0);
        if (used > 0) perOrderMs[name] = (used * 1000) / Math.max(orders, 1);
      }
      const totalMs = Object.values(perOrderMs).reduce((a, b) => a + b, 0);
      return { perOrderMs, totalMs, processes };
    },
  };
}

/** `orders 8.1, postgresql 4.0, … = 24.0 ms` (largest first, components under 0.05 ms left out). */
function cpuLine({ perOrderMs, totalMs }) {
  const parts = Object.entries(perOrderMs)
    .filter(([, ms]) => ms >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([n, ms]) => `${n} ${ms.toFixed(1)}`);
  return `${parts.join(', ')} = ${totalMs.toFixed(1)} ms`;
}

module.exports = { cpuMeter, cpuLine, snapshot };

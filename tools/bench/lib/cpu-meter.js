'use strict';
// CPU time by component while a bench level runs (Linux /proc): the platform's processes (children
// of this one, by their dist/main.js), PostgreSQL, RabbitMQ, Redis and this process. On a 2-core
// machine, Σ CPU per order bounds the throughput: 2000 ms/s ÷ (CPU ms per order).
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
  }
  if (comm === 'postgres') return 'postgresql';
  if (comm === 'beam.smp') return 'rabbitmq';
  if (comm === 'redis-server') return 'redis';
  return null;
}

/** CPU seconds so far by component. Processes of other users of the machine's PostgreSQL count too. */
function snapshot() {
  const out = {};
  if (!fs.existsSync('/proc/self/stat')) return out;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ppid = Number(fields[1]);
      const cpu = (Number(fields[11]) + Number(fields[12])) / ticks();
      const cmdline = ppid === process.pid ? fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8') : '';
      const name = componentOf(Number(entry), ppid, comm, cmdline);
      if (name) out[name] = (out[name] ?? 0) + cpu;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/** Starts measuring; `stop(orders)` → `{ perOrderMs: { component: ms }, totalMs }`. */
function cpuMeter() {
  const before = snapshot();
  return {
    stop(orders) {
      const after = snapshot();
      const perOrderMs = {};
      for (const [name, s] of Object.entries(after)) {
        const used = s - (before[name] ?? 0);
        if (used > 0) perOrderMs[name] = (used * 1000) / Math.max(orders, 1);
      }
      const totalMs = Object.values(perOrderMs).reduce((a, b) => a + b, 0);
      return { perOrderMs, totalMs };
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

'use strict';
// PostgreSQL's own TPC-B-like throughput on this machine, the physical reference of the orders
// bench: `pgbench -i -s <scale>` on a scratch database, then a timed run of its built-in script
// (per transaction: three UPDATEs, a SELECT, an INSERT, one commit) with `clients` connections on
// `threads` threads. What one PostgreSQL can commit here, whatever sits in front of it.
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const { createScratchDatabase } = require('../../lib/scratch');
const { cpuMeter } = require('./cpu-meter');

const PGBENCH = process.env.PGBENCH_PATH || '/usr/bin/pgbench';

function pgbench(args, url) {
  const u = new URL(url);
  const connection = [
    '-h',
    u.hostname,
    '-p',
    u.port || '5432',
    '-U',
    decodeURIComponent(u.username) || 'postgres',
  ];
  return new Promise((resolve, reject) => {
    execFile(
      PGBENCH,
      [...connection, ...args, decodeURIComponent(u.pathname.slice(1))],
      {
        env: { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) },
        maxBuffer: 16 << 20,
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`pgbench ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(`${stdout}\n${stderr}`);
      },
    );
  });
}

/**
 * `{ tps, latencyMs, transactions, failed, cpu, command }` of a pgbench run (tps without the initial
 * connection time), or `{ error }` when pgbench is missing or failed.
 */
async function runPgbench({ scale = 10, clients = 32, threads = 2, seconds = 10 } = {}) {
  if (!fs.existsSync(PGBENCH)) return { error: `${PGBENCH} not found` };
  const db = await createScratchDatabase('pcbench_pgbench');
  const command = `pgbench -c ${clients} -j ${threads} -T ${seconds} (scale ${scale})`;
  try {
    await pgbench(['-i', '-q', '-s', String(scale)], db.url);
    const cpu = cpuMeter();
    const out = await pgbench(['-c', String(clients), '-j', String(threads), '-T', String(seconds)], db.url);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
    if (!Number.isFinite(tps)) return { error: `no tps in pgbench's output:\n${out}`, command };
    const used = cpu.stop(transactions);
    // pgbench itself has ended by now: this process's reaped children are it.
    if (used.perOrderMs['ended children'] !== undefined) {
      used.perOrderMs.pgbench = used.perOrderMs['ended children'];
      delete used.perOrderMs['ended children'];
    }
    return { tps, latencyMs, transactions, failed, cpu: used, command };
  } catch (e) {
    return { error: e.message, command };
  } finally {
    await db.drop().catch(() => {});
  }
}

module.exports = { runPgbench };

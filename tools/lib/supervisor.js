'use strict';
// Runs the built processes as children of one launcher: prefixes their output with their name,
// restarts one that dies unexpectedly (with backoff), and stops them all gracefully on request.
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const {
  ROOT,
  PROJECTS,
  databaseEnv,
  gatewayPort,
  developmentAdmin,
  isProductionEnv,
  instanceEnv,
  serviceOf,
  CONFIG_REFUSED_EXIT_CODE,
} = require('./config');

const TELEMETRY_REGISTER = path.join(ROOT, 'libs', 'messaging', 'dist', 'observability', 'register.js');
const NAME_WIDTH = Math.max(...PROJECTS.map((p) => p.name.length), 'launcher'.length);
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
// A child that stayed up this long counts as healthy again: its next crash restarts quickly.
const HEALTHY_AFTER_MS = 30_000;

const label = (name) => name.padEnd(NAME_WIDTH);

function prefixLines(stream, name, out) {
  readline
    .createInterface({ input: stream, crlfDelay: Infinity })
    .on('line', (line) => out.write(`${label(name)} | ${line}\n`));
}

/** The dist entry point of a process, or an Error saying what is missing. */
function entryPoint(p) {
  const main = path.join(ROOT, p.dir, 'dist', 'main.js');
  if (fs.existsSync(main)) return main;
  const src = path.join(ROOT, p.dir, 'src', 'main.ts');
  return new Error(
    `${p.name}: ${path.relative(ROOT, main)} is missing — ` +
      (fs.existsSync(src)
        ? 'the build did not produce it'
        : `${path.relative(ROOT, src)} does not exist yet`),
  );
}

/** Node arguments for a process: the telemetry bootstrap first when it has been built. */
function nodeArgs(main) {
  return fs.existsSync(TELEMETRY_REGISTER) ? ['--require', TELEMETRY_REGISTER, main] : [main];
}

/**
 * Environment of a child: the caller's, with every database URL resolved, its service name and its
 * instance id (`orders-2` is service orders, instance orders-2: config.instanceEnv); in development
 * also the generated first-admin login (config.developmentAdmin) — never in production, where the
 * operator sets ADMIN_EMAIL / ADMIN_PASSWORD.
 */
function childEnv(name, env = process.env) {
  return {
    ...developmentAdmin(env),
    // The QR sandboxes deliver their signed notices through the gateway's own notice routes, as the
    // providers would (accounts' PAYMENTS_NOTIFY_BASE_URL); never in production.
    ...(isProductionEnv(env)
      ? {}
      : { PAYMENTS_NOTIFY_BASE_URL: `http://127.0.0.1:${gatewayPort(env)}/api/v1` }),
    ...env,
    ...databaseEnv(env),
    OTEL_SERVICE_NAME: env.OTEL_SERVICE_NAME || serviceOf(name),
    ...instanceEnv(name, env),
  };
}

class Supervisor {
  constructor({
    log = (l) => console.log(`${label('launcher')} | ${l}`),
    stdout = process.stdout,
    stderr = process.stderr,
    onRefused = null,
  } = {}) {
    this.log = log;
    // Called with the child's name when it exits CONFIG_REFUSED_EXIT_CODE: restarting a process
    // that refuses its configuration cannot help, so it is not restarted and the caller decides.
    this.onRefused = onRefused;
    this.out = { stdout, stderr };
    this.children = new Map();
    this.stopping = false;
    /** Names of the children that exited CONFIG_REFUSED_EXIT_CODE. */
    this.refused = [];
    // Last resort if the launcher exits without a graceful stop: leave no orphans behind.
    process.on('exit', () => {
      for (const c of this.children.values()) if (c.proc && c.proc.exitCode === null) kill(c.proc, 'SIGKILL');
    });
  }

  /** Starts a supervised child; `restart: false` runs it once (e.g. a seed script). */
  run(name, args, { env = process.env, restart = true, onExit } = {}) {
    const c = {
      name,
      args,
      env,
      restart,
      onExit,
      backoff: BACKOFF_MIN_MS,
      proc: null,
      timer: null,
      startedAt: 0,
    };
    this.children.set(name, c);
    this.#spawn(c);
    return c;
  }

  #spawn(c) {
    c.startedAt = Date.now();
    // Own process group: Ctrl-C reaches only the launcher, which then stops children in order.
    const proc = spawn(process.execPath, c.args, {
      cwd: ROOT,
      env: c.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    c.proc = proc;
    prefixLines(proc.stdout, c.name, this.out.stdout);
    prefixLines(proc.stderr, c.name, this.out.stderr);
    proc.on('error', (e) => this.log(`${c.name}: could not start: ${e.message}`));
    proc.on('exit', (code, signal) => {
      const ran = Date.now() - c.startedAt;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      c.onExit?.(code, signal);
      if (this.stopping || !c.restart) {
        if (!this.stopping && !c.onExit) this.log(`${c.name}: exited (${how})`);
        return;
      }
      if (code === CONFIG_REFUSED_EXIT_CODE) {
        c.restart = false;
        this.refused.push(c.name);
        this.log(`${c.name}: refused its configuration (exit ${code}); not restarting it`);
        this.onRefused?.(c.name);
        return;
      }
      c.backoff = ran > HEALTHY_AFTER_MS ? BACKOFF_MIN_MS : c.backoff;
      this.log(
        `${c.name}: exited unexpectedly (${how}) after ${(ran / 1000).toFixed(1)} s; restarting in ${c.backoff / 1000} s`,
      );
      c.timer = setTimeout(() => {
        c.timer = null;
        if (!this.stopping) this.#spawn(c);
      }, c.backoff);
      c.backoff = Math.min(c.backoff * 2, BACKOFF_MAX_MS);
    });
  }

  /** Names of supervised children that are not running right now. */
  down() {
    return [...this.children.values()]
      .filter((c) => c.restart && (!c.proc || c.proc.exitCode !== null || c.proc.signalCode !== null))
      .map((c) => c.name);
  }

  /** SIGTERM to every child, SIGKILL to those still running after timeoutMs. */
  async stop(timeoutMs = 15_000) {
    this.stopping = true;
    const running = [];
    for (const c of this.children.values()) {
      if (c.timer) clearTimeout(c.timer);
      if (c.proc && c.proc.exitCode === null && c.proc.signalCode === null) running.push(c);
    }
    if (!running.length) return;
    this.log(`stopping ${running.map((c) => c.name).join(', ')}`);
    const exited = running.map((c) => new Promise((resolve) => c.proc.once('exit', resolve)));
    for (const c of running) kill(c.proc, 'SIGTERM');
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([Promise.all(exited), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      const stuck = running.filter((c) => c.proc.exitCode === null && c.proc.signalCode === null);
      this.log(`${stuck.map((c) => c.name).join(', ')} still running after ${timeoutMs / 1000} s: SIGKILL`);
      for (const c of stuck) kill(c.proc, 'SIGKILL');
      await Promise.all(exited);
    }
  }
}

/** Signals the child's whole process group (it leads one), falling back to the child alone. */
function kill(proc, signal) {
  try {
    process.kill(-proc.pid, signal);
  } catch {
    try {
      proc.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Stops the supervisor on SIGINT/SIGTERM/SIGHUP, then exits; a second signal kills at once. */
function stopOnSignals(supervisor, { timeoutMs = 15_000 } = {}) {
  let stopping = false;
  const handler = (signal) => {
    if (stopping) {
      supervisor.log(`${signal} again: killing everything`);
      for (const c of supervisor.children.values()) if (c.proc) kill(c.proc, 'SIGKILL');
      process.exit(130);
    }
    stopping = true;
    supervisor.log(`${signal}: shutting down`);
    supervisor.stop(timeoutMs).then(
      () => {
        supervisor.log('all stopped');
        process.exit(0);
      },
      (e) => {
        supervisor.log(`stop failed: ${e.message}`);
        process.exit(1);
      },
    );
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, handler);
  // `kill <npm pid>` stops npm and its shell but does not reach us: a new parent means we were orphaned.
  const parent = process.ppid;
  setInterval(() => {
    if (!stopping && process.ppid !== parent) handler('parent process exited');
  }, 1000).unref();
}

module.exports = { Supervisor, stopOnSignals, entryPoint, nodeArgs, childEnv, label, TELEMETRY_REGISTER };

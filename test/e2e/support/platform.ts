/**
 * Runs the whole platform for an e2e suite: five services and the gateway as real child processes
 * (the built dist/main.js of each, as `npm start` runs them), each service on its own fresh database,
 * all on a fresh RabbitMQ vhost, the gateway on a free port. The launcher is plain JS in tools/lib so
 * `npm run bench` starts the very same platform.
 */
export { startPlatform, type Platform, type ProcessName } from '../../../tools/lib/platform';

import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** A closing server keeps accepting until no connection has arrived for this long (the accept queue is empty). */
export const DRAIN_QUIET_MS = 250;
/** …and for no longer than this, well within the 10 s server.ts gives a shutdown before it exits. */
export const DRAIN_MAX_MS = 2_000;

/**
 * On close, Fastify stops routing (`return503OnClosing`: every new request is answered 503 with
 * `Connection: close`), runs the preClose hooks, then stops listening, which resets every connection still in
 * the kernel's accept queue. This hook waits in between until connections stop arriving, so those get the 503
 * too and a load balancer retries them elsewhere.
 */
async function drain(app: FastifyInstance) {
  app.addHook('preClose', async () => {
    if (!app.server.listening) return;
    const started = Date.now();
    let last = started;
    const arrived = () => {
      last = Date.now();
    };
    app.server.on('connection', arrived);
    try {
      while (Date.now() - last < DRAIN_QUIET_MS && Date.now() - started < DRAIN_MAX_MS) await sleep(DRAIN_QUIET_MS / 5);
    } finally {
      app.server.off('connection', arrived);
    }
  });
}

export default fp(drain, { name: 'drain' });

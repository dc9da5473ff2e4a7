import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook of the admin routes: 403 when writes are disabled, 401 without the right bearer token. */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    /** Who writes, for the history: `admin:<first 8 hex of sha256(token)>`. Never the token. */
    adminActor?: string;
  }
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The actor name recorded for writes made with a token: identifies which token without revealing it. */
export function actorFor(token: string): string {
  return `admin:${digest(token).toString('hex').slice(0, 8)}`;
}

/**
 * Bearer-token authentication of the write API. The token is compared as SHA-256 digests with
 * timingSafeEqual: equal lengths whatever was sent, and no early exit on the first differing byte. The token
 * never reaches a log: Fastify logs a request's method, url and addresses, not its headers,
 * and only the actor (a hash prefix) is recorded.
 */
async function auth(app: FastifyInstance, opts: { token: string | undefined }) {
  const expected = opts.token === undefined ? undefined : digest(opts.token);
  const actor = opts.token === undefined ? undefined : actorFor(opts.token);

  app.decorate('requireAdmin', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!expected) {
      return reply
        .code(403)
        .send(errorBody(403, 'writes are disabled on this server; set ADMIN_TOKEN (16+ characters) to enable the admin API'));
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    const ok = match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
    if (!ok) {
      const reason = match ? 'the bearer token is not valid' : 'send Authorization: Bearer <ADMIN_TOKEN>';
      return reply
        .code(401)
        .header('www-authenticate', `Bearer realm="cloudiff"${match ? ', error="invalid_token"' : ''}`)
        .send(errorBody(401, `authentication required: ${reason}`));
    }
    request.adminActor = actor;
  });
}

export default fp(auth, { name: 'auth' });

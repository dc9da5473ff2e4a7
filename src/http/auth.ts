import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from '../kb/errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook of the admin routes: 403 when writes are disabled, 401 without the right bearer token. */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** The actor for an Authorization header, or an AuthError (GraphQL mutations use it directly). */
    adminCheck: (authorization: string | undefined) => string;
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

/** Why a request may not write: 403 when writes are disabled, 401 without the right bearer token. */
export class AuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN',
    message: string,
    readonly challenge?: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/**
 * Bearer-token authentication of the write API (REST routes and GraphQL mutations alike). The token is
 * compared as SHA-256 digests with timingSafeEqual: equal lengths whatever was sent, and no early exit on the
 * first differing byte. Returns the actor to record, or throws an AuthError.
 */
export function createAdminCheck(token: string | undefined): (authorization: string | undefined) => string {
  const expected = token === undefined ? undefined : digest(token);
  const actor = token === undefined ? undefined : actorFor(token);
  return (authorization) => {
    if (!expected || !actor) {
      throw new AuthError(
        403,
        'FORBIDDEN',
        'writes are disabled on this server; set ADMIN_TOKEN (16+ characters) to enable the admin API',
      );
    }
    const match = typeof authorization === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization) : null;
    if (match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected)) return actor;
    const reason = match ? 'the bearer token is not valid' : 'send Authorization: Bearer <ADMIN_TOKEN>';
    throw new AuthError(
      401,
      'UNAUTHENTICATED',
      `authentication required: ${reason}`,
      `Bearer realm="cloudiff"${match ? ', error="invalid_token"' : ''}`,
    );
  };
}

/**
 * The REST side: `requireAdmin` as an onRequest hook of the admin routes. The token never reaches a log:
 * Fastify logs a request's method, url and addresses, not its headers, and only the actor (a hash prefix)
 * is recorded.
 */
async function auth(app: FastifyInstance, opts: { token: string | undefined }) {
  const check = createAdminCheck(opts.token);
  app.decorate('adminCheck', check);
  app.decorate('requireAdmin', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      request.adminActor = check(request.headers.authorization);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (err.challenge) reply.header('www-authenticate', err.challenge);
      return reply.code(err.statusCode).send(errorBody(err.statusCode, err.message));
    }
  });
}

export default fp(auth, { name: 'auth' });

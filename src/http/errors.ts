import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { BadInputError, errorBody, NotFoundError } from '../kb/errors.js';

const PART_NAMES: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
};

/**
 * Maps every failure to the error shape: validation and knowledge-layer errors name the parameter, client
 * errors keep their 4xx status, and only a fault of ours is a 500 (logged, with a message that leaks nothing).
 */
async function errors(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { headers?: Record<string, string> }, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const part = PART_NAMES[err.validationContext ?? ''] ?? 'input';
      const problems = err.validation.map((v) => {
        const name = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const message = /received undefined$/.test(v.message ?? '') ? 'is required' : v.message;
        return name ? `${part} "${name}": ${message}` : `${part}: ${message}`;
      });
      return reply.code(400).send(errorBody(400, problems.join('; ')));
    }
    if (err instanceof BadInputError) {
      const part = request.method === 'GET' ? 'query parameter' : 'field';
      return reply.code(400).send(errorBody(400, `${part} "${err.param}": ${err.detail}`));
    }
    if (err instanceof NotFoundError) return reply.code(404).send(errorBody(404, err.message));
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(status).send(errorBody(status, err.message));
    }
    const code = Math.max(status, 500);
    if (code === 500) request.log.error({ err }, 'request failed');
    // 503 (load shedding, closing) says why; anything else of ours leaks nothing
    return reply.code(code).send(errorBody(code, code === 503 ? err.message : 'internal error; the failure was logged'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    reply.code(404).send(errorBody(404, `no route ${request.method} ${path}; see /docs for the API`));
  });
}

export default fp(errors, { name: 'errors' });

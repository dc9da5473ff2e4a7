import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../kb/errors.js';
import type { Kb } from '../kb/kb.js';

/**
 * The MCP SDK is loaded on the first /mcp request, not at boot: most deployments never see an agent, and
 * loading it costs a few hundred milliseconds and about 10 MB of heap.
 */
let sdk:
  | Promise<
      [
        typeof import('./tools.js'),
        typeof import('./jsonrpc.js'),
        typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
      ]
    >
  | undefined;
const loadSdk = () => {
  sdk ??= Promise.all([
    import('./tools.js'),
    import('./jsonrpc.js'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
  ]);
  return sdk;
};

/** Fastify's errors for a body that is not JSON; JSON-RPC calls that a Parse error. */
const UNPARSABLE_BODY = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY']);

/**
 * MCP over streamable HTTP at /mcp, stateless: every POST gets its own server and transport, so replicas
 * behind a load balancer need no session affinity. Fastify has already parsed the JSON body; a well-formed one
 * is handed to the transport, which then owns the raw response (hence `hijack`), after the headers the app's
 * hooks set (security headers, CORS, rate limit) are copied onto it. Without sessions there is no stream to
 * GET and nothing to DELETE: both answer 405 in the API's error shape.
 */
async function mcp(app: FastifyInstance, { kb }: { kb: Kb }) {
  const errorHandler = async (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    if (!UNPARSABLE_BODY.has(err.code)) throw err;
    const { jsonRpcError, PARSE_ERROR } = (await loadSdk())[1];
    return reply.code(400).send(jsonRpcError(PARSE_ERROR, `Parse error: ${err.message}`));
  };
  app.post('/mcp', { schema: { hide: true }, errorHandler }, async (request, reply) => {
    const [{ createMcpServer }, { checkMessages }, { StreamableHTTPServerTransport }] = await loadSdk();
    // a body Fastify did not parse as JSON (another content type) is the transport's to refuse (415)
    const refused = typeof request.body === 'string' ? undefined : checkMessages(request.body);
    if (refused) return reply.code(refused.status).send(refused.body);
    const server = createMcpServer(kb, request.log);
    // JSON responses rather than an SSE stream: every tool answers at once, and plain JSON passes every proxy
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    reply.hijack();
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (err) {
      request.log.error({ err }, 'mcp request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(
          JSON.stringify({
            jsonrpc: '2.0',
            error: { code: -32603, message: 'internal error; the failure was logged' },
            id: null,
          }),
        );
      }
    }
  });

  const notAllowed = async (_request: unknown, reply: FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send(
        errorBody(
          405,
          'this MCP endpoint is stateless: send JSON-RPC requests with POST /mcp; there is no session to GET or DELETE',
        ),
      );
  app.get('/mcp', { schema: { hide: true } }, notAllowed);
  app.delete('/mcp', { schema: { hide: true } }, notAllowed);
}

export default mcp;

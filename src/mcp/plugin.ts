import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorBody } from '../kb/errors.js';
import type { Kb } from '../kb/snapshot.js';

/**
 * The MCP SDK is loaded on the first /mcp request, not at boot: most deployments never see an agent, and
 * the SDK is a tenth of the server's start-up time and memory.
 */
let sdk: Promise<[typeof import('./tools.js'), typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js')]> | undefined;
const loadSdk = () => {
  sdk ??= Promise.all([import('./tools.js'), import('@modelcontextprotocol/sdk/server/streamableHttp.js')]);
  return sdk;
};

/**
 * MCP over streamable HTTP at /mcp, stateless: every POST gets its own server and transport, so replicas
 * behind a load balancer need no session affinity. Fastify has already parsed the JSON body; it is handed to
 * the transport, which then owns the raw response (hence `hijack`). Without sessions there is no stream to
 * GET and nothing to DELETE: both answer 405 in the API's error shape.
 */
async function mcp(app: FastifyInstance, { kb }: { kb: Kb }) {
  app.post('/mcp', { schema: { hide: true } }, async (request, reply) => {
    const [{ createMcpServer }, { StreamableHTTPServerTransport }] = await loadSdk();
    const server = createMcpServer(kb, request.log);
    // JSON responses rather than an SSE stream: every tool answers at once, and plain JSON passes every proxy
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
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

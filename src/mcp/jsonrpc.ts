import {
  CallToolRequestSchema,
  InitializeRequestSchema,
  JSONRPCMessageSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

/** JSON-RPC 2.0's error codes (section 5.1) that this endpoint answers itself. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;

export interface JsonRpcError {
  jsonrpc: '2.0';
  error: { code: number; message: string };
  id: string | number | null;
}

export const jsonRpcError = (code: number, message: string, id: string | number | null = null): JsonRpcError => ({
  jsonrpc: '2.0',
  error: { code, message },
  id,
});

/** The params of every method the server handles; the SDK itself answers a mismatch with -32603 (internal error). */
const PARAMS = new Map<string, { safeParse(v: unknown): { success: boolean; error?: { issues: IssueLike[] } } }>([
  ['initialize', InitializeRequestSchema],
  ['ping', PingRequestSchema],
  ['tools/list', ListToolsRequestSchema],
  ['tools/call', CallToolRequestSchema],
]);

interface IssueLike {
  path: PropertyKey[];
  message: string;
}

function messageError(message: unknown): JsonRpcError | undefined {
  if (!JSONRPCMessageSchema.safeParse(message).success) {
    return jsonRpcError(INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 request, notification or response');
  }
  const { method, id } = message as { method?: unknown; id?: string | number };
  // a notification (no id) gets no answer, not even an error
  const schema = typeof method === 'string' && id !== undefined ? PARAMS.get(method) : undefined;
  const issues = schema?.safeParse(message).error?.issues;
  if (!issues) return undefined;
  const detail = issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ');
  return jsonRpcError(INVALID_PARAMS, `Invalid params: ${detail}`, id ?? null);
}

/**
 * The errors the SDK's transport would answer with the wrong code (JSON-RPC 2.0 and MCP): an empty batch or a
 * message that is not JSON-RPC is -32600 (HTTP 400), params that do not fit their method are -32602. Undefined
 * when every message is well formed and the transport may take the body. A batch with a bad message is answered
 * with the errors of its bad messages only, none of it run (MCP 2025-06-18 has no batches; older clients rarely
 * send them).
 */
export function checkMessages(body: unknown): { status: number; body: JsonRpcError | JsonRpcError[] } | undefined {
  if (Array.isArray(body) && body.length === 0) {
    return { status: 400, body: jsonRpcError(INVALID_REQUEST, 'Invalid Request: an empty batch') };
  }
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  const errors = messages.flatMap((m) => messageError(m) ?? []);
  if (errors.length === 0) return undefined;
  const status = errors.some((e) => e.error.code === INVALID_REQUEST) ? 400 : 200;
  return { status, body: Array.isArray(body) ? errors : (errors[0] as JsonRpcError) };
}

import type { FastifyInstance } from 'fastify';

export interface GqlAnswer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; argument?: string; limit?: string } }[];
  };
  headers: Record<string, unknown>;
}

/** POSTs a GraphQL request the way a client does and answers the status and parsed body. */
export async function gql(
  app: FastifyInstance,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GqlAnswer> {
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers,
    payload: { query, ...(variables ? { variables } : {}) },
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

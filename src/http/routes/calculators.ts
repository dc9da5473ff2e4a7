import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IpCapacityQuerySchema, IpCapacitySchema } from '../../domain/calculators.js';
import { ipCapacity } from '../../kb/calculators/index.js';
import type { Kb } from '../../kb/kb.js';
import { readErrors } from '../schemas.js';

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/calculators/ip-capacity',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'ipCapacity',
        tags: ['calculators'],
        summary: 'How many nodes and pods fit in a pod range or subnet on GKE, AKS or EKS',
        description:
          'Applies the per-node address rules the ip-allocation and pod-networking facts state (GKE per-node blocks of at least 2 x max pods, the AKS Overlay /24 per node, AKS flat modes, the EKS ENI formula and /28 prefixes) to the ranges given, and answers with the node and pod limits, the limiting factor, the arithmetic in plain sentences, the assumptions made and the facts and sources the rules come from. A parameter the mode does not use is refused by name.',
        querystring: IpCapacityQuerySchema,
        response: { 200: IpCapacitySchema, ...readErrors },
      },
    },
    async (request) => ipCapacity(kb, request.query),
  );
};

export default routes;

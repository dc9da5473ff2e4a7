import { z } from 'zod';
import { DatasetRefSchema, FactSourceSchema } from './api.js';
import { ProviderSlugSchema } from './seed.js';

/** The calculator modes of each provider; the first is the default (it matches the seed's default variant). */
export const CAPACITY_MODES = {
  aws: ['secondary-ip', 'prefix-delegation'],
  azure: ['overlay', 'pod-subnet', 'pod-subnet-static', 'node-subnet', 'kubenet'],
  gcp: ['vpc-native'],
} as const;
export type CapacityMode = (typeof CAPACITY_MODES)[keyof typeof CAPACITY_MODES][number];

/** What bounds the node count, in the order ties are reported. */
export const LIMITING_FACTORS = [
  'pod_range',
  'pod_subnet',
  'node_subnet',
  'subnet',
  'route_table_limit',
  'cluster_node_limit',
] as const;
export const LimitingFactorSchema = z.enum(LIMITING_FACTORS);
export type LimitingFactor = z.infer<typeof LimitingFactorSchema>;

// Query parameters arrive as strings; the knowledge layer parses them so every 400 names the parameter and
// the range valid for the provider and mode (a zod number here could not know the provider).
const param = (description: string) => z.string().max(100).meta({ description }).optional();

export const IpCapacityQuerySchema = z.object({
  provider: z.string().max(100).meta({ description: 'aws, azure or gcp, or an alias such as eks, aks, gke' }),
  mode: param(
    'gcp: vpc-native; azure: overlay (default), pod-subnet, pod-subnet-static, node-subnet, kubenet; aws: secondary-ip (default), prefix-delegation',
  ),
  pod_cidr: param('the Pod range / pod CIDR, e.g. 10.0.0.0/14 (gcp, azure overlay and kubenet)'),
  pod_range_prefix: param('the Pod range size as a prefix length instead of pod_cidr, e.g. 14 or /14'),
  node_subnet: param('the subnet nodes take their IPs from, e.g. 10.1.0.0/24 (optional except azure node-subnet)'),
  pod_subnet: param('azure pod-subnet modes: the pod subnet, e.g. 10.2.0.0/16'),
  subnet: param('aws: the VPC subnet nodes and pods share, e.g. 10.0.0.0/19'),
  max_pods: param('max pods per node (default per provider and mode)'),
  enis: param('aws secondary-ip: ENIs of the instance type, e.g. 3 for m5.large'),
  ips_per_eni: param('aws secondary-ip: IPv4 addresses per ENI, e.g. 10 for m5.large'),
});
export type IpCapacityQuery = z.infer<typeof IpCapacityQuerySchema>;

export const IpCapacityInputsSchema = z
  .object({
    pod_cidr: z.string().optional(),
    pod_range_prefix: z.number().int().optional(),
    node_subnet: z.string().optional(),
    pod_subnet: z.string().optional(),
    subnet: z.string().optional(),
    max_pods: z.number().int(),
    enis: z.number().int().optional(),
    ips_per_eni: z.number().int().optional(),
  })
  .meta({ id: 'IpCapacityInputs', description: 'the inputs as used: CIDRs normalized, defaults filled in' });
export type IpCapacityInputs = z.infer<typeof IpCapacityInputsSchema>;

export const IpCapacityLimitSchema = z
  .object({
    factor: LimitingFactorSchema,
    max_nodes: z.number().int(),
    detail: z.string().meta({ description: 'the arithmetic of this limit' }),
  })
  .meta({ id: 'IpCapacityLimit' });
export type IpCapacityLimit = z.infer<typeof IpCapacityLimitSchema>;

export const IpCapacitySchema = z
  .object({
    provider: ProviderSlugSchema,
    mode: z.string(),
    inputs: IpCapacityInputsSchema,
    per_node: z.object({
      max_pods: z.number().int(),
      pod_block: z
        .string()
        .nullable()
        .meta({ description: 'the CIDR block size each node reserves for pods (/24), or null where there is none' }),
      pod_ips: z.number().int().meta({ description: 'pod addresses a node holds at full pod density' }),
      node_ips: z.number().int().meta({ description: 'addresses the node itself takes from its subnet' }),
      ips_per_node: z.number().int().meta({
        description: 'pod_ips + node_ips: what a node costs where pods and node share one range (aws, azure node-subnet)',
      }),
    }),
    max_nodes: z.number().int(),
    max_pods_total: z.number().int().meta({ description: 'max_nodes x max pods per node' }),
    limiting_factor: LimitingFactorSchema,
    limits: z.array(IpCapacityLimitSchema).meta({ description: 'every limit that applies, the tightest first' }),
    explanation: z.string(),
    assumptions: z.array(z.string()),
    facts: z.array(z.string()).meta({ description: 'ids of the facts whose rules the calculation applies' }),
    citations: z.array(FactSourceSchema),
    dataset: DatasetRefSchema,
  })
  .meta({ id: 'IpCapacity' });
export type IpCapacity = z.infer<typeof IpCapacitySchema>;

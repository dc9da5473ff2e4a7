import {
  CAPACITY_MODES,
  type CapacityMode,
  type IpCapacity,
  type IpCapacityInputs,
  type IpCapacityLimit,
  type IpCapacityQuery,
  LIMITING_FACTORS,
  type LimitingFactor,
} from '../domain/calculators.js';
import type { ProviderSlug } from '../domain/seed.js';
import { requireProvider } from './catalog.js';
import { BadInputError } from './errors.js';
import type { Kb } from './kb.js';

/*
 * The IP capacity calculator: how many nodes (and pods) fit in a pod range or subnet, per provider and CNI
 * mode. The rules are the ones the ip-allocation and pod-networking facts state; each mode lists the ids of
 * those facts, and tests/kb/calculators.test.ts fails when one of them leaves the seed. Everything but
 * `ipCapacity` is pure arithmetic over parsed inputs.
 */

/** Addresses the clouds keep in every subnet (network, gateway, DNS, broadcast …); not in the seed yet. */
export const SUBNET_RESERVED: Record<ProviderSlug, number> = { aws: 5, azure: 5, gcp: 4 };
const CLOUD_NAME: Record<ProviderSlug, string> = { aws: 'AWS', azure: 'Azure', gcp: 'Google' };

/** azure/ip-allocation/per-node-pod-range#azure-cni-overlay: a fixed /24 per node. */
export const AKS_NODE_BLOCK_PREFIX = 24;
/** azure/ip-allocation/pod-cidr-defaults#azure-cni-overlay: the default pod CIDR and the 5,000-node limit. */
export const AKS_OVERLAY_DEFAULT_POD_CIDR = '10.244.0.0/16';
export const AKS_OVERLAY_MAX_NODES = 5000;
/** azure/pod-networking/default-cni#kubenet-legacy: kubenet is limited to 400 nodes (route table). */
export const AKS_KUBENET_MAX_NODES = 400;
/** azure/ip-allocation/warm-pool-tuning#azure-cni-pod-subnet-dynamic: batches of 16, another below 8 free. */
export const AKS_POD_SUBNET_BATCH = 16;
export const AKS_POD_SUBNET_MIN_FREE = 8;
/** azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet: dynamic mode supports pod subnets up to /16. */
export const AKS_POD_SUBNET_LARGEST_PREFIX = 16;
/** aws/ip-allocation/per-node-pod-range#prefix-delegation: a /28 (16 addresses) per ENI slot. */
export const EKS_PREFIX_SIZE = 16;
/** Host-network pods (aws-node, kube-proxy) the ENI formula adds: aws/ip-allocation/max-pods-per-node#secondary-ip-mode. */
export const EKS_HOST_NETWORK_PODS = 2;

interface MaxPodsRange {
  min: number;
  max: number;
  default: number;
}

interface ModeSpec {
  title: string;
  /** Query parameters the mode reads (besides provider and mode); any other is refused by name. */
  params: readonly (keyof IpCapacityQuery)[];
  maxPods: MaxPodsRange;
  facts: readonly string[];
  compute(q: IpCapacityQuery, maxPods: MaxPodsRange): Calculation;
}

/** A calculation without what the knowledge base adds (citations, dataset version). */
export type Calculation = Omit<IpCapacity, 'provider' | 'mode' | 'facts' | 'citations' | 'dataset'>;

// ---------------------------------------------------------------------------------------------------------
// Parsing: every failure names its parameter.

export interface Range {
  /** Normalized `a.b.c.d/n`, or undefined when only a prefix length was given. */
  cidr?: string;
  prefix: number;
  size: number;
}

const MIN_PREFIX = 1;
const MAX_PREFIX = 30;

function checkPrefix(param: string, prefix: number, text: string): void {
  if (!Number.isInteger(prefix) || prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
    throw new BadInputError(param, `prefix length in "${text}" is out of range; use /${MIN_PREFIX} to /${MAX_PREFIX}`);
  }
}

/** An IPv4 CIDR such as 10.0.0.0/14; host bits must be zero (the clouds refuse them too). */
export function parseCidr(param: string, text: string): Range {
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})\s*$/.exec(text);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  if (!m || octets.some((o) => o > 255)) {
    throw new BadInputError(param, `"${text}" is not an IPv4 CIDR such as 10.0.0.0/16`);
  }
  const prefix = Number(m[5]);
  checkPrefix(param, prefix, text);
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(address / size) * size;
  const cidr = `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${prefix}`;
  if (network !== address) throw new BadInputError(param, `"${text}" has host bits set; did you mean ${cidr}?`);
  return { cidr, prefix, size };
}

/** A prefix length such as 14 or /14. */
export function parsePrefixLength(param: string, text: string): Range {
  const m = /^\s*\/?(\d{1,2})\s*$/.exec(text);
  if (!m) throw new BadInputError(param, `"${text}" is not a prefix length such as 14 or /14`);
  const prefix = Number(m[1]);
  checkPrefix(param, prefix, text);
  return { prefix, size: 2 ** (32 - prefix) };
}

export function parseIntParam(param: string, text: string, min: number, max: number, context: string): number {
  const value = /^\s*\d{1,6}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadInputError(param, `"${text}" is out of range; ${context} takes an integer from ${min} to ${max}`);
  }
  return value;
}

/** The pod range from pod_cidr or pod_range_prefix (one of them), or the fallback when neither is given. */
function podRange(q: IpCapacityQuery, fallback?: string): Range {
  if (q.pod_cidr !== undefined && q.pod_range_prefix !== undefined) {
    throw new BadInputError('pod_range_prefix', 'give pod_cidr or pod_range_prefix, not both');
  }
  if (q.pod_cidr !== undefined) return parseCidr('pod_cidr', q.pod_cidr);
  if (q.pod_range_prefix !== undefined) return parsePrefixLength('pod_range_prefix', q.pod_range_prefix);
  if (fallback) return parseCidr('pod_cidr', fallback);
  throw new BadInputError('pod_cidr', 'is required (or pod_range_prefix, e.g. 14)');
}

function requiredCidr(q: IpCapacityQuery, param: 'node_subnet' | 'pod_subnet' | 'subnet', why: string): Range {
  const text = q[param];
  if (text === undefined) throw new BadInputError(param, `is required: ${why}`);
  return parseCidr(param, text);
}

function optionalCidr(q: IpCapacityQuery, param: 'node_subnet'): Range | undefined {
  const text = q[param];
  return text === undefined ? undefined : parseCidr(param, text);
}

function rangeInputs(range: Range): Pick<IpCapacityInputs, 'pod_cidr' | 'pod_range_prefix'> {
  return range.cidr ? { pod_cidr: range.cidr } : { pod_range_prefix: range.prefix };
}

const n = (x: number) => x.toLocaleString('en-US');
const rangeName = (r: Range) => r.cidr ?? `/${r.prefix}`;
const plural = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------------------------------------
// Arithmetic shared by the modes.

/** Usable addresses of a subnet after the cloud's reserved ones. */
export function usableAddresses(provider: ProviderSlug, subnet: Range): number {
  return Math.max(0, subnet.size - SUBNET_RESERVED[provider]);
}

/** GKE: the smallest power-of-two block with at least 2 x max pods addresses (256 -> /23, 110 -> /24, 64 -> /25, 8 -> /28). */
export function gkePodBlock(maxPods: number): { prefix: number; size: number } {
  const bits = Math.ceil(Math.log2(2 * maxPods));
  return { prefix: 32 - bits, size: 2 ** bits };
}

/** EKS secondary-IP mode: ENIs x (IPv4 per ENI - 1) + 2 (aws/ip-allocation/max-pods-per-node#secondary-ip-mode). */
export function eksEniMaxPods(enis: number, ipsPerEni: number): number {
  return enis * (ipsPerEni - 1) + EKS_HOST_NETWORK_PODS;
}

/**
 * EKS secondary-IP mode at full density: the ENIs whose secondary IPs the pods need, plus one warm ENI
 * (WARM_ENI_TARGET=1), never more than the instance has; every attached ENI is filled with IPs.
 */
export function eksAttachedEnis(maxPods: number, enis: number, ipsPerEni: number): number {
  const podIps = Math.max(0, maxPods - EKS_HOST_NETWORK_PODS);
  return Math.min(enis, Math.ceil(podIps / (ipsPerEni - 1)) + 1);
}

/** Node subnet limit: one IP per node. */
function nodeSubnetLimit(provider: ProviderSlug, subnet: Range): IpCapacityLimit {
  const usable = usableAddresses(provider, subnet);
  return {
    factor: 'node_subnet',
    max_nodes: usable,
    detail: `the node subnet ${rangeName(subnet)} holds ${n(subnet.size)} addresses, ${SUBNET_RESERVED[provider]} reserved by ${CLOUD_NAME[provider]}, so ${plural(usable, 'node IP')}`,
  };
}

/** A range split into per-node blocks. */
function blockLimit(factor: LimitingFactor, what: string, range: Range, blockSize: number, blockName: string): IpCapacityLimit {
  const nodes = Math.floor(range.size / blockSize);
  return {
    factor,
    max_nodes: nodes,
    detail: `the ${what} ${rangeName(range)} holds ${n(range.size)} addresses: ${n(range.size)} / ${n(blockSize)} = ${plural(nodes, `${blockName} node block`)}`,
  };
}

/** The tightest limit first; ties keep the order of LIMITING_FACTORS. */
function orderLimits(limits: IpCapacityLimit[]): IpCapacityLimit[] {
  return [...limits].sort(
    (a, b) => a.max_nodes - b.max_nodes || LIMITING_FACTORS.indexOf(a.factor) - LIMITING_FACTORS.indexOf(b.factor),
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Assembles the answer: 2-4 sentences, per-node cost first, then the binding limit, others, totals. */
function assemble(
  inputs: IpCapacityInputs,
  perNode: Omit<Calculation['per_node'], 'ips_per_node'>,
  perNodeSentence: string,
  limits: IpCapacityLimit[],
  assumptions: string[],
): Calculation {
  const ordered = orderLimits(limits);
  const [binding, ...others] = ordered;
  if (!binding) throw new Error('a capacity calculation needs at least one limit');
  const maxNodes = Math.max(0, binding.max_nodes);
  const total = maxNodes * perNode.max_pods;
  const sentences = [perNodeSentence, `${capitalize(binding.detail)}.`];
  if (others.length > 0) {
    sentences.push(
      `Other limits: ${others.map((l) => `${l.factor.replaceAll('_', ' ')} ${plural(l.max_nodes, 'node')}`).join(', ')}.`,
    );
  }
  sentences.push(
    `So at most ${plural(maxNodes, 'node')} (limited by the ${binding.factor.replaceAll('_', ' ')}) and ${n(maxNodes)} x ${n(perNode.max_pods)} = ${plural(total, 'pod')}.`,
  );
  return {
    inputs,
    per_node: { ...perNode, ips_per_node: perNode.pod_ips + perNode.node_ips },
    max_nodes: maxNodes,
    max_pods_total: total,
    limiting_factor: binding.factor,
    limits: ordered,
    explanation: sentences.join(' '),
    assumptions,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The modes.

function gkeVpcNative(q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const pods = podRange(q);
  const maxPods = maxPodsOf(q, range, 'GKE VPC-native');
  const nodeSubnet = optionalCidr(q, 'node_subnet');
  const block = gkePodBlock(maxPods);
  const limits = [blockLimit('pod_range', 'Pod range', pods, block.size, `/${block.prefix}`)];
  if (nodeSubnet) limits.push(nodeSubnetLimit('gcp', nodeSubnet));
  return assemble(
    { ...rangeInputs(pods), ...(nodeSubnet ? { node_subnet: nodeSubnet.cidr } : {}), max_pods: maxPods },
    { max_pods: maxPods, pod_block: `/${block.prefix}`, pod_ips: block.size, node_ips: 1 },
    `At ${n(maxPods)} max pods per node each node reserves a /${block.prefix} (${n(block.size)} addresses) from the Pod range, the smallest block with at least 2 x ${n(maxPods)} = ${n(2 * maxPods)} addresses.`,
    limits,
    [
      'Every node reserves its whole block when it is created, however many pods it runs.',
      'Secondary (Pod) ranges have no reserved addresses; the node subnet loses 4 (network, gateway, second-to-last, broadcast).',
      ...(nodeSubnet ? [] : ['No node_subnet given: the node subnet is not checked.']),
      'One node pool with one max pods value; pools with other values, additional (multi-Pod CIDR) ranges and surge nodes during upgrades are not counted.',
    ],
  );
}

function aksBlockPerNode(mode: 'overlay' | 'kubenet', q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const overlay = mode === 'overlay';
  const pods = podRange(q, overlay ? AKS_OVERLAY_DEFAULT_POD_CIDR : undefined);
  const maxPods = maxPodsOf(q, range, overlay ? 'AKS Azure CNI Overlay' : 'AKS kubenet');
  const nodeSubnet = optionalCidr(q, 'node_subnet');
  const blockSize = 2 ** (32 - AKS_NODE_BLOCK_PREFIX);
  const limits = [
    blockLimit('pod_range', 'pod CIDR', pods, blockSize, `/${AKS_NODE_BLOCK_PREFIX}`),
    overlay
      ? {
          factor: 'cluster_node_limit' as const,
          max_nodes: AKS_OVERLAY_MAX_NODES,
          detail: `AKS Overlay clusters are limited to ${n(AKS_OVERLAY_MAX_NODES)} nodes`,
        }
      : {
          factor: 'route_table_limit' as const,
          max_nodes: AKS_KUBENET_MAX_NODES,
          detail: `kubenet routes each node's pod /24 through a route table (UDRs), which limits a cluster to ${AKS_KUBENET_MAX_NODES} nodes`,
        },
  ];
  if (nodeSubnet) limits.push(nodeSubnetLimit('azure', nodeSubnet));
  const assumptions = [
    overlay
      ? 'The /24 per node is fixed by AKS Overlay and does not shrink with a lower max pods.'
      : 'kubenet gives each node a /24 from the pod CIDR (the upstream node CIDR mask size); kubenet is legacy and AKS support ends on 31 March 2028.',
    ...(overlay && q.pod_cidr === undefined && q.pod_range_prefix === undefined
      ? [`No pod_cidr given: the AKS default ${AKS_OVERLAY_DEFAULT_POD_CIDR} is used.`]
      : []),
    overlay
      ? 'Pod addresses are private overlay addresses; only the node IPs come from the VNet subnet, which loses 5 addresses to Azure.'
      : 'Node IPs come from the VNet subnet, which loses 5 addresses to Azure.',
    ...(nodeSubnet ? [] : ['No node_subnet given: the node subnet is not checked.']),
    'Spare node IPs for surge nodes during upgrades are not set aside.',
  ];
  return assemble(
    { ...rangeInputs(pods), ...(nodeSubnet ? { node_subnet: nodeSubnet.cidr } : {}), max_pods: maxPods },
    { max_pods: maxPods, pod_block: `/${AKS_NODE_BLOCK_PREFIX}`, pod_ips: blockSize, node_ips: 1 },
    `Each node takes a /${AKS_NODE_BLOCK_PREFIX} (${blockSize} addresses) from the pod CIDR whatever its max pods (${n(maxPods)} here) and one IP from the node subnet.`,
    limits,
    assumptions,
  );
}

function aksNodeSubnet(q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const subnet = requiredCidr(q, 'node_subnet', 'nodes and pods take their IPs from it');
  const maxPods = maxPodsOf(q, range, 'AKS Azure CNI Node Subnet');
  const perNode = maxPods + 1;
  const usable = usableAddresses('azure', subnet);
  const nodes = Math.floor(usable / perNode);
  return assemble(
    { node_subnet: subnet.cidr, max_pods: maxPods },
    { max_pods: maxPods, pod_block: null, pod_ips: maxPods, node_ips: 1 },
    `Each node reserves max pods + 1 = ${n(perNode)} VNet addresses from the node subnet when it is created (its own IP plus one per pod), even when idle.`,
    [
      {
        factor: 'node_subnet',
        max_nodes: nodes,
        detail: `the node subnet ${rangeName(subnet)} holds ${n(subnet.size)} addresses, 5 reserved by Azure: ${n(usable)} / ${n(perNode)} = ${plural(nodes, 'node')}`,
      },
    ],
    [
      'Addresses are reserved up front per node, so the figure holds whatever the nodes run.',
      'Spare addresses for surge nodes during upgrades and scale-outs are not set aside; a subnet sized exactly for the node count blocks them.',
      'Azure CNI Node Subnet is legacy; Microsoft recommends Azure CNI Overlay or Pod Subnet.',
    ],
  );
}

/** Pod-subnet addresses a dynamic-mode node holds at full density: batches of 16, at least 8 kept free. */
export function aksDynamicPodIps(maxPods: number): number {
  return AKS_POD_SUBNET_BATCH * Math.ceil((maxPods + AKS_POD_SUBNET_MIN_FREE) / AKS_POD_SUBNET_BATCH);
}

/** Static block mode: enough /28 blocks for max pods plus the one address reserved per node. */
export function aksStaticBlocks(maxPods: number): number {
  return Math.ceil((maxPods + 1) / 16);
}

/** /28 blocks of a subnet that hold none of the cloud's reserved addresses (they sit in the first and last). */
export function freeSlash28Blocks(subnet: Range): number {
  return Math.max(0, Math.floor(subnet.size / 16) - 2);
}

function aksPodSubnet(mode: 'pod-subnet' | 'pod-subnet-static', q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const dynamic = mode === 'pod-subnet';
  const podSubnet = requiredCidr(q, 'pod_subnet', 'pods take their IPs from it');
  if (dynamic && podSubnet.prefix < AKS_POD_SUBNET_LARGEST_PREFIX) {
    throw new BadInputError(
      'pod_subnet',
      `dynamic IP allocation supports pod subnets up to /${AKS_POD_SUBNET_LARGEST_PREFIX}; ${rangeName(podSubnet)} is larger`,
    );
  }
  const maxPods = maxPodsOf(q, range, dynamic ? 'AKS Azure CNI Pod Subnet (dynamic)' : 'AKS Azure CNI Pod Subnet (static block)');
  const nodeSubnet = optionalCidr(q, 'node_subnet');
  let limit: IpCapacityLimit;
  let podIps: number;
  let sentence: string;
  if (dynamic) {
    podIps = aksDynamicPodIps(maxPods);
    const usable = usableAddresses('azure', podSubnet);
    const nodes = Math.floor(usable / podIps);
    sentence = `Each node takes one IP from the node subnet and pod IPs from the pod subnet in batches of ${AKS_POD_SUBNET_BATCH}, asking for another batch when fewer than ${AKS_POD_SUBNET_MIN_FREE} are free: at ${n(maxPods)} pods that is ${AKS_POD_SUBNET_BATCH} x ceil((${n(maxPods)} + ${AKS_POD_SUBNET_MIN_FREE}) / ${AKS_POD_SUBNET_BATCH}) = ${n(podIps)} addresses.`;
    limit = {
      factor: 'pod_subnet',
      max_nodes: nodes,
      detail: `the pod subnet ${rangeName(podSubnet)} holds ${n(podSubnet.size)} addresses, 5 reserved by Azure: ${n(usable)} / ${n(podIps)} = ${plural(nodes, 'node')}`,
    };
  } else {
    const blocks = aksStaticBlocks(maxPods);
    podIps = blocks * 16;
    const free = freeSlash28Blocks(podSubnet);
    const nodes = Math.floor(free / blocks);
    sentence = `Each node takes one IP from the node subnet and ceil((${n(maxPods)} + 1) / 16) = ${plural(blocks, '/28 block')} (${n(podIps)} addresses) from the pod subnet, one address per node being reserved.`;
    limit = {
      factor: 'pod_subnet',
      max_nodes: nodes,
      detail: `the pod subnet ${rangeName(podSubnet)} holds ${plural(Math.floor(podSubnet.size / 16), '/28 block')}, ${n(free)} free of Azure's reserved addresses: ${n(free)} / ${n(blocks)} = ${plural(nodes, 'node')}`,
    };
  }
  const limits = [limit];
  if (nodeSubnet) limits.push(nodeSubnetLimit('azure', nodeSubnet));
  return assemble(
    { pod_subnet: podSubnet.cidr, ...(nodeSubnet ? { node_subnet: nodeSubnet.cidr } : {}), max_pods: maxPods },
    { max_pods: maxPods, pod_block: dynamic ? null : '/28', pod_ips: podIps, node_ips: 1 },
    sentence,
    limits,
    [
      dynamic
        ? 'Full pod density; the batch rule is applied as documented, so if the CNI caps a node at max pods the figure is slightly conservative. Released IPs of deleted pods are not counted.'
        : "The /28 blocks holding Azure's 5 reserved addresses (first and last of the subnet) are not used; Microsoft recommends max pods of the form 16N - 1 (15, 31, 47 …) so no block is wasted.",
      ...(nodeSubnet ? [] : ['No node_subnet given: the node subnet is not checked.']),
      'Spare addresses for surge nodes during upgrades are not set aside; a pod subnet can be shared by node pools and clusters, which all draw on it.',
    ],
  );
}

function eksSecondaryIp(q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const subnet = requiredCidr(q, 'subnet', 'nodes and pods take their IPs from the same VPC subnet');
  if ((q.enis === undefined) !== (q.ips_per_eni === undefined)) {
    throw new BadInputError(
      q.enis === undefined ? 'enis' : 'ips_per_eni',
      'give enis and ips_per_eni together (e.g. 3 and 10 for m5.large)',
    );
  }
  if (q.enis === undefined && q.max_pods === undefined) {
    throw new BadInputError(
      'max_pods',
      'is required unless enis and ips_per_eni are given (e.g. enis=3&ips_per_eni=10 for m5.large)',
    );
  }
  let maxPods: number;
  let podIps: number;
  let nodeIps: number;
  let sentence: string;
  const assumptions: string[] = [];
  let eniInputs: Pick<IpCapacityInputs, 'enis' | 'ips_per_eni'> = {};
  if (q.enis !== undefined && q.ips_per_eni !== undefined) {
    const enis = parseIntParam('enis', q.enis, 1, 64, 'an instance type');
    const ipsPerEni = parseIntParam('ips_per_eni', q.ips_per_eni, 2, 64, 'an ENI');
    eniInputs = { enis, ips_per_eni: ipsPerEni };
    const limit = eksEniMaxPods(enis, ipsPerEni);
    maxPods =
      q.max_pods === undefined
        ? limit
        : maxPodsOf(
            q,
            { ...range, max: Math.min(range.max, limit) },
            `this instance type (${enis} ENIs x ${ipsPerEni} IPv4) in secondary-IP mode`,
          );
    const attached = eksAttachedEnis(maxPods, enis, ipsPerEni);
    const podEnis = Math.ceil(Math.max(0, maxPods - EKS_HOST_NETWORK_PODS) / (ipsPerEni - 1));
    nodeIps = attached;
    podIps = attached * (ipsPerEni - 1);
    sentence =
      maxPods === limit
        ? `${n(enis)} ENIs x ${n(ipsPerEni)} IPv4 addresses give max pods ${n(enis)} x (${n(ipsPerEni)} - 1) + 2 = ${n(maxPods)}; at full density every ENI is attached and filled, so each node takes ${n(enis)} x ${n(ipsPerEni)} = ${n(attached * ipsPerEni)} subnet addresses.`
        : `At ${n(maxPods)} max pods (the ENI limit is ${n(limit)}) a node needs ${plural(podEnis, 'ENI')} of pod IPs${attached > podEnis ? ' plus one warm ENI (WARM_ENI_TARGET=1)' : ''}: ${n(attached)} x ${n(ipsPerEni)} = ${n(attached * ipsPerEni)} subnet addresses per node.`;
    assumptions.push(
      'Each attached ENI holds its primary IP plus a full set of secondary IPs; the 2 host-network pods (aws-node, kube-proxy) use the node IP.',
      'Default warm pool WARM_ENI_TARGET=1: a spare ENI of IPs is attached until the instance has no more ENIs; WARM_IP_TARGET/MINIMUM_IP_TARGET lower this.',
    );
  } else {
    maxPods = maxPodsOf(q, range, 'EKS secondary-IP mode');
    nodeIps = 1;
    podIps = maxPods;
    sentence = `Each node takes 1 + ${n(maxPods)} = ${n(maxPods + 1)} subnet addresses at full density (its own IP plus one per pod).`;
    assumptions.push(
      'ENI sizes not given: a node is counted as 1 + max pods addresses. Below the ENI limit the default warm pool (WARM_ENI_TARGET=1) holds up to one more ENI of addresses per node; pass enis and ips_per_eni to include it.',
    );
  }
  const usable = usableAddresses('aws', subnet);
  const perNode = podIps + nodeIps;
  const nodes = Math.floor(usable / perNode);
  assumptions.push(
    'One subnet shared by nodes and pods (no custom networking); other ENIs in the subnet (load balancers, endpoints) and surge nodes are not counted.',
  );
  return assemble(
    { subnet: subnet.cidr, max_pods: maxPods, ...eniInputs },
    { max_pods: maxPods, pod_block: null, pod_ips: podIps, node_ips: nodeIps },
    sentence,
    [
      {
        factor: 'subnet',
        max_nodes: nodes,
        detail: `the subnet ${rangeName(subnet)} holds ${n(subnet.size)} addresses, 5 reserved by AWS: ${n(usable)} / ${n(perNode)} = ${plural(nodes, 'node')}`,
      },
    ],
    assumptions,
  );
}

/** EKS prefix delegation: /28 prefixes for max pods plus one warm prefix (WARM_PREFIX_TARGET=1). */
export function eksPrefixesPerNode(maxPods: number): number {
  return Math.ceil(maxPods / EKS_PREFIX_SIZE) + 1;
}

/** The most nodes whose prefixes plus node IPs (packed 16 to a /28) fit in the free /28 blocks. */
export function eksPrefixNodes(freeBlocks: number, prefixesPerNode: number): number {
  let nodes = Math.floor((freeBlocks * EKS_PREFIX_SIZE) / (EKS_PREFIX_SIZE * prefixesPerNode + 1));
  while ((nodes + 1) * prefixesPerNode + Math.ceil((nodes + 1) / EKS_PREFIX_SIZE) <= freeBlocks) nodes++;
  while (nodes > 0 && nodes * prefixesPerNode + Math.ceil(nodes / EKS_PREFIX_SIZE) > freeBlocks) nodes--;
  return nodes;
}

function eksPrefixDelegation(q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const subnet = requiredCidr(q, 'subnet', 'nodes and pod prefixes come from the same VPC subnet');
  const maxPods = maxPodsOf(q, range, 'EKS prefix delegation');
  const prefixes = eksPrefixesPerNode(maxPods);
  const free = freeSlash28Blocks(subnet);
  const nodes = eksPrefixNodes(free, prefixes);
  return assemble(
    { subnet: subnet.cidr, max_pods: maxPods },
    { max_pods: maxPods, pod_block: '/28', pod_ips: prefixes * EKS_PREFIX_SIZE, node_ips: 1 },
    `At ${n(maxPods)} max pods each node holds ceil(${n(maxPods)} / 16) = ${n(prefixes - 1)} /28 prefixes for pods plus 1 warm prefix (WARM_PREFIX_TARGET=1), ${n(prefixes * EKS_PREFIX_SIZE)} addresses, and 1 node IP.`,
    [
      {
        factor: 'subnet',
        max_nodes: nodes,
        detail: `the subnet ${rangeName(subnet)} holds ${plural(Math.floor(subnet.size / 16), '/28 block')}, ${n(free)} free of AWS's 5 reserved addresses; ${n(nodes)} nodes x ${n(prefixes)} prefixes plus their node IPs fill ${n(nodes * prefixes + Math.ceil(nodes / EKS_PREFIX_SIZE))} of them`,
      },
    ],
    [
      'Max pods is the kubelet setting you pass in prefix mode: AWS recommends at most 110 on instances with 30 vCPUs or fewer and 250 above; the instance must be Nitro-based with enough ENI slots for the prefixes.',
      'Prefixes need whole, aligned /28 blocks; node IPs are counted as packed 16 to a /28. Scattered IPs of other resources fragment a subnet (InsufficientCidrBlocks), which a subnet CIDR reservation for prefixes avoids.',
      "The /28 blocks holding AWS's reserved addresses (first and last of the subnet) are not used; surge nodes are not counted.",
    ],
  );
}

function maxPodsOf(q: IpCapacityQuery, range: MaxPodsRange, context: string): number {
  return q.max_pods === undefined ? range.default : parseIntParam('max_pods', q.max_pods, range.min, range.max, context);
}

// Max pods ranges and defaults: the max-pods-per-node facts of each provider.
const AKS_MAX_PODS = { min: 10, max: 250 };

const MODES: { [P in ProviderSlug]: Record<(typeof CAPACITY_MODES)[P][number], ModeSpec> } = {
  gcp: {
    'vpc-native': {
      title: 'GKE VPC-native',
      params: ['pod_cidr', 'pod_range_prefix', 'node_subnet', 'max_pods'],
      maxPods: { min: 8, max: 256, default: 110 },
      facts: [
        'gcp/ip-allocation/per-node-pod-range',
        'gcp/ip-allocation/max-pods-per-node#gke-standard',
        'gcp/ip-allocation/pod-cidr-defaults',
      ],
      compute: gkeVpcNative,
    },
  },
  azure: {
    overlay: {
      title: 'AKS Azure CNI Overlay',
      params: ['pod_cidr', 'pod_range_prefix', 'node_subnet', 'max_pods'],
      maxPods: { ...AKS_MAX_PODS, default: 250 },
      facts: [
        'azure/ip-allocation/per-node-pod-range#azure-cni-overlay',
        'azure/ip-allocation/max-pods-per-node',
        'azure/ip-allocation/pod-cidr-defaults#azure-cni-overlay',
        'azure/pod-networking/default-cni#azure-cni-overlay',
      ],
      compute: (q, r) => aksBlockPerNode('overlay', q, r),
    },
    'pod-subnet': {
      title: 'AKS Azure CNI Pod Subnet (dynamic IP allocation)',
      params: ['pod_subnet', 'node_subnet', 'max_pods'],
      maxPods: { ...AKS_MAX_PODS, default: 110 },
      facts: [
        'azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet',
        'azure/ip-allocation/warm-pool-tuning#azure-cni-pod-subnet-dynamic',
        'azure/ip-allocation/max-pods-per-node',
        'azure/pod-networking/default-cni#azure-cni-pod-subnet',
      ],
      compute: (q, r) => aksPodSubnet('pod-subnet', q, r),
    },
    'pod-subnet-static': {
      title: 'AKS Azure CNI Pod Subnet (static block allocation)',
      params: ['pod_subnet', 'node_subnet', 'max_pods'],
      maxPods: { ...AKS_MAX_PODS, default: 110 },
      facts: [
        'azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet',
        'azure/ip-allocation/max-pods-per-node',
        'azure/pod-networking/default-cni#azure-cni-pod-subnet',
      ],
      compute: (q, r) => aksPodSubnet('pod-subnet-static', q, r),
    },
    'node-subnet': {
      title: 'AKS Azure CNI Node Subnet (legacy)',
      params: ['node_subnet', 'max_pods'],
      maxPods: { ...AKS_MAX_PODS, default: 30 },
      facts: [
        'azure/ip-allocation/per-node-pod-range#azure-cni-node-subnet-legacy',
        'azure/ip-allocation/max-pods-per-node',
        'azure/pod-networking/default-cni#azure-cni-node-subnet-legacy',
      ],
      compute: aksNodeSubnet,
    },
    kubenet: {
      title: 'AKS kubenet (legacy)',
      params: ['pod_cidr', 'pod_range_prefix', 'node_subnet', 'max_pods'],
      maxPods: { ...AKS_MAX_PODS, default: 110 },
      facts: [
        'azure/pod-networking/default-cni#kubenet-legacy',
        'azure/ip-allocation/max-pods-per-node',
        'azure/pod-networking/kubenet-retirement',
      ],
      compute: (q, r) => aksBlockPerNode('kubenet', q, r),
    },
  },
  aws: {
    'secondary-ip': {
      title: 'EKS VPC CNI secondary-IP mode',
      params: ['subnet', 'max_pods', 'enis', 'ips_per_eni'],
      // an upper bound for kubelet max pods; with enis and ips_per_eni the ENI formula bounds it instead
      maxPods: { min: 1, max: 1000, default: 0 },
      facts: [
        'aws/ip-allocation/per-node-pod-range#secondary-ip-mode',
        'aws/ip-allocation/max-pods-per-node#secondary-ip-mode',
        'aws/ip-allocation/warm-pool-tuning',
        'aws/ip-allocation/pod-cidr-defaults',
      ],
      compute: eksSecondaryIp,
    },
    'prefix-delegation': {
      title: 'EKS VPC CNI prefix delegation',
      params: ['subnet', 'max_pods'],
      maxPods: { min: 1, max: 250, default: 110 },
      facts: [
        'aws/ip-allocation/per-node-pod-range#prefix-delegation',
        'aws/ip-allocation/max-pods-per-node#prefix-delegation',
        'aws/ip-allocation/warm-pool-tuning',
        'aws/ip-allocation/pod-cidr-defaults',
      ],
      compute: eksPrefixDelegation,
    },
  },
};

/** Every (provider, mode) with the fact ids it applies; tests check that each id is in the seed. */
export function capacityModes(): { provider: ProviderSlug; mode: CapacityMode; title: string; facts: readonly string[] }[] {
  return (Object.keys(MODES) as ProviderSlug[]).flatMap((provider) =>
    Object.entries(MODES[provider] as Record<CapacityMode, ModeSpec>).map(([mode, spec]) => ({
      provider,
      mode: mode as CapacityMode,
      title: spec.title,
      facts: spec.facts,
    })),
  );
}

const QUERY_PARAMS: readonly (keyof IpCapacityQuery)[] = [
  'pod_cidr',
  'pod_range_prefix',
  'node_subnet',
  'pod_subnet',
  'subnet',
  'max_pods',
  'enis',
  'ips_per_eni',
];

/** The pure calculation for a resolved provider: mode selection, parameter checks, arithmetic. */
export function calculateIpCapacity(
  provider: ProviderSlug,
  query: Omit<IpCapacityQuery, 'provider'>,
): Calculation & { mode: CapacityMode; facts: string[] } {
  const modes = MODES[provider] as Record<string, ModeSpec>;
  const valid = CAPACITY_MODES[provider] as readonly CapacityMode[];
  const mode = (query.mode?.trim().toLowerCase() || valid[0]) as CapacityMode;
  const spec = modes[mode];
  if (!spec) {
    throw new BadInputError(
      'mode',
      `"${query.mode}" is not a mode of ${provider}; use one of ${valid.join(', ')} (default ${valid[0]})`,
    );
  }
  const q = { provider, ...query } as IpCapacityQuery;
  for (const p of QUERY_PARAMS) {
    if (q[p] !== undefined && !spec.params.includes(p)) {
      throw new BadInputError(p, `is not used by ${provider} mode ${mode} (${spec.title}); it takes ${spec.params.join(', ')}`);
    }
  }
  return { mode, ...spec.compute(q, spec.maxPods), facts: [...spec.facts] };
}

/**
 * GET /v1/calculators/ip-capacity: the calculation plus the facts it rests on and their sources. A fact id
 * missing from the dataset is left out of `facts` and `citations` (the arithmetic does not depend on it);
 * the test over the real seed makes such a disappearance fail loudly.
 */
export function ipCapacity(kb: Kb, query: IpCapacityQuery): IpCapacity {
  const snap = kb.snapshot();
  const provider = requireProvider(snap, 'provider', query.provider);
  const { mode, facts, ...calc } = calculateIpCapacity(provider, query);
  const found = facts.flatMap((id) => {
    const fact = snap.factById.get(id);
    return fact ? [fact] : [];
  });
  const seen = new Set<string>();
  const citations = found.flatMap((f) => f.sources).filter((s) => !seen.has(s.url) && seen.add(s.url));
  return {
    provider,
    mode,
    ...calc,
    facts: found.map((f) => f.id),
    citations,
    dataset: { version: snap.version },
  };
}

import type { CAPACITY_MODES, IpCapacityQuery } from '../../../domain/calculators.js';
import {
  assemble,
  blockLimit,
  type Calculation,
  type ModeSpec,
  NO_NODE_SUBNET,
  n,
  nodeSubnetLimit,
  rangeInputs,
} from '../answer.js';
import { gkePodBlock, NODE_IPS } from '../formulas.js';
import { maxPodsOf, optionalCidr, podRange } from '../query.js';
import { GKE_MAX_PODS, GKE_POD_BLOCK_FACTOR, type MaxPodsRange, SUBNET_RESERVED } from '../rules.js';

/* GKE: one mode, VPC-native, where each node reserves a power-of-two block of the Pod range. */

function vpcNative(q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const pods = podRange(q);
  const maxPods = maxPodsOf(q, range, 'GKE VPC-native');
  const nodeSubnet = optionalCidr(q, 'node_subnet');
  const block = gkePodBlock(maxPods);
  const limits = [blockLimit('pod_range', 'Pod range', pods, block.size, `/${block.prefix}`)];
  if (nodeSubnet) limits.push(nodeSubnetLimit('gcp', nodeSubnet));
  return assemble(
    { ...rangeInputs(pods), ...(nodeSubnet ? { node_subnet: nodeSubnet.cidr } : {}), max_pods: maxPods },
    { max_pods: maxPods, pod_block: `/${block.prefix}`, pod_ips: block.size, node_ips: NODE_IPS },
    `At ${n(maxPods)} max pods per node each node reserves a /${block.prefix} (${n(block.size)} addresses) from the Pod range, the smallest block with at least ${GKE_POD_BLOCK_FACTOR} x ${n(maxPods)} = ${n(GKE_POD_BLOCK_FACTOR * maxPods)} addresses.`,
    limits,
    [
      'Every node reserves its whole block when it is created, however many pods it runs.',
      `Secondary (Pod) ranges have no reserved addresses; the node subnet loses ${SUBNET_RESERVED.gcp} (network, gateway, second-to-last, broadcast).`,
      ...(nodeSubnet ? [] : [NO_NODE_SUBNET]),
      'One node pool with one max pods value; pools with other values, additional (multi-Pod CIDR) ranges and surge nodes during upgrades are not counted.',
    ],
  );
}

export const GKE_MODES: Record<(typeof CAPACITY_MODES)['gcp'][number], ModeSpec> = {
  'vpc-native': {
    title: 'GKE VPC-native',
    params: ['pod_cidr', 'pod_range_prefix', 'node_subnet', 'max_pods'],
    maxPods: GKE_MAX_PODS,
    facts: [
      'gcp/ip-allocation/per-node-pod-range',
      'gcp/ip-allocation/max-pods-per-node#gke-standard',
      'gcp/ip-allocation/pod-cidr-defaults',
    ],
    compute: vpcNative,
  },
};

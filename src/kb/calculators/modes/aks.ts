import type { CAPACITY_MODES, IpCapacityLimit, IpCapacityQuery } from '../../../domain/calculators.js';
import { BadInputError } from '../../errors.js';
import {
  assemble,
  blockLimit,
  type Calculation,
  type ModeSpec,
  NO_NODE_SUBNET,
  n,
  nodeSubnetLimit,
  perNodeSubnetLimit,
  plural,
  rangeInputs,
  rangeName,
  spelled,
} from '../answer.js';
import { blockSize } from '../cidr.js';
import { AKS_STATIC_BLOCK_SIZE, aksDynamicPodIps, aksStaticBlocks, freeBlocks, NODE_IPS, wholeBlocks } from '../formulas.js';
import { maxPodsOf, optionalCidr, podRange, requiredCidr } from '../query.js';
import {
  AKS_DEFAULT_MAX_PODS,
  AKS_KUBENET_MAX_NODES,
  AKS_KUBENET_RETIREMENT,
  AKS_MAX_PODS,
  AKS_OVERLAY_DEFAULT_POD_CIDR,
  AKS_OVERLAY_MAX_NODES,
  AKS_OVERLAY_NODE_BLOCK_PREFIX,
  AKS_POD_SUBNET_BATCH,
  AKS_POD_SUBNET_LARGEST_PREFIX,
  AKS_POD_SUBNET_MIN_FREE,
  AKS_STATIC_BLOCK_PREFIX,
  AKS_STATIC_RESERVED_PER_NODE,
  KUBENET_NODE_BLOCK_PREFIX,
  type MaxPodsRange,
  SUBNET_RESERVED,
} from '../rules.js';

/*
 * AKS: Overlay and kubenet give each node a /24 of a pod CIDR; Node Subnet reserves max pods VNet IPs per
 * node up front; Pod Subnet takes pod IPs from a pod subnet in batches (dynamic) or /28 blocks (static).
 */

const RESERVED = SUBNET_RESERVED.azure;

function blockPerNode(mode: 'overlay' | 'kubenet', q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const overlay = mode === 'overlay';
  const pods = podRange(q, overlay ? AKS_OVERLAY_DEFAULT_POD_CIDR : undefined);
  const maxPods = maxPodsOf(q, range, overlay ? 'AKS Azure CNI Overlay' : 'AKS kubenet');
  const nodeSubnet = optionalCidr(q, 'node_subnet');
  const prefix = overlay ? AKS_OVERLAY_NODE_BLOCK_PREFIX : KUBENET_NODE_BLOCK_PREFIX;
  const size = blockSize(prefix);
  const limits: IpCapacityLimit[] = [
    blockLimit('pod_range', 'pod CIDR', pods, size, `/${prefix}`),
    overlay
      ? {
          factor: 'cluster_node_limit',
          max_nodes: AKS_OVERLAY_MAX_NODES,
          detail: `AKS Overlay clusters are limited to ${n(AKS_OVERLAY_MAX_NODES)} nodes`,
        }
      : {
          factor: 'route_table_limit',
          max_nodes: AKS_KUBENET_MAX_NODES,
          detail: `kubenet routes each node's pod /${prefix} through a route table (UDRs), which limits a cluster to ${n(AKS_KUBENET_MAX_NODES)} nodes`,
        },
  ];
  if (nodeSubnet) limits.push(nodeSubnetLimit('azure', nodeSubnet));
  const assumptions = [
    overlay
      ? `The /${prefix} per node is fixed by AKS Overlay and does not shrink with a lower max pods.`
      : `kubenet gives each node a /${prefix} from the pod CIDR (the upstream node CIDR mask size); kubenet is legacy and AKS support ends on ${AKS_KUBENET_RETIREMENT}.`,
    ...(overlay && q.pod_cidr === undefined && q.pod_range_prefix === undefined
      ? [`No pod_cidr given: the AKS default ${AKS_OVERLAY_DEFAULT_POD_CIDR} is used.`]
      : []),
    overlay
      ? `Pod addresses are private overlay addresses; only the node IPs come from the VNet subnet, which loses ${RESERVED} addresses to Azure.`
      : `Node IPs come from the VNet subnet, which loses ${RESERVED} addresses to Azure.`,
    ...(nodeSubnet ? [] : [NO_NODE_SUBNET]),
    'Spare node IPs for surge nodes during upgrades are not set aside.',
  ];
  return assemble(
    { ...rangeInputs(pods), ...(nodeSubnet ? { node_subnet: nodeSubnet.cidr } : {}), max_pods: maxPods },
    { max_pods: maxPods, pod_block: `/${prefix}`, pod_ips: size, node_ips: NODE_IPS },
    `Each node takes a /${prefix} (${n(size)} addresses) from the pod CIDR whatever its max pods (${n(maxPods)} here) and ${spelled(NODE_IPS)} IP from the node subnet.`,
    limits,
    assumptions,
  );
}

function nodeSubnet(q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const subnet = requiredCidr(q, 'node_subnet', 'nodes and pods take their IPs from it');
  const maxPods = maxPodsOf(q, range, 'AKS Azure CNI Node Subnet');
  const perNode = maxPods + NODE_IPS;
  return assemble(
    { node_subnet: subnet.cidr, max_pods: maxPods },
    { max_pods: maxPods, pod_block: null, pod_ips: maxPods, node_ips: NODE_IPS },
    `Each node reserves max pods + ${NODE_IPS} = ${n(perNode)} VNet addresses from the node subnet when it is created (its own IP plus one per pod), even when idle.`,
    [perNodeSubnetLimit('node_subnet', 'node subnet', 'azure', subnet, perNode)],
    [
      'Addresses are reserved up front per node, so the figure holds whatever the nodes run.',
      'Spare addresses for surge nodes during upgrades and scale-outs are not set aside; a subnet sized exactly for the node count blocks them.',
      'Azure CNI Node Subnet is legacy; Microsoft recommends Azure CNI Overlay or Pod Subnet.',
    ],
  );
}

function podSubnet(mode: 'pod-subnet' | 'pod-subnet-static', q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const dynamic = mode === 'pod-subnet';
  const subnet = requiredCidr(q, 'pod_subnet', 'pods take their IPs from it');
  if (dynamic && subnet.prefix < AKS_POD_SUBNET_LARGEST_PREFIX) {
    throw new BadInputError(
      'pod_subnet',
      `dynamic IP allocation supports pod subnets up to /${AKS_POD_SUBNET_LARGEST_PREFIX}; ${rangeName(subnet)} is larger`,
    );
  }
  const maxPods = maxPodsOf(q, range, dynamic ? 'AKS Azure CNI Pod Subnet (dynamic)' : 'AKS Azure CNI Pod Subnet (static block)');
  const node = optionalCidr(q, 'node_subnet');
  const block = `/${AKS_STATIC_BLOCK_PREFIX}`;
  let limit: IpCapacityLimit;
  let podIps: number;
  let sentence: string;
  if (dynamic) {
    podIps = aksDynamicPodIps(maxPods);
    sentence = `Each node takes ${spelled(NODE_IPS)} IP from the node subnet and pod IPs from the pod subnet in batches of ${AKS_POD_SUBNET_BATCH}, asking for another batch when fewer than ${AKS_POD_SUBNET_MIN_FREE} are free: at ${n(maxPods)} pods that is ${AKS_POD_SUBNET_BATCH} x ceil((${n(maxPods)} + ${AKS_POD_SUBNET_MIN_FREE}) / ${AKS_POD_SUBNET_BATCH}) = ${n(podIps)} addresses.`;
    limit = perNodeSubnetLimit('pod_subnet', 'pod subnet', 'azure', subnet, podIps);
  } else {
    const blocks = aksStaticBlocks(maxPods);
    podIps = blocks * AKS_STATIC_BLOCK_SIZE;
    const free = freeBlocks(subnet.size, AKS_STATIC_BLOCK_SIZE);
    const nodes = Math.floor(free / blocks);
    sentence = `Each node takes ${spelled(NODE_IPS)} IP from the node subnet and ceil((${n(maxPods)} + ${AKS_STATIC_RESERVED_PER_NODE}) / ${AKS_STATIC_BLOCK_SIZE}) = ${plural(blocks, `${block} block`)} (${n(podIps)} addresses) from the pod subnet, ${spelled(AKS_STATIC_RESERVED_PER_NODE)} address per node being reserved.`;
    limit = {
      factor: 'pod_subnet',
      max_nodes: nodes,
      detail: `the pod subnet ${rangeName(subnet)} holds ${plural(wholeBlocks(subnet.size, AKS_STATIC_BLOCK_SIZE), `${block} block`)}, ${n(free)} free of Azure's reserved addresses: ${n(free)} / ${n(blocks)} = ${plural(nodes, 'node')}`,
    };
  }
  const limits = [limit];
  if (node) limits.push(nodeSubnetLimit('azure', node));
  const size = AKS_STATIC_BLOCK_SIZE;
  const reserved = AKS_STATIC_RESERVED_PER_NODE;
  return assemble(
    { pod_subnet: subnet.cidr, ...(node ? { node_subnet: node.cidr } : {}), max_pods: maxPods },
    { max_pods: maxPods, pod_block: dynamic ? null : block, pod_ips: podIps, node_ips: NODE_IPS },
    sentence,
    limits,
    [
      dynamic
        ? 'Full pod density; the batch rule is applied as documented, so if the CNI caps a node at max pods the figure is slightly conservative. Released IPs of deleted pods are not counted.'
        : `The ${block} blocks holding Azure's ${RESERVED} reserved addresses (first and last of the subnet) are not used; Microsoft recommends max pods of the form ${size}N - ${reserved} (${[1, 2, 3].map((k) => k * size - reserved).join(', ')} …) so no block is wasted.`,
      ...(node ? [] : [NO_NODE_SUBNET]),
      'Spare addresses for surge nodes during upgrades are not set aside; a pod subnet can be shared by node pools and clusters, which all draw on it.',
    ],
  );
}

export const AKS_MODES: Record<(typeof CAPACITY_MODES)['azure'][number], ModeSpec> = {
  overlay: {
    title: 'AKS Azure CNI Overlay',
    params: ['pod_cidr', 'pod_range_prefix', 'node_subnet', 'max_pods'],
    maxPods: { ...AKS_MAX_PODS, default: AKS_DEFAULT_MAX_PODS.overlay },
    facts: [
      'azure/ip-allocation/per-node-pod-range#azure-cni-overlay',
      'azure/ip-allocation/max-pods-per-node',
      'azure/ip-allocation/pod-cidr-defaults#azure-cni-overlay',
      'azure/pod-networking/default-cni#azure-cni-overlay',
    ],
    compute: (q, r) => blockPerNode('overlay', q, r),
  },
  'pod-subnet': {
    title: 'AKS Azure CNI Pod Subnet (dynamic IP allocation)',
    params: ['pod_subnet', 'node_subnet', 'max_pods'],
    maxPods: { ...AKS_MAX_PODS, default: AKS_DEFAULT_MAX_PODS.podSubnet },
    facts: [
      'azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet',
      'azure/ip-allocation/warm-pool-tuning#azure-cni-pod-subnet-dynamic',
      'azure/ip-allocation/max-pods-per-node',
      'azure/pod-networking/default-cni#azure-cni-pod-subnet',
    ],
    compute: (q, r) => podSubnet('pod-subnet', q, r),
  },
  'pod-subnet-static': {
    title: 'AKS Azure CNI Pod Subnet (static block allocation)',
    params: ['pod_subnet', 'node_subnet', 'max_pods'],
    maxPods: { ...AKS_MAX_PODS, default: AKS_DEFAULT_MAX_PODS.podSubnet },
    facts: [
      'azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet',
      'azure/ip-allocation/max-pods-per-node',
      'azure/pod-networking/default-cni#azure-cni-pod-subnet',
    ],
    compute: (q, r) => podSubnet('pod-subnet-static', q, r),
  },
  'node-subnet': {
    title: 'AKS Azure CNI Node Subnet (legacy)',
    params: ['node_subnet', 'max_pods'],
    maxPods: { ...AKS_MAX_PODS, default: AKS_DEFAULT_MAX_PODS.nodeSubnet },
    facts: [
      'azure/ip-allocation/per-node-pod-range#azure-cni-node-subnet-legacy',
      'azure/ip-allocation/max-pods-per-node',
      'azure/pod-networking/default-cni#azure-cni-node-subnet-legacy',
    ],
    compute: nodeSubnet,
  },
  kubenet: {
    title: 'AKS kubenet (legacy)',
    params: ['pod_cidr', 'pod_range_prefix', 'node_subnet', 'max_pods'],
    maxPods: { ...AKS_MAX_PODS, default: AKS_DEFAULT_MAX_PODS.kubenet },
    facts: [
      'azure/pod-networking/default-cni#kubenet-legacy',
      'azure/ip-allocation/max-pods-per-node',
      'azure/pod-networking/kubenet-retirement',
    ],
    compute: (q, r) => blockPerNode('kubenet', q, r),
  },
};

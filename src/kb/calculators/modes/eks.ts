import type { CAPACITY_MODES, IpCapacityInputs, IpCapacityQuery } from '../../../domain/calculators.js';
import { BadInputError } from '../../errors.js';
import { assemble, type Calculation, type ModeSpec, n, perNodeSubnetLimit, plural, rangeName, spelled } from '../answer.js';
import { parseIntParam } from '../cidr.js';
import {
  EKS_PREFIX_SIZE,
  eksAttachedEnis,
  eksEniMaxPods,
  eksPodEnis,
  eksPodIpsPerEni,
  eksPrefixBlocksUsed,
  eksPrefixesPerNode,
  eksPrefixNodes,
  freeBlocks,
  NODE_IPS,
  wholeBlocks,
} from '../formulas.js';
import { maxPodsOf, requiredCidr } from '../query.js';
import {
  EKS_ENI_PRIMARY_IPS,
  EKS_HOST_NETWORK_PODS,
  EKS_PREFIX_LENGTH,
  EKS_PREFIX_MAX_PODS,
  EKS_WARM_ENI_TARGET,
  EKS_WARM_PREFIX_TARGET,
  type MaxPodsRange,
  SUBNET_RESERVED,
} from '../rules.js';

/*
 * EKS: the VPC CNI gives pods addresses of the node's subnet, as secondary IPs of its ENIs or as /28 prefixes.
 */

/** The instance type error messages give as an example (EC2 documents 3 ENIs of 10 IPv4 addresses for it). */
const EXAMPLE = { instance: 'm5.large', enis: 3, ipsPerEni: 10 } as const;
/** Bounds of the ENI inputs (not instance limits); an ENI needs a secondary IP beyond its primary for any pod. */
const ENIS = { min: 1, max: 64 } as const;
const IPS_PER_ENI = { min: EKS_ENI_PRIMARY_IPS + 1, max: 64 } as const;
/** Secondary-IP max pods without ENI sizes: an upper bound for the kubelet setting, not a fact. */
const SECONDARY_IP_MAX_PODS: MaxPodsRange = { min: 1, max: 1000 };

const warmEnis = (k: number) => `${spelled(k)} warm ENI${k === 1 ? '' : 's'} (WARM_ENI_TARGET=${EKS_WARM_ENI_TARGET})`;

function secondaryIp(q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const subnet = requiredCidr(q, 'subnet', 'nodes and pods take their IPs from the same VPC subnet');
  if ((q.enis === undefined) !== (q.ips_per_eni === undefined)) {
    throw new BadInputError(
      q.enis === undefined ? 'enis' : 'ips_per_eni',
      `give enis and ips_per_eni together (e.g. ${EXAMPLE.enis} and ${EXAMPLE.ipsPerEni} for ${EXAMPLE.instance})`,
    );
  }
  if (q.enis === undefined && q.max_pods === undefined) {
    throw new BadInputError(
      'max_pods',
      `is required unless enis and ips_per_eni are given (e.g. enis=${EXAMPLE.enis}&ips_per_eni=${EXAMPLE.ipsPerEni} for ${EXAMPLE.instance})`,
    );
  }
  let maxPods: number;
  let podIps: number;
  let nodeIps: number;
  let sentence: string;
  const assumptions: string[] = [];
  let eniInputs: Pick<IpCapacityInputs, 'enis' | 'ips_per_eni'> = {};
  if (q.enis !== undefined && q.ips_per_eni !== undefined) {
    const enis = parseIntParam('enis', q.enis, ENIS.min, ENIS.max, 'an instance type');
    const ipsPerEni = parseIntParam('ips_per_eni', q.ips_per_eni, IPS_PER_ENI.min, IPS_PER_ENI.max, 'an ENI');
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
    const podEnis = eksPodEnis(maxPods, ipsPerEni);
    nodeIps = attached;
    podIps = attached * eksPodIpsPerEni(ipsPerEni);
    sentence =
      maxPods === limit
        ? `${n(enis)} ENIs x ${n(ipsPerEni)} IPv4 addresses give max pods ${n(enis)} x (${n(ipsPerEni)} - ${EKS_ENI_PRIMARY_IPS}) + ${EKS_HOST_NETWORK_PODS} = ${n(maxPods)}; at full density every ENI is attached and filled, so each node takes ${n(enis)} x ${n(ipsPerEni)} = ${n(attached * ipsPerEni)} subnet addresses.`
        : `At ${n(maxPods)} max pods (the ENI limit is ${n(limit)}) a node needs ${plural(podEnis, 'ENI')} of pod IPs${attached > podEnis ? ` plus ${warmEnis(attached - podEnis)}` : ''}: ${n(attached)} x ${n(ipsPerEni)} = ${n(attached * ipsPerEni)} subnet addresses per node.`;
    assumptions.push(
      `Each attached ENI holds its primary IP plus a full set of secondary IPs; the ${EKS_HOST_NETWORK_PODS} host-network pods (aws-node, kube-proxy) use the node IP.`,
      `Default warm pool WARM_ENI_TARGET=${EKS_WARM_ENI_TARGET}: a spare ENI of IPs is attached until the instance has no more ENIs; WARM_IP_TARGET/MINIMUM_IP_TARGET lower this.`,
    );
  } else {
    maxPods = maxPodsOf(q, range, 'EKS secondary-IP mode');
    nodeIps = NODE_IPS;
    podIps = maxPods;
    sentence = `Each node takes ${NODE_IPS} + ${n(maxPods)} = ${n(maxPods + NODE_IPS)} subnet addresses at full density (its own IP plus one per pod).`;
    assumptions.push(
      `ENI sizes not given: a node is counted as ${NODE_IPS} + max pods addresses. Below the ENI limit the default warm pool (WARM_ENI_TARGET=${EKS_WARM_ENI_TARGET}) holds up to ${spelled(EKS_WARM_ENI_TARGET)} more ENI of addresses per node; pass enis and ips_per_eni to include it.`,
    );
  }
  assumptions.push(
    'One subnet shared by nodes and pods (no custom networking); other ENIs in the subnet (load balancers, endpoints) and surge nodes are not counted.',
  );
  return assemble(
    { subnet: subnet.cidr, max_pods: maxPods, ...eniInputs },
    { max_pods: maxPods, pod_block: null, pod_ips: podIps, node_ips: nodeIps },
    sentence,
    [perNodeSubnetLimit('subnet', 'subnet', 'aws', subnet, podIps + nodeIps)],
    assumptions,
  );
}

function prefixDelegation(q: IpCapacityQuery, range: MaxPodsRange): Calculation {
  const subnet = requiredCidr(q, 'subnet', 'nodes and pod prefixes come from the same VPC subnet');
  const maxPods = maxPodsOf(q, range, 'EKS prefix delegation');
  const prefixes = eksPrefixesPerNode(maxPods);
  const free = freeBlocks(subnet.size, EKS_PREFIX_SIZE);
  const nodes = eksPrefixNodes(free, prefixes);
  const block = `/${EKS_PREFIX_LENGTH}`;
  const warm = EKS_WARM_PREFIX_TARGET;
  return assemble(
    { subnet: subnet.cidr, max_pods: maxPods },
    { max_pods: maxPods, pod_block: block, pod_ips: prefixes * EKS_PREFIX_SIZE, node_ips: NODE_IPS },
    `At ${n(maxPods)} max pods each node holds ceil(${n(maxPods)} / ${EKS_PREFIX_SIZE}) = ${n(prefixes - warm)} ${block} prefixes for pods plus ${n(warm)} warm prefix${warm === 1 ? '' : 'es'} (WARM_PREFIX_TARGET=${warm}), ${n(prefixes * EKS_PREFIX_SIZE)} addresses, and ${n(NODE_IPS)} node IP.`,
    [
      {
        factor: 'subnet',
        max_nodes: nodes,
        detail: `the subnet ${rangeName(subnet)} holds ${plural(wholeBlocks(subnet.size, EKS_PREFIX_SIZE), `${block} block`)}, ${n(free)} free of AWS's ${SUBNET_RESERVED.aws} reserved addresses; ${n(nodes)} nodes x ${n(prefixes)} prefixes plus their node IPs fill ${n(eksPrefixBlocksUsed(nodes, prefixes))} of them`,
      },
    ],
    [
      `Max pods is the kubelet setting you pass in prefix mode: AWS recommends at most ${EKS_PREFIX_MAX_PODS.smallInstanceMax} on instances with ${EKS_PREFIX_MAX_PODS.smallInstanceVcpus} vCPUs or fewer and ${EKS_PREFIX_MAX_PODS.max} above; the instance must be Nitro-based with enough ENI slots for the prefixes.`,
      `Prefixes need whole, aligned ${block} blocks; node IPs are counted as packed ${EKS_PREFIX_SIZE} to a ${block}. Scattered IPs of other resources fragment a subnet (InsufficientCidrBlocks), which a subnet CIDR reservation for prefixes avoids.`,
      `The ${block} blocks holding AWS's reserved addresses (first and last of the subnet) are not used; surge nodes are not counted.`,
    ],
  );
}

export const EKS_MODES: Record<(typeof CAPACITY_MODES)['aws'][number], ModeSpec> = {
  'secondary-ip': {
    title: 'EKS VPC CNI secondary-IP mode',
    params: ['subnet', 'max_pods', 'enis', 'ips_per_eni'],
    // with enis and ips_per_eni the ENI formula bounds it instead
    maxPods: SECONDARY_IP_MAX_PODS,
    facts: [
      'aws/ip-allocation/per-node-pod-range#secondary-ip-mode',
      'aws/ip-allocation/max-pods-per-node#secondary-ip-mode',
      'aws/ip-allocation/warm-pool-tuning',
      'aws/ip-allocation/pod-cidr-defaults',
    ],
    compute: secondaryIp,
  },
  'prefix-delegation': {
    title: 'EKS VPC CNI prefix delegation',
    params: ['subnet', 'max_pods'],
    maxPods: EKS_PREFIX_MAX_PODS,
    facts: [
      'aws/ip-allocation/per-node-pod-range#prefix-delegation',
      'aws/ip-allocation/max-pods-per-node#prefix-delegation',
      'aws/ip-allocation/warm-pool-tuning',
      'aws/ip-allocation/pod-cidr-defaults',
    ],
    compute: prefixDelegation,
  },
};

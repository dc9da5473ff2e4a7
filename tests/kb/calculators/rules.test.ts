import { beforeAll, describe, expect, it } from 'vitest';
import { calculateIpCapacity, gkePodBlock, usableAddresses } from '../../../src/kb/calculators/index.js';
import * as rules from '../../../src/kb/calculators/rules.js';
import { Kb } from '../../../src/kb/kb.js';
import type { Snapshot } from '../../../src/kb/snapshot.js';
import { REAL_SEED, seededDb } from '../../helpers/app.js';

/*
 * Each figure of rules.ts against the fact that states it, read from the real seed: a fact edit that changes a
 * figure fails here until the constant (and this phrase) follows it.
 */

const n = (x: number) => x.toLocaleString('en-US');
const WORDS = new Map([
  [1, 'one'],
  [2, 'twice'],
]);
const word = (x: number) => WORDS.get(x) ?? n(x);

/** Where a figure is stated: a fact id, or a dimension's baseline (`baseline:topic/dimension`). */
type Says = [source: string, phrase: string];

const {
  SUBNET_RESERVED,
  GKE_MAX_PODS,
  GKE_POD_BLOCK_FACTOR,
  AKS_MAX_PODS,
  AKS_DEFAULT_MAX_PODS,
  AKS_OVERLAY_NODE_BLOCK_PREFIX,
  AKS_OVERLAY_DEFAULT_POD_CIDR,
  AKS_OVERLAY_MAX_NODES,
  KUBENET_NODE_BLOCK_PREFIX,
  AKS_KUBENET_MAX_NODES,
  AKS_KUBENET_RETIREMENT,
  AKS_POD_SUBNET_BATCH,
  AKS_POD_SUBNET_MIN_FREE,
  AKS_POD_SUBNET_LARGEST_PREFIX,
  AKS_STATIC_BLOCK_PREFIX,
  AKS_STATIC_RESERVED_PER_NODE,
  EKS_HOST_NETWORK_PODS,
  EKS_ENI_PRIMARY_IPS,
  EKS_WARM_ENI_TARGET,
  EKS_PREFIX_LENGTH,
  EKS_WARM_PREFIX_TARGET,
  EKS_PREFIX_MAX_PODS,
} = rules;
const size = (prefix: number) => n(2 ** (32 - prefix));

const CITED: Record<keyof typeof rules, Says[]> = {
  SUBNET_RESERVED: [
    ['aws/ip-allocation/subnet-reserved-addresses', `${SUBNET_RESERVED.aws} per subnet`],
    ['azure/ip-allocation/subnet-reserved-addresses', `${SUBNET_RESERVED.azure} per subnet`],
    ['gcp/ip-allocation/subnet-reserved-addresses', `${SUBNET_RESERVED.gcp} per subnet`],
  ],
  GKE_MAX_PODS: [
    ['gcp/ip-allocation/max-pods-per-node#gke-standard', `Default ${GKE_MAX_PODS.default} per node`],
    ['gcp/ip-allocation/max-pods-per-node#gke-standard', `from ${GKE_MAX_PODS.min} up to ${GKE_MAX_PODS.max}`],
  ],
  GKE_POD_BLOCK_FACTOR: [['gcp/ip-allocation/per-node-pod-range', `at least ${word(GKE_POD_BLOCK_FACTOR)} max pods`]],
  AKS_MAX_PODS: [
    ['azure/ip-allocation/max-pods-per-node', `Maximum ${AKS_MAX_PODS.max} per node (minimum ${AKS_MAX_PODS.min})`],
    ['azure/ip-allocation/max-pods-per-node', `the minimum is ${AKS_MAX_PODS.min}`],
  ],
  AKS_DEFAULT_MAX_PODS: [
    ['azure/ip-allocation/max-pods-per-node', `Azure CNI Overlay ${AKS_DEFAULT_MAX_PODS.overlay}`],
    ['azure/ip-allocation/max-pods-per-node', `Azure CNI Pod Subnet ${AKS_DEFAULT_MAX_PODS.podSubnet}`],
    ['azure/ip-allocation/max-pods-per-node', `legacy Azure CNI (node subnet) ${AKS_DEFAULT_MAX_PODS.nodeSubnet}`],
    ['azure/ip-allocation/max-pods-per-node', `kubenet ${AKS_DEFAULT_MAX_PODS.kubenet}`],
  ],
  AKS_OVERLAY_NODE_BLOCK_PREFIX: [
    [
      'azure/ip-allocation/per-node-pod-range#azure-cni-overlay',
      `Fixed /${AKS_OVERLAY_NODE_BLOCK_PREFIX} (${size(AKS_OVERLAY_NODE_BLOCK_PREFIX)} addresses) per node`,
    ],
  ],
  AKS_OVERLAY_DEFAULT_POD_CIDR: [
    ['azure/ip-allocation/pod-cidr-defaults#azure-cni-overlay', `--pod-cidr defaults to ${AKS_OVERLAY_DEFAULT_POD_CIDR}`],
  ],
  AKS_OVERLAY_MAX_NODES: [
    ['azure/ip-allocation/pod-cidr-defaults#azure-cni-overlay', `the limit is ${n(AKS_OVERLAY_MAX_NODES)} nodes`],
    ['azure/ip-allocation/cluster-node-limits', `${n(AKS_OVERLAY_MAX_NODES)} nodes per cluster`],
  ],
  KUBENET_NODE_BLOCK_PREFIX: [
    ['baseline:ip-allocation/per-node-pod-range', `a /${KUBENET_NODE_BLOCK_PREFIX} by default for IPv4`],
  ],
  AKS_KUBENET_MAX_NODES: [['azure/pod-networking/default-cni#kubenet-legacy', `limited to ${n(AKS_KUBENET_MAX_NODES)} nodes`]],
  AKS_KUBENET_RETIREMENT: [
    ['azure/pod-networking/kubenet-retirement', `kubenet support ends ${AKS_KUBENET_RETIREMENT}`],
    ['azure/pod-networking/default-cni#kubenet-legacy', `retires on ${AKS_KUBENET_RETIREMENT}`],
  ],
  AKS_POD_SUBNET_BATCH: [
    ['azure/ip-allocation/warm-pool-tuning#azure-cni-pod-subnet-dynamic', `in batches of ${AKS_POD_SUBNET_BATCH} and`],
  ],
  AKS_POD_SUBNET_MIN_FREE: [
    [
      'azure/ip-allocation/warm-pool-tuning#azure-cni-pod-subnet-dynamic',
      `request another batch when fewer than ${AKS_POD_SUBNET_MIN_FREE} are unallocated`,
    ],
  ],
  AKS_POD_SUBNET_LARGEST_PREFIX: [
    [
      'azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet',
      `supports pod subnets up to /${AKS_POD_SUBNET_LARGEST_PREFIX}`,
    ],
  ],
  AKS_STATIC_BLOCK_PREFIX: [
    [
      'azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet',
      `enough /${AKS_STATIC_BLOCK_PREFIX} blocks (${size(AKS_STATIC_BLOCK_PREFIX)} IPs each)`,
    ],
  ],
  AKS_STATIC_RESERVED_PER_NODE: [
    [
      'azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet',
      `with ${word(AKS_STATIC_RESERVED_PER_NODE)} IP reserved per node`,
    ],
    [
      'azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet',
      `of the form ${size(AKS_STATIC_BLOCK_PREFIX)}N - ${AKS_STATIC_RESERVED_PER_NODE}`,
    ],
  ],
  EKS_HOST_NETWORK_PODS: [
    [
      'aws/ip-allocation/max-pods-per-node#secondary-ip-mode',
      `ENIs x (IPv4 addresses per ENI - ${EKS_ENI_PRIMARY_IPS}) + ${EKS_HOST_NETWORK_PODS}`,
    ],
  ],
  EKS_ENI_PRIMARY_IPS: [
    [
      'aws/ip-allocation/max-pods-per-node#secondary-ip-mode',
      `(IPv4 addresses per ENI minus ${EKS_ENI_PRIMARY_IPS}, since each ENI's primary IP is not used for pods)`,
    ],
  ],
  EKS_WARM_ENI_TARGET: [
    ['aws/ip-allocation/per-node-pod-range#secondary-ip-mode', `(WARM_ENI_TARGET=${EKS_WARM_ENI_TARGET})`],
    ['aws/ip-allocation/warm-pool-tuning', `WARM_ENI_TARGET=${EKS_WARM_ENI_TARGET} by default`],
  ],
  EKS_PREFIX_LENGTH: [
    [
      'aws/ip-allocation/per-node-pod-range#prefix-delegation',
      `a /${EKS_PREFIX_LENGTH} IPv4 prefix (${size(EKS_PREFIX_LENGTH)} addresses)`,
    ],
  ],
  EKS_WARM_PREFIX_TARGET: [
    ['aws/ip-allocation/per-node-pod-range#prefix-delegation', `The default WARM_PREFIX_TARGET=${EKS_WARM_PREFIX_TARGET}`],
  ],
  EKS_PREFIX_MAX_PODS: [
    [
      'aws/ip-allocation/max-pods-per-node#prefix-delegation',
      `Recommended cap of ${EKS_PREFIX_MAX_PODS.smallInstanceMax} pods (instances with ${EKS_PREFIX_MAX_PODS.smallInstanceVcpus} vCPUs or fewer) or ${EKS_PREFIX_MAX_PODS.max} (more than ${EKS_PREFIX_MAX_PODS.smallInstanceVcpus} vCPUs)`,
    ],
    [
      'aws/ip-allocation/max-pods-per-node#prefix-delegation',
      `EKS documents ${EKS_PREFIX_MAX_PODS.default} as the default maximum`,
    ],
  ],
};

let snap: Snapshot;
beforeAll(() => {
  snap = new Kb(seededDb(REAL_SEED)).snapshot();
});

/** What a source says, whitespace folded: a fact's value and details, or a dimension's baseline. */
function textOf(source: string): string {
  let text: string | undefined;
  if (source.startsWith('baseline:')) {
    text = snap.dimensionByKey.get(source.slice('baseline:'.length))?.baseline;
  } else {
    const fact = snap.factById.get(source);
    text = fact && `${fact.value} ${fact.details}`;
  }
  if (text === undefined) throw new Error(`${source} is not in the seed`);
  return text.replace(/\s+/g, ' ');
}

describe('the calculator rules against the real seed', () => {
  it('cites a fact for every figure in rules.ts', () => {
    expect(Object.keys(CITED).sort()).toEqual(Object.keys(rules).sort());
  });

  it.each(Object.entries(CITED))('%s is the figure its facts state', (_name, cited) => {
    for (const [source, phrase] of cited) expect(textOf(source), source).toContain(phrase);
  });

  it('gives the GKE per-node block of every row of the documented table', () => {
    const text = textOf('gcp/ip-allocation/per-node-pod-range');
    const rows = [...text.matchAll(/(\d+)(?:-(\d+))?(?: pods)?: \/(\d+) \((\d+)/g)];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const [row, low, high, prefix, addresses] of rows) {
      for (const maxPods of [low, high ?? low]) {
        expect(gkePodBlock(Number(maxPods)), row).toEqual({ prefix: Number(prefix), size: Number(addresses) });
      }
    }
    // above 128 pods the block becomes a /23 (the max-pods fact)
    expect(textOf('gcp/ip-allocation/max-pods-per-node#gke-standard')).toContain(
      `above ${n(2 ** 7)} Pods the per-node block, at least twice max pods, becomes a /${gkePodBlock(2 ** 7 + 1).prefix}`,
    );
  });

  it('reproduces the worked examples the facts give', () => {
    const gke = calculateIpCapacity('gcp', { pod_range_prefix: '14' });
    expect(textOf('gcp/ip-allocation/pod-cidr-defaults')).toContain(
      `a /14 holds ${n(2 ** 18)} addresses, which at the default /${gke.per_node.pod_block?.slice(1)} per node covers at most ${n(gke.max_nodes)} nodes (${gke.per_node.max_pods} pods each)`,
    );
    const overlay = calculateIpCapacity('azure', {});
    expect(textOf('azure/ip-allocation/pod-cidr-defaults#azure-cni-overlay')).toContain(
      `that default holds ${n(overlay.max_nodes)} node blocks`,
    );
    const legacy = calculateIpCapacity('azure', { mode: 'node-subnet', node_subnet: '10.0.0.0/24' });
    expect(textOf('azure/ip-allocation/per-node-pod-range#azure-cni-node-subnet-legacy')).toContain(
      `a /24 subnet supports only ${legacy.max_nodes} nodes (${legacy.max_pods_total} pods) at the default ${legacy.per_node.max_pods} pods per node`,
    );
    const nodeSubnetLimit = (provider: 'azure' | 'gcp', query: Record<string, string>) =>
      calculateIpCapacity(provider, { ...query, node_subnet: '10.0.0.0/24' }).limits.find((l) => l.factor === 'node_subnet')
        ?.max_nodes;
    expect(textOf('gcp/ip-allocation/subnet-reserved-addresses')).toContain(
      `a /24 node range holds ${nodeSubnetLimit('gcp', { pod_range_prefix: '8' })} nodes`,
    );
    expect(textOf('azure/ip-allocation/subnet-reserved-addresses')).toContain(
      `a /24 leaves ${nodeSubnetLimit('azure', {})} usable IPs`,
    );
    expect(textOf('aws/ip-allocation/subnet-reserved-addresses')).toContain(
      `A /24 therefore leaves ${usableAddresses(256, SUBNET_RESERVED.aws)} addresses`,
    );
  });
});

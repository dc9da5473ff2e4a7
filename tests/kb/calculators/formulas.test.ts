import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AKS_STATIC_BLOCK_SIZE,
  aksDynamicPodIps,
  aksStaticBlocks,
  calculateIpCapacity,
  EKS_PREFIX_SIZE,
  eksAttachedEnis,
  eksEniMaxPods,
  eksPodEnis,
  eksPrefixBlocksUsed,
  eksPrefixesPerNode,
  eksPrefixNodes,
  freeBlocks,
  gkePodBlock,
  usableAddresses,
} from '../../../src/kb/calculators/index.js';
import {
  AKS_POD_SUBNET_BATCH,
  AKS_POD_SUBNET_MIN_FREE,
  EKS_HOST_NETWORK_PODS,
  EKS_WARM_ENI_TARGET,
  EKS_WARM_PREFIX_TARGET,
  GKE_MAX_PODS,
  SUBNET_RESERVED,
} from '../../../src/kb/calculators/rules.js';

const maxPods = fc.integer({ min: 1, max: 1000 });

describe('calculator formulas', () => {
  it('gives GKE the smallest power-of-two block with at least twice max pods', () => {
    fc.assert(
      fc.property(fc.integer({ min: GKE_MAX_PODS.min, max: GKE_MAX_PODS.max }), (m) => {
        const { prefix, size } = gkePodBlock(m);
        expect(size).toBe(2 ** (32 - prefix));
        expect(size).toBeGreaterThanOrEqual(2 * m);
        expect(size / 2).toBeLessThan(2 * m);
      }),
    );
  });

  it('gives AKS dynamic nodes whole batches that leave at least the minimum free', () => {
    fc.assert(
      fc.property(maxPods, (m) => {
        const ips = aksDynamicPodIps(m);
        expect(ips % AKS_POD_SUBNET_BATCH).toBe(0);
        expect(ips - m).toBeGreaterThanOrEqual(AKS_POD_SUBNET_MIN_FREE);
        expect(ips - AKS_POD_SUBNET_BATCH - m).toBeLessThan(AKS_POD_SUBNET_MIN_FREE);
      }),
    );
  });

  it('gives AKS static nodes the fewest /28 blocks that hold max pods and the reserved address', () => {
    fc.assert(
      fc.property(maxPods, (m) => {
        const blocks = aksStaticBlocks(m);
        expect(blocks * AKS_STATIC_BLOCK_SIZE).toBeGreaterThan(m);
        expect((blocks - 1) * AKS_STATIC_BLOCK_SIZE).toBeLessThanOrEqual(m);
      }),
    );
  });

  it('gives EKS the ENI max pods, and no more ENIs than needed plus the warm one or than the instance has', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 2, max: 64 }), fc.nat(), (enis, ips, seed) => {
        const limit = eksEniMaxPods(enis, ips);
        expect(limit - EKS_HOST_NETWORK_PODS).toBe(enis * (ips - 1));
        const m = 1 + (seed % limit);
        const podEnis = eksPodEnis(m, ips);
        const attached = eksAttachedEnis(m, enis, ips);
        // the pods' ENIs hold every non-host pod, one fewer would not
        expect(podEnis * (ips - 1)).toBeGreaterThanOrEqual(m - EKS_HOST_NETWORK_PODS);
        expect(Math.max(0, podEnis - 1) * (ips - 1)).toBeLessThan(Math.max(1, m - EKS_HOST_NETWORK_PODS));
        expect(attached).toBe(Math.min(enis, podEnis + EKS_WARM_ENI_TARGET));
        expect(attached).toBeLessThanOrEqual(enis);
        expect(attached).toBeGreaterThanOrEqual(podEnis);
      }),
    );
  });

  it('gives EKS prefix nodes enough /28 prefixes plus the warm one', () => {
    fc.assert(
      fc.property(maxPods, (m) => {
        const pods = eksPrefixesPerNode(m) - EKS_WARM_PREFIX_TARGET;
        expect(pods * EKS_PREFIX_SIZE).toBeGreaterThanOrEqual(m);
        expect((pods - 1) * EKS_PREFIX_SIZE).toBeLessThan(m);
      }),
    );
  });

  it('fits the most EKS prefix nodes whose blocks fit, as counting one by one would', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.integer({ min: 1, max: 70 }), (free, perNode) => {
        const nodes = eksPrefixNodes(free, perNode);
        let counted = 0;
        while (eksPrefixBlocksUsed(counted + 1, perNode) <= free) counted++;
        expect(nodes).toBe(counted);
      }),
    );
  });

  it('never counts reserved addresses or the blocks that hold them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.constantFrom(...Object.values(SUBNET_RESERVED)), (prefix, reserved) => {
        const size = 2 ** (32 - prefix);
        expect(usableAddresses(size, reserved)).toBe(Math.max(0, size - reserved));
        const free = freeBlocks(size, EKS_PREFIX_SIZE);
        expect(free).toBeGreaterThanOrEqual(0);
        // every free block lies between the first and the last block, which hold the reserved addresses
        if (free > 0) expect((free + 2) * EKS_PREFIX_SIZE).toBe(size);
      }),
    );
  });
});

describe('calculations', () => {
  const subnet = fc.integer({ min: 16, max: 28 }).map((p) => `10.0.0.0/${p}`);

  it('never fits more EKS nodes than the subnet has usable addresses for', () => {
    fc.assert(
      fc.property(subnet, fc.integer({ min: 1, max: 15 }), fc.integer({ min: 2, max: 50 }), (s, enis, ips) => {
        const r = calculateIpCapacity('aws', { subnet: s, enis: String(enis), ips_per_eni: String(ips) });
        const usable = usableAddresses(2 ** (32 - Number(s.split('/')[1])), SUBNET_RESERVED.aws);
        expect(r.max_nodes * r.per_node.ips_per_node).toBeLessThanOrEqual(usable);
        expect((r.max_nodes + 1) * r.per_node.ips_per_node).toBeGreaterThan(usable);
      }),
    );
  });

  it('answers the tightest limit, with totals that multiply out, whatever the mode', () => {
    const queries = fc.oneof(
      fc.record({ provider: fc.constant('gcp' as const), pod_range_prefix: fc.integer({ min: 8, max: 24 }).map(String) }),
      fc.record({
        provider: fc.constant('azure' as const),
        mode: fc.constantFrom('overlay', 'kubenet'),
        pod_range_prefix: fc.integer({ min: 8, max: 24 }).map(String),
        node_subnet: subnet,
      }),
      fc.record({ provider: fc.constant('azure' as const), mode: fc.constant('pod-subnet-static'), pod_subnet: subnet }),
      fc.record({ provider: fc.constant('aws' as const), mode: fc.constant('prefix-delegation'), subnet }),
    );
    fc.assert(
      fc.property(queries, ({ provider, ...query }) => {
        const r = calculateIpCapacity(provider, query);
        expect(r.max_nodes).toBe(Math.max(0, Math.min(...r.limits.map((l) => l.max_nodes))));
        expect(r.limiting_factor).toBe(r.limits[0]?.factor);
        expect(r.max_pods_total).toBe(r.max_nodes * r.per_node.max_pods);
        expect(r.per_node.ips_per_node).toBe(r.per_node.pod_ips + r.per_node.node_ips);
      }),
    );
  });
});

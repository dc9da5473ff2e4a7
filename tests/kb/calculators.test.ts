import { beforeAll, describe, expect, it } from 'vitest';
import { type IpCapacityQuery, IpCapacitySchema } from '../../src/domain/calculators.js';
import {
  aksDynamicPodIps,
  calculateIpCapacity,
  capacityModes,
  eksAttachedEnis,
  eksEniMaxPods,
  eksPrefixNodes,
  gkePodBlock,
  ipCapacity,
  parseCidr,
} from '../../src/kb/calculators/index.js';
import { BadInputError } from '../../src/kb/errors.js';
import { Kb } from '../../src/kb/kb.js';
import { REAL_SEED, seededDb } from '../helpers/app.js';

/** The BadInputError a call throws, so tests can assert the parameter it names. */
function badInput(fn: () => unknown): BadInputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadInputError) return err;
    throw err;
  }
  throw new Error('expected a BadInputError');
}

const calc = (provider: 'aws' | 'azure' | 'gcp', query: Omit<IpCapacityQuery, 'provider'>) =>
  calculateIpCapacity(provider, query);

describe('GKE VPC-native arithmetic', () => {
  it('reserves the smallest block with at least 2 x max pods addresses per node (the documented table)', () => {
    const table: [number, number][] = [
      [256, 23],
      [129, 23],
      [128, 24],
      [110, 24],
      [65, 24],
      [64, 25],
      [33, 25],
      [32, 26],
      [17, 26],
      [16, 27],
      [9, 27],
      [8, 28],
    ];
    for (const [maxPods, prefix] of table) expect(gkePodBlock(maxPods).prefix, `max pods ${maxPods}`).toBe(prefix);
  });

  it('fits 1,024 nodes of 110 pods in a /14 Pod range (the source document example)', () => {
    const r = calc('gcp', { pod_range_prefix: '14' });
    expect(r.mode).toBe('vpc-native');
    expect(r.per_node).toEqual({ max_pods: 110, pod_block: '/24', pod_ips: 256, node_ips: 1, ips_per_node: 257 });
    expect(r.max_nodes).toBe(1024);
    expect(r.max_pods_total).toBe(112_640);
    expect(r.limiting_factor).toBe('pod_range');
    expect(r.explanation).toContain('262,144 / 256 = 1,024');
  });

  it('has 100 nodes consume 100 /24 blocks (25,600 addresses) at the default max pods', () => {
    const r = calc('gcp', { pod_cidr: '10.0.0.0/16' });
    expect(r.per_node.pod_block).toBe('/24');
    expect(100 * r.per_node.pod_ips).toBe(25_600);
    expect(r.max_nodes).toBe(256);
  });

  it('stops at 16 nodes with a /20 Pod range and quadruples the nodes at 32 max pods', () => {
    expect(calc('gcp', { pod_cidr: '10.8.0.0/20' }).max_nodes).toBe(16);
    expect(calc('gcp', { pod_cidr: '10.8.0.0/20', max_pods: '32' }).max_nodes).toBe(64);
  });

  it('is limited by the node subnet (4 addresses reserved) when that is tighter', () => {
    const r = calc('gcp', { pod_cidr: '10.4.0.0/14', node_subnet: '10.0.0.0/22', max_pods: '32' });
    expect(r.max_nodes).toBe(1020);
    expect(r.limiting_factor).toBe('node_subnet');
    expect(r.limits.map((l) => [l.factor, l.max_nodes])).toEqual([
      ['node_subnet', 1020],
      ['pod_range', 4096],
    ]);
  });

  it('answers 0 nodes when the Pod range is smaller than one node block', () => {
    const r = calc('gcp', { pod_range_prefix: '/26' });
    expect(r.max_nodes).toBe(0);
    expect(r.max_pods_total).toBe(0);
  });
});

describe('AKS arithmetic', () => {
  it('gives Overlay 256 nodes on the default 10.244.0.0/16 pod CIDR, at 250 max pods', () => {
    const r = calc('azure', {});
    expect(r.mode).toBe('overlay');
    expect(r.inputs).toEqual({ pod_cidr: '10.244.0.0/16', max_pods: 250 });
    expect(r.max_nodes).toBe(256);
    expect(r.max_pods_total).toBe(64_000);
    expect(r.assumptions.join(' ')).toContain('AKS default 10.244.0.0/16');
  });

  it('caps Overlay at 5,000 nodes and keeps the /24 per node whatever max pods is', () => {
    const r = calc('azure', { pod_cidr: '100.64.0.0/10', max_pods: '30' });
    expect(r.per_node.pod_block).toBe('/24');
    expect(r.max_nodes).toBe(5000);
    expect(r.limiting_factor).toBe('cluster_node_limit');
  });

  it('caps kubenet at 400 nodes (route table) even when the pod CIDR holds more', () => {
    const r = calc('azure', { mode: 'kubenet', pod_cidr: '10.244.0.0/14' });
    expect(r.per_node.max_pods).toBe(110);
    expect(r.max_nodes).toBe(400);
    expect(r.limiting_factor).toBe('route_table_limit');
  });

  it('fits 8 legacy Node Subnet nodes (240 pods) in a /24 at the default 30 max pods', () => {
    const r = calc('azure', { mode: 'node-subnet', node_subnet: '10.0.0.0/24' });
    expect(r.per_node).toEqual({ max_pods: 30, pod_block: null, pod_ips: 30, node_ips: 1, ips_per_node: 31 });
    expect(r.max_nodes).toBe(8);
    expect(r.max_pods_total).toBe(240);
  });

  it('sizes dynamic Pod Subnet nodes in batches of 16 with at least 8 free', () => {
    expect(aksDynamicPodIps(110)).toBe(128);
    expect(aksDynamicPodIps(8)).toBe(16);
    expect(aksDynamicPodIps(9)).toBe(32);
    const r = calc('azure', { mode: 'pod-subnet', pod_subnet: '10.2.0.0/16', node_subnet: '10.1.0.0/24' });
    expect(r.limits.map((l) => [l.factor, l.max_nodes])).toEqual([
      ['node_subnet', 251],
      ['pod_subnet', 511],
    ]);
  });

  it('gives static block nodes ceil((max pods + 1) / 16) /28 blocks, skipping the blocks with reserved addresses', () => {
    const r = calc('azure', { mode: 'pod-subnet-static', pod_subnet: '10.2.0.0/20', max_pods: '31' });
    expect(r.per_node.pod_ips).toBe(32);
    expect(r.max_nodes).toBe(127);
    expect(calc('azure', { mode: 'pod-subnet-static', pod_subnet: '10.2.0.0/20', max_pods: '32' }).per_node.pod_ips).toBe(48);
  });
});

describe('EKS arithmetic', () => {
  it('gives an m5.large (3 ENIs x 10 IPv4) 29 pods and 30 subnet addresses per node', () => {
    expect(eksEniMaxPods(3, 10)).toBe(29);
    const r = calc('aws', { subnet: '10.0.0.0/24', enis: '3', ips_per_eni: '10' });
    expect(r.mode).toBe('secondary-ip');
    expect(r.per_node).toEqual({ max_pods: 29, pod_block: null, pod_ips: 27, node_ips: 3, ips_per_node: 30 });
    expect(r.max_nodes).toBe(8);
    expect(r.explanation).toContain('3 x (10 - 1) + 2 = 29');
  });

  it('counts the warm ENI (WARM_ENI_TARGET=1) when max pods is below the ENI limit', () => {
    expect(eksAttachedEnis(20, 4, 15)).toBe(3);
    expect(eksAttachedEnis(58, 4, 15)).toBe(4);
    const r = calc('aws', { subnet: '10.0.0.0/24', enis: '4', ips_per_eni: '15', max_pods: '20' });
    expect(r.per_node.ips_per_node).toBe(45);
    expect(r.max_nodes).toBe(5);
  });

  it('counts 1 + max pods per node when only max pods is given', () => {
    const r = calc('aws', { subnet: '10.0.0.0/19', max_pods: '29' });
    expect(r.per_node.ips_per_node).toBe(30);
    expect(r.max_nodes).toBe(Math.floor((8192 - 5) / 30));
  });

  it('takes /28 prefixes plus one warm prefix per node in prefix delegation, defaulting to 110 max pods', () => {
    const r = calc('aws', { mode: 'prefix-delegation', subnet: '10.0.0.0/19' });
    expect(r.per_node).toEqual({ max_pods: 110, pod_block: '/28', pod_ips: 128, node_ips: 1, ips_per_node: 129 });
    // 512 /28 blocks, 2 hold reserved addresses; 63 nodes x 8 prefixes + 4 blocks of node IPs = 508 <= 510
    expect(r.max_nodes).toBe(63);
    expect(eksPrefixNodes(510, 8)).toBe(63);
    expect(eksPrefixNodes(0, 8)).toBe(0);
    expect(eksPrefixNodes(9, 8)).toBe(1);
    expect(eksPrefixNodes(8, 8)).toBe(0);
  });
});

describe('input checks', () => {
  it('normalizes CIDRs and refuses host bits, bad syntax and prefixes out of range, naming the parameter', () => {
    expect(parseCidr('pod_cidr', ' 10.4.0.0/14 ')).toEqual({ cidr: '10.4.0.0/14', prefix: 14, size: 262_144 });
    expect(badInput(() => calc('gcp', { pod_cidr: '10.4.0.1/14' })).message).toBe(
      'pod_cidr: "10.4.0.1/14" has host bits set; did you mean 10.4.0.0/14?',
    );
    expect(badInput(() => calc('gcp', { pod_cidr: '10.300.0.0/16' })).param).toBe('pod_cidr');
    expect(badInput(() => calc('gcp', { pod_cidr: '10.0.0.0' })).param).toBe('pod_cidr');
    expect(badInput(() => calc('gcp', { pod_range_prefix: '31' })).message).toMatch(/^pod_range_prefix: .*out of range/);
    expect(badInput(() => calc('gcp', { pod_range_prefix: '14', pod_cidr: '10.0.0.0/14' })).param).toBe('pod_range_prefix');
  });

  it('refuses max pods outside the provider and mode range', () => {
    expect(badInput(() => calc('gcp', { pod_range_prefix: '14', max_pods: '257' })).message).toBe(
      'max_pods: "257" is out of range; GKE VPC-native takes an integer from 8 to 256',
    );
    expect(badInput(() => calc('azure', { max_pods: '251' })).param).toBe('max_pods');
    expect(badInput(() => calc('azure', { max_pods: 'many' })).param).toBe('max_pods');
    expect(badInput(() => calc('aws', { subnet: '10.0.0.0/24', enis: '3', ips_per_eni: '10', max_pods: '30' })).message).toMatch(
      /^max_pods: .* from 1 to 29$/,
    );
  });

  it('names the missing parameter a mode requires', () => {
    expect(badInput(() => calc('gcp', {})).param).toBe('pod_cidr');
    expect(badInput(() => calc('azure', { mode: 'kubenet' })).param).toBe('pod_cidr');
    expect(badInput(() => calc('azure', { mode: 'node-subnet' })).param).toBe('node_subnet');
    expect(badInput(() => calc('azure', { mode: 'pod-subnet' })).param).toBe('pod_subnet');
    expect(badInput(() => calc('aws', { max_pods: '29' })).param).toBe('subnet');
    expect(badInput(() => calc('aws', { subnet: '10.0.0.0/24' })).param).toBe('max_pods');
    expect(badInput(() => calc('aws', { subnet: '10.0.0.0/24', enis: '3' })).param).toBe('ips_per_eni');
  });

  it('refuses a mode the provider does not have, listing the valid ones', () => {
    expect(badInput(() => calc('aws', { mode: 'overlay' })).message).toBe(
      'mode: "overlay" is not a mode of aws; use one of secondary-ip, prefix-delegation (default secondary-ip)',
    );
  });

  it('refuses the names of Object.prototype as modes like any unknown mode', () => {
    for (const mode of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      for (const provider of ['aws', 'azure', 'gcp'] as const) {
        const err = badInput(() => calc(provider, { mode, subnet: '10.0.0.0/24' }));
        expect(err.param, `${provider} ${mode}`).toBe('mode');
        expect(err.message, `${provider} ${mode}`).toMatch(
          new RegExp(`^mode: "${mode}" is not a mode of ${provider}; use one of `),
        );
      }
    }
  });

  it('refuses a parameter the mode does not use instead of ignoring it', () => {
    const err = badInput(() => calc('aws', { subnet: '10.0.0.0/24', max_pods: '29', pod_cidr: '10.0.0.0/16' }));
    expect(err.param).toBe('pod_cidr');
    expect(err.message).toContain('it takes subnet, max_pods, enis, ips_per_eni');
  });

  it('refuses dynamic Pod Subnet pod subnets larger than /16', () => {
    expect(badInput(() => calc('azure', { mode: 'pod-subnet', pod_subnet: '10.0.0.0/15' })).param).toBe('pod_subnet');
  });
});

describe('ipCapacity over the real seed', () => {
  let kb: Kb;
  beforeAll(() => {
    kb = new Kb(seededDb(REAL_SEED));
  });

  it('cites only facts that exist: every fact id a mode applies is in the seed', () => {
    const snap = kb.snapshot();
    const missing = capacityModes().flatMap((m) =>
      m.facts.filter((id) => !snap.factById.has(id)).map((id) => `${m.provider}/${m.mode}: ${id}`),
    );
    expect(missing).toEqual([]);
  });

  it('answers every mode with its facts and their sources, in the response shape', () => {
    const queries: Record<string, Omit<IpCapacityQuery, 'provider' | 'mode'>> = {
      'vpc-native': { pod_range_prefix: '14' },
      overlay: {},
      'pod-subnet': { pod_subnet: '10.2.0.0/16' },
      'pod-subnet-static': { pod_subnet: '10.2.0.0/16' },
      'node-subnet': { node_subnet: '10.0.0.0/22' },
      kubenet: { pod_cidr: '10.244.0.0/16' },
      'secondary-ip': { subnet: '10.0.0.0/19', max_pods: '29' },
      'prefix-delegation': { subnet: '10.0.0.0/19' },
    };
    for (const m of capacityModes()) {
      const r = ipCapacity(kb, { provider: m.provider, mode: m.mode, ...queries[m.mode] });
      expect(IpCapacitySchema.parse(r)).toEqual(r);
      expect(r.facts, m.mode).toEqual(m.facts);
      const urls = new Set(
        r.facts.flatMap(
          (id) =>
            kb
              .snapshot()
              .factById.get(id)
              ?.sources.map((s) => s.url) ?? [],
        ),
      );
      expect(new Set(r.citations.map((c) => c.url)), m.mode).toEqual(urls);
      expect(r.explanation.split(/(?<=\.) (?=[A-Z0-9])/).length, r.explanation).toBeLessThanOrEqual(4);
    }
  });
});

describe('ipCapacity on a dataset without the ip-allocation facts', () => {
  it('still calculates, with empty facts and citations', () => {
    const r = ipCapacity(new Kb(seededDb()), { provider: 'GKE', pod_range_prefix: '14' });
    expect(r.provider).toBe('gcp');
    expect(r.max_nodes).toBe(1024);
    expect(r.facts).toEqual([]);
    expect(r.citations).toEqual([]);
  });
});

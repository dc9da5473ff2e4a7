import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, REAL_SEED, seededDb } from '../helpers/app.js';

let app: FastifyInstance;
let real: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
  real = await fixtureApp({}, seededDb(REAL_SEED));
});
afterAll(async () => {
  await app?.close();
  await real?.close();
});

const URL = '/v1/calculators/ip-capacity';

function expect400(
  res: { statusCode: number; json: () => { statusCode: number; error: string; message: string } },
  message: RegExp,
) {
  expect(res.statusCode).toBe(400);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(body.error).toBe('Bad Request');
  expect(body.message).toMatch(message);
}

describe('GET /v1/calculators/ip-capacity', () => {
  it('answers the whole GKE capacity for a /14 Pod range at the default 110 max pods', async () => {
    const res = await app.inject(`${URL}?provider=gke&pod_range_prefix=14`);
    expect(res.statusCode).toBe(200);
    const version = (await app.inject('/v1/dataset')).json().version;
    expect(res.json()).toEqual({
      provider: 'gcp',
      mode: 'vpc-native',
      inputs: { pod_range_prefix: 14, max_pods: 110 },
      per_node: { max_pods: 110, pod_block: '/24', pod_ips: 256, node_ips: 1, ips_per_node: 257 },
      max_nodes: 1024,
      max_pods_total: 112640,
      limiting_factor: 'pod_range',
      limits: [
        {
          factor: 'pod_range',
          max_nodes: 1024,
          detail: 'the Pod range /14 holds 262,144 addresses: 262,144 / 256 = 1,024 /24 node blocks',
        },
      ],
      explanation:
        'At 110 max pods per node each node reserves a /24 (256 addresses) from the Pod range, the smallest block with at least 2 x 110 = 220 addresses. The Pod range /14 holds 262,144 addresses: 262,144 / 256 = 1,024 /24 node blocks. So at most 1,024 nodes (limited by the pod range) and 1,024 x 110 = 112,640 pods.',
      assumptions: [
        'Every node reserves its whole block when it is created, however many pods it runs.',
        'Secondary (Pod) ranges have no reserved addresses; the node subnet loses 4 (network, gateway, second-to-last, broadcast).',
        'No node_subnet given: the node subnet is not checked.',
        'One node pool with one max pods value; pools with other values, additional (multi-Pod CIDR) ranges and surge nodes during upgrades are not counted.',
      ],
      // the fixture dataset has no ip-allocation facts; the real seed's are checked below
      facts: [],
      citations: [],
      dataset: { version },
    });
  });

  it('cites the ip-allocation facts and their official sources on the real seed', async () => {
    const res = await real.inject(`${URL}?provider=aks&mode=node-subnet&node_subnet=10.0.0.0/24`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.max_nodes).toBe(8);
    expect(body.max_pods_total).toBe(240);
    expect(body.facts).toContain('azure/ip-allocation/per-node-pod-range#azure-cni-node-subnet-legacy');
    expect(body.citations).toContainEqual({
      url: 'https://learn.microsoft.com/en-us/azure/aks/concepts-network-legacy-cni',
      title: 'AKS Legacy Container Networking Interfaces (CNI)',
      checked: '2026-11-26',
    });
  });

  it('uses the seed default mode of each provider when mode is omitted', async () => {
    const modes = await Promise.all(
      [
        `${URL}?provider=google&pod_cidr=10.0.0.0/16`,
        `${URL}?provider=aks`,
        `${URL}?provider=eks&subnet=10.0.0.0/24&enis=3&ips_per_eni=10`,
      ].map(async (url) => (await real.inject(url)).json().mode),
    );
    expect(modes).toEqual(['vpc-native', 'overlay', 'secondary-ip']);
  });

  it('gives an EKS m5.large 29 pods per node', async () => {
    const body = (await real.inject(`${URL}?provider=eks&subnet=10.0.0.0/24&enis=3&ips_per_eni=10`)).json();
    expect(body.per_node.max_pods).toBe(29);
    expect(body.inputs).toEqual({ subnet: '10.0.0.0/24', max_pods: 29, enis: 3, ips_per_eni: 10 });
    expect(body.facts).toContain('aws/ip-allocation/max-pods-per-node#secondary-ip-mode');
  });

  it('answers 304 to a repeated request with its ETag', async () => {
    const first = await real.inject(`${URL}?provider=aks`);
    expect(first.headers.etag).toBeTruthy();
    const again = await real.inject({ url: `${URL}?provider=aks`, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('returns 400 naming provider when it is missing or unknown', async () => {
    expect400(await app.inject(URL), /query parameter "provider": is required/);
    expect400(
      await app.inject(`${URL}?provider=oracle`),
      /query parameter "provider": unknown provider "oracle"; use one of aws, azure, gcp/,
    );
  });

  it('returns 400 naming mode and listing the valid modes when the provider has no such mode', async () => {
    expect400(
      await app.inject(`${URL}?provider=gke&mode=overlay&pod_range_prefix=14`),
      /^query parameter "mode": "overlay" is not a mode of gcp; use one of vpc-native \(default vpc-native\)$/,
    );
    expect400(
      await app.inject(`${URL}?provider=azure&mode=cilium`),
      /overlay, pod-subnet, pod-subnet-static, node-subnet, kubenet/,
    );
  });

  it('returns 400 naming mode and listing the valid modes when the mode is a name of Object.prototype', async () => {
    for (const mode of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__PROTO__', ' constructor ']) {
      const res = await app.inject(`${URL}?provider=aks&mode=${encodeURIComponent(mode)}`);
      expect(res.statusCode, mode).toBe(400);
      expect(res.json().message, mode).toBe(
        `query parameter "mode": "${mode}" is not a mode of azure; use one of overlay, pod-subnet, pod-subnet-static, node-subnet, kubenet (default overlay)`,
      );
    }
  });

  it('returns 400 naming provider and listing the providers when the provider is a name of Object.prototype', async () => {
    for (const provider of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect400(
        await app.inject(`${URL}?provider=${provider}&mode=overlay`),
        new RegExp(`^query parameter "provider": unknown provider "${provider}"; use one of aws, azure, gcp`),
      );
    }
  });

  it('returns 400 naming pod_cidr when it is not a CIDR or has host bits set', async () => {
    expect400(
      await app.inject(`${URL}?provider=gke&pod_cidr=banana`),
      /^query parameter "pod_cidr": "banana" is not an IPv4 CIDR/,
    );
    expect400(await app.inject(`${URL}?provider=gke&pod_cidr=10.0.0.1/14`), /did you mean 10\.0\.0\.0\/14\?$/);
  });

  it('returns 400 naming pod_range_prefix when the prefix is out of range', async () => {
    expect400(await app.inject(`${URL}?provider=gke&pod_range_prefix=40`), /^query parameter "pod_range_prefix": .*out of range/);
  });

  it('returns 400 naming max_pods with the range of the provider', async () => {
    expect400(
      await app.inject(`${URL}?provider=aks&max_pods=300`),
      /^query parameter "max_pods": "300" is out of range; AKS Azure CNI Overlay takes an integer from 10 to 250$/,
    );
    expect400(
      await app.inject(`${URL}?provider=eks&mode=prefix-delegation&subnet=10.0.0.0/19&max_pods=0`),
      /"max_pods".* from 1 to 250$/,
    );
  });

  it('returns 400 naming a parameter the mode does not use', async () => {
    expect400(
      await app.inject(`${URL}?provider=gke&pod_range_prefix=14&subnet=10.0.0.0/24`),
      /^query parameter "subnet": is not used by gcp mode vpc-native/,
    );
  });

  it('returns 400 naming a parameter given twice', async () => {
    expect400(await app.inject(`${URL}?provider=gke&pod_range_prefix=14&pod_range_prefix=16`), /pod_range_prefix/);
  });

  it('never answers 5xx to any combination of parameter values', async () => {
    const names = [
      'provider',
      'mode',
      'pod_cidr',
      'pod_range_prefix',
      'node_subnet',
      'pod_subnet',
      'subnet',
      'max_pods',
      'enis',
      'ips_per_eni',
    ];
    const values = fc.oneof(
      fc.constantFrom(
        'aws',
        'eks',
        'aks',
        'gke',
        'azure',
        'overlay',
        'kubenet',
        'node-subnet',
        'pod-subnet',
        'pod-subnet-static',
        'prefix-delegation',
        '__proto__',
        'constructor',
        'toString',
      ),
      fc.constantFrom(
        '0.0.0.0/1',
        '10.0.0.0/30',
        '255.255.255.252/30',
        '10.0.0.0/8',
        '1.2.3.4/32',
        '10.0.0.0/0',
        '::/0',
        '/14',
        '14',
        '1',
        '30',
      ),
      fc.constantFrom('0', '-1', '1', '2', '8', '110', '250', '251', '1000', '1e3', '1.5', '9'.repeat(40), ' ', ''),
      fc
        .tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(40))
        .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...names), values), { maxLength: 6 }), async (pairs) => {
        const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '?'))}`).join('&');
        const res = await app.inject(`${URL}?${query}`);
        expect(res.statusCode, query).toBeLessThan(500);
        if (res.statusCode === 200) expect(res.json().max_nodes, query).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});

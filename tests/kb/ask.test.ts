import { beforeAll, describe, expect, it } from 'vitest';
import { AskCompactSchema, AskSchema } from '../../src/domain/ask.js';
import { ask } from '../../src/kb/ask/index.js';
import { BadInputError } from '../../src/kb/errors.js';
import { Kb } from '../../src/kb/kb.js';
import { editDistance, stem, words } from '../../src/kb/words.js';
import { seededDb } from '../helpers/app.js';

let kb: Kb;
beforeAll(() => {
  kb = new Kb(seededDb());
});

describe('ask (fixture seed)', () => {
  it('detects providers from aliases, in the order the question names them', () => {
    expect(ask(kb, 'What load balancer does Microsoft create for a Service?').providers).toEqual(['azure']);
    expect(ask(kb, 'load balancer on GKE versus Amazon EKS').providers).toEqual(['gcp', 'aws']);
    expect(ask(kb, 'load balancer on google cloud platform').providers).toEqual(['gcp']);
  });

  it('takes all three providers when the question names none', () => {
    expect(ask(kb, 'which load balancer does a Service get').providers).toEqual(['aws', 'azure', 'gcp']);
  });

  it('recognises a provider name with a typo but not an ordinary word near one', () => {
    expect(ask(kb, 'load balancer on Azrue').providers).toEqual(['azure']);
    expect(ask(kb, 'load balancer in the cloud').providers).toEqual(['aws', 'azure', 'gcp']);
  });

  it('resolves the topic and the dimension from aliases and keywords', () => {
    const a = ask(kb, 'What LB does AKS create for a Service of type LoadBalancer?');
    expect(a.topics[0]).toEqual({ slug: 'load-balancing', title: 'Load balancing' });
    expect(a.matches[0]?.dimension.slug).toBe('default-lb-for-service');

    const dns = ask(kb, 'what ndots value do pods get on GKE');
    expect(dns.topics[0]?.slug).toBe('dns');
    expect(dns.matches[0]?.dimension.slug).toBe('ndots');
  });

  it('is not defeated by typos, plurals and compounds', () => {
    expect(ask(kb, 'which loadbalancers do services get on eks').topics[0]?.slug).toBe('load-balancing');
    expect(ask(kb, 'corednss resolv.conf serch path').topics[0]?.slug).toBe('dns');
    expect(ask(kb, 'which load balancre does AKS provison').matches[0]?.dimension.slug).toBe('default-lb-for-service');
  });

  it('answers with the asked provider first and the others for contrast', () => {
    const a = ask(kb, 'What load balancer does AKS create for a Service of type LoadBalancer?');
    expect(a.answer.indexOf('AKS')).toBeGreaterThan(-1);
    expect(a.answer.indexOf('AKS')).toBeLessThan(a.answer.indexOf('EKS'));
    expect(a.answer.indexOf('AKS')).toBeLessThan(a.answer.indexOf('GKE'));
    expect(a.answer).toContain('Standard SKU Azure Load Balancer');
    expect(a.answer.length).toBeLessThanOrEqual(1600);
    expect(Object.keys(a.matches[0]?.cells ?? {})).toEqual(['azure', 'aws', 'gcp']);
  });

  it('returns rows in the CompareRow shape and the whole answer in the Ask shape', () => {
    const a = ask(kb, 'cluster dns server on eks and gke');
    expect(() => AskSchema.parse(a)).not.toThrow();
    expect(a.matches.length).toBeGreaterThan(0);
    expect(a.matches.length).toBeLessThanOrEqual(5);
    const row = a.matches[0];
    expect(row?.dimension).toEqual({
      slug: 'cluster-dns-server',
      title: 'Cluster DNS server',
      question: 'Which DNS server answers pod queries?',
      baseline: 'Kubernetes runs a cluster DNS add-on (CoreDNS) behind the kube-dns Service.',
    });
    expect(row?.cells.gcp?.map((f) => f.id)).toEqual([
      'gcp/dns/cluster-dns-server#kube-dns',
      'gcp/dns/cluster-dns-server#cloud-dns-for-gke',
    ]);
    // the fixture's cluster-dns-server declares no compare_by
    expect(row?.differs).toBeNull();
    expect(row?.groups).toBeNull();
  });

  it('cites the sources of the facts the answer quotes, without repeats', () => {
    const a = ask(kb, 'what ndots value do pods get');
    const urls = a.citations.map((c) => c.url);
    expect(new Set(urls).size).toBe(urls.length);
    const facts = a.matches.flatMap((m) => Object.values(m.cells).flatMap((c) => c ?? []));
    const quoted = facts.filter((f) => a.answer.includes(f.value));
    expect(quoted.length).toBeGreaterThan(0);
    for (const f of quoted) for (const s of f.sources) expect(urls).toContain(s.url);
    const cited = new Set(facts.flatMap((f) => f.sources.map((s) => s.url)));
    for (const url of urls) expect(cited).toContain(url);
    expect(a.citations).toContainEqual({
      url: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/',
      title: 'DNS for Services and Pods',
      checked: '2026-11-26',
    });
  });

  it('answers a question that matches nothing with empty matches, a message and suggestions', () => {
    const a = ask(kb, 'what is the best pizza in Naples?');
    expect(a.matches).toEqual([]);
    expect(a.topics).toEqual([]);
    expect(a.citations).toEqual([]);
    expect(a.answer).toMatch(/^No facts match/);
    expect(a.suggestions.map((s) => s.slug).sort()).toEqual(['dns', 'load-balancing']);
  });

  it('suggests the closest topic first when a question is garbled', () => {
    const a = ask(kb, 'dnz?');
    expect(a.matches).toEqual([]);
    expect(a.suggestions[0]?.slug).toBe('dns');
    expect(ask(kb, 'loadbal?').suggestions[0]?.slug).toBe('load-balancing');
  });

  it('refuses an empty question naming q', () => {
    expect(() => ask(kb, '   ')).toThrow(BadInputError);
    expect(() => ask(kb, '?!')).toThrow(/^q: /);
  });
});

describe('ask: the focused answer', () => {
  it('answers a one-cloud question with that cloud, a key detail, and the others in one line', () => {
    const a = ask(kb, 'What load balancer does AKS create for a Service of type LoadBalancer?');
    expect(a.answer).toBe(
      'Default load balancer for a Service: on AKS, Standard SKU Azure Load Balancer. AKS provisions a Standard SKU load balancer and manages its rules and health probes. Elsewhere, EKS: Network Load Balancer via the AWS Load Balancer Controller; GKE: Passthrough Network Load Balancer.',
    );
  });

  it('adds the divergence as a contrast when two clouds are compared, and names the variant of a cell', () => {
    const a = ask(kb, 'cluster dns server on eks vs gke');
    expect(a.answer).toContain('on EKS, CoreDNS as an EKS add-on.');
    expect(a.answer).toContain('On GKE (kube-dns), kube-dns.');
    expect(a.answer).toContain('EKS and AKS run CoreDNS; GKE runs kube-dns or Cloud DNS.');
    expect(a.answer).not.toContain('Moving from');
  });

  it('quotes the migration note of the direction a migration question names', () => {
    const a = ask(kb, 'moving from EKS to GKE, what breaks with the cluster dns server');
    expect(a.providers).toEqual(['aws', 'gcp']);
    expect(a.answer).toContain('Moving from EKS to GKE: Move Corefile stub domains to the kube-dns ConfigMap.');
    expect(ask(kb, 'moving from GKE to EKS, what breaks with the cluster dns server').answer).not.toContain('Moving from');
  });

  it('says when the clouds in focus state the same value', () => {
    expect(ask(kb, 'what ndots value do pods get').answer).toContain('EKS, AKS and GKE state the same value here.');
  });
});

describe('ask: compact rows', () => {
  it('answers the same with compact rows: dimension, ids, values and first sources', () => {
    const q = 'cluster dns server on gke';
    const full = ask(kb, q);
    const compact = ask(kb, q, 'compact');
    expect(() => AskCompactSchema.parse(compact)).not.toThrow();
    const { matches: _full, ...restFull } = full;
    const { matches: _compact, ...restCompact } = compact;
    expect(restCompact).toEqual(restFull);
    expect(compact.matches.map((m) => m.dimension.slug)).toEqual(full.matches.map((m) => m.dimension.slug));
    expect(compact.matches[0]).toEqual({
      dimension: { topic: 'dns', slug: 'cluster-dns-server', title: 'Cluster DNS server' },
      // the fixture gives this dimension no compare_by: its cells cannot be compared by key
      differs: null,
      cells: {
        gcp: [
          {
            id: 'gcp/dns/cluster-dns-server#kube-dns',
            variant: 'kube-dns',
            value: 'kube-dns',
            status: 'ga',
            source: 'https://cloud.google.com/kubernetes-engine/docs/how-to/kube-dns',
          },
          {
            id: 'gcp/dns/cluster-dns-server#cloud-dns-for-gke',
            variant: 'Cloud DNS for GKE',
            value: 'Cloud DNS',
            status: 'ga',
            source: 'https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns',
          },
        ],
        aws: [
          {
            id: 'aws/dns/cluster-dns-server',
            value: 'CoreDNS as an EKS add-on',
            status: 'ga',
            source: 'https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html',
          },
        ],
        azure: [
          {
            id: 'azure/dns/cluster-dns-server',
            value: 'CoreDNS managed by AKS',
            status: 'ga',
            source: 'https://learn.microsoft.com/en-us/azure/aks/coredns-custom',
          },
        ],
      },
    });
  });

  it('keeps only the default variant of the providers not asked about', () => {
    const compact = ask(kb, 'cluster dns server on eks', 'compact');
    expect(compact.matches[0]?.cells.gcp?.map((f) => f.id)).toEqual(['gcp/dns/cluster-dns-server#kube-dns']);
  });
});

describe('ask vocabulary helpers', () => {
  it('splits camelCase and keeps plural acronyms whole', () => {
    expect(words('externalTrafficPolicy on LoadBalancer')).toEqual(['external', 'traffic', 'policy', 'on', 'load', 'balancer']);
    expect(words("CIDRs and IPs, SNATed by AKS's nodes")).toEqual(['cidrs', 'and', 'ips', 'snated', 'by', 'aks', 'nodes']);
  });

  it('stems inflections of a word alike', () => {
    expect(stem('balancing')).toBe(stem('balancer'));
    expect(stem('policies')).toBe(stem('policy'));
    expect(stem('allocation')).toBe(stem('allocate'));
    expect(stem('overlapping')).toBe(stem('overlap'));
    expect(stem('ips')).toBe('ip');
    expect(stem('egress')).toBe('egress');
  });

  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('azrue', 'azure', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('abc', 'xyz123', 1)).toBe(2);
  });
});

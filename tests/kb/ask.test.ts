import { beforeAll, describe, expect, it } from 'vitest';
import { AskSchema } from '../../src/domain/ask.js';
import { ask } from '../../src/kb/ask.js';
import { editDistance, stem, words } from '../../src/kb/ask-index.js';
import { BadInputError } from '../../src/kb/errors.js';
import { Kb } from '../../src/kb/kb.js';
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
    expect(a.answer.length).toBeLessThanOrEqual(700);
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

  it('cites exactly the sources of the facts in the matched rows, without repeats', () => {
    const a = ask(kb, 'what ndots value do pods get');
    const used = new Set(
      a.matches.flatMap((m) => Object.values(m.cells).flatMap((c) => (c ?? []).flatMap((f) => f.sources.map((s) => s.url)))),
    );
    const urls = a.citations.map((c) => c.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect(new Set(urls)).toEqual(used);
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

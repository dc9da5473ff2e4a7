/** The admin token and a new variant of the fixture's gcp DNS cell, shared by the REST and GraphQL write tests. */
export const TOKEN = 'test-admin-token-0123456789';
export const auth = { authorization: `Bearer ${TOKEN}` };
export const CELL = { provider: 'gcp', topic: 'dns', dimension: 'cluster-dns-server' } as const;
export const NEW_FACT = {
  ...CELL,
  variant: 'CoreDNS add-on',
  value: 'CoreDNS as an optional add-on',
  status: 'ga',
  details: 'A made-up variant for tests: GKE runs CoreDNS instead of kube-dns.',
  sources: [
    { url: 'https://cloud.google.com/kubernetes-engine/docs/how-to/kube-dns', title: 'Using kube-dns', checked: '2026-11-20' },
  ],
  confidence: 'medium',
  tags: ['add-on'],
};
export const NEW_ID = 'gcp/dns/cluster-dns-server#coredns-add-on';

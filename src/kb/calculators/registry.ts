import { CAPACITY_MODES, type CapacityMode, type IpCapacityQuery } from '../../domain/calculators.js';
import type { ProviderSlug } from '../../domain/seed.js';
import { BadInputError } from '../errors.js';
import type { Calculation, ModeSpec } from './answer.js';
import { AKS_MODES } from './modes/aks.js';
import { EKS_MODES } from './modes/eks.js';
import { GKE_MODES } from './modes/gke.js';

/*
 * The modes of each provider, in the order of CAPACITY_MODES (the first is the default). Client input is only
 * ever looked up in these Maps, so a mode such as `__proto__` or `constructor` is an unknown mode like any other.
 */

const SPECS: { [P in ProviderSlug]: Record<(typeof CAPACITY_MODES)[P][number], ModeSpec> } = {
  gcp: GKE_MODES,
  azure: AKS_MODES,
  aws: EKS_MODES,
};

const PROVIDERS: readonly ProviderSlug[] = ['gcp', 'azure', 'aws'];

const MODES: ReadonlyMap<ProviderSlug, ReadonlyMap<string, ModeSpec>> = new Map(
  PROVIDERS.map((provider) => {
    const specs = SPECS[provider] as Record<CapacityMode, ModeSpec>;
    const modes = CAPACITY_MODES[provider] as readonly CapacityMode[];
    return [provider, new Map(modes.map((mode) => [mode, specs[mode]]))];
  }),
);

/** Every (provider, mode) with the fact ids it applies; tests check that each id is in the seed. */
export function capacityModes(): { provider: ProviderSlug; mode: CapacityMode; title: string; facts: readonly string[] }[] {
  return [...MODES].flatMap(([provider, modes]) =>
    [...modes].map(([mode, spec]) => ({ provider, mode: mode as CapacityMode, title: spec.title, facts: spec.facts })),
  );
}

const QUERY_PARAMS: readonly (keyof IpCapacityQuery)[] = [
  'pod_cidr',
  'pod_range_prefix',
  'node_subnet',
  'pod_subnet',
  'subnet',
  'max_pods',
  'enis',
  'ips_per_eni',
];

/** The pure calculation for a resolved provider: mode selection, parameter checks, arithmetic. */
export function calculateIpCapacity(
  provider: ProviderSlug,
  query: Omit<IpCapacityQuery, 'provider'>,
): Calculation & { mode: CapacityMode; facts: string[] } {
  const modes = MODES.get(provider);
  const valid = CAPACITY_MODES[provider] as readonly CapacityMode[];
  const mode = query.mode?.trim().toLowerCase() || valid[0];
  const spec = mode === undefined ? undefined : modes?.get(mode);
  if (!spec) {
    throw new BadInputError(
      'mode',
      `"${query.mode}" is not a mode of ${provider}; use one of ${valid.join(', ')} (default ${valid[0]})`,
    );
  }
  const q: IpCapacityQuery = { provider, ...query };
  for (const p of QUERY_PARAMS) {
    if (q[p] !== undefined && !spec.params.includes(p)) {
      throw new BadInputError(p, `is not used by ${provider} mode ${mode} (${spec.title}); it takes ${spec.params.join(', ')}`);
    }
  }
  return { mode: mode as CapacityMode, ...spec.compute(q, spec.maxPods), facts: [...spec.facts] };
}

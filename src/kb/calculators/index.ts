import type { IpCapacity, IpCapacityQuery } from '../../domain/calculators.js';
import { requireProvider } from '../catalog.js';
import type { Kb } from '../kb.js';
import { calculateIpCapacity } from './registry.js';

/*
 * The IP capacity calculator: how many nodes (and pods) fit in a pod range or subnet, per provider and CNI
 * mode. The folder keeps apart what changes for different reasons:
 *   cidr.ts      parsing of ranges and integers (every failure names its parameter)
 *   rules.ts     the figures the facts state, each with the fact it comes from (checked against the seed)
 *   formulas.ts  the arithmetic, pure and property-tested
 *   answer.ts    what every answer shares: limits, number formats, the assembled sentences
 *   query.ts     the query parameters the modes share
 *   modes/       each provider's modes with their prose and the facts they apply
 *   registry.ts  provider -> mode -> spec, the mode selection and the parameter checks
 * Only `ipCapacity` reads the knowledge base.
 */

export type { Calculation } from './answer.js';
export { parseCidr, parseIntParam, parsePrefixLength, type Range } from './cidr.js';
export * from './formulas.js';
export { calculateIpCapacity, capacityModes } from './registry.js';

/**
 * GET /v1/calculators/ip-capacity: the calculation plus the facts it rests on and their sources. A fact id
 * missing from the dataset is left out of `facts` and `citations` (the arithmetic does not depend on it);
 * the test over the real seed makes such a disappearance fail loudly.
 */
export function ipCapacity(kb: Kb, query: IpCapacityQuery): IpCapacity {
  const snap = kb.snapshot();
  const provider = requireProvider(snap, 'provider', query.provider);
  const { mode, facts, ...calc } = calculateIpCapacity(provider, query);
  const found = facts.flatMap((id) => {
    const fact = snap.factById.get(id);
    return fact ? [fact] : [];
  });
  const seen = new Set<string>();
  const citations = found.flatMap((f) => f.sources).filter((s) => !seen.has(s.url) && seen.add(s.url));
  return {
    provider,
    mode,
    ...calc,
    facts: found.map((f) => f.id),
    citations,
    dataset: { version: snap.version },
  };
}

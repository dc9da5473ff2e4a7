import {
  type IpCapacity,
  type IpCapacityInputs,
  type IpCapacityLimit,
  type IpCapacityQuery,
  LIMITING_FACTORS,
  type LimitingFactor,
} from '../../domain/calculators.js';
import type { ProviderSlug } from '../../domain/seed.js';
import type { Range } from './cidr.js';
import { usableAddresses, wholeBlocks } from './formulas.js';
import type { MaxPodsRange } from './rules.js';
import { SUBNET_RESERVED } from './rules.js';

/*
 * What every mode's answer shares: the number formats, the limits of a subnet or a range split into blocks,
 * and the assembly of the answer (per-node sentence, binding limit, the others, totals).
 */

/** A calculation without what the knowledge base adds (citations, dataset version). */
export type Calculation = Omit<IpCapacity, 'provider' | 'mode' | 'facts' | 'citations' | 'dataset'>;

/** One mode of one provider: its parameters, its max pods, the facts it applies and its arithmetic. */
export interface ModeSpec {
  title: string;
  /** Query parameters the mode reads (besides provider and mode); any other is refused by name. */
  params: readonly (keyof IpCapacityQuery)[];
  maxPods: MaxPodsRange;
  facts: readonly string[];
  compute(q: IpCapacityQuery, maxPods: MaxPodsRange): Calculation;
}

/** The assumption of every mode whose node subnet is optional, when none was given. */
export const NO_NODE_SUBNET = 'No node_subnet given: the node subnet is not checked.';

export const CLOUD_NAME: Readonly<Record<ProviderSlug, string>> = { aws: 'AWS', azure: 'Azure', gcp: 'Google' };

export const n = (x: number) => x.toLocaleString('en-US');
export const rangeName = (r: Range) => r.cidr ?? `/${r.prefix}`;
export const plural = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? '' : 's'}`;
/** A count in words where a sentence reads better so ("one warm ENI"). */
export const spelled = (x: number) => (x === 1 ? 'one' : n(x));
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const factorName = (f: LimitingFactor) => f.replaceAll('_', ' ');

/** The inputs as used for a pod range: its normalized CIDR, or its prefix length. */
export function rangeInputs(range: Range): Pick<IpCapacityInputs, 'pod_cidr' | 'pod_range_prefix'> {
  return range.cidr ? { pod_cidr: range.cidr } : { pod_range_prefix: range.prefix };
}

/** Node subnet limit: one IP per node. */
export function nodeSubnetLimit(provider: ProviderSlug, subnet: Range): IpCapacityLimit {
  const usable = usableAddresses(subnet.size, SUBNET_RESERVED[provider]);
  return {
    factor: 'node_subnet',
    max_nodes: usable,
    detail: `the node subnet ${rangeName(subnet)} holds ${n(subnet.size)} addresses, ${SUBNET_RESERVED[provider]} reserved by ${CLOUD_NAME[provider]}, so ${plural(usable, 'node IP')}`,
  };
}

/** A subnet shared out per node: (usable addresses) / (addresses per node). */
export function perNodeSubnetLimit(
  factor: LimitingFactor,
  what: string,
  provider: ProviderSlug,
  subnet: Range,
  perNode: number,
): IpCapacityLimit {
  const usable = usableAddresses(subnet.size, SUBNET_RESERVED[provider]);
  const nodes = Math.floor(usable / perNode);
  return {
    factor,
    max_nodes: nodes,
    detail: `the ${what} ${rangeName(subnet)} holds ${n(subnet.size)} addresses, ${SUBNET_RESERVED[provider]} reserved by ${CLOUD_NAME[provider]}: ${n(usable)} / ${n(perNode)} = ${plural(nodes, 'node')}`,
  };
}

/** A range split into per-node blocks. */
export function blockLimit(
  factor: LimitingFactor,
  what: string,
  range: Range,
  blockSize: number,
  blockName: string,
): IpCapacityLimit {
  const nodes = wholeBlocks(range.size, blockSize);
  return {
    factor,
    max_nodes: nodes,
    detail: `the ${what} ${rangeName(range)} holds ${n(range.size)} addresses: ${n(range.size)} / ${n(blockSize)} = ${plural(nodes, `${blockName} node block`)}`,
  };
}

/** The tightest limit first; ties keep the order of LIMITING_FACTORS. */
function orderLimits(limits: IpCapacityLimit[]): IpCapacityLimit[] {
  return [...limits].sort(
    (a, b) => a.max_nodes - b.max_nodes || LIMITING_FACTORS.indexOf(a.factor) - LIMITING_FACTORS.indexOf(b.factor),
  );
}

/** Assembles the answer: 2-4 sentences, per-node cost first, then the binding limit, others, totals. */
export function assemble(
  inputs: IpCapacityInputs,
  perNode: Omit<Calculation['per_node'], 'ips_per_node'>,
  perNodeSentence: string,
  limits: IpCapacityLimit[],
  assumptions: string[],
): Calculation {
  const ordered = orderLimits(limits);
  const [binding, ...others] = ordered;
  if (!binding) throw new Error('a capacity calculation needs at least one limit');
  const maxNodes = Math.max(0, binding.max_nodes);
  const total = maxNodes * perNode.max_pods;
  const sentences = [perNodeSentence, `${capitalize(binding.detail)}.`];
  if (others.length > 0) {
    sentences.push(`Other limits: ${others.map((l) => `${factorName(l.factor)} ${plural(l.max_nodes, 'node')}`).join(', ')}.`);
  }
  sentences.push(
    `So at most ${plural(maxNodes, 'node')} (limited by the ${factorName(binding.factor)}) and ${n(maxNodes)} x ${n(perNode.max_pods)} = ${plural(total, 'pod')}.`,
  );
  return {
    inputs,
    per_node: { ...perNode, ips_per_node: perNode.pod_ips + perNode.node_ips },
    max_nodes: maxNodes,
    max_pods_total: total,
    limiting_factor: binding.factor,
    limits: ordered,
    explanation: sentences.join(' '),
    assumptions,
  };
}

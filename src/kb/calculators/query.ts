import type { IpCapacityQuery } from '../../domain/calculators.js';
import { BadInputError } from '../errors.js';
import { PREFIX_EXAMPLE, parseCidr, parseIntParam, parsePrefixLength, type Range } from './cidr.js';
import type { MaxPodsRange } from './rules.js';

/*
 * The query parameters the modes share, read from the query: each failure names its parameter.
 */

/** The pod range from pod_cidr or pod_range_prefix (one of them), or the fallback when neither is given. */
export function podRange(q: IpCapacityQuery, fallback?: string): Range {
  if (q.pod_cidr !== undefined && q.pod_range_prefix !== undefined) {
    throw new BadInputError('pod_range_prefix', 'give pod_cidr or pod_range_prefix, not both');
  }
  if (q.pod_cidr !== undefined) return parseCidr('pod_cidr', q.pod_cidr);
  if (q.pod_range_prefix !== undefined) return parsePrefixLength('pod_range_prefix', q.pod_range_prefix);
  if (fallback) return parseCidr('pod_cidr', fallback);
  throw new BadInputError('pod_cidr', `is required (or pod_range_prefix, e.g. ${PREFIX_EXAMPLE})`);
}

export function requiredCidr(q: IpCapacityQuery, param: 'node_subnet' | 'pod_subnet' | 'subnet', why: string): Range {
  const text = q[param];
  if (text === undefined) throw new BadInputError(param, `is required: ${why}`);
  return parseCidr(param, text);
}

export function optionalCidr(q: IpCapacityQuery, param: 'node_subnet'): Range | undefined {
  const text = q[param];
  return text === undefined ? undefined : parseCidr(param, text);
}

/** max_pods within the mode's range, or its default; `context` names the mode in the error. */
export function maxPodsOf(q: IpCapacityQuery, range: MaxPodsRange, context: string): number {
  if (q.max_pods !== undefined) return parseIntParam('max_pods', q.max_pods, range.min, range.max, context);
  if (range.default === undefined) throw new BadInputError('max_pods', `is required for ${context}`);
  return range.default;
}

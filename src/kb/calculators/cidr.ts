import { BadInputError } from '../errors.js';

/*
 * Parsing of the calculator's string parameters: every failure is a BadInputError naming its parameter.
 */

/** An address range: a CIDR, or only a size when the client gave a prefix length. */
export interface Range {
  /** Normalized `a.b.c.d/n`, or undefined when only a prefix length was given. */
  cidr?: string;
  prefix: number;
  size: number;
}

/** The prefix lengths the calculator accepts. */
export const MIN_PREFIX = 1;
export const MAX_PREFIX = 30;

/** The examples error messages show. */
export const CIDR_EXAMPLE = '10.0.0.0/16';
export const PREFIX_EXAMPLE = 14;

const IPV4_BITS = 32;
const OCTET = 256;

/** Addresses in a block of the given prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (IPV4_BITS - prefix);
}

/** The prefix length of a power-of-two block size. */
export function prefixOf(size: number): number {
  return IPV4_BITS - Math.log2(size);
}

/** An address as a number, back to dotted quads. */
export function formatAddress(address: number): string {
  return [OCTET ** 3, OCTET ** 2, OCTET, 1].map((place) => Math.floor(address / place) % OCTET).join('.');
}

function checkPrefix(param: string, prefix: number, text: string): void {
  if (!Number.isInteger(prefix) || prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
    throw new BadInputError(param, `prefix length in "${text}" is out of range; use /${MIN_PREFIX} to /${MAX_PREFIX}`);
  }
}

/** An IPv4 CIDR such as 10.0.0.0/14; host bits must be zero (the clouds refuse them too). */
export function parseCidr(param: string, text: string): Range {
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})\s*$/.exec(text);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  if (!m || octets.some((o) => o >= OCTET)) {
    throw new BadInputError(param, `"${text}" is not an IPv4 CIDR such as ${CIDR_EXAMPLE}`);
  }
  const prefix = Number(m[5]);
  checkPrefix(param, prefix, text);
  const address = octets.reduce((a, o) => a * OCTET + o, 0);
  const size = blockSize(prefix);
  const network = Math.floor(address / size) * size;
  const cidr = `${formatAddress(network)}/${prefix}`;
  if (network !== address) throw new BadInputError(param, `"${text}" has host bits set; did you mean ${cidr}?`);
  return { cidr, prefix, size };
}

/** A prefix length such as 14 or /14. */
export function parsePrefixLength(param: string, text: string): Range {
  const m = /^\s*\/?(\d{1,2})\s*$/.exec(text);
  if (!m) {
    throw new BadInputError(param, `"${text}" is not a prefix length such as ${PREFIX_EXAMPLE} or /${PREFIX_EXAMPLE}`);
  }
  const prefix = Number(m[1]);
  checkPrefix(param, prefix, text);
  return { prefix, size: blockSize(prefix) };
}

/** A decimal integer within [min, max]; `context` says whose range it is ("GKE VPC-native"). */
export function parseIntParam(param: string, text: string, min: number, max: number, context: string): number {
  const value = /^\s*\d{1,6}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadInputError(param, `"${text}" is out of range; ${context} takes an integer from ${min} to ${max}`);
  }
  return value;
}

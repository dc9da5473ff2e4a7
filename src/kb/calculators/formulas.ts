import { blockSize, prefixOf } from './cidr.js';
import {
  AKS_POD_SUBNET_BATCH,
  AKS_POD_SUBNET_MIN_FREE,
  AKS_STATIC_BLOCK_PREFIX,
  AKS_STATIC_RESERVED_PER_NODE,
  EKS_ENI_PRIMARY_IPS,
  EKS_HOST_NETWORK_PODS,
  EKS_PREFIX_LENGTH,
  EKS_WARM_ENI_TARGET,
  EKS_WARM_PREFIX_TARGET,
  GKE_POD_BLOCK_FACTOR,
} from './rules.js';

/*
 * The arithmetic of the modes: pure functions of numbers, property-tested in tests/kb/calculators/formulas.test.ts.
 */

/** Addresses in an EKS prefix and in an AKS static block. */
export const EKS_PREFIX_SIZE = blockSize(EKS_PREFIX_LENGTH);
export const AKS_STATIC_BLOCK_SIZE = blockSize(AKS_STATIC_BLOCK_PREFIX);

/** Addresses a node takes for itself from its subnet (where no ENI formula says otherwise). */
export const NODE_IPS = 1;

/**
 * Blocks of a subnet lost to the reserved addresses: the clouds reserve the first addresses and the last one,
 * which fall in the first and the last block whenever a block is larger than the first reserved run.
 */
export const RESERVED_BLOCKS = 2;

/** Usable addresses of a subnet after the cloud's reserved ones. */
export function usableAddresses(size: number, reserved: number): number {
  return Math.max(0, size - reserved);
}

/** Whole blocks of `block` addresses in a range of `size` addresses. */
export function wholeBlocks(size: number, block: number): number {
  return Math.floor(size / block);
}

/** Blocks of a subnet that hold none of the cloud's reserved addresses. */
export function freeBlocks(size: number, block: number): number {
  return Math.max(0, wholeBlocks(size, block) - RESERVED_BLOCKS);
}

/** GKE: the smallest power-of-two block with at least 2 x max pods addresses (256 -> /23, 110 -> /24, 8 -> /28). */
export function gkePodBlock(maxPods: number): { prefix: number; size: number } {
  const size = 2 ** Math.ceil(Math.log2(GKE_POD_BLOCK_FACTOR * maxPods));
  return { prefix: prefixOf(size), size };
}

/** AKS dynamic Pod Subnet: addresses a node holds at full density, in batches, at least the minimum kept free. */
export function aksDynamicPodIps(maxPods: number): number {
  return AKS_POD_SUBNET_BATCH * Math.ceil((maxPods + AKS_POD_SUBNET_MIN_FREE) / AKS_POD_SUBNET_BATCH);
}

/** AKS static block mode: enough /28 blocks for max pods plus the address reserved per node. */
export function aksStaticBlocks(maxPods: number): number {
  return Math.ceil((maxPods + AKS_STATIC_RESERVED_PER_NODE) / AKS_STATIC_BLOCK_SIZE);
}

/** EKS secondary-IP mode: pod addresses one ENI holds (all but its primary IP). */
export function eksPodIpsPerEni(ipsPerEni: number): number {
  return ipsPerEni - EKS_ENI_PRIMARY_IPS;
}

/** EKS secondary-IP mode: ENIs x (IPv4 per ENI - 1) + 2 (aws/ip-allocation/max-pods-per-node#secondary-ip-mode). */
export function eksEniMaxPods(enis: number, ipsPerEni: number): number {
  return enis * eksPodIpsPerEni(ipsPerEni) + EKS_HOST_NETWORK_PODS;
}

/** EKS secondary-IP mode: the ENIs whose secondary IPs max pods need (host-network pods need none). */
export function eksPodEnis(maxPods: number, ipsPerEni: number): number {
  return Math.ceil(Math.max(0, maxPods - EKS_HOST_NETWORK_PODS) / eksPodIpsPerEni(ipsPerEni));
}

/**
 * EKS secondary-IP mode at full density: the ENIs the pods need plus the warm ENIs (WARM_ENI_TARGET), never
 * more than the instance has; every attached ENI is filled with IPs.
 */
export function eksAttachedEnis(maxPods: number, enis: number, ipsPerEni: number): number {
  return Math.min(enis, eksPodEnis(maxPods, ipsPerEni) + EKS_WARM_ENI_TARGET);
}

/** EKS prefix delegation: /28 prefixes for max pods plus the warm prefixes (WARM_PREFIX_TARGET). */
export function eksPrefixesPerNode(maxPods: number): number {
  return Math.ceil(maxPods / EKS_PREFIX_SIZE) + EKS_WARM_PREFIX_TARGET;
}

/** EKS prefix delegation: /28 blocks that `nodes` nodes fill, their node IPs packed 16 to a block. */
export function eksPrefixBlocksUsed(nodes: number, prefixesPerNode: number): number {
  return nodes * prefixesPerNode + Math.ceil((nodes * NODE_IPS) / EKS_PREFIX_SIZE);
}

/** EKS prefix delegation: the most nodes whose prefixes plus node IPs fit in the free /28 blocks. */
export function eksPrefixNodes(freeBlockCount: number, prefixesPerNode: number): number {
  // the estimate ignores the rounding of the node IPs' blocks; the loops correct it by at most a step or two
  let nodes = Math.floor((freeBlockCount * EKS_PREFIX_SIZE) / (EKS_PREFIX_SIZE * prefixesPerNode + NODE_IPS));
  while (eksPrefixBlocksUsed(nodes + 1, prefixesPerNode) <= freeBlockCount) nodes++;
  while (nodes > 0 && eksPrefixBlocksUsed(nodes, prefixesPerNode) > freeBlockCount) nodes--;
  return nodes;
}

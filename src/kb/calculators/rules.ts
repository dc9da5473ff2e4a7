import type { ProviderSlug } from '../../domain/seed.js';

/*
 * The figures the calculator applies, each as the fact (or dimension baseline) it comes from states it.
 * tests/kb/calculators/rules.test.ts reads those facts from the real seed and fails when one no longer says
 * the figure here, so a fact edit that changes a figure cannot leave the calculator behind. Prose never types a
 * figure: it interpolates these.
 */

/** A max pods setting: the range a client may pass and the default when none is given. */
export interface MaxPodsRange {
  min: number;
  max: number;
  /** Absent where max pods has no default (the client passes it, or the mode computes it). */
  default?: number;
}

/** `{provider}/ip-allocation/subnet-reserved-addresses`: addresses the cloud keeps in every subnet. */
export const SUBNET_RESERVED: Readonly<Record<ProviderSlug, number>> = { aws: 5, azure: 5, gcp: 4 };

/** gcp/ip-allocation/max-pods-per-node#gke-standard: default 110, configurable from 8 up to 256. */
export const GKE_MAX_PODS: MaxPodsRange = { min: 8, max: 256, default: 110 };
/** gcp/ip-allocation/per-node-pod-range: a node's block holds at least twice max pods. */
export const GKE_POD_BLOCK_FACTOR = 2;

/** azure/ip-allocation/max-pods-per-node: up to 250 per node, minimum 10. */
export const AKS_MAX_PODS = { min: 10, max: 250 } as const;
/**
 * azure/ip-allocation/max-pods-per-node: the defaults per network mode, as Microsoft's IP address planning page
 * lists them (the fact notes that the dynamic IP allocation page gives 250 for Pod Subnet instead); static block
 * allocation is the same Pod Subnet plugin and takes the same default.
 */
export const AKS_DEFAULT_MAX_PODS = { overlay: 250, podSubnet: 110, nodeSubnet: 30, kubenet: 110 } as const;
/** azure/ip-allocation/per-node-pod-range#azure-cni-overlay: a fixed /24 per node. */
export const AKS_OVERLAY_NODE_BLOCK_PREFIX = 24;
/** azure/ip-allocation/pod-cidr-defaults#azure-cni-overlay: the pod CIDR when none is given. */
export const AKS_OVERLAY_DEFAULT_POD_CIDR = '10.244.0.0/16';
/** azure/ip-allocation/pod-cidr-defaults#azure-cni-overlay: the node limit of an Overlay cluster. */
export const AKS_OVERLAY_MAX_NODES = 5000;
/**
 * ip-allocation/per-node-pod-range (the dimension's baseline): the upstream node IPAM gives each node a /24,
 * which kubenet uses; the kubenet fact itself does not state the block size.
 */
export const KUBENET_NODE_BLOCK_PREFIX = 24;
/** azure/pod-networking/default-cni#kubenet-legacy: kubenet's route table limits a cluster to 400 nodes. */
export const AKS_KUBENET_MAX_NODES = 400;
/** azure/pod-networking/kubenet-retirement: the day AKS support for kubenet ends. */
export const AKS_KUBENET_RETIREMENT = '31 March 2028';
/** azure/ip-allocation/warm-pool-tuning#azure-cni-pod-subnet-dynamic: batches of 16, another below 8 free. */
export const AKS_POD_SUBNET_BATCH = 16;
export const AKS_POD_SUBNET_MIN_FREE = 8;
/** azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet: dynamic mode supports pod subnets up to /16. */
export const AKS_POD_SUBNET_LARGEST_PREFIX = 16;
/** azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet: static block mode hands out /28 blocks. */
export const AKS_STATIC_BLOCK_PREFIX = 28;
/** azure/ip-allocation/per-node-pod-range#azure-cni-pod-subnet: static block mode reserves one IP per node. */
export const AKS_STATIC_RESERVED_PER_NODE = 1;

/** aws/ip-allocation/max-pods-per-node#secondary-ip-mode: the ENI formula adds 2 host-network pods. */
export const EKS_HOST_NETWORK_PODS = 2;
/** aws/ip-allocation/max-pods-per-node#secondary-ip-mode: each ENI's primary IP is not used for pods. */
export const EKS_ENI_PRIMARY_IPS = 1;
/** aws/ip-allocation/per-node-pod-range#secondary-ip-mode: one spare ENI of IPs is kept warm by default. */
export const EKS_WARM_ENI_TARGET = 1;
/** aws/ip-allocation/per-node-pod-range#prefix-delegation: each ENI slot holds a /28 prefix. */
export const EKS_PREFIX_LENGTH = 28;
/** aws/ip-allocation/per-node-pod-range#prefix-delegation: one spare prefix is kept warm by default. */
export const EKS_WARM_PREFIX_TARGET = 1;
/**
 * aws/ip-allocation/max-pods-per-node#prefix-delegation: AWS recommends at most 110 pods on instances with
 * 30 vCPUs or fewer and 250 above; 110 is the documented default. The minimum (any positive kubelet setting)
 * is not a fact.
 */
export const EKS_PREFIX_MAX_PODS = {
  min: 1,
  max: 250,
  default: 110,
  smallInstanceMax: 110,
  smallInstanceVcpus: 30,
} as const;

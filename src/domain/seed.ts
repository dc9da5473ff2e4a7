import { z } from 'zod';

/**
 * The seed format: what a reviewer edits in `seed/*.yaml`. Every other shape of a fact
 * (database row, API response, admin request body) is derived from these schemas.
 */

export const PROVIDER_SLUGS = ['aws', 'azure', 'gcp'] as const;
export const ProviderSlugSchema = z.enum(PROVIDER_SLUGS);
export type ProviderSlug = z.infer<typeof ProviderSlugSchema>;

export const TOPIC_SLUGS = [
  'load-balancing',
  'ingress',
  'pod-networking',
  'ip-allocation',
  'dns',
  'service-types',
  'egress',
  'private-connectivity',
  'cross-cloud-connectivity',
  'identity',
  'storage',
  'node-access',
] as const;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export const ConfidenceSchema = z.enum(CONFIDENCES);

export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case slug (a-z, 0-9 and single hyphens)');

const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\r\n]/.test(s), 'must be a single line');

const paragraph = z.string().trim().min(1).max(4000);

/** A search word; YAML reads an unquoted `64512` or `443` as a number, which is still a fine keyword. */
const keyword = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().trim().min(1).max(80));

export const SourceSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'Invalid URL' }),
  title: oneLine(200),
});
export type Source = z.infer<typeof SourceSchema>;

/** ISO calendar date (YYYY-MM-DD); the seed reader's YAML core schema keeps an unquoted date a string. */
export const IsoDateSchema = z.iso.date();

export const SeedFactSchema = z
  .object({
    variant: oneLine(80).optional(),
    default: z.boolean().optional(),
    value: oneLine(240),
    details: paragraph,
    sources: z.array(SourceSchema).min(1, 'at least one source is required'),
    verified: IsoDateSchema,
    confidence: ConfidenceSchema,
    tags: z.array(SlugSchema).default([]),
  })
  .strict();
export type SeedFact = z.infer<typeof SeedFactSchema>;

export const MigrationDirectionSchema = z
  .string()
  .regex(/^(aws|azure|gcp)->(aws|azure|gcp)$/, 'must be a direction such as aws->gcp')
  .refine((d) => d.split('->')[0] !== d.split('->')[1], 'from and to must differ');

export const SeedDivergenceSchema = z
  .object({
    summary: paragraph,
    severity: SeveritySchema,
    example: paragraph,
    migration: z.record(MigrationDirectionSchema, paragraph).default({}),
  })
  .strict();
export type SeedDivergence = z.infer<typeof SeedDivergenceSchema>;

const cellSchema = z.array(SeedFactSchema).min(1, 'every provider needs at least one fact');

export const SeedDimensionSchema = z
  .object({
    slug: SlugSchema,
    title: oneLine(120),
    question: oneLine(240),
    baseline: paragraph,
    keywords: z.array(keyword).min(1),
    facts: z.object({ aws: cellSchema, azure: cellSchema, gcp: cellSchema }).strict(),
    divergence: SeedDivergenceSchema,
  })
  .strict();
export type SeedDimension = z.infer<typeof SeedDimensionSchema>;

/** Slug of a variant name, used in fact ids: "Azure CNI Overlay" -> "azure-cni-overlay". */
export function variantSlug(variant: string): string {
  return variant
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The stable id of a fact: `gcp/ip-allocation/per-node-pod-range` plus `#variant-slug`. */
export function factId(provider: string, topic: string, dimension: string, variant?: string | null): string {
  const base = `${provider}/${topic}/${dimension}`;
  return variant ? `${base}#${variantSlug(variant)}` : base;
}

export const SeedTopicSchema = z
  .object({
    slug: SlugSchema,
    title: oneLine(120),
    summary: paragraph,
    aliases: z.array(keyword).default([]),
    dimensions: z.array(SeedDimensionSchema).min(1),
  })
  .strict()
  .superRefine((topic, ctx) => {
    const seen = new Set<string>();
    topic.dimensions.forEach((dim, i) => {
      if (seen.has(dim.slug)) {
        ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'slug'], message: `duplicate dimension slug "${dim.slug}"` });
      }
      seen.add(dim.slug);
      for (const provider of PROVIDER_SLUGS) {
        checkCell(dim.facts[provider], ['dimensions', i, 'facts', provider], ctx);
      }
    });
  });
export type SeedTopic = z.infer<typeof SeedTopicSchema>;

/**
 * A cell (one dimension on one provider) holds one fact, or several variants of which exactly one is the default.
 * Variant slugs must be unique so that fact ids are.
 */
function checkCell(cell: SeedFact[], path: (string | number)[], ctx: z.RefinementCtx): void {
  if (cell.length === 1) return;
  const slugs = new Set<string>();
  let defaults = 0;
  cell.forEach((fact, j) => {
    if (!fact.variant) {
      ctx.addIssue({ code: 'custom', path: [...path, j, 'variant'], message: 'required when a provider has several facts' });
      return;
    }
    const slug = variantSlug(fact.variant);
    if (slugs.has(slug)) {
      ctx.addIssue({ code: 'custom', path: [...path, j, 'variant'], message: `duplicate variant "${fact.variant}"` });
    }
    slugs.add(slug);
    if (fact.default) defaults++;
  });
  if (defaults !== 1) {
    ctx.addIssue({ code: 'custom', path, message: `exactly one variant must have default: true (found ${defaults})` });
  }
}

export const SeedProviderSchema = z
  .object({
    slug: ProviderSlugSchema,
    name: oneLine(80),
    kubernetes_service: oneLine(80),
    kubernetes_service_short: oneLine(10),
    aliases: z.array(z.string().trim().min(1).max(40)).min(1),
  })
  .strict();
export type SeedProvider = z.infer<typeof SeedProviderSchema>;

export const SeedProvidersFileSchema = z
  .object({ providers: z.array(SeedProviderSchema).length(PROVIDER_SLUGS.length) })
  .strict();

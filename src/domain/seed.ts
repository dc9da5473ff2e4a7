import { z } from 'zod';

/**
 * The seed format: what a reviewer edits in `seed/*.yaml`. The write API's request bodies derive from these
 * schemas (src/domain/admin.ts); the database row (src/db/schema.ts) and the API's Fact (src/domain/api.ts) hold
 * the same fields, in the same order (CONTRIBUTING.md: add a field to a fact).
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
  // the platform layer every comparison of the three clouds has
  'cluster-lifecycle',
  'control-plane',
  'autoscaling',
  'quotas-limits',
  'observability',
  'secrets-encryption',
  'service-mesh',
  'policy-governance',
  'backup-dr',
  'registry',
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

/** Official documentation hosts: the providers' docs, kubernetes.io and the Kubernetes SIGs' sites. */
export const OFFICIAL_HOSTS = [
  'docs.aws.amazon.com',
  'aws.amazon.com',
  'learn.microsoft.com',
  'cloud.google.com',
  'docs.cloud.google.com',
  'kubernetes.io',
  'kubernetes-sigs.github.io',
  'azure.github.io',
  'aws.github.io',
  'awslabs.github.io',
] as const;

/** GitHub organisations of the providers and of Kubernetes (github.com/<org>/…). */
export const OFFICIAL_GITHUB_ORGS = [
  'aws',
  'awslabs',
  'aws-samples',
  'azure',
  'kubernetes',
  'kubernetes-sigs',
  'googlecloudplatform',
  'microsoftdocs',
] as const;

const GITHUB_HOSTS = ['github.com', 'raw.githubusercontent.com'];
/** Query parameters that only track the reader or pick a language: never part of a canonical URL. */
const NON_CANONICAL_PARAMS = /^(hl|authuser|utm_.*|_gl|gclid|fbclid|ref|view)$/i;

/**
 * Why a source URL is not a canonical official page, or undefined when it is: https, lowercase host, an official
 * host or GitHub organisation, no credentials, no tracking or locale parameters, the English page, and the HTML page
 * rather than a Markdown copy. Shared by the seed reader and the write API.
 */
export function sourceUrlProblem(raw: string): string | undefined {
  if (raw.length > 2048) return 'must be at most 2048 characters';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Invalid URL';
  }
  if (url.protocol !== 'https:') return 'must be https';
  if (url.username || url.password) return 'must not carry credentials';
  const writtenHost = raw.slice(raw.indexOf('//') + 2).split(/[/?#]/)[0] ?? '';
  if (writtenHost !== writtenHost.toLowerCase()) return `host must be lowercase (${url.hostname})`;
  if (url.port) return 'must not name a port';
  const host = url.hostname;
  if (GITHUB_HOSTS.includes(host)) {
    const org = url.pathname.split('/')[1]?.toLowerCase() ?? '';
    if (!(OFFICIAL_GITHUB_ORGS as readonly string[]).includes(org)) {
      return `GitHub organisation "${org}" is not official (${OFFICIAL_GITHUB_ORGS.join(', ')})`;
    }
  } else if (!(OFFICIAL_HOSTS as readonly string[]).includes(host)) {
    return `host ${host} is not an official documentation host (${OFFICIAL_HOSTS.join(', ')}, or GitHub's ${OFFICIAL_GITHUB_ORGS.join(', ')})`;
  }
  for (const name of url.searchParams.keys()) {
    if (NON_CANONICAL_PARAMS.test(name)) return `drop the tracking or locale parameter "${name}"`;
  }
  if (host === 'learn.microsoft.com' && !url.pathname.startsWith('/en-us/')) return 'cite the English page (/en-us/…)';
  if (host === 'docs.aws.amazon.com' && /^\/[a-z]{2}_[a-z]{2}\//i.test(url.pathname)) {
    return 'cite the English page (no locale prefix)';
  }
  if (!GITHUB_HOSTS.includes(host) && /\.md(\.txt)?$/i.test(url.pathname)) {
    return 'cite the HTML page, not its Markdown copy';
  }
  return undefined;
}

export const SourceUrlSchema = z.string().superRefine((url, ctx) => {
  const problem = sourceUrlProblem(url);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** ISO calendar date (YYYY-MM-DD); the seed reader's YAML core schema keeps an unquoted date a string. */
export const IsoDateSchema = z.iso.date();

export const SourceSchema = z
  .object({
    url: SourceUrlSchema,
    title: oneLine(200),
    checked: IsoDateSchema.meta({ description: 'the day this page was last read against the fact' }),
  })
  .strict();
export type Source = z.infer<typeof SourceSchema>;

export const FACT_STATUSES = ['ga', 'preview', 'deprecated', 'retired', 'unavailable'] as const;
export const FactStatusSchema = z.enum(FACT_STATUSES);
export type FactStatus = z.infer<typeof FactStatusSchema>;

export const OS_KINDS = ['linux', 'windows'] as const;

/** What a fact holds for, where it does not hold everywhere: Kubernetes versions, node OS, cluster modes, regions. */
export const AppliesSchema = z
  .object({
    versions: oneLine(40)
      .regex(
        /^(?:[<>]=?|=)?\d+\.\d+(?:\s*-\s*\d+\.\d+|\s+[<>]=?\d+\.\d+)?$/,
        'a version range such as ">=1.30", "1.28-1.31" or ">=1.28 <1.33"',
      )
      .optional(),
    os: z.enum(OS_KINDS).optional(),
    modes: z.array(oneLine(60)).min(1).optional(),
    regions: oneLine(120).optional(),
  })
  .strict()
  .refine((a) => Object.values(a).some((v) => v !== undefined), 'name at least one of versions, os, modes, regions');
export type Applies = z.infer<typeof AppliesSchema>;

/** A dated or versioned change: a retirement, a new default, an end of support. */
export const ChangeSchema = z
  .object({
    on: IsoDateSchema.optional(),
    version: oneLine(20)
      .regex(/^\d+\.\d+(?:\.\d+)?$/, 'a version such as "1.33"')
      .optional(),
    what: oneLine(300),
    replaced_by: oneLine(200).optional(),
  })
  .strict()
  .refine((c) => c.on !== undefined || c.version !== undefined, 'give the date (on) or the version of the change');
export type Change = z.infer<typeof ChangeSchema>;

/** How a dimension's cells compare: the form every fact's `key` takes in it. */
export const COMPARE_KINDS = ['number', 'enum', 'boolean', 'key', 'none'] as const;
export const CompareKindSchema = z.enum(COMPARE_KINDS);
export type CompareKind = z.infer<typeof CompareKindSchema>;

/** A fact's comparable value: a number, a boolean, an enum value or a short kebab-case key. */
export const FactKeySchema = z.union([z.number(), z.boolean(), z.string().trim().min(1).max(60)]);
export type FactKey = z.infer<typeof FactKeySchema>;

export const SeedFactSchema = z
  .object({
    variant: oneLine(80).optional(),
    default: z.boolean().optional(),
    value: oneLine(240),
    key: FactKeySchema.optional(),
    status: FactStatusSchema,
    applies: AppliesSchema.optional(),
    changes: z.array(ChangeSchema).min(1).optional(),
    details: paragraph,
    sources: z.array(SourceSchema).min(1, 'at least one source is required'),
    confidence: ConfidenceSchema,
    tags: z.array(SlugSchema).default([]),
  })
  .strict();
export type SeedFactInput = z.infer<typeof SeedFactSchema>;
/** A fact as the seed holds it, with `verified` derived: the oldest `checked` date of its sources. */
export type SeedFact = SeedFactInput & { verified: string };

/** A fact's `verified`: the oldest day one of its sources was checked (a fact is as fresh as its stalest source). */
export function oldestChecked(sources: readonly { checked: string }[]): string {
  // ISO dates compare as strings; Math.min (the linter's suggestion) would turn them into NaN
  // biome-ignore lint/complexity/useMathMinMax: the operands are strings
  return sources.reduce((min, s) => (s.checked < min ? s.checked : min), sources[0]?.checked ?? '');
}

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

/** What breaks the rules of a fact on its own (no `high` confidence for a Preview feature), or undefined. */
export function factRuleProblem(f: { status?: FactStatus; confidence?: string }): { field: string; message: string } | undefined {
  if (f.status === 'preview' && f.confidence === 'high') {
    return { field: 'confidence', message: 'a preview fact cannot have confidence high' };
  }
  return undefined;
}

/** factRuleProblem as a zod refinement, for the seed and the write API's bodies. */
export function seedFactRules(f: { status?: FactStatus; confidence?: string }, ctx: z.RefinementCtx): void {
  const problem = factRuleProblem(f);
  if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
}

/** A seed fact checked on its own, with its `verified` derived from its sources. */
const seedFactInCell = SeedFactSchema.superRefine(seedFactRules).transform(
  (f): SeedFact => ({ ...f, verified: oldestChecked(f.sources) }),
);

const cellSchema = z.array(seedFactInCell).min(1, 'every provider needs at least one fact');

export const SeedDimensionSchema = z
  .object({
    slug: SlugSchema,
    title: oneLine(120),
    question: oneLine(240),
    baseline: paragraph,
    keywords: z.array(keyword).min(1),
    compare_by: CompareKindSchema.optional(),
    unit: oneLine(30).optional(),
    values: z.array(z.string().trim().min(1).max(60)).min(2).optional(),
    facts: z.object({ aws: cellSchema, azure: cellSchema, gcp: cellSchema }).strict(),
    divergence: SeedDivergenceSchema,
  })
  .strict();
export type SeedDimension = z.infer<typeof SeedDimensionSchema>;

/** `dimensions[3].facts.gcp[0].sources[0].url`, the way a reviewer finds it in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

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
      checkKeys(dim, ['dimensions', i], ctx);
    });
  });
export type SeedTopic = z.infer<typeof SeedTopicSchema>;

/**
 * A dimension that declares `compare_by` gives every fact a `key` of that form: a number (with the dimension's
 * `unit`), one of its enum `values`, a boolean, or a short kebab-case key; `none` means the cells cannot be
 * compared, and its facts carry no key.
 */
function checkKeys(dim: SeedDimension, path: (string | number)[], ctx: z.RefinementCtx): void {
  const by = dim.compare_by;
  const issue = (p: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: [...path, ...p], message });
  if (by === undefined) return;
  if ((by === 'number') !== (dim.unit !== undefined)) issue(['unit'], 'give a unit exactly when compare_by is number');
  if ((by === 'enum') !== (dim.values !== undefined)) issue(['values'], 'give values exactly when compare_by is enum');
  for (const provider of PROVIDER_SLUGS) {
    dim.facts[provider].forEach((f, j) => {
      const problem = factKeyProblem(dim, f.key);
      if (problem) issue(['facts', provider, j, 'key'], problem);
    });
  }
}

/** Why a fact's `key` does not fit its dimension's `compare_by`, or undefined when it does (the write API asks too). */
export function factKeyProblem(
  dim: { compare_by?: CompareKind | null; values?: readonly string[] | null },
  key: FactKey | null | undefined,
): string | undefined {
  const by = dim.compare_by;
  if (by === undefined || by === null) return undefined;
  if (by === 'none') return key === undefined || key === null ? undefined : 'compare_by none takes no key';
  if (key === undefined || key === null) return `required: compare_by is ${by}`;
  if (by === 'number' && typeof key !== 'number') return 'must be a number';
  if (by === 'boolean' && typeof key !== 'boolean') return 'must be true or false';
  if (by === 'enum' && !dim.values?.includes(String(key))) return `must be one of ${dim.values?.join(', ')}`;
  if (by === 'key' && (typeof key !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(key))) {
    return 'must be a short kebab-case key';
  }
  return undefined;
}

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

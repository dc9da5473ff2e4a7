import { z } from 'zod';
import {
  type Compare,
  CompareRowSchema,
  CompareSchema,
  type Diff,
  DiffItemSchema,
  DiffSchema,
  type Fact,
  FactSchema,
  type FactsPage,
  FactsPageSchema,
} from './api.js';

/**
 * Sparse fieldsets (`fields=value,status,sources`): the fact fields a client keeps in every fact of an answer of
 * compare, facts and diff. The fields are FactSchema's own, so a field added to a fact can be asked for at once.
 */
export const FACT_FIELDS = Object.keys(FactSchema.shape) as (keyof Fact)[];
export type FactField = keyof Fact;

/** What identifies a fact, and a fact within its cell: kept whatever `fields` lists. */
export const IDENTIFYING_FIELDS = ['id', 'provider', 'variant', 'default'] as const satisfies readonly FactField[];

const isFactField = (name: string): name is FactField => (FACT_FIELDS as string[]).includes(name);

/** The `fields` query parameter: a comma-separated list of fact fields; empty or absent keeps every field. */
export const FieldsQuerySchema = z
  .string()
  .max(500)
  .transform((raw, ctx) => {
    const names = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const unknown = names.filter((n) => !isFactField(n));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown fact field ${unknown.map((n) => `"${n}"`).join(', ')}; use some of ${FACT_FIELDS.join(', ')}`,
      });
      return z.NEVER;
    }
    return names.length > 0 ? (names as FactField[]) : undefined;
  })
  .optional()
  .meta({
    description: `comma-separated fact fields to keep in every fact of the answer, e.g. value,status,sources (default: all); ${IDENTIFYING_FIELDS.join(', ')} always stay. Fields: ${FACT_FIELDS.join(', ')}`,
  });

/** A fact cut to the fields a client asked for: only what identifies it is sure to be there. */
export const SparseFactSchema = FactSchema.partial()
  .required({ id: true, provider: true, default: true })
  .meta({ id: 'SparseFact', description: `a fact with the fields \`fields=\` asked for, and ${IDENTIFYING_FIELDS.join(', ')}` });
export type SparseFact = z.infer<typeof SparseFactSchema>;

// The sparse answers are the full ones with sparse facts, derived so that they follow every change of the full shapes.
const sparseFacts = z.array(SparseFactSchema);
export const SparseCompareRowSchema = CompareRowSchema.extend({
  cells: z.object({ aws: sparseFacts.optional(), azure: sparseFacts.optional(), gcp: sparseFacts.optional() }),
}).meta({ id: 'SparseCompareRow' });
export const SparseCompareSchema = CompareSchema.extend({ rows: z.array(SparseCompareRowSchema) }).meta({ id: 'SparseCompare' });
export const SparseDiffSchema = DiffSchema.extend({
  items: z.array(DiffItemSchema.extend({ from: sparseFacts, to: sparseFacts }).meta({ id: 'SparseDiffItem' })),
}).meta({ id: 'SparseDiff' });
export const SparseFactsPageSchema = FactsPageSchema.extend({ items: sparseFacts }).meta({ id: 'SparseFactsPage' });

export type SparseCompare = z.infer<typeof SparseCompareSchema>;
export type SparseDiff = z.infer<typeof SparseDiffSchema>;
export type SparseFactsPage = z.infer<typeof SparseFactsPageSchema>;

function keepFields(fields: readonly FactField[]): (fact: Fact) => SparseFact {
  const keep = new Set<string>([...IDENTIFYING_FIELDS, ...fields]);
  return (fact) => Object.fromEntries(Object.entries(fact).filter(([k]) => keep.has(k))) as SparseFact;
}

/** Cuts every fact of an answer of compare, facts (a page or one fact) or diff to `fields`; absent keeps all. */
export function selectFields(answer: Compare, fields: readonly FactField[] | undefined): Compare | SparseCompare;
export function selectFields(answer: Diff, fields: readonly FactField[] | undefined): Diff | SparseDiff;
export function selectFields(answer: FactsPage, fields: readonly FactField[] | undefined): FactsPage | SparseFactsPage;
export function selectFields(answer: Fact, fields: readonly FactField[] | undefined): Fact | SparseFact;
export function selectFields(
  answer: Compare | Diff | FactsPage | Fact,
  fields: readonly FactField[] | undefined,
): Compare | Diff | FactsPage | Fact | SparseCompare | SparseDiff | SparseFactsPage | SparseFact {
  if (!fields) return answer;
  const pick = keepFields(fields);
  if ('rows' in answer) {
    return {
      ...answer,
      rows: answer.rows.map((row) => ({
        ...row,
        cells: Object.fromEntries(Object.entries(row.cells).map(([p, cell]) => [p, cell.map(pick)])),
      })),
    };
  }
  if ('counts' in answer)
    return { ...answer, items: answer.items.map((i) => ({ ...i, from: i.from.map(pick), to: i.to.map(pick) })) };
  if ('items' in answer) return { ...answer, items: answer.items.map(pick) };
  return pick(answer);
}

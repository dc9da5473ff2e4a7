import type {
  ArgumentNode,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { MAX_MATCHES } from '../kb/ask/rank.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../kb/facts.js';
import { MAX_SEARCH_LIMIT } from '../kb/search.js';
import type { Snapshot } from '../kb/snapshot.js';

/**
 * The most work one query may ask for, counted before it runs: every field costs 1, times the length of each list
 * it sits in (lists count their longest in the snapshot, or the page size asked for), so aliases, list sizes and
 * nesting all add up. On the real seed (22 topics, 888 facts) a compare matrix with the values, details and sources
 * of its facts costs about 1,600, a page of 200 facts with all their links about 15,000, and every topic with the
 * ids, values and source URLs of its dimensions' facts about 22,000 (longest lists multiply, so this overstates it:
 * it answers in about 25 ms); the whole dataset with every field is past the limit (that is what /v1/export is
 * for). At a few microseconds a field actually answered, 30,000 keeps one request within the 100 ms it may hold
 * the event loop (docs/security.md), with room for the seed to grow by a third.
 */
export const MAX_QUERY_COST = 30_000;

/**
 * The largest answer one request may get, in bytes of JSON: twice the largest answer the cost limit lets through
 * on the real seed (about 1 MB, a page of 200 facts with every field). It bounds what long texts add.
 */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** A query refused before it runs, naming the limit it passed (GraphQL answers 400 GRAPHQL_VALIDATION_FAILED). */
export class QueryLimitError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly limit: 'MAX_QUERY_COST' | 'MAX_RESPONSE_BYTES',
    message: string,
  ) {
    super(message);
    this.name = 'QueryLimitError';
  }
}

export const queryTooCostly = (cost: number) =>
  new QueryLimitError(
    'MAX_QUERY_COST',
    `the query would cost ${cost}, more than the limit of ${MAX_QUERY_COST} (MAX_QUERY_COST: every field counts 1, times the length of each list it sits in); ask for fewer fields or aliases, or smaller pages with first`,
  );

export const responseTooLarge = () =>
  new QueryLimitError(
    'MAX_RESPONSE_BYTES',
    `the answer would be larger than the limit of ${MAX_RESPONSE_BYTES} bytes (MAX_RESPONSE_BYTES); ask for fewer fields, or smaller pages with first`,
  );

/** The longest list each list field can answer, from the snapshot (every dataset version has its own). */
interface ListSizes {
  providers: number;
  topics: number;
  dimensions: number;
  facts: number;
  dimensionsPerTopic: number;
  factsPerCell: number;
  factsPerDimension: number;
  sourcesPerFact: number;
  changesPerFact: number;
  migrationNotes: number;
}

const sizesCache = new WeakMap<Snapshot, ListSizes>();

function listSizes(snap: Snapshot): ListSizes {
  let sizes = sizesCache.get(snap);
  if (sizes) return sizes;
  sizes = {
    providers: snap.providers.length,
    topics: snap.topics.length,
    dimensions: snap.dimensionByKey.size,
    facts: snap.facts.length,
    dimensionsPerTopic: 0,
    factsPerCell: 0,
    factsPerDimension: 0,
    sourcesPerFact: 0,
    changesPerFact: 0,
    migrationNotes: 0,
  };
  for (const t of snap.topics) sizes.dimensionsPerTopic = Math.max(sizes.dimensionsPerTopic, t.dimensions.length);
  for (const d of snap.dimensionByKey.values()) {
    const cells = Object.values(d.cells);
    sizes.factsPerCell = Math.max(sizes.factsPerCell, ...cells.map((c) => c.length));
    sizes.factsPerDimension = Math.max(
      sizes.factsPerDimension,
      cells.reduce((n, c) => n + c.length, 0),
    );
    sizes.migrationNotes = Math.max(sizes.migrationNotes, d.divergence.migration.length);
  }
  for (const f of snap.facts) {
    sizes.sourcesPerFact = Math.max(sizes.sourcesPerFact, f.sources.length);
    sizes.changesPerFact = Math.max(sizes.changesPerFact, f.changes?.length ?? 0);
  }
  sizesCache.set(snap, sizes);
  return sizes;
}

type Args = Record<string, unknown>;
/** A list field's size from the list sizes, its own arguments and those of the field above it (a page's `first`). */
type SizeRule = (sizes: ListSizes, args: Args, parentArgs: Args) => number;

const pageOf = (first: unknown, fallback: number, max: number) =>
  typeof first === 'number' && Number.isFinite(first) ? Math.min(Math.max(first, 1), max) : fallback;

/**
 * The size of every list field of the schema that holds objects. Lists of scalars (aliases, tags, keywords) are
 * one field each: their bytes are the response limit's business. A test checks that every object list of the SDL
 * is here, so a new list field cannot go uncounted.
 */
export const LIST_SIZES: Record<string, SizeRule> = {
  'Query.providers': (s) => s.providers,
  'Query.topics': (s) => s.topics,
  'Topic.dimensions': (s) => s.dimensionsPerTopic,
  'Dimension.facts': (s, args) => (args.provider == null ? s.factsPerDimension : s.factsPerCell),
  'Divergence.migration': (s) => s.migrationNotes,
  'Fact.sources': (s) => s.sourcesPerFact,
  'Fact.changes': (s) => s.changesPerFact,
  'FactConnection.edges': (s, _args, parent) => Math.min(s.facts, pageOf(parent.first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)),
  'Compare.providers': (s) => s.providers,
  'Compare.rows': (s) => s.dimensionsPerTopic,
  'CompareRow.cells': (s) => s.providers,
  // a list of provider lists: every provider is in one group, so the groups hold the providers once in all
  'CompareRow.groups': (s) => s.providers,
  'Cell.facts': (s) => s.factsPerCell,
  'Diff.items': (s, _args, parent) => (parent.topic == null ? s.dimensions : s.dimensionsPerTopic),
  'DiffItem.from': (s) => s.factsPerCell,
  'DiffItem.to': (s) => s.factsPerCell,
  'SearchResult.items': (_s, _args, parent) => pageOf(parent.first, 10, MAX_SEARCH_LIMIT),
  'Answer.providers': (s) => s.providers,
  'Answer.topics': (s) => s.topics,
  'Answer.matches': () => MAX_MATCHES,
  'Answer.citations': (s) => MAX_MATCHES * s.providers * s.factsPerCell * s.sourcesPerFact,
  'Answer.suggestions': (s) => s.topics,
  'Staleness.stale': (s) => s.facts,
  'Timeline.items': (s) => s.facts * s.changesPerFact,
  'Timeline.byVersion': (s) => s.facts * s.changesPerFact,
  'TimelineEntry.sources': (s) => s.sourcesPerFact,
};

/**
 * Introspection lists count their mean length in this schema (fields per type, arguments per field …): the
 * schema is fixed and small, so the mean gives a listing of it its real size, while nesting (`fields { type {
 * fields … } }`) still multiplies as it should.
 */
function introspectionSizes(schema: GraphQLSchema): Record<string, number> {
  const types = Object.values(schema.getTypeMap()) as unknown as {
    getFields?: () => Record<string, { args?: unknown[] }>;
    getValues?: () => unknown[];
    getInterfaces?: () => unknown[];
  }[];
  let fields = 0;
  let args = 0;
  let values = 0;
  let interfaces = 0;
  for (const t of types) {
    const own = Object.values(t.getFields?.() ?? {});
    fields += own.length;
    for (const f of own) args += f.args?.length ?? 0;
    values += t.getValues?.().length ?? 0;
    interfaces += t.getInterfaces?.().length ?? 0;
  }
  const directives = schema.getDirectives();
  const mean = (total: number, of: number) => Math.ceil(total / Math.max(of, 1));
  return {
    '__Schema.types': types.length,
    '__Schema.directives': directives.length,
    '__Type.fields': mean(fields, types.length),
    '__Type.inputFields': mean(fields, types.length),
    '__Type.enumValues': mean(values, types.length),
    '__Type.interfaces': mean(interfaces, types.length),
    '__Type.possibleTypes': mean(interfaces, types.length),
    '__Field.args': mean(args, fields),
    '__Directive.args': mean(
      directives.reduce((n, d) => n + d.args.length, 0),
      directives.length,
    ),
  };
}

/** The introspection fields every query type has, though its field map does not list them. */
const INTROSPECTION_ROOTS: Record<string, FieldDef> = {
  __schema: { type: '__Schema!', args: [] },
  __type: { type: '__Type', args: [] },
};

type FieldDef = { type: { toString(): string }; args: readonly { name: string; defaultValue?: unknown }[] };

const introspectionCache = new WeakMap<GraphQLSchema, Record<string, number>>();

/** `[Fact!]!` -> { name: 'Fact', list: true }: read from the type's text, which any copy of graphql-js prints alike. */
function typeInfo(type: { toString(): string }): { name: string; list: boolean } {
  const text = type.toString();
  return { name: text.replace(/[[\]!]/g, ''), list: text.includes('[') };
}

function argumentValue(node: ValueNode, variables: Args): unknown {
  switch (node.kind) {
    case 'IntValue':
    case 'FloatValue':
      return Number(node.value);
    case 'Variable':
      return variables[node.name.value];
    case 'NullValue':
      return null;
    case 'StringValue':
    case 'EnumValue':
      return node.value;
    case 'BooleanValue':
      return node.value;
    default:
      return undefined;
  }
}

/** The operation a request runs, as graphql-js picks it: the one named, or the only one. */
export function pickOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  if (operationName !== undefined) return ops.find((o) => o.name?.value === operationName);
  return ops.length === 1 ? ops[0] : undefined;
}

/**
 * The cost of running `document` (the operation `operationName` picks) with `variables`, as MAX_QUERY_COST counts
 * it. A fragment is counted once per set of enclosing arguments and reused wherever it is spread, so the count
 * stays cheap however fragments nest.
 */
export function queryCost(
  schema: GraphQLSchema,
  snap: Snapshot,
  document: DocumentNode,
  variables: Args = {},
  operationName?: string,
): number {
  const sizes = listSizes(snap);
  let intro = introspectionCache.get(schema);
  if (!intro) {
    intro = introspectionSizes(schema);
    introspectionCache.set(schema, intro);
  }
  const introSizes = intro;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments.set(d.name.value, d);
  // no operation to run is graphql-js' error to report, and costs nothing
  const operation = pickOperation(document, operationName);
  if (!operation) return 0;

  // variables a request leaves out take their declared defaults
  const vars: Args = { ...variables };
  for (const v of operation.variableDefinitions ?? []) {
    if (vars[v.variable.name.value] === undefined && v.defaultValue)
      vars[v.variable.name.value] = argumentValue(v.defaultValue, {});
  }

  const memo = new Map<string, number>();
  const fieldsOf = (typeName: string) =>
    (schema.getType(typeName) as unknown as { getFields?: () => Record<string, FieldDef> } | undefined)?.getFields?.() ?? {};

  const argsOf = (def: FieldDef | undefined, nodes: readonly ArgumentNode[] | undefined): Args => {
    const args: Args = {};
    for (const a of def?.args ?? []) if (a.defaultValue !== undefined) args[a.name] = a.defaultValue;
    for (const n of nodes ?? []) args[n.name.value] = argumentValue(n.value, vars);
    return args;
  };

  const selectionCost = (set: SelectionSetNode, typeName: string, parentArgs: Args): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === 'Field') {
        const name = sel.name.value;
        if (!sel.selectionSet) {
          total += 1;
          continue;
        }
        const def = fieldsOf(typeName)[name] ?? INTROSPECTION_ROOTS[name];
        if (!def) {
          total += 1;
          continue;
        }
        const args = argsOf(def, sel.arguments);
        const type = typeInfo(def.type);
        const key = `${typeName}.${name}`;
        const rule = LIST_SIZES[key];
        const size = !type.list ? 1 : rule ? rule(sizes, args, parentArgs) : (introSizes[key] ?? sizes.facts);
        total += 1 + size * selectionCost(sel.selectionSet, type.name, args);
      } else if (sel.kind === 'InlineFragment') {
        total += selectionCost(sel.selectionSet, sel.typeCondition?.name.value ?? typeName, parentArgs);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (!fragment) continue;
        const id = `${sel.name.value}:${JSON.stringify(parentArgs)}`;
        let cost = memo.get(id);
        if (cost === undefined) {
          cost = selectionCost(fragment.selectionSet, fragment.typeCondition.name.value, parentArgs);
          memo.set(id, cost);
        }
        total += cost;
      }
    }
    return total;
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType()?.name : schema.getQueryType()?.name;
  return root ? selectionCost(operation.selectionSet, root, {}) : 0;
}

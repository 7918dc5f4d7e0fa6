import {
  ConstDirectiveNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLArgument,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  typeFromAST,
  valueFromASTUntyped,
} from 'graphql';

/**
 * Cost analysis from the schema's own declarations: the `@cost` and `@listSize` directives of the
 * GraphQL Cost Directives specification (https://ibm.github.io/graphql-specs/cost-spec.html) and
 * two declared extensions (`@costPerUnit`, `@oncePerOperation`), all defined in
 * schema/cost.graphql. One walk of the operation gives the estimate before execution (list sizes
 * from slicing arguments or `assumedSize`) and, given the response data, the actual cost (list
 * sizes as returned).
 *
 * How a field selection costs:
 *   arguments given with `@cost` (their weight each) + `@costPerUnit` arguments (weight x value)
 *   + the field's own `@cost` weight (once per call: the resolver's work)
 *   + for each object it returns: the type's `@cost` weight (default 1 for objects, interfaces
 *     and unions; 0 for scalars and enums) + the cost of the sub-selection.
 * Abstract types cost as their most expensive possible type. A list returns
 * `@listSize` slicing argument (the largest given) or its `assumedSize`, else
 * {@link DEFAULT_LIST_SIZE} objects; with `sizedFields` (connections) that size applies to the
 * named children (`edges`) instead.
 */
export const DEFAULT_LIST_SIZE = 5;

/** The most items any list argument may hold, anywhere in an operation (docs/reliability.md). */
export const MAX_LIST_ARGUMENT = 100;

export interface CostReport {
  /** The cost. */
  cost: number;
  /** Fields declared `@oncePerOperation` that the operation selects more than once (by name). */
  repeated: string[];
  /** Arguments holding a list longer than {@link MAX_LIST_ARGUMENT} (as `field.arg.path`). */
  longLists: string[];
}

/** Paths of the lists longer than the cap inside an argument value. */
function longLists(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ARGUMENT) out.push(path);
    else value.forEach((v, i) => longLists(v, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) longLists(v, `${path}.${k}`, out);
}

interface ListSize {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
}

interface FieldCost {
  weight: number;
  listSize?: ListSize;
  once: boolean;
  args: { name: string; weight: number; perUnit: number; arg: GraphQLArgument }[];
}

function directive(
  node: { directives?: readonly ConstDirectiveNode[] } | null | undefined,
  name: string,
) {
  return node?.directives?.find((d) => d.name.value === name);
}

function argValue(d: ConstDirectiveNode | undefined, name: string): unknown {
  const a = d?.arguments?.find((x) => x.name.value === name);
  return a ? valueFromASTUntyped(a.value) : undefined;
}

function weightOf(d: ConstDirectiveNode | undefined): number | undefined {
  if (!d) return undefined;
  const w = Number(argValue(d, 'weight'));
  if (!Number.isFinite(w) || w < 0) throw new Error(`@${d.name.value}: weight must be a number`);
  return w;
}

const fieldCosts = new WeakMap<GraphQLField<unknown, unknown>, FieldCost>();

/** A field's declared costs, read once from its SDL. */
function fieldCost(field: GraphQLField<unknown, unknown>): FieldCost {
  let c = fieldCosts.get(field);
  if (c) return c;
  const ls = directive(field.astNode, 'listSize');
  c = {
    weight: weightOf(directive(field.astNode, 'cost')) ?? 0,
    once: Boolean(directive(field.astNode, 'oncePerOperation')),
    listSize: ls && {
      assumedSize: argValue(ls, 'assumedSize') as number | undefined,
      slicingArguments: (argValue(ls, 'slicingArguments') as string[] | undefined) ?? [],
      sizedFields: (argValue(ls, 'sizedFields') as string[] | undefined) ?? [],
    },
    args: field.args.map((arg) => ({
      name: arg.name,
      arg,
      weight: weightOf(directive(arg.astNode, 'cost')) ?? 0,
      perUnit: weightOf(directive(arg.astNode, 'costPerUnit')) ?? 0,
    })),
  };
  fieldCosts.set(field, c);
  return c;
}

const typeWeights = new WeakMap<GraphQLNamedType, number>();

/** What each returned object (or value) of a type costs. */
function typeWeight(type: GraphQLNamedType): number {
  let w = typeWeights.get(type);
  if (w === undefined) {
    w = weightOf(directive(type.astNode, 'cost')) ?? (isCompositeType(type) ? 1 : 0);
    typeWeights.set(type, w);
  }
  return w;
}

/** A size from a numeric argument value: non-negative and finite, or undefined. */
function asSize(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.floor(v)) : undefined;
}

/** How many items a list field is expected to return, from its arguments and `@listSize`. */
function expectedSize(c: FieldCost, args: Record<string, unknown>): number {
  const ls = c.listSize;
  if (!ls) return DEFAULT_LIST_SIZE;
  const given = ls.slicingArguments
    .map((a) => asSize(args[a]))
    .filter((n): n is number => n !== undefined);
  if (given.length) return Math.max(...given);
  return ls.assumedSize ?? DEFAULT_LIST_SIZE;
}

export interface AnalyzeInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  /** The operation's coerced variable values. */
  variables: Record<string, unknown>;
  /** The response data: when given, list sizes are the ones returned (the actual cost). */
  data?: Record<string, unknown> | null;
}

/** The cost of an operation: estimated (no `data`) or actual (with the response's `data`). */
export function analyzeCost(input: AnalyzeInput): CostReport {
  const { schema, fragments, variables } = input;
  const onceCounts = new Map<string, number>();
  const tooLong: string[] = [];
  const memo = new Map<SelectionSetNode, Map<string, number>>();

  const args = (field: GraphQLField<unknown, unknown>, node: FieldNode) => {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return {}; // invalid arguments: the execution refuses them before any resolver runs
    }
  };

  /** The fields a selection set asks of concrete type `t`, fragments included. */
  const collect = (t: GraphQLObjectType, set: SelectionSetNode, out: FieldNode[] = []) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) out.push(s);
      else {
        const frag = s.kind === Kind.INLINE_FRAGMENT ? s : fragments[s.name.value];
        if (!frag) continue;
        const cond = frag.typeCondition
          ? (typeFromAST(schema, frag.typeCondition) as GraphQLNamedType | undefined)
          : t;
        const applies =
          !cond ||
          cond === t ||
          (isAbstractType(cond) && schema.isSubType(cond, t as GraphQLObjectType));
        if (applies) collect(t, frag.selectionSet, out);
      }
    }
    return out;
  };

  /** Cost of a sub-selection on one returned value (`value` undefined: estimated). */
  const selectionCost = (
    type: GraphQLCompositeType,
    set: SelectionSetNode,
    value: unknown,
    sized?: { fields: string[]; size: number },
  ): number => {
    const types: readonly GraphQLObjectType[] = isAbstractType(type)
      ? schema.getPossibleTypes(type)
      : [type as GraphQLObjectType];
    const known =
      value && typeof value === 'object' && '__typename' in value
        ? types.filter((t) => t.name === (value as { __typename: unknown }).__typename)
        : types;
    const estimate = value === undefined && !sized;
    let best = 0;
    for (const t of known.length ? known : types) {
      let c = estimate ? memo.get(set)?.get(t.name) : undefined;
      if (c === undefined) {
        c = 0;
        for (const f of collect(t, set)) {
          // Actual cost: what the response holds (a field missing after an error cost nothing).
          const child =
            value === undefined
              ? undefined
              : ((value as Record<string, unknown> | null)?.[f.alias?.value ?? f.name.value] ??
                null);
          const size = sized?.fields.includes(f.name.value) ? sized.size : undefined;
          c += fieldSelectionCost(t, f, child, size);
        }
        if (estimate) {
          if (!memo.has(set)) memo.set(set, new Map());
          memo.get(set)!.set(t.name, c);
        }
      }
      best = Math.max(best, c);
    }
    return best;
  };

  /** Cost of one field selection on `parent` (`value` undefined: estimated). */
  const fieldSelectionCost = (
    parent: GraphQLObjectType,
    node: FieldNode,
    value: unknown,
    sizeOverride?: number,
  ): number => {
    const field = parent.getFields()[node.name.value];
    if (!field) return 0; // __typename and introspection
    const c = fieldCost(field);
    if (c.once) {
      const key = `${parent.name}.${field.name}`;
      onceCounts.set(key, (onceCounts.get(key) ?? 0) + 1);
    }
    const a = args(field, node);
    if (value === undefined) for (const [k, v] of Object.entries(a)) longLists(v, k, tooLong);
    let cost = c.weight;
    for (const d of c.args) {
      if (!(d.name in a)) continue;
      cost += d.weight;
      if (d.perUnit) cost += d.perUnit * (asSize(a[d.name]) ?? 0);
    }
    const nullable = getNullableType(field.type);
    const named = getNamedType(field.type);
    const each = (v: unknown, sized?: { fields: string[]; size: number }) =>
      typeWeight(named) +
      (node.selectionSet && isCompositeType(named) && v !== null
        ? selectionCost(named, node.selectionSet, v, sized)
        : 0);
    if (isListType(nullable)) {
      if (value !== undefined) {
        const items = Array.isArray(value) ? value.flat(Infinity) : [];
        for (const item of items) cost += item === null ? 0 : each(item);
        return cost;
      }
      return cost + (sizeOverride ?? expectedSize(c, a)) * each(undefined);
    }
    if (value === null) return cost;
    const sized =
      value === undefined && c.listSize?.sizedFields.length
        ? { fields: c.listSize.sizedFields, size: expectedSize(c, a) }
        : undefined;
    return cost + each(value, sized);
  };

  const root = input.operation.operation === 'mutation' ? schema.getMutationType() : null;
  const rootType = root ?? schema.getQueryType();
  if (!rootType || input.operation.operation === 'subscription')
    return { cost: 0, repeated: [], longLists: [] };
  const cost = selectionCost(
    rootType,
    input.operation.selectionSet,
    input.data === undefined ? undefined : (input.data ?? null),
  );
  const repeated = [...onceCounts].filter(([, n]) => n > 1).map(([k]) => k);
  return { cost: Math.round(cost), repeated, longLists: [...new Set(tooLong)] };
}

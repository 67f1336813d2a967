// Leaf messages of build-time validation, word for word as spec/01 §5 and spec/03 list them (users
// and tools match on them), plus the issue codes. One place, so tests and code cannot drift.

/** Go's %q for the strings we quote (ASCII identifiers and CEL text): a JSON string literal. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %v of a []string: `[a b c]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

export const Codes = {
  invalidKind: 'InvalidKind',
  reservedId: 'ReservedId',
  invalidId: 'InvalidId',
  duplicateId: 'DuplicateId',
  forEachDimensions: 'ForEachDimensions',
  invalidIterator: 'InvalidIterator',
  invalidResource: 'InvalidResource',
  invalidTemplate: 'InvalidTemplate',
  unresolvedKind: 'UnresolvedKind',
  scope: 'Scope',
  reservedLabel: 'ReservedLabel',
  crdExpression: 'CrdExpression',
  unknownField: 'UnknownField',
  literalType: 'LiteralTypeMismatch',
  celCompile: 'CelCompile',
  typeMismatch: 'TypeMismatch',
  templatePart: 'StringTemplatePart',
  standaloneOnly: 'StandaloneOnly',
  conditionType: 'ConditionType',
  forEachExpression: 'ForEachExpression',
  forEachType: 'ForEachType',
  forEachIterators: 'ForEachIteratorReference',
  forEachIdentity: 'ForEachIdentity',
  selfReference: 'SelfReference',
  cycle: 'Cycle',
  statusLiteral: 'StatusLiteral',
  statusReference: 'StatusReference',
  statusConditions: 'StatusConditions',
  omit: 'OmitNotAllowed',
  runtime: 'RuntimeNotAllowed',
} as const;

export const msg = {
  invalidKind: (kind: string) =>
    `naming convention violation: kind '${kind}' is not a valid KRO kind name: must be UpperCamelCase`,
  reservedId: (id: string) => `naming convention violation: id ${id} is a reserved keyword in KRO`,
  invalidId: (id: string) =>
    `naming convention violation: id ${id} is not a valid KRO resource id: must be lower camelCase`,
  duplicateId: (id: string) => `naming convention violation: found duplicate resource IDs ${id}`,
  tooManyDimensions: (id: string, max: number, n: number) =>
    `resource "${id}": forEach cannot have more than ${max} dimensions, got ${n}`,
  iteratorNotCamel: (id: string, it: string) =>
    `resource "${id}": forEach iterator name "${it}" is not valid: must be lowerCamelCase`,
  iteratorReserved: (id: string, it: string) =>
    `resource "${id}": forEach iterator name "${it}" is a reserved keyword`,
  iteratorConflicts: (id: string, it: string) =>
    `resource "${id}": forEach iterator name "${it}" conflicts with resource ID`,
  iteratorDuplicate: (id: string, it: string) => `resource "${id}": duplicate forEach iterator name "${it}"`,
  resourceNotObject: (index: number, value: unknown) =>
    `spec.resources[${index}]: Invalid value: ${JSON.stringify(value === undefined ? null : value)}: must be an object with an id`,
  noTemplateNorRef: (id: string) =>
    `resource "${id}": exactly one of template or externalRef must be provided`,
  refWithTemplate: (id: string) => `resource "${id}": cannot use externalRef with template`,
  refWithForEach: (id: string) => `resource "${id}": cannot use externalRef with forEach`,
  refNameXorSelector: () => 'exactly one of name or selector must be provided',
  invalidRefMetadata: (id: string, problem: string) =>
    `invalid external ref metadata for resource ${id}: ${problem}`,
  notAnObject: (id: string, leaf: string) => `resource ${id} is not a valid Kubernetes object: ${leaf}`,
  schemaFailed: (id: string, cause: string) => `failed to get schema for resource ${id}: ${cause}`,
  clusterScopedNamespace: (id: string) =>
    `resource "${id}" is cluster-scoped and must not set metadata.namespace`,
  namespaceRequired: (id: string) =>
    `resource "${id}" is namespaced and must set metadata.namespace when the instance CRD is cluster-scoped`,
  reservedLabel: (id: string, prefix: string) =>
    `invalid label for resource "${id}". labels with prefix "${prefix}" are reserved for internal use`,
  reservedAnnotation: (id: string, prefix: string) =>
    `invalid annotation for resource "${id}". annotations with prefix "${prefix}" are reserved for internal use`,
  crdExpression: (path: string, id: string) =>
    `CEL expressions in CRDs are only supported for metadata fields, found in path "${path}", resource ${id}`,
  schemaNotFound: (field: string) => `schema not found for field ${field}`,
  expectedType: (types: readonly string[], path: string, got: string) =>
    `expected ${types.join(' or ')} type for path ${path}, got ${got}`,
  typeMismatch: (o: {
    id: string;
    path: string;
    expr: string;
    got: string;
    expected: string;
    detail?: string;
  }) =>
    `type mismatch in resource ${goQuote(o.id)} at path ${goQuote(o.path)}: expression ${goQuote(o.expr)} ` +
    `returns type ${goQuote(o.got)} but expected ${goQuote(o.expected)}` +
    (o.detail ? `: ${o.detail}` : ''),
  templatePart: (expr: string, path: string, type: string) =>
    `string template part "\${${expr}}" at path "${path}" has type ${type}; only strings can be concatenated, use string(...)`,
  standaloneOnly: () => 'only standalone expressions are allowed',
  conditionType: (kind: 'includeWhen' | 'readyWhen', expr: string, id: string, type: string) =>
    `${kind} expression ${goQuote(expr)} in resource "${id}" must return bool or optional_type(bool), but returns "${type}"`,
  forEachOneExpression: (it: string) => `forEach dimension "${it}" must have exactly one expression`,
  forEachList: (id: string, it: string, type: string) =>
    `node "${id}": forEach iterator "${it}" must return a list, got "${type}"`,
  forEachIterators: (id: string, it: string, its: readonly string[]) =>
    `node "${id}": forEach iterator "${it}" cannot reference other iterators ${goList(its)} - forEach iterators are independent (cartesian product)`,
  forEachIdentity: (id: string, missing: readonly string[]) =>
    `node "${id}": all forEach dimensions must be used to produce a unique resource identity, missing: ${goList(missing)}`,
  selfReference: () => 'failed to build dependency graph: self references are not allowed',
  cycle: (path: string) => `failed to build dependency graph: graph contains a cycle: ${path}`,
  statusLiterals: (paths: readonly string[]) =>
    `status fields without expressions are not supported: ${goList(paths)}`,
  statusReference: (path: string) => `instance status field must refer to a resource or schema: ${path}`,
  conditionsNotList: (type: string) => `status.conditions must be a list, got ${type}`,
  conditionNotString: (i: number, type: string) =>
    `status.conditions[${i}] must be a CEL expression string, got ${type}`,
  conditionNotExpression: (i: number) =>
    `invalid conditions block: status.conditions[${i}] must be a single \${...} expression`,
  conditionOutput: (expr: string, type: string) =>
    `condition ${goQuote(expr)}: condition expressions must return runtime.newCondition(...) or a list of them, got ${goQuote(type)}`,
  conditionDuplicate: (type: string) =>
    `condition type ${goQuote(type)} is declared by more than one conditions entry`,
  conditionSelfReference: (type: string, expr: string) =>
    `runtime.condition(schema, ${goQuote(type)}): custom conditions cannot reference each other in expression ${goQuote(expr)}`,
  conditionUnknownLookup: (type: string, expr: string) =>
    `runtime.condition(schema, ${goQuote(type)}): unknown condition type; only kro's built-in types (InstanceManaged, GraphResolved, ResourcesReady, Ready) and kro-ts's Reconciling, Stalled, GraphCurrent can be read from schema in expression ${goQuote(expr)}`,
  statusTypeCheck: (expr: string, path: string, detail: string) =>
    `failed to type-check status expression ${goQuote(expr)} at path ${goQuote(path)}: ${detail}`,
  omitGate: () => 'omit() requires the CELOmitFunction feature gate to be enabled',
  omitRequired: (id: string, path: string) =>
    `resource "${id}": omit() cannot be used at path "${path}" — the field is required and must resolve to a concrete value`,
  omitContext: () => 'omit() can only be used in resource template expressions',
  omitInTemplate: (path: string) =>
    `omit() cannot be used in a string template at path "${path}"; it must be the whole value`,
  runtimeContext: () => 'runtime is only available in status.conditions expressions',
} as const;

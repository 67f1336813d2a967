// Compiles one resolved node: forEach dimensions first (their element types type the iterators),
// then the template / externalRef fields, includeWhen and readyWhen, and the forEach identity
// rule (spec/01 §5 checks 13–16, 19; spec/03 §2, §6.3). Returns the node's parts and the
// provenance of each dependency edge, so a cycle can quote the expression that closes it.

import { selectorExpectedType } from './selector.js';
import type { OpenApiSchema } from '../api/openapi.js';
import { schemaOfCelType } from '../cel/index.js';
import { describeString, findFieldDescriptors } from '../expr/field-descriptors.js';
import type { FieldDescriptor } from '../expr/field-descriptors.js';
import type { ResolvedKind } from '../schema/types.js';
import { compileAt, dynVariable } from './cel-port.js';
import type { Variables } from './cel-port.js';
import { compileFields } from './compile-fields.js';
import { readyWhenVariables } from './environment.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';
import { checkNodeRules } from './node-rules.js';
import type { ParsedNode } from './parse-resources.js';
import { checkTemplateAgainstSchema, DYN_SCHEMA } from './template-schema.js';
import type { CompiledCondition, CompiledField, CompiledForEachDimension } from './types.js';

export interface NodeCompileInput {
  readonly node: ParsedNode;
  readonly resolved: ResolvedKind;
  readonly base: Variables;
  readonly resourceIds: ReadonlySet<string>;
  readonly omitEnabled: boolean;
  readonly instanceClusterScoped: boolean;
  readonly issues: IssueList;
}

export interface EdgeSource {
  readonly path: string;
  readonly expression: string;
}

export interface NodeDraft {
  readonly fields: readonly CompiledField[];
  readonly forEach: readonly CompiledForEachDimension[];
  readonly includeWhen: readonly CompiledCondition[];
  readonly readyWhen: readonly CompiledCondition[];
  /** Referenced resource id → first place it is referenced (self references included). */
  readonly edges: ReadonlyMap<string, EdgeSource>;
}

export function compileNode(input: NodeCompileInput): NodeDraft {
  const { node, issues } = input;
  const descriptors = bodyDescriptors(input);
  checkNodeRules(
    {
      node,
      namespaced: input.resolved.namespaced,
      instanceClusterScoped: input.instanceClusterScoped,
      descriptors,
    },
    issues,
  );
  const checked =
    node.bodyKey === 'template'
      ? checkTemplateAgainstSchema(node.body, input.resolved.schema, {
          nodeId: node.id,
          basePath: `${node.path}.template`,
          fields: new Map(descriptors.map((d) => [d.relativePath, d])),
          issues,
        })
      : undefined;
  const rejected = checked?.rejected;
  const expected =
    checked?.expected ?? (node.type === 'externalCollection' ? selectorExpectations(descriptors) : undefined);
  const forEach = compileForEach(input);
  const iterators = new Set(node.forEach.map((d) => d.name));
  const variables = withIterators(input.base, forEach, iterators);
  const beforeFields = issues.size;
  const fields = compileFields(
    rejected ? descriptors.filter((d) => !isUnder(d.relativePath, rejected)) : descriptors,
    {
      context: node.bodyKey === 'template' ? 'template' : 'externalRef',
      variables,
      nodeId: node.id,
      resourceIds: input.resourceIds,
      iterators,
      ...(expected ? { expected } : {}),
      omitEnabled: input.omitEnabled,
      omitForbidden: omitForbidden(input),
      issues,
    },
  );
  // With broken fields the identity check would only add noise.
  if (issues.size === beforeFields) checkIdentity(input, fields);
  const includeWhen = compileConditions(input, 'includeWhen', input.base);
  const readyWhen = compileConditions(
    input,
    'readyWhen',
    readyWhenVariables({ ...node, schema: input.resolved.schema }),
  );
  return {
    fields,
    forEach,
    includeWhen,
    readyWhen,
    edges: collectEdges(input.resourceIds, fields, forEach, includeWhen),
  };
}

/** kro v0.9.4's types for expressions in an external collection's selector (selector.ts). */
function selectorExpectations(descriptors: readonly FieldDescriptor[]): Map<string, OpenApiSchema> {
  const out = new Map<string, OpenApiSchema>();
  for (const d of descriptors) {
    const t = selectorExpectedType(d.relativePath);
    if (t) out.set(d.relativePath, t);
  }
  return out;
}

/** Expression fields of the body; apiVersion and kind are never expressions (they pick the schema). */
function bodyDescriptors(input: NodeCompileInput): FieldDescriptor[] {
  const { node } = input;
  const walked = findFieldDescriptors(node.body, {
    basePath: `${node.path}.${node.bodyKey}`,
    nodeId: node.id,
  });
  input.issues.push(...walked.issues);
  return walked.descriptors.filter((d) => d.relativePath !== 'apiVersion' && d.relativePath !== 'kind');
}

/** Template variables: the base set, plus the iterators typed by their lists' element types. */
function withIterators(
  base: Variables,
  forEach: readonly CompiledForEachDimension[],
  iterators: ReadonlySet<string>,
): Variables {
  // Sharing the base object lets cel/ reuse its environment for every node without iterators.
  if (iterators.size === 0) return base;
  const vars: Record<string, { schema: OpenApiSchema }> = { ...base };
  for (const name of iterators) vars[name] = dynVariable();
  for (const dim of forEach) vars[dim.name] = { schema: dim.elementSchema };
  return vars;
}

/** True when the path or one of its ancestors was already rejected by the schema walk. */
function isUnder(path: string, rejected: ReadonlySet<string>): boolean {
  for (const r of rejected) {
    if (path === r || r === '' || path.startsWith(`${r}.`) || path.startsWith(`${r}[`)) return true;
  }
  return false;
}

function omitForbidden(input: NodeCompileInput): Set<string> {
  const out = new Set(['metadata.name']);
  if (input.resolved.namespaced && input.instanceClusterScoped) out.add('metadata.namespace');
  return out;
}

function compileForEach(input: NodeCompileInput): CompiledForEachDimension[] {
  const { node, issues } = input;
  if (node.forEach.length === 0) return [];
  const own = new Set(node.forEach.map((d) => d.name));
  const variables: Record<string, { schema: OpenApiSchema }> = { ...input.base };
  for (const name of own) variables[name] = dynVariable();
  const out: CompiledForEachDimension[] = [];
  for (const dim of node.forEach) {
    const text = standaloneText(dim.value, dim.path, node.id, issues);
    if (text === null) continue;
    if (text === undefined) {
      issues.add({
        code: Codes.forEachExpression,
        path: dim.path,
        nodeId: node.id,
        message: msg.forEachOneExpression(dim.name),
      });
      continue;
    }
    const c = compileAt({ text, path: dim.path, nodeId: node.id, context: 'forEach' }, variables, issues);
    if (!c) continue;
    const site = { path: dim.path, nodeId: node.id, expression: text };
    const others = c.references.filter((r) => own.has(r));
    if (others.length > 0) {
      issues.add({
        ...site,
        code: Codes.forEachIterators,
        message: msg.forEachIterators(node.id, dim.name, others),
      });
      continue;
    }
    const t = String(c.outputType);
    if (!t.startsWith('list(') && t !== 'dyn') {
      issues.add({ ...site, code: Codes.forEachType, message: msg.forEachList(node.id, dim.name, t) });
      continue;
    }
    const elementSchema = schemaOfCelType(c.outputType).items ?? DYN_SCHEMA;
    out.push(Object.freeze({ name: dim.name, path: dim.path, expression: c, elementSchema }));
  }
  return out;
}

/**
 * The expression text of a value that must be exactly one standalone `${...}`; `undefined` when it
 * is not, `null` when a syntax issue was already reported for it.
 */
function standaloneText(
  value: unknown,
  path: string,
  nodeId: string,
  issues: IssueList,
): string | undefined | null {
  if (typeof value !== 'string') return undefined;
  const before = issues.size;
  const d = describeString(value, [], { basePath: path, nodeId }, issues.items);
  if (issues.size !== before) return null;
  return d?.standalone ? d.expressions[0] : undefined;
}

const BOOLISH = new Set(['bool', 'optional_type(bool)', 'dyn']);

function compileConditions(
  input: NodeCompileInput,
  kind: 'includeWhen' | 'readyWhen',
  variables: Variables,
): CompiledCondition[] {
  const { node, issues } = input;
  const out: CompiledCondition[] = [];
  const list = kind === 'includeWhen' ? node.includeWhen : node.readyWhen;
  list.forEach((value, i) => {
    const path = `${node.path}.${kind}[${i}]`;
    const text = standaloneText(value, path, node.id, issues);
    if (text === null) return;
    if (text === undefined) {
      const expression = typeof value === 'string' ? value : undefined;
      issues.add({
        code: Codes.standaloneOnly,
        path,
        nodeId: node.id,
        expression,
        message: msg.standaloneOnly(),
      });
      return;
    }
    const c = compileAt({ text, path, nodeId: node.id, context: kind }, variables, issues);
    if (!c) return;
    const t = String(c.outputType);
    if (!BOOLISH.has(t)) {
      issues.add({
        code: Codes.conditionType,
        path,
        nodeId: node.id,
        expression: text,
        message: msg.conditionType(kind, text, node.id, t),
      });
      return;
    }
    out.push(Object.freeze({ path, expression: c, references: c.references }));
  });
  return out;
}

/** Check 16: every iterator must shape the item's identity, or items would collide. */
function checkIdentity(input: NodeCompileInput, fields: readonly CompiledField[]): void {
  const { node } = input;
  if (node.forEach.length === 0) return;
  const identity = new Set(['metadata.name']);
  if (input.resolved.namespaced) identity.add('metadata.namespace');
  const used = new Set(fields.filter((f) => identity.has(f.relativePath)).flatMap((f) => f.iterators));
  const missing = node.forEach.map((d) => d.name).filter((n) => !used.has(n));
  if (missing.length === 0) return;
  input.issues.add({
    code: Codes.forEachIdentity,
    path: `${node.path}.template.metadata.name`,
    nodeId: node.id,
    message: msg.forEachIdentity(node.id, missing),
  });
}

function collectEdges(
  resourceIds: ReadonlySet<string>,
  fields: readonly CompiledField[],
  forEach: readonly CompiledForEachDimension[],
  includeWhen: readonly CompiledCondition[],
): Map<string, EdgeSource> {
  const edges = new Map<string, EdgeSource>();
  const add = (
    path: string,
    expressions: readonly { expression: string; references: readonly string[] }[],
  ) => {
    for (const e of expressions) {
      for (const r of e.references) {
        if (resourceIds.has(r) && !edges.has(r)) edges.set(r, { path, expression: e.expression });
      }
    }
  };
  for (const f of fields) add(f.path, f.expressions);
  for (const d of forEach) add(d.path, [d.expression]);
  for (const c of includeWhen) add(c.path, [c.expression]);
  return edges;
}

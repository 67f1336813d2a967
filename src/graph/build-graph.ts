// buildGraph: RGD → CompiledGraph (spec/01 §5, spec/03). Pure apart from the injected schema
// resolver. Unlike kro, which stops at the first failure, it runs every check it can and returns
// all issues at once; a node that fails an early check is kept out of later ones (and typed dyn
// for its dependents) so one mistake is reported once, not as a cascade.

import { DEFAULT_INSTANCE_GROUP } from '../api/constants.js';
import type { OpenApiSchema } from '../api/openapi.js';
import type { ResourceGraphDefinition, RgdResource } from '../api/rgd.js';
import { buildStatusSchema } from '../crd/index.js';
import { crdNamesFor, synthesizeCrd } from '../crd/index.js';
import type { Issue } from '../lib/issue.js';
import { isPlainObject } from '../lib/json.js';
import { err, ok } from '../lib/result.js';
import type { Result } from '../lib/result.js';
import { deepFreeze } from '../schema/inline-refs.js';
import type { ResolvedKind, SchemaResolver } from '../schema/types.js';
import { formatGvk } from '../schema/types.js';
import { buildSpecSchema } from '../simpleschema/index.js';
import { compileNode } from './compile-node.js';
import type { NodeDraft } from './compile-node.js';
import { compileStatus } from './compile-status.js';
import { assembleGraph } from './assemble.js';
import { resolveDependencies } from './dependencies.js';
import { baseVariables, instanceVariableSchema } from './environment.js';
import { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';
import { parseResources } from './parse-resources.js';
import type { ParsedNode } from './parse-resources.js';
import { DYN_SCHEMA } from './template-schema.js';
import type { CompiledGraph, NodeType } from './types.js';
import type { Variables } from './cel-port.js';

export interface BuildGraphOptions {
  readonly resolver: SchemaResolver;
  /** Feature gate CELOmitFunction. */
  readonly omitEnabled?: boolean;
  /** --rgd-max-collection-dimension-size. */
  readonly maxCollectionDimensions?: number;
}

// `--rgd-max-collection-dimension-size` default (spec 05 §2).
export const DEFAULT_MAX_COLLECTION_DIMENSIONS = 10;
const UPPER_CAMEL = /^[A-Z][a-zA-Z0-9]*$/;

export async function buildGraph(
  rgd: ResourceGraphDefinition,
  options: BuildGraphOptions,
): Promise<Result<CompiledGraph, Issue[]>> {
  const issues = new IssueList();
  const { schema, kind, parsed, spec, specSchema, instanceSchema, clusterScoped, resolved, base } =
    await prepareGraph(rgd, options, issues);
  const resourceIds = new Set(parsed.ids);
  const drafts = new Map<string, NodeDraft>();
  for (const node of parsed.nodes) {
    const kindInfo = resolved.get(node.id);
    if (!kindInfo) continue;
    const common = { base, resourceIds, issues, instanceClusterScoped: clusterScoped };
    drafts.set(
      node.id,
      compileNode({ ...common, node, resolved: kindInfo, omitEnabled: options.omitEnabled ?? false }),
    );
  }
  const compiled = parsed.nodes.filter((n) => drafts.has(n.id));
  const dag = resolveDependencies(
    compiled.map((n) => ({
      id: n.id,
      index: n.index,
      path: n.path,
      edges: drafts.get(n.id)?.edges ?? new Map(),
    })),
    issues,
  );
  const status = compileStatus(schema?.status, { variables: base, resourceIds, issues });
  if (issues.size > 0 || !dag || !schema || !spec.ok) return err(issues.items);

  const names = crdNamesFor(kind, schema.group || DEFAULT_INSTANCE_GROUP);
  const crd = synthesizeCrd({ rgd, specSchema, statusSchema: status.inferredSchema });
  return ok(
    assembleGraph({
      instance: {
        group: names.group,
        version: schema.apiVersion,
        apiVersion: `${names.group}/${schema.apiVersion}`,
        kind,
        plural: names.plural,
        scope: clusterScoped ? 'Cluster' : 'Namespaced',
      },
      specSchema,
      instanceSchema,
      status: { ...status, schema: deepFreeze(buildStatusSchema(status.inferredSchema)) },
      crd,
      parsed: compiled,
      resolved,
      drafts,
      dag,
    }),
  );
}

/**
 * The first steps of every build: the kind, spec.resources' first pass, the SimpleSchema, each
 * node's kind schema, and the variables expressions see. Also what describeVariables returns.
 */
async function prepareGraph(rgd: ResourceGraphDefinition, options: BuildGraphOptions, issues: IssueList) {
  const schema = rgd.spec?.schema;
  const kind = typeof schema?.kind === 'string' ? schema.kind : '';
  if (!UPPER_CAMEL.test(kind))
    issues.add({ code: Codes.invalidKind, path: 'spec.schema.kind', message: msg.invalidKind(kind) });
  const resources: readonly RgdResource[] = Array.isArray(rgd.spec?.resources) ? rgd.spec.resources : [];
  const parsed = parseResources(
    resources,
    { maxDimensions: options.maxCollectionDimensions ?? DEFAULT_MAX_COLLECTION_DIMENSIONS },
    issues,
  );
  const spec = buildSpecSchema({ spec: schema?.spec, types: schema?.types });
  if (!spec.ok) issues.push(...spec.error);
  const specSchema: OpenApiSchema = spec.ok ? spec.value : DYN_SCHEMA;
  const clusterScoped = schema?.scope === 'Cluster';
  const instanceSchema = spec.ok ? instanceVariableSchema(specSchema, clusterScoped) : DYN_SCHEMA;

  const resolved = await resolveKinds(parsed.nodes, options.resolver, issues);
  const base = baseVariables(
    instanceSchema,
    parsed.ids.map((id) => {
      const node = parsed.nodes.find((n) => n.id === id);
      return { id, type: node?.type ?? 'resource', schema: resolved.get(id)?.schema };
    }),
  );
  return { schema, kind, parsed, spec, specSchema, instanceSchema, clusterScoped, resolved, base };
}

/** One resource as expressions see it, whether or not the RGD compiles. */
export interface DeclaredResource {
  readonly id: string;
  /** Position in spec.resources. */
  readonly index: number;
  readonly type: NodeType;
  readonly apiVersion?: string;
  readonly kind?: string;
  /** The kind's schema; undefined when the kind did not resolve or the node failed its first pass. */
  readonly schema: OpenApiSchema | undefined;
}

export interface GraphVariables {
  /** The type of each identifier of templates, includeWhen, forEach and status (`schema` and ids). */
  readonly variables: Variables;
  /** The schema of `schema`; undefined when spec.schema does not compile. */
  readonly instanceSchema: OpenApiSchema | undefined;
  readonly resources: readonly DeclaredResource[];
}

/**
 * The typed variables of an RGD's expressions, best effort: what an editor needs for hover and
 * completion while the RGD still has mistakes. Same steps as buildGraph, issues dropped.
 */
export async function describeVariables(
  rgd: ResourceGraphDefinition,
  options: BuildGraphOptions,
): Promise<GraphVariables> {
  const p = await prepareGraph(rgd, options, new IssueList());
  const resources = Array.isArray(rgd.spec?.resources) ? rgd.spec.resources : [];
  const declared = p.parsed.ids.map((id): DeclaredResource => {
    const node = p.parsed.nodes.find((n) => n.id === id);
    const index = node?.index ?? resources.findIndex((r) => isPlainObject(r) && r.id === id);
    const schema = p.resolved.get(id)?.schema;
    if (!node) return { id, index, type: 'resource', schema };
    return { id, index, type: node.type, apiVersion: node.apiVersion, kind: node.gvk.kind, schema };
  });
  return {
    variables: p.base,
    instanceSchema: p.spec.ok ? p.instanceSchema : undefined,
    resources: declared,
  };
}

async function resolveKinds(
  nodes: readonly ParsedNode[],
  resolver: SchemaResolver,
  issues: IssueList,
): Promise<Map<string, ResolvedKind>> {
  const results = await Promise.all(nodes.map((n) => resolver.resolve(n.gvk)));
  const out = new Map<string, ResolvedKind>();
  nodes.forEach((n, i) => {
    const r = results[i];
    if (r?.ok) out.set(n.id, r.value);
    else {
      const cause = r ? r.error : `no schema for ${formatGvk(n.gvk)}`;
      issues.add({
        code: Codes.unresolvedKind,
        path: `${n.path}.${n.bodyKey}.kind`,
        nodeId: n.id,
        message: msg.schemaFailed(n.id, cause),
      });
    }
  });
  return out;
}

// The typed variables of each expression context (spec/03 §2 and §4): `schema` is the instance
// without status; a resource id is its kind's object, a collection id a list of them; nodes that
// failed earlier checks are dyn so their mistakes do not cascade into other nodes' issues.

import type { OpenApiSchema } from '../api/openapi.js';
import { CLUSTER_OBJECT_META_SCHEMA, OBJECT_META_SCHEMA } from '../schema/object-meta.js';
import { dynVariable, listOf } from './cel-port.js';
import type { Variables } from './cel-port.js';
import type { NodeType } from './types.js';

export function instanceVariableSchema(specSchema: OpenApiSchema, clusterScoped: boolean): OpenApiSchema {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: clusterScoped ? CLUSTER_OBJECT_META_SCHEMA : OBJECT_META_SCHEMA,
      spec: specSchema,
    },
  };
}

export interface DeclaredNode {
  readonly id: string;
  readonly type: NodeType;
  /** Undefined when the node's kind could not be resolved or the node is broken. */
  readonly schema: OpenApiSchema | undefined;
}

/** `schema` plus every resource id: the variables of templates, includeWhen, forEach and status. */
export function baseVariables(instanceSchema: OpenApiSchema, nodes: readonly DeclaredNode[]): Variables {
  const vars: Record<string, { schema: OpenApiSchema }> = { schema: { schema: instanceSchema } };
  for (const n of nodes) {
    if (!n.schema) vars[n.id] = dynVariable();
    else vars[n.id] = { schema: isListNode(n.type) ? listOf(n.schema) : n.schema };
  }
  return Object.freeze(vars);
}

export function isListNode(type: NodeType): boolean {
  return type === 'collection' || type === 'externalCollection';
}

/** readyWhen sees only the node itself: its id, or `each` for (external) collections. */
export function readyWhenVariables(node: DeclaredNode): Variables {
  const schema = node.schema ?? dynVariable().schema;
  return Object.freeze(isListNode(node.type) ? { each: { schema } } : { [node.id]: { schema } });
}

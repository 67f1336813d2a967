// Per-node rules that need the resolved kind but no CEL (spec/01 §5 checks 11–13): scope of
// metadata.namespace, reserved label/annotation prefixes, and expressions in CRD templates.

import { RESERVED_LABEL_PREFIXES } from '../api/constants.js';
import type { FieldDescriptor } from '../expr/field-descriptors.js';
import { isPlainObject } from '../lib/json.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';
import type { ParsedNode } from './parse-resources.js';

export interface NodeRuleInput {
  readonly node: ParsedNode;
  readonly namespaced: boolean;
  readonly instanceClusterScoped: boolean;
  readonly descriptors: readonly FieldDescriptor[];
}

export function checkNodeRules(input: NodeRuleInput, issues: IssueList): void {
  checkScope(input, issues);
  if (input.node.bodyKey === 'template') {
    checkReservedKeys(input.node, issues);
    checkCrdTemplate(input, issues);
  }
}

function metadataOf(node: ParsedNode): Record<string, unknown> {
  const m = node.body['metadata'];
  return isPlainObject(m) ? m : {};
}

function checkScope(input: NodeRuleInput, issues: IssueList): void {
  const { node } = input;
  const ns = metadataOf(node)['namespace'];
  const path = `${node.path}.${node.bodyKey}.metadata.namespace`;
  const hasNamespace = typeof ns === 'string' ? ns !== '' : ns !== undefined && ns !== null;
  if (!input.namespaced && hasNamespace) {
    issues.add({ code: Codes.scope, path, nodeId: node.id, message: msg.clusterScopedNamespace(node.id) });
    return;
  }
  // Selector externalRefs list across the namespace they name, or all; exempt.
  const exempt = node.type === 'externalCollection';
  if (input.instanceClusterScoped && input.namespaced && !hasNamespace && !exempt) {
    issues.add({ code: Codes.scope, path, nodeId: node.id, message: msg.namespaceRequired(node.id) });
  }
}

function checkReservedKeys(node: ParsedNode, issues: IssueList): void {
  const meta = metadataOf(node);
  const kinds = [
    ['labels', msg.reservedLabel],
    ['annotations', msg.reservedAnnotation],
  ] as const;
  for (const [field, message] of kinds) {
    const map = meta[field];
    if (!isPlainObject(map)) continue;
    for (const key of Object.keys(map)) {
      const prefix = RESERVED_LABEL_PREFIXES.find((p) => key.startsWith(p));
      if (prefix === undefined) continue;
      issues.add({
        code: Codes.reservedLabel,
        path: `${node.path}.template.metadata.${field}[${JSON.stringify(key)}]`,
        nodeId: node.id,
        message: message(node.id, prefix),
      });
    }
  }
}

function checkCrdTemplate(input: NodeRuleInput, issues: IssueList): void {
  const { node } = input;
  if (node.gvk.kind !== 'CustomResourceDefinition' || node.gvk.group !== 'apiextensions.k8s.io') return;
  for (const d of input.descriptors) {
    if (d.relativePath.startsWith('metadata.')) continue;
    issues.add({
      code: Codes.crdExpression,
      path: d.path,
      nodeId: node.id,
      expression: d.expressions[0],
      message: msg.crdExpression(d.relativePath, node.id),
    });
  }
}

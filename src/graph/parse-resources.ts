// First pass over spec.resources: ids, forEach dimensions, shape (template XOR externalRef) and
// the object envelope (spec/01 §5 checks 2–6, 8, 9). A node that fails here is kept as "broken":
// its id stays declared (as dyn) so that other nodes do not get cascading unknown-identifier
// errors, but it is not resolved or compiled.

import { checkSelector, hasName, hasSelector } from './selector.js';
import { RESERVED_WORDS } from '../api/constants.js';
import type { RgdResource } from '../api/rgd.js';
import { isPlainObject } from '../lib/json.js';
import type { JsonObject } from '../lib/json.js';
import { parseApiVersion } from '../schema/types.js';
import type { Gvk } from '../schema/types.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';
import type { NodeType } from './types.js';

const LOWER_CAMEL = /^[a-z][a-zA-Z0-9]*$/;

export interface ParsedDimension {
  readonly name: string;
  readonly value: unknown;
  readonly path: string;
}

export interface ParsedNode {
  readonly id: string;
  readonly index: number;
  readonly path: string;
  readonly type: NodeType;
  /** `template` or `externalRef`: where the body sits under `spec.resources[i]`. */
  readonly bodyKey: 'template' | 'externalRef';
  readonly body: JsonObject;
  readonly apiVersion: string;
  readonly gvk: Gvk;
  readonly forEach: readonly ParsedDimension[];
  readonly includeWhen: readonly unknown[];
  readonly readyWhen: readonly unknown[];
}

export interface ParsedResources {
  /** Nodes that passed the first pass. */
  readonly nodes: ParsedNode[];
  /** Every distinct id seen (valid or not), in spec order: the identifiers expressions may use. */
  readonly ids: string[];
  /** Ids of nodes that failed the first pass. */
  readonly broken: Set<string>;
}

export function parseResources(
  resources: readonly RgdResource[],
  options: { maxDimensions: number },
  issues: IssueList,
): ParsedResources {
  const ids: string[] = [];
  const broken = new Set<string>();
  const nodes: ParsedNode[] = [];
  const allIds = new Set(
    resources.map((r) => (isPlainObject(r) ? r.id : undefined)).filter((id) => typeof id === 'string'),
  );
  resources.forEach((r, index) => {
    const path = `spec.resources[${index}]`;
    // The API server's schema admits only objects here; the CLI and the fuzzer feed anything.
    if (!isPlainObject(r)) {
      issues.add({ code: Codes.invalidResource, path, message: msg.resourceNotObject(index, r) });
      return;
    }
    const id = typeof r.id === 'string' ? r.id : '';
    const before = issues.size;
    if (!checkId(id, ids, `${path}.id`, issues)) return;
    ids.push(id);
    checkDimensions(r, { id, path, maxDimensions: options.maxDimensions, allIds }, issues);
    const node = parseShape(r, { id, index, path }, issues);
    if (node && issues.size === before) nodes.push(node);
    else broken.add(id);
  });
  return { nodes, ids, broken };
}

/** Checks 2–4; returns false for an id that must not be declared at all (duplicate or empty). */
function checkId(id: string, seen: readonly string[], path: string, issues: IssueList): boolean {
  if (RESERVED_WORDS.has(id)) {
    issues.add({ code: Codes.reservedId, path, nodeId: id, message: msg.reservedId(id) });
    return false;
  }
  if (!LOWER_CAMEL.test(id)) {
    issues.add({ code: Codes.invalidId, path, nodeId: id, message: msg.invalidId(id) });
    return false;
  }
  if (seen.includes(id)) {
    issues.add({ code: Codes.duplicateId, path, nodeId: id, message: msg.duplicateId(id) });
    return false;
  }
  return true;
}

function checkDimensions(
  r: RgdResource,
  ctx: { id: string; path: string; maxDimensions: number; allIds: ReadonlySet<string> },
  issues: IssueList,
): void {
  const dims = Array.isArray(r.forEach) ? r.forEach : [];
  const { id } = ctx;
  if (dims.length > ctx.maxDimensions) {
    issues.add({
      code: Codes.forEachDimensions,
      path: `${ctx.path}.forEach`,
      nodeId: id,
      message: msg.tooManyDimensions(id, ctx.maxDimensions, dims.length),
    });
  }
  const seen = new Set<string>();
  dims.forEach((d, i) => {
    const path = `${ctx.path}.forEach[${i}]`;
    for (const it of isPlainObject(d) ? Object.keys(d) : []) {
      const bad = iteratorProblem(it, id, ctx.allIds, seen);
      if (bad) issues.add({ code: Codes.invalidIterator, path, nodeId: id, message: bad });
      seen.add(it);
    }
  });
}

function iteratorProblem(
  it: string,
  id: string,
  ids: ReadonlySet<string>,
  seen: ReadonlySet<string>,
): string | undefined {
  if (!LOWER_CAMEL.test(it)) return msg.iteratorNotCamel(id, it);
  if (RESERVED_WORDS.has(it)) return msg.iteratorReserved(id, it);
  if (ids.has(it)) return msg.iteratorConflicts(id, it);
  if (seen.has(it)) return msg.iteratorDuplicate(id, it);
  return undefined;
}

function parseShape(
  r: RgdResource,
  ctx: { id: string; index: number; path: string },
  issues: IssueList,
): ParsedNode | undefined {
  const { id, path } = ctx;
  const hasTemplate = r.template !== undefined && r.template !== null;
  const hasRef = r.externalRef !== undefined && r.externalRef !== null;
  const forEachDims = Array.isArray(r.forEach) ? r.forEach : [];
  const fail = (message: string, at = path): undefined => {
    issues.add({ code: Codes.invalidResource, path: at, nodeId: id, message });
    return undefined;
  };
  if (hasTemplate && hasRef) return fail(msg.refWithTemplate(id));
  if (!hasTemplate && !hasRef) return fail(msg.noTemplateNorRef(id));
  if (hasRef && forEachDims.length > 0) return fail(msg.refWithForEach(id));
  const bodyKey = hasTemplate ? 'template' : 'externalRef';
  const body: unknown = hasTemplate ? r.template : r.externalRef;
  const envelope = checkEnvelope(body, { id, path: `${path}.${bodyKey}`, external: hasRef }, issues);
  if (!envelope) return undefined;
  const selector = hasRef && isPlainObject(envelope.metadata) && hasSelector(envelope.metadata);
  const type: NodeType = hasRef
    ? selector
      ? 'externalCollection'
      : 'external'
    : forEachDims.length > 0
      ? 'collection'
      : 'resource';
  return {
    ...ctx,
    type,
    bodyKey,
    body: body as JsonObject,
    apiVersion: envelope.apiVersion,
    gvk: { ...envelope.gv, kind: envelope.kind },
    forEach: forEachDims.flatMap((d, i) =>
      Object.entries(isPlainObject(d) ? d : {}).map(([name, value]) => ({
        name,
        value,
        path: `${path}.forEach[${i}].${name}`,
      })),
    ),
    includeWhen: Array.isArray(r.includeWhen) ? r.includeWhen : [],
    readyWhen: Array.isArray(r.readyWhen) ? r.readyWhen : [],
  };
}

interface Envelope {
  apiVersion: string;
  kind: string;
  gv: { group: string; version: string };
  metadata: unknown;
}

/** Check 9 (and the externalRef admission rules, for offline input that skipped admission). */
function checkEnvelope(
  body: unknown,
  ctx: { id: string; path: string; external: boolean },
  issues: IssueList,
): Envelope | undefined {
  const { id, path } = ctx;
  const fail = (leaf: string, at: string): undefined => {
    issues.add({ code: Codes.invalidTemplate, path: at, nodeId: id, message: msg.notAnObject(id, leaf) });
    return undefined;
  };
  if (!isPlainObject(body)) return fail('metadata field not found', path);
  const { apiVersion, kind, metadata } = body;
  if (apiVersion === undefined) return fail('apiVersion field not found', `${path}.apiVersion`);
  if (typeof apiVersion !== 'string') return fail('apiVersion field is not a string', `${path}.apiVersion`);
  if (kind === undefined) return fail('kind field not found', `${path}.kind`);
  if (typeof kind !== 'string') return fail('kind field is not a string', `${path}.kind`);
  if (metadata === undefined) return fail('metadata field not found', `${path}.metadata`);
  if (!isPlainObject(metadata)) return fail('metadata field is not a map', `${path}.metadata`);
  const gv = parseApiVersion(apiVersion);
  if (!gv) return fail(`unexpected GroupVersion string: ${apiVersion}`, `${path}.apiVersion`);
  if (ctx.external && hasName(metadata) === hasSelector(metadata)) {
    issues.add({
      code: Codes.invalidResource,
      path: `${path}.metadata`,
      nodeId: id,
      message: msg.refNameXorSelector(),
    });
    return undefined;
  }
  if (ctx.external && hasSelector(metadata)) {
    const problem = checkSelector(metadata['selector']);
    if (problem !== undefined) {
      issues.add({
        code: Codes.invalidResource,
        path: `${path}.metadata.selector`,
        nodeId: id,
        message: msg.invalidRefMetadata(id, problem),
      });
      return undefined;
    }
  }
  return { apiVersion, kind, gv, metadata };
}

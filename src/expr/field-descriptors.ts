// Walks a JSON value (a template, an externalRef, a status block) and returns one descriptor per
// string value holding `${...}`. Map keys are never expressions; non-string scalars are literals.
// The walk is schema-free: checking the value against a kind's schema is graph/'s job.

import { issue } from '../lib/issue.js';
import type { Issue } from '../lib/issue.js';
import { isPlainObject } from '../lib/json.js';
import { formatPath, joinPaths } from './path.js';
import type { PathSegment } from './path.js';
import { mayContainExpression, scanString } from './scan.js';

export interface FieldDescriptor {
  /** Path from the RGD root: `spec.resources[2].template.spec.replicas`. */
  readonly path: string;
  /** Path from the walked value's root: `spec.replicas`. */
  readonly relativePath: string;
  /** `relativePath` as segments, for setting the value at run time. */
  readonly segments: readonly PathSegment[];
  /** CEL source of each `${...}`, in order, untrimmed. */
  readonly expressions: readonly string[];
  /** The whole string is one `${...}`: the field takes the expression's value and type. */
  readonly standalone: boolean;
  /** Text around the expressions (`expressions.length + 1` entries). */
  readonly literalParts: readonly string[];
}

export interface WalkOptions {
  /** RGD path of the walked value, e.g. `spec.resources[2].template`. */
  readonly basePath: string;
  /** Resource id for issues, when the value belongs to one. */
  readonly nodeId?: string;
}

export interface WalkResult {
  readonly descriptors: readonly FieldDescriptor[];
  readonly issues: readonly Issue[];
}

/** Finds every expression-holding string under `value`, depth first, in document order. */
export function findFieldDescriptors(value: unknown, options: WalkOptions): WalkResult {
  const descriptors: FieldDescriptor[] = [];
  const issues: Issue[] = [];
  const visit = (v: unknown, segments: PathSegment[]): void => {
    if (typeof v === 'string') {
      const d = describeString(v, segments, options, issues);
      if (d) descriptors.push(d);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, [...segments, i]));
    } else if (isPlainObject(v)) {
      for (const [k, item] of Object.entries(v)) visit(item, [...segments, k]);
    }
  };
  visit(value, []);
  return { descriptors, issues };
}

/** Describes one string; returns undefined for plain strings and for syntax errors (recorded). */
export function describeString(
  s: string,
  segments: readonly PathSegment[],
  options: WalkOptions,
  issues: Issue[],
): FieldDescriptor | undefined {
  if (!mayContainExpression(s)) return undefined;
  const relativePath = formatPath(segments);
  const path = joinPaths(options.basePath, relativePath);
  const scanned = scanString(s);
  if (!scanned.ok) {
    issues.push(
      issue({
        code: scanned.error.code,
        path,
        message: scanned.error.message,
        ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }),
        expression: s,
      }),
    );
    return undefined;
  }
  const { expressions, literalParts, standalone } = scanned.value;
  if (expressions.length === 0) return undefined;
  return Object.freeze({
    path,
    relativePath,
    segments: Object.freeze([...segments]),
    expressions: Object.freeze(expressions.map((e) => e.text)),
    standalone,
    literalParts: Object.freeze([...literalParts]),
  });
}

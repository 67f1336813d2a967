// Compiles the expression fields of one template / externalRef / status block: parse and check
// each `${...}`, compare standalone outputs with the schema expected at their path, require
// string parts in string templates, and apply the omit() placement rules (spec/03 §1.2, §6.3).

import type { OpenApiSchema } from '../api/openapi.js';
import { isAssignable } from '../cel/index.js';
import type { FieldDescriptor } from '../expr/field-descriptors.js';
import { compileAt } from './cel-port.js';
import type { CompiledExpression, ExprContext, Variables } from './cel-port.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';
import type { CompiledField } from './types.js';

export interface FieldCompileContext {
  readonly context: ExprContext;
  readonly variables: Variables;
  /** Node id for issues and type-mismatch messages (`status` for status fields, like kro). */
  readonly nodeId?: string;
  readonly resourceIds: ReadonlySet<string>;
  readonly iterators: ReadonlySet<string>;
  /** Expected schema per relativePath of standalone fields; absent means unchecked (dyn). */
  readonly expected?: ReadonlyMap<string, OpenApiSchema>;
  readonly omitEnabled: boolean;
  /** relativePaths where omit() is refused because the value is required. */
  readonly omitForbidden?: ReadonlySet<string>;
  /** Wraps compile messages, e.g. status expressions (`failed to type-check status expression ...`). */
  readonly wrap?: (d: FieldDescriptor, text: string, message: string) => string;
  readonly issues: IssueList;
}

const STRINGY = new Set(['string', 'dyn']);

export function compileFields(
  descriptors: readonly FieldDescriptor[],
  ctx: FieldCompileContext,
): CompiledField[] {
  const out: CompiledField[] = [];
  for (const d of descriptors) {
    const f = compileField(d, ctx);
    if (f) out.push(f);
  }
  return out;
}

function compileField(d: FieldDescriptor, ctx: FieldCompileContext): CompiledField | undefined {
  const before = ctx.issues.size;
  const compiled: CompiledExpression[] = [];
  for (const text of d.expressions) {
    const wrap = ctx.wrap;
    const site = { text, path: d.path, nodeId: ctx.nodeId, context: ctx.context };
    const c = compileAt(
      wrap ? { ...site, wrap: (m: string) => wrap(d, text, m) } : site,
      ctx.variables,
      ctx.issues,
    );
    if (c) compiled.push(c);
  }
  if (compiled.length !== d.expressions.length) return undefined;
  if (d.standalone) checkStandalone(d, compiled[0] as CompiledExpression, ctx);
  else checkTemplateParts(d, compiled, ctx);
  checkOmit(d, compiled, ctx);
  if (ctx.issues.size !== before) return undefined;
  const references = [...new Set(compiled.flatMap((c) => c.references))].sort();
  return Object.freeze({
    path: d.path,
    relativePath: d.relativePath,
    segments: d.segments,
    standalone: d.standalone,
    literalParts: d.standalone ? Object.freeze(['', '']) : d.literalParts,
    expressions: Object.freeze(compiled),
    references: Object.freeze(references),
    dependencies: Object.freeze(references.filter((r) => ctx.resourceIds.has(r))),
    iterators: Object.freeze(references.filter((r) => ctx.iterators.has(r))),
  });
}

function checkStandalone(d: FieldDescriptor, c: CompiledExpression, ctx: FieldCompileContext): void {
  const expected = ctx.expected?.get(d.relativePath);
  if (!expected) return;
  const r = isAssignable(c.outputType, expected);
  if (r.ok) return;
  ctx.issues.add({
    code: Codes.typeMismatch,
    path: d.path,
    nodeId: ctx.nodeId,
    expression: c.expression,
    message: msg.typeMismatch({
      id: ctx.nodeId ?? 'status',
      path: d.relativePath,
      expr: c.expression,
      got: String(c.outputType),
      expected: r.expected,
      ...(r.detail === undefined ? {} : { detail: r.detail }),
    }),
  });
}

function checkTemplateParts(
  d: FieldDescriptor,
  compiled: readonly CompiledExpression[],
  ctx: FieldCompileContext,
): void {
  for (const c of compiled) {
    if (c.functions.includes('omit')) {
      ctx.issues.add({
        code: Codes.omit,
        path: d.path,
        nodeId: ctx.nodeId,
        expression: c.expression,
        message: msg.omitInTemplate(d.relativePath),
      });
      continue;
    }
    const t = String(c.outputType);
    if (STRINGY.has(t)) continue;
    ctx.issues.add({
      code: Codes.templatePart,
      path: d.path,
      nodeId: ctx.nodeId,
      expression: c.expression,
      message: msg.templatePart(c.expression, d.relativePath, t),
    });
  }
}

function checkOmit(
  d: FieldDescriptor,
  compiled: readonly CompiledExpression[],
  ctx: FieldCompileContext,
): void {
  if (ctx.context !== 'template' || !d.standalone) return;
  const c = compiled.find((e) => e.functions.includes('omit'));
  if (!c) return;
  const base = { path: d.path, nodeId: ctx.nodeId, expression: c.expression };
  if (!ctx.omitEnabled) {
    ctx.issues.add({ ...base, code: Codes.omit, message: msg.omitGate() });
  } else if (ctx.omitForbidden?.has(d.relativePath)) {
    ctx.issues.add({
      ...base,
      code: Codes.omit,
      message: msg.omitRequired(ctx.nodeId ?? '', d.relativePath),
    });
  }
}

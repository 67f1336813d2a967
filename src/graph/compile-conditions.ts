// schema.status.conditions (kro v0.9.4 author-defined conditions): a list of `${...}` strings,
// each returning runtime.newCondition(...) or a list of them. Build-time rules, as kro's:
// a literal condition type is declared by one entry only; runtime.condition(schema, '<literal>')
// may read kro's built-in types only (not an author type, not an unknown one) — and, a kro-ts
// extension, the conditions kro-ts derives (Reconciling, Stalled, GraphCurrent), so an author who
// replaces the built-ins can keep the kstatus ones with `${runtime.condition(schema, 'Stalled')}`;
// literal newCondition status/type values are checked by the CEL macro itself.

import { typeInfo } from '../cel/index.js';
import type { CompiledExpression } from '../cel/index.js';
import { GRAPH_CURRENT_CONDITION, InstanceConditionTypes, KstatusConditionTypes } from '../api/constants.js';
import { compileAt } from './cel-port.js';
import type { Variables } from './cel-port.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';
import type { CompiledAuthorCondition } from './types.js';

const BUILTIN_TYPES: ReadonlySet<string> = new Set([
  ...Object.values(InstanceConditionTypes),
  ...Object.values(KstatusConditionTypes),
  GRAPH_CURRENT_CONDITION,
]);
const WHOLE = /^\$\{([\s\S]*)\}$/u;

function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null) return '<nil>';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

export function compileConditions(
  block: unknown,
  ctx: { basePath: string; variables: Variables; resourceIds: ReadonlySet<string>; issues: IssueList },
): CompiledAuthorCondition[] {
  const { issues } = ctx;
  const path = `${ctx.basePath}.conditions`;
  if (!Array.isArray(block)) {
    issues.add({ code: Codes.statusConditions, path, message: msg.conditionsNotList(goTypeName(block)) });
    return [];
  }
  const compiled: { path: string; expression: CompiledExpression }[] = [];
  block.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (typeof entry !== 'string') {
      issues.add({
        code: Codes.statusConditions,
        path: at,
        message: msg.conditionNotString(i, goTypeName(entry)),
      });
      return;
    }
    const m = WHOLE.exec(entry.trim());
    const text = m?.[1];
    if (text === undefined || text.includes('${')) {
      issues.add({ code: Codes.statusConditions, path: at, message: msg.conditionNotExpression(i) });
      return;
    }
    const expression = compileAt({ text, path: at, context: 'conditions' }, ctx.variables, issues);
    if (expression === undefined) return;
    const out = typeInfo(expression.outputType);
    const elem = out.kind === 'list' ? typeInfo(out.elem) : out;
    const isCondition =
      (elem.kind === 'opaque' || elem.kind === 'object') && elem.name === 'kro.run.Condition';
    if (!isCondition && elem.kind !== 'dyn') {
      issues.add({
        code: Codes.statusConditions,
        path: at,
        expression: text,
        message: msg.conditionOutput(text, String(expression.outputType)),
      });
      return;
    }
    compiled.push({ path: at, expression });
  });
  checkLiteralRules(compiled, issues);
  return compiled.map((c) => ({
    path: c.path,
    expression: c.expression,
    dependencies: Object.freeze(c.expression.references.filter((r) => ctx.resourceIds.has(r)).sort()),
  }));
}

function checkLiteralRules(
  compiled: readonly { path: string; expression: CompiledExpression }[],
  issues: IssueList,
): void {
  const declared = new Set<string>();
  for (const c of compiled) {
    for (const t of c.expression.conditionCalls?.newConditionTypes ?? []) {
      if (declared.has(t)) {
        issues.add({ code: Codes.statusConditions, path: c.path, message: msg.conditionDuplicate(t) });
      }
      declared.add(t);
    }
  }
  for (const c of compiled) {
    for (const t of c.expression.conditionCalls?.schemaLookups ?? []) {
      if (BUILTIN_TYPES.has(t)) continue;
      const text = c.expression.expression;
      issues.add({
        code: Codes.statusConditions,
        path: c.path,
        expression: text,
        message: declared.has(t) ? msg.conditionSelfReference(t, text) : msg.conditionUnknownLookup(t, text),
      });
    }
  }
}

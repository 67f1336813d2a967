// graph/'s only door to cel/: compile one expression in a context and turn a failure into an
// Issue that names node, RGD path and expression. Context rules that cel/ cannot know (omit() and
// runtime placement) are applied here on the parsed result, never on message text.

import type { OpenApiSchema } from '../api/openapi.js';
import { compileExpression } from '../cel/index.js';
import type { CompiledExpression, VariableDecl } from '../cel/index.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';

export type { CompiledExpression };
export type Variables = Readonly<Record<string, VariableDecl>>;

export type ExprContext =
  'template' | 'externalRef' | 'includeWhen' | 'readyWhen' | 'forEach' | 'status' | 'conditions';

export interface CompileSite {
  readonly text: string;
  /** RGD path of the field holding the expression. */
  readonly path: string;
  readonly nodeId?: string | undefined;
  readonly context: ExprContext;
  /** Wraps cel/'s message (status expressions carry kro's `failed to type-check ...` prefix). */
  readonly wrap?: (message: string) => string;
}

export function compileAt(
  site: CompileSite,
  variables: Variables,
  issues: IssueList,
): CompiledExpression | undefined {
  // omit() is declared everywhere so that a misplaced one gets the specific message below.
  const declared = declaredFor(site.text, variables);
  const r = compileExpression(site.text, {
    variables: declared,
    omitEnabled: true,
    allowRuntime: site.context === 'conditions',
  });
  const report = (code: string, message: string): undefined => {
    issues.add({ code, path: site.path, nodeId: site.nodeId, expression: site.text, message });
    return undefined;
  };
  if (!r.ok) {
    if (r.error.kind === 'unknown-identifiers' && r.error.names?.includes('runtime')) {
      return report(Codes.runtime, msg.runtimeContext());
    }
    return report(Codes.celCompile, site.wrap ? site.wrap(r.error.message) : r.error.message);
  }
  // Guard against an environment declaring more than asked (cel/ reuses superset environments):
  // the context's variable set is the contract, so check the references against it here too.
  const unknown = r.value.references.filter((n) => !Object.hasOwn(declared, n));
  if (unknown.length > 0) {
    if (unknown.includes('runtime')) return report(Codes.runtime, msg.runtimeContext());
    return report(Codes.celCompile, `references unknown identifiers: [${unknown.join(', ')}]`);
  }
  if (r.value.functions.includes('omit') && site.context !== 'template') {
    return report(Codes.omit, msg.omitContext());
  }
  return r.value;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The variables an expression can possibly reference: identifiers in its text not preceded by a
 * `.` (a superset of its root identifiers). Declaring only those keeps cel/'s per-call work
 * independent of the number of resources, which made large RGDs quadratic; undeclared names are
 * still reported as unknown identifiers, so the result is the same as declaring everything.
 */
function declaredFor(text: string, variables: Variables): Variables {
  const out: Record<string, VariableDecl> = {};
  for (const m of text.matchAll(IDENT)) {
    const name = m[0];
    if (m.index > 0 && text[m.index - 1] === '.') continue;
    const v = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (v) out[name] = v;
  }
  return out;
}

export function dynVariable(): VariableDecl {
  return { schema: { 'x-kubernetes-preserve-unknown-fields': true } };
}

export function listOf(schema: OpenApiSchema): OpenApiSchema {
  return { type: 'array', items: schema };
}

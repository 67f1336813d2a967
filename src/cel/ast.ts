// Walking cel-js ASTs: free root identifiers (spec 03 §7), functions called, and the access nodes
// whose receiver is reached from a variable (the only places where a missing field or index means
// "data pending", spec 03 §8.1).
//
// cel-js ASTs are walked at the user level (`call`/`rcall` with their original arguments), not
// through macro expansions, so the binding rules below are stated once by macro name and arity
// and cover the function libraries' macros (two-variable comprehensions, sortBy, optMap) too.

/** The parts of a cel-js ASTNode this module reads (cel-js exports the type, not the class). */
export interface CelNode {
  readonly op: string;
  readonly args: unknown;
  readonly start: number;
  readonly end: number;
  readonly input: string;
  readonly meta: { alternate?: unknown; macro?: unknown; evaluate?: unknown };
  setMeta(key: string, value: unknown): CelNode;
}

export function isCelNode(v: unknown): v is CelNode {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { op?: unknown }).op === 'string' &&
    typeof (v as { setMeta?: unknown }).setMeta === 'function'
  );
}

function nodeArgs(node: CelNode): unknown[] {
  return Array.isArray(node.args) ? (node.args as unknown[]) : [node.args];
}

const ONE_VAR_MACROS = new Set(['all', 'exists', 'exists_one', 'existsOne', 'map', 'filter']);
const ONE_VAR_TWO_ARG = new Set(['sortBy', 'optMap', 'optFlatMap']);
const TWO_VAR_MACROS = new Set([
  'all',
  'exists',
  'exists_one',
  'existsOne',
  'transformList',
  'transformMap',
  'transformMapEntry',
]);

interface Binding {
  /** Names bound by the macro. */
  readonly bound: string[];
  /** Arguments evaluated in the outer scope (besides the receiver). */
  readonly outer: CelNode[];
  /** Arguments evaluated with the bound names in scope. */
  readonly inner: CelNode[];
  /** True when the bound names range over the receiver (comprehensions), not over `outer`. */
  readonly overReceiver: boolean;
}

function idName(n: unknown): string | undefined {
  return isCelNode(n) && n.op === 'id' ? (n.args as string) : undefined;
}

/** The binding shape of a method call, or undefined for calls that bind nothing. */
export function bindingOf(name: string, receiver: CelNode, args: CelNode[]): Binding | undefined {
  if (name === 'bind' && idName(receiver) === 'cel' && args.length === 3) {
    const v = idName(args[0]);
    if (v === undefined) return undefined;
    return { bound: [v], outer: [args[1] as CelNode], inner: [args[2] as CelNode], overReceiver: false };
  }
  const first = idName(args[0]);
  if (first === undefined) return undefined;
  const n = args.length;
  const oneVar =
    (ONE_VAR_MACROS.has(name) && n === 2) ||
    (name === 'map' && n === 3) ||
    (ONE_VAR_TWO_ARG.has(name) && n === 2);
  if (oneVar) return { bound: [first], outer: [], inner: args.slice(1), overReceiver: true };
  const second = idName(args[1]);
  if (TWO_VAR_MACROS.has(name) && (n === 3 || n === 4) && second !== undefined) {
    return { bound: [first, second], outer: [], inner: args.slice(2), overReceiver: true };
  }
  return undefined;
}

export interface References {
  /** Free root identifiers that are not environment built-ins, sorted and unique. */
  readonly identifiers: string[];
  /** Functions called: `f`, `recv.method` reported as `method`, `ns.f` for namespaced calls. */
  readonly functions: string[];
  /** Function names to check for existence, with the name to report when unknown. */
  readonly calls: { readonly name: string; readonly display: string }[];
}

/** Collects references of a parsed (not yet checked) expression. */
export function collectReferences(root: CelNode, isBuiltin: (name: string) => boolean): References {
  const identifiers = new Set<string>();
  const functions = new Set<string>();
  const calls: { name: string; display: string }[] = [];
  const visit = (node: unknown, scope: ReadonlySet<string>): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, scope);
      return;
    }
    if (!isCelNode(node)) return;
    switch (node.op) {
      case 'value':
        return;
      case 'id': {
        const name = node.args as string;
        if (!scope.has(name) && !isBuiltin(name)) identifiers.add(name);
        return;
      }
      case '.':
      case '.?':
        return visit(nodeArgs(node)[0], scope);
      case 'call': {
        const [name, args] = node.args as [string, CelNode[]];
        functions.add(name);
        calls.push({ name, display: name });
        return visit(args, scope);
      }
      case 'rcall': {
        const [name, receiver, args] = node.args as [string, CelNode, CelNode[]];
        const ns = idName(receiver);
        const namespaced = ns !== undefined && !scope.has(ns) && isBuiltin(ns);
        const display = namespaced || (ns === 'runtime' && !scope.has(ns)) ? `${ns}.${name}` : name;
        functions.add(display);
        calls.push({ name, display });
        if (!namespaced) visit(receiver, scope);
        // runtime.newCondition({type: …}): the map's keys are field names, not identifiers.
        if (name === 'newCondition' && ns === 'runtime' && !scope.has(ns) && args[0]?.op === 'map') {
          const entries = args[0].args as unknown as [CelNode, CelNode][];
          return visit(
            entries.map(([, v]) => v),
            scope,
          );
        }
        const binding = bindingOf(name, receiver, args);
        if (binding === undefined) return visit(args, scope);
        visit(binding.outer, scope);
        return visit(binding.inner, new Set([...scope, ...binding.bound]));
      }
      default:
        return visit(node.args, scope);
    }
  };
  visit(root, new Set());
  return {
    identifiers: [...identifiers].sort(),
    functions: [...functions].sort(),
    calls,
  };
}

/**
 * The `.` and `[]` nodes whose receiver is derived from a variable: a free identifier, or a
 * name bound by a macro over (or cel.bind to) a derived value. A missing key or index at one of
 * these is data pending; at any other (`{"a": 1}.b`, `[1][3]`) it is an error.
 */
export function collectPendingCandidates(root: CelNode, isBuiltin: (name: string) => boolean): Set<CelNode> {
  const candidates = new Set<CelNode>();
  const derived = (node: unknown, scope: ReadonlyMap<string, boolean>): boolean => {
    if (Array.isArray(node)) {
      let any = false;
      for (const n of node) any = derived(n, scope) || any;
      return any;
    }
    if (!isCelNode(node)) return false;
    switch (node.op) {
      case 'value':
        return false;
      case 'id': {
        const name = node.args as string;
        const bound = scope.get(name);
        return bound ?? !isBuiltin(name);
      }
      case '.':
      case '[]': {
        const [left, right] = nodeArgs(node);
        const d = derived(left, scope);
        const r = node.op === '[]' ? derived(right, scope) : false;
        if (d) candidates.add(node);
        return d || r;
      }
      case 'rcall': {
        const [name, receiver, args] = node.args as [string, CelNode, CelNode[]];
        const binding = bindingOf(name, receiver, args);
        const recv = idName(receiver) === 'cel' && binding ? false : derived(receiver, scope);
        if (binding === undefined) return derived(args, scope) || recv;
        const outer = derived(binding.outer, scope);
        const inner = new Map(scope);
        for (const b of binding.bound) inner.set(b, binding.overReceiver ? recv : outer);
        return derived(binding.inner, inner) || recv || outer;
      }
      case 'call':
        return derived((node.args as [string, CelNode[]])[1], scope);
      default:
        return derived(node.args, scope);
    }
  };
  derived(root, new Map());
  return candidates;
}

/** Every node reachable from `root`, including macro expansions and macro state. */
export function allNodes(root: CelNode): Set<CelNode> {
  const seen = new Set<CelNode>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      stack.push(...(v as unknown[]));
      continue;
    }
    if (!isCelNode(v)) {
      // Comprehension arguments and macro state are plain objects holding nodes.
      if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
        for (const x of Object.values(v)) if (isCelNode(x) || Array.isArray(x)) stack.push(x);
      }
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push(v.args);
    if (v.meta.alternate !== undefined) stack.push(v.meta.alternate);
    const macro = v.meta.macro;
    if (typeof macro === 'object' && macro !== null) {
      for (const x of Object.values(macro)) if (isCelNode(x) || Array.isArray(x)) stack.push(x);
    }
  }
  return seen;
}

/** A readable path for a missing value: `database.status.endpoint`, `x.items[0]`. */
export function pathOf(node: CelNode): string {
  switch (node.op) {
    case 'id':
      return node.args as string;
    case '.': {
      const [left, field] = node.args as [CelNode, string];
      return `${pathOf(left)}.${field}`;
    }
    case '[]': {
      const [left, index] = node.args as [CelNode, CelNode];
      return `${pathOf(left)}[${sourceOf(index)}]`;
    }
    default:
      return sourceOf(node);
  }
}

export function sourceOf(node: CelNode): string {
  return node.input.slice(node.start, node.end);
}

/**
 * Whether the user-level AST nests deeper than `limit`. Chains of `&&` or `||` count as one level,
 * as cel-go balances them; every other operator nests (a 300-term `+` chain is 300 deep). Checked
 * iteratively so that a pathological expression cannot overflow the stack here.
 */
export function exceedsDepth(root: CelNode, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (Array.isArray(v)) {
      for (const x of v as unknown[]) stack.push([x, depth]);
      continue;
    }
    if (!isCelNode(v)) continue;
    if (depth > limit) return true;
    const flat = v.op === '&&' || v.op === '||';
    for (const child of nodeArgs(v)) {
      const same = flat && isCelNode(child) && child.op === v.op;
      stack.push([child, same ? depth : depth + 1]);
    }
  }
  return false;
}

/** What an author-condition expression says with literals (kro's build-time condition rules). */
export interface ConditionCalls {
  /** Literal `type` values of runtime.newCondition calls. */
  readonly newConditionTypes: string[];
  /** Literal type names of `runtime.condition(schema, '<type>')` lookups. */
  readonly schemaLookups: string[];
}

export function collectConditionCalls(root: CelNode): ConditionCalls {
  const newConditionTypes: string[] = [];
  const schemaLookups: string[] = [];
  const literal = (n: unknown): string | undefined =>
    isCelNode(n) && n.op === 'value' && typeof n.args === 'string' ? n.args : undefined;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!isCelNode(node)) return;
    if (node.op === 'rcall') {
      const [name, receiver, args] = node.args as [string, CelNode, CelNode[]];
      if (idName(receiver) === 'runtime') {
        const first = args[0];
        if (name === 'newCondition' && args.length === 1 && first?.op === 'map') {
          for (const [k, v] of first.args as unknown as [CelNode, CelNode][]) {
            const t = literal(v);
            if (idName(k) === 'type' && t !== undefined) newConditionTypes.push(t);
          }
        }
        if (name === 'condition' && args.length === 2 && idName(first) === 'schema') {
          const t = literal(args[1]);
          if (t !== undefined) schemaLookups.push(t);
        }
      }
    }
    visit(node.args);
  };
  visit(root);
  return { newConditionTypes: [...new Set(newConditionTypes)], schemaLookups };
}

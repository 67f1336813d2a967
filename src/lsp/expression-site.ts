// Where the cursor is, in RGD terms: the `${...}` expression around it (found with expr/'s
// scanner on the scalar's text, so quoting and CEL string literals are handled as the compiler
// does), the RGD it belongs to, and the identifiers that expression can use at that place in the
// RGD (spec/03 §2: `schema` and resource ids; readyWhen sees only its own node or `each`; forEach
// iterators inside their collection's template).

import type { OpenApiSchema } from '../api/openapi.js';
import { scanString } from '../expr/index.js';
import type { DeclaredResource } from '../graph/index.js';
import { isPlainObject } from '../lib/json.js';
import { nodeAt } from '../source/index.js';
import type { Segment } from '../source/index.js';
import type { DocumentAnalysis, RgdAnalysis } from './analysis.js';
import { rgdAt } from './analysis.js';
import { parseChain } from './reference-chain.js';
import { lookupChain } from './schema-lookup.js';

export interface ExpressionSite {
  readonly rgd: RgdAnalysis;
  /** Path of the YAML scalar holding the expression. */
  readonly yamlPath: readonly Segment[];
  /** Document offset of the expression body (just after `${`). */
  readonly bodyStart: number;
  /** The body up to its closing `}` (or the end of the scalar while it is being typed). */
  readonly body: string;
  /** Cursor offset within the body. */
  readonly cursor: number;
}

export function expressionSiteAt(analysis: DocumentAnalysis, offset: number): ExpressionSite | undefined {
  const rgd = rgdAt(analysis, offset);
  if (!rgd) return undefined;
  const hit = nodeAt(rgd.source, offset);
  if (!hit || hit.isKey) return undefined;
  const raw = analysis.text.slice(hit.range.start, hit.range.end);
  const rel = offset - hit.range.start;
  // The cursor is inside an expression exactly when the text before it has an unclosed `${`.
  const prefix = scanString(raw.slice(0, rel));
  if (prefix.ok || prefix.error.code !== 'UnterminatedExpression') return undefined;
  const open = prefix.error.offset;
  const rest = scanString(raw.slice(open));
  const first = rest.ok ? rest.value.expressions[0] : undefined;
  const body = first && first.start === 0 ? first.text : raw.slice(open + 2);
  return { rgd, yamlPath: hit.path, bodyStart: hit.range.start + open + 2, body, cursor: rel - open - 2 };
}

export type RootKind = 'schema' | 'resource' | 'each' | 'iterator';

export interface Root {
  readonly name: string;
  readonly kind: RootKind;
  readonly schema: OpenApiSchema;
  readonly resource?: DeclaredResource;
  /** For iterators: the forEach entry declaring it. */
  readonly forEachIndex?: number;
}

const DYN: OpenApiSchema = { 'x-kubernetes-preserve-unknown-fields': true };

/** The identifiers an expression at `yamlPath` may reference, with their types. */
export function rootsAt(rgd: RgdAnalysis, yamlPath: readonly Segment[]): Map<string, Root> {
  const { variables, resources } = rgd.variables;
  const roots = new Map<string, Root>();
  const resourceIndex = yamlPath[0] === 'spec' && yamlPath[1] === 'resources' ? yamlPath[2] : undefined;
  const own =
    typeof resourceIndex === 'number' ? resources.find((r) => r.index === resourceIndex) : undefined;
  if (own && yamlPath[3] === 'readyWhen') {
    const schema = own.schema ?? DYN;
    const list = own.type === 'collection' || own.type === 'externalCollection';
    roots.set(list ? 'each' : own.id, {
      name: list ? 'each' : own.id,
      kind: list ? 'each' : 'resource',
      schema,
      resource: own,
    });
    return roots;
  }
  roots.set('schema', { name: 'schema', kind: 'schema', schema: variables['schema']?.schema ?? DYN });
  for (const r of resources)
    roots.set(r.id, { name: r.id, kind: 'resource', schema: variables[r.id]?.schema ?? DYN, resource: r });
  if (own && (yamlPath[3] === 'template' || yamlPath[3] === 'externalRef' || yamlPath[3] === 'includeWhen')) {
    for (const it of iteratorsOf(rgd, own, roots)) roots.set(it.name, it);
  }
  return roots;
}

/** forEach iterators of a resource; an iterator's type is the element type of its list when the list is a plain reference. */
function iteratorsOf(rgd: RgdAnalysis, resource: DeclaredResource, roots: ReadonlyMap<string, Root>): Root[] {
  const entry = rgd.rgd.spec?.resources?.[resource.index];
  const forEach: unknown[] = Array.isArray(entry?.forEach) ? entry.forEach : [];
  const out: Root[] = [];
  forEach.forEach((dim, forEachIndex) => {
    if (!isPlainObject(dim)) return;
    for (const [name, value] of Object.entries(dim)) {
      out.push({ name, kind: 'iterator', schema: elementSchema(value, roots), resource, forEachIndex });
    }
  });
  return out;
}

function elementSchema(value: unknown, roots: ReadonlyMap<string, Root>): OpenApiSchema {
  if (typeof value !== 'string') return DYN;
  const scanned = scanString(value);
  const e = scanned.ok && scanned.value.standalone ? scanned.value.expressions[0] : undefined;
  if (!e) return DYN;
  const body = e.text.trim();
  const chain = parseChain(body, 0, body.length);
  const root = chain?.[0] && roots.get(String(chain[0].name));
  if (!chain || !root) return DYN;
  const r = lookupChain(root.schema, chain);
  return r.ok && r.schema.items ? r.schema.items : DYN;
}

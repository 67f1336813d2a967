// Hover, completion and go-to-definition inside `${...}`, answered from an analysed document in
// offsets (the server converts to LSP positions). Types and descriptions come from the same
// schemas the compiler checks against: the RGD's SimpleSchema for `schema.spec`, the resolver's
// kind schemas for resource ids.

import type { OpenApiSchema } from '../api/openapi.js';
import { formatPath } from '../expr/index.js';
import type { PathSegment } from '../expr/index.js';
import { locateRange } from '../source/index.js';
import type { SourceRange } from '../source/index.js';
import type { DocumentAnalysis } from './analysis.js';
import { expressionSiteAt, rootsAt } from './expression-site.js';
import type { ExpressionSite, Root } from './expression-site.js';
import { chainAt, partialChainAt } from './reference-chain.js';
import type { ChainSegment } from './reference-chain.js';
import { constraintsOf, fieldsOf, lookupChain, typeName } from './schema-lookup.js';

export interface HoverAnswer {
  readonly range: SourceRange;
  readonly markdown: string;
}

export function hoverAt(analysis: DocumentAnalysis, offset: number): HoverAnswer | undefined {
  const site = expressionSiteAt(analysis, offset);
  if (!site) return undefined;
  const chain = chainAt(site.body, site.cursor);
  if (!chain) return undefined;
  const roots = rootsAt(site.rgd, site.yamlPath);
  const root = roots.get(String(chain.segments[0]?.name));
  const seg = chain.segments[chain.at] as ChainSegment;
  const range = { start: site.bodyStart + seg.start, end: site.bodyStart + seg.end };
  const upTo = chain.segments.slice(0, chain.at + 1);
  const text = chainText(site, upTo);
  if (!root) return { range, markdown: `\`${text}\`: unknown identifier; in scope: ${names(roots.keys())}` };
  if (chain.at === 0) return { range, markdown: rootHover(root) };
  const r = lookupChain(root.schema, upTo);
  if (!r.ok) {
    const parentText = chainText(site, upTo.slice(0, r.at));
    const fields = fieldsOf(r.parent).map(([k]) => k);
    const missing = String(upTo[r.at]?.name);
    const known = fields.length > 0 ? `; its fields: ${names(fields)}` : '';
    return {
      range,
      markdown: `\`${text}\`: no field \`${missing}\` in \`${parentText}\` (\`${typeName(r.parent)}\`)${known}`,
    };
  }
  return { range, markdown: fieldHover(text, r.schema) };
}

function rootHover(root: Root): string {
  const type = `\`${typeName(root.schema)}\``;
  switch (root.kind) {
    case 'schema':
      return `**\`schema\`**: the instance (apiVersion, kind, metadata and \`spec\` from \`spec.schema.spec\`)`;
    case 'resource': {
      const r = root.resource;
      const kind = r?.kind !== undefined ? `\`${r.apiVersion} ${r.kind}\`` : 'kind unresolved';
      const list =
        r && (r.type === 'collection' || r.type === 'externalCollection') ? ', a list (collection)' : '';
      const external =
        r && (r.type === 'external' || r.type === 'externalCollection') ? ' (external reference)' : '';
      return `**\`${root.name}\`**: resource ${kind}${external}${list}: ${type}`;
    }
    case 'each':
      return `**\`each\`**: one item of collection \`${root.resource?.id ?? ''}\`: ${type}`;
    case 'iterator':
      return `**\`${root.name}\`**: forEach iterator of \`${root.resource?.id ?? ''}\`: ${type}`;
  }
}

function fieldHover(text: string, schema: OpenApiSchema): string {
  const parts = [`**\`${text}\`**: \`${typeName(schema)}\``];
  if (schema.description) parts.push(schema.description);
  const constraints = constraintsOf(schema);
  if (constraints.length > 0) parts.push(constraints.join(' · '));
  return parts.join('\n\n');
}

export interface CompletionAnswer {
  readonly label: string;
  readonly kind: 'field' | 'variable';
  readonly detail: string;
  readonly documentation?: string;
  /** The text the item replaces (the identifier under the cursor). */
  readonly range: SourceRange;
}

export function completeAt(analysis: DocumentAnalysis, offset: number): CompletionAnswer[] {
  const site = expressionSiteAt(analysis, offset);
  if (!site) return [];
  const partial = partialChainAt(site.body, site.cursor);
  if (!partial) return [];
  // The edit replaces the whole identifier under the cursor, so completing `dep|lyment` fixes it.
  let wordEnd = site.cursor;
  while (wordEnd < site.body.length && /[A-Za-z0-9_]/.test(site.body[wordEnd] as string)) wordEnd++;
  const range = { start: site.bodyStart + partial.partialStart, end: site.bodyStart + wordEnd };
  const roots = rootsAt(site.rgd, site.yamlPath);
  const matches = (label: string): boolean => label.startsWith(partial.partial);
  if (partial.parents.length === 0) {
    return [...roots.values()]
      .filter((r) => matches(r.name))
      .map((r) => ({
        label: r.name,
        kind: 'variable',
        detail: typeName(r.schema),
        documentation: rootHover(r),
        range,
      }));
  }
  const root = roots.get(String(partial.parents[0]?.name));
  if (!root) return [];
  const r = lookupChain(root.schema, partial.parents);
  if (!r.ok) return [];
  return fieldsOf(r.schema)
    .filter(([k]) => matches(k))
    .map(([k, s]) => ({
      label: k,
      kind: 'field',
      detail: typeName(s),
      ...(s.description ? { documentation: s.description } : {}),
      range,
    }));
}

/** Where a resource id, `each`, an iterator or a `schema.spec` field is declared. */
export function definitionAt(analysis: DocumentAnalysis, offset: number): SourceRange | undefined {
  const site = expressionSiteAt(analysis, offset);
  if (!site) return undefined;
  const chain = chainAt(site.body, site.cursor);
  if (!chain) return undefined;
  const root = rootsAt(site.rgd, site.yamlPath).get(String(chain.segments[0]?.name));
  if (!root) return undefined;
  const source = site.rgd.source;
  const resource = root.resource;
  if (root.kind === 'iterator' && resource && root.forEachIndex !== undefined)
    return locateRange(
      source,
      formatPath([root.name], `spec.resources[${resource.index}].forEach[${root.forEachIndex}]`),
      { preferKey: true },
    );
  if (root.kind !== 'schema' || chain.at === 0)
    return resource ? locateRange(source, `spec.resources[${resource.index}].id`) : undefined;
  // schema.spec.a.b → the SimpleSchema field spec.schema.spec.a.b (its key).
  const upTo = chain.segments.slice(0, chain.at + 1);
  if (upTo[1]?.name !== 'spec' || !lookupChain(root.schema, upTo).ok) return undefined;
  const fields = upTo.slice(2).map((s) => s.name) as PathSegment[];
  return locateRange(source, formatPath(fields, 'spec.schema.spec'), { preferKey: true });
}

function chainText(site: ExpressionSite, segments: readonly ChainSegment[]): string {
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (!first || !last) return '';
  return site.body.slice(first.start, last.end);
}

function names(values: Iterable<string>): string {
  return [...values].map((v) => `\`${v}\``).join(', ');
}

// One editor document, analysed: its YAML documents, the RGDs among them compiled together with
// the controller's compiler (source/compileRgds, so diagnostics equal `kro-ts validate`), each
// issue's text range (source/issueRange, the CLI's own mapping), and the typed variables of each
// RGD for hover and completion even while it does not compile. No LSP types here: offsets only.

import type { ResourceGraphDefinition } from '../api/rgd.js';
import { describeVariables } from '../graph/index.js';
import type { GraphVariables } from '../graph/index.js';
import { formatIssue } from '../lib/issue.js';
import type { SchemaResolver } from '../schema/index.js';
import {
  compileRgds,
  crdDocumentsOf,
  issueRange,
  overlayResolver,
  parseYamlDocuments,
  rgdSourcesOf,
} from '../source/index.js';
import type { SourceRange, YamlDoc } from '../source/index.js';

export interface Problem {
  readonly range: SourceRange;
  readonly message: string;
  /** The compile issue's code (`TypeMismatch`, `Cycle`, …) or `YAML` for a syntax error. */
  readonly code: string;
}

export interface RgdAnalysis {
  readonly source: YamlDoc;
  readonly rgd: ResourceGraphDefinition;
  readonly variables: GraphVariables;
}

export interface DocumentAnalysis {
  readonly text: string;
  /** Holds at least one ResourceGraphDefinition; other YAML gets no diagnostics. */
  readonly isRgd: boolean;
  readonly rgds: readonly RgdAnalysis[];
  readonly problems: readonly Problem[];
}

export interface AnalyzeOptions {
  readonly file: string;
  readonly text: string;
  /** Workspace CRDs in front of the bundled kinds. */
  readonly base: SchemaResolver;
  /** CustomResourceDefinition objects from other open documents. */
  readonly crds?: readonly unknown[];
}

const RGD_LINE = /^kind:\s*["']?ResourceGraphDefinition["']?\s*(#.*)?$/m;

export async function analyzeDocument(options: AnalyzeOptions): Promise<DocumentAnalysis> {
  const { text } = options;
  const { docs, problems: yamlProblems } = parseYamlDocuments(options.file, text);
  const sources = rgdSourcesOf(docs);
  const isRgd = sources.length > 0 || RGD_LINE.test(text);
  if (!isRgd) return { text, isRgd, rgds: [], problems: [] };
  const problems: Problem[] = yamlProblems.map((p) => ({ range: p.range, message: p.message, code: 'YAML' }));
  const overlay = overlayResolver(options.base, { keepDescriptions: true });
  for (const crd of [...(options.crds ?? []), ...crdDocumentsOf(docs)]) overlay.addCrd(crd);
  // A document with YAML errors is not compiled (its value is a guess), but still typed for editing.
  const compiled = await compileRgds(
    sources.filter((s) => !s.source.hasErrors),
    overlay,
  );
  for (const c of compiled) {
    if (c.result.ok) continue;
    for (const issue of c.result.error)
      problems.push({ range: issueRange(c.source, issue), message: formatIssue(issue), code: issue.code });
  }
  const rgds = await Promise.all(
    sources.map(async (s) => ({
      source: s.source,
      rgd: s.rgd,
      variables: await describeVariables(s.rgd, { resolver: overlay.resolver }),
    })),
  );
  return { text, isRgd, rgds, problems };
}

/** The RGD whose YAML document contains `offset`. */
export function rgdAt(analysis: DocumentAnalysis, offset: number): RgdAnalysis | undefined {
  return analysis.rgds.find((r) => {
    const range = r.source.doc.range;
    return offset >= range[0] && offset <= range[2];
  });
}

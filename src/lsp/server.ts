// The language server: vscode-languageserver does the protocol (JSON-RPC framing, lifecycle,
// incremental text sync); this file wires its events to the analysis. Every open YAML document
// is analysed on open and on each change, one analysis at a time per document, skipping versions
// the editor has already replaced; hover, completion and definition wait for the analysis of the
// version they are asked about.

import {
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  MarkupKind,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import type {
  CompletionItem,
  Connection,
  Diagnostic,
  InitializeResult,
  Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { KRO_TS_VERSION } from '../api/constants.js';
import { createResolver, crdDocumentsOf, parseYamlDocuments } from '../source/index.js';
import type { OverlayResolver, SourceRange } from '../source/index.js';
import { analyzeDocument } from './analysis.js';
import type { DocumentAnalysis } from './analysis.js';
import { completeAt, definitionAt, hoverAt } from './features.js';
import { absolutePaths, crdPathsFrom, fileOfUri, workspaceRoot } from './settings.js';

export interface ServerOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Schema documents of built-in kinds; the bundled ones when undefined. */
  readonly schemaDir?: string | undefined;
}

interface Pending {
  readonly version: number;
  readonly analysis: Promise<DocumentAnalysis | undefined>;
}

export function startLanguageServer(options: ServerOptions): Connection {
  const connection = createConnection(
    new StreamMessageReader(options.input),
    new StreamMessageWriter(options.output),
  );
  const documents = new TextDocuments(TextDocument);
  const pending = new Map<string, Pending>();
  const withDiagnostics = new Set<string>();
  const crdCache = new Map<string, { version: number; crds: unknown[] }>();
  let root: string | undefined;
  let crdPaths: string[] = [];
  let base: OverlayResolver = createResolver({ crdPaths: [], schemaDir: options.schemaDir });

  const reloadCrds = (): void => {
    try {
      base = createResolver({
        crdPaths: absolutePaths(crdPaths, root),
        schemaDir: options.schemaDir,
        keepDescriptions: true,
      });
    } catch (e) {
      base = createResolver({ crdPaths: [], schemaDir: options.schemaDir });
      const message = `kro-ts: CRDs not loaded (setting kro.crdPaths): ${e instanceof Error ? e.message : String(e)}`;
      void connection.window.showWarningMessage(message);
      connection.console.warn(message);
    }
  };

  /** CRDs in the other open documents (a CRD being edited next to the RGD that uses it). */
  const openCrds = (except: string): unknown[] =>
    documents.all().flatMap((d) => {
      if (d.uri === except || !d.getText().includes('CustomResourceDefinition')) return [];
      const cached = crdCache.get(d.uri);
      if (cached?.version === d.version) return cached.crds;
      const crds = crdDocumentsOf(parseYamlDocuments(fileOfUri(d.uri), d.getText()).docs);
      crdCache.set(d.uri, { version: d.version, crds });
      return crds;
    });

  /** The analysis of this version of the document; analyses of one document run one at a time. */
  const analysisOf = (doc: TextDocument): Promise<DocumentAnalysis | undefined> => {
    const prev = pending.get(doc.uri);
    if (prev?.version === doc.version) return prev.analysis;
    const { uri, version } = doc;
    const run = async (): Promise<DocumentAnalysis | undefined> => {
      if (prev) await prev.analysis.catch(() => undefined);
      const current = documents.get(uri);
      // Superseded while waiting: the editor no longer shows this version.
      if (current && current.version !== version) return undefined;
      return analyzeDocument({
        file: fileOfUri(uri),
        text: doc.getText(),
        base: base.resolver,
        crds: openCrds(uri),
      });
    };
    const analysis = run();
    pending.set(uri, { version, analysis });
    return analysis;
  };

  const publish = async (doc: TextDocument): Promise<void> => {
    let analysis: DocumentAnalysis | undefined;
    try {
      analysis = await analysisOf(doc);
    } catch (e) {
      connection.console.error(
        `kro-ts: analysis of ${doc.uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return;
    }
    if (!analysis || documents.get(doc.uri)?.version !== doc.version) return;
    if (!analysis.isRgd && !withDiagnostics.has(doc.uri)) return;
    const diagnostics = analysis.problems.map((p): Diagnostic => ({
      range: toRange(doc, p.range),
      severity: DiagnosticSeverity.Error,
      source: 'kro-ts',
      code: p.code,
      message: p.message,
    }));
    if (diagnostics.length > 0) withDiagnostics.add(doc.uri);
    else withDiagnostics.delete(doc.uri);
    await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const current = async (
    uri: string,
  ): Promise<{ doc: TextDocument; analysis: DocumentAnalysis } | undefined> => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const analysis = await analysisOf(doc);
    return analysis?.isRgd ? { doc, analysis } : undefined;
  };

  connection.onInitialize((params): InitializeResult => {
    root = workspaceRoot(params);
    crdPaths = crdPathsFrom(params.initializationOptions) ?? [];
    reloadCrds();
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', '{'] },
        definitionProvider: true,
      },
      serverInfo: { name: 'kro-ts', version: KRO_TS_VERSION },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    const paths = crdPathsFrom(change.settings);
    if (paths === undefined) return;
    crdPaths = paths;
    reloadCrds();
    pending.clear();
    for (const doc of documents.all()) void publish(doc);
  });

  documents.onDidChangeContent((e) => void publish(e.document));
  documents.onDidClose((e) => {
    pending.delete(e.document.uri);
    crdCache.delete(e.document.uri);
    if (withDiagnostics.delete(e.document.uri))
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(async (params) => {
    const c = await current(params.textDocument.uri);
    const answer = c && hoverAt(c.analysis, c.doc.offsetAt(params.position));
    if (!c || !answer) return null;
    return {
      range: toRange(c.doc, answer.range),
      contents: { kind: MarkupKind.Markdown, value: answer.markdown },
    };
  });

  connection.onCompletion(async (params): Promise<CompletionItem[]> => {
    const c = await current(params.textDocument.uri);
    if (!c) return [];
    return completeAt(c.analysis, c.doc.offsetAt(params.position)).map((a) => ({
      label: a.label,
      kind: a.kind === 'field' ? CompletionItemKind.Field : CompletionItemKind.Variable,
      detail: a.detail,
      ...(a.documentation !== undefined
        ? { documentation: { kind: MarkupKind.Markdown, value: a.documentation } }
        : {}),
      textEdit: { range: toRange(c.doc, a.range), newText: a.label },
    }));
  });

  connection.onDefinition(async (params) => {
    const c = await current(params.textDocument.uri);
    const range = c && definitionAt(c.analysis, c.doc.offsetAt(params.position));
    if (!c || !range) return null;
    return { uri: c.doc.uri, range: toRange(c.doc, range) };
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

function toRange(doc: TextDocument, r: SourceRange): Range {
  return { start: doc.positionAt(r.start), end: doc.positionAt(r.end) };
}

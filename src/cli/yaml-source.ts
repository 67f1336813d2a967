// Reads YAML files (multi-document) and keeps each document's node tree and line counter, so an
// RGD path like `spec.resources[2].template.spec.replicas` maps back to `file:line:col`.

import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node, ParsedNode } from 'yaml';
import { CliError } from './io.js';
import { parseRgdPath } from './rgd-path.js';

export interface YamlDoc {
  readonly file: string;
  /** 0-based index of the document in its file (empty documents are skipped, not counted out). */
  readonly index: number;
  readonly doc: Document.Parsed;
  readonly value: unknown;
  readonly lineCounter: LineCounter;
  /** The whole file's text (ranges are offsets into it). */
  readonly text: string;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

export interface ReadOptions {
  /** Integers as bigint, so `1` and `1.0` can be told apart (instance validation). */
  readonly intAsBigInt?: boolean;
}

export function readYamlFile(file: string, options: ReadOptions = {}): YamlDoc[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(
      `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e)}`,
    );
  }
  return parseYamlText(file, text, options);
}

export function parseYamlText(file: string, text: string, options: ReadOptions = {}): YamlDoc[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    keepSourceTokens: true,
    intAsBigInt: options.intAsBigInt ?? false,
  });
  if (!Array.isArray(docs)) return [];
  const problems: string[] = [];
  const out: YamlDoc[] = [];
  docs.forEach((doc, index) => {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      problems.push(`${file}:${pos.line}:${pos.col}: ${message}`);
    }
    if (doc.contents === null) return;
    out.push({ file, index, doc, value: doc.toJS({ maxAliasCount: 100 }), lineCounter, text });
  });
  if (problems.length > 0) throw new CliError(problems.join('\n'));
  return out;
}

/** Where a node starts, 1-based. */
export function positionOf(doc: YamlDoc, node: Node | null | undefined): Position {
  const offset = node?.range?.[0] ?? doc.doc.contents?.range[0] ?? 0;
  return doc.lineCounter.linePos(offset);
}

export interface LocateOptions {
  /** Point at the key of the last map entry instead of its value (e.g. an unknown field name). */
  readonly preferKey?: boolean;
  /** An expression (without `${}`) inside the final scalar: point at its `${`. */
  readonly expression?: string | undefined;
}

/**
 * Position of the most specific node on `path` that exists. A map entry resolves to its value
 * when the value is a scalar (the text holding the mistake or the expression) and to its key when
 * the value is a collection or `preferKey` is set; a missing entry resolves to its parent.
 */
export function locatePath(doc: YamlDoc, path: string, options: LocateOptions = {}): Position {
  let current: ParsedNode | null = doc.doc.contents;
  let best: Node | null = current;
  for (const seg of parseRgdPath(path)) {
    if (typeof seg === 'number' && isSeq(current)) {
      const item: unknown = current.items[seg];
      if (!isNodeLike(item)) break;
      current = item;
      best = item;
      continue;
    }
    if (!isMap(current)) break;
    const pair = current.items.find(
      (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
    );
    if (!pair) break;
    const key = pair.key as ParsedNode;
    const value = pair.value as ParsedNode | null;
    const scalarValue = value !== null && isScalar(value);
    best = options.preferKey || !scalarValue ? key : value;
    current = value;
  }
  if (options.expression !== undefined && !options.preferKey && best && isScalar(best) && best.range) {
    const at = doc.text.slice(best.range[0], best.range[1]).indexOf('${' + options.expression);
    if (at > 0) return doc.lineCounter.linePos(best.range[0] + at);
  }
  return positionOf(doc, best);
}

function isNodeLike(v: unknown): v is ParsedNode {
  return typeof v === 'object' && v !== null && 'range' in v;
}

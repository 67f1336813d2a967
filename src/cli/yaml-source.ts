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

/**
 * Where YAML warnings go (a duplicated map key). The CLI points it at stderr for one command; each
 * warning is written once even when a file is read by more than one step.
 */
let warningSink: ((message: string) => void) | undefined;
const warned = new Set<string>();

export function setYamlWarningSink(sink: ((message: string) => void) | undefined): void {
  warningSink = sink;
  warned.clear();
}

function warn(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  warningSink?.(message);
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
    // kubectl reads YAML with sigs.k8s.io/yaml (yaml.v2, non-strict): a key given twice in one
    // map is accepted and the later value wins. So does kro-ts, with a warning naming both lines.
    uniqueKeys: false,
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
    for (const d of duplicateKeys(doc.contents)) {
      const first = lineCounter.linePos(d.first);
      const again = lineCounter.linePos(d.again);
      warn(
        `${file}:${again.line}:${again.col}: warning: duplicate key "${d.key}" (first at line ${first.line}); the last value is used`,
      );
    }
    out.push({ file, index, doc, value: doc.toJS({ maxAliasCount: 100 }), lineCounter, text });
  });
  if (problems.length > 0) throw new CliError(problems.join('\n'));
  return out;
}

interface DuplicateKey {
  readonly key: string;
  readonly first: number;
  readonly again: number;
}

/** Keys given more than once in one map, anywhere in the tree (offsets of both keys). */
function duplicateKeys(root: unknown): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          const offset = pair.key.range?.[0] ?? 0;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, offset);
          else out.push({ key, first, again: offset });
        }
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item);
    }
  };
  visit(root);
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

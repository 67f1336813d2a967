// Reads YAML files (multi-document) and keeps each document's node tree and line counter, so an
// RGD path like `spec.resources[2].template.spec.replicas` maps back to a range of the text: the
// CLI prints its start as `file:line:col`, the language server sends the whole range.

import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node, ParsedNode, Scalar } from 'yaml';
import { SourceError } from './errors.js';
import {
  ALIAS_LIMIT_MESSAGE,
  documentLimitProblem,
  MAX_ALIAS_COUNT,
  NESTING_MESSAGE,
  readInputFile,
} from './input-limits.js';
import { parseRgdPath } from './rgd-path.js';
import type { Segment } from './rgd-path.js';

export interface YamlDoc {
  readonly file: string;
  /** 0-based index of the document in its file (empty documents are skipped, not counted out). */
  readonly index: number;
  readonly doc: Document.Parsed;
  readonly value: unknown;
  readonly lineCounter: LineCounter;
  /** The whole file's text (ranges are offsets into it). */
  readonly text: string;
  /** The document has YAML errors (its value is the parser's best effort). */
  readonly hasErrors: boolean;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Offsets into the file's text (UTF-16 code units), end exclusive. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

export interface YamlProblem {
  readonly range: SourceRange;
  /** 1-based, of range.start. */
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** Index of the document the problem belongs to. */
  readonly document: number;
}

export interface ParsedYaml {
  readonly docs: YamlDoc[];
  readonly problems: YamlProblem[];
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
  return parseYamlText(file, readInputFile(file), options);
}

/** Every document, or a SourceError listing every YAML error as `file:line:col: message`. */
export function parseYamlText(file: string, text: string, options: ReadOptions = {}): YamlDoc[] {
  const { docs, problems } = parseYamlDocuments(file, text, options);
  if (problems.length > 0)
    throw new SourceError(problems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`).join('\n'));
  return docs;
}

/** Every non-empty document (those with errors too, flagged) and every YAML error with its range. */
export function parseYamlDocuments(file: string, text: string, options: ReadOptions = {}): ParsedYaml {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    intAsBigInt: options.intAsBigInt ?? false,
    // kubectl reads YAML with sigs.k8s.io/yaml (yaml.v2, non-strict): a key given twice in one
    // map is accepted and the later value wins. So does kro-ts, with a warning naming both lines.
    uniqueKeys: false,
  });
  const all = Array.isArray(parsed) ? parsed : [];
  const problems: YamlProblem[] = [];
  const docs: YamlDoc[] = [];
  all.forEach((doc, index) => {
    for (const e of doc.errors) {
      const [start, end] = e.pos;
      const pos = e.linePos?.[0] ?? lineCounter.linePos(start);
      const first = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      // The parser reports its own stack overflow as a document error.
      const message = first.includes('Maximum call stack size exceeded')
        ? `${NESTING_MESSAGE}; the YAML parser ran out of stack`
        : first;
      problems.push({
        range: { start, end: Math.max(end, start) },
        line: pos.line,
        col: pos.col,
        message,
        document: index,
      });
    }
    if (doc.contents === null) return;
    // Hostile documents (an alias bomb, absurd nesting, an object etcd could not store) and maps
    // keyed by a collection become one problem each, and the document is left out.
    const limitProblem = (message: string, at?: number): void => {
      const start = at ?? doc.contents?.range[0] ?? doc.range[0];
      const pos = lineCounter.linePos(start);
      problems.push({ range: { start, end: start }, line: pos.line, col: pos.col, message, document: index });
    };
    const keys = checkKeys(doc.contents);
    if (keys.complex.length > 0) {
      // sigs.k8s.io/yaml (kubectl) fails on such a key ("invalid map key"); the yaml library would
      // turn it into a string with a process warning.
      for (const at of keys.complex) limitProblem('a map key must be a string, not a list or a map', at);
      return;
    }
    for (const d of keys.duplicates) {
      const first = lineCounter.linePos(d.first);
      const again = lineCounter.linePos(d.again);
      warn(
        `${file}:${again.line}:${again.col}: warning: duplicate key "${d.key}" (first at line ${first.line}); the last value is used`,
      );
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      if (e instanceof ReferenceError && /alias/i.test(e.message)) return limitProblem(ALIAS_LIMIT_MESSAGE);
      if (e instanceof RangeError) return limitProblem(NESTING_MESSAGE);
      throw e;
    }
    const tooBig = documentLimitProblem(value);
    if (tooBig !== undefined) return limitProblem(tooBig);
    docs.push({
      file,
      index,
      doc,
      value,
      lineCounter,
      text,
      hasErrors: doc.errors.length > 0,
    });
  });
  return { docs, problems };
}

interface DuplicateKey {
  readonly key: string;
  readonly first: number;
  readonly again: number;
}

/**
 * Keys given more than once in one map (offsets of both keys) and keys that are collections
 * (their offsets), anywhere in the tree. Iterative: the tree may be nested absurdly deep.
 */
function checkKeys(root: unknown): { duplicates: DuplicateKey[]; complex: number[] } {
  const duplicates: DuplicateKey[] = [];
  const complex: number[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          const offset = pair.key.range?.[0] ?? 0;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, offset);
          else duplicates.push({ key, first, again: offset });
        } else if (isMap(pair.key) || isSeq(pair.key)) {
          complex.push(pair.key.range?.[0] ?? 0);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return { duplicates, complex };
}

/** Where a node starts, 1-based. */
export function positionOf(doc: YamlDoc, node: Node | null | undefined): Position {
  const offset = node?.range?.[0] ?? doc.doc.contents?.range[0] ?? 0;
  return doc.lineCounter.linePos(offset);
}

export interface LocateOptions {
  /** Point at the key of the last map entry instead of its value (e.g. an unknown field name). */
  readonly preferKey?: boolean;
  /** An expression (without `${}`) inside the final scalar: point at its `${…}`. */
  readonly expression?: string | undefined;
}

/** Start of locateRange, 1-based. */
export function locatePath(doc: YamlDoc, path: string, options: LocateOptions = {}): Position {
  return doc.lineCounter.linePos(locateRange(doc, path, options).start);
}

/**
 * Range of the most specific node on `path` that exists. A map entry resolves to its value when
 * the value is a scalar (the text holding the mistake or the expression) and to its key when the
 * value is a collection or `preferKey` is set; a missing entry resolves to its parent. With an
 * expression found in the final scalar, the range is that `${…}`.
 */
export function locateRange(doc: YamlDoc, path: string, options: LocateOptions = {}): SourceRange {
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
  const nodeRange = rangeOf(doc, best);
  if (options.expression !== undefined && !options.preferKey && best && isScalar(best)) {
    const needle = '${' + options.expression;
    const at = doc.text.slice(nodeRange.start, nodeRange.end).indexOf(needle);
    if (at > 0) {
      const start = nodeRange.start + at;
      const close = start + needle.length;
      return { start, end: doc.text[close] === '}' ? close + 1 : nodeRange.end };
    }
  }
  return nodeRange;
}

function rangeOf(doc: YamlDoc, node: Node | null): SourceRange {
  const r = node?.range ?? doc.doc.contents?.range;
  if (!r) return { start: 0, end: 0 };
  return { start: r[0], end: r[1] };
}

export interface NodeAt {
  readonly scalar: Scalar;
  /** Path from the document root to the scalar (for a key: to its map entry). */
  readonly path: readonly Segment[];
  readonly isKey: boolean;
  readonly range: SourceRange;
}

/** The scalar (map key or value) whose text contains `offset`, with its path; undefined elsewhere. */
export function nodeAt(doc: YamlDoc, offset: number): NodeAt | undefined {
  const visit = (node: unknown, path: Segment[]): NodeAt | undefined => {
    if (!isNodeLike(node) || !node.range || offset < node.range[0] || offset > node.range[2])
      return undefined;
    if (isScalar(node)) {
      const range = { start: node.range[0], end: node.range[1] };
      return offset <= range.end ? { scalar: node, path, isKey: false, range } : undefined;
    }
    if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const hit = visit(node.items[i], [...path, i]);
        if (hit) return hit;
      }
      return undefined;
    }
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      const k = pair.key as Scalar & ParsedNode;
      if (offset >= k.range[0] && offset <= k.range[1])
        return {
          scalar: k,
          path: [...path, key],
          isKey: true,
          range: { start: k.range[0], end: k.range[1] },
        };
      const hit = visit(pair.value, [...path, key]);
      if (hit) return hit;
    }
    return undefined;
  };
  return visit(doc.doc.contents, []);
}

function isNodeLike(v: unknown): v is ParsedNode {
  return typeof v === 'object' && v !== null && 'range' in v;
}

// Compile issues located in the user's YAML, with the message exactly as the RGD's GraphAccepted
// condition shows it: `file:line:col: message` for the CLI, a text range for editor diagnostics.
// Both come from issueRange, so the CLI and the language server always point at the same place.

import { GraphIssueCodes } from '../graph/index.js';
import type { Issue } from '../lib/issue.js';
import { formatIssue } from '../lib/issue.js';
import type { SourceRange, YamlDoc } from './yaml-source.js';
import { locateRange } from './yaml-source.js';

export interface LocatedIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly code: string;
  readonly path: string;
  readonly message: string;
  readonly nodeId?: string;
  readonly expression?: string;
}

/** Codes whose path names a map key that is itself the mistake. */
const KEY_CODES: ReadonlySet<string> = new Set([GraphIssueCodes.unknownField, GraphIssueCodes.reservedLabel]);

/** The text an issue is about: its `${…}`, the scalar holding the wrong value, the key of an unknown field, or the nearest existing parent. */
export function issueRange(source: YamlDoc, issue: Issue): SourceRange {
  return locateRange(source, issue.path, {
    preferKey: KEY_CODES.has(issue.code),
    expression: issue.expression,
  });
}

export function locateIssue(source: YamlDoc, issue: Issue): LocatedIssue {
  const pos = source.lineCounter.linePos(issueRange(source, issue).start);
  return {
    file: source.file,
    line: pos.line,
    col: pos.col,
    code: issue.code,
    path: issue.path,
    message: formatIssue(issue),
    ...(issue.nodeId !== undefined ? { nodeId: issue.nodeId } : {}),
    ...(issue.expression !== undefined ? { expression: issue.expression } : {}),
  };
}

export function formatLocated(i: LocatedIssue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.message}`;
}

/** Issues in file order (line, then column), stable for equal positions. */
export function sortLocated(issues: readonly LocatedIssue[]): LocatedIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
}

/** All issues of one RGD as `file:line:col: message` lines (with a trailing newline). */
export function issueText(source: YamlDoc, issues: readonly Issue[]): string {
  return (
    sortLocated(issues.map((i) => locateIssue(source, i)))
      .map(formatLocated)
      .join('\n') + '\n'
  );
}

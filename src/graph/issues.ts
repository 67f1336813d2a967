// A tiny collector so every check can report without stopping the build (the kro-ts deviation:
// all issues in one compile).

import { issue } from '../lib/issue.js';
import type { Issue } from '../lib/issue.js';

export class IssueList {
  readonly items: Issue[] = [];

  add(fields: {
    code: string;
    path: string;
    message: string;
    nodeId?: string | undefined;
    expression?: string | undefined;
  }): void {
    const { nodeId, expression, ...rest } = fields;
    this.items.push(
      issue({
        ...rest,
        ...(nodeId === undefined ? {} : { nodeId }),
        ...(expression === undefined ? {} : { expression }),
      }),
    );
  }

  push(...issues: readonly Issue[]): void {
    this.items.push(...issues);
  }

  get size(): number {
    return this.items.length;
  }
}

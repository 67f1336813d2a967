// Issue: one user mistake found at compile time. The RGD's GraphAccepted condition, the offline
// CLI (file:line:col) and Events all render the same Issue objects.

export interface Issue {
  /** Stable machine-readable code, e.g. `InvalidId`, `TypeMismatch`, `Cycle`, `SimpleSchema`. */
  readonly code: string;
  /**
   * Path of the offending field in the RGD, dotted with [i] for list indices, starting at the
   * RGD root: `spec.resources[2].template.spec.replicas`, `spec.schema.spec.values.tag`.
   * Empty string when the issue concerns the RGD as a whole.
   */
  readonly path: string;
  /** The leaf message exactly as specified (spec/01 §5 and friends). */
  readonly message: string;
  /** Resource id when the issue concerns one resource. */
  readonly nodeId?: string;
  /** The user's expression text (without `${}`) when the issue concerns one expression. */
  readonly expression?: string;
}

export function issue(fields: Issue): Issue {
  return Object.freeze({ ...fields });
}

/**
 * One issue as people read it in the RGD's GraphAccepted condition and GraphRejected event: the
 * leaf message (kro's exact wording) prefixed with where it is — resource id, RGD field path and
 * expression — unless the leaf already says so. Example:
 *   resource "config" at spec.resources[0].template.data.colour, expression "schema.spec.colour": undefined field 'colour'
 */
export function formatIssue(i: Issue): string {
  const parts: string[] = [];
  if (i.nodeId !== undefined && !i.message.includes(`"${i.nodeId}"`)) parts.push(`resource "${i.nodeId}"`);
  if (i.path !== '' && !i.message.includes(i.path)) {
    parts.push(parts.length > 0 ? `at ${i.path}` : i.path);
  }
  const where = parts.join(' ');
  const expr =
    i.expression !== undefined && !i.message.includes(i.expression) ? `expression "${i.expression}"` : '';
  const context = [where, expr].filter((p) => p !== '').join(', ');
  return context === '' ? i.message : `${context}: ${i.message}`;
}

/** Renders issues the way the RGD condition message shows them: one per line, with context. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('\n');
}

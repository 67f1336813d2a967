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

/** Renders issues the way the RGD condition message shows them: one per line. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => i.message).join('\n');
}

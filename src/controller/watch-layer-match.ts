// Label-selector matching for watch routing (metav1.LabelSelector semantics): matchLabels and
// matchExpressions are ANDed; an empty selector matches everything.

import type { LabelSelectorLike } from '../kube/index.js';

export function matchesSelector(
  labels: Readonly<Record<string, string>> | undefined,
  selector: LabelSelectorLike,
): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const value = l[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// Objects given with --observed: a directory of YAML files standing in for what the API server
// would return (apply responses with status, external objects). Matched to nodes by kind,
// namespace and name (apiVersion group too, when both sides have one).

import { isPlainObject } from '../lib/json.js';
import type { RuntimeObject } from '../runtime/index.js';
import { expandCrdPaths, readYamlFile } from '../source/index.js';
import { normalize } from '../source/validate-value.js';

export class ObservedObjects {
  constructor(readonly objects: readonly RuntimeObject[] = []) {}

  static load(dir: string | undefined): ObservedObjects {
    if (dir === undefined) return new ObservedObjects();
    const objects: RuntimeObject[] = [];
    for (const file of expandCrdPaths([dir])) {
      for (const d of readYamlFile(file)) {
        const items =
          isPlainObject(d.value) && Array.isArray(d.value['items']) ? d.value['items'] : [d.value];
        for (const o of items) if (isRuntimeObject(o)) objects.push(normalize(o) as RuntimeObject);
      }
    }
    return new ObservedObjects(objects);
  }

  find(ref: {
    apiVersion: string;
    kind: string;
    namespace?: string | undefined;
    name?: string | undefined;
  }): RuntimeObject | undefined {
    return this.objects.find(
      (o) =>
        o.kind === ref.kind &&
        groupOf(o.apiVersion) === groupOf(ref.apiVersion) &&
        o.metadata.name === ref.name &&
        sameNamespace(o.metadata.namespace, ref.namespace),
    );
  }

  list(ref: {
    apiVersion: string;
    kind: string;
    namespace: string;
    matchLabels: Record<string, string>;
  }): RuntimeObject[] {
    return this.objects.filter(
      (o) =>
        o.kind === ref.kind &&
        groupOf(o.apiVersion) === groupOf(ref.apiVersion) &&
        (ref.namespace === '' || sameNamespace(o.metadata.namespace, ref.namespace)) &&
        Object.entries(ref.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v),
    );
  }
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** An observed object without a namespace matches any namespace. */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return !a || !b || a === b;
}

function isRuntimeObject(o: unknown): o is RuntimeObject {
  return (
    isPlainObject(o) &&
    typeof o['apiVersion'] === 'string' &&
    typeof o['kind'] === 'string' &&
    isPlainObject(o['metadata'])
  );
}

/** The apply response, approximately: the live object with the desired fields laid over it. */
export function overlay(live: unknown, desired: unknown): unknown {
  if (!isPlainObject(live) || !isPlainObject(desired)) return desired;
  const out: Record<string, unknown> = { ...live };
  for (const [k, v] of Object.entries(desired)) out[k] = overlay(live[k], v);
  return out;
}

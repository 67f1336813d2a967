// The graph registry: which compiled graph serves which instance kind right now. The RGD
// controller writes it (register / atomic replace / mark unavailable / remove); instance
// reconciles read it once per reconcile, so a swap never tears a reconcile in half.

import type { CompiledGraph } from '../graph/types.js';

export interface ServedGraph {
  readonly graph: CompiledGraph;
  readonly rgdName: string;
  readonly rgdUid: string;
  /** The GraphRevision number (spec.revision) of the spec this graph was built from. */
  readonly revision: number;
  /** The GraphRevision object's name (`<rgd>-r00003`), when revisions are resolved. */
  readonly graphRevision?: string;
  /** metadata.generation of the RGD this graph was built from. */
  readonly rgdGeneration?: number;
  /** A newer generation of the RGD that was refused while this graph keeps serving. */
  readonly rejected?: { readonly generation: number; readonly message: string };
}

export type GraphLookup =
  | { kind: 'served'; served: ServedGraph }
  | {
      kind: 'unavailable';
      rgdName: string;
      reason: string;
      mayRecover: boolean;
      /** The RGD is gone, its CRD kept: only deletions of instances are processed. */
      orphaned?: boolean;
    };

export interface GraphRegistry {
  /** gvrKey = `${group}/${version}/${plural}`; undefined when no RGD claims the kind. */
  lookup(gvrKey: string): GraphLookup | undefined;
}

export function gvrKeyOf(gvr: { group: string; version: string; resource: string }): string {
  return `${gvr.group}/${gvr.version}/${gvr.resource}`;
}

/** The registry the controller mutates; instance reconciles only see GraphRegistry. */
export class MutableGraphRegistry implements GraphRegistry {
  readonly #entries = new Map<string, GraphLookup>();

  lookup(gvrKey: string): GraphLookup | undefined {
    return this.#entries.get(gvrKey);
  }

  setServed(gvrKey: string, served: ServedGraph): void {
    this.#entries.set(gvrKey, { kind: 'served', served });
  }

  setUnavailable(
    gvrKey: string,
    entry: { rgdName: string; reason: string; mayRecover: boolean; orphaned?: boolean },
  ): void {
    this.#entries.set(gvrKey, { kind: 'unavailable', ...entry });
  }

  remove(gvrKey: string): void {
    this.#entries.delete(gvrKey);
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }
}

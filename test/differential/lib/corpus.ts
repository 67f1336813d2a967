// The differential corpus: test/differential/corpus/*.yaml, each file a multi-document YAML with
// ResourceGraphDefinitions, the objects they expect to exist first (namespaces, externalRef
// targets: "prerequisites") and instances. Rules the snapshot relies on: namespaced objects live in
// namespaces named `diff-*`, cluster-scoped ones are named `diff-*`.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/kube/index.js';

export const corpusDir = fileURLToPath(new URL('../corpus/', import.meta.url));

export interface CorpusFile {
  readonly file: string;
  readonly rgds: KubeObject[];
  readonly prereqs: KubeObject[];
  readonly instances: KubeObject[];
}

export interface Corpus {
  readonly files: CorpusFile[];
  readonly rgds: KubeObject[];
  readonly prereqs: KubeObject[];
  readonly instances: KubeObject[];
  /** apiVersion/kind of every object the RGDs can create or read, for the snapshot. */
  readonly childKinds: { apiVersion: string; kind: string }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Loads the corpus; DIFF_CORPUS (comma-separated file-name substrings) narrows it. */
export function loadCorpus(filter = process.env['DIFF_CORPUS']): Corpus {
  const wanted = filter ? filter.split(',').filter(Boolean) : undefined;
  const files: CorpusFile[] = [];
  for (const f of readdirSync(corpusDir).sort()) {
    if (!f.endsWith('.yaml')) continue;
    if (wanted && !f.startsWith('00-') && !wanted.some((w) => f.includes(w))) continue;
    const docs = parseAllDocuments(readFileSync(join(corpusDir, f), 'utf8'));
    const objs: KubeObject[] = [];
    for (const d of docs) {
      if (d.errors.length) throw new Error(`${f}: ${d.errors[0]!.message}`);
      const v: unknown = d.toJS();
      if (v == null) continue;
      if (!isObj(v) || typeof v['kind'] !== 'string') throw new Error(`${f}: a document without kind`);
      objs.push(v as unknown as KubeObject);
    }
    const rgds = objs.filter((o) => o.kind === 'ResourceGraphDefinition');
    const groups = new Set(rgds.map((r) => instanceGroupOf(r)));
    const instances = objs.filter(
      (o) =>
        o.kind !== 'ResourceGraphDefinition' &&
        groups.has(o.apiVersion.split('/')[0]!) &&
        o.apiVersion.includes('/'),
    );
    const prereqs = objs.filter((o) => !rgds.includes(o) && !instances.includes(o));
    files.push({ file: f, rgds, prereqs, instances });
  }
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  const addKind = (apiVersion: unknown, kind: unknown): void => {
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return;
    if (apiVersion.includes('${') || kind.includes('${')) return;
    kinds.set(`${apiVersion}/${kind}`, { apiVersion, kind });
  };
  for (const f of files) {
    for (const r of f.rgds) {
      const resources = ((r as unknown as { spec?: { resources?: unknown[] } }).spec?.resources ??
        []) as Obj[];
      for (const res of resources) {
        const t = (res['template'] ?? res['externalRef']) as Obj | undefined;
        if (t) addKind(t['apiVersion'], t['kind']);
      }
    }
    for (const p of f.prereqs) addKind(p.apiVersion, p.kind);
  }
  addKind('v1', 'Namespace');
  return {
    files,
    rgds: files.flatMap((f) => f.rgds),
    prereqs: files.flatMap((f) => f.prereqs),
    instances: files.flatMap((f) => f.instances),
    childKinds: [...kinds.values()],
  };
}

export function instanceGroupOf(rgd: KubeObject): string {
  const schema = (rgd as unknown as { spec?: { schema?: { group?: string } } }).spec?.schema;
  return schema?.group || 'kro.run';
}

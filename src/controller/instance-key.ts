// The work-queue key of one instance: `${group}/${version}/${plural}/${namespace}/${name}`.
// Group may be empty only in theory (instances always have a group); namespace is '' for
// cluster-scoped kinds. Names and namespaces never contain '/', groups never do either.

export interface InstanceKey {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  /** '' for cluster-scoped instances. */
  readonly namespace: string;
  readonly name: string;
}

export function formatInstanceKey(key: InstanceKey): string {
  return `${key.group}/${key.version}/${key.plural}/${key.namespace}/${key.name}`;
}

export function parseInstanceKey(text: string): InstanceKey {
  const parts = text.split('/');
  if (parts.length !== 5) throw new Error(`invalid instance key ${JSON.stringify(text)}`);
  const [group, version, plural, namespace, name] = parts as [string, string, string, string, string];
  if (version === '' || plural === '' || name === '') {
    throw new Error(`invalid instance key ${JSON.stringify(text)}`);
  }
  return { group, version, plural, namespace, name };
}

/** `${group}/${version}/${plural}`, the GraphRegistry key of the instance's kind. */
export function instanceGvrKey(key: InstanceKey): string {
  return `${key.group}/${key.version}/${key.plural}`;
}

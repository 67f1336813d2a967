import { describe, expect, it } from 'vitest';
import { changedFields, describeChanges, ownedByOthers } from './changes.js';

const deployment = (image: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', resourceVersion: String(replicas) },
  spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
});

describe('changedFields', () => {
  it('lists the desired leaves whose value the apply changed, ignoring server-managed metadata', () => {
    const desired = deployment('nginx:1.28', 1);
    const before = deployment('nginx:1.27', 1);
    const after = deployment('nginx:1.28', 1);
    after.metadata.resourceVersion = '99';
    const changes = changedFields(desired, before, after);
    expect(describeChanges(changes)).toBe(
      'spec.template.spec.containers[0].image: "nginx:1.27" -> "nginx:1.28"',
    );
  });

  it('finds nothing for a no-op apply', () => {
    const d = deployment('nginx:1.27', 2);
    expect(changedFields(d, d, d)).toEqual([]);
  });

  it('summarises beyond three changes', () => {
    const d = { data: { a: '1', b: '1', c: '1', e: '1' } };
    const b = { data: { a: '0', b: '0', c: '0', e: '0' } };
    expect(describeChanges(changedFields(d, b, d))).toBe(
      'data.a: "0" -> "1"; data.b: "0" -> "1"; data.c: "0" -> "1" (and 1 more)',
    );
  });
});

describe('ownedByOthers', () => {
  const live = {
    ...deployment('nginx:1.27', 3),
    metadata: {
      name: 'web',
      managedFields: [
        {
          manager: 'kro.run/applyset',
          operation: 'Apply',
          fieldsV1: {
            'f:spec': {
              'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } },
            },
          },
        },
        { manager: 'kubectl-scale', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
        {
          manager: 'kube-controller-manager',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:replicas': {} } },
        },
      ],
    },
  };
  it('is true for a field another manager set (drift)', () => {
    expect(ownedByOthers(live, ['spec', 'replicas'], 'kro.run/applyset')).toBe(true);
  });
  it('is false for a field only kro-ts owns, matching list elements by key', () => {
    expect(
      ownedByOthers(live, ['spec', 'template', 'spec', 'containers', 0, 'image'], 'kro.run/applyset'),
    ).toBe(false);
  });
  it('ignores status writers', () => {
    expect(ownedByOthers(live, ['status', 'replicas'], 'kro.run/applyset')).toBe(false);
  });
});

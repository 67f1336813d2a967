import { describe, expect, it } from 'vitest';
import {
  instanceUpdateTriggers,
  isSuspended,
  readsSchemaMetadata,
  rgdUpdateTriggers,
  userMetadataChanges,
} from './watch-layer-triggers.js';

const obj = (generation: number, annotations?: Record<string, string>, deletionTimestamp?: string) => ({
  metadata: {
    generation,
    ...(annotations ? { annotations } : {}),
    ...(deletionTimestamp ? { deletionTimestamp } : {}),
  },
});

describe('instanceUpdateTriggers', () => {
  it.each([
    ['generation change', obj(1), obj(2), true],
    ['label/status-only change', obj(1), obj(1, { other: 'x' }), false],
    ['suspended added', obj(1), obj(1, { 'kro.run/reconcile': 'Suspended' }), true],
    ['legacy disabled removed', obj(1, { 'kro.run/reconcile': 'disabled' }), obj(1), true],
    [
      'suspended → disabled (still suspended)',
      obj(1, { 'kro.run/reconcile': 'suspended' }),
      obj(1, { 'kro.run/reconcile': 'disabled' }),
      false,
    ],
    [
      'deletion-policy orphan added (stuck deletion)',
      obj(2),
      obj(2, { 'kro.run/deletion-policy': 'Orphan' }),
      true,
    ],
    ['deletion-policy other value', obj(2), obj(2, { 'kro.run/deletion-policy': 'delete' }), false],
  ])('%s', (_name, a, b, expected) => {
    expect(instanceUpdateTriggers(a, b)).toBe(expected);
  });

  it('reads the suspension case-insensitively', () => {
    expect(isSuspended(obj(1, { 'kro.run/reconcile': 'SUSPENDED' }))).toBe(true);
    expect(isSuspended(obj(1, { 'kro.run/reconcile': 'enabled' }))).toBe(false);
  });
});

describe('rgdUpdateTriggers', () => {
  it.each([
    ['generation change', obj(1), obj(2), true],
    ['status-only change', obj(3), obj(3), false],
    ['deletion starts', obj(3), obj(3, undefined, '2024-01-01T00:00:00Z'), true],
    ['allow annotation set', obj(3), obj(3, { 'kro.run/allow-breaking-changes': 'true' }), true],
    ['allow annotation not "true"', obj(3), obj(3, { 'kro.run/allow-breaking-changes': 'yes' }), false],
  ])('%s', (_name, a, b, expected) => {
    expect(rgdUpdateTriggers(a, b)).toBe(expected);
  });
});

describe('label/annotation-only edits', () => {
  const meta = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({
    metadata: { generation: 2, labels, annotations },
  });
  it('reports user label and annotation changes, not kro-ts bookkeeping', () => {
    expect(userMetadataChanges(meta({ team: 'a' }), meta({ team: 'b' }))).toEqual(['labels']);
    expect(userMetadataChanges(meta({}, { owner: 'x' }), meta({}, {}))).toEqual(['annotations']);
    expect(
      userMetadataChanges(
        meta({ 'kro.run/owned': 'true' }, { 'applyset.kubernetes.io/contains-group-kinds': 'a' }),
        meta({ 'kro.run/owned': 'false', 'applyset.kubernetes.io/id': 'x' }, { 'internal.kro.run/x': 'y' }),
      ),
    ).toEqual([]);
    expect(userMetadataChanges(meta({ a: '1', b: '2' }), meta({ b: '2', a: '1' }))).toEqual([]);
  });
  it('tells whether expressions read schema.metadata', () => {
    expect(readsSchemaMetadata(['schema.metadata.labels.team'])).toBe(true);
    expect(readsSchemaMetadata(['schema.?metadata.annotations["x"].orValue("")'])).toBe(true);
    expect(readsSchemaMetadata(['schema.spec.name', 'deployment.metadata.labels.app'])).toBe(false);
    expect(readsSchemaMetadata(['schema.metadata.name + "-x"', 'schema.metadata.namespace'])).toBe(false);
    expect(readsSchemaMetadata(['schema.metadata.name', 'has(schema.metadata.annotations)'])).toBe(true);
  });
});

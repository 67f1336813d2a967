// The instance status shape is declared once (crd/status-schema.ts): everything the status
// builder writes is in the CRD's status schema, the builder keeps exactly the non-owned stored
// fields, an RGD that declares an owned field keeps it, and a managedResources entry has exactly
// the schema's item fields.

import { describe, expect, it } from 'vitest';
import { buildStatusSchema, kroTsStatusFields, OWN_STATUS_FIELDS } from '../../crd/index.js';
import type { ManagedResourceEntry } from '../../runtime/index.js';
import { buildStatus } from './status-builder.js';

const entry: Required<ManagedResourceEntry> = {
  id: 'cm',
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'ns',
  name: 'a',
  state: 'SYNCED',
  reason: 'Ready',
  message: 'ok',
};

const input = {
  generation: 3,
  creationTimestamp: '2025-01-01T00:00:00Z',
  deleting: false,
  state: () => 'ACTIVE',
  conditions: [{ type: 'ResourcesReady', status: 'True', reason: 'AllResourcesReady' }] as const,
  managedResources: [entry],
};

describe('instance status shape', () => {
  it('the builder writes only fields of the status schema, beside the user fields', () => {
    const schema = buildStatusSchema({ type: 'object', properties: { url: { type: 'string' } } });
    const status = buildStatus({}, { ...input, userFields: { url: 'http://x' } });
    expect(Object.keys(status).sort()).toEqual(Object.keys(schema.properties ?? {}).sort());
    expect([...OWN_STATUS_FIELDS].sort()).toEqual([
      'conditions',
      'managedResources',
      'observedGeneration',
      'state',
    ]);
  });

  it('keeps stored user fields and replaces the owned ones', () => {
    const stored = { url: 'kept', state: 'OLD', observedGeneration: 1, managedResources: [], conditions: [] };
    const status = buildStatus(stored, input);
    expect(status['url']).toBe('kept');
    expect(status['state']).toBe('ACTIVE');
    expect(status['observedGeneration']).toBe(3);
    expect(status['managedResources']).toEqual([entry]);
  });

  it('an owned field the RGD declares belongs to the author', () => {
    const stored = { observedGeneration: 'author value' };
    const status = buildStatus(stored, { ...input, declared: ['observedGeneration'] });
    expect(status['observedGeneration']).toBe('author value');
    const schema = buildStatusSchema({
      type: 'object',
      properties: { observedGeneration: { type: 'string' } },
    });
    expect(schema.properties?.['observedGeneration']).toEqual({ type: 'string' });
  });

  it('a managedResources entry has exactly the fields of the schema items', () => {
    const items = kroTsStatusFields()['managedResources']?.items as { properties?: Record<string, unknown> };
    expect(Object.keys(entry).sort()).toEqual(Object.keys(items.properties ?? {}).sort());
  });
});

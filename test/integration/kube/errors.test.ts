// API errors from the real server arrive as typed errors that keep the server's message.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidError,
  isRetryable,
  NotFoundError,
} from '../../../src/kube/index.js';
import { createTestNamespace, getKube } from '../../harness/index.js';

let ns: string;
beforeAll(async () => {
  ns = await createTestNamespace('kube-errors');
});

describe('API errors', () => {
  it('404 → NotFoundError with the server message and target', async () => {
    const { resources } = await getKube();
    const e = await resources
      .get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'missing' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotFoundError);
    const nf = e as NotFoundError;
    expect(nf.status).toBe(404);
    expect(nf.reason).toBe('NotFound');
    expect(nf.message).toBe('configmaps "missing" not found');
    expect(nf.target).toMatchObject({
      verb: 'get',
      name: 'missing',
      namespace: ns,
      gvk: { kind: 'ConfigMap' },
    });
    expect(isRetryable(nf)).toBe(false);
  });

  it('409 on create → AlreadyExistsError; stale resourceVersion → ConflictError', async () => {
    const { resources } = await getKube();
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dup', namespace: ns },
      data: { a: '1' },
    };
    const first = await resources.create(cm);
    const e = await resources.create(cm).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AlreadyExistsError);
    expect((e as AlreadyExistsError).message).toBe('configmaps "dup" already exists');
    expect((e as AlreadyExistsError).status).toBe(409);

    await resources.replace({ ...first, data: { a: '2' } });
    const stale = await resources.replace({ ...first, data: { a: '3' } }).catch((x: unknown) => x);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).message).toContain('the object has been modified');
    expect(isRetryable(stale)).toBe(true);
  });

  it('422 → InvalidError with the field causes', async () => {
    const { resources } = await getKube();
    const e = await resources
      .apply(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: ns } },
        { fieldManager: 'kro-ts-test', force: true },
      )
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidError);
    const inv = e as InvalidError;
    expect(inv.status).toBe(422);
    expect(inv.message).toContain('ConfigMap "Bad_Name" is invalid');
    expect(inv.message).toContain('metadata.name');
    expect(inv.details).toMatchObject({ name: 'Bad_Name', kind: 'ConfigMap' });
    expect(isRetryable(inv)).toBe(false);

    const dep = await resources
      .apply(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'noselector', namespace: ns },
          spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
        },
        { fieldManager: 'kro-ts-test', force: true },
      )
      .catch((x: unknown) => x);
    expect(dep).toBeInstanceOf(InvalidError);
    expect((dep as InvalidError).message).toContain('spec.selector: Required value');
  });
});

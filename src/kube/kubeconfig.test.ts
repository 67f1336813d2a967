import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kubeconfig.js';

function kubeconfigFile(dir: string, file: string, server: string): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "' + server + '"}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: ctx, context: {cluster: c, user: u}}, {name: other, context: {cluster: c, user: u}}]',
      'current-context: ctx',
    ].join('\n'),
  );
  return path;
}

describe('loadKubeConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kro-ts-kc-'));
  const flag = kubeconfigFile(dir, 'flag', 'https://flag:6443');
  const env = kubeconfigFile(dir, 'env', 'https://env:6443');
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  kubeconfigFile(join(home, '.kube'), 'config', 'https://home:6443');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers the flag, then KUBECONFIG, then ~/.kube/config', async () => {
    const a = await loadKubeConfig({ kubeconfigPath: flag, env: { KUBECONFIG: env, HOME: home } });
    expect([a.origin, a.access.server]).toEqual(['flag', 'https://flag:6443']);
    const b = await loadKubeConfig({ env: { KUBECONFIG: env, HOME: home } });
    expect([b.origin, b.access.server]).toEqual(['env', 'https://env:6443']);
    const c = await loadKubeConfig({ env: { HOME: home } });
    expect([c.origin, c.access.server]).toEqual(['home', 'https://home:6443']);
  });

  it('does not leak the KUBECONFIG it was given into the process', async () => {
    const before = process.env.KUBECONFIG;
    await loadKubeConfig({ env: { KUBECONFIG: env } });
    expect(process.env.KUBECONFIG).toBe(before);
  });

  it('switches context on request', async () => {
    const r = await loadKubeConfig({ kubeconfigPath: flag, context: 'other' });
    expect(r.access.context).toBe('other');
  });

  it('says what to do when nothing is configured', async () => {
    await expect(loadKubeConfig({ env: { HOME: join(dir, 'nowhere') } })).rejects.toThrow(
      /no Kubernetes configuration found/,
    );
  });
});

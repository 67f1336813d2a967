// deploy/argocd/argocd-cm.yaml embeds the shipped Lua health scripts: keep them equal, and keep
// the keys Argo CD looks up (exact RGD key, wildcards for generated kinds).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (p: string) => readFileSync(new URL(`../deploy/argocd/${p}`, import.meta.url), 'utf8');

describe('deploy/argocd/argocd-cm.yaml', () => {
  const cm = parse(read('argocd-cm.yaml')) as { metadata: { name: string }; data: Record<string, string> };
  const custom = parse(cm.data['resource.customizations'] ?? '') as Record<string, { 'health.lua': string }>;

  it('is the argocd-cm ConfigMap with resource.customizations', () => {
    expect(cm.metadata.name).toBe('argocd-cm');
    expect(Object.keys(custom).sort()).toEqual([
      '*.kro.run/*',
      'kro.run/*',
      'kro.run/ResourceGraphDefinition',
    ]);
  });

  it('embeds health-rgd.lua and health-instance.lua unchanged', () => {
    expect(custom['kro.run/ResourceGraphDefinition']?.['health.lua']).toBe(read('health-rgd.lua'));
    expect(custom['kro.run/*']?.['health.lua']).toBe(read('health-instance.lua'));
    expect(custom['*.kro.run/*']?.['health.lua']).toBe(read('health-instance.lua'));
  });
});

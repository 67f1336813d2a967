import { describe, expect, it } from 'vitest';
import { findFieldDescriptors } from './field-descriptors.js';
import { formatPath, joinPaths } from './path.js';

describe('findFieldDescriptors', () => {
  const template = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: '${schema.spec.name}',
      labels: { 'app.kubernetes.io/name': 'x-${schema.spec.name}', '${notAKey}': 'plain' },
    },
    spec: {
      replicas: '${schema.spec.replicas}',
      template: {
        spec: {
          containers: [
            { name: 'c', image: '${schema.spec.image}:${schema.spec.tag}', ports: [{ containerPort: 80 }] },
          ],
        },
      },
    },
  };

  it('returns a descriptor per expression-holding string with both paths', () => {
    const r = findFieldDescriptors(template, { basePath: 'spec.resources[2].template', nodeId: 'deploy' });
    expect(r.issues).toEqual([]);
    expect(r.descriptors.map((d) => [d.path, d.relativePath, d.standalone, d.expressions])).toEqual([
      ['spec.resources[2].template.metadata.name', 'metadata.name', true, ['schema.spec.name']],
      [
        'spec.resources[2].template.metadata.labels["app.kubernetes.io/name"]',
        'metadata.labels["app.kubernetes.io/name"]',
        false,
        ['schema.spec.name'],
      ],
      ['spec.resources[2].template.spec.replicas', 'spec.replicas', true, ['schema.spec.replicas']],
      [
        'spec.resources[2].template.spec.template.spec.containers[0].image',
        'spec.template.spec.containers[0].image',
        false,
        ['schema.spec.image', 'schema.spec.tag'],
      ],
    ]);
    const image = r.descriptors[3];
    expect(image?.literalParts).toEqual(['', ':', '']);
    expect(image?.segments).toEqual(['spec', 'template', 'spec', 'containers', 0, 'image']);
  });

  it('walks lists of expressions (readyWhen) and reports syntax errors with paths', () => {
    const r = findFieldDescriptors(['${a.ready}', '${b', 'ok'], {
      basePath: 'spec.resources[0].readyWhen',
      nodeId: 'a',
    });
    expect(r.descriptors.map((d) => d.path)).toEqual(['spec.resources[0].readyWhen[0]']);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({
      path: 'spec.resources[0].readyWhen[1]',
      nodeId: 'a',
      code: 'UnterminatedExpression',
      expression: '${b',
      message: 'unterminated expression: "${" at offset 0 has no matching "}"',
    });
  });

  it('ignores non-string scalars and keys', () => {
    const r = findFieldDescriptors({ a: 1, b: true, c: null, '${k}': 2 }, { basePath: '' });
    expect(r.descriptors).toEqual([]);
  });
});

describe('paths', () => {
  it('formats indices and dotted keys like kro', () => {
    expect(formatPath(['spec', 'containers', 0, 'env', 1, 'value'])).toBe('spec.containers[0].env[1].value');
    expect(formatPath(['metadata', 'annotations', 'kro.run/x'])).toBe('metadata.annotations["kro.run/x"]');
    expect(formatPath(['a', ''])).toBe('a[""]');
    expect(joinPaths('spec.resources[0].template', 'spec.x')).toBe('spec.resources[0].template.spec.x');
    expect(joinPaths('spec.resources[0].readyWhen', '[1]')).toBe('spec.resources[0].readyWhen[1]');
    expect(joinPaths('', 'a')).toBe('a');
  });
});

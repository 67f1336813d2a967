import { describe, expect, it } from 'vitest';
import { formatIssue, formatIssues, issue } from './issue.js';

describe('formatIssue', () => {
  it('prefixes resource, path and expression the leaf does not already name', () => {
    const i = issue({
      code: 'Expression',
      path: 'spec.resources[0].template.data.colour',
      nodeId: 'config',
      expression: 'schema.spec.colour',
      message: "undefined field 'colour'",
    });
    expect(formatIssue(i)).toBe(
      'resource "config" at spec.resources[0].template.data.colour, expression "schema.spec.colour": ' +
        "undefined field 'colour'",
    );
  });

  it('does not repeat what the leaf already says', () => {
    const i = issue({
      code: 'TypeMismatch',
      path: 'spec.resources[0].template.spec.replicas',
      nodeId: 'deploy',
      expression: 'schema.spec.name',
      message:
        'type mismatch in resource "deploy" at path "spec.replicas": expression "schema.spec.name" returns type "string" but expected "int"',
    });
    expect(formatIssue(i)).toBe(`spec.resources[0].template.spec.replicas: ${i.message}`);
  });

  it('keeps RGD-wide messages as they are and joins several issues by line', () => {
    const a = issue({
      code: 'Cycle',
      path: '',
      message: 'failed to build dependency graph: graph contains a cycle: a -> b -> a',
    });
    const b = issue({
      code: 'SimpleSchema',
      path: 'spec.schema.spec.x',
      message: 'field x: unknown type: Foo',
    });
    expect(formatIssues([a, b])).toBe(`${a.message}\nspec.schema.spec.x: field x: unknown type: Foo`);
  });
});

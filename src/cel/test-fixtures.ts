// Shared fixtures for the cel unit tests: OpenAPI schemas read from testdata/ and a compile
// helper that fails loudly, so each test states only what it checks.
import { readFileSync } from 'node:fs';
import type { OpenApiSchema } from '../api/openapi.js';
import { type CompiledExpression, compileExpression } from './compile.js';

export const schemas = JSON.parse(
  readFileSync(new URL('./testdata/schemas.json', import.meta.url), 'utf8'),
) as { schema: OpenApiSchema; deployment: OpenApiSchema };

export const defaultVariables = {
  schema: { schema: schemas.schema },
  deployment: { schema: schemas.deployment },
};

export function compile(
  expression: string,
  variables: Record<string, { schema: OpenApiSchema }> = defaultVariables,
): CompiledExpression {
  const r = compileExpression(expression, { variables });
  if (!r.ok) throw new Error(`compile failed for ${expression}: ${r.error.message}`);
  return r.value;
}

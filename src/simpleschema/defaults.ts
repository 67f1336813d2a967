// The `default` marker: the literal is read according to the field's resolved OpenAPI type
// (spec 02 §6.2). Stricter than kro where kro emitted invalid JSON or a value of the wrong type:
// string defaults are JSON-escaped, booleans must be exactly `true`/`false`, numbers must be finite,
// and structured defaults must be JSON of the matching shape.

import type { JsonValue } from '../lib/json.js';
import { isPlainObject } from '../lib/json.js';
import type { Result } from '../lib/result.js';
import { err, ok } from '../lib/result.js';
import type { OpenApiSchema } from '../api/openapi.js';
import { parseGoFloat, parseGoInt } from '../lib/go-strconv.js';

export function parseDefault(schema: OpenApiSchema, value: string): Result<JsonValue, string> {
  switch (schema.type) {
    case 'string':
      return ok(value);
    case 'integer': {
      const parsed = parseGoInt(value);
      // A JS number holds integers exactly only up to 2^53; refusing beats silently rounding.
      if (
        !parsed.ok ||
        parsed.value > BigInt(Number.MAX_SAFE_INTEGER) ||
        parsed.value < BigInt(Number.MIN_SAFE_INTEGER)
      ) {
        return err(`default value must be a valid integer, got: ${value}`);
      }
      return ok(Number(parsed.value));
    }
    case 'number': {
      const parsed = parseGoFloat(value);
      if (!parsed.ok || !Number.isFinite(parsed.value)) {
        return err(`default value must be a valid number, got: ${value}`);
      }
      return ok(parsed.value);
    }
    case 'boolean':
      if (value === 'true') return ok(true);
      if (value === 'false') return ok(false);
      return err(`default value must be a valid boolean, got: ${value}`);
    default:
      return parseStructuredDefault(schema, value);
  }
}

function parseStructuredDefault(schema: OpenApiSchema, value: string): Result<JsonValue, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return err(`default value must be valid JSON, got: ${value}`);
  }
  if (schema.type === 'array' && !Array.isArray(parsed)) {
    return err(`default value must be a JSON array, got: ${value}`);
  }
  if (schema.type === 'object' && !isPlainObject(parsed)) {
    return err(`default value must be a JSON object, got: ${value}`);
  }
  return ok(parsed as JsonValue);
}

// OpenAPI schemas → cel-js declarations for type checking. Object schemas with `properties`
// become named object types (so a misspelled field is a type error and `x.?f` skips the check);
// `additionalProperties` → map(string, V); arrays → list(T); preserve-unknown, int-or-string,
// plain objects and missing schemas → dyn.
//
// Names follow kro's DeclType naming so messages read the same: `__type_<variable>` for a root,
// `<parent>.<field>` for a field, `<parent>.@idx` for list items and `<parent>.@elem` for map
// values. A schema object reached twice (shared or recursive schemas) is declared once, under the
// first name it was reached by, which keeps the walk finite and the name deterministic.
import type { Environment } from '@marcbachmann/cel-js';
import type { OpenApiSchema } from '../api/openapi.js';
import { hasProperties, isPreserveUnknown, rememberObjectName, schemaKind } from './schema-types.js';
import { schemaFingerprint } from './fingerprint.js';
import { declareObjectTypes } from './registry-access.js';

export interface DeclaredObjects {
  /** cel-js type name of each declared object type → the schema it came from. */
  readonly objects: Map<string, OpenApiSchema>;
}

interface PendingType {
  readonly name: string;
  readonly fields: Record<string, string>;
}

export class TypeDeclarer implements DeclaredObjects {
  readonly objects = new Map<string, OpenApiSchema>();
  readonly #names = new Map<OpenApiSchema, string>();
  readonly #byFingerprint = new Map<string, string>();
  readonly #pending: PendingType[] = [];

  /** The cel-js type string of a variable declared with `schema`; registers object types. */
  variableType(variable: string, schema: OpenApiSchema | undefined): string {
    return this.#typeOf(schema, `__type_${variable}`);
  }

  /** Registers every object type collected so far; call before registering variables. */
  registerTypes(env: Environment): void {
    const types = new Map(this.#pending.splice(0).map((t) => [t.name, t.fields]));
    declareObjectTypes(env, types);
  }

  #typeOf(schema: OpenApiSchema | undefined, path: string): string {
    if (!schema || isPreserveUnknown(schema) || schema['x-kubernetes-int-or-string']) return 'dyn';
    switch (schemaKind(schema)) {
      case 'object':
        if (hasProperties(schema)) return this.#objectType(schema, path);
        if (schema.additionalProperties === true) return 'map<string, dyn>';
        if (typeof schema.additionalProperties === 'object') {
          return `map<string, ${this.#typeOf(schema.additionalProperties, `${path}.@elem`)}>`;
        }
        return 'dyn';
      case 'array':
        return `list<${this.#typeOf(schema.items, `${path}.@idx`)}>`;
      case 'string':
        return stringType(schema.format);
      case 'integer':
        return 'int';
      case 'number':
        return 'double';
      case 'boolean':
        return 'bool';
      default:
        return 'dyn';
    }
  }

  #objectType(schema: OpenApiSchema, path: string): string {
    const existing = this.#names.get(schema);
    if (existing !== undefined) return existing;
    // Structurally equal copies (resolvers may hand out fresh objects) share one type.
    const fingerprint = schemaFingerprint(schema);
    const same = this.#byFingerprint.get(fingerprint);
    if (same !== undefined) {
      this.#names.set(schema, same);
      return same;
    }
    const name = this.#uniqueName(path);
    this.#names.set(schema, name);
    this.#byFingerprint.set(fingerprint, name);
    this.objects.set(name, schema);
    rememberObjectName(schema, name);
    // Null prototype: a property literally named `__proto__` must stay an ordinary field.
    const fields = Object.create(null) as Record<string, string>;
    for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
      fields[field] = this.#typeOf(fieldSchema, `${name}.${field}`);
    }
    this.#pending.push({ name, fields });
    return name;
  }

  // cel-js parses type names inside signatures such as `type(<name>): type` and `list<<name>>`,
  // so characters meaningful there are replaced; collisions get a numeric suffix.
  #uniqueName(path: string): string {
    const base = path.replace(/[\s,<>()]/g, '_');
    let name = base;
    for (let i = 2; this.objects.has(name); i++) name = `${base}#${i}`;
    return name;
  }
}

function stringType(format: string | undefined): string {
  switch (format) {
    case 'byte':
      return 'bytes';
    case 'date-time':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    default:
      return 'string';
  }
}

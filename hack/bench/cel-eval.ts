// Micro-benchmark of the CEL core: evaluations per second of typical kro expressions, and the
// cost of compiling an RGD-sized set of expressions (environment creation with typed schemas).
// Run: npx tsx hack/bench/cel-eval.ts
import type { OpenApiSchema } from '../../src/api/openapi.js';
import { compileExpression, toCel } from '../../src/cel/index.js';

const str: OpenApiSchema = { type: 'string' };
const int: OpenApiSchema = { type: 'integer' };

const instanceSchema: OpenApiSchema = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: str, namespace: str } },
    spec: {
      type: 'object',
      properties: {
        name: str,
        replicas: int,
        ingress: { type: 'object', properties: { enabled: { type: 'boolean' }, host: str } },
      },
    },
  },
};
const condition: OpenApiSchema = {
  type: 'object',
  properties: { type: str, status: str, reason: str, message: str },
};
const deploymentSchema: OpenApiSchema = {
  type: 'object',
  properties: {
    status: {
      type: 'object',
      properties: { availableReplicas: int, conditions: { type: 'array', items: condition } },
    },
  },
};

const variables = { schema: { schema: instanceSchema }, deployment: { schema: deploymentSchema } };
const activation = {
  schema: toCel(
    {
      metadata: { name: 'app', namespace: 'default' },
      spec: { name: 'web', replicas: 3, ingress: { enabled: true, host: 'example.com' } },
    },
    instanceSchema,
  ),
  deployment: toCel(
    {
      status: {
        availableReplicas: 3,
        conditions: [
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: '' },
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: '' },
        ],
      },
    },
    deploymentSchema,
  ),
};

const expressions = [
  'schema.spec.replicas',
  'schema.metadata.name + "-" + schema.spec.name + "-svc"',
  'deployment.status.conditions.filter(c, c.type == "Available" && c.status == "True").size() > 0',
  'has(schema.spec.ingress) && has(schema.spec.ingress.host)',
  'deployment.status.?availableReplicas.orValue(0) >= schema.spec.replicas',
];

function measure(fn: () => void, ms = 400): number {
  for (let i = 0; i < 1_000; i++) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

console.log('evaluations per second (budget on, 100ms):');
for (const e of expressions) {
  const r = compileExpression(e, { variables });
  if (!r.ok) throw new Error(r.error.message);
  const c = r.value;
  const ops = measure(() => c.evaluate(activation));
  console.log(`  ${Math.round(ops).toLocaleString('en-US').padStart(12)}  ${e}`);
}

// A resource schema the size of a real kind: `breadth` object fields per level, `depth` levels
// (breadth=4, depth=4 gives 341 object types, about a Deployment's PodTemplateSpec).
function syntheticSchema(kind: number, breadth: number, depth: number): OpenApiSchema {
  const properties: Record<string, OpenApiSchema> = { name: str, count: int };
  if (depth > 0) {
    for (let i = 0; i < breadth; i++) {
      const child = syntheticSchema(kind, breadth, depth - 1);
      properties[`f${kind}_${i}`] = i % 2 === 0 ? child : { type: 'array', items: child };
    }
  }
  return { type: 'object', properties };
}

function compileRgd(resources: number, kinds: number, copies: boolean): void {
  const kindSchemas = Array.from({ length: kinds }, (_, k) => syntheticSchema(k, 4, 4));
  const vars: Record<string, { schema: OpenApiSchema }> = { schema: { schema: instanceSchema } };
  for (let i = 0; i < resources; i++) {
    const s = kindSchemas[i % kinds] as OpenApiSchema;
    // `copies`: every resource gets its own structurally equal schema object.
    vars[`r${i}`] = { schema: copies ? structuredClone(s) : s };
  }
  let start = performance.now();
  let first = 0;
  for (let i = 0; i < resources; i++) {
    const prev = i === 0 ? 'schema.spec.name' : `r${i - 1}.name`;
    const r = compileExpression(`${prev} + "-" + string(schema.spec.replicas)`, { variables: vars });
    if (!r.ok) throw new Error(r.error.message);
    if (i === 0) first = performance.now() - start;
  }
  const all = performance.now() - start;
  start = performance.now();
  for (let i = 0; i < resources; i++) {
    const own = { [`r${i}`]: { schema: kindSchemas[i % kinds] as OpenApiSchema } };
    const r = compileExpression(`r${i}.count > 0`, { variables: own });
    if (!r.ok) throw new Error(r.error.message);
  }
  const ready = performance.now() - start;
  console.log(
    `  ${resources} resources, ${kinds} kinds (~341 object types each${copies ? ', copied' : ''}): ` +
      `${resources} template expressions over all ids ${all.toFixed(0)} ms ` +
      `(first, building the environment: ${first.toFixed(0)} ms), ` +
      `${resources} readyWhen expressions (own id) ${ready.toFixed(0)} ms`,
  );
}

console.log('compile time for an RGD (first compile builds and caches the environment):');
compileRgd(200, 10, false);
compileRgd(200, 40, false);
compileRgd(200, 10, true);

// Side-by-side benchmark of kro (v0.9.4, built from its Go module by hack/kro/build.sh) and kro-ts
// (built from src/ like the e2e tier), each against a fresh local control plane per run, plus a
// "floor": a plain loop that server-side-applies the same objects and patches the same instance
// status with the same concurrency, with no operator at all.
//
//   npx tsx hack/bench/vs-kro.ts [--instances 1000] [--chain-instances 100] [--runs 1]
//       [--cases three,chain] [--controllers kro,kro-tuned,kro-ts,floor]
//       [--idle-seconds 60] [--settle-seconds 15] [--create-concurrency 20] [--floor-workers 8]
//       [--kro-ts-node-options '--max-semi-space-size=2']
//
// Cases: `three` (N instances of an RGD of 3 ConfigMaps) and `chain` (instances of a 10-deep chain
// of ConfigMaps, each reading the one before). Controllers: kro at its defaults, kro "tuned" (8
// workers, no client throttling, no queue rate limit), kro-ts at its defaults, and the floor. The
// order of the controllers rotates from run to run, so kro and kro-ts alternate.
//
// Per run: time from the first create to all instances Ready (seen by a watch); the controller's
// peak RSS (VmHWM) and CPU seconds (utime+stime of /proc/<pid>/stat, from its start to the end of
// the settle window); API requests and writes (POST/PUT/PATCH/DELETE/APPLY) per instance up to all
// Ready, from the delta of kube-apiserver's apiserver_request_total (the bench's own instance
// creates and lease heartbeats subtracted); Event writes per instance; writes in the settle window
// after the last Ready; writes in the idle window that follows. One markdown table at the end.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Kube, KubeObject } from '../../src/kube/index.js';
import { connectKube, ensureCrd, Informer } from '../../src/kube/index.js';
import { buildDist, freePort } from '../../test/e2e/lib/operator-process.js';
import { repoRoot } from '../../test/e2e/lib/paths.js';
import { kroBinDir, kroCrdFiles, kroTsCrdFiles } from '../../test/differential/lib/processes.js';
import { delta, requestCounts } from './lib/apiserver-metrics.js';

const GROUP = 'bench.kro-ts.test';
const KIND = 'VsApp';
const PLURAL = 'vsapps';
const NS = 'bench';
const WRITE_VERBS = new Set([
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'DELETECOLLECTION',
  'APPLY',
  'CREATE',
  'UPDATE',
]);

type CaseName = 'three' | 'chain';
type ControllerName = 'kro' | 'kro-tuned' | 'kro-ts' | 'floor';
const CASES: readonly CaseName[] = ['three', 'chain'];
const CONTROLLERS: readonly ControllerName[] = ['kro', 'kro-tuned', 'kro-ts', 'floor'];

interface Args {
  instances: number;
  chainInstances: number;
  runs: number;
  cases: CaseName[];
  controllers: ControllerName[];
  idleSeconds: number;
  settleSeconds: number;
  createConcurrency: number;
  floorWorkers: number;
  /** NODE_OPTIONS for the kro-ts process only (V8 heap flags, to compare memory settings). */
  kroTsNodeOptions: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    instances: 1000,
    chainInstances: 100,
    runs: 1,
    cases: [...CASES],
    controllers: [...CONTROLLERS],
    idleSeconds: 60,
    settleSeconds: 15,
    createConcurrency: 20,
    floorWorkers: 8,
    kroTsNodeOptions: undefined,
  };
  const num = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min)
      throw new Error(`${flag}: want an integer >= ${min}, got ${String(v)}`);
    return n;
  };
  const list = <T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T[] => {
    const items = (v ?? '').split(',').filter((x) => x !== '');
    const bad = items.filter((x) => !allowed.includes(x as T));
    if (items.length === 0 || bad.length > 0)
      throw new Error(`${flag}: want a comma-separated subset of ${allowed.join(',')}, got ${String(v)}`);
    return items as T[];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${readFileSync(new URL(import.meta.url), 'utf8').split('\n\n')[0] ?? ''}\n`);
      process.exit(0);
    }
    const eq = a.indexOf('=');
    const flag = eq >= 0 ? a.slice(0, eq) : a;
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (flag === '--instances') args.instances = num(flag, value, 1);
    else if (flag === '--chain-instances') args.chainInstances = num(flag, value, 1);
    else if (flag === '--runs') args.runs = num(flag, value, 1);
    else if (flag === '--cases') args.cases = list(flag, value, CASES);
    else if (flag === '--controllers') args.controllers = list(flag, value, CONTROLLERS);
    else if (flag === '--idle-seconds') args.idleSeconds = num(flag, value, 0);
    else if (flag === '--settle-seconds') args.settleSeconds = num(flag, value, 0);
    else if (flag === '--create-concurrency') args.createConcurrency = num(flag, value, 1);
    else if (flag === '--floor-workers') args.floorWorkers = num(flag, value, 1);
    else if (flag === '--kro-ts-node-options') args.kroTsNodeOptions = value ?? '';
    else throw new Error(`unknown flag ${flag} (see --help)`);
  }
  return args;
}

const log = (msg: string): void => void process.stderr.write(`[vs-kro ${new Date().toISOString()}] ${msg}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

// ---------------------------------------------------------------------------------------------
// The cases: an RGD, and the same objects rendered by hand for the floor.

interface Case {
  readonly name: CaseName;
  readonly label: string;
  readonly instances: number;
  readonly rgd: KubeObject;
  /** The children of one instance, in dependency order (what the floor applies). */
  children(name: string, value: string): KubeObject[];
}

const cm = (name: string, value: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data: { value } }) as KubeObject;

function rgdOf(resources: { id: string; name: string; value: string }[], status: string): KubeObject {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'vs-app' },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        group: GROUP,
        kind: KIND,
        spec: { value: 'string' },
        status: { value: status },
      },
      resources: resources.map((r) => ({
        id: r.id,
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: r.name },
          data: { value: r.value },
        },
      })),
    },
  } as KubeObject;
}

function threeCase(instances: number): Case {
  const ids = ['a', 'b', 'c'];
  return {
    name: 'three',
    label: `${instances} instances × 3 ConfigMaps`,
    instances,
    rgd: rgdOf(
      ids.map((id) => ({ id, name: `\${schema.metadata.name}-${id}`, value: '${schema.spec.value}' })),
      '${c.data.value}',
    ),
    children: (name, value) => ids.map((id) => cm(`${name}-${id}`, value)),
  };
}

function chainCase(instances: number): Case {
  const depth = 10;
  const ids = Array.from({ length: depth }, (_, i) => `c${i}`);
  return {
    name: 'chain',
    label: `${instances} instances of a ${depth}-deep chain`,
    instances,
    rgd: rgdOf(
      ids.map((id, i) => ({
        id,
        name: `\${schema.metadata.name}-${id}`,
        value: i === 0 ? '${schema.spec.value}' : `\${c${i - 1}.data.value}`,
      })),
      `\${c${depth - 1}.data.value}`,
    ),
    children: (name, value) => ids.map((id) => cm(`${name}-${id}`, value)),
  };
}

/** The instance CRD of the floor (kro and kro-ts generate theirs from the RGD). */
const floorCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${PLURAL}.${GROUP}` },
  spec: {
    group: GROUP,
    names: { kind: KIND, plural: PLURAL, singular: KIND.toLowerCase(), listKind: `${KIND}List` },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { value: { type: 'string' } } },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
} as KubeObject;

// ---------------------------------------------------------------------------------------------
// Processes: the control plane and the controllers.

interface Cluster {
  readonly dir: string;
  readonly kubeconfig: string;
  down(): void;
}

function clusterUp(): Cluster {
  const dir = mkdtempSync(join(tmpdir(), 'kro-ts-vs-kro-'));
  const r = spawnSync('bash', [join(repoRoot, 'hack', 'local-cluster.sh'), 'up', '--dir', dir, '--no-kcm'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kubeconfig = r.stdout.trim().split('\n').at(-1) ?? '';
  let isDown = false;
  const down = (): void => {
    if (isDown) return;
    isDown = true;
    spawnSync('bash', [join(repoRoot, 'hack', 'local-cluster.sh'), 'down', '--dir', dir], {
      stdio: 'ignore',
    });
  };
  if (r.status !== 0 || !kubeconfig) {
    down();
    throw new Error(`local-cluster.sh up failed (exit ${String(r.status)}):\n${r.stderr}`);
  }
  return { dir, kubeconfig, down };
}

interface Controller {
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<never>;
  stop(): Promise<void>;
}

interface ProcessSpec {
  readonly name: string;
  readonly cmd: string;
  readonly argv: string[];
  readonly probePort: number;
  readonly env?: NodeJS.ProcessEnv;
}

async function startProcess({
  name,
  cmd,
  argv,
  probePort,
  env = process.env,
}: ProcessSpec): Promise<Controller> {
  const logDir = join(repoRoot, '.cache', 'bench');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `vs-kro-${name}-${process.pid}-${Date.now()}.log`);
  const file = createWriteStream(logFile);
  const child: ChildProcess = spawn(cmd, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout?.pipe(file);
  child.stderr?.pipe(file);
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = gone.then(() => {
    throw new Error(`${name} exited (${String(child.exitCode ?? child.signalCode)}); log ${logFile}`);
  });
  void exited.catch(() => undefined);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited ${child.exitCode} before ready; log ${logFile}`);
    try {
      if ((await fetch(`http://127.0.0.1:${probePort}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready after 120s; log ${logFile}`);
    }
    await sleep(200);
  }
  return {
    pid: child.pid ?? 0,
    logFile,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(t);
      file.end();
    },
  };
}

let kroBin: string | undefined;
let dist: ReturnType<typeof buildDist> | undefined;

async function startController(
  which: ControllerName,
  kubeconfig: string,
  kroTsNodeOptions: string | undefined,
): Promise<Controller> {
  const [metrics, probe] = [await freePort(), await freePort()];
  if (which === 'kro' || which === 'kro-tuned') {
    kroBin ??= kroBinDir();
    const tuned =
      which === 'kro-tuned'
        ? [
            '--dynamic-controller-concurrent-reconciles=8',
            '--client-qps=100000',
            '--client-burst=100000',
            '--dynamic-controller-rate-limiter-rate-limit=100000',
            '--dynamic-controller-rate-limiter-burst-limit=100000',
          ]
        : [];
    return startProcess({
      name: which,
      cmd: join(kroBin, 'controller'),
      argv: [
        '--kubeconfig',
        kubeconfig,
        '--leader-elect=false',
        `--metrics-bind-address=127.0.0.1:${metrics}`,
        `--health-probe-bind-address=127.0.0.1:${probe}`,
        ...tuned,
      ],
      probePort: probe,
    });
  }
  dist ??= buildDist();
  return startProcess({
    name: which,
    cmd: process.execPath,
    argv: [
      join(dist.dist, 'main.js'),
      '--kubeconfig',
      kubeconfig,
      '--leader-elect=false',
      `--metrics-bind-address=127.0.0.1:${metrics}`,
      `--health-probe-bind-address=127.0.0.1:${probe}`,
    ],
    probePort: probe,
    env: {
      ...process.env,
      POD_NAME: 'kro-ts-bench',
      ...(kroTsNodeOptions !== undefined ? { NODE_OPTIONS: kroTsNodeOptions } : {}),
    },
  });
}

/** utime+stime of a process, in seconds. */
function cpuSeconds(pid: number, ticks: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  } catch {
    return NaN;
  }
}

function peakRssMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const clockTicks = (): number => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
};

// ---------------------------------------------------------------------------------------------
// One run.

interface Figures {
  readySeconds: number;
  rssMiB: number;
  cpuSeconds: number;
  requestsPerInstance: number;
  writesPerInstance: number;
  eventWritesPerInstance: number;
  writesAfterReady: number;
  idleWrites: number;
  /** Requests to Ready by VERB|resource, for the log. */
  byKey: Record<string, number>;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Not the controller's: the bench's own instance creates, lease heartbeats, non-resource paths. */
function controllerShare(d: Map<string, number>, creates: number): Map<string, number> {
  const out = new Map(d);
  const key = `POST|${PLURAL}`;
  out.set(key, (out.get(key) ?? 0) - creates);
  if ((out.get(key) ?? 0) <= 0) out.delete(key);
  for (const k of [...out.keys()]) {
    const resource = k.split('|')[1] ?? '';
    if (resource === 'leases' || resource === '' || resource.startsWith('/')) out.delete(k);
  }
  return out;
}

const sum = (m: Map<string, number>, pred: (verb: string, resource: string) => boolean): number =>
  [...m].reduce((a, [k, v]) => {
    const [verb = '', resource = ''] = k.split('|');
    return pred(verb, resource) ? a + v : a;
  }, 0);
const isWrite = (verb: string): boolean => WRITE_VERBS.has(verb);

/** The floor: workers take created instances, apply their children in order, patch the status. */
interface FloorSpec {
  readonly kube: Kube;
  readonly c: Case;
  readonly queue: string[];
  readonly done: () => boolean;
  readonly workers: number;
}

function floorWorkers({ kube, c, queue, done, workers }: FloorSpec): Promise<void> {
  const worker = async (): Promise<void> => {
    for (;;) {
      const name = queue.shift();
      if (name === undefined) {
        if (done()) return;
        await sleep(5);
        continue;
      }
      const value = `v-${name}`;
      for (const child of c.children(name, value))
        await kube.resources.apply(child, { fieldManager: 'vs-kro-floor', force: true });
      await kube.resources.mergePatchStatus(
        { apiVersion: `${GROUP}/v1alpha1`, kind: KIND, name, namespace: NS },
        {
          status: {
            value,
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'Ready',
                message: '',
                lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
              },
            ],
          },
        },
      );
    }
  };
  return Promise.all(Array.from({ length: workers }, worker)).then(() => undefined);
}

async function runOne(args: Args, c: Case, which: ControllerName, ticks: number): Promise<Figures> {
  log(`${c.name} / ${which}: starting a local control plane (load ${load()})`);
  const cluster = clusterUp();
  const kube = await connectKube({ kubeconfigPath: cluster.kubeconfig, userAgent: 'kro-ts-vs-kro', qps: 0 });
  let controller: Controller | undefined;
  let informer: Informer | undefined;
  try {
    const crdFiles =
      which === 'kro-ts' ? kroTsCrdFiles() : which === 'floor' ? [] : kroCrdFiles(kroBin ?? kroBinDir());
    for (const f of crdFiles) {
      await ensureCrd(kube.resources, parse(readFileSync(f, 'utf8')) as KubeObject, { timeoutMs: 60_000 });
    }
    await kube.resources.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    let exited: Promise<never> = new Promise<never>(() => undefined);
    if (which === 'floor') {
      await ensureCrd(kube.resources, floorCrd, { timeoutMs: 60_000 });
    } else {
      controller = await startController(which, cluster.kubeconfig, args.kroTsNodeOptions);
      exited = controller.exited;
      await kube.resources.create(c.rgd);
      await Promise.race([
        exited,
        waitFor(
          'RGD Active',
          async () => {
            const r = await kube.resources.get({
              apiVersion: 'kro.run/v1alpha1',
              kind: 'ResourceGraphDefinition',
              name: 'vs-app',
            });
            return (r['status'] as { state?: string } | undefined)?.state === 'Active' ? true : undefined;
          },
          180_000,
        ),
      ]);
      // The instance CRD is served once the RGD is Active; wait until it is discoverable.
      await waitFor(
        'instance CRD served',
        async () => {
          await kube.resources.list({
            apiVersion: `${GROUP}/v1alpha1`,
            kind: KIND,
            namespace: NS,
            pageSize: 1,
          });
          return true;
        },
        60_000,
      );
    }
    const ready = new Set<string>();
    informer = new Informer(kube.resources, {
      target: { group: GROUP, version: 'v1alpha1', resource: PLURAL },
      namespace: NS,
    });
    let lastReady = 0;
    const seen = (obj: KubeObject): void => {
      const name = obj.metadata.name ?? '';
      if (ready.has(name)) return;
      const conds = (obj['status'] as { conditions?: { type: string; status: string }[] } | undefined)
        ?.conditions;
      if (conds?.some((x) => x.type === 'Ready' && x.status === 'True')) {
        ready.add(name);
        lastReady = performance.now();
      }
    };
    informer.addHandlers({ onAdd: seen, onUpdate: (_old, obj) => seen(obj) });
    informer.start();
    await informer.waitForSync();

    const before = await requestCounts(kube);
    const cpuBefore = controller ? cpuSeconds(controller.pid, ticks) : NaN;
    const start = performance.now();
    const queue: string[] = [];
    let created = 0;
    let next = 0;
    const creator = async (): Promise<void> => {
      while (next < c.instances) {
        const i = next++;
        const name = `app-${String(i).padStart(5, '0')}`;
        await kube.resources.create({
          apiVersion: `${GROUP}/v1alpha1`,
          kind: KIND,
          metadata: { name, namespace: NS },
          spec: { value: `v-${name}` },
        } as KubeObject);
        created++;
        queue.push(name);
      }
    };
    const creating = Promise.all(Array.from({ length: args.createConcurrency }, creator));
    const floor =
      which === 'floor'
        ? floorWorkers({ kube, c, queue, done: () => created >= c.instances, workers: args.floorWorkers })
        : Promise.resolve();
    const progress = setInterval(
      () =>
        log(
          `${c.name} / ${which}: created ${created}/${c.instances}, ready ${ready.size}` +
            (controller ? `, RSS peak ${peakRssMiB(controller.pid).toFixed(0)} MiB` : ''),
        ),
      10_000,
    );
    try {
      await Promise.race([creating, exited]);
      await Promise.race([
        floor,
        exited,
        waitFor(
          'all instances Ready',
          async () => (ready.size >= c.instances ? true : undefined),
          60 * 60_000,
        ),
      ]);
      await Promise.race([
        exited,
        waitFor(
          'all instances Ready',
          async () => (ready.size >= c.instances ? true : undefined),
          60 * 60_000,
        ),
      ]);
    } finally {
      clearInterval(progress);
    }
    const readySeconds = (lastReady - start) / 1000;
    const atReady = await requestCounts(kube);
    log(
      `${c.name} / ${which}: all ${c.instances} Ready after ${readySeconds.toFixed(1)}s; settling ${args.settleSeconds}s`,
    );
    await Promise.race([exited, sleep(args.settleSeconds * 1000)]);
    const settled = await requestCounts(kube);
    const cpu = controller ? cpuSeconds(controller.pid, ticks) - cpuBefore : NaN;
    if (args.idleSeconds > 0) log(`${c.name} / ${which}: idle ${args.idleSeconds}s`);
    await Promise.race([exited, sleep(args.idleSeconds * 1000)]);
    const idle = await requestCounts(kube);
    const rss = controller ? peakRssMiB(controller.pid) : NaN;

    const toReady = controllerShare(delta(atReady, before), c.instances);
    const toSettled = controllerShare(delta(settled, before), c.instances);
    const n = c.instances;
    return {
      readySeconds,
      rssMiB: rss,
      cpuSeconds: cpu,
      requestsPerInstance: sum(toReady, () => true) / n,
      writesPerInstance: sum(toReady, isWrite) / n,
      eventWritesPerInstance: sum(toSettled, (v, r) => isWrite(v) && r === 'events') / n,
      writesAfterReady: sum(controllerShare(delta(settled, atReady), 0), isWrite),
      idleWrites: sum(controllerShare(delta(idle, settled), 0), isWrite),
      byKey: Object.fromEntries([...toReady].sort()),
    };
  } finally {
    await informer?.stop();
    await controller?.stop();
    kube.close();
    cluster.down();
  }
}

// ---------------------------------------------------------------------------------------------
// The table.

const median = (xs: number[]): number => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 100 || Number.isInteger(x)) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

const METRICS: { key: keyof Omit<Figures, 'byKey'>; label: string }[] = [
  { key: 'readySeconds', label: 'first create → all Ready (s)' },
  { key: 'rssMiB', label: 'operator peak RSS (MiB)' },
  { key: 'cpuSeconds', label: 'operator CPU to Ready + settle (s)' },
  { key: 'requestsPerInstance', label: 'API requests / instance to Ready' },
  { key: 'writesPerInstance', label: 'writes / instance to Ready (Events included)' },
  { key: 'eventWritesPerInstance', label: 'Event writes / instance' },
  { key: 'writesAfterReady', label: 'writes after the last Ready (settle window)' },
  { key: 'idleWrites', label: 'writes in the idle window' },
];

function table(args: Args, cases: Case[], results: Map<string, (Figures | Error)[]>): string {
  const cell = (
    c: Case,
    w: ControllerName,
    k: keyof Omit<Figures, 'byKey'>,
  ): { text: string; med: number } => {
    const rs = results.get(`${c.name}/${w}`) ?? [];
    if (rs.length === 0) return { text: '', med: NaN };
    const vals = rs.map((r) => (r instanceof Error ? NaN : r[k]));
    return {
      text: rs.map((r) => (r instanceof Error ? 'failed' : fmt(r[k]))).join(', '),
      med: median(vals),
    };
  };
  const lines = [
    `| case | metric | kro | kro tuned | kro-ts | kro-ts / kro | kro-ts / kro tuned | floor |`,
    `|---|---|---|---|---|---|---|---|`,
  ];
  for (const c of cases) {
    for (const m of METRICS) {
      const [kro, tuned, ts, floor] = (['kro', 'kro-tuned', 'kro-ts', 'floor'] as const).map((w) =>
        cell(c, w, m.key),
      );
      const ratio = (a: number, b: number): string =>
        Number.isFinite(a / b) && b !== 0 ? (a / b).toFixed(2) : '—';
      lines.push(
        `| ${c.label} | ${m.label.replace('idle window', `idle window (${args.idleSeconds} s)`).replace('settle window', `${args.settleSeconds} s`)} | ${kro?.text ?? ''} | ${tuned?.text ?? ''} | ${ts?.text ?? ''} | ${ratio(ts?.med ?? NaN, kro?.med ?? NaN)} | ${ratio(ts?.med ?? NaN, tuned?.med ?? NaN)} | ${floor?.text ?? ''} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const ticks = clockTicks();
  const loadStart = load();
  log(`load average at start: ${loadStart}`);
  const cases = args.cases.map((n) =>
    n === 'three' ? threeCase(args.instances) : chainCase(args.chainInstances),
  );
  const results = new Map<string, (Figures | Error)[]>();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  try {
    for (let run = 0; run < args.runs; run++) {
      for (const c of cases) {
        // Rotate the order each run, so kro and kro-ts alternate in who goes first.
        const order = args.controllers.map(
          (_, i) => args.controllers[(i + run) % args.controllers.length] as ControllerName,
        );
        for (const which of order) {
          let r: Figures | Error;
          try {
            r = await runOne(args, c, which, ticks);
            log(`${c.name} / ${which} run ${run + 1}: ${JSON.stringify(r)}`);
          } catch (e) {
            r = e instanceof Error ? e : new Error(String(e));
            log(`${c.name} / ${which} run ${run + 1} failed: ${r.message}`);
          }
          const key = `${c.name}/${which}`;
          results.set(key, [...(results.get(key) ?? []), r]);
        }
      }
    }
  } finally {
    dist?.remove();
  }
  const loadEnd = load();
  process.stdout.write(
    `\n${table(args, cases, results)}\n\nruns: ${args.runs}; load average (1, 5, 15 min) at start ${loadStart}, at end ${loadEnd}; ${args.controllers.join(', ')}; kro-ts = src/ at its defaults${args.kroTsNodeOptions !== undefined ? ` (NODE_OPTIONS=${args.kroTsNodeOptions})` : ''}; kro tuned = 8 workers, --client-qps/--client-burst=100000, queue rate limit 100000; floor = ${args.floorWorkers} workers, no operator\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`vs-kro failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

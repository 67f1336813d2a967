import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, namedLogger, redactSecrets, type LoggerConfig } from './logger.js';

function capture(): {
  stream: Writable & { write(s: string): boolean };
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const json: LoggerConfig = { level: 'info', encoder: 'json', devel: false };

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before deadline');
    await new Promise((r) => setImmediate(r));
  }
}

describe('createLogger (json)', () => {
  it('writes level label, RFC 3339 time, msg and a default logger name', () => {
    const out = capture();
    const log = createLogger(json, { destination: out.stream });
    log.info({ rgd: 'web' }, 'hello');
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', msg: 'hello', logger: 'kro', rgd: 'web' });
    expect(String(line?.['time'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(line).not.toHaveProperty('pid');
    expect(line).not.toHaveProperty('hostname');
  });

  it('names children without duplicate logger keys, joining nested names', () => {
    const out = capture();
    const root = createLogger(json, { destination: out.stream });
    const rgdLog = namedLogger(root, 'rgd-controller');
    rgdLog.child({ rgd: 'a' }).info('one');
    namedLogger(rgdLog.child({ rgd: 'b' }), 'crd').info('two');
    root.child({ name: 'x' }).info('three');
    const raw = out.text().split('\n');
    for (const l of raw.filter(Boolean)) expect(l.match(/"logger":/g)).toHaveLength(1);
    expect(out.lines()).toEqual([
      expect.objectContaining({ logger: 'rgd-controller', rgd: 'a', msg: 'one' }),
      expect.objectContaining({ logger: 'rgd-controller.crd', rgd: 'b', msg: 'two' }),
      expect.objectContaining({ logger: 'kro', name: 'x', msg: 'three' }),
    ]);
  });

  it('filters by level; trace and debug appear only when enabled', () => {
    const out = capture();
    const log = createLogger({ ...json, level: 'error' }, { destination: out.stream });
    log.info('no');
    log.error('yes');
    expect(out.lines().map((l) => l['msg'])).toEqual(['yes']);

    const out2 = capture();
    const trace = createLogger({ ...json, level: 'trace' }, { destination: out2.stream });
    trace.trace('t');
    expect(out2.lines()).toEqual([expect.objectContaining({ level: 'trace', msg: 't' })]);
  });

  it('serializes err with message and stack', () => {
    const out = capture();
    const log = createLogger(json, { destination: out.stream });
    log.error({ err: new TypeError('boom') }, 'failed');
    const err = out.lines()[0]?.['err'] as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'TypeError', message: 'boom' });
    expect(String(err['stack'])).toContain('TypeError: boom');
  });
});

describe('createLogger (console)', () => {
  it('renders through pino-pretty when available', async () => {
    const out = capture();
    const log = createLogger({ level: 'info', encoder: 'console', devel: true }, { destination: out.stream });
    log.info({ rgd: 'web' }, 'pretty line');
    await eventually(() => out.text().includes('pretty line'));
    expect(out.text()).toContain('INFO');
    expect(out.text()).not.toMatch(/^\{/);
  });

  it('falls back to JSON with a warning when pino-pretty is missing', () => {
    const out = capture();
    const log = createLogger(
      { level: 'info', encoder: 'console', devel: false },
      { destination: out.stream, loadPretty: () => undefined },
    );
    log.info('after');
    expect(out.lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        logger: 'setup',
        msg: expect.stringContaining('pino-pretty'),
      }),
      expect.objectContaining({ level: 'info', msg: 'after' }),
    ]);
  });
});

describe('redactSecrets', () => {
  it('redacts data and stringData of Secrets anywhere, keeping keys', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'YQ==' },
      stringData: { b: 'x' },
    };
    const input = {
      kind: 'List',
      items: [secret, { kind: 'ConfigMap', data: { c: 'visible' } }],
      nested: { obj: secret },
    };
    expect(redactSecrets(input)).toEqual({
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's' },
          data: { a: '<redacted>' },
          stringData: { b: '<redacted>' },
        },
        { kind: 'ConfigMap', data: { c: 'visible' } },
      ],
      nested: { obj: expect.objectContaining({ data: { a: '<redacted>' } }) },
    });
    expect(secret.data.a).toBe('YQ==');
  });

  it('redacts a non-object data field wholesale and passes scalars through', () => {
    expect(redactSecrets({ kind: 'Secret', data: '${schema.spec.x}' })).toEqual({
      kind: 'Secret',
      data: '<redacted>',
    });
    expect(redactSecrets('text')).toBe('text');
    expect(redactSecrets(null)).toBe(null);
  });
});

// A language client for tests and benchmarks: spawns `kro-ts lsp --stdio` (from src through tsx,
// or dist/ when asked) and talks to it with vscode-languageserver's own protocol connection, as
// an editor does. Diagnostics are collected per URI and version so a test can wait for the ones
// of the version it sent.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import type {
  CompletionItem,
  CompletionList,
  Definition,
  DefinitionLink,
  Hover,
  InitializeResult,
  Location,
  Position,
  ProtocolConnection,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface LspClientOptions {
  /** `dist` runs the built CLI (`node dist/cli/main.js lsp`); default runs src through tsx. */
  readonly entry?: 'src' | 'dist';
  readonly initializationOptions?: unknown;
  readonly rootUri?: string;
  /** Called with every message sent or received (for transcripts). */
  readonly trace?: (direction: 'send' | 'receive', message: unknown) => void;
}

export class LspClient {
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();
  stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async start(options: LspClientOptions = {}): Promise<{ client: LspClient; init: InitializeResult }> {
    const args =
      options.entry === 'dist'
        ? [`${repo}dist/cli/main.js`, 'lsp', '--stdio']
        : ['--import', 'tsx', `${repo}src/cli/main.ts`, 'lsp', '--stdio'];
    const child = spawn(process.execPath, args, { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    if (!child.stdout || !child.stdin) throw new Error('language server has no stdio');
    const connection = createProtocolConnection(
      new TracingReader(child.stdout, options.trace),
      new TracingWriter(child.stdin, options.trace),
    );
    const client = new LspClient(child, connection);
    child.stderr?.on('data', (d: Buffer) => {
      client.stderr += d.toString();
    });
    connection.listen();
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      capabilities: {},
      initializationOptions: options.initializationOptions,
      workspaceFolders: options.rootUri ? [{ uri: options.rootUri, name: 'workspace' }] : null,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return { client, init };
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
  }

  /** Sends changes as the next version; returns that version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  /** The diagnostics published for this version of the document (waits up to `timeoutMs`). */
  diagnosticsFor(uri: string, version: number, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    return this.waitForPublication(uri, (p) => p.version === version, timeoutMs);
  }

  /** The first publication for `uri` (received so far or later) that satisfies `accept`. */
  async waitForPublication(
    uri: string,
    accept: (p: PublishDiagnosticsParams, index: number) => boolean,
    timeoutMs = 20_000,
  ): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.diagnostics.get(uri)?.find(accept);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Every publication received for a URI, in order. */
  published(uri: string): readonly PublishDiagnosticsParams[] {
    return this.diagnostics.get(uri) ?? [];
  }

  async changeConfiguration(settings: unknown): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r: CompletionItem[] | CompletionList | null = await this.connection.sendRequest(
      CompletionRequest.type,
      {
        textDocument: { uri },
        position,
      },
    );
    if (!r) return [];
    return Array.isArray(r) ? r : r.items;
  }

  definition(uri: string, position: Position): Promise<Definition | DefinitionLink[] | Location | null> {
    return this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
  }

  /** shutdown + exit, then waits for the process to end. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.once('exit', (code) => resolve(code));
    });
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.child.kill();
    }
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

/** Position of the `occurrence`-th match of `needle` in `text`, plus `delta` characters. */
export function positionIn(text: string, needle: string, delta = 0, occurrence = 1): Position {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found (occurrence ${occurrence})`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

class TracingReader extends StreamMessageReader {
  constructor(
    readable: NodeJS.ReadableStream,
    private readonly trace: LspClientOptions['trace'],
  ) {
    super(readable);
  }

  override listen(
    callback: Parameters<StreamMessageReader['listen']>[0],
  ): ReturnType<StreamMessageReader['listen']> {
    return super.listen((message) => {
      this.trace?.('receive', message);
      callback(message);
    });
  }
}

class TracingWriter extends StreamMessageWriter {
  constructor(
    writable: NodeJS.WritableStream,
    private readonly trace: LspClientOptions['trace'],
  ) {
    super(writable);
  }

  override write(message: Parameters<StreamMessageWriter['write']>[0]): Promise<void> {
    this.trace?.('send', message);
    return super.write(message);
  }
}

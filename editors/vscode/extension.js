// VS Code client for `kro-ts lsp`: starts the server over stdio for YAML files and passes the
// `kro.*` settings on. The server decides which files are RGDs; other YAML gets nothing.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** @param {import('vscode').ExtensionContext} context */
function activate(context) {
  const config = vscode.workspace.getConfiguration('kro');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  /** VS Code does not expand variables in extension settings; this one is worth supporting. */
  const expand = (/** @type {string} */ s) => s.replaceAll('${workspaceFolder}', folder);
  const command = expand(config.get('server.command', 'kro-ts'));
  const args = [...config.get('server.args', []).map(expand), 'lsp'];
  const serverOptions = {
    command,
    args,
    transport: TransportKind.stdio,
    options: { shell: process.platform === 'win32' },
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // Sends workspace/didChangeConfiguration with { kro: { crdPaths, … } } when settings change.
    synchronize: { configurationSection: 'kro' },
    initializationOptions: { crdPaths: config.get('crdPaths', []) },
  };
  client = new LanguageClient('kro-ts', 'kro-ts (ResourceGraphDefinition)', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => deactivate() });
  return client.start();
}

function deactivate() {
  const c = client;
  client = undefined;
  return c ? c.stop() : undefined;
}

module.exports = { activate, deactivate };

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'hack/ref/**',
      'hack/controlplane/**',
      'coverage/**',
      '.cache/**',
      '.run/**',
      'editors/*/node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use string unions or as-const objects, not enum.' },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'No namespaces.' },
      ],
      // Complexity budgets: errors at these sizes mean "split it".
      'max-depth': ['error', 5],
      'max-params': ['error', 4],
    },
  },
  {
    // The VS Code extension: plain CommonJS, loaded by VS Code's extension host (Node).
    files: ['editors/vscode/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // client-node's generated API costs ~60 MiB resident: src/kube imports only its types, and
    // kubeconfig.ts loads it with import() for the users the lean loader leaves to it.
    files: ['src/kube/**/*.ts'],
    ignores: ['src/kube/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@kubernetes/client-node', '@kubernetes/client-node/*'],
              allowTypeImports: true,
              message:
                'Use `import type`; a value import loads ~60 MiB (kubeconfig.ts imports it on demand).',
            },
          ],
        },
      ],
    },
  },
  {
    // Boundaries: only src/kube imports client-node, only src/cel imports the CEL engine.
    files: ['src/**/*.ts'],
    ignores: ['src/kube/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@kubernetes/client-node'], message: 'Only src/kube talks to the API server.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cel/**', 'src/kube/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@kubernetes/client-node'], message: 'Only src/kube talks to the API server.' },
            {
              group: ['@marcbachmann/cel-js', '@marcbachmann/cel-js/*'],
              message: 'Only src/cel imports the CEL engine.',
            },
          ],
        },
      ],
    },
  },
);

// Values the global setup hands to test files through vitest's provide/inject.

declare module 'vitest' {
  export interface ProvidedContext {
    /** Kubeconfig of the API server the tests talk to. */
    kubeconfigPath: string;
    /** Directory of the harness-started local cluster (ports, logs); '' for an external cluster. */
    clusterDir: string;
    /** gitVersion reported by the API server's /version. */
    serverVersion: string;
  }
}

export {};

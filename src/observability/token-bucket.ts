// The token bucket lives in lib/token-bucket.ts (shared with kube's client limiter and the queue).
export { TokenBucket } from '../lib/token-bucket.js';
export type { TokenBucketOptions } from '../lib/token-bucket.js';

import { describe, expect, it } from 'vitest';
import { apiErrorFromResponse, ConflictError, NotFoundError } from './errors.js';
import { retryOnConflict } from './retry.js';

const conflict = (): Error =>
  apiErrorFromResponse({
    status: 409,
    body: JSON.stringify({
      kind: 'Status',
      code: 409,
      reason: 'Conflict',
      message: 'the object has been modified',
    }),
  });

describe('retryOnConflict', () => {
  it('retries conflicts and returns the first success', async () => {
    const seen: number[] = [];
    const v = await retryOnConflict(async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw conflict();
      return 'ok';
    });
    expect(v).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after the last attempt with the conflict', async () => {
    let n = 0;
    await expect(
      retryOnConflict(
        async () => {
          n++;
          throw conflict();
        },
        { attempts: 2 },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(n).toBe(2);
  });

  it('does not retry other errors', async () => {
    let n = 0;
    const notFound = apiErrorFromResponse({ status: 404, body: '' });
    await expect(
      retryOnConflict(async () => {
        n++;
        throw notFound;
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(n).toBe(1);
  });
});

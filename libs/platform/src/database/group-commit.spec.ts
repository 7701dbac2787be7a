import { type BatchOutcome, GroupCommit } from './group-commit';

/** A `send` that holds each batch until released, recording what it was given. */
function controlledSend<Result>(answer: (op: number) => BatchOutcome<Result>) {
  const batches: number[][] = [];
  const waiting: (() => void)[] = [];
  const send = (ops: number[]): Promise<BatchOutcome<Result>[]> => {
    batches.push(ops);
    return new Promise((resolve) => waiting.push(() => resolve(ops.map(answer))));
  };
  const releaseNext = async (): Promise<void> => {
    const release = waiting.shift();
    if (!release) throw new Error('no batch is waiting');
    release();
    // Let the outcomes settle and the next batch start.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, send, releaseNext };
}

describe('GroupCommit', () => {
  it('sends the first operation at once, then what arrived meanwhile together, up to the batch size', async () => {
    const { batches, send, releaseNext } = controlledSend((op) => ({ ok: true, value: op * 10 }));
    const group = new GroupCommit(send, { maxBatch: 3, maxInFlight: 1 });
    const results = [1, 2, 3, 4, 5, 6].map((op) => group.submit(op));
    expect(batches).toEqual([[1]]);
    await releaseNext();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await releaseNext();
    await releaseNext();
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(group.sent).toEqual({ batches: 3, operations: 6 });
  });

  it('keeps as many batches on their way as allowed, and fills the next one when one comes back', async () => {
    const { batches, send, releaseNext } = controlledSend((op) => ({ ok: true, value: op }));
    const group = new GroupCommit(send, { maxBatch: 2, maxInFlight: 2 });
    for (const op of [1, 2, 3, 4, 5]) void group.submit(op);
    expect(batches).toEqual([[1], [2]]);
    await releaseNext();
    expect(batches).toEqual([[1], [2], [3, 4]]);
  });

  it('rejects a refused operation alone and resolves the others of its batch', async () => {
    const { send, releaseNext } = controlledSend<number>((op) => (op === 2 ? { ok: false, error: new Error('refused 2') } : { ok: true, value: op }));
    const group = new GroupCommit(send, { maxBatch: 5, maxInFlight: 1 });
    const results = [1, 2, 3].map((op) =>
      group.submit(op).then(
        (value) => `ok ${value}`,
        (error: Error) => error.message,
      ),
    );
    await releaseNext();
    await releaseNext();
    expect(await Promise.all(results)).toEqual(['ok 1', 'refused 2', 'ok 3']);
  });

  it('sends an operation again after a retry outcome, first in the next batch, and gives up after the limit', async () => {
    let tries = 0;
    const { batches, send, releaseNext } = controlledSend<number>((op) => {
      if (op !== 7) return { ok: true, value: op };
      tries += 1;
      return { ok: false, error: new Error(`deadlock ${tries}`), retry: true };
    });
    const group = new GroupCommit(send, { maxBatch: 5, maxInFlight: 1, maxRetries: 2 });
    const seven = group.submit(7).catch((error: Error) => error.message);
    const eight = group.submit(8);
    expect(batches).toEqual([[7]]);
    await releaseNext();
    expect(batches).toEqual([[7], [7, 8]]);
    await releaseNext();
    expect(await eight).toBe(8);
    expect(batches).toEqual([[7], [7, 8], [7]]);
    await releaseNext();
    expect(await seven).toBe('deadlock 3');
    expect(batches).toHaveLength(3);
  });

  it('rejects every operation of a batch whose statement failed, and goes on with the next', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, number>(
      async (ops) => {
        batches.push(ops);
        if (ops.includes(1)) throw new Error('connection lost');
        return ops.map((op) => ({ ok: true, value: op }));
      },
      { maxBatch: 5, maxInFlight: 1 },
    );
    const outcomes = await Promise.all([1, 2].map((op) => group.submit(op).catch((error: Error) => error.message)));
    expect(outcomes).toEqual(['connection lost', 2]);
    expect(batches).toEqual([[1], [2]]);
  });

  it('rejects an answer with the wrong number of outcomes', async () => {
    const group = new GroupCommit<number, number>(async () => [], { maxBatch: 5, maxInFlight: 1 });
    await expect(group.submit(1)).rejects.toThrow('a batch of 1 came back with 0 outcomes');
  });
});

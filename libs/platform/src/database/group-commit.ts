/**
 * Group commit: operations submitted while a batch is on its way to the database wait and go
 * together in the next one, so a burst of N concurrent operations costs a handful of statements
 * and commits instead of N. Nothing waits on a timer: with nothing in flight an operation is sent
 * at once, alone, so a quiet system answers as fast as before.
 *
 * `send` runs one batch as one statement and returns one outcome per operation, in order: an
 * operation refused inside the batch rejects alone; `retry` names outcomes worth sending again in
 * a later batch (a deadlock met by that operation alone, say). A failure of the whole statement
 * rejects every operation of that batch.
 */
export interface GroupCommitOptions {
  /** Most operations in one batch. */
  maxBatch: number;
  /** Most batches on their way at once. */
  maxInFlight: number;
  /** Most times one operation is sent again after a `retry` outcome. */
  maxRetries?: number;
}

export type BatchOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown; retry?: boolean };

interface Waiting<Op, Result> {
  op: Op;
  attempts: number;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Op, Result> {
  private readonly queue: Waiting<Op, Result>[] = [];
  private inFlight = 0;
  /** Batches sent so far and the operations in them. */
  readonly sent = { batches: 0, operations: 0 };

  constructor(
    private readonly send: (ops: Op[]) => Promise<BatchOutcome<Result>[]>,
    private readonly options: GroupCommitOptions,
  ) {
    if (options.maxBatch < 1 || options.maxInFlight < 1) throw new Error('group commit needs a batch and a flight of at least 1');
  }

  submit(op: Op): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ op, attempts: 0, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      this.sent.batches += 1;
      this.sent.operations += batch.length;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting<Op, Result>[]): Promise<void> {
    let outcomes: BatchOutcome<Result>[];
    try {
      outcomes = await this.send(batch.map((waiting) => waiting.op));
      if (outcomes.length !== batch.length) throw new Error(`a batch of ${batch.length} came back with ${outcomes.length} outcomes`);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    const again: Waiting<Op, Result>[] = [];
    outcomes.forEach((outcome, index) => {
      const waiting = batch[index];
      if (outcome.ok) waiting.resolve(outcome.value);
      else if (outcome.retry && waiting.attempts < (this.options.maxRetries ?? 5)) again.push({ ...waiting, attempts: waiting.attempts + 1 });
      else waiting.reject(outcome.error);
    });
    // Sent again at the front of the queue: they were first.
    if (again.length > 0) this.queue.unshift(...again);
  }
}

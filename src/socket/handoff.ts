/**
 * The consumer side of the socket's async iterators (dumps, subscriptions): a queue of
 * values read but not yet taken ({@link ReadQueue}), and the one `next()` that may wait for
 * the next value or error ({@link Waiter}). A value is handed straight to a waiting consumer
 * and queued only when nobody waits.
 * @module
 */

/** Taken slots at the front of a {@link ReadQueue} that make it copy the rest to a new array. */
const COMPACT_AT = 1024;

/**
 * Values in arrival order; taking one is O(1). A taken value is no longer referenced: a queue
 * that never runs empty (a subscription during a storm: one read for each value taken) would
 * otherwise keep every value it ever held, so that the garbage collector copied and promoted
 * them all. The array is dropped once read through, or its live part copied once the front
 * holds more taken slots than values (at least {@link COMPACT_AT}).
 */
export class ReadQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** Values not taken yet. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Append `value`. */
  push(value: T): void {
    this.items.push(value);
  }

  /** Take the oldest value (`undefined` when empty). */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const value = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) this.clear();
    else if (this.head >= COMPACT_AT && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return value;
  }

  /** The newest value not taken yet. */
  last(): T | undefined {
    return this.head < this.items.length ? this.items[this.items.length - 1] : undefined;
  }

  /** Take every value not taken yet, oldest first. */
  drain(): T[] {
    const rest = this.items.slice(this.head) as T[];
    this.clear();
    return rest;
  }

  /** Forget every value. */
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/**
 * The consumer's pending `next()`, if any, and an error to give the next call when none was
 * waiting for it.
 */
export class Waiter<T> {
  private slot: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private error: unknown;
  private hasError = false;

  /** A `next()` is waiting. */
  get waiting(): boolean {
    return this.slot !== undefined;
  }

  /** An error is kept for the next call. */
  get failed(): boolean {
    return this.hasError;
  }

  /** The promise a waiting `next()` returns; settled by {@link resolve}, {@link end} or {@link fail}. */
  wait(): Promise<IteratorResult<T>> {
    return new Promise((resolve, reject) => {
      this.slot = { resolve, reject };
    });
  }

  /** Hand `result` to the waiting `next()`; false if none waits. */
  resolve(result: IteratorResult<T>): boolean {
    const w = this.slot;
    if (w === undefined) return false;
    this.slot = undefined;
    w.resolve(result);
    return true;
  }

  /** Resolve the waiting `next()`, if any, with `done`. */
  end(): void {
    const w = this.slot;
    this.slot = undefined;
    w?.resolve({ value: undefined, done: true });
  }

  /** Reject the waiting `next()` with `err`, or keep `err` for the next call. */
  fail(err: unknown): void {
    const w = this.slot;
    if (w === undefined) {
      this.error = err;
      this.hasError = true;
      return;
    }
    this.slot = undefined;
    w.reject(err);
  }

  /** Reject the waiting `next()`, if any, with `err`; nothing is kept. */
  reject(err: unknown): void {
    const w = this.slot;
    this.slot = undefined;
    w?.reject(err);
  }

  /** The kept error, now forgotten (check {@link failed} first). */
  takeError(): unknown {
    const e = this.error;
    this.error = undefined;
    this.hasError = false;
    return e;
  }

  /** Forget the kept error. */
  clearError(): void {
    this.error = undefined;
    this.hasError = false;
  }
}

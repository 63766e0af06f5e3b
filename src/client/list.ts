/**
 * The iterator `listStates` and `listPolicies` return: the socket's dump iterator, whose
 * kernel errors get their hint on the way out.
 * @module
 */

/** @internal A dump's iterator with its errors passed through `onError` (which adds hints). */
export class HintedDump<T> implements AsyncIterableIterator<T> {
  readonly #inner: AsyncIterator<T>;
  readonly #rethrow: (e: unknown) => never;

  constructor(inner: AsyncIterator<T>, onError: (e: unknown) => unknown) {
    this.#inner = inner;
    this.#rethrow = (e) => {
      throw onError(e);
    };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  // A dump yields every entry through here: one derived promise per entry, no async frame
  // (measured: an async next() with try/await adds ~20 ns per entry, this adds none).
  next(): Promise<IteratorResult<T>> {
    return this.#inner.next().catch(this.#rethrow);
  }

  /** Leaving a `for await` loop early stops the dump (the socket drains the rest). */
  async return(): Promise<IteratorResult<T>> {
    if (this.#inner.return) await this.#inner.return();
    return { done: true, value: undefined };
  }
}

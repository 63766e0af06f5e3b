/**
 * The iterator `listStates` and `listPolicies` return: the socket's dump iterator, whose
 * kernel errors get their hint on the way out.
 * @module
 */

/** @internal A dump's iterator with its errors passed through `onError` (which adds hints). */
export class HintedDump<T> implements AsyncIterableIterator<T> {
  readonly #inner: AsyncIterator<T>;
  readonly #onError: (e: unknown) => unknown;

  constructor(inner: AsyncIterator<T>, onError: (e: unknown) => unknown) {
    this.#inner = inner;
    this.#onError = onError;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    try {
      return await this.#inner.next();
    } catch (e) {
      throw this.#onError(e);
    }
  }

  /** Leaving a `for await` loop early stops the dump (the socket drains the rest). */
  async return(): Promise<IteratorResult<T>> {
    if (this.#inner.return) await this.#inner.return();
    return { done: true, value: undefined };
  }
}

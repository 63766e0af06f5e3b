/**
 * {@link XfrmEventStream}: what `XfrmClient.events()` returns — the subscription socket's
 * notifications as typed {@link XfrmEvent}s, with overruns in band.
 * @module
 */
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { type Subscription } from '../socket/subscription.js';
import { type XfrmMessage } from '../xfrm/family.js';
import { eventFromMessage, type XfrmEvent } from './events.js';
import { EventViewHandler, type XfrmEventView } from './event-view.js';

/**
 * An async iterable of {@link XfrmEvent}s over one subscription socket — or, for consumers
 * that keep up with storms, the synchronous fast path {@link drain} over lazy
 * {@link XfrmEventView}s (one or the other per stream: docs/events.md).
 * @group Events
 */
export class XfrmEventStream implements AsyncIterableIterator<XfrmEvent> {
  /** The underlying subscription. */
  readonly subscription: Subscription<XfrmMessage>;
  #views: EventViewHandler | undefined;

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `XfrmEventStream { subscription: ${this.subscription[INSPECT_CUSTOM]()} }`;
  }
  /** @param sub the subscription to read. */
  constructor(sub: Subscription<XfrmMessage>) {
    this.subscription = sub;
  }
  /** @returns this. */
  [Symbol.asyncIterator](): AsyncIterableIterator<XfrmEvent> {
    return this;
  }
  /** Next event. */
  async next(): Promise<IteratorResult<XfrmEvent>> {
    const r = await this.subscription.next();
    if (r.done) return { done: true, value: undefined };
    const v = r.value;
    if ('type' in v && v.type === 'overrun') return { done: false, value: { kind: 'overrun' } };
    return { done: false, value: eventFromMessage(v as XfrmMessage) };
  }
  /**
   * The fast path: hand every event read so far, and whatever is queued now, to `fn` —
   * synchronously, in order, each as an {@link XfrmEventView} over the received bytes (no
   * decoding until a getter reads, no promise per event); overrun markers come as views of
   * kind `'overrun'`, in the same places as in `for await`. A view is valid only during its
   * call (until its datagram is done; then {@link XfrmViewExpiredError}): keep data with
   * `toEvent()` or by copying fields. Returns how many were handed on (at most `max`,
   * default 1024). Wait for more with {@link ready}:
   *
   * ```ts
   * const events = client.events(['policy']);
   * while (await events.ready()) {
   *   events.drain((ev) => {
   *     if (ev.kind === 'overrun') resync();
   *     else if (ev.kind === 'newpolicy') seen.add(ev.policy!.index);
   *   });
   * }
   * ```
   *
   * A stream is read either this way or by iteration: the first call decides, and the other
   * then throws a `TypeError`. Something `fn` throws is rethrown after the rest of its
   * datagram's events were handed on; the stream goes on.
   * @throws what `fn` threw; the `NetlinkError` that ended the subscription.
   */
  drain(fn: (ev: XfrmEventView) => void, max?: number): number {
    const h = (this.#views ??= new EventViewHandler());
    h.fn = fn;
    return this.subscription.drain(h, max);
  }

  /**
   * Resolves `true` when {@link drain} has events to hand on, `false` once the stream is
   * closed; rejects with the error that ended it. With events already waiting it resolves
   * after a turn of the event loop, so a storm does not starve timers and other sockets.
   */
  ready(): Promise<boolean> {
    return this.subscription.ready();
  }

  /** Stop and close the socket. */
  async return(): Promise<IteratorResult<XfrmEvent>> {
    await this.subscription.return();
    return { done: true, value: undefined };
  }
  /** Close the socket. */
  close(): void {
    void this.subscription.return();
  }
}

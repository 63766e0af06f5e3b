/**
 * {@link XfrmEventStream}: what `XfrmClient.events()` returns — the subscription socket's
 * notifications as typed {@link XfrmEvent}s, with overruns in band.
 * @module
 */
import { INSPECT_CUSTOM } from '../netlink/secret.js';
import { type Subscription } from '../socket/subscription.js';
import { type XfrmMessage } from '../xfrm/family.js';
import { eventFromMessage, type XfrmEvent } from './events.js';

/** An async iterable of {@link XfrmEvent}s over one subscription socket. @group Events */
export class XfrmEventStream implements AsyncIterableIterator<XfrmEvent> {
  /** The underlying subscription. */
  readonly subscription: Subscription<XfrmMessage>;

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

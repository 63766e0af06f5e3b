/**
 * One request: send it with `NLM_F_REQUEST | NLM_F_ACK` and a fresh sequence number, collect
 * the replies, settle at the answer (ACK, DONE or error), the deadline or a failure.
 * @module
 */
import { NLM_F_ACK, NLM_F_REQUEST } from '../netlink/constants.js';
import { type NetlinkError } from '../netlink/errors.js';
import { type NlMessageBase } from '../netlink/message.js';
import { type Pending } from './answer.js';
import { type Channel } from './connection.js';
import { Deadline } from './deadline.js';
import { closedError, timeoutError } from './failures.js';
import { type CallOptions, type OutgoingMessage, type Reply } from './types.js';

/** A request waiting for its answer; settles once. */
class RequestPending<M extends NlMessageBase> implements Pending<M> {
  readonly isDump = false;
  private readonly replies: Reply<M>[] = [];
  private readonly deadline: Deadline;
  private done = false;

  constructor(
    private readonly channel: Channel<M>,
    readonly seq: number,
    readonly sent: Uint8Array,
    opts: CallOptions,
    private readonly resolve: (replies: Reply<M>[]) => void,
    private readonly reject: (err: NetlinkError) => void,
  ) {
    this.deadline = new Deadline(opts.signal, (err) => this.fail(err));
    this.deadline.arm(opts.timeoutMs ?? channel.defaultTimeout, (ms) => timeoutError(ms, channel.router.names.typeName(sent)));
  }

  reply(msg: Reply<M>): void {
    this.replies.push(msg);
  }

  answer(err: NetlinkError | undefined): void {
    this.settle(err);
  }

  fail(err: NetlinkError): void {
    this.settle(err);
  }

  private settle(err: NetlinkError | undefined): void {
    if (this.done) return;
    this.done = true;
    this.channel.router.remove(this);
    this.deadline.clear();
    if (err) this.reject(err);
    else this.resolve(this.replies);
    this.channel.updatePoll();
  }
}

/** Send `msg` as one request on `channel`; resolves with the replies before the ACK. See {@link NetlinkSocket.request}. */
export function request<M extends NlMessageBase>(channel: Channel<M>, msg: OutgoingMessage<M>, opts: CallOptions): Promise<Reply<M>[]> {
  return new Promise<Reply<M>[]>((resolve, reject) => {
    if (channel.closed) return reject(closedError());
    const aborted = Deadline.aborted(opts.signal);
    if (aborted) return reject(aborted);
    const seq = channel.router.nextSeq();
    const sent = channel.encode(msg, seq, ((msg.flags ?? 0) | NLM_F_REQUEST | NLM_F_ACK) & 0xffff).slice();
    const entry = new RequestPending<M>(channel, seq, sent, opts, resolve, reject);
    channel.router.add(entry);
    try {
      channel.send(sent, 1);
    } catch (e) {
      entry.fail(e as NetlinkError);
      return;
    }
    channel.pump();
  });
}

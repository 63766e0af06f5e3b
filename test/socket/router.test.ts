/**
 * The router alone, fed hand-written datagrams: no transport, no fake kernel, no timers.
 * Every byte is written here with a DataView, so these tests pin the wire format the router
 * reads (nlmsghdr, nlmsgerr, extended-ACK TLVs) independently of the encoders.
 */
import { describe, expect, test } from 'vitest';
import { Errno, HOST_LE, NetlinkDecodeError, NetlinkError, NetlinkKernelError, NetlinkProtocolError } from '../../src/netlink/index.js';
import { type Pending } from '../../src/socket/answer.js';
import { Router } from '../../src/socket/router.js';
import { type Reply } from '../../src/socket/types.js';
import { TOY_NEW, toyFamily, type ToyMessage } from './toy-family.js';

const le = HOST_LE;
const PORT = 4711;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_MULTI = 0x2;
const NLM_F_DUMP_INTR = 0x10;
const NLM_F_CAPPED = 0x100;
const NLM_F_ACK_TLVS = 0x200;

interface Msg {
  type: number;
  flags?: number;
  seq: number;
  pid?: number;
  payload?: number[];
  /** Overrides nlmsg_len (for malformed framing). */
  len?: number;
}

/** Little helpers writing host-order integers as bytes. */
const u32 = (v: number): number[] => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, le);
  return [...b];
};
const u16 = (v: number): number[] => {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, v, le);
  return [...b];
};
const pad4 = (bytes: number[]): number[] => [...bytes, ...new Array<number>((4 - (bytes.length % 4)) % 4).fill(0)];
/** An nlattr: len, type, payload, padding. */
const nla = (type: number, payload: number[]): number[] => pad4([...u16(4 + payload.length), ...u16(type), ...payload]);
/** A datagram of `msgs`, each an nlmsghdr + payload, aligned to 4 bytes. */
function datagram(...msgs: Msg[]): { view: DataView; length: number } {
  const bytes: number[] = [];
  for (const m of msgs) {
    const payload = m.payload ?? [];
    bytes.push(...pad4([...u32(m.len ?? 16 + payload.length), ...u16(m.type), ...u16(m.flags ?? 0), ...u32(m.seq), ...u32(m.pid ?? PORT), ...payload]));
  }
  const buf = new Uint8Array(bytes);
  return { view: new DataView(buf.buffer), length: buf.length };
}
/** A TOY_NEW payload: u32 body, then TOYA_VALUE (type 2, u32) at message offset 20. */
const toyPayload = (body: number, value: number): number[] => [...u32(body), ...nla(2, u32(value))];
/** The request the router names errors after: a TOY_NEW as sent (offset 20 is TOYA_VALUE). */
const sentToy = (seq: number): Uint8Array => {
  const { view } = datagram({ type: TOY_NEW, flags: 0x5, seq, payload: toyPayload(1, 7) });
  return new Uint8Array(view.buffer);
};
/** An NLMSG_ERROR payload: errno, the request's header (capped), extended-ACK TLVs. */
const errPayload = (errno: number, seq: number, tlvs: number[] = []): number[] => [
  ...u32(-errno),
  ...u32(24),
  ...u16(TOY_NEW),
  ...u16(0x5),
  ...u32(seq),
  ...u32(PORT),
  ...tlvs,
];

/** A pending entry that records what the router told it. */
class Recorder implements Pending<ToyMessage> {
  replies: Reply<ToyMessage>[] = [];
  answers: { err: NetlinkError | undefined; flags: number }[] = [];
  failures: NetlinkError[] = [];
  throwOnReply: unknown;
  constructor(
    readonly seq: number,
    readonly isDump = false,
    readonly sent: Uint8Array = sentToy(seq),
  ) {}
  reply(msg: Reply<ToyMessage>): void {
    if (this.throwOnReply !== undefined) throw this.throwOnReply;
    this.replies.push(msg);
  }
  answer(err: NetlinkError | undefined, flags: number): void {
    this.answers.push({ err, flags });
  }
  fail(err: NetlinkError): void {
    this.failures.push(err);
  }
}

function setup() {
  const stats = { received: 0, dropped: 0 };
  const router = new Router<ToyMessage>(toyFamily, le, PORT, stats);
  return { router, stats };
}

describe('Router (hand-written bytes, no transport)', () => {
  test('replies are decoded and delivered in order; the ACK settles the entry and stops routing to it', () => {
    const { router, stats } = setup();
    const p = new Recorder(router.nextSeq());
    router.add(p);
    const d = datagram(
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: p.seq, payload: toyPayload(11, 3) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: p.seq, payload: toyPayload(12, 4) },
      { type: NLMSG_ERROR, flags: NLM_F_CAPPED, seq: p.seq, payload: errPayload(0, p.seq) },
    );
    router.datagram(d.view, d.length);
    expect(p.replies).toMatchObject([
      { type: 'TOY_NEW', body: 11, attrs: [{ type: 'TOYA_VALUE', value: 3 }] },
      { type: 'TOY_NEW', body: 12, attrs: [{ type: 'TOYA_VALUE', value: 4 }] },
    ]);
    expect(p.answers).toEqual([{ err: undefined, flags: NLM_F_CAPPED }]);
    expect(router.size).toBe(0);
    expect(stats).toEqual({ received: 3, dropped: 0 });
    // A late duplicate of the ACK is for nobody now.
    router.datagram(d.view, d.length);
    expect(stats.dropped).toBe(3);
  });

  test('an error answer becomes a NetlinkKernelError naming the request, the extended-ACK text and the attribute at its offset', () => {
    const { router } = setup();
    const p = new Recorder(router.nextSeq());
    router.add(p);
    const tlvs = [...nla(1, [...Buffer.from('entry exists'), 0]), ...nla(2, u32(20))];
    const d = datagram({ type: NLMSG_ERROR, flags: NLM_F_CAPPED | NLM_F_ACK_TLVS, seq: p.seq, payload: errPayload(Errno.EEXIST, p.seq, tlvs) });
    router.datagram(d.view, d.length);
    expect(p.answers).toHaveLength(1);
    const err = p.answers[0]!.err;
    expect(err).toBeInstanceOf(NetlinkKernelError);
    expect(err).toMatchObject({ code: 'EEXIST', errno: Errno.EEXIST, seq: p.seq, request: 'TOY_NEW', extackMessage: 'entry exists', extackOffset: 20, attribute: 'TOYA_VALUE' });
    expect(router.size).toBe(0);
  });

  test('a dump gets NLMSG_DONE as its answer, with the flags that say it was interrupted', () => {
    const { router } = setup();
    const dump = new Recorder(router.nextSeq(), true);
    router.add(dump);
    const d = datagram(
      { type: TOY_NEW, flags: NLM_F_MULTI | NLM_F_DUMP_INTR, seq: dump.seq, payload: toyPayload(1, 1) },
      { type: NLMSG_DONE, flags: NLM_F_MULTI | NLM_F_DUMP_INTR, seq: dump.seq, payload: u32(0) },
    );
    router.datagram(d.view, d.length);
    expect(dump.replies).toHaveLength(1);
    expect(dump.answers).toEqual([{ err: undefined, flags: NLM_F_MULTI | NLM_F_DUMP_INTR }]);
    // A negative NLMSG_DONE is the dump's kernel error.
    const again = new Recorder(router.nextSeq(), true);
    router.add(again);
    const e = datagram({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq: again.seq, payload: u32(-Errno.EINTR) });
    router.datagram(e.view, e.length);
    expect(again.answers[0]!.err).toMatchObject({ code: 'EINTR', request: 'TOY_NEW' });
  });

  test('messages for another port id or an unknown sequence number are dropped; the rest of the datagram is still routed', () => {
    const { router, stats } = setup();
    const p = new Recorder(router.nextSeq());
    router.add(p);
    const d = datagram(
      { type: TOY_NEW, seq: p.seq, pid: PORT + 1, payload: toyPayload(1, 1) },
      { type: TOY_NEW, seq: p.seq + 100, payload: toyPayload(2, 2) },
      { type: TOY_NEW, seq: p.seq, payload: toyPayload(3, 3) },
    );
    router.datagram(d.view, d.length);
    expect(p.replies.map((r) => (r as ToyMessage).body)).toEqual([3]);
    expect(stats).toEqual({ received: 1, dropped: 2 });
  });

  test('malformed framing drops the rest of the datagram (counted once); what came before was routed', () => {
    const { router, stats } = setup();
    const p = new Recorder(router.nextSeq());
    router.add(p);
    const d = datagram({ type: TOY_NEW, seq: p.seq, payload: toyPayload(1, 1) }, { type: TOY_NEW, seq: p.seq, len: 8 });
    router.datagram(d.view, d.length);
    expect(p.replies).toHaveLength(1);
    expect(stats).toEqual({ received: 1, dropped: 1 });
  });

  test('an entry whose handler throws fails with a typed error and is removed; the next message still goes on', () => {
    const { router } = setup();
    const bad = new Recorder(router.nextSeq());
    const good = new Recorder(router.nextSeq());
    bad.throwOnReply = new TypeError('consumer bug');
    router.add(bad);
    router.add(good);
    const d = datagram({ type: TOY_NEW, seq: bad.seq, payload: toyPayload(1, 1) }, { type: TOY_NEW, seq: good.seq, payload: toyPayload(2, 2) });
    router.datagram(d.view, d.length);
    expect(bad.failures).toHaveLength(1);
    expect(bad.failures[0]).toBeInstanceOf(NetlinkDecodeError);
    expect(bad.failures[0]!.cause).toBeInstanceOf(TypeError);
    expect(good.replies).toHaveLength(1);
    expect(router.size).toBe(1);
  });

  test('after an overrun, requests unanswered when the queue runs empty lost their answer; dumps and a busy kernel wait', () => {
    const { router } = setup();
    const request = new Recorder(router.nextSeq());
    const dump = new Recorder(router.nextSeq(), true);
    router.add(request);
    router.add(dump);
    router.queueEmpty(false); // no overrun: nothing is lost
    expect(request.failures).toEqual([]);
    router.overrun();
    expect(router.overrunPending).toBe(true);
    router.queueEmpty(true); // a sendmsg still runs on a worker: its answers may come
    expect(request.failures).toEqual([]);
    router.queueEmpty(false);
    expect(request.failures).toHaveLength(1);
    expect(request.failures[0]).toMatchObject({ reason: 'overrun' });
    expect(request.failures[0]!.message).toMatch(/^TOY_NEW \(seq \d+\): reply lost/);
    expect(dump.failures).toEqual([]);
    expect(router.size).toBe(1);
    expect(router.overrunPending).toBe(false);
  });

  test('a truncated datagram fails the entry its first message is for; one nobody waits for is dropped', () => {
    const { router, stats } = setup();
    const p = new Recorder(router.nextSeq());
    router.add(p);
    const d = datagram({ type: TOY_NEW, seq: p.seq, payload: toyPayload(1, 1) });
    router.truncated(d.view, d.length, { length: 70000, truncated: true, pid: 0, groups: 0 }, d.length);
    expect(p.failures).toHaveLength(1);
    expect(p.failures[0]).toBeInstanceOf(NetlinkProtocolError);
    expect(p.failures[0]).toMatchObject({ reason: 'truncated' });
    expect(router.size).toBe(0);
    router.truncated(d.view, d.length, { length: 70000, truncated: true, pid: 0, groups: 0 }, d.length);
    expect(stats.dropped).toBe(1);
  });

  test('sequence numbers skip 0 and the ones in use; failAll empties the map', () => {
    const { router } = setup();
    const first = router.nextSeq();
    expect(first).toBe(1);
    router.add(new Recorder(2));
    expect(router.nextSeq()).toBe(3);
    const a = new Recorder(router.nextSeq());
    router.add(a);
    const err = new NetlinkProtocolError('closed', 'netlink socket closed');
    router.failAll(err);
    expect(a.failures).toEqual([err]);
    expect(router.size).toBe(0);
  });

  test('a raw entry gets its family messages as bytes and one release per datagram after the last; answers and control messages are decoded as before', () => {
    const { router, stats } = setup();
    const events: string[] = [];
    const p = new (class extends Recorder {
      readonly raw = {
        message: (view: DataView, offset: number, length: number) =>
          events.push(`msg@${offset}+${length} type ${view.getUint16(offset + 4, le)} body ${view.getUint32(offset + 16, le)}`),
        release: () => events.push('release'),
      };
    })(router.nextSeq(), true);
    router.add(p);
    const d1 = datagram(
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: p.seq, payload: toyPayload(11, 3) },
      { type: 1 /* NLMSG_NOOP */, flags: NLM_F_MULTI, seq: p.seq },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: p.seq, payload: toyPayload(12, 4) },
    );
    router.datagram(d1.view, d1.length);
    expect(events).toEqual(['msg@0+28 type 16 body 11', 'msg@44+28 type 16 body 12', 'release']);
    expect(p.replies).toMatchObject([{ type: 'NLMSG_NOOP' }]);
    const d2 = datagram({ type: NLMSG_DONE, flags: NLM_F_MULTI | NLM_F_DUMP_INTR, seq: p.seq, payload: u32(0) });
    router.datagram(d2.view, d2.length);
    // No family message in it: nothing to release.
    expect(events).toHaveLength(3);
    expect(p.answers).toEqual([{ err: undefined, flags: NLM_F_MULTI | NLM_F_DUMP_INTR }]);
    expect(router.size).toBe(0);
    expect(stats).toEqual({ received: 4, dropped: 0 });
  });

  test('a raw entry whose handler throws fails typed; the datagram is still released; broken framing releases too', () => {
    const { router } = setup();
    let released = 0;
    const p = new (class extends Recorder {
      readonly raw = {
        message: () => {
          throw new TypeError('consumer bug');
        },
        release: () => released++,
      };
    })(router.nextSeq(), true);
    router.add(p);
    const d = datagram(
      { type: TOY_NEW, seq: p.seq, payload: toyPayload(1, 1) },
      { type: TOY_NEW, seq: p.seq, payload: toyPayload(2, 2), len: 4000 },
    );
    router.datagram(d.view, d.length);
    expect(p.failures).toHaveLength(1);
    expect(p.failures[0]).toBeInstanceOf(NetlinkDecodeError);
    expect(p.failures[0]!.cause).toBeInstanceOf(TypeError);
    expect(released).toBe(1);
    expect(router.size).toBe(1); // a dump stays routed: it discards the rest itself
  });

  test('beside a raw entry, other entries and other ports are routed as before', () => {
    const { router, stats } = setup();
    const got: number[] = [];
    const raw = new (class extends Recorder {
      readonly raw = { message: (view: DataView, offset: number) => got.push(view.getUint32(offset + 16, le)), release: () => {} };
    })(router.nextSeq(), true);
    const plain = new Recorder(router.nextSeq());
    router.add(raw);
    router.add(plain);
    const d = datagram(
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(1, 1) },
      { type: TOY_NEW, seq: plain.seq, payload: toyPayload(2, 2) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, pid: PORT + 1, payload: toyPayload(3, 3) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: 999, payload: toyPayload(4, 4) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(5, 5) },
      { type: NLMSG_DONE, flags: NLM_F_MULTI, seq: raw.seq, payload: u32(0) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(6, 6) },
    );
    router.datagram(d.view, d.length);
    expect(got).toEqual([1, 5]);
    expect(plain.replies).toMatchObject([{ type: 'TOY_NEW', body: 2 }]);
    expect(raw.answers).toHaveLength(1);
    // Wrong port, unknown sequence number, and the entry after DONE: dropped.
    expect(stats).toEqual({ received: 4, dropped: 3 });
    expect(router.size).toBe(1);
  });

  test('a raw entry with run() takes its runs of messages in one call each; the router routes what it leaves as before (issue 14)', () => {
    const { router, stats } = setup();
    const got: number[] = [];
    const runs: number[] = [];
    const raw = new (class extends Recorder {
      readonly raw = {
        taken: 0,
        message: (view: DataView, offset: number) => got.push(-view.getUint32(offset + 16, le)),
        // The contract: from `offset`, every whole family message for `portId` with this seq.
        run: (view: DataView, offset: number, end: number, portId: number): number => {
          let off = offset;
          let n = 0;
          while (end - off >= 16) {
            const len = view.getUint32(off, le);
            if (len < 16 || len > end - off || view.getUint16(off + 4, le) < 16 || view.getUint32(off + 12, le) !== portId || view.getUint32(off + 8, le) !== this.seq) break;
            got.push(view.getUint32(off + 16, le));
            n++;
            off += (len + 3) & ~3;
          }
          runs.push(n);
          this.raw.taken = n;
          return off;
        },
        release: () => {},
      };
    })(router.nextSeq(), true);
    const plain = new Recorder(router.nextSeq());
    router.add(raw);
    router.add(plain);
    const d = datagram(
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(1, 1) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(7, 7) },
      { type: TOY_NEW, seq: plain.seq, payload: toyPayload(2, 2) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, pid: PORT + 1, payload: toyPayload(3, 3) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: 999, payload: toyPayload(4, 4) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(5, 5) },
      { type: NLMSG_DONE, flags: NLM_F_MULTI, seq: raw.seq, payload: u32(0) },
      { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(6, 6) },
    );
    router.datagram(d.view, d.length);
    // Two runs ([1, 7] and [5]), never message(); the answer, the other entry's reply, the
    // wrong port, the unknown seq and the entry after DONE go as without run().
    expect(got).toEqual([1, 7, 5]);
    expect(runs).toEqual([2, 1]);
    expect(plain.replies).toMatchObject([{ type: 'TOY_NEW', body: 2 }]);
    expect(raw.answers).toHaveLength(1);
    expect(stats).toEqual({ received: 5, dropped: 3 });
  });

  test('a raw entry whose run() takes nothing gets the message through message() instead', () => {
    const { router, stats } = setup();
    const got: number[] = [];
    const raw = new (class extends Recorder {
      readonly raw = { taken: 0, run: (_v: DataView, offset: number) => offset, message: (view: DataView, offset: number) => got.push(view.getUint32(offset + 16, le)), release: () => {} };
    })(router.nextSeq(), true);
    router.add(raw);
    const d = datagram({ type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(1, 1) }, { type: TOY_NEW, flags: NLM_F_MULTI, seq: raw.seq, payload: toyPayload(2, 2) });
    router.datagram(d.view, d.length);
    expect(got).toEqual([1, 2]);
    expect(stats).toEqual({ received: 2, dropped: 0 });
  });

  test('a range entry gets every sequence number in it, selected, and nothing outside (issue 14)', () => {
    const { router, stats } = setup();
    const base = router.nextSeq();
    for (let i = 1; i < 4; i++) router.nextSeq();
    const seen: { seq: number; how: string; err?: NetlinkError }[] = [];
    let k = -1;
    const range = {
      base,
      count: 4,
      isDump: false,
      select(seq: number) {
        k = (seq - base) >>> 0;
      },
      get seq() {
        return base + k;
      },
      get sent() {
        return sentToy(base + k);
      },
      reply: (m: Reply<ToyMessage>) => seen.push({ seq: base + k, how: `reply ${(m as ToyMessage).body}` }),
      answer: (err: NetlinkError | undefined) => seen.push({ seq: base + k, how: 'answer', ...(err ? { err } : {}) }),
      fail: (err: NetlinkError) => seen.push({ seq: base + k, how: 'fail', err }),
      failAll: (err: NetlinkError) => seen.push({ seq: -1, how: 'failAll', err }),
      lose: () => seen.push({ seq: -1, how: 'lose' }),
    };
    router.addRange(range);
    expect(router.size).toBe(1);
    // nextSeq skips numbers a range holds (after a 2^32 wrap they would come round again).
    (router as unknown as { seq: number }).seq = base - 1;
    expect(router.nextSeq()).toBe(base + 4);
    const d = datagram(
      { type: TOY_NEW, seq: base + 1, payload: toyPayload(5, 1) },
      { type: NLMSG_ERROR, flags: NLM_F_CAPPED, seq: base + 1, payload: errPayload(0, base + 1) },
      { type: NLMSG_ERROR, flags: NLM_F_CAPPED | NLM_F_ACK_TLVS, seq: base + 2, payload: errPayload(Errno.EEXIST, base + 2, nla(2, u32(20))) },
      { type: NLMSG_ERROR, flags: NLM_F_CAPPED, seq: base + 4, payload: errPayload(0, base + 4) },
    );
    router.datagram(d.view, d.length);
    expect(seen.map((x) => [x.seq, x.how])).toEqual([
      [base + 1, 'reply 5'],
      [base + 1, 'answer'],
      [base + 2, 'answer'],
    ]);
    expect(seen[2]!.err).toMatchObject({ code: 'EEXIST', seq: base + 2, attribute: 'TOYA_VALUE' });
    expect(stats.dropped).toBe(1); // base + 4: outside the range
    // An overrun: once the queue is empty the range loses what it still waits for, and is gone.
    router.overrun();
    router.queueEmpty(false);
    expect(seen.at(-1)).toEqual({ seq: -1, how: 'lose' });
    expect(router.size).toBe(0);
    router.addRange(range);
    const err = new NetlinkProtocolError('closed', 'closed');
    router.failAll(err);
    expect(seen.at(-1)).toEqual({ seq: -1, how: 'failAll', err });
    expect(router.size).toBe(0);
    router.addRange(range);
    router.removeRange(range);
    expect(router.size).toBe(0);
  });
});

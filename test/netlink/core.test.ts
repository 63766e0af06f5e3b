import { describe, expect, test } from 'vitest';
import {
  decodeAttrs,
  decodeMessages,
  defineAttrSpace,
  encodeAttrs,
  encodeMessages,
  attrsLength,
  NetlinkDecodeError,
  NetlinkEncodeError,
  NlmsgWriter,
  nlmsgIterate,
  u32,
  u8,
  nulString,
  nlaAlign,
  nlmsgAlign,
  nlmsgLength,
  nlmsgSpace,
  rtaLength,
  rtaSpace,
  viewOf,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  extackOf,
  type NlmsgErrorMessage,
} from '../../src/netlink/index.js';
import { decodeXfrmMessages } from '../../src/xfrm/family.js';
import { fromHex, toHex } from '../helpers/hex.js';

describe('alignment macros match the C values', () => {
  // Values printed by the C compiler (XFRM-ABI.md Appendix A).
  test.each([
    [nlmsgLength(5), 21],
    [nlmsgSpace(5), 24],
    [nlmsgLength(0), 16],
    [rtaLength(5), 9],
    [rtaSpace(5), 12],
    [nlaAlign(5), 8],
    [nlmsgAlign(17), 20],
  ])('%i = %i', (got, want) => expect(got).toBe(want));

  // Lengths read from the wire are u32: rounding them up must not wrap through 32-bit `&`
  // (issue 10 item 1: 0x80000010 + 3 & ~3 was negative).
  test.each([0x7ffffffd, 0x7fffffff, 0x80000000, 0x80000010, 0x80000013, 0xfffffffd, 0xffffffff])(
    'nlaAlign/nlmsgAlign(%i) round up without wrapping',
    (len) => {
      const want = Math.ceil(len / 4) * 4;
      expect(nlaAlign(len)).toBe(want);
      expect(nlmsgAlign(len)).toBe(want);
    },
  );
});

const space = defineAttrSpace('test', [
  [1, 'A_U32', u32],
  [2, 'A_U8', u8],
  [3, 'A_STR', nulString],
]);

describe('attributes', () => {
  test('decode keeps order, duplicates, unknown types, flags and tails; encode gives the bytes back', () => {
    const bytes = fromHex(`
      08 00 01 00  2a 00 00 00            # A_U32 = 42
      05 00 02 00  07 00 00 00            # A_U8 = 7, 3 padding bytes
      08 00 01 40  01 00 00 00            # A_U32 with NLA_F_NET_BYTEORDER set
      06 00 63 00  aa bb 00 00            # unknown type 99, 2 bytes
      0c 00 01 00  01 00 00 00 ff ff ff ff  # A_U32 with 4 extra bytes (kept as tail)
      08 00 01 00  02 00 00 00            # duplicate A_U32
    `);
    const view = viewOf(bytes);
    const attrs = decodeAttrs(view, 0, bytes.length, space, true);
    expect(attrs).toEqual([
      { type: 'A_U32', value: 42 },
      { type: 'A_U8', value: 7 },
      { type: 'A_U32', value: 1, flags: NLA_F_NET_BYTEORDER },
      { type: 99, value: Uint8Array.of(0xaa, 0xbb) },
      { type: 'A_U32', value: 1, tail: Uint8Array.of(0xff, 0xff, 0xff, 0xff) },
      { type: 'A_U32', value: 2 },
    ]);
    const out = new Uint8Array(attrsLength(attrs, space));
    encodeAttrs(viewOf(out), 0, attrs, space, true);
    expect(toHex(out)).toBe(toHex(bytes));
  });

  test('an unpadded last attribute is accepted', () => {
    const bytes = fromHex('05 00 02 00 01');
    expect(decodeAttrs(viewOf(bytes), 0, 5, space, true)).toEqual([{ type: 'A_U8', value: 1 }]);
  });

  test('big-endian host order', () => {
    const bytes = fromHex('00 08 00 01  00 00 00 2a');
    expect(decodeAttrs(viewOf(bytes), 0, 8, space, false)).toEqual([{ type: 'A_U32', value: 42 }]);
  });

  test.each([
    ['nla_len below 4', '03 00 01 00', 0, 'nla_len 3 is below 4'],
    ['zero-length attribute (would loop forever)', '00 00 01 00 00 00 00 00', 0, 'nla_len 0 is below 4'],
    ['nla_len past the end', '08 00 01 00 00 00', 0, 'nla_len 8 runs past the end (6 bytes left)'],
    ['stray bytes', '05 00 02 00 01 00 00 00 ff ff', 8, '2 stray bytes after the last attribute'],
    ['u32 payload too short', '06 00 01 00 01 00', 4, 'truncated: need 4 bytes, have 2'],
    ['string without NUL', '06 00 03 00 41 42', 4, 'no NUL terminator'],
  ])('%s → NetlinkDecodeError', (_name, hex, offset, reason) => {
    const bytes = fromHex(hex);
    let err: unknown;
    try {
      decodeAttrs(viewOf(bytes), 0, bytes.length, space, true);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NetlinkDecodeError);
    expect((err as NetlinkDecodeError).offset).toBe(offset);
    expect((err as NetlinkDecodeError).reason).toBe(reason);
  });

  test('encode rejects unknown names, bad flags and oversize attributes', () => {
    const v = new DataView(new ArrayBuffer(1 << 17));
    expect(() => encodeAttrs(v, 0, [{ type: 'NOPE', value: 1 }], space, true)).toThrow(NetlinkEncodeError);
    expect(() => encodeAttrs(v, 0, [{ type: 'A_U32', value: 1, flags: 1 }], space, true)).toThrow(NetlinkEncodeError);
    expect(() => encodeAttrs(v, 0, [{ type: 7, value: new Uint8Array(70000) }], space, true)).toThrow(/exceeds 65535/);
    expect(() => encodeAttrs(v, 0, [{ type: 'A_U32', value: -1 }], space, true)).toThrow(NetlinkEncodeError);
  });
});

describe('NlmsgWriter', () => {
  test('patches nlmsg_len and nla_len after the payload; batches align messages', () => {
    const w = new NlmsgWriter(64, true); // small: forces growth
    w.beginMessage(0x1c, 0x05, 1, 0x1234);
    w.view.setUint8(w.alloc(1), 50);
    w.endMessage(17); // an unpadded FLUSHSA like iproute2's
    w.beginMessage(0x20, 0x01, 2, 0);
    w.attr(1, u32, 0xdeadbeef);
    const nest = w.nestStart(4);
    w.attr(2, u8, 9);
    w.nestEnd(nest);
    w.attr(3, nulString, 'x'.repeat(100));
    w.endMessage();
    const b = w.finish();
    expect(w.messages).toBe(2);
    expect(toHex(b.subarray(0, 20))).toBe(
      '11000000' + '1c00' + '0500' + '01000000' + '34120000' + '32' + '000000',
    );
    const msgs = [...nlmsgIterate(viewOf(b), true)];
    expect(msgs.map((m) => [m.offset, m.len, m.type])).toEqual([
      [0, 17, 0x1c],
      [20, 16 + 8 + 12 + 108, 0x20],
    ]);
    // The nest covers its padded child: 4 + 8.
    expect(b[20 + 16 + 8]).toBe(12);
    expect(b[20 + 16 + 8 + 3]).toBe(0x80 | (NLA_F_NESTED >> 8) & 0x80);
  });

  test('reset reuses memory and zeroes padding', () => {
    const w = new NlmsgWriter(64, true);
    w.beginMessage(0x10, 1);
    new Uint8Array(w.view.buffer, w.alloc(8), 8).fill(0xff);
    w.endMessage();
    w.reset();
    w.beginMessage(0x10, 1);
    w.attr(2, u8, 1);
    w.endMessage();
    expect(toHex(w.finish())).toBe('18000000' + '1000' + '0100' + '00000000' + '00000000' + '05000200' + '01000000');
  });

  test('alloc hands out zeroed bytes after an aborted message, a truncate, a reset and growth', () => {
    const w = new NlmsgWriter(64, true); // small: growth below copies only what is written
    const dirty = (n: number): void => {
      const off = w.alloc(n); // before reading the buffer: alloc may grow it
      new Uint8Array(w.view.buffer, off, n).fill(0xee);
    };
    const allocZero = (n: number): void => {
      const off = w.alloc(n);
      expect([...new Uint8Array(w.view.buffer, off, n)].every((b) => b === 0)).toBe(true);
      new Uint8Array(w.view.buffer, off, n).fill(0xee);
    };
    w.beginMessage(0x10, 1);
    dirty(40);
    w.abortMessage(); // its 56 bytes stay behind
    w.beginMessage(0x10, 1);
    allocZero(24); // over the aborted bytes
    w.endMessage();
    const len = w.length;
    w.beginMessage(0x10, 1);
    dirty(20);
    w.endMessage();
    w.truncate(1, len);
    const start = w.beginMessage(0x10, 1);
    allocZero(30); // partly over the dropped message, partly past it
    w.endMessage(); // 2 bytes of padding, over dirty bytes of the dropped message's past
    expect(w.view.getUint16(start + 16 + 30, true)).toBe(0);
    w.reset();
    w.beginMessage(0x10, 1);
    allocZero(100); // past the first buffer: grows
    allocZero(4000);
    w.endMessage();
    w.reset();
    w.beginMessage(0x10, 1);
    allocZero(4100);
    w.endMessage();
  });

  test('rejects an nlmsg_len that does not fit', () => {
    const w = new NlmsgWriter();
    w.beginMessage(0x10, 1);
    w.alloc(3);
    expect(() => w.endMessage(15)).toThrow(NetlinkEncodeError);
  });
});

describe('datagram reader', () => {
  test.each([
    ['short header', '10 00 00 00 02 00', 0, 'truncated: need 16 bytes, have 6'],
    ['nlmsg_len below 16', '08 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00', 0, 'nlmsg_len 8 is below 16'],
    ['nlmsg_len past the end', '20 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00', 0, 'nlmsg_len 32 runs past the end (16 bytes left)'],
  ])('%s', (_n, hex, offset, reason) => {
    const bytes = fromHex(hex);
    try {
      decodeMessages(bytes, null, true);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NetlinkDecodeError);
      expect((e as NetlinkDecodeError).what).toBe('nlmsghdr');
      expect((e as NetlinkDecodeError).offset).toBe(offset);
      expect((e as NetlinkDecodeError).reason).toBe(reason);
    }
  });
});

describe('acknowledgements (NLMSG_ERROR) and NLMSG_DONE', () => {
  // A success ACK as the kernel sends it: always NLM_F_CAPPED (XFRM-ABI §6.3).
  const ack = fromHex(`
    24 00 00 00   # nlmsg_len = 36
    02 00         # NLMSG_ERROR
    00 01         # NLM_F_CAPPED
    07 00 00 00   # seq 7
    39 30 00 00   # pid 12345
    00 00 00 00   # error 0 → ACK
    2c 00 00 00 13 00 05 00 07 00 00 00 39 30 00 00   # echoed request header
  `);
  test('ACK', () => {
    const [m] = decodeMessages(ack, null, true) as NlmsgErrorMessage[];
    expect(m).toEqual({
      type: 'NLMSG_ERROR',
      flags: NLM_F_CAPPED,
      seq: 7,
      pid: 12345,
      error: 0,
      msg: { len: 44, type: 0x13, flags: 5, seq: 7, pid: 12345 },
      payload: new Uint8Array(0),
      attrs: [],
    });
    expect(toHex(encodeMessages([m!], null, true))).toBe(toHex(ack));
  });

  // An error with the request payload echoed (not capped) and extended-ACK TLVs after it,
  // including a nested NLMSGERR_ATTR_POLICY.
  test('error with echoed payload and TLVs', () => {
    // Build it with the encoder and check the layout by hand.
    const msg: NlmsgErrorMessage = {
      type: 'NLMSG_ERROR',
      flags: NLM_F_ACK_TLVS,
      seq: 2,
      pid: 12345,
      error: -22,
      msg: { len: 21, type: 0x1c, flags: 5, seq: 2, pid: 12345 },
      payload: Uint8Array.of(0x32, 1, 2, 3, 4),
      attrs: [
        { type: 'NLMSGERR_ATTR_MSG', value: 'bad' },
        { type: 'NLMSGERR_ATTR_OFFS', value: 16 },
        {
          type: 'NLMSGERR_ATTR_POLICY',
          value: [
            { type: 'NL_POLICY_TYPE_ATTR_TYPE', value: 2 },
            { type: 'NL_POLICY_TYPE_ATTR_MAX_VALUE_U', value: 2n },
          ],
        },
      ],
    };
    const bytes = encodeMessages([msg], null, true);
    expect(toHex(bytes.subarray(36, 44))).toBe('3201020304000000'); // payload + padding
    expect(toHex(bytes.subarray(44, 52))).toBe('0800' + '0100' + '62616400'); // "bad\0"
    expect(toHex(bytes.subarray(52, 60))).toBe('0800' + '0200' + '10000000');
    expect(toHex(bytes.subarray(60, 64))).toBe('1800' + '0480'); // nested, NLA_F_NESTED
    const back = decodeMessages(bytes, null, true);
    expect(back).toEqual([msg]);
    expect(extackOf(msg.attrs)).toMatchObject({ message: 'bad', offset: 16 });
  });

  test('DONE with an error and TLVs, and an empty DONE', () => {
    const done = fromHex(`
      1c 00 00 00  03 00  02 02  05 00 00 00  39 30 00 00   # NLMSG_DONE, MULTI|ACK_TLVS, len 28
      ea ff ff ff                                           # -22
      08 00 02 00  10 00 00 00                              # OFFS 16
    `);
    const [m] = decodeMessages(done, null, true);
    expect(m).toEqual({ type: 'NLMSG_DONE', flags: 0x202, seq: 5, pid: 12345, error: -22, attrs: [{ type: 'NLMSGERR_ATTR_OFFS', value: 16 }] });
    expect(toHex(encodeMessages([m!], null, true))).toBe(toHex(done));
    const empty = fromHex('10 00 00 00 03 00 02 00 05 00 00 00 00 00 00 00');
    expect(decodeMessages(empty, null, true)).toEqual([{ type: 'NLMSG_DONE', flags: 2, seq: 5, pid: 0, attrs: [] }]);
  });

  test('NOOP, OVERRUN and unknown types are kept raw', () => {
    const b = fromHex('14 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 aa bb cc dd  10 00 00 00 04 00 00 00 00 00 00 00 00 00 00 00  12 00 00 00 77 00 00 00 00 00 00 00 00 00 00 00 01 02');
    const ms = decodeMessages(b, null, true);
    expect(ms.map((m) => m.type)).toEqual(['NLMSG_NOOP', 'NLMSG_OVERRUN', 0x77]);
    expect(ms[2]!.len).toBe(18);
    expect(toHex(encodeMessages(ms, null, true))).toBe(toHex(b));
  });

  // Issue 10 item 1: an echoed nlmsg_len ≥ 0x80000013 made nlaAlign negative, the bounds
  // check passed, copyBytes sliced ~2 GiB "to the end of the ArrayBuffer" (Node's buffer
  // pool) and decodeAttrs threw a RangeError.
  test.each([0x80000010, 0x80000013, 0x7fffffff, 0xfffffffc, 0xffffffff])(
    'NLMSG_ERROR with ACK_TLVS and echoed nlmsg_len %i is a NetlinkDecodeError',
    (echoed) => {
      const b = Buffer.alloc(36); // pooled: the slice past byte 36 would be Node's pool
      b.writeUInt32LE(36, 0);
      b.writeUInt16LE(2, 4);
      b.writeUInt16LE(NLM_F_ACK_TLVS, 6);
      b.writeInt32LE(-22, 16);
      b.writeUInt32LE(echoed, 20);
      let thrown: unknown;
      try {
        decodeXfrmMessages(b);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(NetlinkDecodeError);
      expect(thrown).toMatchObject({ what: 'nlmsgerr', offset: 20 });
      expect(String(thrown)).toMatch(/echoed nlmsg_len \d+ does not fit the message/);
    },
  );

  test('a truncated nlmsgerr is a decode error', () => {
    const b = fromHex('18 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 02 03 04');
    expect(() => decodeMessages(b, null, true)).toThrow(/nlmsgerr at offset 16: truncated/);
  });
});

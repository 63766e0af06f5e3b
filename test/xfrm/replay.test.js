/**
 * Replay bitmap helpers against the cases XFRM-ABI.md §7.2 verified with real ESP traffic.
 */
import { describe, expect, test } from 'vitest';
import { advanceOutbound, closeWindow, esnBitIndex, esnReplayBit, esnSetReplayBit, legacyReplayHas, } from '../../src/xfrm/replay.js';
import { NetlinkEncodeError } from '../../src/netlink/errors.js';
describe('legacy bitmap: bit i = seq - i', () => {
    test('seq 50, bitmap 1<<8 records packet 42 (the kernel dropped a resent 42)', () => {
        expect(legacyReplayHas({ oseq: 0, seq: 50, bitmap: 1 << 8 }, 42)).toBe(true);
        expect(legacyReplayHas({ oseq: 0, seq: 50, bitmap: 1 << 7 }, 42)).toBe(false);
        expect(legacyReplayHas({ oseq: 0, seq: 50, bitmap: 0xffffffff }, 51)).toBe(false); // above the top
        expect(legacyReplayHas({ oseq: 0, seq: 50, bitmap: 0xffffffff }, 18)).toBe(false); // below the window
    });
});
describe('ESN bitmap: a ring, sequence s at (s - 1) mod window', () => {
    const base = { bmpLen: 4, oseq: 0, seq: 0x20, oseqHi: 0, seqHi: 7, replayWindow: 128, bmp: [0, 0, 0, 0] };
    test('packet 0x12 lives at bit 17, not at bit 14 (= seq - s)', () => {
        expect(esnBitIndex(0x12, 128)).toBe(17);
        expect(esnReplayBit({ ...base, bmp: [1 << 17, 0, 0, 0] }, 0x12)).toBe(true);
        expect(esnReplayBit({ ...base, bmp: [1 << 14, 0, 0, 0] }, 0x12)).toBe(false);
        expect(esnSetReplayBit(base, 0x12).bmp).toEqual([1 << 17, 0, 0, 0]);
    });
    test('the wrap: 0xffffffff and 0 are bits 126 and 127', () => {
        const r = esnSetReplayBit(esnSetReplayBit(base, 0xffffffff), 0);
        expect(r.bmp[3]).toBe(0xc0000000);
    });
    test('a short-form state (no words) is filled out to bmpLen', () => {
        expect(esnSetReplayBit({ ...base, bmp: [] }, 1).bmp).toEqual([1, 0, 0, 0]);
    });
});
describe('restore arithmetic', () => {
    test('the outbound margin carries into oseqHi with ESN and is refused past 2^32-1 without', () => {
        const esn = { bmpLen: 4, oseq: 0xfffffff0, seq: 0, oseqHi: 3, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] };
        expect(advanceOutbound(esn, 0x100, true)).toMatchObject({ oseqHi: 4, oseq: 0xf0 });
        expect(() => advanceOutbound(esn, 0x100, false)).toThrow(/passes 4294967295/);
    });
    test('closeWindow sets exactly the window bits', () => {
        const esn = { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 40, bmp: [0, 0, 0, 0] };
        expect(closeWindow(esn).bmp).toEqual([0xffffffff, 0xff, 0, 0]);
        expect(closeWindow({ oseq: 0, seq: 9, bitmap: 1 }).bitmap).toBe(0xffffffff);
    });
});
describe('bounds before work (issue 10 item 2)', () => {
    test('closeWindow and esnSetReplayBit refuse a state outside the kernel limits before allocating anything', () => {
        const ok = { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] };
        expect(closeWindow(ok).bmp).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
        const cases = [
            [{ bmpLen: 129, replayWindow: 4128, bmp: [] }, /^xfrm_replay_state_esn\.bmp_len: 129 words: the kernel accepts at most 128$/],
            [{ bmpLen: 0xffffffff, replayWindow: 0x7fffffff, bmp: [] }, /^xfrm_replay_state_esn\.bmp_len: /],
            [{ replayWindow: 0x7fffffff }, /^xfrm_replay_state_esn\.replay_window: 2147483647 packets do not fit bmp_len 4/],
            [{ bmp: [0, 0, 0, 0, 0] }, /^xfrm_replay_state_esn\.bmp: has 5 words but bmp_len is 4$/],
            [{ bmpLen: 2.5 }, /^xfrm_replay_state_esn\.bmp_len: expected an integer/],
        ];
        for (const [over, msg] of cases) {
            const bad = { ...ok, ...over };
            expect(() => closeWindow(bad)).toThrow(NetlinkEncodeError);
            expect(() => closeWindow(bad)).toThrow(msg);
            expect(() => esnSetReplayBit(bad, 1)).toThrow(NetlinkEncodeError);
        }
    });
});

import { describe, expect, it } from 'vitest';
import { encodeXfrmReplayStateEsn, XFRM_REPLAY_STATE_ESN_PADDING, XFRM_REPLAY_STATE_ESN_SIZE, xfrmReplayStateEsnCodec, } from '../../../src/xfrm/structs/replay-state-esn.js';
import { fromHex, randomBytes, toHex } from '../../helpers/hex.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
// XFRM-ABI.md §7.2: ESN seq = 0x20, seq_hi = 7, window 128; after receiving 0x12 with bit 14 set,
// bmp[0] = 0x24000 (bits 14 and 17 = (0x12 − 1) mod 128).
const ESN = { bmpLen: 4, oseq: 41, seq: 0x20, oseqHi: 0, seqHi: 7, replayWindow: 128, bmp: [0x24000, 0, 0, 0xc0000000] };
structSuite({
    name: 'xfrm_replay_state_esn',
    size: 24,
    sizeConst: XFRM_REPLAY_STATE_ESN_SIZE,
    codec: xfrmReplayStateEsnCodec,
    encode: encodeXfrmReplayStateEsn,
    variable: true,
    samples: [
        ESN,
        { ...ESN, bmp: [] }, // short form: header only, bmp_len 4
        { ...ESN, bmp: [1, 2] }, // fewer words than bmp_len
        // bmp_len 200 > 128 is rejected by the kernel, but a test must be able to send it.
        { bmpLen: 200, oseq: 0xffffffff, seq: 0xffffffff, oseqHi: 0xffffffff, seqHi: 0xffffffff, replayWindow: 0, bmp: [] },
    ],
    padding: XFRM_REPLAY_STATE_ESN_PADDING,
    expectedPadding: [],
    randomInput: (rand, le) => {
        const words = Math.floor(rand() * 7);
        const b = randomBytes(rand, 24 + 4 * words + Math.floor(rand() * 4));
        const pick = rand();
        const bmpLen = pick < 0.25 ? words : pick < 0.5 ? Math.floor(rand() * words) : pick < 0.75 ? words + 3 : Math.floor(rand() * 2 ** 32);
        new DataView(b.buffer).setUint32(0, bmpLen, le);
        return b;
    },
});
describe('xfrm_replay_state_esn bytes', () => {
    it('little-endian host', () => expectBytes(xfrmReplayStateEsnCodec, ESN, `
      04000000 # 0  bmp_len 4 WORDS
      29000000 # 4  oseq 41: next packet carries 42
      20000000 # 8  seq 0x20
      00000000 # 12 oseq_hi
      07000000 # 16 seq_hi 7
      80000000 # 20 replay_window 128 packets
      00400200 # 24 bmp[0] 0x24000 (host-order word)
      00000000 # 28 bmp[1]
      00000000 # 32 bmp[2]
      000000c0 # 36 bmp[3] 0xc0000000: bits 126, 127
      `, true));
    it('big-endian host: words are host order too', () => expectBytes(xfrmReplayStateEsnCodec, ESN, '00000004 00000029 00000020 00000000 00000007 00000080 00024000 00000000 00000000 c0000000', false));
    it('decodes the 24-byte short form with an empty bmp', () => {
        const short = encodeToBytes(xfrmReplayStateEsnCodec, { ...ESN, bmp: [] }, true);
        expect(short.length).toBe(24);
        expect(decodeBytes(xfrmReplayStateEsnCodec, short, true)).toEqual({ ...ESN, bmp: [] });
    });
    it('reads only whole words, at most bmp_len of them', () => {
        const full = encodeToBytes(xfrmReplayStateEsnCodec, ESN, true);
        expect(decodeBytes(xfrmReplayStateEsnCodec, full.subarray(0, 24 + 4 + 3), true).bmp).toEqual([0x24000]);
        const longer = fromHex(toHex(full) + 'ffffffff');
        const v = decodeBytes(xfrmReplayStateEsnCodec, longer, true);
        expect(v.bmp).toHaveLength(4);
        expect(xfrmReplayStateEsnCodec.length(v)).toBe(40);
    });
    it('rejects bad fields and more words than bmp_len', () => expectEncodeErrors(xfrmReplayStateEsnCodec, ESN, [
        [{ bmpLen: 3 }, 'xfrm_replay_state_esn.bmp'],
        [{ bmp: [0, 2 ** 32] }, 'xfrm_replay_state_esn.bmp[1]'],
        [{ bmp: [-1] }, 'xfrm_replay_state_esn.bmp[0]'],
        [{ bmp: 'x' }, 'xfrm_replay_state_esn.bmp'],
        [{ bmpLen: -1 }, 'xfrm_replay_state_esn.bmp_len'],
        [{ oseq: 2 ** 32 }, 'xfrm_replay_state_esn.oseq'],
        [{ seq: -1 }, 'xfrm_replay_state_esn.seq'],
        [{ oseqHi: 0.5 }, 'xfrm_replay_state_esn.oseq_hi'],
        [{ seqHi: 2 ** 32 }, 'xfrm_replay_state_esn.seq_hi'],
        [{ replayWindow: -1 }, 'xfrm_replay_state_esn.replay_window'],
    ]));
});

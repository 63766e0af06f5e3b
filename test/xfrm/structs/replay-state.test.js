import { describe, it } from 'vitest';
import { decodeXfrmReplayState, encodeXfrmReplayState, XFRM_REPLAY_STATE_PADDING, XFRM_REPLAY_STATE_SIZE, xfrmReplayStateCodec, } from '../../../src/xfrm/structs/replay-state.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
// XFRM-ABI.md §7.2: seq = 50, bitmap = 1<<7 means packet 43 (= 50 − 7) was received.
const RS = { oseq: 41, seq: 50, bitmap: 1 << 7 };
structSuite({
    name: 'xfrm_replay_state',
    size: 12,
    sizeConst: XFRM_REPLAY_STATE_SIZE,
    codec: xfrmReplayStateCodec,
    encode: encodeXfrmReplayState,
    decode: decodeXfrmReplayState,
    samples: [RS, { oseq: 0xffffffff, seq: 0, bitmap: 0xffffffff }],
    padding: XFRM_REPLAY_STATE_PADDING,
    expectedPadding: [],
});
describe('xfrm_replay_state bytes', () => {
    it('little-endian host', () => expectBytes(xfrmReplayStateCodec, RS, `
      29000000 # 0 oseq 41: the next packet carries 42
      32000000 # 4 seq 50
      80000000 # 8 bitmap bit 7 = seq − 7
      `, true));
    it('big-endian host', () => expectBytes(xfrmReplayStateCodec, RS, '00000029 00000032 00000080', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmReplayStateCodec, RS, [
        [{ oseq: 2 ** 32 }, 'xfrm_replay_state.oseq'],
        [{ seq: -1 }, 'xfrm_replay_state.seq'],
        [{ bitmap: NaN }, 'xfrm_replay_state.bitmap'],
    ]));
});

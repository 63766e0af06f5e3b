import { describe, it } from 'vitest';
import { decodeXfrmStats, encodeXfrmStats, XFRM_STATS_PADDING, XFRM_STATS_SIZE, xfrmStatsCodec, } from '../../../src/xfrm/structs/stats.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { STATS, STATS_LE } from './samples.js';
structSuite({
    name: 'xfrm_stats',
    size: 12,
    sizeConst: XFRM_STATS_SIZE,
    codec: xfrmStatsCodec,
    encode: encodeXfrmStats,
    decode: decodeXfrmStats,
    samples: [STATS],
    padding: XFRM_STATS_PADDING,
    expectedPadding: [],
});
describe('xfrm_stats bytes', () => {
    it('little-endian host', () => expectBytes(xfrmStatsCodec, STATS, STATS_LE, true));
    it('big-endian host', () => expectBytes(xfrmStatsCodec, STATS, '00000001 00000100 deadbeef', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmStatsCodec, STATS, [
        [{ replayWindow: -1 }, 'xfrm_stats.replay_window'],
        [{ integrityFailed: 2 ** 32 }, 'xfrm_stats.integrity_failed'],
    ]));
});

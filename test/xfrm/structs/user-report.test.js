import { describe, it } from 'vitest';
import { decodeXfrmUserReport, encodeXfrmUserReport, XFRM_USER_REPORT_PADDING, XFRM_USER_REPORT_SIZE, xfrmUserReportCodec, } from '../../../src/xfrm/structs/user-report.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SEL4, SEL4_LE, SEL6 } from './samples.js';
const R = { proto: 43, sel: SEL4 };
structSuite({
    name: 'xfrm_user_report',
    size: 60,
    sizeConst: XFRM_USER_REPORT_SIZE,
    codec: xfrmUserReportCodec,
    encode: encodeXfrmUserReport,
    decode: decodeXfrmUserReport,
    samples: [R, { proto: 60, sel: SEL6 }],
    padding: XFRM_USER_REPORT_PADDING,
    expectedPadding: [
        [1, 4],
        [49, 52],
    ],
});
describe('xfrm_user_report bytes', () => {
    it('little-endian host', () => expectBytes(xfrmUserReportCodec, R, `
      2b        # 0 proto IPPROTO_ROUTING
      000000    # 1 padding
      ${SEL4_LE} # 4 sel
      `, true));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserReportCodec, R, [
        [{ proto: 256 }, 'xfrm_user_report.proto'],
        [{ sel: { ...SEL4, user: -1 } }, 'xfrm_selector.user'],
    ]));
});

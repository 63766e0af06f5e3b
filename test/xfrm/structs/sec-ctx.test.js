import { describe, expect, it } from 'vitest';
import { encodeXfrmSecCtx, XFRM_SEC_CTX_PADDING, XFRM_SEC_CTX_SIZE, xfrmSecCtxCodec, } from '../../../src/xfrm/structs/sec-ctx.js';
import { randomBytes } from '../../helpers/hex.js';
import { encodeToBytes, expectBytes, expectDecodeError, expectEncodeErrors, structSuite, viewOfBytes, } from '../../helpers/struct-suite.js';
const SC = { ctxDoi: 1, ctxAlg: 1, ctxSid: 0x12345, ctx: 'u:r:t:s0' };
structSuite({
    name: 'xfrm_sec_ctx',
    size: 8,
    sizeConst: XFRM_SEC_CTX_SIZE,
    codec: xfrmSecCtxCodec,
    encode: encodeXfrmSecCtx,
    variable: true,
    samples: [SC, { ctxDoi: 0, ctxAlg: 0, ctxSid: 0xffffffff, ctx: '' }, { ...SC, ctx: '\0\u00e9\u00ff' }],
    padding: XFRM_SEC_CTX_PADDING,
    expectedPadding: [],
    randomInput: (rand, le) => {
        const n = Math.floor(rand() * 40);
        const b = randomBytes(rand, 8 + n + Math.floor(rand() * 4));
        new DataView(b.buffer).setUint16(2, n, le);
        return b;
    },
});
describe('xfrm_sec_ctx bytes', () => {
    it('little-endian host', () => expectBytes(xfrmSecCtxCodec, SC, `
      01               # 0 ctx_doi LSM
      01               # 1 ctx_alg SELINUX
      0800             # 2 ctx_len 8 (host)
      45230100         # 4 ctx_sid 0x12345 (host)
      753a723a743a7330 # 8 ctx_str "u:r:t:s0"
      `, true));
    it('big-endian host', () => expectBytes(xfrmSecCtxCodec, SC, '01 01 0008 00012345 753a723a743a7330', false));
    it('rejects a ctx_len beyond the payload', () => {
        const out = encodeToBytes(xfrmSecCtxCodec, SC, false);
        const e = expectDecodeError(() => xfrmSecCtxCodec.decode(viewOfBytes(out), 0, 12, false), 'xfrm_sec_ctx');
        expect(e.reason).toBe('ctx_len 8 exceeds the 4 bytes after the header');
    });
    it('rejects bad fields', () => expectEncodeErrors(xfrmSecCtxCodec, SC, [
        [{ ctx: 'Ā' }, 'xfrm_sec_ctx.ctx_str'],
        [{ ctx: 'x'.repeat(0x10000) }, 'xfrm_sec_ctx.ctx_len'],
        [{ ctxSid: -1 }, 'xfrm_sec_ctx.ctx_sid'],
        [{ ctxDoi: 256 }, 'xfrm_sec_ctx.ctx_doi'],
        [{ ctxAlg: 256 }, 'xfrm_sec_ctx.ctx_alg'],
    ]));
});

import { describe, expect, it } from 'vitest';
import { encodeXfrmUserSecCtx, XFRM_USER_SEC_CTX_PADDING, XFRM_USER_SEC_CTX_SIZE, xfrmUserSecCtxCodec, } from '../../../src/xfrm/structs/user-sec-ctx.js';
import { randomBytes } from '../../helpers/hex.js';
import { decodeBytes, encodeToBytes, expectBytes, expectDecodeError, expectEncodeErrors, structSuite, viewOfBytes, } from '../../helpers/struct-suite.js';
const CTX = { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'system_u:object_r:ipsec_spd_t:s0' };
structSuite({
    name: 'xfrm_user_sec_ctx',
    size: 8,
    sizeConst: XFRM_USER_SEC_CTX_SIZE,
    codec: xfrmUserSecCtxCodec,
    encode: encodeXfrmUserSecCtx,
    variable: true,
    samples: [
        CTX,
        { exttype: 0, ctxAlg: 0, ctxDoi: 0, ctx: '' },
        { exttype: 0xffff, ctxAlg: 255, ctxDoi: 255, ctx: 'a\0\u00ff\u0080z\0' }, // any bytes, NULs kept
    ],
    padding: XFRM_USER_SEC_CTX_PADDING,
    expectedPadding: [],
    randomInput: (rand, le) => {
        const n = Math.floor(rand() * 40);
        const b = randomBytes(rand, 8 + n + Math.floor(rand() * 4));
        const dv = new DataView(b.buffer);
        dv.setUint16(0, 8 + n, le);
        dv.setUint16(6, n, le);
        return b;
    },
});
describe('xfrm_user_sec_ctx bytes', () => {
    const V = { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'u:r:t:s0' };
    it('little-endian host', () => expectBytes(xfrmUserSecCtxCodec, V, `
      1000             # 0 len 16 = 8 + ctx_len (host)
      0800             # 2 exttype XFRMA_SEC_CTX
      01               # 4 ctx_alg SELINUX
      01               # 5 ctx_doi LSM
      0800             # 6 ctx_len 8
      753a723a743a7330 # 8 "u:r:t:s0"
      `, true));
    it('big-endian host', () => expectBytes(xfrmUserSecCtxCodec, V, '0010 0008 01 01 0008 753a723a743a7330', false));
    it('rejects len ≠ 8 + ctx_len and a ctx_len beyond the payload', () => {
        const out = encodeToBytes(xfrmUserSecCtxCodec, CTX, true);
        const bad = out.slice();
        bad[0]++;
        expect(expectDecodeError(() => decodeBytes(xfrmUserSecCtxCodec, bad, true), 'xfrm_user_sec_ctx').reason).toBe('len 41 is not 8 + ctx_len 32');
        const e = expectDecodeError(() => xfrmUserSecCtxCodec.decode(viewOfBytes(out), 0, out.length - 1, true), 'xfrm_user_sec_ctx');
        expect(e.reason).toBe('ctx_len 32 exceeds the 31 bytes after the header');
        expect(e.offset).toBe(6);
    });
    it('rejects chars above U+00FF and over-long contexts', () => expectEncodeErrors(xfrmUserSecCtxCodec, CTX, [
        [{ ctx: 'label-€' }, 'xfrm_user_sec_ctx.ctx'],
        [{ ctx: 7 }, 'xfrm_user_sec_ctx.ctx'],
        [{ ctx: 'x'.repeat(0xffff - 7) }, 'xfrm_user_sec_ctx.ctx_len'],
        [{ exttype: 0x10000 }, 'xfrm_user_sec_ctx.exttype'],
        [{ ctxAlg: 256 }, 'xfrm_user_sec_ctx.ctx_alg'],
        [{ ctxDoi: -1 }, 'xfrm_user_sec_ctx.ctx_doi'],
    ]));
    it('the longest context fits exactly', () => {
        const v = { ...CTX, ctx: 'x'.repeat(0xffff - 8) };
        expect(decodeBytes(xfrmUserSecCtxCodec, encodeToBytes(xfrmUserSecCtxCodec, v, true), true)).toEqual(v);
    });
});

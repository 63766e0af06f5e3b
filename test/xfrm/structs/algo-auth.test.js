import { describe, it } from 'vitest';
import { encodeXfrmAlgoAuth, XFRM_ALGO_AUTH_PADDING, XFRM_ALGO_AUTH_SIZE, xfrmAlgoAuthCodec, } from '../../../src/xfrm/structs/algo-auth.js';
import { expectBytes, expectEncodeErrors } from '../../helpers/struct-suite.js';
import { algoFamilyTests } from './algo-cases.js';
algoFamilyTests({
    name: 'xfrm_algo_auth',
    header: 72,
    sizeConst: XFRM_ALGO_AUTH_SIZE,
    codec: xfrmAlgoAuthCodec,
    encode: encodeXfrmAlgoAuth,
    padding: XFRM_ALGO_AUTH_PADDING,
    make: (v) => ({ ...v, algTruncLen: 96 }),
});
describe('xfrm_algo_auth bytes', () => {
    const V = { algName: 'hmac(sha256)', algKeyLen: 256, algTruncLen: 128, algKey: new Uint8Array(32).fill(0xaa) };
    it('little-endian host', () => expectBytes(xfrmAlgoAuthCodec, V, `
      686d616328736861323536 29 # 0  alg_name "hmac(sha256)"
      ${'00'.repeat(52)}        # 12 NUL and padding
      00010000                  # 64 alg_key_len 256 bits
      80000000                  # 68 alg_trunc_len 128 bits
      ${'aa'.repeat(32)}        # 72 alg_key
      `, true));
    it('big-endian host', () => expectBytes(xfrmAlgoAuthCodec, V, `686d61632873686132353629 ${'00'.repeat(52)} 00000100 00000080 ${'aa'.repeat(32)}`, false));
    it('rejects alg_trunc_len outside u32', () => expectEncodeErrors(xfrmAlgoAuthCodec, V, [
        [{ algTruncLen: -1 }, 'xfrm_algo_auth.alg_trunc_len'],
        [{ algTruncLen: 2 ** 32 }, 'xfrm_algo_auth.alg_trunc_len'],
    ]));
});

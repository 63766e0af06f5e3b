import { describe, it } from 'vitest';
import { encodeXfrmAlgoAead, XFRM_ALGO_AEAD_PADDING, XFRM_ALGO_AEAD_SIZE, xfrmAlgoAeadCodec, } from '../../../src/xfrm/structs/algo-aead.js';
import { expectBytes, expectEncodeErrors } from '../../helpers/struct-suite.js';
import { algoFamilyTests } from './algo-cases.js';
algoFamilyTests({
    name: 'xfrm_algo_aead',
    header: 72,
    sizeConst: XFRM_ALGO_AEAD_SIZE,
    codec: xfrmAlgoAeadCodec,
    encode: encodeXfrmAlgoAead,
    padding: XFRM_ALGO_AEAD_PADDING,
    make: (v) => ({ ...v, algIcvLen: 128 }),
});
describe('xfrm_algo_aead bytes', () => {
    // rfc4106 AES-128: 16 key bytes + 4 salt bytes = 160 bits.
    const key = Uint8Array.from({ length: 20 }, (_, i) => 0xf0 + (i % 16));
    const V = { algName: 'rfc4106(gcm(aes))', algKeyLen: 160, algIcvLen: 128, algKey: key };
    it('little-endian host', () => expectBytes(xfrmAlgoAeadCodec, V, `
      7266633431303628 67636d2861657329 29 # 0  alg_name "rfc4106(gcm(aes))"
      ${'00'.repeat(47)}                   # 17 NUL and padding
      a0000000                             # 64 alg_key_len 160 bits (salt included)
      80000000                             # 68 alg_icv_len 128 bits
      f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff     # 72 alg_key: AES key
      f0f1f2f3                             # 88 ...and salt
      `, true));
    it('rejects alg_icv_len outside u32', () => expectEncodeErrors(xfrmAlgoAeadCodec, V, [[{ algIcvLen: 1.5 }, 'xfrm_algo_aead.alg_icv_len']]));
});

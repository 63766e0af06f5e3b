import { describe, it } from 'vitest';
import { encodeXfrmAlgo, XFRM_ALGO_PADDING, XFRM_ALGO_SIZE, xfrmAlgoCodec } from '../../../src/xfrm/structs/algo.js';
import { expectBytes } from '../../helpers/struct-suite.js';
import { algoFamilyTests } from './algo-cases.js';
algoFamilyTests({
    name: 'xfrm_algo',
    header: 68,
    sizeConst: XFRM_ALGO_SIZE,
    codec: xfrmAlgoCodec,
    encode: encodeXfrmAlgo,
    padding: XFRM_ALGO_PADDING,
    make: (v) => v,
});
describe('xfrm_algo bytes', () => {
    const V = { algName: 'cbc(aes)', algKeyLen: 128, algKey: Uint8Array.from({ length: 16 }, (_, i) => i + 1) };
    const NAME = `
    6362632861657329 # 0  alg_name "cbc(aes)"
    00               # 8  NUL, then zero padding to 64
    00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
  `;
    it('little-endian host', () => expectBytes(xfrmAlgoCodec, V, `
      ${NAME}
      80000000                         # 64 alg_key_len 128 BITS (host)
      0102030405060708090a0b0c0d0e0f10 # 68 alg_key
      `, true));
    it('big-endian host: only alg_key_len flips', () => expectBytes(xfrmAlgoCodec, V, `${NAME} 00000080 0102030405060708090a0b0c0d0e0f10`, false));
    it('XFRMA_ALG_COMP form: 68 bytes, alg_key_len 0', () => expectBytes(xfrmAlgoCodec, { algName: 'deflate', algKeyLen: 0, algKey: new Uint8Array(0) }, `6465666c617465 ${'00'.repeat(57)} 00000000`, true));
});

import { describe, it } from 'vitest';
import { decodeXfrmEncapTmpl, encodeXfrmEncapTmpl, XFRM_ENCAP_TMPL_PADDING, XFRM_ENCAP_TMPL_SIZE, xfrmEncapTmplCodec, } from '../../../src/xfrm/structs/encap-tmpl.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const NATT = { encapType: 2, encapSport: 4500, encapDport: 4501, encapOa: '0.0.0.0' };
structSuite({
    name: 'xfrm_encap_tmpl',
    size: 24,
    sizeConst: XFRM_ENCAP_TMPL_SIZE,
    codec: xfrmEncapTmplCodec,
    encode: encodeXfrmEncapTmpl,
    decode: decodeXfrmEncapTmpl,
    samples: [NATT, { encapType: 7, encapSport: 0xffff, encapDport: 0, encapOa: '2001:db8::7' }],
    padding: XFRM_ENCAP_TMPL_PADDING,
    expectedPadding: [[6, 8]],
});
describe('xfrm_encap_tmpl bytes', () => {
    it('little-endian host: encap_type host order, ports big-endian', () => expectBytes(xfrmEncapTmplCodec, NATT, `
      0200 # 0 encap_type UDP_ENCAP_ESPINUDP (host = LE)
      1194 # 2 encap_sport 4500 (BE)
      1195 # 4 encap_dport 4501 (BE)
      0000 # 6 padding
      00000000000000000000000000000000 # 8 encap_oa
      `, true));
    it('big-endian host: only encap_type changes', () => expectBytes(xfrmEncapTmplCodec, NATT, `
      0002 # 0 encap_type (host = BE)
      1194 # 2 encap_sport 4500 (BE)
      1195 # 4 encap_dport 4501 (BE)
      0000 # 6 padding
      00000000000000000000000000000000 # 8 encap_oa
      `, false));
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmEncapTmplCodec, NATT, [
        [{ encapType: 0x10000 }, 'xfrm_encap_tmpl.encap_type'],
        [{ encapSport: -1 }, 'xfrm_encap_tmpl.encap_sport'],
        [{ encapDport: 65536 }, 'xfrm_encap_tmpl.encap_dport'],
        [{ encapOa: 'nat' }, 'xfrm_encap_tmpl.encap_oa'],
    ]));
});

import { describe, expect, it } from 'vitest';
import {
  decodeXfrmLifetimeCfg,
  encodeXfrmLifetimeCfg,
  XFRM_LIFETIME_CFG_UNLIMITED,
  XFRM_LIFETIME_CFG_SIZE,
  xfrmLifetimeCfgCodec,
} from '../../../src/xfrm/structs/lifetime-cfg.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { LFT, LFT_LE } from './samples.js';

structSuite({
  name: 'xfrm_lifetime_cfg',
  size: 64,
  sizeConst: XFRM_LIFETIME_CFG_SIZE,
  codec: xfrmLifetimeCfgCodec,
  encode: encodeXfrmLifetimeCfg,
  decode: decodeXfrmLifetimeCfg,
  samples: [LFT],
  padding: [],
  expectedPadding: [],
});

describe('xfrm_lifetime_cfg bytes', () => {
  it('little-endian host', () => expectBytes(xfrmLifetimeCfgCodec, LFT, LFT_LE, true));
  it('big-endian host', () =>
    expectBytes(
      xfrmLifetimeCfgCodec,
      LFT,
      `
      ffffffffffffffff # 0  soft_byte_limit
      0102030405060708 # 8  hard_byte_limit (host = BE)
      00000000000003e8 # 16 soft_packet_limit 1000
      ffffffffffffffff # 24 hard_packet_limit
      0000000000000000 # 32 soft_add_expires_seconds
      0000000000000e10 # 40 hard_add_expires_seconds 3600
      0000000000000001 # 48 soft_use_expires_seconds
      ffffffffffffffff # 56 hard_use_expires_seconds
      `,
      false,
    ));
  it('rejects values outside u64', () =>
    expectEncodeErrors(xfrmLifetimeCfgCodec, LFT, [
      [{ softByteLimit: -1n }, 'xfrm_lifetime_cfg.soft_byte_limit'],
      [{ hardUseExpiresSeconds: 1n << 64n }, 'xfrm_lifetime_cfg.hard_use_expires_seconds'],
      [{ softPacketLimit: 5 as unknown as bigint }, 'xfrm_lifetime_cfg.soft_packet_limit'],
    ]));
});

describe('xfrm_lifetime_cfg without limits (the shared frozen default, written without its bigints)', () => {
  it.each([true, false])('the bytes of an equal object, in either byte order, even over used bytes (le %s)', (le) => {
    const copy = { ...XFRM_LIFETIME_CFG_UNLIMITED }; // not the shared object: the generic stores
    const want = new Uint8Array(72).fill(0xaa);
    encodeXfrmLifetimeCfg(new DataView(want.buffer), 4, copy, le);
    const got = new Uint8Array(72).fill(0xaa);
    encodeXfrmLifetimeCfg(new DataView(got.buffer), 4, XFRM_LIFETIME_CFG_UNLIMITED, le);
    expect(got).toEqual(want);
    expect(Object.isFrozen(XFRM_LIFETIME_CFG_UNLIMITED)).toBe(true);
    expect(decodeXfrmLifetimeCfg(new DataView(got.buffer), 4, le)).toEqual(copy);
  });
});

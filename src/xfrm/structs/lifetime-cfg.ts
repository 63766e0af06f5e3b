/**
 * `struct xfrm_lifetime_cfg` from `<linux/xfrm.h>`: soft and hard limits of an SA or policy.
 * @module
 */
import { checkU64, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { XFRM_INF } from '../constants.js';

/** `sizeof(struct xfrm_lifetime_cfg)` (alignment 8 on x86_64, 4 on i386). */
export const XFRM_LIFETIME_CFG_SIZE = 64;

/**
 * `struct xfrm_lifetime_cfg`. All fields are host-order `__u64`, as `bigint`.
 *
 * The sentinels are opposite (see `XFRM_INF`): for byte and packet limits `XFRM_INF` means
 * "no limit" and 0 a limit of 0 (expires on first use); for the `*ExpiresSeconds` fields 0
 * means "no limit" and `XFRM_INF` expires immediately.
 * @remarks
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 8 | `soft_byte_limit` |
 * | 8 | 8 | `hard_byte_limit` |
 * | 16 | 8 | `soft_packet_limit` |
 * | 24 | 8 | `hard_packet_limit` |
 * | 32 | 8 | `soft_add_expires_seconds` |
 * | 40 | 8 | `hard_add_expires_seconds` |
 * | 48 | 8 | `soft_use_expires_seconds` |
 * | 56 | 8 | `hard_use_expires_seconds` |
 * @group Kernel structs
 */
export interface XfrmLifetimeCfg {
  /** `soft_byte_limit` (bytes; `XFRM_INF` = none). */
  softByteLimit: bigint;
  /** `hard_byte_limit` (bytes; `XFRM_INF` = none). */
  hardByteLimit: bigint;
  /** `soft_packet_limit` (packets; `XFRM_INF` = none). */
  softPacketLimit: bigint;
  /** `hard_packet_limit` (packets; `XFRM_INF` = none). */
  hardPacketLimit: bigint;
  /** `soft_add_expires_seconds` (seconds after add; 0 = none). */
  softAddExpiresSeconds: bigint;
  /** `hard_add_expires_seconds` (seconds after add; 0 = none). */
  hardAddExpiresSeconds: bigint;
  /** `soft_use_expires_seconds` (seconds after first use; 0 = none). */
  softUseExpiresSeconds: bigint;
  /** `hard_use_expires_seconds` (seconds after first use; 0 = none). */
  hardUseExpiresSeconds: bigint;
}

const FIELDS = [
  ['softByteLimit', 'soft_byte_limit'],
  ['hardByteLimit', 'hard_byte_limit'],
  ['softPacketLimit', 'soft_packet_limit'],
  ['hardPacketLimit', 'hard_packet_limit'],
  ['softAddExpiresSeconds', 'soft_add_expires_seconds'],
  ['hardAddExpiresSeconds', 'hard_add_expires_seconds'],
  ['softUseExpiresSeconds', 'soft_use_expires_seconds'],
  ['hardUseExpiresSeconds', 'hard_use_expires_seconds'],
] as const;

/** Encode a `struct xfrm_lifetime_cfg` at `offset`. @throws {@link NetlinkEncodeError} for values outside u64. */
export function encodeXfrmLifetimeCfg(view: DataView, offset: number, v: XfrmLifetimeCfg, le: boolean): void {
  for (let i = 0; i < FIELDS.length; i++) checkU64(WHAT[i]!, v[FIELDS[i]![0]]);
  encodeXfrmLifetimeCfgChecked(view, offset, v, le);
}

/**
 * @internal The lifetime without limits (`XFRM_INF` bytes and packets, no expiry), frozen: the
 * default the client fills in. {@link encodeXfrmLifetimeCfgChecked} writes it without reading
 * its eight bigints.
 */
export const XFRM_LIFETIME_CFG_UNLIMITED: Readonly<XfrmLifetimeCfg> = Object.freeze({
  softByteLimit: XFRM_INF,
  hardByteLimit: XFRM_INF,
  softPacketLimit: XFRM_INF,
  hardPacketLimit: XFRM_INF,
  softAddExpiresSeconds: 0n,
  hardAddExpiresSeconds: 0n,
  softUseExpiresSeconds: 0n,
  hardUseExpiresSeconds: 0n,
});

/**
 * @internal {@link encodeXfrmLifetimeCfg} without its checks, for writers whose input was
 * checked before (`checkLifetimeCfg`): the one layout of the struct.
 * Straight-line stores, no loop over the field table: bulk loads write one per policy.
 */
export function encodeXfrmLifetimeCfgChecked(view: DataView, offset: number, v: XfrmLifetimeCfg, le: boolean): void {
  if (v === XFRM_LIFETIME_CFG_UNLIMITED) {
    // The shared default of every policy and SA without limits: four all-ones u64 (the same
    // bytes in either byte order), then zero seconds (written too: a caller may encode over
    // used bytes).
    for (let i = 0; i < 32; i += 4) view.setUint32(offset + i, 0xffffffff);
    for (let i = 32; i < 64; i += 4) view.setUint32(offset + i, 0);
    return;
  }
  view.setBigUint64(offset, v.softByteLimit, le);
  view.setBigUint64(offset + 8, v.hardByteLimit, le);
  view.setBigUint64(offset + 16, v.softPacketLimit, le);
  view.setBigUint64(offset + 24, v.hardPacketLimit, le);
  view.setBigUint64(offset + 32, v.softAddExpiresSeconds, le);
  view.setBigUint64(offset + 40, v.hardAddExpiresSeconds, le);
  view.setBigUint64(offset + 48, v.softUseExpiresSeconds, le);
  view.setBigUint64(offset + 56, v.hardUseExpiresSeconds, le);
}

/** The error path of each field, made once: bulk loads encode a lifetime per request. */
const WHAT = FIELDS.map(([, c]) => `xfrm_lifetime_cfg.${c}`);

/** Decode a `struct xfrm_lifetime_cfg` at `offset`. @throws {@link NetlinkDecodeError} if fewer than 64 bytes remain. */
export function decodeXfrmLifetimeCfg(view: DataView, offset: number, le: boolean): XfrmLifetimeCfg {
  need(view, offset, XFRM_LIFETIME_CFG_SIZE, 'xfrm_lifetime_cfg');
  return {
    softByteLimit: view.getBigUint64(offset, le),
    hardByteLimit: view.getBigUint64(offset + 8, le),
    softPacketLimit: view.getBigUint64(offset + 16, le),
    hardPacketLimit: view.getBigUint64(offset + 24, le),
    softAddExpiresSeconds: view.getBigUint64(offset + 32, le),
    hardAddExpiresSeconds: view.getBigUint64(offset + 40, le),
    softUseExpiresSeconds: view.getBigUint64(offset + 48, le),
    hardUseExpiresSeconds: view.getBigUint64(offset + 56, le),
  };
}

/** {@link Codec} of `struct xfrm_lifetime_cfg`. */
export const xfrmLifetimeCfgCodec: Codec<XfrmLifetimeCfg> = fixedCodec(
  'xfrm_lifetime_cfg',
  XFRM_LIFETIME_CFG_SIZE,
  encodeXfrmLifetimeCfg,
  decodeXfrmLifetimeCfg,
);

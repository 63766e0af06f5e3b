/**
 * The XFRM attribute spaces: `enum xfrm_attr_type_t` (`XFRMA_*`), `enum xfrm_sadattr_type_t`
 * (`XFRMA_SAD_*`, in `XFRM_MSG_NEWSADINFO`) and `enum xfrm_spdattr_type_t` (`XFRMA_SPD_*`, in
 * `XFRM_MSG_NEWSPDINFO`), each as a table from type number to name and payload codec, and
 * the typed attribute unions built from them.
 *
 * To add an attribute: add its constant to `constants.ts`, its value type to
 * {@link XfrmAttrValues} and its codec to the space below; the compiler refuses a value type
 * without a codec or a constant, a codec without a value type, and a codec of another type.
 * @module
 */
import { type Codec, empty, flag, u16, u32, u64, u8 } from '../netlink/codec.js';
import { NetlinkDecodeError, NetlinkEncodeError } from '../netlink/errors.js';
import { defineAttrSpace, type AttrCodecs, type AttrSpace, type AttrSpec, type NlAttribute, type UnknownAttribute } from '../netlink/nlattr.js';
import * as C from './constants.js';
import { decodeXfrmAddress, encodeXfrmAddress, XFRM_ADDRESS_SIZE, type XfrmAddress } from './structs/address.js';
import { xfrmAddressFilterCodec, type XfrmAddressFilter } from './structs/address-filter.js';
import { xfrmAlgoCodec, type XfrmAlgo } from './structs/algo.js';
import { xfrmAlgoAeadCodec, type XfrmAlgoAead } from './structs/algo-aead.js';
import { xfrmAlgoAuthCodec, type XfrmAlgoAuth } from './structs/algo-auth.js';
import { xfrmEncapTmplCodec, type XfrmEncapTmpl } from './structs/encap-tmpl.js';
import { xfrmLifetimeCurCodec, type XfrmLifetimeCur } from './structs/lifetime-cur.js';
import { xfrmMarkCodec, type XfrmMark } from './structs/mark.js';
import { xfrmReplayStateCodec, type XfrmReplayState } from './structs/replay-state.js';
import { xfrmReplayStateEsnCodec, type XfrmReplayStateEsn } from './structs/replay-state-esn.js';
import { xfrmuSadhinfoCodec, type XfrmuSadhinfo } from './structs/sadhinfo.js';
import { xfrmuSpdhinfoCodec, type XfrmuSpdhinfo } from './structs/spdhinfo.js';
import { xfrmuSpdhthreshCodec, type XfrmuSpdhthresh } from './structs/spdhthresh.js';
import { xfrmuSpdinfoCodec, type XfrmuSpdinfo } from './structs/spdinfo.js';
import { xfrmUserKmaddressCodec, type XfrmUserKmaddress } from './structs/user-kmaddress.js';
import { xfrmUserMigrateCodec, XFRM_USER_MIGRATE_SIZE, type XfrmUserMigrate } from './structs/user-migrate.js';
import { xfrmUserOffloadCodec, type XfrmUserOffload } from './structs/user-offload.js';
import { xfrmUserSecCtxCodec, type XfrmUserSecCtx } from './structs/user-sec-ctx.js';
import { xfrmUserTmplCodec, XFRM_USER_TMPL_SIZE, type XfrmUserTmpl } from './structs/user-tmpl.js';
import { xfrmUserpolicyInfoCodec, type XfrmUserpolicyInfo } from './structs/userpolicy-info.js';
import { xfrmUserpolicyTypeCodec, type XfrmUserpolicyType } from './structs/userpolicy-type.js';
import { xfrmUsersaInfoCodec, type XfrmUsersaInfo } from './structs/usersa-info.js';

/** Payload codec of a bare `xfrm_address_t` attribute (`XFRMA_SRCADDR`, `XFRMA_COADDR`). */
export const xfrmAddressCodec: Codec<XfrmAddress> = {
  name: 'xfrm_address_t',
  length: () => XFRM_ADDRESS_SIZE,
  encode: (view, offset, value) => encodeXfrmAddress(view, offset, value),
  decode(view, offset, available) {
    if (available < XFRM_ADDRESS_SIZE) {
      throw new NetlinkDecodeError('xfrm_address_t', offset, `truncated: need 16 bytes, have ${available}`);
    }
    return decodeXfrmAddress(view, offset);
  },
};

/**
 * Codec of an array of fixed-size structs packed back to back (`XFRMA_TMPL`, `XFRMA_MIGRATE`).
 * The count is `payload length / size`, as in the kernel; leftover bytes become the
 * attribute's `tail`. At least `min` and at most `max` elements are required on decode.
 */
export function arrayCodec<T>(elem: Codec<T>, size: number, min: number, max: number): Codec<T[]> {
  return {
    name: `${elem.name}[]`,
    length: (v) => v.length * size,
    encode(view, offset, v, le) {
      if (!Array.isArray(v)) throw new NetlinkEncodeError(`${elem.name}[]`, 'expected an array');
      for (let i = 0; i < v.length; i++) elem.encode(view, offset + i * size, v[i]!, le);
    },
    decode(view, offset, available, le) {
      const n = Math.floor(available / size);
      if (n < min) throw new NetlinkDecodeError(elem.name, offset, `truncated: need ${min * size} bytes, have ${available}`);
      if (n > max) throw new NetlinkDecodeError(elem.name, offset, `${n} entries, at most ${max} allowed`);
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(elem.decode(view, offset + i * size, size, le));
      return out;
    },
  };
}

/** Value type of each `XFRMA_*` attribute, keyed by its kernel name. */
export interface XfrmAttrValues {
  /** `struct xfrm_algo` + key: authentication algorithm (ICV length = the algorithm's default). */
  XFRMA_ALG_AUTH: XfrmAlgo;
  /** `struct xfrm_algo` + key: encryption algorithm. */
  XFRMA_ALG_CRYPT: XfrmAlgo;
  /** `struct xfrm_algo`: IPComp algorithm (no key). */
  XFRMA_ALG_COMP: XfrmAlgo;
  /** `struct xfrm_encap_tmpl`: UDP/TCP encapsulation (NAT-T). */
  XFRMA_ENCAP: XfrmEncapTmpl;
  /** Array of `struct xfrm_user_tmpl`: a policy's templates (1–6). */
  XFRMA_TMPL: XfrmUserTmpl[];
  /** `struct xfrm_usersa_info`: the full SA in `XFRM_MSG_DELSA` notifications. */
  XFRMA_SA: XfrmUsersaInfo;
  /** `struct xfrm_userpolicy_info`: the full policy in `XFRM_MSG_DELPOLICY` notifications. */
  XFRMA_POLICY: XfrmUserpolicyInfo;
  /** `struct xfrm_user_sec_ctx` + context string. */
  XFRMA_SEC_CTX: XfrmUserSecCtx;
  /** `struct xfrm_lifetime_cur`: current lifetime counters (NEWSA/UPDSA/NEWAE input, NEWAE output). */
  XFRMA_LTIME_VAL: XfrmLifetimeCur;
  /** `struct xfrm_replay_state`: legacy (≤ 32-packet window) replay state. */
  XFRMA_REPLAY_VAL: XfrmReplayState;
  /** u32 packets: replay-threshold for async events. */
  XFRMA_REPLAY_THRESH: number;
  /** u32: async-event timer. Written in jiffies, read back in 100 ms units. */
  XFRMA_ETIMER_THRESH: number;
  /** `xfrm_address_t`: source address for GETSA/DELSA by address (non-SPI protocols). */
  XFRMA_SRCADDR: XfrmAddress;
  /** `xfrm_address_t`: care-of address (MIPv6). */
  XFRMA_COADDR: XfrmAddress;
  /** u64 seconds since the epoch: last use of the SA. */
  XFRMA_LASTUSED: bigint;
  /** `struct xfrm_userpolicy_type`: main or sub policy. */
  XFRMA_POLICY_TYPE: XfrmUserpolicyType;
  /** Array of `struct xfrm_user_migrate` (1–6). */
  XFRMA_MIGRATE: XfrmUserMigrate[];
  /** `struct xfrm_algo_aead` + key: combined-mode algorithm. */
  XFRMA_ALG_AEAD: XfrmAlgoAead;
  /** `struct xfrm_user_kmaddress`: key-manager addresses for MIGRATE. */
  XFRMA_KMADDRESS: XfrmUserKmaddress;
  /** `struct xfrm_algo_auth` + key: authentication with explicit truncation. */
  XFRMA_ALG_AUTH_TRUNC: XfrmAlgoAuth;
  /** `struct xfrm_mark`: mark value and mask. */
  XFRMA_MARK: XfrmMark;
  /** u32 bytes: TFC padding (tunnel mode ESP). */
  XFRMA_TFCPAD: number;
  /** `struct xfrm_replay_state_esn` + bitmap: ESN / large-window replay state. */
  XFRMA_REPLAY_ESN_VAL: XfrmReplayStateEsn;
  /** u32 `XFRM_SA_XFLAG_*`. */
  XFRMA_SA_EXTRA_FLAGS: number;
  /** u8: protocol filter of a GETSA dump. */
  XFRMA_PROTO: number;
  /** `struct xfrm_address_filter`: address filter of a GETSA dump. */
  XFRMA_ADDRESS_FILTER: XfrmAddressFilter;
  /** Empty padding before 64-bit attributes on some architectures. */
  XFRMA_PAD: null;
  /** `struct xfrm_user_offload`: hardware offload device. */
  XFRMA_OFFLOAD_DEV: XfrmUserOffload;
  /** u32: output mark set on packets after transformation (`XFRMA_OUTPUT_MARK`). */
  XFRMA_SET_MARK: number;
  /** u32: mask of {@link XfrmAttrValues.XFRMA_SET_MARK}. */
  XFRMA_SET_MARK_MASK: number;
  /** u32: XFRM interface id. */
  XFRMA_IF_ID: number;
  /** u32 seconds: NAT mapping max age (input SAs). */
  XFRMA_MTIMER_THRESH: number;
  /** u8 `XFRM_SA_DIR_IN` (1) / `XFRM_SA_DIR_OUT` (2); kernel 6.10+. */
  XFRMA_SA_DIR: number;
  /** u32 seconds: NAT keepalive interval (output SAs); kernel 6.11+. */
  XFRMA_NAT_KEEPALIVE_INTERVAL: number;
  /** u32 CPU number of a per-CPU SA (upstream 6.13; Debian's 6.12.117 has it too). */
  XFRMA_SA_PCPU: number;
  /** u32 µs (IP-TFS input). */
  XFRMA_IPTFS_DROP_TIME: number;
  /** u16 packets (IP-TFS input). */
  XFRMA_IPTFS_REORDER_WINDOW: number;
  /** Flag (IP-TFS output): do not fragment. */
  XFRMA_IPTFS_DONT_FRAG: true;
  /** u32 µs (IP-TFS output). */
  XFRMA_IPTFS_INIT_DELAY: number;
  /** u32 octets (IP-TFS output). */
  XFRMA_IPTFS_MAX_QSIZE: number;
  /** u32 octets, 0 = PMTU (IP-TFS output). */
  XFRMA_IPTFS_PKT_SIZE: number;
}

/** Name of an `XFRMA_*` attribute, e.g. `'XFRMA_MARK'`. */
export type XfrmAttrName = keyof XfrmAttrValues;

/** Value type of each `XFRMA_SAD_*` attribute. */
export interface XfrmSadAttrValues {
  /** u32: number of SAs. */
  XFRMA_SAD_CNT: number;
  /** `struct xfrmu_sadhinfo`: hash table buckets. */
  XFRMA_SAD_HINFO: XfrmuSadhinfo;
}

/** Value type of each `XFRMA_SPD_*` attribute. */
export interface XfrmSpdAttrValues {
  /** `struct xfrmu_spdinfo`: policy counts per direction. */
  XFRMA_SPD_INFO: XfrmuSpdinfo;
  /** `struct xfrmu_spdhinfo`: hash table buckets. */
  XFRMA_SPD_HINFO: XfrmuSpdhinfo;
  /** `struct xfrmu_spdhthresh`: IPv4 selector prefix thresholds for hashing. */
  XFRMA_SPD_IPV4_HTHRESH: XfrmuSpdhthresh;
  /** `struct xfrmu_spdhthresh`: IPv6 selector prefix thresholds for hashing. */
  XFRMA_SPD_IPV6_HTHRESH: XfrmuSpdhthresh;
}

/** One attribute of a space whose values are described by `V`. */
export type TypedAttribute<V> = { [K in keyof V & string]: NlAttribute<K, V[K]> }[keyof V & string] | UnknownAttribute;

/** A decoded `XFRMA_*` attribute: `{ type: 'XFRMA_MARK', value: { v, m } }`, or an unknown one kept raw. @group Kernel structs */
export type XfrmAttribute = TypedAttribute<XfrmAttrValues>;
/** A decoded `XFRMA_SAD_*` attribute. */
export type XfrmSadAttribute = TypedAttribute<XfrmSadAttrValues>;
/** A decoded `XFRMA_SPD_*` attribute. */
export type XfrmSpdAttribute = TypedAttribute<XfrmSpdAttrValues>;

/** The `XFRMA_*` payload codecs, checked against {@link XfrmAttrValues}; the numbers are the constants of the same names. */
const XFRM_ATTR_CODECS = {
  XFRMA_ALG_AUTH: xfrmAlgoCodec,
  XFRMA_ALG_CRYPT: xfrmAlgoCodec,
  XFRMA_ALG_COMP: xfrmAlgoCodec,
  XFRMA_ENCAP: xfrmEncapTmplCodec,
  XFRMA_TMPL: arrayCodec(xfrmUserTmplCodec, XFRM_USER_TMPL_SIZE, 0, Infinity),
  XFRMA_SA: xfrmUsersaInfoCodec,
  XFRMA_POLICY: xfrmUserpolicyInfoCodec,
  XFRMA_SEC_CTX: xfrmUserSecCtxCodec,
  XFRMA_LTIME_VAL: xfrmLifetimeCurCodec,
  XFRMA_REPLAY_VAL: xfrmReplayStateCodec,
  XFRMA_REPLAY_THRESH: u32,
  XFRMA_ETIMER_THRESH: u32,
  XFRMA_SRCADDR: xfrmAddressCodec,
  XFRMA_COADDR: xfrmAddressCodec,
  XFRMA_LASTUSED: u64,
  XFRMA_POLICY_TYPE: xfrmUserpolicyTypeCodec,
  XFRMA_MIGRATE: arrayCodec(xfrmUserMigrateCodec, XFRM_USER_MIGRATE_SIZE, 0, Infinity),
  XFRMA_ALG_AEAD: xfrmAlgoAeadCodec,
  XFRMA_KMADDRESS: xfrmUserKmaddressCodec,
  XFRMA_ALG_AUTH_TRUNC: xfrmAlgoAuthCodec,
  XFRMA_MARK: xfrmMarkCodec,
  XFRMA_TFCPAD: u32,
  XFRMA_REPLAY_ESN_VAL: xfrmReplayStateEsnCodec,
  XFRMA_SA_EXTRA_FLAGS: u32,
  XFRMA_PROTO: u8,
  XFRMA_ADDRESS_FILTER: xfrmAddressFilterCodec,
  XFRMA_PAD: empty,
  XFRMA_OFFLOAD_DEV: xfrmUserOffloadCodec,
  XFRMA_SET_MARK: u32,
  XFRMA_SET_MARK_MASK: u32,
  XFRMA_IF_ID: u32,
  XFRMA_MTIMER_THRESH: u32,
  XFRMA_SA_DIR: u8,
  XFRMA_NAT_KEEPALIVE_INTERVAL: u32,
  XFRMA_SA_PCPU: u32,
  XFRMA_IPTFS_DROP_TIME: u32,
  XFRMA_IPTFS_REORDER_WINDOW: u16,
  XFRMA_IPTFS_DONT_FRAG: flag,
  XFRMA_IPTFS_INIT_DELAY: u32,
  XFRMA_IPTFS_MAX_QSIZE: u32,
  XFRMA_IPTFS_PKT_SIZE: u32,
} satisfies AttrCodecs<XfrmAttrValues>;

/**
 * The `XFRMA_*` attribute space (`enum xfrm_attr_type_t`). `XFRMA_OUTPUT_MARK`, the old name
 * of `XFRMA_SET_MARK` (same number), is accepted by the encoder; decoding reports `XFRMA_SET_MARK`.
 */
export const xfrmAttrSpace: AttrSpace = defineAttrSpace('xfrm_attr_type_t', C, XFRM_ATTR_CODECS, {
  aliases: { XFRMA_OUTPUT_MARK: 'XFRMA_SET_MARK' },
});

/** The spec (number, flags, codec) of the `XFRMA_*` attribute `name`, typed by its value. */
export function xfrmAttrSpec<K extends XfrmAttrName>(name: K): AttrSpec<XfrmAttrValues[K]> {
  return xfrmAttrSpace.byName.get(name) as AttrSpec<XfrmAttrValues[K]>;
}

/** The `XFRMA_SAD_*` attribute space (`enum xfrm_sadattr_type_t`). */
export const xfrmSadAttrSpace: AttrSpace = defineAttrSpace('xfrm_sadattr_type_t', C, {
  XFRMA_SAD_CNT: u32,
  XFRMA_SAD_HINFO: xfrmuSadhinfoCodec,
} satisfies AttrCodecs<XfrmSadAttrValues>);

/** The `XFRMA_SPD_*` attribute space (`enum xfrm_spdattr_type_t`). */
export const xfrmSpdAttrSpace: AttrSpace = defineAttrSpace('xfrm_spdattr_type_t', C, {
  XFRMA_SPD_INFO: xfrmuSpdinfoCodec,
  XFRMA_SPD_HINFO: xfrmuSpdhinfoCodec,
  XFRMA_SPD_IPV4_HTHRESH: xfrmuSpdhthreshCodec,
  XFRMA_SPD_IPV6_HTHRESH: xfrmuSpdhthreshCodec,
} satisfies AttrCodecs<XfrmSpdAttrValues>);

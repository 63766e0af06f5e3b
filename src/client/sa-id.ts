/**
 * The ways to name SAs, beside their model (`state.ts`): an SA's identity for lookups, the
 * filter of an SA dump, the input of an SPI reservation, and the SAD's counts.
 * @module
 */
import { type XfrmMark } from '../xfrm/structs/mark.js';

/** Identity of an SA: destination, SPI and protocol (plus mark when the SA has one). @group Client models */
export interface XfrmSaId {
  /** Destination address. */
  daddr: string;
  /** SPI (host value). */
  spi: number;
  /** `IPPROTO_ESP`, `IPPROTO_AH`, `IPPROTO_COMP`. */
  proto: number;
  /** Address family (default: from `daddr`). */
  family?: number;
  /** Mark of the SA (lookups use `v & m`). */
  mark?: XfrmMark;
  /** Source address: required only for non-SPI protocols (e.g. MIPv6 routing). */
  saddr?: string;
}

/** An address prefix, e.g. `{ addr: '192.0.2.0', prefixlen: 24 }`. @group Client models */
export interface XfrmPrefix {
  /** Network address. */
  addr: string;
  /** Prefix length in bits. */
  prefixlen: number;
}

/** Filter of {@link XfrmClient.listStates}; the kernel applies it (`XFRMA_PROTO`, `XFRMA_ADDRESS_FILTER`). @group Client models */
export interface XfrmStateFilter {
  /** Only SAs of this protocol. */
  proto?: number;
  /** Only SAs whose source is in this prefix, e.g. `{ addr: '192.0.2.0', prefixlen: 24 }`. */
  src?: XfrmPrefix;
  /** Only SAs whose destination is in this prefix. */
  dst?: XfrmPrefix;
}

/** What {@link XfrmClient.allocSpi} takes. @group Client models */
export interface AllocSpiInput {
  /** Source address of the future SA. */
  saddr: string;
  /** Destination address of the future SA. */
  daddr: string;
  /** `IPPROTO_ESP`, `IPPROTO_AH` or `IPPROTO_COMP` (COMP: max < 0x10000). */
  proto: number;
  /** Lowest SPI (host order; default 0x100). */
  min?: number;
  /** Highest SPI (default 0x0fffffff). */
  max?: number;
  /** `XFRM_MODE_*` of the larval SA. */
  mode?: number;
  /** Request id. */
  reqid?: number;
  /** ACQUIRE sequence to attach the SPI to (`xfrm_user_acquire.seq`). */
  acquireSeq?: number;
  /** Mark. */
  mark?: XfrmMark;
  /** Interface id. */
  ifId?: number;
  /** Direction (6.10+). */
  dir?: number;
  /** Per-CPU SA (upstream 6.13; also in Debian's 6.12.117 — detect by reading back, not by version). */
  pcpu?: number;
}

/** @internal Lowest SPI {@link XfrmClient.allocSpi} picks by default: 1–255 are reserved SPIs. */
export const ALLOCSPI_DEFAULT_MIN = 0x100;
/** @internal Highest SPI {@link XfrmClient.allocSpi} picks by default. */
export const ALLOCSPI_DEFAULT_MAX = 0x0fffffff;

/** SAD information (`XFRM_MSG_GETSADINFO`). @group Client models */
export interface XfrmSadInfo {
  /** Number of SAs. */
  count: number;
  /** Current hash buckets. */
  hashBuckets: number;
  /** Maximum hash buckets. */
  maxHashBuckets: number;
}

/**
 * The words of `ip xfrm` for XFRM numbers: protocols, modes, directions, actions, policy
 * types and defaults, encapsulation types and flag bits. Each vocabulary is one ordered
 * table of `[name, number]` pairs, and both directions (name → number when parsing, number →
 * name when printing) are derived from that table, so a reader and a printer cannot disagree.
 * Every number is a named constant of `constants.ts`, never a literal.
 * @module
 */
import {
  IPPROTO_AH,
  IPPROTO_COMP,
  IPPROTO_DCCP,
  IPPROTO_DSTOPTS,
  IPPROTO_ESP,
  IPPROTO_GRE,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_MH,
  IPPROTO_ROUTING,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPSEC_PROTO_ANY,
  TCP_ENCAP_ESPINTCP,
  UDP_ENCAP_ESPINUDP,
  UDP_ENCAP_ESPINUDP_NON_IKE,
  XFRM_AE_CE,
  XFRM_AE_CR,
  XFRM_AE_CU,
  XFRM_MODE_BEET,
  XFRM_MODE_IN_TRIGGER,
  XFRM_MODE_IPTFS,
  XFRM_MODE_ROUTEOPTIMIZATION,
  XFRM_MODE_TRANSPORT,
  XFRM_MODE_TUNNEL,
  XFRM_POLICY_ALLOW,
  XFRM_POLICY_BLOCK,
  XFRM_POLICY_CPU_ACQUIRE,
  XFRM_POLICY_FWD,
  XFRM_POLICY_ICMP,
  XFRM_POLICY_IN,
  XFRM_POLICY_LOCALOK,
  XFRM_POLICY_OUT,
  XFRM_POLICY_TYPE_MAIN,
  XFRM_POLICY_TYPE_SUB,
  XFRM_SHARE_ANY,
  XFRM_SHARE_SESSION,
  XFRM_SHARE_UNIQUE,
  XFRM_SHARE_USER,
  XFRM_SA_DIR_IN,
  XFRM_SA_DIR_OUT,
  XFRM_SA_XFLAG_DONT_ENCAP_DSCP,
  XFRM_SA_XFLAG_OSEQ_MAY_WRAP,
  XFRM_STATE_AF_UNSPEC,
  XFRM_STATE_ALIGN4,
  XFRM_STATE_DECAP_DSCP,
  XFRM_STATE_ESN,
  XFRM_STATE_ICMP,
  XFRM_STATE_NOECN,
  XFRM_STATE_NOPMTUDISC,
  XFRM_STATE_WILDRECV,
  XFRM_USERPOLICY_ACCEPT,
  XFRM_USERPOLICY_BLOCK,
} from './constants.js';

/**
 * A name↔number vocabulary built by {@link nameTable} from one ordered table. A number may
 * have several names (an alias such as `ipcomp` for `comp`): all of them parse, and the first
 * one in the table is the one printed.
 */
export interface NameTable<N extends string = string> {
  /** The table itself, in order: what both directions are derived from. */
  readonly entries: readonly (readonly [N, number])[];
  /** Every name, in table order, aliases included. */
  readonly names: readonly N[];
  /** The number of `name`, or `undefined` for a name the table does not have. */
  numberOf(name: string): number | undefined;
  /** The printed name of `n` (its first name in the table), or `undefined` for an unnamed number. */
  nameOf(n: number): N | undefined;
  /** The printed name of `n`, or `n` in decimal when the table has no name for it. */
  format(n: number): string;
}

/**
 * Build a {@link NameTable} from `[name, number]` pairs. Lookups go through `Map`s, so a word
 * such as `toString` or `__proto__` is an unknown name, not an inherited property.
 */
export function nameTable<const N extends string>(entries: readonly (readonly [N, number])[]): NameTable<N> {
  const byName = new Map<string, number>();
  const byNumber = new Map<number, N>();
  for (const [name, n] of entries) {
    if (byName.has(name)) throw new Error(`nameTable: ${name} given twice`);
    byName.set(name, n);
    if (!byNumber.has(n)) byNumber.set(n, name);
  }
  return {
    entries,
    names: entries.map(([name]) => name),
    numberOf: (name) => byName.get(name),
    nameOf: (n) => byNumber.get(n),
    format: (n) => byNumber.get(n) ?? String(n),
  };
}

/** A flag word split by {@link splitFlags}. */
export interface SplitFlags {
  /** The names of the set bits, in table order. */
  names: string[];
  /** The set bits no name covers (`0` when every bit was named). */
  rest: number;
}

/** Split a flag word by a table of flag bits into the names of its bits and the unnamed rest. */
export function splitFlags(table: NameTable, flags: number): SplitFlags {
  const names: string[] = [];
  let rest = flags >>> 0;
  for (const [name, bit] of table.entries) {
    if ((rest & bit) !== 0) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  return { names, rest };
}

/**
 * XFRM protocols (`xfrm_id.proto`): `esp`, `ah`, `comp` (alias `ipcomp`), the MIPv6 `route2`
 * and `hao`, and `any` (`IPSEC_PROTO_ANY`, meaningful only where a wildcard is allowed, as in
 * a flush).
 */
export const SA_PROTO_NAMES = nameTable([
  ['esp', IPPROTO_ESP],
  ['ah', IPPROTO_AH],
  ['comp', IPPROTO_COMP],
  ['ipcomp', IPPROTO_COMP],
  ['route2', IPPROTO_ROUTING],
  ['hao', IPPROTO_DSTOPTS],
  ['any', IPSEC_PROTO_ANY],
]);

/**
 * Upper-layer protocols of a selector (`xfrm_selector.proto`), as the protocol database
 * spells them; `icmpv6` is an alias of `ipv6-icmp`, and `any` is 0 (no protocol match).
 */
export const SELECTOR_PROTO_NAMES = nameTable([
  ['tcp', IPPROTO_TCP],
  ['udp', IPPROTO_UDP],
  ['icmp', IPPROTO_ICMP],
  ['ipv6-icmp', IPPROTO_ICMPV6],
  ['icmpv6', IPPROTO_ICMPV6],
  ['sctp', IPPROTO_SCTP],
  ['dccp', IPPROTO_DCCP],
  ['gre', IPPROTO_GRE],
  ['mobility-header', IPPROTO_MH],
  ['esp', IPPROTO_ESP],
  ['ah', IPPROTO_AH],
  ['any', 0],
]);

/** SA and template modes (`XFRM_MODE_*`): `transport`, `tunnel`, `ro`, `in_trigger`, `beet`, `iptfs`. */
export const MODE_NAMES = nameTable([
  ['transport', XFRM_MODE_TRANSPORT],
  ['tunnel', XFRM_MODE_TUNNEL],
  ['ro', XFRM_MODE_ROUTEOPTIMIZATION],
  ['in_trigger', XFRM_MODE_IN_TRIGGER],
  ['beet', XFRM_MODE_BEET],
  ['iptfs', XFRM_MODE_IPTFS],
]);

/** Policy directions (`XFRM_POLICY_IN/OUT/FWD`): `in`, `out`, `fwd`. */
export const POLICY_DIR_NAMES = nameTable([
  ['in', XFRM_POLICY_IN],
  ['out', XFRM_POLICY_OUT],
  ['fwd', XFRM_POLICY_FWD],
]);

/** SA directions (`XFRMA_SA_DIR`: `XFRM_SA_DIR_IN/OUT`): `in`, `out`. */
export const SA_DIR_NAMES = nameTable([
  ['in', XFRM_SA_DIR_IN],
  ['out', XFRM_SA_DIR_OUT],
]);

/** Policy actions (`xfrm_userpolicy_info.action`): `allow`, `block`. */
export const POLICY_ACTION_NAMES = nameTable([
  ['allow', XFRM_POLICY_ALLOW],
  ['block', XFRM_POLICY_BLOCK],
]);

/** Policy types (`XFRMA_POLICY_TYPE`, `ptype`): `main`, `sub`. */
export const POLICY_TYPE_NAMES = nameTable([
  ['main', XFRM_POLICY_TYPE_MAIN],
  ['sub', XFRM_POLICY_TYPE_SUB],
]);

/** Sharing modes of a policy or template (`XFRM_SHARE_*`): `any`, `session`, `user`, `unique`. */
export const SHARE_NAMES = nameTable([
  ['any', XFRM_SHARE_ANY],
  ['session', XFRM_SHARE_SESSION],
  ['user', XFRM_SHARE_USER],
  ['unique', XFRM_SHARE_UNIQUE],
]);

/**
 * Default policy verdicts (`xfrm_userpolicy_default`): `accept`, `block`. `XFRM_USERPOLICY_UNSPEC`
 * has no name on purpose: it cannot be set, only read back from an older kernel.
 */
export const POLICY_DEFAULT_NAMES = nameTable([
  ['accept', XFRM_USERPOLICY_ACCEPT],
  ['block', XFRM_USERPOLICY_BLOCK],
]);

/** Encapsulation types (`xfrm_encap_tmpl.encap_type`): `espinudp`, `espinudp-nonike`, `espintcp`. */
export const ENCAP_TYPE_NAMES = nameTable([
  ['espinudp', UDP_ENCAP_ESPINUDP],
  ['espinudp-nonike', UDP_ENCAP_ESPINUDP_NON_IKE],
  ['espintcp', TCP_ENCAP_ESPINTCP],
]);

/** Flag bits of `xfrm_usersa_info.flags` (`XFRM_STATE_*`), in bit order. */
export const STATE_FLAG_NAMES = nameTable([
  ['noecn', XFRM_STATE_NOECN],
  ['decap-dscp', XFRM_STATE_DECAP_DSCP],
  ['nopmtudisc', XFRM_STATE_NOPMTUDISC],
  ['wildrecv', XFRM_STATE_WILDRECV],
  ['icmp', XFRM_STATE_ICMP],
  ['af-unspec', XFRM_STATE_AF_UNSPEC],
  ['align4', XFRM_STATE_ALIGN4],
  ['esn', XFRM_STATE_ESN],
]);

/** Flag bits of `XFRMA_SA_EXTRA_FLAGS` (`XFRM_SA_XFLAG_*`). */
export const STATE_EXTRA_FLAG_NAMES = nameTable([
  ['dont-encap-dscp', XFRM_SA_XFLAG_DONT_ENCAP_DSCP],
  ['oseq-may-wrap', XFRM_SA_XFLAG_OSEQ_MAY_WRAP],
]);

/** Flag bits of `xfrm_userpolicy_info.flags` (`XFRM_POLICY_LOCALOK/ICMP/CPU_ACQUIRE`). */
export const POLICY_FLAG_NAMES = nameTable([
  ['localok', XFRM_POLICY_LOCALOK],
  ['icmp', XFRM_POLICY_ICMP],
  ['cpu-acquire', XFRM_POLICY_CPU_ACQUIRE],
]);

/**
 * Causes of an async event (`xfrm_aevent_id.flags`: `XFRM_AE_CR/CE/CU`): `replay-update`,
 * `timer-expired`, `user-update`.
 */
export const AE_FLAG_NAMES = nameTable([
  ['replay-update', XFRM_AE_CR],
  ['timer-expired', XFRM_AE_CE],
  ['user-update', XFRM_AE_CU],
]);

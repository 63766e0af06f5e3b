// The benchmark's policy set, shared by every netlink-xfrm process of the benchmark and by the
// iproute2 batch files. bench/c-baseline.c builds the same set in C (see its header comment).
//
//   i in [0, N), N <= 131072: selector src 198.18.0.0 + i /32, dst 198.18.0.0 + (131071 - i) /32
//   (RFC 2544 benchmarking range 198.18.0.0/15, only ever used as selectors inside a private
//   network namespace), dir out, one ESP tunnel template 192.0.2.1 -> 192.0.2.2.

/** Largest N the address plan supports. */
export const MAX_N = 131072;
const BASE = 0xc6120000; // 198.18.0.0

/** Dotted quad of a host-order IPv4 number. */
export function ipv4(n) {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Source and destination address of policy `i`. */
export function addrs(i) {
  return { src: ipv4(BASE + i), dst: ipv4(BASE + (MAX_N - 1 - i)) };
}

/** The `ip -batch` line that adds policy `i`. */
export function ipAddLine(i) {
  const { src, dst } = addrs(i);
  return `xfrm policy add src ${src}/32 dst ${dst}/32 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel`;
}

/** The `ip -batch` line that deletes policy `i`. */
export function ipDeleteLine(i) {
  const { src, dst } = addrs(i);
  return `xfrm policy delete src ${src}/32 dst ${dst}/32 dir out`;
}

/**
 * The XfrmPolicyInput of policy `i`, built with the library's own constants and helper
 * (`lib` is the imported netlink-xfrm module).
 */
export function policyInput(lib, i) {
  const { src, dst } = addrs(i);
  return {
    selector: {
      saddr: src,
      daddr: dst,
      dport: 0,
      dportMask: 0,
      sport: 0,
      sportMask: 0,
      family: lib.AF_INET,
      prefixlenD: 32,
      prefixlenS: 32,
      proto: 0,
      ifindex: 0,
      user: 0,
    },
    dir: lib.XFRM_POLICY_OUT,
    templates: [
      lib.template({ proto: lib.IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', mode: lib.XFRM_MODE_TUNNEL }),
    ],
  };
}

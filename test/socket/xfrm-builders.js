/** Small builders of XFRM request messages for the socket and host-kernel tests. */
import { AF_INET, XFRM_POLICY_ALLOW, XFRM_POLICY_OUT, } from '../../src/xfrm/index.js';
import { unlimitedLifetime } from '../../src/client/state.js';
export function selector(i, over = {}) {
    // 10.x.y.z/32 → 172.16.0.0/16, one distinct destination per i.
    const d = `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
    return {
        daddr: d,
        saddr: '172.16.0.0',
        dport: 0,
        dportMask: 0,
        sport: 0,
        sportMask: 0,
        family: AF_INET,
        prefixlenD: 32,
        prefixlenS: 16,
        proto: 0,
        ifindex: 0,
        user: 0,
        ...over,
    };
}
const zeroCur = { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n };
export function policyInfo(i, over = {}) {
    return {
        sel: selector(i),
        lft: unlimitedLifetime(),
        curlft: zeroCur,
        priority: 100,
        index: 0,
        dir: XFRM_POLICY_OUT,
        action: XFRM_POLICY_ALLOW,
        flags: 0,
        share: 0,
        ...over,
    };
}
export function newPolicy(i, attrs = [], over = {}) {
    return { type: 'XFRM_MSG_NEWPOLICY', body: policyInfo(i, over), attrs };
}
export function policyId(i, dir = XFRM_POLICY_OUT) {
    return { sel: selector(i), index: 0, dir };
}
export function usersaInfo(over = {}) {
    return {
        sel: selector(0, { daddr: '0.0.0.0', saddr: '0.0.0.0', prefixlenD: 0, prefixlenS: 0 }),
        id: { daddr: '192.0.2.2', spi: 0, proto: 50 },
        saddr: '192.0.2.1',
        lft: unlimitedLifetime(),
        curlft: zeroCur,
        stats: { replayWindow: 0, replay: 0, integrityFailed: 0 },
        seq: 0,
        reqid: 1,
        family: AF_INET,
        mode: 0,
        replayWindow: 0,
        flags: 0,
        ...over,
    };
}

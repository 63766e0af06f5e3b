import { template } from '../../src/client/policy.js';
import { AF_INET, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_STATE_ESN } from '../../src/xfrm/constants.js';
import { ipBatch, run } from '../helpers/netns.js';
import { GCM, key } from './esp-setup.js';
import { garp } from './ha-live-procs.js';
import { spawn, spawnSync } from 'node:child_process';
/** Name of the segment interface in P, A and S. */
export const SEG = 'seg';
/** Name of the sync link interface in A and S. */
export const SYNC = 'sync';
/** Build the topology (namespaces, bridge, veths, addresses, the VIP on A, routes). */
export function createHaTopology(tag = String(process.pid % 100000)) {
    const t = {
        peer: { ns: `hlp${tag}`, v4: '192.0.2.1', mac: '02:00:5e:00:53:11' },
        active: { ns: `hla${tag}`, v4: '192.0.2.2', mac: '02:00:5e:00:53:12' },
        standby: { ns: `hls${tag}`, v4: '192.0.2.3', mac: '02:00:5e:00:53:13' },
        switchNs: `hlw${tag}`,
        vip: '192.0.2.10',
        sync: { active: '198.51.100.1', standby: '198.51.100.2' },
    };
    destroyHaTopology(t);
    const nodes = [t.peer, t.active, t.standby];
    ipBatch([...nodes.map((n) => `netns add ${n.ns}`), `netns add ${t.switchNs}`]);
    ipBatch(['link set lo up', 'link add br0 type bridge', 'link set br0 up'], t.switchNs);
    for (const [n, port] of [[t.peer, 'swp'], [t.active, 'swa'], [t.standby, 'sws']]) {
        ipBatch([`link add ${SEG} address ${n.mac} type veth peer name ${port} netns ${t.switchNs}`], n.ns);
        ipBatch([`link set dev ${port} master br0`, `link set dev ${port} up`], t.switchNs);
    }
    ipBatch([`link add ${SYNC} type veth peer name ${SYNC} netns ${t.standby.ns}`], t.active.ns);
    for (const n of nodes) {
        ipBatch(['link set lo up', `addr add ${n.v4}/24 dev ${SEG}`, `link set ${SEG} up`], n.ns);
    }
    ipBatch([`addr add ${t.sync.active}/30 dev ${SYNC}`, `link set ${SYNC} up`, `addr add ${t.vip}/24 dev ${SEG}`], t.active.ns);
    // S knows P's MAC for good: replies S sends to replayed frames must not make S ask for it,
    // since P would learn the VIP's new MAC from that request before the announcement.
    ipBatch([`addr add ${t.sync.standby}/30 dev ${SYNC}`, `link set ${SYNC} up`, `neigh replace ${t.peer.v4} lladdr ${t.peer.mac} dev ${SEG} nud permanent`], t.standby.ns);
    for (const p of HA_PAIRS) {
        ipBatch([`addr add ${p.pInner}/32 dev lo`, `route add ${p.vNet}/28 via ${t.vip} src ${p.pInner}`], t.peer.ns);
        for (const n of [t.active, t.standby])
            ipBatch([`addr add ${p.vInner}/32 dev lo`, `route add ${p.pNet}/28 via ${t.peer.v4} src ${p.vInner}`], n.ns);
    }
    return t;
}
/** Delete every namespace of the topology; ignores absent ones. */
export function destroyHaTopology(t) {
    for (const ns of [t.peer.ns, t.active.ns, t.standby.ns, t.switchNs])
        spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
}
/** Put the VIP back on A, off S, and make P forget where it was (between scenarios). */
export function vipToActive(t) {
    spawnSync('ip', ['-n', t.standby.ns, 'addr', 'del', `${t.vip}/24`, 'dev', SEG], { stdio: 'ignore' });
    arpIgnore(t.standby.ns, 8);
    spawnSync('ip', ['-n', t.active.ns, 'addr', 'add', `${t.vip}/24`, 'dev', SEG], { stdio: 'ignore' });
    spawnSync('ip', ['-n', t.peer.ns, 'neigh', 'flush', 'dev', SEG], { stdio: 'ignore' });
}
/** Arm a {@link VipRemoval}. */
export function armVipRemoval(t) {
    const child = spawn('ip', ['-n', t.active.ns, '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d.toString()));
    const done = new Promise((resolve, reject) => {
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ip -batch (VIP removal) exited ${code}: ${err}`))));
    });
    return { fire: () => child.stdin.end(`addr del ${t.vip}/24 dev ${SEG}\n`), done };
}
/**
 * S adds the VIP, silently: S answers no ARP request on the segment until
 * {@link announceVip} (`arp_ignore` 8), so P keeps sending to A's MAC until then, whatever its
 * neighbour entry does meanwhile.
 */
export function vipOnStandby(t) {
    run(['ip', '-n', t.standby.ns, 'addr', 'add', `${t.vip}/24`, 'dev', SEG]);
}
/** S answers ARP again and announces the VIP (gratuitous ARP; both in one process). */
export function announceVip(t) {
    garp(t.standby.ns, SEG, t.vip, t.standby.mac);
}
function arpIgnore(ns, v) {
    run(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', `net.ipv4.conf.${SEG}.arp_ignore=${v}`]);
}
/** The pairs that carry traffic: one ESN (window 128), one legacy (window 32). */
export const HA_PAIRS = [
    { name: 'esn', reqid: 0x101, spiIn: 0x1010001, spiOut: 0x1010002, esn: true, pInner: '203.0.113.1', pNet: '203.0.113.0', vInner: '203.0.113.65', vNet: '203.0.113.64' },
    { name: 'legacy', reqid: 0x102, spiIn: 0x1020001, spiOut: 0x1020002, esn: false, pInner: '203.0.113.17', pNet: '203.0.113.16', vInner: '203.0.113.81', vNet: '203.0.113.80' },
];
/** A pair without traffic (added and deleted while S follows). */
export const EXTRA_PAIR = {
    name: 'extra', reqid: 0x103, spiIn: 0x1030001, spiOut: 0x1030002, esn: false, pInner: '203.0.113.33', pNet: '203.0.113.32', vInner: '203.0.113.97', vNet: '203.0.113.96',
};
/** The same pair rekeyed: new SPIs (`generation` 1, 2, …), new keys, same selectors and reqid. */
export function rekeyed(p, generation) {
    return { ...p, spiIn: p.spiIn + 0x100 * generation, spiOut: p.spiOut + 0x100 * generation };
}
function subnet(src, dst) {
    return {
        saddr: src, daddr: dst, sport: 0, sportMask: 0, dport: 0, dportMask: 0,
        family: AF_INET, prefixlenS: 28, prefixlenD: 28, proto: 0, ifindex: 0, user: 0,
    };
}
/** The two SAs of a pair (the same on P and on the VIP side). */
export function haPairStates(t, p) {
    const aead = { aead: { ...GCM.aead, key: key(20, p.spiIn & 0xff) } };
    const replay = p.esn
        ? { flags: XFRM_STATE_ESN, replayEsn: { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] } }
        : { replayWindow: 32 };
    const sa = (saddr, daddr, spi, sel) => ({
        saddr, daddr, spi, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: p.reqid, selector: sel, ...aead, ...replay,
    });
    return {
        toVip: sa(t.peer.v4, t.vip, p.spiIn, subnet(p.pNet, p.vNet)),
        fromVip: sa(t.vip, t.peer.v4, p.spiOut, subnet(p.vNet, p.pNet)),
    };
}
/** The policies of a pair: P's (out towards the VIP side, in from it) and the VIP side's. */
export function haPairPolicies(t, p) {
    const tmpl = (src, dst) => template({ proto: IPPROTO_ESP, saddr: src, daddr: dst, reqid: p.reqid, mode: XFRM_MODE_TUNNEL });
    const toVip = tmpl(t.peer.v4, t.vip);
    const fromVip = tmpl(t.vip, t.peer.v4);
    return {
        peer: [
            { selector: subnet(p.pNet, p.vNet), dir: XFRM_POLICY_OUT, templates: [toVip] },
            { selector: subnet(p.vNet, p.pNet), dir: XFRM_POLICY_IN, templates: [fromVip] },
        ],
        vipSide: [
            { selector: subnet(p.vNet, p.pNet), dir: XFRM_POLICY_OUT, templates: [fromVip] },
            { selector: subnet(p.pNet, p.vNet), dir: XFRM_POLICY_IN, templates: [toVip] },
        ],
    };
}
/** SA identities of a pair: `toVip` (P → VIP) and `fromVip` (VIP → P). */
export function haPairIds(t, p) {
    return {
        toVip: { daddr: t.vip, spi: p.spiIn, proto: IPPROTO_ESP },
        fromVip: { daddr: t.peer.v4, spi: p.spiOut, proto: IPPROTO_ESP },
    };
}
/**
 * `n` SAs without traffic for A only (P → VIP, SPIs `base`…`base + n − 1`, GCM, legacy window
 * 32): load for the sync tests.
 */
export function bulkSas(t, n, base) {
    const sel = subnet(EXTRA_PAIR.pNet, EXTRA_PAIR.vNet);
    return Array.from({ length: n }, (_, i) => ({
        saddr: t.peer.v4, daddr: t.vip, spi: base + i, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 0x200, selector: sel,
        aead: { ...GCM.aead, key: key(20, i & 0xff) }, replayWindow: 32,
    }));
}
/** Install a pair's SAs (and unless `policies` is false its policies) on P and on the VIP side. */
export async function installHaPair(cp, cv, t, p, policies = true) {
    const s = haPairStates(t, p);
    for (const c of [cp, cv])
        allOk(await c.addStates([s.toVip, s.fromVip]), `add SAs of ${p.name}`);
    if (policies) {
        const pol = haPairPolicies(t, p);
        allOk(await cp.addPolicies(pol.peer), `add P's policies of ${p.name}`);
        allOk(await cv.addPolicies(pol.vipSide), `add the VIP side's policies of ${p.name}`);
    }
}
/** Delete a pair's SAs on both sides (policies stay: a rekey keeps them). */
export async function deleteHaPairSas(cp, cv, t, p) {
    const ids = haPairIds(t, p);
    for (const c of [cp, cv])
        allOk(await c.deleteStates([ids.toVip, ids.fromVip]), `delete SAs of ${p.name}`);
}
/** Delete a pair's policies on both sides. */
export async function deleteHaPairPolicies(cp, cv, t, p) {
    const pol = haPairPolicies(t, p);
    allOk(await cp.deletePolicies(pol.peer.map((x) => ({ selector: x.selector, dir: x.dir }))), `delete P's policies of ${p.name}`);
    allOk(await cv.deletePolicies(pol.vipSide.map((x) => ({ selector: x.selector, dir: x.dir }))), `delete the VIP side's policies of ${p.name}`);
}
/** Throw unless every request of a batch succeeded. */
export function allOk(results, what) {
    const bad = results.flatMap((r, i) => (r.ok ? [] : [`#${i}: ${r.error.message}`]));
    if (bad.length > 0)
        throw new Error(`${what}: ${bad.join('; ')}`);
}
/** Flush every SA and policy of the given clients. */
export async function flushAll(...clients) {
    for (const c of clients) {
        await c.flushPolicies();
        await c.flushStates();
    }
}

/**
 * Topology of the live-HA crash suite (test/uml/*.halive.ts), inside the user-mode-linux guest:
 *
 * ```
 *   P (peer) ──seg┐                 ┌seg── S (standby)       sync link A ⇄ S: 198.51.100.1/.2 (veth "sync")
 *                 └── br0 in W ─────┤
 *   A (active) ──seg────────────────┘                        VIP 192.0.2.10 on A's seg (later S's)
 * ```
 *
 * Segment 192.0.2.0/24: P .1, A .2, S .3, the virtual IP .10. Tunnel-mode SA pairs P ⇄ VIP
 * protect one inner /28 pair each (203.0.113.0/24): P's inner addresses live on P's `lo`, the
 * VIP side's on the `lo` of BOTH A and S, so S can answer once it holds the SAs. SAs and
 * policies go through `XfrmClient`; only links, addresses, routes and neighbours use `ip`.
 *
 * Names carry a per-process suffix and are removed by {@link destroyHaTopology}.
 */
import { XfrmClient, type XfrmSaId } from '../../src/client/client.js';
import { template, type XfrmPolicyInput } from '../../src/client/policy.js';
import { type XfrmStateInput } from '../../src/client/state.js';
import { AF_INET, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_STATE_ESN } from '../../src/xfrm/constants.js';
import { type XfrmSelector } from '../../src/xfrm/structs/selector.js';
import { type XfrmMessage } from '../../src/xfrm/family.js';
import { type BatchResult } from '../../src/socket/netlink-socket.js';
import { ipBatch, run } from '../helpers/netns.js';
import { GCM, key } from './esp-setup.js';
import { garp } from './ha-live-procs.js';
import { spawn, spawnSync } from 'node:child_process';

/** One node of the topology. */
export interface HaNode {
  /** Namespace name. */
  ns: string;
  /** Address on the segment (or on the sync link for {@link HaTopology.sync}). */
  v4: string;
  /** MAC address of its segment interface `seg`. */
  mac: string;
}

/** The namespaces and addresses of the crash suite. */
export interface HaTopology {
  peer: HaNode;
  active: HaNode;
  standby: HaNode;
  /** The namespace holding the bridge `br0`. */
  switchNs: string;
  /** The virtual IP (P's SAs point at it). */
  vip: string;
  /** Sync link addresses: `active` in A, `standby` in S (interface `sync` on both). */
  sync: { active: string; standby: string };
}

/** Name of the segment interface in P, A and S. */
export const SEG = 'seg';
/** Name of the sync link interface in A and S. */
export const SYNC = 'sync';

/** Build the topology (namespaces, bridge, veths, addresses, the VIP on A, routes). */
export function createHaTopology(tag = String(process.pid % 100000)): HaTopology {
  const t: HaTopology = {
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
  for (const [n, port] of [[t.peer, 'swp'], [t.active, 'swa'], [t.standby, 'sws']] as const) {
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
    for (const n of [t.active, t.standby]) ipBatch([`addr add ${p.vInner}/32 dev lo`, `route add ${p.pNet}/28 via ${t.peer.v4} src ${p.vInner}`], n.ns);
  }
  return t;
}

/** Delete every namespace of the topology; ignores absent ones. */
export function destroyHaTopology(t: HaTopology): void {
  for (const ns of [t.peer.ns, t.active.ns, t.standby.ns, t.switchNs]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
}

/** Put the VIP back on A, off S, and make P forget where it was (between scenarios). */
export function vipToActive(t: HaTopology): void {
  spawnSync('ip', ['-n', t.standby.ns, 'addr', 'del', `${t.vip}/24`, 'dev', SEG], { stdio: 'ignore' });
  arpIgnore(t.standby.ns, 8);
  spawnSync('ip', ['-n', t.active.ns, 'addr', 'add', `${t.vip}/24`, 'dev', SEG], { stdio: 'ignore' });
  spawnSync('ip', ['-n', t.peer.ns, 'neigh', 'flush', 'dev', SEG], { stdio: 'ignore' });
}

/**
 * The crash, armed: an `ip -batch` process in A waits for its one line, so that {@link
 * VipRemoval.fire} takes the VIP off A at once (starting `ip` costs up to a second under UML,
 * during which A would go on accepting packets that no publisher reports any more).
 */
export interface VipRemoval {
  /** Remove the VIP from A now. */
  fire(): void;
  /** Resolves when `ip` has done it; rejects if it failed. */
  done: Promise<void>;
}

/** Arm a {@link VipRemoval}. */
export function armVipRemoval(t: HaTopology): VipRemoval {
  const child = spawn('ip', ['-n', t.active.ns, '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ip -batch (VIP removal) exited ${code}: ${err}`))));
  });
  return { fire: () => child.stdin!.end(`addr del ${t.vip}/24 dev ${SEG}\n`), done };
}

/**
 * S adds the VIP, silently: S answers no ARP request on the segment until
 * {@link announceVip} (`arp_ignore` 8), so P keeps sending to A's MAC until then, whatever its
 * neighbour entry does meanwhile.
 */
export function vipOnStandby(t: HaTopology): void {
  run(['ip', '-n', t.standby.ns, 'addr', 'add', `${t.vip}/24`, 'dev', SEG]);
}

/** S answers ARP again and announces the VIP (gratuitous ARP; both in one process). */
export function announceVip(t: HaTopology): void {
  garp(t.standby.ns, SEG, t.vip, t.standby.mac);
}

function arpIgnore(ns: string, v: number): void {
  run(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', `net.ipv4.conf.${SEG}.arp_ignore=${v}`]);
}

/** A tunnel SA pair P ⇄ VIP protecting `pNet/28` ⇄ `vNet/28`. */
export interface HaPairSpec {
  name: string;
  reqid: number;
  /** SPI of the P → VIP SA. */
  spiIn: number;
  /** SPI of the VIP → P SA. */
  spiOut: number;
  /** ESN with window 128, else a legacy window of 32. */
  esn: boolean;
  /** P's inner address (on P's lo) and its /28. */
  pInner: string;
  pNet: string;
  /** The VIP side's inner address (on A's and S's lo) and its /28. */
  vInner: string;
  vNet: string;
}

/** The pairs that carry traffic: one ESN (window 128), one legacy (window 32). */
export const HA_PAIRS: readonly HaPairSpec[] = [
  { name: 'esn', reqid: 0x101, spiIn: 0x1010001, spiOut: 0x1010002, esn: true, pInner: '203.0.113.1', pNet: '203.0.113.0', vInner: '203.0.113.65', vNet: '203.0.113.64' },
  { name: 'legacy', reqid: 0x102, spiIn: 0x1020001, spiOut: 0x1020002, esn: false, pInner: '203.0.113.17', pNet: '203.0.113.16', vInner: '203.0.113.81', vNet: '203.0.113.80' },
];

/** A pair without traffic (added and deleted while S follows). */
export const EXTRA_PAIR: HaPairSpec = {
  name: 'extra', reqid: 0x103, spiIn: 0x1030001, spiOut: 0x1030002, esn: false, pInner: '203.0.113.33', pNet: '203.0.113.32', vInner: '203.0.113.97', vNet: '203.0.113.96',
};

/** The same pair rekeyed: new SPIs (`generation` 1, 2, …), new keys, same selectors and reqid. */
export function rekeyed(p: HaPairSpec, generation: number): HaPairSpec {
  return { ...p, spiIn: p.spiIn + 0x100 * generation, spiOut: p.spiOut + 0x100 * generation };
}

function subnet(src: string, dst: string): XfrmSelector {
  return {
    saddr: src, daddr: dst, sport: 0, sportMask: 0, dport: 0, dportMask: 0,
    family: AF_INET, prefixlenS: 28, prefixlenD: 28, proto: 0, ifindex: 0, user: 0,
  };
}

/** The two SAs of a pair (the same on P and on the VIP side). */
export function haPairStates(t: HaTopology, p: HaPairSpec): { toVip: XfrmStateInput; fromVip: XfrmStateInput } {
  const aead = { aead: { ...GCM.aead, key: key(20, p.spiIn & 0xff) } };
  const replay: Partial<XfrmStateInput> = p.esn
    ? { flags: XFRM_STATE_ESN, replayEsn: { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] } }
    : { replayWindow: 32 };
  const sa = (saddr: string, daddr: string, spi: number, sel: XfrmSelector): XfrmStateInput => ({
    saddr, daddr, spi, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: p.reqid, selector: sel, ...aead, ...replay,
  });
  return {
    toVip: sa(t.peer.v4, t.vip, p.spiIn, subnet(p.pNet, p.vNet)),
    fromVip: sa(t.vip, t.peer.v4, p.spiOut, subnet(p.vNet, p.pNet)),
  };
}

/** The policies of a pair: P's (out towards the VIP side, in from it) and the VIP side's. */
export function haPairPolicies(t: HaTopology, p: HaPairSpec): { peer: XfrmPolicyInput[]; vipSide: XfrmPolicyInput[] } {
  const tmpl = (src: string, dst: string) => template({ proto: IPPROTO_ESP, saddr: src, daddr: dst, reqid: p.reqid, mode: XFRM_MODE_TUNNEL });
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
export function haPairIds(t: HaTopology, p: HaPairSpec): { toVip: XfrmSaId; fromVip: XfrmSaId } {
  return {
    toVip: { daddr: t.vip, spi: p.spiIn, proto: IPPROTO_ESP },
    fromVip: { daddr: t.peer.v4, spi: p.spiOut, proto: IPPROTO_ESP },
  };
}

/**
 * `n` SAs without traffic for A only (P → VIP, SPIs `base`…`base + n − 1`, GCM, legacy window
 * 32): load for the sync tests.
 */
export function bulkSas(t: HaTopology, n: number, base: number): XfrmStateInput[] {
  const sel = subnet(EXTRA_PAIR.pNet, EXTRA_PAIR.vNet);
  return Array.from({ length: n }, (_, i) => ({
    saddr: t.peer.v4, daddr: t.vip, spi: base + i, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 0x200, selector: sel,
    aead: { ...GCM.aead, key: key(20, i & 0xff) }, replayWindow: 32,
  }));
}

/** Install a pair's SAs (and unless `policies` is false its policies) on P and on the VIP side. */
export async function installHaPair(cp: XfrmClient, cv: XfrmClient, t: HaTopology, p: HaPairSpec, policies = true): Promise<void> {
  const s = haPairStates(t, p);
  for (const c of [cp, cv]) allOk(await c.addStates([s.toVip, s.fromVip]), `add SAs of ${p.name}`);
  if (policies) {
    const pol = haPairPolicies(t, p);
    allOk(await cp.addPolicies(pol.peer), `add P's policies of ${p.name}`);
    allOk(await cv.addPolicies(pol.vipSide), `add the VIP side's policies of ${p.name}`);
  }
}

/** Delete a pair's SAs on both sides (policies stay: a rekey keeps them). */
export async function deleteHaPairSas(cp: XfrmClient, cv: XfrmClient, t: HaTopology, p: HaPairSpec): Promise<void> {
  const ids = haPairIds(t, p);
  for (const c of [cp, cv]) allOk(await c.deleteStates([ids.toVip, ids.fromVip]), `delete SAs of ${p.name}`);
}

/** Delete a pair's policies on both sides. */
export async function deleteHaPairPolicies(cp: XfrmClient, cv: XfrmClient, t: HaTopology, p: HaPairSpec): Promise<void> {
  const pol = haPairPolicies(t, p);
  allOk(await cp.deletePolicies(pol.peer.map((x) => ({ selector: x.selector, dir: x.dir }))), `delete P's policies of ${p.name}`);
  allOk(await cv.deletePolicies(pol.vipSide.map((x) => ({ selector: x.selector, dir: x.dir }))), `delete the VIP side's policies of ${p.name}`);
}

/** Throw unless every request of a batch succeeded. */
export function allOk(results: readonly BatchResult<XfrmMessage>[], what: string): void {
  const bad = results.flatMap((r, i) => (r.ok ? [] : [`#${i}: ${r.error.message}`]));
  if (bad.length > 0) throw new Error(`${what}: ${bad.join('; ')}`);
}

/** Flush every SA and policy of the given clients. */
export async function flushAll(...clients: XfrmClient[]): Promise<void> {
  for (const c of clients) {
    await c.flushPolicies();
    await c.flushStates();
  }
}

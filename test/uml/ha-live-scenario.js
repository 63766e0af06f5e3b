/**
 * The crash-and-failover scenario of the live-HA suite (test/uml/*.halive.ts), shared by the
 * snapshot/restore baseline and the live publisher/follower runs: traffic and a capture of what
 * A accepts, a crash of A without warning, the standby taking the VIP and the SAs, replay of
 * the captured frames to S, the VIP announced, traffic again. It measures; the test files assert.
 *
 * Order after the crash, and why: S takes over (installs SAs and policies: that needs no VIP),
 * then adds the VIP, replays the captured frames at once and only then announces the VIP
 * (gratuitous ARP). Until the announcement P keeps sending to A's MAC, so P's ongoing traffic
 * cannot move S's replay windows before the replayed frames arrive: the replay check sees
 * exactly what the takeover installed.
 */
import { XfrmClient } from '../../src/client/client.js';
import { esnInboundSeq } from '../../src/xfrm/replay.js';
import { statDelta, xfrmStat } from '../helpers/netns.js';
import { sleep } from './esp-setup.js';
import { createHaTopology, destroyHaTopology, flushAll, HA_PAIRS, haPairIds, haPairPolicies, installHaPair, allOk, SEG, armVipRemoval, announceVip, vipOnStandby, vipToActive, } from './ha-live-setup.js';
import { bundleCli, burstPing, Cli, EspCapture, Pinger, sendFrames } from './ha-live-procs.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/** Build the topology, open the clients, bundle the CLI (call in `beforeAll`). */
export async function openHaContext() {
    // The guest's own tmpfs: files under TMPDIR live on the host through hostfs, where every
    // fsync (snapshot, journal) and every write costs a round trip through the host.
    const dir = mkdtempSync(existsSync('/dev/shm') ? '/dev/shm/nlx-halive-' : join(process.env.TMPDIR ?? tmpdir(), 'nlx-halive-'));
    const cli = new Cli(await bundleCli(dir));
    const t = createHaTopology();
    return { t, cp: XfrmClient.open({ netns: t.peer.ns }), ca: XfrmClient.open({ netns: t.active.ns }), cs: XfrmClient.open({ netns: t.standby.ns }), cli, dir };
}
/** Close the clients, remove the namespaces and the scratch directory (call in `afterAll`). */
export function closeHaContext(ctx) {
    if (!ctx)
        return;
    for (const c of [ctx.cp, ctx.ca, ctx.cs])
        c.close();
    destroyHaTopology(ctx.t);
    rmSync(ctx.dir, { recursive: true, force: true });
}
/** Start from scratch: no SAs or policies anywhere, the VIP on A, the traffic pairs on P and A (and their policies on S if asked). */
export async function resetPairs(ctx, opts = {}) {
    await flushAll(ctx.cp, ctx.ca, ctx.cs);
    vipToActive(ctx.t);
    for (const p of HA_PAIRS)
        await installHaPair(ctx.cp, ctx.ca, ctx.t, p);
    if (opts.standbyPolicies)
        for (const p of HA_PAIRS)
            allOk(await ctx.cs.addPolicies(haPairPolicies(ctx.t, p).vipSide), 'policies on S');
}
async function inboundTop(c, id) {
    const ae = await c.getReplayState(id);
    return ae.replayEsn ? esnInboundSeq(ae.replayEsn) : BigInt(ae.replay.seq);
}
async function stateOrUndefined(c, id) {
    try {
        return await c.getState(id);
    }
    catch {
        return undefined;
    }
}
/**
 * Replay to S, in one burst, the newest `max` captured frames A had accepted on each pair's
 * P → VIP SA, and measure what S did with them.
 */
async function replayToStandby(ctx, frames, activeTops, max) {
    const per = HA_PAIRS.map((p) => {
        const top = activeTops.get(p.name);
        // (the capture ran on past the VIP's removal: frames after A's top arrived at a dead node)
        const mine = frames.filter((f) => f.spi === p.spiIn && BigInt(f.seq) <= (top & 0xffffffffn)).slice(-max);
        return { p, ids: haPairIds(ctx.t, p), mine, top };
    });
    const before = [];
    for (const x of per) {
        const inState = await stateOrUndefined(ctx.cs, x.ids.toVip);
        before.push({ inState, outState: await stateOrUndefined(ctx.cs, x.ids.fromVip), top: inState ? await inboundTop(ctx.cs, x.ids.toVip) : -1n });
    }
    const all = per.flatMap((x) => x.mine);
    if (all.length > 0)
        sendFrames(ctx.t.peer.ns, SEG, ctx.t.standby.mac, all, join(ctx.dir, 'replay.hex'));
    await sleep(300);
    const out = [];
    for (const [i, x] of per.entries()) {
        const b = before[i];
        const after = await stateOrUndefined(ctx.cs, x.ids.toVip);
        const outAfter = await stateOrUndefined(ctx.cs, x.ids.fromVip);
        const d = (f) => (b.inState && after ? Number(f(after)) - Number(f(b.inState)) : NaN);
        out.push({
            pair: x.p.name,
            sent: x.mine.length,
            seqs: [x.mine[0]?.seq ?? -1, x.mine.at(-1)?.seq ?? -1],
            activeTop: x.top,
            standbyTop: b.top,
            accepted: d((s) => s.current.packets),
            replay: d((s) => s.stats.replay),
            replayWindow: d((s) => s.stats.replayWindow),
            integrityFailed: d((s) => s.stats.integrityFailed),
            repliesSent: b.outState && outAfter ? Number(outAfter.current.packets - b.outState.current.packets) : NaN,
        });
    }
    return out;
}
/**
 * Run the scenario on the pairs installed by {@link resetPairs}: `sync.start()`, `afterStart`
 * and `sync.ready()` (before any traffic), then capture on A and continuous
 * pings for `trafficMs`, the crash (`sync.crash()` and A losing the VIP at the same instant, or
 * `gapMs` apart: traffic A serves meanwhile moves its counters past anything synced, which
 * makes the negative controls certain), `sync.takeover()`, S adds the VIP, the newest
 * `replayMax` captured frames per pair replayed to S, the VIP announced, `afterMs` of traffic.
 */
export async function crashFailover(ctx, sync, o = {}) {
    const { t } = ctx;
    const t0 = performance.now();
    const timeline = [];
    const mark = async (what) => {
        const counts = [];
        for (const p of HA_PAIRS) {
            const ids = haPairIds(t, p);
            counts.push(`${(await stateOrUndefined(ctx.cs, ids.toVip))?.current?.packets ?? '-'}/${(await stateOrUndefined(ctx.cs, ids.fromVip))?.current?.packets ?? '-'}`);
        }
        timeline.push(`${Math.round(performance.now() - t0)} ms ${what}; S in/out ${counts.join(' ')}`);
    };
    const stat0 = xfrmStat(t.peer.ns);
    await sync.start();
    await o.afterStart?.();
    // (before the traffic: a process started under traffic takes many seconds in UML)
    await sync.ready();
    await mark('standby ready');
    const capture = await EspCapture.start(t.active.ns, SEG, t.vip, join(ctx.dir, `capture-${Date.now()}.hex`));
    const pingers = HA_PAIRS.map((p) => ({ p, ping: new Pinger(t.peer.ns, p.pInner, p.vInner) }));
    let frames = [];
    try {
        const removal = armVipRemoval(t);
        await sleep(o.trafficMs ?? 1500);
        // A dies: the sync stops and, in the same instant unless a gap is asked for, the VIP goes
        const dying = sync.crash();
        if (o.gapMs)
            await sleep(o.gapMs);
        removal.fire();
        await dying;
        await removal.done;
        await mark('crash: sync stopped, VIP off A');
        // (A's SAs still exist: what they accepted is what the dead node had seen)
        const activeTops = new Map();
        for (const p of HA_PAIRS)
            activeTops.set(p.name, await inboundTop(ctx.ca, haPairIds(t, p).toVip));
        frames = await capture.stop();
        await mark('capture stopped');
        const takeover = await sync.takeover();
        await mark(`takeover exited ${takeover.status}`);
        vipOnStandby(t);
        const replays = await replayToStandby(ctx, frames, activeTops, o.replayMax ?? 40);
        await mark('replayed');
        const outBefore = await Promise.all(HA_PAIRS.map(async (p) => (await stateOrUndefined(ctx.cs, haPairIds(t, p).fromVip))?.current?.packets ?? 0n));
        const announced = performance.now();
        announceVip(t);
        await mark('announced');
        let resumedMs;
        const announcedEnd = performance.now();
        while (performance.now() - announcedEnd < 5000) {
            const now = await Promise.all(HA_PAIRS.map(async (p) => (await stateOrUndefined(ctx.cs, haPairIds(t, p).fromVip))?.current?.packets ?? 0n));
            if (now.every((n, i) => n > outBefore[i])) {
                resumedMs = performance.now() - announced;
                break;
            }
            await sleep(50);
        }
        await mark(`resumed: ${resumedMs}`);
        await sleep(o.afterMs ?? 1000);
        const pings = [];
        for (const { p, ping } of pingers)
            pings.push({ pair: p.name, ...(await ping.stop()) });
        const after = HA_PAIRS.map((p) => ({
            pair: p.name,
            fromPeer: burstPing(t.peer.ns, p.pInner, p.vInner, 20),
            fromStandby: burstPing(t.standby.ns, p.vInner, p.pInner, 20),
        }));
        const peerSaStats = [];
        for (const p of HA_PAIRS)
            peerSaStats.push({ pair: p.name, ...(await ctx.cp.getState(haPairIds(t, p).fromVip)).stats });
        await mark('end');
        return { takeover, pings, replays, resumedMs, after, timeline, peerStat: statDelta(stat0, xfrmStat(t.peer.ns)), peerSaStats };
    }
    finally {
        await capture.stop().catch(() => undefined);
        for (const { ping } of pingers)
            await ping.stop().catch(() => undefined);
    }
}

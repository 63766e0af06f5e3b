/**
 * Live-HA suite, part 1 (guest, see README.md): the harness itself, and the baseline it must
 * tell apart from a live mirror — a crash failover fed by PERIODIC SNAPSHOTS (`snapshot` on A
 * in a loop, `restore` on S after A died), no live sync.
 *
 * - the traffic runs at >= 200 packets/s per direction and pair with no loss and no error;
 * - with a margin covering the gap, traffic resumes and P counts no replay or integrity error;
 *   but frames A accepted after the last snapshot, replayed to S, are ACCEPTED again (a
 *   snapshot restores the inbound window as it was saved): the replay check can fail, and the
 *   live takeover (crash.halive.ts) must do better. (The margin-0 negative control runs
 *   there, on the live takeover.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { statDelta, xfrmStat } from '../helpers/netns.js';
import { sleep } from './esp-setup.js';
import { HA_PAIRS, haPairIds } from './ha-live-setup.js';
import { Pinger } from './ha-live-procs.js';
import { closeHaContext, crashFailover, openHaContext, resetPairs } from './ha-live-scenario.js';
import { join } from 'node:path';
let ctx;
beforeAll(async () => {
    ctx = await openHaContext();
});
afterAll(() => closeHaContext(ctx));
/**
 * `snapshot` of A in a loop until the crash, which SIGKILLs the one in flight (`--output` is
 * written atomically: the last complete snapshot stays); `restore` on S.
 */
function snapshotLoop(margin) {
    const file = join(ctx.dir, `snapshot-${margin}.json`);
    let stopped = false;
    let taken = 0;
    let current;
    let loop;
    return {
        count: () => taken,
        start: async () => {
            loop = (async () => {
                while (!stopped) {
                    current = ctx.cli.start(ctx.t.active.ns, ['snapshot', '--output', file]);
                    const status = await current.exited;
                    if (stopped)
                        break;
                    if (status !== 0)
                        throw new Error(`snapshot failed (${status}): ${current.stderr}`);
                    taken++;
                    await sleep(100);
                }
            })();
            loop.catch(() => undefined);
        },
        ready: async () => {
            while (taken === 0)
                await sleep(50);
        },
        crash: async () => {
            stopped = true;
            current?.kill('SIGKILL');
            await loop;
        },
        takeover: () => ctx.cli.run(ctx.t.standby.ns, ['restore', '--outbound-seq-margin', String(margin), file]),
    };
}
describe.sequential('live-HA harness and the periodic-snapshot baseline', () => {
    test('traffic: >= 200 packets/s per direction per pair for 1.5 s through A, none lost, no XFRM error in P or A', async () => {
        await resetPairs(ctx);
        const s0 = { p: xfrmStat(ctx.t.peer.ns), a: xfrmStat(ctx.t.active.ns) };
        const pingers = HA_PAIRS.map((p) => new Pinger(ctx.t.peer.ns, p.pInner, p.vInner));
        await sleep(1500);
        const r = [];
        for (const p of pingers)
            r.push(await p.stop());
        for (const x of r) {
            expect(x.rate, x.output).toBeGreaterThanOrEqual(200);
            // (ping keeps up to 4 requests in flight: those may be unanswered when it stops)
            expect(x.transmitted - x.received, x.output).toBeLessThanOrEqual(4);
        }
        expect(statDelta(s0.p, xfrmStat(ctx.t.peer.ns))).toEqual({});
        expect(statDelta(s0.a, xfrmStat(ctx.t.active.ns))).toEqual({});
        for (const [i, p] of HA_PAIRS.entries()) {
            // each request went P → A, each reply A → P, through the pair's two SAs
            const ids = haPairIds(ctx.t, p);
            expect(Number((await ctx.ca.getState(ids.toVip)).current.packets)).toBeGreaterThanOrEqual(r[i].received);
            expect(Number((await ctx.cp.getState(ids.fromVip)).current.packets)).toBe(r[i].received);
        }
        console.log(`traffic: ${r.map((x, i) => `${HA_PAIRS[i].name} ${x.rate.toFixed(0)} pkt/s (${x.transmitted} sent, ${x.received} answered)`).join('; ')}`);
    });
    test('crash with periodic snapshots, restore with margin 5000: traffic resumes both ways, P counts no error; frames A accepted after the last snapshot, replayed to S, are accepted again (what the live mirror must prevent)', async () => {
        await resetPairs(ctx, { standbyPolicies: true });
        const sync = snapshotLoop(5000);
        const o = await crashFailover(ctx, sync);
        console.log(`baseline failover: ${sync.count()} snapshots; ${JSON.stringify({ pings: o.pings.map((p) => ({ ...p, output: undefined })), resumedMs: o.resumedMs, replays: o.replays, timeline: o.timeline }, (_, v) => (typeof v === 'bigint' ? String(v) : v), 1)}`);
        expect(o.takeover.status, o.takeover.stderr).toBe(0);
        expect(o.resumedMs, 'S carried traffic after the announcement').toBeDefined();
        for (const a of o.after) {
            expect(a.fromPeer.received, `${a.pair} from P`).toBe(a.fromPeer.transmitted);
            expect(a.fromStandby.received, `${a.pair} from S`).toBe(a.fromStandby.transmitted);
            expect(a.fromPeer.transmitted).toBe(20);
        }
        expect(o.peerStat).toEqual({});
        for (const s of o.peerSaStats)
            expect(s).toEqual({ pair: s.pair, replayWindow: 0, replay: 0, integrityFailed: 0 });
        for (const r of o.replays) {
            expect(r.sent, `${r.pair}: captured frames`).toBeGreaterThan(0);
            expect(r.seqs[1], `${r.pair}: the newest captured frame is what A accepted last`).toBe(Number(r.activeTop & 0xffffffffn));
            expect(r.standbyTop, `${r.pair}: the restored window lies behind A's`).toBeLessThan(r.activeTop);
            expect(r.accepted, `${r.pair}: replayed frames S accepted`).toBeGreaterThan(0);
            expect(r.repliesSent, `${r.pair}: S answered replayed requests`).toBeGreaterThan(0);
        }
    });
});

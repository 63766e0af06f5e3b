/**
 * The follower: acks only what is durable, reconnects after a refused record or a lost link,
 * resumes from its journal; and the whole chain publisher → TLS-PSK → follower → journal →
 * takeover against the fake kernel.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { XfrmClient } from '../../src/client/client.js';
import { HaFollower } from '../../src/ha/follower.js';
import { HaJournal } from '../../src/ha/journal.js';
import { HaPublisher } from '../../src/ha/publisher.js';
import { connectHaLink, listenHaLink } from '../../src/ha/tls-link.js';
import { takeover } from '../../src/ha/takeover.js';
import { fakeXfrm } from '../cli/fake-xfrm.js';
import { esnSa, legacySa, linkPair, policy, settle, until, XFRM_POLICY_OUT } from './fixtures.js';
const dirs = [];
const cleanups = [];
afterEach(async () => {
    for (const c of cleanups.splice(0).reverse())
        await c();
    for (const d of dirs.splice(0))
        rmSync(d, { recursive: true, force: true });
});
function tmp() {
    const d = mkdtempSync(join(tmpdir(), 'nlx-follow-'));
    dirs.push(d);
    return d;
}
const epoch = 'pub-1';
function fullState(seq, sas = [esnSa(0x100)]) {
    return [
        { type: 'resync', reason: 'start', seq, epoch },
        { type: 'full-begin', takenAt: 1, seq: seq + 1, epoch },
        ...sas.map((sa, i) => ({ type: 'full-sa', sa, replayThresh: 8, etimerThresh: 5, seq: seq + 2 + i, epoch })),
        { type: 'full-end', sas: sas.length, policies: 0, seq: seq + 2 + sas.length, epoch },
    ];
}
/** A publisher side scripted by the test: each session sends `script(session)` then waits. */
function scripted(script) {
    const acks = [];
    const links = [];
    const connect = async (session) => {
        const { pub, standby } = linkPair(session);
        links.push(pub, standby);
        cleanups.push(() => pub.close());
        void (async () => {
            for (const r of script(session))
                await pub.send({ kind: 'record', record: r });
            try {
                for await (const m of pub)
                    if (m.kind === 'ack')
                        acks.push({ session, seq: m.seq });
            }
            catch {
                /* closed by the follower */
            }
        })();
        return standby;
    };
    return { acks, links, connect };
}
describe('HaFollower', () => {
    test('acks a record only once the journal flushed it; the ack carries the last seq applied', async () => {
        const journal = await HaJournal.open(join(tmp(), 'j'));
        cleanups.push(() => journal.close());
        let flushed = 0;
        let release;
        let gate = new Promise((r) => (release = r));
        const realFlush = journal.flush.bind(journal);
        journal.flush = async () => {
            await gate;
            await realFlush();
            flushed++;
        };
        const p = scripted(() => fullState(1));
        const ac = new AbortController();
        const f = new HaFollower(journal, { connect: p.connect, signal: ac.signal });
        const run = f.run();
        await until(() => journal.mirror.complete, 'full state applied');
        await settle(30);
        expect(p.acks).toEqual([]); // applied, not durable: no ack yet
        release();
        gate = Promise.resolve();
        await until(() => p.acks.length > 0 && p.acks.at(-1).seq === 4, 'ack of seq 4');
        expect(flushed).toBeGreaterThan(0);
        // Group commit: far fewer flushes than records.
        expect(flushed).toBeLessThan(4);
        ac.abort();
        await run;
    });
    test('a refused record (a gap) drops the session; the next session starts from a full state', async () => {
        const journal = await HaJournal.open(join(tmp(), 'j'));
        cleanups.push(() => journal.close());
        const p = scripted((session) => (session === 1 ? [...fullState(1), { type: 'sa-delete', id: { daddr: '192.0.2.2', spi: 0x100, proto: 50 }, seq: 9, epoch }] : fullState(20, [esnSa(0x100), legacySa(0x200)])));
        const events = [];
        const ac = new AbortController();
        const f = new HaFollower(journal, { connect: p.connect, signal: ac.signal, retryMinMs: 10, onEvent: (e) => events.push(e) });
        const run = f.run();
        await until(() => journal.mirror.sas().length === 2, 'second full state');
        expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['connected', 'full-state', 'refused', 'disconnected']));
        const refused = events.find((e) => e.kind === 'refused');
        expect(refused && refused.kind === 'refused' && refused.error.message).toMatch(/gap: expected 5, got 9/);
        ac.abort();
        await run;
        expect(f.status().session).toBe(2);
    });
    test('the publisher dies during a full state: the committed mirror stays; the restarted publisher (new epoch) replaces it whole', async () => {
        const journal = await HaJournal.open(join(tmp(), 'j'));
        cleanups.push(() => journal.close());
        const second = [
            { type: 'resync', reason: 'start', seq: 1, epoch: 'pub-2' },
            { type: 'full-begin', takenAt: 2, seq: 2, epoch: 'pub-2' },
            { type: 'full-sa', sa: legacySa(0x300), replayThresh: 8, etimerThresh: 5, seq: 3, epoch: 'pub-2' },
            { type: 'full-end', sas: 1, policies: 0, seq: 4, epoch: 'pub-2' },
        ];
        let kill;
        const p = scripted((session) => {
            if (session === 1)
                return fullState(1);
            if (session === 2)
                return [{ type: 'resync', reason: 'reconnect', seq: 10, epoch }, { type: 'full-begin', takenAt: 3, seq: 11, epoch }, { type: 'full-sa', sa: esnSa(0x999), seq: 12, epoch }];
            return second;
        });
        const connect = async (session) => {
            const link = await p.connect(session);
            // Session 2 is cut after its third record, as a SIGKILL of the publisher would.
            if (session === 2)
                kill = () => void link.close();
            return link;
        };
        const ac = new AbortController();
        const f = new HaFollower(journal, { connect, signal: ac.signal, retryMinMs: 10 });
        const run = f.run();
        await until(() => journal.mirror.complete && journal.mirror.sas()[0]?.id.spi === 0x100, 'first full state');
        // Drop session 1 so session 2 (the interrupted one) follows.
        await p.links[1].close();
        await until(() => f.status().session >= 2 && journal.mirror.staging, 'the second full state being staged');
        // While a full state is staged, the committed one is what a takeover would install.
        expect(journal.mirror.sas().map((e) => e.id.spi)).toEqual([0x100]);
        expect(journal.mirror.complete).toBe(true);
        kill();
        await until(() => f.status().session >= 3 && journal.mirror.summary().epoch === 'pub-2' && journal.mirror.complete && journal.mirror.sas()[0]?.id.spi === 0x300, 'the new epoch');
        expect(journal.mirror.sas()).toHaveLength(1);
        ac.abort();
        await run;
        // Reopened from disk: the same.
        await journal.close();
        const again = await HaJournal.read(journal.path);
        expect(again.sas().map((e) => e.id.spi)).toEqual([0x300]);
    });
    test('connect failures are retried with backoff until a session opens; abort stops at once', async () => {
        const journal = await HaJournal.open(join(tmp(), 'j'));
        cleanups.push(() => journal.close());
        let tries = 0;
        const p = scripted(() => fullState(1));
        const events = [];
        const ac = new AbortController();
        const f = new HaFollower(journal, {
            connect: async (s) => {
                if (++tries < 3)
                    throw new Error('ECONNREFUSED');
                return p.connect(s);
            },
            signal: ac.signal,
            retryMinMs: 5,
            onEvent: (e) => events.push(e),
        });
        const run = f.run();
        await until(() => journal.mirror.complete, 'full state');
        const failed = events.filter((e) => e.kind === 'connect-failed');
        expect(failed).toHaveLength(2);
        expect(failed.map((e) => (e.kind === 'connect-failed' ? e.retryInMs : 0))).toEqual([5, 10]);
        const t0 = Date.now();
        ac.abort();
        await run;
        expect(Date.now() - t0).toBeLessThan(1000);
    });
    test('publisher → TLS-PSK → follower → journal → takeover, with a follower restart in between (fake kernel)', async () => {
        const active = fakeXfrm();
        const standbyKernel = fakeXfrm();
        const client = XfrmClient.open({ transport: active.kernel.socket(), eventTransport: () => active.kernel.socket() });
        cleanups.push(() => client.close());
        await client.addState(esnSa(0x100, { replayEsn: { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] } }));
        await client.addPolicy(policy(XFRM_POLICY_OUT));
        const pub = await HaPublisher.start(client, { replayThresh: 16, timerThreshMs: 3_600_000 });
        cleanups.push(() => pub.close());
        const psk = new Uint8Array(randomBytes(32));
        const server = await listenHaLink({ host: '127.0.0.1', port: 0, psk });
        cleanups.push(() => server.close());
        pub.serve(server);
        const path = join(tmp(), 'journal');
        const follow = async () => {
            const journal = await HaJournal.open(path);
            const ac = new AbortController();
            const f = new HaFollower(journal, { connect: (session) => connectHaLink({ host: '127.0.0.1', port: server.port, psk, session }), signal: ac.signal, retryMinMs: 10 });
            const run = f.run();
            return {
                journal,
                stop: async () => {
                    ac.abort();
                    await run;
                    await journal.close();
                },
            };
        };
        let s = await follow();
        await until(() => s.journal.mirror.complete && s.journal.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 })?.replayThresh === 16, 'first session');
        expect(statSync(path).mode & 0o777).toBe(0o600);
        for (let i = 0; i < 100; i++)
            active.traffic('192.0.2.2', 0x100, 50, { out: 1 });
        await until(() => (s.journal.mirror.sa({ daddr: '192.0.2.2', spi: 0x100, proto: 50 })?.sa.replayEsn?.oseq ?? 0) >= 96, 'counters');
        // The standby restarts: it resumes from the journal and asks for a full state.
        await s.stop();
        await client.addState(legacySa(0x101, { daddr: '192.0.2.7' }));
        s = await follow();
        expect(s.journal.restored.existed).toBe(true);
        expect(s.journal.mirror.sas()).toHaveLength(1);
        await until(() => s.journal.mirror.sas().length === 2, 'the SA added while the standby was down');
        await s.stop();
        // The active node dies; the standby installs what it mirrored.
        await pub.close();
        const mirror = await HaJournal.read(path);
        const sc = XfrmClient.open({ transport: standbyKernel.kernel.socket() });
        cleanups.push(() => sc.close());
        const report = await takeover(sc, mirror, { outboundSeqMargin: 1000n });
        expect(report.ok).toBe(true);
        expect(report.policies.map((p) => p.status)).toEqual(['installed']);
        const out = report.sas.find((x) => x.id.spi === 0x100);
        expect(out.status).toBe('installed');
        // Threshold 16, the timer an hour away: the last aevent reported oseq 96 of the 100 sent; the margin covers the rest.
        expect(out.oseq).toBe(96n + 1000n);
    });
});

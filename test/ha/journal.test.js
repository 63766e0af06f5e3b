/** HaJournal: 0600 files, crash safety (torn last line at every offset), compaction, resume. */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HaFileError } from '../../src/ha/atomic-file.js';
import { crc32, frameLine, HaJournal, readFrames } from '../../src/ha/journal.js';
import { HaMirror, HaOrderError } from '../../src/ha/mirror.js';
import { XfrmKey } from '../../src/xfrm/key.js';
import { prng } from '../helpers/hex.js';
import { esnSa, KEY_A, legacySa, policy, Stream } from './fixtures.js';
let dir;
let path;
beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ha-journal-'));
    path = join(dir, 'mirror.journal');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const counters = (spi, oseq, syncedAt) => ({
    type: 'counters',
    id: { daddr: '192.0.2.2', spi, proto: 50 },
    replay: { oseq, seq: oseq - 10, bitmap: 0xffffffff },
    current: { bytes: BigInt(oseq) * 100n, packets: BigInt(oseq), addTime: 1n, useTime: 2n },
    replayThresh: 50,
    etimerThresh: 10,
    syncedAt,
});
/** What a restarted standby must get back: everything a takeover reads. */
function view(m) {
    const s = m.summary();
    return {
        epoch: s.epoch,
        stateEpoch: s.stateEpoch,
        lastSeq: s.lastSeq,
        complete: s.complete,
        sas: m.sas().map((e) => ({ ...e, sa: { ...e.sa, aead: e.sa.aead ? { ...e.sa.aead, key: [...e.sa.aead.key] } : undefined } })),
        policies: m.policies(),
    };
}
describe('framing', () => {
    test('crc32 is the IEEE one (check value of "123456789")', () => {
        expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    });
    test('frames round trip; a damaged frame ends the intact part at its start', () => {
        const a = frameLine('{"a":1}');
        const b = frameLine('{"é":2}');
        const buf = new Uint8Array([...a, ...b]);
        expect(readFrames(buf)).toEqual({ payloads: ['{"a":1}', '{"é":2}'], ends: [a.length, a.length + b.length], good: buf.length });
        const bad = buf.slice();
        bad[a.length + 15] ^= 1;
        expect(readFrames(bad).good).toBe(a.length);
        expect(readFrames(buf.subarray(0, buf.length - 1)).good).toBe(a.length);
    });
});
describe('HaJournal files', () => {
    test('a new journal creates both files with mode 0600, even with umask 0', async () => {
        const old = process.umask(0);
        try {
            const j = await HaJournal.open(path);
            expect(j.restored).toMatchObject({ existed: false, lastSeq: 0 });
            await j.close();
        }
        finally {
            process.umask(old);
        }
        expect(statSync(path).mode & 0o777).toBe(0o600);
        expect(statSync(`${path}.log`).mode & 0o777).toBe(0o600);
    });
    test.each([['checkpoint', ''], ['log', '.log']])('an existing %s readable by others is refused', async (_n, suffix) => {
        await (await HaJournal.open(path)).close();
        chmodSync(path + suffix, 0o644);
        await expect(HaJournal.open(path)).rejects.toThrow(HaFileError);
        await expect(HaJournal.open(path)).rejects.toMatchObject({ code: 'mode', message: expect.stringMatching(/mode 0644 .* must be 0600/) });
        chmodSync(path + suffix, 0o640);
        await expect(HaJournal.open(path)).rejects.toMatchObject({ code: 'mode' });
    });
    test('a symlink in place of the checkpoint is refused', async () => {
        writeFileSync(join(dir, 'elsewhere'), 'x', { mode: 0o600 });
        symlinkSync(join(dir, 'elsewhere'), path);
        await expect(HaJournal.open(path)).rejects.toMatchObject({ code: 'ELOOP' });
    });
    test('a checkpoint with a valid checksum but a malformed header is refused, not crashed on', async () => {
        const header = { v: 1, kind: 'ha-journal-checkpoint', gen: 1, epoch: 'none', streamEpoch: null, lastSeq: 0, complete: false, awaitingFullState: false, synced: [[null, 1]] };
        writeFileSync(path, frameLine(JSON.stringify(header)), { mode: 0o600 });
        await expect(HaJournal.open(path)).rejects.toMatchObject({ name: 'HaFileError', code: 'corrupt' });
        writeFileSync(path, frameLine('{"v":1}'), { mode: 0o600 });
        await expect(HaJournal.open(path)).rejects.toMatchObject({ code: 'corrupt' });
    });
    test('a damaged checkpoint is refused, not guessed at', async () => {
        await (await HaJournal.open(path)).close();
        const b = readFileSync(path);
        b[b.length - 3] ^= 0x20;
        writeFileSync(path, b, { mode: 0o600 });
        await expect(HaJournal.open(path)).rejects.toMatchObject({ code: 'corrupt' });
    });
});
describe('HaJournal resume', () => {
    test('a restarted standby gets back SAs (keys included), policies, counters, thresholds, epoch and lastSeq', async () => {
        const s = new Stream('pub-1');
        const j = await HaJournal.open(path);
        for (const r of s.full([legacySa(1), esnSa(2)], [policy()]))
            j.apply(r);
        j.apply(s.next(counters(1, 5000, 9_000)));
        j.apply(s.next({ type: 'sa-add', sa: legacySa(3) }));
        await j.flush();
        const before = view(j.mirror);
        await j.close();
        const k = await HaJournal.open(path);
        expect(k.restored).toMatchObject({ existed: true, epoch: 'pub-1', lastSeq: 7, replayed: 7, truncatedBytes: 0 });
        expect(view(k.mirror)).toEqual(before);
        const key = k.mirror.sa({ daddr: '192.0.2.2', spi: 2, proto: 50 }).sa.aead.key;
        expect(key).toBeInstanceOf(XfrmKey);
        expect([...key]).toEqual([...KEY_A]);
        // The stream goes on where it stopped.
        expect(k.apply(s.next(counters(1, 6000, 10_000)))).toBe('applied');
        await k.close();
    });
    test('a record the mirror refuses is not written; a duplicate is not written twice', async () => {
        const s = new Stream();
        const j = await HaJournal.open(path);
        for (const r of s.full([legacySa(1)]))
            j.apply(r);
        const size = j.logBytes;
        s.seq += 3;
        expect(() => j.apply(s.next(counters(1, 5000, 1)))).toThrow(HaOrderError);
        expect(j.apply({ ...s.full([])[0], seq: 1 })).toBe('duplicate');
        expect(j.logBytes).toBe(size);
        await j.close();
    });
    test('concurrent flushes share fdatasyncs and all resolve once durable', async () => {
        const s = new Stream();
        const j = await HaJournal.open(path);
        const waits = [];
        for (const r of s.full([legacySa(1)])) {
            j.apply(r);
            waits.push(j.flush());
        }
        for (let i = 0; i < 20; i++) {
            j.apply(s.next(counters(1, 2000 + i, i)));
            waits.push(j.flush());
        }
        await Promise.all(waits);
        await j.close();
        expect((await HaJournal.open(path)).restored.lastSeq).toBe(23);
    });
    test('a log ending inside a full state keeps the previous mirror (publisher or standby died mid-send)', async () => {
        const j = await HaJournal.open(path);
        for (const r of new Stream('e1').full([legacySa(1)]))
            j.apply(r);
        const before = view(j.mirror);
        const s2 = new Stream('e2');
        const full = s2.full([legacySa(7), legacySa(8)]);
        for (const r of full.slice(0, 2))
            j.apply(r);
        await j.close();
        const k = await HaJournal.open(path);
        expect(k.restored).toMatchObject({ abandonedFullState: true, epoch: 'e2', lastSeq: 2 });
        expect(k.mirror.summary()).toMatchObject({ awaitingFullState: true, stateEpoch: 'e1' });
        expect(view(k.mirror).sas).toEqual(before.sas);
        // It asks for a full state: a resync (any seq forward) and a full state are accepted.
        s2.seq = 40;
        k.apply(s2.next({ type: 'resync', reason: 'reconnect' }));
        for (const r of s2.full([legacySa(9)]))
            k.apply(r);
        expect(k.mirror.sas().map((e) => e.id.spi)).toEqual([9]);
        await k.close();
    });
});
describe('HaJournal.read (takeover while a follower may still write)', () => {
    test('reads the same mirror as open, writes nothing, ignores a torn last line without cutting it, follows a compaction', async () => {
        const s = new Stream('pub-1');
        const j = await HaJournal.open(path, { compactBytes: 1 << 30 });
        for (const r of s.full([legacySa(1), esnSa(2)], [policy()]))
            j.apply(r);
        j.apply(s.next(counters(1, 5000, 9_000)));
        await j.flush();
        const expected = view(j.mirror);
        // A torn line at the end, as a crash mid-write leaves it.
        const torn = frameLine('{"v":1,"type":"counters"');
        writeFileSync(`${path}.log`, torn.subarray(0, torn.length - 5), { flag: 'a' });
        const before = [readFileSync(path), readFileSync(`${path}.log`)];
        const m = await HaJournal.read(path);
        expect(view(m)).toEqual(expected);
        expect([readFileSync(path), readFileSync(`${path}.log`)]).toEqual(before);
        await j.close();
        // After a compaction the checkpoint holds everything and the log restarts.
        const k = await HaJournal.open(path, { compactBytes: 1 });
        k.apply(s.next(counters(1, 6000, 9_500)));
        await k.flush();
        const after = view(k.mirror);
        expect(view(await HaJournal.read(path))).toEqual(after);
        await k.close();
    });
    test('a missing journal is a typed error naming the path; one readable by others is refused', async () => {
        await expect(HaJournal.read(join(dir, 'none'))).rejects.toMatchObject({ name: 'HaFileError', code: 'ENOENT' });
        const j = await HaJournal.open(path);
        await j.close();
        chmodSync(path, 0o644);
        await expect(HaJournal.read(path)).rejects.toMatchObject({ code: 'mode' });
    });
});
describe('HaJournal crash simulation', () => {
    test('the log cut at every byte offset of its last line opens to the state before that line', async () => {
        const s = new Stream();
        const j = await HaJournal.open(path);
        for (const r of s.full([legacySa(1), esnSa(2)], [policy()]))
            j.apply(r);
        j.apply(s.next(counters(1, 5000, 9_000)));
        await j.flush();
        const expected = view(j.mirror);
        const cut0 = j.logBytes;
        // The last line: an SA with its keys (the longest kind of line).
        j.apply(s.next({ type: 'sa-add', sa: legacySa(3) }));
        await j.close();
        const full = readFileSync(`${path}.log`);
        expect(full.length).toBeGreaterThan(cut0 + 500);
        const checkpoint = readFileSync(path);
        for (let off = cut0; off < full.length; off++) {
            writeFileSync(`${path}.log`, full.subarray(0, off), { mode: 0o600 });
            writeFileSync(path, checkpoint, { mode: 0o600 });
            const k = await HaJournal.open(path);
            expect(k.restored.truncatedBytes).toBe(off - cut0);
            expect(k.restored.lastSeq).toBe(6);
            expect(view(k.mirror)).toEqual(expected);
            await k.close();
            expect(statSync(`${path}.log`).size).toBe(cut0);
        }
        // And the whole line opens to the state after it.
        writeFileSync(`${path}.log`, full, { mode: 0o600 });
        const k = await HaJournal.open(path);
        expect(k.restored).toMatchObject({ lastSeq: 7, truncatedBytes: 0 });
        await k.close();
    }, 120_000);
    test('a corrupt byte inside the last line (checksum) is cut off like a torn one', async () => {
        const s = new Stream();
        const j = await HaJournal.open(path);
        for (const r of s.full([legacySa(1)]))
            j.apply(r);
        const cut0 = j.logBytes;
        j.apply(s.next(counters(1, 5000, 9_000)));
        await j.close();
        const b = readFileSync(`${path}.log`);
        b[cut0 + 40] ^= 0x01;
        writeFileSync(`${path}.log`, b, { mode: 0o600 });
        const k = await HaJournal.open(path);
        expect(k.restored).toMatchObject({ lastSeq: 3, truncatedBytes: b.length - cut0 });
        expect(k.mirror.sa({ daddr: '192.0.2.2', spi: 1, proto: 50 }).sa.replay.oseq).toBe(1000);
        await k.close();
    });
});
describe('HaJournal damaged logs (fixed seed)', () => {
    test('300 logs with random bytes flipped all open, to exactly the state after some prefix of the records', async () => {
        const s = new Stream();
        const records = [...s.full([legacySa(1), esnSa(2)], [policy()])];
        for (let i = 0; i < 6; i++)
            records.push(s.next(counters(1, 2000 + i * 10, i)));
        records.push(s.next({ type: 'sa-add', sa: legacySa(3) }), s.next({ type: 'sa-delete', id: { daddr: '192.0.2.2', spi: 2, proto: 50 } }));
        const ref = new HaMirror();
        const views = new Map([[0, view(ref)]]);
        for (const r of records) {
            ref.apply(r);
            views.set(r.seq, view(ref));
        }
        const j = await HaJournal.open(path);
        for (const r of records)
            j.apply(r);
        await j.close();
        const log = readFileSync(`${path}.log`);
        const checkpoint = readFileSync(path);
        const rnd = prng(0x1234567);
        const seen = new Set();
        for (let i = 0; i < 300; i++) {
            const b = Buffer.from(log);
            const n = 1 + Math.floor(rnd() * 3);
            for (let k = 0; k < n; k++)
                b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
            writeFileSync(`${path}.log`, b, { mode: 0o600 });
            writeFileSync(path, checkpoint, { mode: 0o600 });
            const k = await HaJournal.open(path);
            const seq = k.restored.lastSeq;
            seen.add(seq);
            expect(views.has(seq)).toBe(true);
            expect(view(k.mirror)).toEqual(views.get(seq));
            await k.close();
        }
        expect(seen.size).toBeGreaterThan(5);
    }, 120_000);
});
describe('HaJournal compaction', () => {
    test('past the bound, flush writes a checkpoint and starts an empty log; reopen gives the same state', async () => {
        const s = new Stream();
        const j = await HaJournal.open(path, { compactBytes: 4000 });
        for (const r of s.full([legacySa(1), esnSa(2)], [policy()]))
            j.apply(r);
        let compactions = 0;
        for (let i = 0; i < 100; i++) {
            const before = j.logBytes;
            j.apply(s.next(counters(1, 2000 + i, i)));
            await j.flush();
            if (j.logBytes < before)
                compactions++;
            expect(j.logBytes).toBeLessThan(4000 + 1000);
        }
        expect(compactions).toBeGreaterThan(3);
        // Every checkpoint and log went through a temporary file: none is left behind.
        expect(readdirSync(dir).sort()).toEqual(['mirror.journal', 'mirror.journal.log']);
        const state = view(j.mirror);
        await j.close();
        const k = await HaJournal.open(path, { compactBytes: 4000 });
        expect(view(k.mirror)).toEqual(state);
        expect(k.restored.lastSeq).toBe(105);
        await k.close();
    });
    test('a crash between the new checkpoint and the new log: the old log is discarded, nothing lost', async () => {
        const s = new Stream();
        const j = await HaJournal.open(path);
        for (const r of s.full([legacySa(1)]))
            j.apply(r);
        j.apply(s.next(counters(1, 3000, 1)));
        await j.flush();
        const oldLog = readFileSync(`${path}.log`);
        j.compact();
        const state = view(j.mirror);
        await j.close();
        writeFileSync(`${path}.log`, oldLog, { mode: 0o600 }); // as if the crash came before the log was replaced
        const k = await HaJournal.open(path);
        expect(k.restored).toMatchObject({ staleLogDiscarded: true, lastSeq: 4, replayed: 0 });
        expect(view(k.mirror)).toEqual(state);
        await k.close();
    });
    test('no compaction in the middle of a full state', async () => {
        const s = new Stream();
        const j = await HaJournal.open(path, { compactBytes: 100 });
        const full = s.full([legacySa(1), legacySa(2)]);
        j.apply(full[0]);
        j.apply(full[1]);
        await j.flush();
        expect(() => j.compact()).toThrow(/middle of a full state/);
        const size = j.logBytes;
        expect(size).toBeGreaterThan(100);
        j.apply(full[2]);
        j.apply(full[3]);
        await j.flush();
        expect(j.logBytes).toBeLessThan(size);
        await j.close();
        expect((await HaJournal.open(path)).mirror.sas()).toHaveLength(2);
    });
});

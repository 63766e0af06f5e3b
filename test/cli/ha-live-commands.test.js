/**
 * `ha publish`, `ha follow`, `ha takeover` on the command line, against two fake kernels (the
 * active node's and the standby's) and a real TLS-PSK link on 127.0.0.1: the exact forms of
 * the issue, their exit codes, the lag lines, and no key in any output.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { settle, until } from '../ha/fixtures.js';
import { fakeXfrm } from './fake-xfrm.js';
const KEY = '0x0102030405060708090a0b0c0d0e0f1011121314';
const KEY_HEX = KEY.slice(2);
const w = (s) => s.split(/\s+/).filter(Boolean);
const add = (spi, extra = '') => w(`state add src 192.0.2.1 dst 192.0.2.2 proto esp spi ${spi} mode tunnel reqid 1 aead rfc4106(gcm(aes)) ${KEY} 128 replay-window 32 ${extra}`);
const pol = w('policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel');
const dirs = [];
afterEach(() => {
    for (const d of dirs.splice(0))
        rmSync(d, { recursive: true, force: true });
});
function tempDir() {
    const d = mkdtempSync(join(tmpdir(), 'nlx-halive-'));
    dirs.push(d);
    return d;
}
function pskFile(dir, bytes = 32, mode = 0o600) {
    const p = join(dir, 'psk');
    writeFileSync(p, randomBytes(bytes), { mode });
    chmodSync(p, mode);
    return p;
}
async function freePort() {
    const s = createServer();
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    const port = s.address().port;
    await new Promise((r) => s.close(() => r()));
    return port;
}
describe('ha: usage', () => {
    test.each([
        [['ha'], /expected publish, follow or takeover/],
        [['ha', 'nope'], /expected publish, follow or takeover, got "nope"/],
        [['ha', 'publish', '--psk-file', '/x'], /--listen is required/],
        [['ha', 'publish', '--listen', 'example.org:1', '--psk-file', '/x'], /--listen: expected ADDR:PORT/],
        [['ha', 'publish', '--listen', '127.0.0.1:99999', '--psk-file', '/x'], /--listen: expected ADDR:PORT/],
        [['ha', 'publish', '--listen', '127.0.0.1:1', '--psk-file', '/x', '--replay-thresh', '0'], /--replay-thresh: expected an integer from 1/],
        [['ha', 'publish', '--listen', '127.0.0.1:1', '--psk-file', '/x', '--timer-thresh', '-5'], /--timer-thresh/],
        [['ha', 'publish', '--listen', '127.0.0.1:1', '--psk-file', '/x', '--timer-thresh', '0'], /--timer-thresh: expected an integer from 1/],
        [['ha', 'follow', '--connect', '[::1]:7000', '--psk-file', '/x'], /--journal is required/],
        [['ha', 'takeover'], /--journal is required/],
        [['ha', 'takeover', '--journal', 'j', '--outbound-seq-margin', 'many'], /outbound-seq-margin/],
        [['ha', 'takeover', '--journal', 'j', 'extra'], /unexpected "extra"/],
    ])('%j → exit 2', async (argv, msg) => {
        const r = await fakeXfrm().run(argv);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(msg);
    });
    test('a PSK file too short, or readable by others, is refused before anything starts', async () => {
        const dir = tempDir();
        const short = await fakeXfrm().run(['ha', 'publish', '--listen', '127.0.0.1:1', '--psk-file', pskFile(dir, 16)]);
        expect(short.code).toBe(2);
        expect(short.stderr).toMatch(/at least 32 bytes|32/);
        const open = await fakeXfrm().run(['ha', 'follow', '--connect', '127.0.0.1:1', '--psk-file', pskFile(dir, 32, 0o644), '--journal', join(dir, 'j')]);
        expect(open.code).toBe(2);
        expect(open.stderr).toMatch(/others|group|0600|mode/);
    });
    test('takeover of a journal that does not exist: exit 4 with the path', async () => {
        const r = await fakeXfrm().run(['ha', 'takeover', '--journal', '/nonexistent/j']);
        expect(r.code).toBe(4);
        expect(r.stderr).toMatch(/\/nonexistent\/j/);
    });
});
describe('ha publish → ha follow → ha takeover', () => {
    test('the standby mirrors the active node and installs it; exit codes, lag lines, no key printed', async () => {
        const dir = tempDir();
        const psk = pskFile(dir);
        const journal = join(dir, 'journal');
        const port = await freePort();
        const active = fakeXfrm();
        expect((await active.run(add(0x1000))).code).toBe(0);
        expect((await active.run(pol)).code).toBe(0);
        const pubStop = new AbortController();
        let pubLive = '';
        const pub = active.run(['ha', 'publish', '--listen', `127.0.0.1:${port}`, '--psk-file', psk, '--replay-thresh', '16', '--timer-thresh', '200'], {
            signal: pubStop.signal,
            err: (t) => void (pubLive += t),
        });
        const folStop = new AbortController();
        const standby = fakeXfrm();
        process.env.NLX_HA_STATUS_MS = '100';
        await settle(50);
        let live = '';
        const fol = standby.run(['ha', 'follow', '--connect', `127.0.0.1:${port}`, '--psk-file', psk, '--journal', journal], {
            signal: folStop.signal,
            err: (t) => void (live += t),
        });
        await until(() => /full state: 1 SAs, 1 policies/.test(live), 'the first full state');
        // An SA added while following arrives too (the lag line shows it).
        expect((await active.run(add(0x1001))).code).toBe(0);
        await until(() => /lag: session \d+, seq \d+, 2 SAs/.test(live), 'the second SA in a lag line');
        await until(() => /ha publish: 2 SAs, 1 policies, \d+ events, 0 overruns; session \d+ lag/.test(pubLive), "the publisher's status line");
        // The standby stops first (its session then ends cleanly), then the publisher.
        folStop.abort();
        const f = { ...(await fol), stderr: live };
        pubStop.abort();
        const p = { ...(await pub), stderr: pubLive };
        expect(p.code).toBe(0);
        expect(p.stderr).toMatch(/ha publish: listening on 127\.0\.0\.1:\d+, epoch \S+, 1 SAs, 1 policies/);
        expect(p.stderr).toMatch(/session \d+: standby connected/);
        expect(p.stderr).toMatch(/ha publish: stopped/);
        delete process.env.NLX_HA_STATUS_MS;
        expect(f.code).toBe(0);
        // No record was ever refused (a refused record drops the session with its reason).
        expect(f.stderr).not.toMatch(/disconnected \(/);
        expect(f.stderr).toMatch(/ha follow: lag: session \d+, seq \d+, 2 SAs, 1 policies, last record \d+ ms ago/);
        expect(p.stderr).toMatch(/ha publish: 2 SAs, 1 policies, \d+ events, 0 overruns; session \d+ lag \d+ records, last ack \d+ ms ago, backlog \d+/);
        expect(f.stderr).toMatch(/ha follow: journal .*: new/);
        expect(f.stderr).toMatch(/full state: 1 SAs, 1 policies/);
        for (const out of [p.stdout, p.stderr, f.stdout, f.stderr])
            expect(out).not.toContain(KEY_HEX);
        // Takeover into a third (empty) kernel: exit 0, both SAs and the policy installed.
        const target = fakeXfrm();
        const t = await target.run(['ha', 'takeover', '--journal', journal, '--outbound-seq-margin', '1000', '--json']);
        expect(t.stderr).toBe('');
        expect(t.code).toBe(0);
        const report = JSON.parse(t.stdout);
        expect(report.ok).toBe(true);
        expect(report.policies.map((x) => x.status)).toEqual(['installed']);
        expect(report.sas.map((x) => [x.id.spi, x.status]).sort()).toEqual([
            [0x1000, 'installed'],
            [0x1001, 'installed'],
        ]);
        expect(t.stdout).not.toContain(KEY_HEX);
        expect(target.sad.size).toBe(2);
        // Re-running is harmless: everything is present, nothing added.
        const again = await target.run(['ha', 'takeover', '--journal', journal, '--outbound-seq-margin', '1000']);
        expect(again.code).toBe(0);
        expect(again.stdout).toMatch(/takeover complete: 1\/1 policies, SAs 0 installed, 2 present/);
        // A margin below the threshold in force is refused (exit 1) and lists the SAs, unless --force.
        const low = await fakeXfrm().run(['ha', 'takeover', '--journal', journal, '--outbound-seq-margin', '2']);
        expect(low.code).toBe(1);
        expect(low.stderr).toMatch(/refused/);
        expect(low.stderr).toMatch(/spi 0x00001000/);
        const forced = await fakeXfrm().run(['ha', 'takeover', '--journal', journal, '--outbound-seq-margin', '2', '--force']);
        expect(forced.code).toBe(0);
    }, 20_000);
    test('a wrong PSK: the follower is refused and applies nothing; the publisher logs the refused handshake', async () => {
        const dir = tempDir();
        const port = await freePort();
        const active = fakeXfrm();
        await active.run(add(0x1000));
        const pubStop = new AbortController();
        const pub = active.run(['ha', 'publish', '--listen', `127.0.0.1:${port}`, '--psk-file', pskFile(dir)], { signal: pubStop.signal });
        await settle(50);
        const other = join(tempDir(), 'psk');
        writeFileSync(other, randomBytes(32), { mode: 0o600 });
        const folStop = new AbortController();
        const journal = join(dir, 'journal');
        const fol = fakeXfrm().run(['ha', 'follow', '--connect', `127.0.0.1:${port}`, '--psk-file', other, '--journal', journal], { signal: folStop.signal });
        await settle(600);
        folStop.abort();
        pubStop.abort();
        const [p, f] = await Promise.all([pub, fol]);
        expect(f.stderr).toMatch(/cannot connect \(.*handshake/);
        expect(p.stderr).toMatch(/refused a connection/);
        const t = await fakeXfrm().run(['ha', 'takeover', '--journal', journal]);
        expect(t.code).toBe(1);
        expect(t.stderr).toMatch(/refused.*(no complete full state|full state)/);
    }, 20_000);
});

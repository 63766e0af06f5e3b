/** The HA link: framing, acks and lag, TLS-PSK authentication, PSK files, bounds, sessions. Only 127.0.0.1, ephemeral ports. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { HaFileError } from '../../src/ha/atomic-file.js';
import { HA_LINK_MAX_QUEUED, HaLinkError, StreamHaLink } from '../../src/ha/link.js';
import { encodeHaRecord } from '../../src/ha/record-codec.js';
import { HA_RECORD_MAX_LINE, HaProtocolError } from '../../src/ha/records.js';
import { connectHaLink, HA_PSK_CIPHERS, HA_PSK_IDENTITY, listenHaLink, readPskFile } from '../../src/ha/tls-link.js';
import { SecretBytes } from '../../src/netlink/secret.js';
import { esnSa, KEY_A, KEY_A_HEX, legacySa, OUT } from './fixtures.js';
const PSK = new Uint8Array(randomBytes(32));
const HOST = '127.0.0.1';
const epoch = 'pub-1';
const rec = (seq, spi = 0x1000 + seq) => ({ type: 'sa-add', seq, epoch, sa: (seq % 2 ? esnSa : legacySa)(spi, { dir: OUT }) });
const servers = [];
const links = [];
const sockets = [];
afterEach(async () => {
    for (const s of sockets.splice(0))
        s.destroy();
    await Promise.all(links.splice(0).map((l) => l.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function listen(over = {}) {
    const s = await listenHaLink({ host: HOST, port: 0, psk: PSK, ...over });
    servers.push(s);
    s.on('session', (l) => links.push(l));
    return s;
}
function nextSession(s) {
    return new Promise((r) => s.once('session', r));
}
async function connect(port, over = {}) {
    const l = await connectHaLink({ host: HOST, port, psk: PSK, ...over });
    links.push(l);
    return l;
}
async function take(it, n) {
    const out = [];
    while (out.length < n) {
        const r = await it.next();
        if (r.done)
            break;
        out.push(r.value);
    }
    return out;
}
/** A raw TLS-PSK client with the right key, to send what a real standby never would. */
function rawClient(port) {
    return new Promise((resolve, reject) => {
        const s = tlsConnect({ host: HOST, port, ciphers: HA_PSK_CIPHERS, maxVersion: 'TLSv1.2', pskCallback: () => ({ psk: Buffer.from(PSK), identity: HA_PSK_IDENTITY }), checkServerIdentity: () => undefined });
        sockets.push(s);
        s.once('secureConnect', () => resolve(s));
        s.once('error', reject);
    });
}
/** `p`, or a rejection after `ms`: a test fails in bounded time instead of hanging. */
function within(p, ms = 5000) {
    let t;
    return Promise.race([p, new Promise((_r, rej) => (t = setTimeout(() => rej(new Error(`not settled within ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}
/** A Duplex whose readable side the test pushes into, and whose writes are counted. */
function fakeStream() {
    const d = new Duplex({ read() { }, write(c, _e, cb) { d.written.push(c.toString()); cb(); } });
    d.written = [];
    return d;
}
describe('TLS-PSK link', () => {
    test('records round-trip with keys intact; acks give the lag; the suite is ECDHE-PSK over TLS 1.2', async () => {
        const server = await listen();
        const sess = nextSession(server);
        const standby = await connect(server.port);
        const pub = await sess;
        expect(pub.session).toBe(1);
        const sock = server.sessions()[0];
        expect(sock).toBe(pub);
        const records = [rec(1), rec(2), rec(3)];
        for (const r of records)
            await pub.send({ kind: 'record', record: r });
        expect(pub.lag()).toMatchObject({ records: 4 }); // sent 3, none acked: 3 - (-1)
        const it = standby[Symbol.asyncIterator]();
        const got = await take(it, 3);
        expect(got.map((m) => (m.kind === 'record' ? m.record.seq : -1))).toEqual([1, 2, 3]);
        for (const [i, m] of got.entries()) {
            if (m.kind !== 'record' || m.record.type !== 'sa-add')
                throw new Error('expected sa-add');
            expect(Buffer.from(m.record.sa.aead.key).equals(Buffer.from(KEY_A))).toBe(true); // byte compare, never printed
            expect(encodeHaRecord(m.record)).toBe(encodeHaRecord(records[i]));
        }
        await standby.send({ kind: 'ack', seq: 2 });
        const pit = pub[Symbol.asyncIterator]();
        expect(await take(pit, 1)).toEqual([{ kind: 'ack', seq: 2 }]);
        expect(pub.lag()).toMatchObject({ records: 1 });
        expect(pub.lag().msSinceAck).toBeLessThan(5000);
        await standby.send({ kind: 'ack', seq: 3 });
        await take(pit, 1);
        expect(pub.lag().records).toBe(0);
        expect(pub.stats()).toMatchObject({ recordsSent: 3, acksReceived: 2, lastSentSeq: 3, lastAckedSeq: 3 });
        expect(standby.stats()).toMatchObject({ recordsReceived: 3, acksSent: 2 });
    });
    test('the negotiated protocol and cipher are TLS 1.2 ECDHE-PSK-CHACHA20-POLY1305', async () => {
        const server = await listen();
        const raw = await rawClient(server.port);
        expect(raw.getProtocol()).toBe('TLSv1.2');
        expect(raw.getCipher().standardName).toBe('TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256');
    });
    test('a wrong PSK is refused at the handshake: no session, no record', async () => {
        const server = await listen();
        let sessions = 0;
        server.on('session', () => sessions++);
        const wrong = new Uint8Array(PSK);
        wrong[0] ^= 1;
        await expect(connectHaLink({ host: HOST, port: server.port, psk: wrong })).rejects.toMatchObject({ name: 'HaLinkError', code: 'handshake' });
        // A correct standby afterwards still works, so the refusal was about the key.
        const ok = nextSession(server);
        await connect(server.port);
        await ok;
        expect(sessions).toBe(1);
        expect(server.handshakeFailures).toBeGreaterThanOrEqual(1);
    });
    test('a standby with the wrong PSK is refused by the publisher too (wrong key on the server side)', async () => {
        const server = await listen({ psk: new Uint8Array(32).fill(9) });
        let sessions = 0;
        server.on('session', () => sessions++);
        await expect(connect(server.port)).rejects.toMatchObject({ code: 'handshake' });
        expect(sessions).toBe(0);
    });
    test('no PSK: a plain TLS client shares no cipher; connectHaLink without credentials is refused (typed)', async () => {
        const server = await listen();
        let sessions = 0;
        server.on('session', () => sessions++);
        const err = await new Promise((resolve) => {
            const s = tlsConnect({ host: HOST, port: server.port, rejectUnauthorized: false });
            sockets.push(s);
            s.once('secureConnect', () => resolve(new Error('connected without a PSK')));
            s.once('error', resolve);
        });
        expect(err.message).not.toBe('connected without a PSK');
        expect(sessions).toBe(0);
        await expect(connectHaLink({ host: HOST, port: server.port })).rejects.toMatchObject({ name: 'HaLinkError', code: 'options' });
        await expect(listenHaLink({ host: HOST, port: 0 })).rejects.toMatchObject({ code: 'options' });
        await expect(listenHaLink({ host: HOST, port: 0, psk: new Uint8Array(16) })).rejects.toMatchObject({ code: 'options' });
    });
    test('an overlong line from the peer cuts the link with a typed error (memory bounded)', async () => {
        const server = await listen();
        const sess = nextSession(server);
        const raw = await rawClient(server.port);
        const pub = await sess;
        const chunk = 'x'.repeat(16 * 1024);
        let sent = 0;
        const cut = pub.closed;
        // Write until the publisher cuts us off; it must do so soon after the bound.
        while (!raw.destroyed && sent < 64 * HA_RECORD_MAX_LINE) {
            const ok = raw.write(chunk);
            sent += chunk.length;
            if (!ok)
                await Promise.race([new Promise((r) => raw.once('drain', r)), new Promise((r) => raw.once('close', r))]);
            if (await Promise.race([cut.then(() => true), new Promise((r) => setImmediate(() => r(false)))]))
                break;
        }
        const e = await within(cut);
        expect(e).toBeInstanceOf(HaLinkError);
        expect(e.code).toBe('line-too-long');
        expect(sent).toBeLessThan(16 * HA_RECORD_MAX_LINE);
        await expect(pub.send({ kind: 'record', record: rec(1) })).rejects.toMatchObject({ code: 'line-too-long' });
    });
    test('a malformed ack line closes the publisher side with HaProtocolError', async () => {
        const server = await listen();
        const sess = nextSession(server);
        const raw = await rawClient(server.port);
        const pub = await sess;
        raw.write('{"ack":1}\n{"ack":-1}\n');
        const it = pub[Symbol.asyncIterator]();
        expect(await it.next()).toEqual({ done: false, value: { kind: 'ack', seq: 1 } });
        await expect(it.next()).rejects.toBeInstanceOf(HaProtocolError);
        expect(await within(pub.closed)).toBeInstanceOf(HaProtocolError);
    });
    test('close() while sending settles every send and ends the peer', async () => {
        const server = await listen();
        const sess = nextSession(server);
        const standby = await connect(server.port);
        const pub = await sess;
        const sends = Array.from({ length: 2000 }, (_, i) => pub.send({ kind: 'record', record: rec(i + 1, 0x100 + (i % 100)) }));
        const closing = pub.close();
        await expect(pub.send({ kind: 'record', record: rec(9999) })).rejects.toMatchObject({ code: 'closed' });
        const settled = await Promise.allSettled(sends);
        await closing;
        expect(settled).toHaveLength(2000);
        for (const s of settled)
            if (s.status === 'rejected')
                expect(s.reason).toBeInstanceOf(HaLinkError);
        // The standby sees an in-order prefix and then the end.
        let last = 0;
        for await (const m of standby) {
            if (m.kind === 'record') {
                expect(m.record.seq).toBe(last + 1);
                last = m.record.seq;
            }
        }
        expect(await within(standby.closed)).toBeUndefined();
        await expect(pub.send({ kind: 'record', record: rec(1) })).rejects.toMatchObject({ code: 'closed' });
    });
    test('a reconnect is a new session; with one session allowed the newest replaces the oldest', async () => {
        const server = await listen();
        const s1 = nextSession(server);
        const a = await connect(server.port, { session: 1 });
        const p1 = await s1;
        const s2 = nextSession(server);
        const b = await connect(server.port, { session: 2 });
        const p2 = await s2;
        expect([p1.session, p2.session]).toEqual([1, 2]);
        expect(b.session).toBe(2);
        expect(await within(p1.closed)).toMatchObject({ code: 'replaced' });
        expect(server.sessions()).toEqual([p2]);
        // The replaced standby sees its link end; the new one receives.
        for await (const _ of a)
            void _;
        await p2.send({ kind: 'record', record: rec(1) });
        expect(await take(b[Symbol.asyncIterator](), 1)).toHaveLength(1);
    });
    test('maxSessions 2 keeps two standbys', async () => {
        const server = await listen({ maxSessions: 2 });
        const s1 = nextSession(server);
        await connect(server.port);
        await s1;
        const s2 = nextSession(server);
        await connect(server.port);
        await s2;
        expect(server.sessions().map((l) => l.session)).toEqual([1, 2]);
    });
});
describe('certificate link (mutual TLS 1.3)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-cert-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const ossl = (...args) => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    /** A CA and a certificate for `name` signed by it (EC P-256, 1 day). */
    function pki(prefix, names) {
        ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${prefix}ca.key`, '-out', `${prefix}ca.pem`, '-days', '1', '-subj', `/CN=${prefix}ca`);
        for (const n of names) {
            ossl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${prefix}${n}.key`, '-out', `${prefix}${n}.csr`, '-subj', `/CN=${n}`);
            writeFileSync(join(dir, `${prefix}${n}.ext`), `subjectAltName=DNS:${n},IP:127.0.0.1\n`);
            ossl('x509', '-req', '-in', `${prefix}${n}.csr`, '-CA', `${prefix}ca.pem`, '-CAkey', `${prefix}ca.key`, '-CAcreateserial', '-out', `${prefix}${n}.pem`, '-days', '1', '-extfile', `${prefix}${n}.ext`);
        }
    }
    const f = (n) => readFileSync(join(dir, n));
    const creds = (prefix, n) => ({ key: f(`${prefix}${n}.key`), cert: f(`${prefix}${n}.pem`), ca: f(`${prefix}ca.pem`) });
    test('both sides with certificates of the CA connect over TLS 1.3; a client of another CA is refused', async () => {
        pki('a-', ['pub', 'standby']);
        pki('b-', ['standby']);
        const server = await listenHaLink({ host: HOST, port: 0, ...creds('a-', 'pub') });
        servers.push(server);
        let sessions = 0;
        server.on('session', (l) => (sessions++, links.push(l)));
        const sess = nextSession(server);
        const standby = await connectHaLink({ host: HOST, port: server.port, servername: 'pub', ...creds('a-', 'standby') });
        links.push(standby);
        const pub = await sess;
        await pub.send({ kind: 'record', record: rec(1) });
        expect(await take(standby[Symbol.asyncIterator](), 1)).toHaveLength(1);
        // A client whose certificate another CA signed: the server refuses it, no session.
        const other = { ...creds('b-', 'standby'), ca: f('a-ca.pem') };
        const bad = await connectHaLink({ host: HOST, port: server.port, servername: 'pub', ...other }).then(
        // TLS 1.3: the client may finish before the server checks its certificate; the server then closes it.
        async (l) => (links.push(l), await within(l.closed), await take(l[Symbol.asyncIterator](), 1).catch(() => [])), (e) => e);
        if (Array.isArray(bad))
            expect(bad).toEqual([]);
        else
            expect(bad).toBeInstanceOf(HaLinkError);
        expect(sessions).toBe(1);
        // A client that does not trust the server's CA refuses the server.
        await expect(connectHaLink({ host: HOST, port: server.port, servername: 'pub', ...creds('b-', 'standby') })).rejects.toBeInstanceOf(HaLinkError);
        expect(sessions).toBe(1);
    });
});
describe('line framing (StreamHaLink over any stream)', () => {
    test('the bound is enforced while reading: a line of max+1 bytes without newline is cut off at once', async () => {
        const d = fakeStream();
        const link = new StreamHaLink(d, { receives: 'record', session: 1 });
        const piece = Buffer.alloc(1024, 0x78);
        for (let i = 0; i < HA_RECORD_MAX_LINE / 1024; i++)
            d.push(piece);
        await new Promise((r) => setImmediate(r));
        expect(d.destroyed).toBe(false); // exactly at the bound: still waiting for the newline
        d.push(Buffer.from('x'));
        expect(await within(link.closed)).toMatchObject({ name: 'HaLinkError', code: 'line-too-long' });
        expect(d.destroyed).toBe(true);
    });
    test('a malformed record line: the records before it are delivered, then HaProtocolError, and the link is closed', async () => {
        const d = fakeStream();
        const link = new StreamHaLink(d, { receives: 'record', session: 1 });
        const good = encodeHaRecord(rec(1));
        d.push(good.slice(0, 100));
        d.push(`${good.slice(100)}\n{"v":1,"type":"sa-add"}\n${encodeHaRecord(rec(2))}\n`);
        const got = [];
        await expect((async () => {
            for await (const m of link)
                got.push(m);
        })()).rejects.toBeInstanceOf(HaProtocolError);
        expect(got.map((m) => (m.kind === 'record' ? m.record.seq : -1))).toEqual([1]);
        expect(d.destroyed).toBe(true);
    });
    test('a malformed line holding a key: the error names the field, never the key', async () => {
        const d = fakeStream();
        const link = new StreamHaLink(d, { receives: 'record', session: 1 });
        const line = encodeHaRecord(rec(1)).replace('"epoch":"pub-1"', `"epoch":"${KEY_A_HEX}!"`);
        d.push(`${line}\n`);
        const e = await within(link.closed);
        expect(e).toBeInstanceOf(HaProtocolError);
        expect(e.message).not.toContain(KEY_A_HEX);
        expect(e.message).not.toContain('abab');
    });
    test('a slow reader: the stream is paused once HA_LINK_MAX_QUEUED messages wait, and resumed as they are read', async () => {
        const d = fakeStream();
        const link = new StreamHaLink(d, { receives: 'ack', session: 1 });
        d.push(Array.from({ length: HA_LINK_MAX_QUEUED * 2 }, (_, i) => `{"ack":${i}}\n`).join(''));
        await new Promise((r) => setImmediate(r));
        expect(d.isPaused()).toBe(true);
        const it = link[Symbol.asyncIterator]();
        const got = await take(it, HA_LINK_MAX_QUEUED * 2);
        expect(got.map((m) => (m.kind === 'ack' ? m.seq : -1))).toEqual(Array.from({ length: HA_LINK_MAX_QUEUED * 2 }, (_, i) => i));
        expect(d.isPaused()).toBe(false);
        expect(link.stats()).toMatchObject({ acksReceived: HA_LINK_MAX_QUEUED * 2, lastAckedSeq: HA_LINK_MAX_QUEUED * 2 - 1 });
        d.destroy();
    });
    test('an end in the middle of a line is a protocol error, not a clean close', async () => {
        const d = fakeStream();
        const link = new StreamHaLink(d, { receives: 'ack', session: 1 });
        d.push('{"ack":1}\n{"ack":');
        d.push(null);
        expect(await within(link.closed)).toMatchObject({ code: 'protocol' });
    });
    test('sends write exactly one line each; an ack with a bad seq is refused before writing', async () => {
        const d = fakeStream();
        const link = new StreamHaLink(d, { receives: 'ack', session: 1 });
        await link.send({ kind: 'record', record: rec(5) });
        expect(d.written).toEqual([`${encodeHaRecord(rec(5))}\n`]);
        await expect(link.send({ kind: 'ack', seq: -1 })).rejects.toBeInstanceOf(HaProtocolError);
        expect(d.written).toHaveLength(1);
        d.destroy();
    });
});
describe('readPskFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-psk-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name, content, mode) => {
        const p = join(dir, name);
        writeFileSync(p, content, { mode });
        chmodSync(p, mode);
        return p;
    };
    const secret = Buffer.from('S3CRET-'.repeat(6)); // 42 bytes, easy to find in a message
    test('a 0600 file of 32+ bytes gives its whole content as SecretBytes', () => {
        const p = write('ok', secret, 0o600);
        const k = readPskFile(p);
        expect(k).toBeInstanceOf(SecretBytes);
        expect(Buffer.from(k.bytes()).equals(secret)).toBe(true);
        expect(String(k)).not.toContain('S3CRET');
    });
    test.each([
        ['short', () => write('short', secret.subarray(0, 31), 0o600), 'short'],
        ['world-readable', () => write('world', secret, 0o644), 'mode'],
        ['group-readable', () => write('group', secret, 0o640), 'mode'],
        ['too long', () => write('long', Buffer.alloc(513, 0x41), 0o600), 'long'],
        ['missing', () => join(dir, 'nope'), 'ENOENT'],
        ['a directory', () => dir, 'type'],
    ])('%s is refused with a typed error naming the file, never the content', (_n, mk, code) => {
        const p = mk();
        let e;
        try {
            readPskFile(p);
        }
        catch (x) {
            e = x;
        }
        expect(e).toBeInstanceOf(HaFileError);
        expect(e).toMatchObject({ code, path: p });
        expect(e.message).toContain(p);
        expect(e.message).not.toContain('S3CRET');
    });
});

/**
 * Key material never prints unless asked (issue 10, items 11–13): the echoed request of an
 * NLMSG_ERROR, decoded keys and the bytes after them, what the client and the fake kernel
 * return, and error lines about malformed keys.
 *
 * One distinctive key is used everywhere; `leaks()` looks for it in every form it could take
 * in text: hex (plain, `0x`, Buffer's spaced form) and decimal lists (inspect, arrays,
 * JSON of a Uint8Array).
 */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { XfrmClient } from '../src/client/client.js';
import { eventFromMessage } from '../src/client/events.js';
import { completeState, stateFromMessage, stateToAttrs, stateToUsersaInfo } from '../src/client/state.js';
import { parseJsonLines, reviveStateInput } from '../src/cli/batch.js';
import { decodeCommand, encodeCommand } from '../src/cli/codec-commands.js';
import { errorLine } from '../src/cli/errors.js';
import { decodeNlmsghdr, NetlinkEncodeError, NetlinkKernelError, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_REQUEST, } from '../src/netlink/index.js';
import { decodeXfrmMessages, encodeXfrmMessages, IPPROTO_ESP, REDACTED, XFRM_MODE_TUNNEL, xfrmMessageFromJson, xfrmMessageToJson, } from '../src/xfrm/index.js';
import { SecretBytes } from '../src/netlink/secret.js';
import { XfrmKey } from '../src/xfrm/key.js';
import { fakeXfrm } from './cli/fake-xfrm.js';
const KEY_HEX = 'deadbeefc0ffee0123456789abcdef0011223344';
const KEY = Uint8Array.from(Buffer.from(KEY_HEX, 'hex'));
const AUTH_HEX = 'deadbeefc0ffee99887766554433221100ffeedd';
/** True if `text` shows any of the test keys' bytes. */
function leaks(text) {
    const t = text.toLowerCase();
    return (t.includes('deadbeefc0ffee') ||
        t.includes('de ad be ef') ||
        /222,\s*173,\s*190,\s*239/.test(t) ||
        t.includes('"0":222') ||
        t.includes('0xde, 0xad') ||
        t.includes('0123456789abcdef00'));
}
const bigintSafe = (_k, v) => (typeof v === 'bigint' ? v.toString() : v);
const deep = (v) => inspect(v, { depth: Infinity, maxArrayLength: Infinity, showHidden: false });
function sa() {
    return completeState({
        saddr: '192.0.2.1',
        daddr: '192.0.2.2',
        spi: 0x1000,
        proto: IPPROTO_ESP,
        mode: XFRM_MODE_TUNNEL,
        reqid: 1,
        aead: { name: 'rfc4106(gcm(aes))', key: KEY, icvLen: 128 },
    });
}
/** A NEWSA request (the kind an IKE daemon sends) as bytes. */
function newsaRequest(seq = 7) {
    const s = sa();
    const m = { type: 'XFRM_MSG_NEWSA', flags: NLM_F_REQUEST | NLM_F_ACK, seq, pid: 0, body: stateToUsersaInfo(s), attrs: stateToAttrs(s) };
    return encodeXfrmMessages([m]);
}
/** The kernel's NLMSG_ERROR for `request`, echoing it (optionally cut, optionally with TLVs). */
function errorFor(request, opts = {}) {
    const msg = decodeNlmsghdr(new DataView(request.buffer, request.byteOffset, request.byteLength), 0, true);
    const payload = request.slice(16, request.length - (opts.cut ?? 0));
    const m = {
        type: 'NLMSG_ERROR',
        flags: opts.tlvs ? NLM_F_ACK_TLVS : 0,
        seq: msg.seq,
        pid: 4242,
        error: -17,
        msg,
        payload,
        attrs: opts.tlvs ? [{ type: 'NLMSGERR_ATTR_MSG', value: 'SA exists' }] : [],
    };
    return encodeXfrmMessages([m]);
}
const hexLine = (b) => new TextEncoder().encode(Buffer.from(b).toString('hex') + '\n');
describe('item 11: NLMSG_ERROR echoes and attribute tails', () => {
    test('decode without --show-keys shows the echoed NEWSA typed, keys redacted, never the raw payload', () => {
        for (const tlvs of [false, true]) {
            const text = decodeCommand(hexLine(errorFor(newsaRequest(), { tlvs })), { hex: true, showKeys: false });
            expect(leaks(text), text).toBe(false);
            const [err] = JSON.parse(text);
            expect(err.type).toBe('NLMSG_ERROR');
            expect(err.payload).toBe(REDACTED);
            expect(err.payloadLength).toBe(newsaRequest().length - 16);
            expect(err.request.type).toBe('XFRM_MSG_NEWSA');
            expect(err.request.body.id.spi).toBe(0x1000);
            const aead = err.request.attrs.find((a) => a.type === 'XFRMA_ALG_AEAD');
            expect(aead.value).toMatchObject({ algName: 'rfc4106(gcm(aes))', algKey: REDACTED });
        }
    });
    test('the CLI: decode prints no key without --show-keys, and encode takes the --show-keys output back', async () => {
        const f = fakeXfrm();
        const bytes = errorFor(newsaRequest(), { tlvs: true });
        const input = (text) => ({ readInput: () => Buffer.from(text) });
        const hidden = await f.run(['decode', '--hex'], input(Buffer.from(bytes).toString('hex')));
        expect(hidden.code).toBe(0);
        expect(leaks(hidden.stdout + hidden.stderr), hidden.stdout).toBe(false);
        expect(JSON.parse(hidden.stdout)[0].request.type).toBe('XFRM_MSG_NEWSA');
        const shown = await f.run(['decode', '--hex', '--show-keys'], input(Buffer.from(bytes).toString('hex')));
        expect(shown.stdout).toContain(KEY_HEX);
        const back = await f.run(['encode'], input(shown.stdout));
        expect(back).toEqual({ code: 0, stdout: Buffer.from(bytes).toString('hex') + '\n', stderr: '' });
        const refused = await f.run(['encode'], input(hidden.stdout));
        expect(refused.code).toBe(3);
        expect(refused.stderr).toMatch(/algKey: key material was redacted/);
        expect(leaks(refused.stderr)).toBe(false);
    });
    test('with --show-keys the echo is printed and encode reproduces the datagram byte for byte', () => {
        const bytes = errorFor(newsaRequest(), { tlvs: true });
        const text = decodeCommand(hexLine(bytes), { hex: true, showKeys: true });
        expect(text).toContain(KEY_HEX);
        expect(encodeCommand(new TextEncoder().encode(text))).toBe(Buffer.from(bytes).toString('hex') + '\n');
    });
    test('a redacted echo re-encodes from its typed form when it holds no key, and refuses when it does', () => {
        const delsa = encodeXfrmMessages([
            { type: 'XFRM_MSG_DELSA', flags: NLM_F_REQUEST | NLM_F_ACK, seq: 9, pid: 0, body: { daddr: '192.0.2.2', spi: 0x1000, family: 2, proto: IPPROTO_ESP }, attrs: [] },
        ]);
        const bytes = errorFor(delsa);
        const text = decodeCommand(hexLine(bytes), { hex: true, showKeys: false });
        expect(JSON.parse(text)[0].request.type).toBe('XFRM_MSG_DELSA');
        expect(encodeCommand(new TextEncoder().encode(text))).toBe(Buffer.from(bytes).toString('hex') + '\n');
        const redacted = decodeCommand(hexLine(errorFor(newsaRequest())), { hex: true, showKeys: false });
        expect(() => encodeCommand(new TextEncoder().encode(redacted))).toThrow(/algKey: key material was redacted/);
    });
    test('an incomplete echo is never printed raw: its length and type instead', () => {
        // The echoed header claims the whole request, the payload is cut (e.g. by a capped buffer).
        const bytes = errorFor(newsaRequest(), { cut: 4 });
        const text = decodeCommand(hexLine(bytes), { hex: true, showKeys: false });
        expect(leaks(text), text).toBe(false);
        const [err] = JSON.parse(text);
        expect(err).toMatchObject({ payload: REDACTED, payloadLength: newsaRequest().length - 20, requestType: 'XFRM_MSG_NEWSA' });
        expect(err.request).toBeUndefined();
        expect(decodeCommand(hexLine(bytes), { hex: true, showKeys: true })).toContain('deadbeefc0ffee');
    });
    test('the decoded NLMSG_ERROR and the NetlinkKernelError of a failed NEWSA print no key', async () => {
        const [err] = decodeXfrmMessages(errorFor(newsaRequest()));
        expect(leaks(deep(err)), deep(err)).toBe(false);
        expect(leaks(JSON.stringify(err))).toBe(false);
        const f = fakeXfrm();
        const client = XfrmClient.open({ transport: f.kernel.socket() });
        await client.addState({ ...sa() });
        const e = await client.addState({ ...sa() }).catch((x) => x);
        expect(e).toBeInstanceOf(NetlinkKernelError);
        expect(leaks(deep(e)) || leaks(String(e)) || leaks(errorLine(e)) || leaks(JSON.stringify(e))).toBe(false);
        client.close();
    });
    test('key bytes beyond alg_key_len (the attribute tail) are redacted too', () => {
        const s = sa();
        const attrs = [{ type: 'XFRMA_ALG_CRYPT', value: { algName: 'cbc(aes)', algKey: new Uint8Array(0), algKeyLen: 0 }, tail: KEY }];
        const bytes = encodeXfrmMessages([{ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 1, pid: 0, body: stateToUsersaInfo(s), attrs }]);
        const text = decodeCommand(hexLine(bytes), { hex: true, showKeys: false });
        expect(leaks(text), text).toBe(false);
        expect(JSON.parse(text)[0].attrs[0]).toMatchObject({ type: 'XFRMA_ALG_CRYPT', tail: REDACTED });
        const [m] = decodeXfrmMessages(bytes);
        expect(leaks(deep(m)) || leaks(JSON.stringify(m, bigintSafe))).toBe(false);
        const shown = decodeCommand(hexLine(bytes), { hex: true, showKeys: true });
        expect(shown).toContain(KEY_HEX);
        expect(encodeCommand(new TextEncoder().encode(shown))).toBe(Buffer.from(bytes).toString('hex') + '\n');
    });
});
describe('item 12: keys in returned objects do not print by accident', () => {
    test('inspect of the client, its socket, a dump in progress, an event stream and the fake kernel shows no key (their buffers hold raw datagrams)', async () => {
        const f = fakeXfrm();
        const client = XfrmClient.open({ transport: f.kernel.socket() });
        await client.addState({ ...sa() });
        await client.getState({ daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP }).catch(() => undefined);
        const dump = client.listStates();
        await dump.next(); // replies received and queued, the receive buffer holds the NEWSA
        const events = client.events(['sa']);
        for (const v of [client, client.socket, dump, events, f.kernel]) {
            const text = deep(v);
            expect(leaks(text), text.slice(0, 300)).toBe(false);
            expect(text.length).toBeLessThan(400); // a summary, not the buffers
        }
        await dump.return?.();
        await events.return?.();
        client.close();
    });
    test('inspect, console.log formatting, JSON.stringify and String of a decoded SA show no key', () => {
        const [m] = decodeXfrmMessages(newsaRequest());
        if (m.type !== 'XFRM_MSG_NEWSA')
            throw new Error('not NEWSA');
        const key = m.attrs.find((a) => a.type === 'XFRMA_ALG_AEAD').value.algKey;
        const state = stateFromMessage(m.body, m.attrs);
        for (const v of [m, state, state.aead, key]) {
            expect(leaks(deep(v)), deep(v)).toBe(false);
            expect(leaks(inspect(v))).toBe(false);
            expect(leaks(JSON.stringify(v, bigintSafe))).toBe(false);
        }
        expect(leaks(String(key)) || leaks(`${key}`) || leaks(key.toLocaleString())).toBe(false);
        expect(inspect(key)).toBe('XfrmKey(20) <redacted>');
        expect(String(state.aead.key)).toBe('XfrmKey(20) <redacted>');
        expect(JSON.stringify({ key })).toBe('{"key":"<redacted>"}');
        // A part of a key is still a secret.
        expect(leaks(inspect(key.subarray(0, 8))) || leaks(String(key.slice(0, 8)))).toBe(false);
    });
    test('states from the client, events and the fake kernel request log show no key', async () => {
        const f = fakeXfrm();
        const client = XfrmClient.open({ transport: f.kernel.socket() });
        await client.addState(sa());
        const back = await client.getState({ daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP });
        const list = [];
        for await (const s of client.listStates())
            list.push(s);
        expect(list).toHaveLength(1);
        for (const v of [back, list])
            expect(leaks(deep(v)) || leaks(JSON.stringify(v, bigintSafe))).toBe(false);
        const log = f.kernel.requests.map((r) => ({ bytes: r.bytes, header: r.header, message: r.message }));
        expect(leaks(deep(log)), deep(log)).toBe(false);
        expect(leaks(JSON.stringify(log, bigintSafe))).toBe(false);
        expect(leaks(deep(f.seen))).toBe(false);
        const [note] = decodeXfrmMessages(encodeXfrmMessages([{ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(sa()), attrs: stateToAttrs(sa()) }]));
        const ev = eventFromMessage(note);
        expect(ev.kind).toBe('newsa');
        expect(leaks(deep(ev)) || leaks(JSON.stringify(ev, bigintSafe))).toBe(false);
        // A notification the family could not decode arrives raw: its payload may be a whole NEWSA.
        const raw = eventFromMessage({ type: 16, flags: 0, seq: 0, pid: 0, payload: newsaRequest().slice(16) });
        expect(raw.kind).toBe('unknown');
        expect(leaks(deep(raw)) || leaks(JSON.stringify(raw))).toBe(false);
        client.close();
    });
    test('the bytes are one explicit call away, and a key still works as a Uint8Array', () => {
        const [m] = decodeXfrmMessages(newsaRequest());
        const key = m.attrs.find((a) => a.type === 'XFRMA_ALG_AEAD').value.algKey;
        expect(key).toBeInstanceOf(XfrmKey);
        expect(key).toBeInstanceOf(SecretBytes);
        expect(key.hex()).toBe(KEY_HEX);
        expect(Buffer.from(key).toString('hex')).toBe(KEY_HEX);
        const plain = key.bytes();
        expect(plain.constructor).toBe(Uint8Array);
        expect(inspect(plain)).toContain('222, 173, 190, 239');
        expect(Uint8Array.from(key)).toStrictEqual(KEY);
        // Equality with plain arrays (tests and callers that compare keys keep working).
        expect(key).toEqual(KEY);
        expect(key).toStrictEqual(KEY);
        expect(KEY).toEqual(key);
        // Nothing but the key is reachable through its buffer.
        expect(key.buffer.byteLength).toBe(20);
        // structuredClone gives a plain copy (for workers): explicit, documented.
        expect(structuredClone(key)).toStrictEqual(KEY);
        // Keys revived from JSON (snapshots, `encode` input) are XfrmKeys as well.
        const back = xfrmMessageFromJson(JSON.parse(JSON.stringify(xfrmMessageToJson(m, { showKeys: true }))));
        expect(leaks(deep(back))).toBe(false);
        expect(encodeXfrmMessages([back])).toEqual(newsaRequest());
    });
});
describe('item 13: error lines name the field and the problem, never a key', () => {
    const BAD = `0x${KEY_HEX}0`; // odd number of digits
    const BADCHAR = `0x${KEY_HEX.slice(0, 20)}zz${KEY_HEX.slice(22)}`;
    const ID = 'state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 mode tunnel reqid 1';
    const w = (s) => s.split(/\s+/).filter(Boolean);
    test('CLI arguments: enc / auth / auth-trunc / aead keys, and a key where a word or number was expected', async () => {
        const f = fakeXfrm();
        const cases = [
            [`${ID} enc cbc(aes) ${BAD}`, /enc key: not a key in 0x hex .*odd number of hex digits \(41\)/],
            [`${ID} auth hmac(sha1) ${BADCHAR}`, /auth key: not a key .*not a hex digit at position 22/],
            [`${ID} auth-trunc hmac(sha256) ${KEY_HEX} 96`, /auth-trunc key: not a key .*no 0x prefix/],
            [`${ID} aead rfc4106(gcm(aes)) ${BAD} 128`, /aead key: not a key/],
            [`${ID} aead rfc4106(gcm(aes)) 0x${KEY_HEX} 0x${AUTH_HEX}`, /aead icv bits: a hex string of 40 digits is not a 32-bit unsigned number/],
            [`${ID} enc cbc(aes) 0x${KEY_HEX} 0x${AUTH_HEX}`, /unexpected a hex string of 40 digits/],
            [`${ID} flag 0x${KEY_HEX}`, /flag: a hex string of 40 digits is not a 32-bit unsigned number/],
            [`${ID} flag k${KEY_HEX}`, /flag: unknown flag a string of 41 characters/],
            [`state count 0x${KEY_HEX}`, /unexpected a hex string of 40 digits/],
            [`monitor x${KEY_HEX}`, /unknown event group a string of 41 characters/],
            [`${ID} encap k${KEY_HEX} 4500 4500 192.0.2.9`, /encap: unknown type a string of 41 characters/],
        ];
        for (const [args, want] of cases) {
            const r = await f.run(w(args));
            expect(r.code, args).toBe(2);
            expect(r.stderr).toMatch(want);
            expect(leaks(r.stderr) || r.stderr.includes(AUTH_HEX.slice(0, 14)), r.stderr).toBe(false);
        }
    });
    test('batch files: a malformed key, and a line that is not JSON around a key', () => {
        const lines = [
            JSON.stringify({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 1, proto: 50, crypt: { name: 'cbc(aes)', key: BADCHAR } }),
            JSON.stringify({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 1, proto: 50, aead: { name: 'x', key: [222, 173, 190, 239], icvLen: 128 } }),
            `{"saddr": "192.0.2.1", "crypt": {"name": "cbc(aes)", "key": ${BAD.slice(1)}}}`,
        ];
        const { errors } = parseJsonLines(lines.join('\n'), reviveStateInput);
        expect(errors.map((e) => e.message)).toEqual([
            'crypt.key: expected 0x hex bytes, got a character that is not a hex digit at position 22 (value not shown)',
            'aead.key: expected 0x hex bytes, got an array, not a string (value not shown)',
            expect.stringMatching(/^not JSON: syntax error/),
        ]);
        for (const e of errors)
            expect(leaks(e.message), e.message).toBe(false);
    });
    test('encoder errors: a key passed in a numeric field is described, not printed', () => {
        const s = sa();
        const attrs = [{ type: 'XFRMA_ALG_CRYPT', value: { algName: 'cbc(aes)', algKey: KEY, algKeyLen: KEY } }];
        let msg = '';
        try {
            encodeXfrmMessages([{ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 1, pid: 0, body: stateToUsersaInfo(s), attrs }]);
        }
        catch (x) {
            expect(x).toBeInstanceOf(NetlinkEncodeError);
            msg = x.message;
        }
        expect(msg).toMatch(/alg_key_len: expected an integer from 0 to 4294967295, got 20 bytes/);
        expect(leaks(msg), msg).toBe(false);
    });
    test('JSON revive (encode, snapshots): algKey, tail and payload errors name the field only', () => {
        const [m] = decodeXfrmMessages(newsaRequest());
        const json = xfrmMessageToJson(m, { showKeys: true });
        json.attrs[0].value.algKey = BADCHAR;
        const e = (() => {
            try {
                xfrmMessageFromJson(json);
            }
            catch (x) {
                return x;
            }
        })();
        expect(e).toBeInstanceOf(NetlinkEncodeError);
        expect(e.message).toMatch(/XFRMA_ALG_AEAD\.algKey: expected a hex string: got a character that is not a hex digit/);
        expect(leaks(e.message)).toBe(false);
        json.attrs[0].value.algKey = `0x${KEY_HEX}`;
        json.attrs[0].tail = BAD;
        expect(() => xfrmMessageFromJson(json)).toThrow(/tail: expected a hex string: got an odd number of hex digits \(41\)/);
        json.attrs[0].tail = undefined;
        json.body.lft.softByteLimit = `0x${KEY_HEX}zz`;
        expect(() => xfrmMessageFromJson(json)).toThrow(/softByteLimit: expected an integer \(string\), got a string of 44 characters/);
        try {
            xfrmMessageFromJson(json);
        }
        catch (x) {
            expect(leaks(x.message), x.message).toBe(false);
        }
        const notJson = new TextEncoder().encode(`[{"type": "XFRM_MSG_NEWSA", "key": x${KEY_HEX}}]`);
        let msg = '';
        try {
            encodeCommand(notJson);
        }
        catch (x) {
            msg = x.message;
        }
        expect(msg).toMatch(/input is not JSON: syntax error/);
        expect(leaks(msg), msg).toBe(false);
    });
});

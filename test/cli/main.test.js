/**
 * The CLI end to end against the fake kernel (main() with an injected client factory):
 * what each command sends, what it prints, error lines with their hints, and exit codes.
 */
import { describe, expect, test } from 'vitest';
import { XfrmClient } from '../../src/client/client.js';
import { NetlinkSocketError } from '../../src/netlink/errors.js';
import { NetlinkShimUnavailableError } from '../../src/socket/native.js';
import { encodeXfrmMessages, IPPROTO_ESP, REDACTED, XFRMNLGRP_SA, XFRM_STATE_ESN, } from '../../src/xfrm/index.js';
import { completeState, stateToAttrs, stateToUsersaInfo } from '../../src/client/state.js';
import { main } from '../../src/cli/main.js';
import { OVERRUN_LINE } from '../../src/cli/format.js';
import { fakeXfrm } from './fake-xfrm.js';
const KEY = '0x0102030405060708090a0b0c0d0e0f1011121314';
const ID = 'src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000';
const ADD = `state add ${ID} mode tunnel reqid 1 aead rfc4106(gcm(aes)) ${KEY} 128 flag esn replay-window 128`;
const w = (s) => s.split(/\s+/).filter(Boolean);
const stdin = (text) => ({ readInput: (p) => (p === '-' || p === undefined ? Buffer.from(text) : Buffer.from('')) });
describe('state commands', () => {
    test('state add sends NEWSA with the ESN replay attribute; get/list print it with keys redacted', async () => {
        const f = fakeXfrm();
        expect(await f.run(w(ADD))).toEqual({ code: 0, stdout: '', stderr: '' });
        const sent = f.seen.find((m) => m.type === 'XFRM_MSG_NEWSA');
        if (sent.type !== 'XFRM_MSG_NEWSA')
            throw new Error();
        expect(sent.body.flags).toBe(XFRM_STATE_ESN);
        expect(sent.attrs.map((a) => a.type)).toEqual(['XFRMA_ALG_AEAD', 'XFRMA_REPLAY_ESN_VAL']);
        expect(sent.attrs[1].value).toEqual({ bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] });
        const get = await f.run(w(`state get ${ID}`));
        expect(get.code).toBe(0);
        expect(get.stdout).toMatch(/^src 192\.0\.2\.1 dst 192\.0\.2\.2\n\tproto esp spi 0x00001000\(4096\) reqid 1\(0x00000001\) mode tunnel\n/);
        expect(get.stdout).toContain('\taead rfc4106(gcm(aes)) <redacted> (160 bits) 128\n');
        expect(get.stdout).not.toContain('0102030405');
        expect((await f.run(w(`state get ${ID} --show-keys`))).stdout).toContain(`aead rfc4106(gcm(aes)) ${KEY} (160 bits) 128`);
        await f.run(w(`state add src 192.0.2.1 dst 192.0.2.3 proto esp spi 7 enc cbc(aes) 0x00112233445566778899aabbccddeeff`));
        const list = await f.run(w('--json state list'));
        const lines = list.stdout.trim().split('\n').map((l) => JSON.parse(l));
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatchObject({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, aead: { key: REDACTED } });
        expect(lines[1]).toMatchObject({ daddr: '192.0.2.3', crypt: { name: 'cbc(aes)', key: REDACTED } });
        expect(list.stdout).not.toMatch(/0x0011|0x0102/);
        const shown = await f.run(w('state list --json --show-keys'));
        expect(JSON.parse(shown.stdout.split('\n')[0]).aead.key).toBe(KEY);
    });
    test('list filter goes to the kernel as XFRMA_PROTO + XFRMA_ADDRESS_FILTER', async () => {
        const f = fakeXfrm();
        await f.run(w('state list src 192.0.2.0/24 proto esp'));
        const dump = f.seen.find((m) => m.type === 'XFRM_MSG_GETSA');
        expect(dump.attrs).toEqual([
            { type: 'XFRMA_PROTO', value: IPPROTO_ESP },
            { type: 'XFRMA_ADDRESS_FILTER', value: { saddr: '192.0.2.0', daddr: '0.0.0.0', family: 2, splen: 24, dplen: 0 } },
        ]);
    });
    test('allocspi, then add on the reserved SPI: EEXIST with the allocspi hint; update fills it', async () => {
        const f = fakeXfrm();
        const a = await f.run(w('state allocspi src 192.0.2.1 dst 192.0.2.2 proto esp min 0x100 max 0x1ff reqid 3'));
        expect(a.code).toBe(0);
        const spi = Number(/spi (0x[0-9a-f]{8})/.exec(a.stdout)[1]);
        const add = `src 192.0.2.1 dst 192.0.2.2 proto esp spi ${spi} reqid 3 enc cbc(aes) 0x00112233445566778899aabbccddeeff`;
        const r = await f.run(w(`state add ${add}`));
        expect(r.code).toBe(1);
        expect(r.stderr).toBe('netlink-xfrm: state add: XFRM_MSG_NEWSA: EEXIST (17): SA already exists (hint: SPI reserved by allocspi: use `state update`)\n');
        expect(await f.run(w(`state update ${add}`))).toEqual({ code: 0, stdout: '', stderr: '' });
        // Now the SA is complete: another add says "exists", not "reserved".
        const again = await f.run(w(`state add ${add}`));
        expect(again.stderr).toContain('(hint: an SA with this dst/spi/proto/mark exists: `state delete` it first)');
    });
    test('update of a live SA with keys warns that the kernel ignores them', async () => {
        const f = fakeXfrm();
        await f.run(w(ADD));
        const r = await f.run(w(ADD.replace('state add', 'state update')));
        expect(r.code).toBe(0);
        expect(r.stderr).toMatch(/warning: the SA is live: the kernel ignores keys, algorithms and replay state/);
    });
    test('delete, flush, count', async () => {
        const f = fakeXfrm();
        await f.run(w(ADD));
        expect((await f.run(w('state count'))).stdout).toBe('SAD count 1\nSAD buckets: count 8 Max 1048576\n');
        expect(JSON.parse((await f.run(w('state count --json'))).stdout)).toEqual({ count: 1, hashBuckets: 8, maxHashBuckets: 1048576 });
        expect((await f.run(w(`state delete ${ID}`))).code).toBe(0);
        const gone = await f.run(w(`state delete ${ID}`));
        expect(gone).toEqual({ code: 1, stdout: '', stderr: 'netlink-xfrm: state delete: XFRM_MSG_DELSA: ESRCH (3) (hint: no such SA)\n' });
        await f.run(w(ADD));
        expect((await f.run(w('state flush proto esp'))).code).toBe(0);
        expect(f.seen.filter((m) => m.type === 'XFRM_MSG_FLUSHSA').map((m) => m.body)).toEqual([{ proto: IPPROTO_ESP }]);
        expect(f.sad.size).toBe(0);
    });
});
describe('errors: one line, the kernel text, the errno, a hint; exit codes', () => {
    test('EPERM → needs CAP_NET_ADMIN, exit 1', async () => {
        const f = fakeXfrm();
        f.inject.push({ type: 'XFRM_MSG_GETSA', errno: 1 });
        expect(await f.run(w('state list'))).toEqual({
            code: 1,
            stdout: '',
            stderr: "netlink-xfrm: state list: XFRM_MSG_GETSA: EPERM (1) (hint: needs CAP_NET_ADMIN in the socket's network namespace (run as root))\n",
        });
    });
    test('no ESP / no algorithm → missing kernel module', async () => {
        const f = fakeXfrm();
        f.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 93, message: 'Requested type not found' });
        const r = await f.run(w(ADD));
        expect(r.code).toBe(1);
        expect(r.stderr).toBe('netlink-xfrm: state add: XFRM_MSG_NEWSA: EPROTONOSUPPORT (93): Requested type not found (hint: missing kernel module esp4: try modprobe esp4)\n');
        f.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 38, message: 'Requested AEAD algorithm not found' });
        expect((await f.run(w(ADD))).stderr).toMatch(/ENOSYS \(38\): Requested AEAD algorithm not found \(hint: missing kernel module/);
    });
    test('ENOENT on a policy → no such policy', async () => {
        const f = fakeXfrm();
        const r = await f.run(w('policy get dir out index 9'));
        expect(r).toEqual({ code: 1, stdout: '', stderr: 'netlink-xfrm: policy get: XFRM_MSG_GETPOLICY: ENOENT (2) (hint: no such policy)\n' });
    });
    test('a kernel that ignores a newer attribute → XfrmUnsupportedError, exit 1, SA removed again', async () => {
        const f = fakeXfrm();
        f.ignored.add('XFRMA_SA_DIR');
        const r = await f.run(w(`${ADD} dir out`));
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^netlink-xfrm: state add: XFRM_MSG_NEWSA: this kernel silently ignored dir .*\(hint: this kernel ignores dir \(added in a newer kernel\)/);
        expect(f.sad.size).toBe(0);
    });
    test('usage errors: exit 2 with the relevant usage line', async () => {
        const f = fakeXfrm();
        const r = await f.run(w('state add src 192.0.2.1 dst 192.0.2.2 proto esp'));
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`netlink-xfrm: missing "spi SPI"\nusage: netlink-xfrm state add|update src ADDR dst ADDR proto esp|ah|comp spi SPI [mark V[/M]] [mode transport|tunnel|beet] [reqid R]\n${r.stderr.split('\n').slice(2).join('\n')}`);
        expect(r.stderr.split('\n')[1]).toMatch(/^usage: netlink-xfrm state add/);
        expect((await f.run(w('state frobnicate'))).code).toBe(2);
        expect((await f.run(w('bogus'))).stderr).toMatch(/^netlink-xfrm: unknown command bogus\n/);
        expect((await f.run(w('policy add dir out --bogus'))).stderr).toMatch(/unknown option --bogus\nusage: netlink-xfrm policy add/);
        expect(f.seen).toEqual([]); // nothing reached the kernel
    });
    test('system errors exit 4: no such netns, shim missing', async () => {
        const f = fakeXfrm();
        const noNs = await f.run(w('--netns nope state list'), {
            openClient: (o) => {
                expect(o).toEqual({ netns: 'nope' });
                throw new NetlinkSocketError('setns', 2);
            },
        });
        expect(noNs).toEqual({ code: 4, stdout: '', stderr: 'netlink-xfrm: state list: setns: ENOENT (2) (hint: no such network namespace (see `ip netns list`))\n' });
        const noShim = await f.run(w('policy list'), {
            openClient: () => {
                throw new NetlinkShimUnavailableError(2, 'netlink_shim.node not found');
            },
        });
        expect(noShim.code).toBe(4);
        expect(noShim.stderr).toMatch(/native netlink shim is not available.*\(hint: build it with `npm run build:native`/);
    });
});
describe('batch input', () => {
    const line = (spi) => JSON.stringify({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi, proto: 50, crypt: { name: 'cbc(aes)', key: '0x00112233445566778899aabbccddeeff' } });
    test('state add --batch: one summary, one error line per failed entry with its line number', async () => {
        const f = fakeXfrm();
        await f.run(w(`state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 2 enc cbc(aes) 0x00`));
        const text = ['# three SAs', line(1), line(2), line(3)].join('\n');
        const r = await f.run(w('state add --batch -'), stdin(text));
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('added 2 of 3 SAs (1 failed)\n');
        expect(r.stderr).toBe('netlink-xfrm: line 3: state add: XFRM_MSG_NEWSA: EEXIST (17): SA already exists (hint: an SA with this dst/spi/proto/mark exists: `state delete` it first)\n');
        expect(f.sad.size).toBe(3);
        const j = await f.run(w('state update --batch - --json'), stdin(line(1)));
        expect(j).toEqual({ code: 0, stdout: '{"updated":1,"failed":0,"total":1}\n', stderr: '' });
    });
    test('malformed lines: exit 3 and nothing is sent', async () => {
        const f = fakeXfrm();
        const r = await f.run(w('state add --batch -'), stdin([line(1), '{"saddr":"192.0.2.1"', line(3)].join('\n')));
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(/^netlink-xfrm: line 2: not JSON: .*\nnetlink-xfrm: state add --batch: 1 malformed line; nothing was sent\n$/);
        expect(f.seen).toEqual([]);
    });
    test('policy add --batch', async () => {
        const f = fakeXfrm();
        const pol = (d) => JSON.stringify({ selector: { saddr: '192.0.2.1', daddr: d, prefixlenS: 32, prefixlenD: 32 }, dir: 1, templates: [{ id: { proto: 50 }, reqid: 1 }] });
        const r = await f.run(w('policy add --batch -'), stdin([pol('192.0.2.2'), pol('192.0.2.3')].join('\n')));
        expect(r).toEqual({ code: 0, stdout: 'added 2 of 2 policies\n', stderr: '' });
        expect(f.spd.map((p) => p.body.sel.daddr)).toEqual(['192.0.2.2', '192.0.2.3']);
    });
});
describe('policy commands', () => {
    test('add, list, get by index, count, delete, flush', async () => {
        const f = fakeXfrm();
        const add = 'policy add dir out src 192.0.2.1/32 dst 192.0.2.2/32 priority 5 tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel';
        expect((await f.run(w(add))).code).toBe(0);
        const dup = await f.run(w(add));
        expect(dup.stderr).toBe('netlink-xfrm: policy add: XFRM_MSG_NEWPOLICY: EEXIST (17) (hint: a policy with this selector/dir/mark exists: use `policy update`)\n');
        expect((await f.run(w(add.replace('policy add', 'policy update').replace('priority 5', 'priority 6')))).code).toBe(0);
        const list = await f.run(w('policy list'));
        expect(list.stdout).toBe('src 192.0.2.1/32 dst 192.0.2.2/32 uid 0\n\tdir out action allow index 9 priority 6 ptype main share any flag  (0x00000000)\n' +
            '\tlifetime config:\n\t  limit: soft (INF)(bytes), hard (INF)(bytes)\n\t  limit: soft (INF)(packets), hard (INF)(packets)\n' +
            '\t  expire add: soft 0(sec), hard 0(sec)\n\t  expire use: soft 0(sec), hard 0(sec)\n' +
            '\tlifetime current:\n\t  0(bytes), 0(packets)\n\t  add - use -\n' +
            '\ttmpl src 192.0.2.1 dst 192.0.2.2\n\t\tproto esp spi 0x00000000(0) reqid 1(0x00000001) mode tunnel\n' +
            '\t\tlevel required share any\n\t\tenc-mask ffffffff auth-mask ffffffff comp-mask ffffffff\n');
        expect((await f.run(w('policy list dir in'))).stdout).toBe('');
        expect(JSON.parse((await f.run(w('policy get dir out index 9 --json'))).stdout)).toMatchObject({ dir: 1, index: 9, priority: 6 });
        expect((await f.run(w('policy get dir out src 192.0.2.1/32 dst 192.0.2.2/32'))).stdout).toContain('index 9');
        expect((await f.run(w('policy count'))).stdout).toMatch(/^SPD IN {2}0 OUT 1 FWD 0/);
        expect((await f.run(w('policy delete dir out index 9'))).code).toBe(0);
        expect(f.spd).toEqual([]);
        expect((await f.run(w('policy flush ptype sub'))).code).toBe(0);
        expect(f.seen.find((m) => m.type === 'XFRM_MSG_FLUSHPOLICY').attrs).toEqual([{ type: 'XFRMA_POLICY_TYPE', value: { type: 1, reserved1: 0, reserved2: 0 } }]);
    });
    test('default and hthresh: show and set', async () => {
        const f = fakeXfrm();
        expect((await f.run(w('policy default'))).stdout).toBe('Default policies:\n in:  accept\n fwd: accept\n out: accept\n');
        expect((await f.run(w('policy default fwd block'))).code).toBe(0);
        expect(f.seen.find((m) => m.type === 'XFRM_MSG_SETDEFAULT').body).toEqual({ in: 0, fwd: 1, out: 0 });
        expect(JSON.parse((await f.run(w('--json policy default'))).stdout)).toEqual({ in: 2, fwd: 1, out: 2 });
        expect((await f.run(w('policy hthresh 4 24 16'))).code).toBe(0);
        expect((await f.run(w('policy hthresh'))).stdout).toBe('hthresh4 24 16\nhthresh6 128 128\n');
    });
});
describe('replay get / set', () => {
    test('ESN SA: get with thresholds; set writes XFRMA_REPLAY_ESN_VAL with the full bitmap via NEWAE', async () => {
        const f = fakeXfrm();
        await f.run(w(ADD));
        const g = await f.run(w(`replay get ${ID}`));
        expect(g.stdout).toContain('anti-replay esn context:\n\t seq-hi 0x0, seq 0x0, oseq-hi 0x0, oseq 0x0\n');
        expect(g.stdout).toContain('replay-thresh 5 etimer-thresh 2 (x100 ms)');
        expect(f.seen.find((m) => m.type === 'XFRM_MSG_GETAE').body).toMatchObject({ flags: 9 });
        expect((await f.run(w(`replay set ${ID} oseq 1000 oseq-hi 1 bmp 0x3 replay-thresh 10`))).code).toBe(0);
        const newae = f.seen.filter((m) => m.type === 'XFRM_MSG_NEWAE').pop();
        expect(newae.attrs).toEqual([
            { type: 'XFRMA_REPLAY_ESN_VAL', value: { bmpLen: 4, oseq: 1000, seq: 0, oseqHi: 1, seqHi: 0, replayWindow: 128, bmp: [3, 0, 0, 0] } },
            { type: 'XFRMA_REPLAY_THRESH', value: 10 },
        ]);
        const j = JSON.parse((await f.run(w(`replay get ${ID} --json`))).stdout);
        expect(j.replayEsn).toMatchObject({ oseq: 1000, oseqHi: 1 });
        const wrong = await f.run(w(`replay set ${ID} bitmap 1`));
        expect(wrong.code).toBe(2);
        expect(wrong.stderr).toMatch(/ESN\/BMP replay state: give "bmp W,W,\.\.\." instead of "bitmap"\nusage: netlink-xfrm replay set/);
    });
    test('legacy SA: set writes XFRMA_REPLAY_VAL; ESN words refused; absent SA → no such SA', async () => {
        const f = fakeXfrm();
        await f.run(w(`state add ${ID} enc cbc(aes) 0x00 replay-window 32 replay-oseq 5`));
        expect((await f.run(w(`replay set ${ID} seq 9 bitmap 0x1`))).code).toBe(0);
        expect(f.seen.filter((m) => m.type === 'XFRM_MSG_NEWAE').pop().attrs).toEqual([{ type: 'XFRMA_REPLAY_VAL', value: { oseq: 5, seq: 9, bitmap: 1 } }]);
        expect((await f.run(w(`replay set ${ID} seq-hi 1`))).code).toBe(2);
        const none = await f.run(w('replay get dst 192.0.2.9 proto esp spi 1'));
        expect(none).toEqual({ code: 1, stdout: '', stderr: 'netlink-xfrm: replay get: XFRM_MSG_GETAE: ESRCH (3) (hint: no such SA)\n' });
    });
});
describe('monitor', () => {
    test('one line per event, the overrun clearly, JSON lines with --json; ends on abort', async () => {
        for (const json of [false, true]) {
            const f = fakeXfrm();
            const subs = [];
            const ac = new AbortController();
            let stdout = '';
            let stderr = '';
            const done = main(json ? ['monitor', 'sa', '--json'] : ['monitor', 'sa'], {
                out: (s) => void (stdout += s),
                err: (s) => void (stderr += s),
                openClient: () => XfrmClient.open({
                    transport: f.kernel.socket(),
                    eventTransport: () => {
                        const s = f.kernel.socket();
                        subs.push(s);
                        return s;
                    },
                }),
                signal: ac.signal,
            });
            await new Promise((r) => setTimeout(r, 10));
            expect(subs).toHaveLength(1);
            expect([...subs[0].groups]).toEqual([XFRMNLGRP_SA]);
            const s = completeState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, reqid: 1, crypt: { name: 'cbc(aes)', key: Uint8Array.of(1, 2, 3) } });
            f.kernel.notify(XFRMNLGRP_SA, { type: 'XFRM_MSG_NEWSA', body: stateToUsersaInfo(s), attrs: stateToAttrs(s) });
            await new Promise((r) => setTimeout(r, 10));
            subs[0].deliver(f.kernel.overrun());
            // The marker comes after everything queued when ENOBUFS is read: let it be read first.
            await new Promise((r) => setTimeout(r, 10));
            f.kernel.notify(XFRMNLGRP_SA, { type: 'XFRM_MSG_FLUSHSA', body: { proto: 255 }, attrs: [] });
            await new Promise((r) => setTimeout(r, 10));
            ac.abort();
            expect(await done).toBe(0);
            expect(subs[0].closed).toBe(true);
            if (json) {
                const evs = stdout.trim().split('\n').map((l) => JSON.parse(l));
                expect(evs.map((e) => e.kind)).toEqual(['newsa', 'overrun', 'flushsa']);
                expect(evs[0].state.crypt.key).toBe(REDACTED);
                expect(stdout).not.toContain('0x010203');
            }
            else {
                expect(stdout).toBe(`newsa src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001000 reqid 1 mode transport\n${OVERRUN_LINE}\nflushsa proto any\n`);
                expect(stderr).toBe('netlink-xfrm: monitor: events were lost (overrun)\n');
            }
        }
    });
});
describe('snapshot / restore', () => {
    test('snapshot → failover → restore raises oseq by the margin; keys only in the snapshot', async () => {
        const f = fakeXfrm();
        await f.run(w(`${ADD} replay-oseq 41 replay-seq 7`));
        const snap = await f.run(w('snapshot'));
        expect(snap.code).toBe(0);
        expect(snap.stderr).toBe('');
        const doc = JSON.parse(snap.stdout);
        expect(doc.version).toBe(1);
        expect(doc.states).toHaveLength(1);
        expect(snap.stdout).toContain(KEY); // a snapshot is for restoring: it holds the keys
        await f.run(w('state flush'));
        const r = await f.run(w('restore --outbound-seq-margin 1000 -'), stdin(snap.stdout));
        expect(r).toEqual({
            code: 0,
            stdout: 'restored dst 192.0.2.2 proto esp spi 0x00001000 oseq 1041\nrestored 1 of 1 SAs, outbound sequence numbers raised by 1000\n',
            stderr: '',
        });
        expect((await f.run(w(`replay get ${ID}`))).stdout).toContain('seq-hi 0x0, seq 0x7, oseq-hi 0x0, oseq 0x411');
        // again: the SA exists → failure line with a hint, exit 1; --replace works; --in-place uses NEWAE
        const again = await f.run(w('restore --outbound-seq-margin 1000 -'), stdin(snap.stdout));
        expect(again.code).toBe(1);
        expect(again.stderr).toBe('netlink-xfrm: restore: dst 192.0.2.2 proto esp spi 0x00001000: XFRM_MSG_NEWSA: EEXIST (17): SA already exists (hint: the SA exists: use --replace, or --in-place to set only its counters)\n');
        expect((await f.run(w('restore --replace --outbound-seq-margin 10 -'), stdin(snap.stdout))).code).toBe(0);
        const before = f.seen.length;
        const inPlace = await f.run(w('restore --in-place --outbound-seq-margin 2 --json -'), stdin(snap.stdout));
        expect(inPlace.code).toBe(0);
        expect(JSON.parse(inPlace.stdout)).toEqual({ ok: true, status: 'restored', index: 0, id: { daddr: '192.0.2.2', spi: 4096, proto: 50, family: 2 }, oseq: '43' });
        const newae = f.seen.slice(before).filter((m) => m.type === 'XFRM_MSG_NEWAE');
        expect(newae.flatMap((m) => m.attrs.map((a) => a.type))).toContain('XFRMA_REPLAY_ESN_VAL');
        expect(f.seen.slice(before).some((m) => m.type === 'XFRM_MSG_NEWSA')).toBe(false);
    });
    test('default margin is announced; keys are never printed on a TTY; bad input exits 3', async () => {
        const f = fakeXfrm();
        await f.run(w(ADD));
        const tty = await f.run(w('snapshot'), { stdoutIsTTY: true, stderrIsTTY: true });
        expect(tty).toEqual({
            code: 2,
            stdout: '',
            stderr: 'netlink-xfrm: snapshot: refusing to print SA keys on a terminal: use --output FILE (written with mode 0600) or redirect standard output to a file you protect\n',
        });
        const piped = await f.run(w('snapshot'), { stdoutIsTTY: false, stderrIsTTY: true });
        expect(piped.stderr).toContain('\rsnapshot: reading SAs: 1/1 (100%)');
        expect(piped.stderr.endsWith('snapshot: 1 SA\n')).toBe(true);
        await f.run(w('state flush'));
        const r = await f.run(w('restore -'), stdin(piped.stdout));
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('netlink-xfrm: note: no --outbound-seq-margin given: outbound sequence numbers are raised by 65536\n');
        expect((await f.run(w('restore -'), stdin('{nope'))).code).toBe(3);
        const wrong = await f.run(w('restore -'), stdin('{"version":9,"states":[]}'));
        expect(wrong).toMatchObject({ code: 3, stderr: 'netlink-xfrm: restore: not a usable snapshot: not an XFRM snapshot of version 1\n' });
    });
});
describe('help, decode and encode', () => {
    test('--help anywhere; per-command help', async () => {
        const f = fakeXfrm();
        const h = await f.run(['--help']);
        expect(h.code).toBe(0);
        expect(h.stdout).toMatch(/^usage: netlink-xfrm \[global options\] <command>/);
        for (const c of ['state add', 'policy add', 'replay set', 'monitor', 'snapshot', 'restore', 'demo', '--netns NAME', '--json', '--show-keys']) {
            expect(h.stdout).toContain(c);
        }
        const s = await f.run(w('state --help'));
        expect(s.stdout).toMatch(/^usage: netlink-xfrm state list/);
        expect(s.stdout).not.toContain('policy');
        expect((await f.run([])).code).toBe(2);
    });
    test('decode --hex redacts keys unless --show-keys; encode of redacted JSON fails with exit 3', async () => {
        const f = fakeXfrm();
        const s = completeState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 1, proto: IPPROTO_ESP, crypt: { name: 'cbc(aes)', key: Uint8Array.of(0xab, 0xcd) } });
        const bytes = encodeXfrmMessages([{ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 1, pid: 0, body: stateToUsersaInfo(s), attrs: stateToAttrs(s) }]);
        const hex = Buffer.from(bytes).toString('hex');
        const d = await f.run(w('decode --hex -'), stdin(hex));
        expect(d.code).toBe(0);
        expect(d.stdout).toContain('"algKey": "<redacted>"');
        const e = await f.run(w('encode -'), stdin(d.stdout));
        expect(e.code).toBe(3);
        expect(e.stderr).toMatch(/redacted/);
        const shown = await f.run(w('decode --hex --show-keys -'), stdin(hex));
        expect(shown.stdout).toContain('"algKey": "0xabcd"');
        expect((await f.run(w('encode -'), stdin(shown.stdout))).stdout).toBe(hex + '\n');
        expect((await f.run(w('decode --hex -'), stdin('zz'))).code).toBe(3);
    });
});

/**
 * The SA field table against the kernel facts of xfrm/messages/newsa.ts and the model: every
 * attribute an SA is written with is one the NEWSA handler reads, and the newer-kernel fields
 * are the ones restore checks by reading back.
 */
import { describe, expect, test } from 'vitest';
import { NEWER_SA_FIELDS } from '../../src/client/client.js';
import { SA_FIELD_NAMES, SA_PLAIN_FIELDS } from '../../src/client/sa-fields.js';
import { completeState, copyOptionalFieldsGeneric, readPlainAttrGeneric, stateFromMessage, stateToAttrs, stateToUsersaInfo, writeStateAttrsGeneric, } from '../../src/client/state.js';
import { SA_KERNEL_ATTRS, SA_REQUEST_ATTRS } from '../../src/xfrm/messages/newsa.js';
const full = completeState({
    saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: 50, flags: 0,
    current: { bytes: 1n, packets: 2n, addTime: 3n, useTime: 4n },
    auth: { name: 'hmac(sha256)', key: new Uint8Array(32), truncLen: 128 }, crypt: { name: 'cbc(aes)', key: new Uint8Array(16) },
    comp: 'deflate', encap: { encapType: 2, encapSport: 4500, encapDport: 4500, encapOa: '0.0.0.0' },
    replay: { oseq: 1, seq: 2, bitmap: 3 },
    mark: { v: 1, m: 2 }, outputMark: { value: 3, mask: 4 }, ifId: 5, dir: 2, pcpu: 0, tfcpad: 6, extraFlags: 1,
    offload: { ifindex: 1, flags: 0 }, secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'x' }, coaddr: '192.0.2.9',
    mtimerThresh: 8, natKeepaliveInterval: 9, replayThresh: 10, etimerThresh: 11,
    iptfs: { dropTime: 1, reorderWindow: 2, dontFrag: true, initDelay: 3, maxQsize: 4, pktSize: 5 },
});
describe('SA field table', () => {
    test('every attribute stateToAttrs writes is one the kernel reads from NEWSA/UPDSA', () => {
        const written = stateToAttrs(full, true).map((a) => a.type);
        expect(written.length).toBe(new Set(written).size);
        for (const t of written)
            expect(SA_REQUEST_ATTRS, t).toContain(t);
    });
    test('each plain field is read back from the attribute the kernel writes', () => {
        for (const p of SA_PLAIN_FIELDS) {
            if (p.attr === 'XFRMA_REPLAY_THRESH' || p.attr === 'XFRMA_ETIMER_THRESH')
                continue; // GETAE reports these
            expect(SA_KERNEL_ATTRS, p.field).toContain(p.attr);
        }
        const back = stateFromMessage(stateToUsersaInfo(full), stateToAttrs(full, true));
        for (const p of SA_PLAIN_FIELDS)
            if (!p.readOnly)
                expect(back[p.field], p.field).toEqual(full[p.field]);
    });
    test('the newer-kernel fields are those restore and addState check by reading back', () => {
        expect([...NEWER_SA_FIELDS].sort()).toEqual(['dir', 'extraFlags', 'ifId', 'iptfs', 'mtimerThresh', 'natKeepaliveInterval', 'outputMark', 'pcpu']);
        for (const f of NEWER_SA_FIELDS)
            expect(SA_FIELD_NAMES).toContain(f);
    });
    test('the compiled writer and reader agree with the generic loops over the table', () => {
        const v6 = completeState({ ...full, saddr: '2001:db8::1', daddr: '2001:db8::2', coaddr: '2001:db8::9', encap: undefined, selector: undefined, family: undefined, lastUsed: 5n });
        for (const s of [full, v6, completeState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 1, proto: 50 })]) {
            for (const withCurrent of [false, true]) {
                const out = [];
                writeStateAttrsGeneric(s, out, withCurrent);
                expect(stateToAttrs(s, withCurrent)).toEqual(out);
            }
            const attrs = [...stateToAttrs(s, true), { type: 'XFRMA_LASTUSED', value: 5n }];
            const back = stateFromMessage(stateToUsersaInfo(s), attrs);
            const copied = {};
            copyOptionalFieldsGeneric(s, copied);
            expect(completeState(s)).toEqual({ ...s, ...copied });
            const generic = {};
            for (const a of attrs)
                readPlainAttrGeneric(generic, a, s.family);
            for (const p of SA_PLAIN_FIELDS)
                expect(back[p.field], p.field).toEqual(generic[p.field]);
        }
    });
});

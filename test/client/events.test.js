/**
 * Typed events: the client's subscription over the shipped fake XFRM kernel (notifications
 * on XFRMNLGRP_SA, _POLICY and _AEVENTS after the ACK), and eventFromMessage on hand-made
 * notifications for the cases the fake does not send.
 */
import { describe, expect, test } from 'vitest';
import { anySelector, eventFromMessage, stateToUsersaInfo, completeState } from '../../src/client/index.js';
import { SecretBytes } from '../../src/netlink/index.js';
import { AF_INET, IPPROTO_ESP, XFRM_AE_CR, XFRM_POLICY_OUT } from '../../src/xfrm/index.js';
import { aead, fakeSad, take } from './fake.js';
const id = { daddr: '192.0.2.2', spi: 0x5001, proto: IPPROTO_ESP };
const sa = { ...id, saddr: '192.0.2.1', aead, replayWindow: 32, replay: { oseq: 0, seq: 0, bitmap: 0 } };
describe('events over the fake kernel', () => {
    test('an SA life: newsa, updsa, aevent on traffic, delsa with the deleted SA', async () => {
        const { client, kernel } = fakeSad();
        const events = client.events(['sa', 'aevents']);
        await client.addState(sa);
        await client.updateState({ ...sa, reqid: 0 });
        kernel.traffic(id.daddr, id.spi, id.proto, { out: 2 });
        await client.deleteState(id);
        const got = await take(events, 4);
        expect(got.map((e) => e.kind)).toEqual(['newsa', 'updsa', 'aevent', 'delsa']);
        const [added, , ae, deleted] = got;
        if (added?.kind !== 'newsa' || ae?.kind !== 'aevent' || deleted?.kind !== 'delsa')
            throw new Error('kinds');
        expect(added.state.spi).toBe(id.spi);
        expect(ae.ae.flags & XFRM_AE_CR).toBe(XFRM_AE_CR);
        expect(ae.ae.replay?.oseq).toBe(2);
        expect(deleted.id).toMatchObject({ daddr: id.daddr, spi: id.spi, proto: id.proto });
        expect(deleted.state?.aead?.name).toBe(aead.name);
        events.close();
        client.close();
    });
    test('only the groups asked for: a policy subscription sees no SA events', async () => {
        const { client } = fakeSad();
        const events = client.events(['policy']);
        await client.addState(sa);
        await client.addPolicy({ selector: anySelector(AF_INET), dir: XFRM_POLICY_OUT });
        const got = await take(events, 1);
        expect(got.map((e) => e.kind)).toEqual(['newpolicy']);
        events.close();
        client.close();
    });
});
describe('eventFromMessage', () => {
    const info = stateToUsersaInfo(completeState(sa));
    const usersaId = { daddr: id.daddr, spi: id.spi, family: AF_INET, proto: id.proto };
    test('DELSA without XFRMA_SA and DELPOLICY without XFRMA_POLICY: the event has no deleted object', () => {
        const delsa = eventFromMessage({ type: 'XFRM_MSG_DELSA', flags: 0, seq: 0, pid: 0, body: usersaId, attrs: [] });
        expect(delsa.kind).toBe('delsa');
        expect('state' in delsa).toBe(false);
        const polId = { sel: anySelector(AF_INET), index: 9, dir: XFRM_POLICY_OUT };
        const delpol = eventFromMessage({ type: 'XFRM_MSG_DELPOLICY', flags: 0, seq: 0, pid: 0, body: polId, attrs: [] });
        expect(delpol).toMatchObject({ kind: 'delpolicy', id: polId });
        expect('policy' in delpol).toBe(false);
    });
    test('NEWSA and UPDSA map to newsa and updsa with the SA', () => {
        for (const [type, kind] of [['XFRM_MSG_NEWSA', 'newsa'], ['XFRM_MSG_UPDSA', 'updsa']]) {
            const e = eventFromMessage({ type, flags: 0, seq: 0, pid: 0, body: info, attrs: [] });
            expect(e).toMatchObject({ kind, state: { daddr: id.daddr, spi: id.spi } });
        }
    });
    test('an undecodable notification is unknown, its payload wrapped as SecretBytes (it may hold keys)', () => {
        const e = eventFromMessage({ type: 0x99, flags: 0, seq: 0, pid: 0, payload: new Uint8Array([1, 2, 3]) });
        expect(e.kind).toBe('unknown');
        if (e.kind !== 'unknown')
            throw new Error('kind');
        expect(e.message.payload).toBeInstanceOf(SecretBytes);
    });
});

/**
 * Policies through XfrmClient against the shipped fake XFRM kernel (an in-memory SPD that
 * answers like Linux: EEXIST, ENOENT, the direction in the index): single calls by index and
 * by selector, and the bulk calls' one result per entry.
 */
import { describe, expect, test } from 'vitest';
import { anySelector, template } from '../../src/client/index.js';
import { AF_INET, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_POLICY_TYPE_SUB } from '../../src/xfrm/index.js';
import { fakeSad } from './fake.js';
const sel = (n) => ({ ...anySelector(AF_INET), daddr: `198.51.100.${n}`, prefixlenD: 32 });
const pol = (n, dir = XFRM_POLICY_OUT) => ({
    selector: sel(n),
    dir,
    templates: [template({ daddr: '192.0.2.2', saddr: '192.0.2.1', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: n })],
});
describe('policies over the fake kernel', () => {
    test('add, read back by selector and by index, list, delete', async () => {
        const { client, seen } = fakeSad();
        await client.addPolicy(pol(1));
        const bySel = await client.getPolicy({ dir: XFRM_POLICY_OUT, selector: sel(1) });
        expect(bySel.templates.map((t) => t.reqid)).toEqual([1]);
        expect(bySel.index & 7).toBe(XFRM_POLICY_OUT);
        const byIndex = await client.getPolicy({ dir: XFRM_POLICY_OUT, index: bySel.index });
        expect(byIndex.selector).toEqual(sel(1));
        const all = [];
        for await (const p of client.listPolicies())
            all.push(p.index);
        expect(all).toEqual([bySel.index]);
        await client.deletePolicy({ dir: XFRM_POLICY_OUT, index: bySel.index });
        expect(seen.map((m) => m.type)).toEqual(['XFRM_MSG_NEWPOLICY', 'XFRM_MSG_GETPOLICY', 'XFRM_MSG_GETPOLICY', 'XFRM_MSG_GETPOLICY', 'XFRM_MSG_DELPOLICY']);
        const err = await client.getPolicy({ dir: XFRM_POLICY_OUT, selector: sel(1) }).catch((e) => e);
        expect(err).toMatchObject({ name: 'NetlinkKernelError', code: 'ENOENT' });
        client.close();
    });
    test('addPolicies: a malformed policy fails in its own result and is not sent; the others are added', async () => {
        const { client, spd, seen } = fakeSad();
        const bad = { ...pol(2), selector: { ...sel(2), daddr: '2001:db8::1' } };
        const results = await client.addPolicies([pol(1), bad, pol(3, XFRM_POLICY_IN)]);
        expect(results.map((r) => r.ok)).toEqual([true, false, true]);
        expect(results[1]).toMatchObject({ ok: false, error: { name: 'NetlinkEncodeError', what: 'policy.selector.daddr' } });
        expect(seen.map((m) => m.type)).toEqual(['XFRM_MSG_NEWPOLICY', 'XFRM_MSG_NEWPOLICY']);
        expect(spd.map((p) => p.body.sel.daddr)).toEqual(['198.51.100.1', '198.51.100.3']);
        const again = await client.addPolicies([pol(1)], { update: true });
        expect(again.map((r) => r.ok)).toEqual([true]);
        expect(seen[seen.length - 1].type).toBe('XFRM_MSG_UPDPOLICY');
        client.close();
    });
    test('deletePolicies: by index and by selector in one batch; a malformed id fails alone (ids[i]), unsent', async () => {
        const { client, spd, seen } = fakeSad();
        await client.addPolicies([pol(1), pol(2), pol(3)]);
        const index = spd[0].body.index;
        const results = await client.deletePolicies([{ dir: XFRM_POLICY_OUT, index }, { dir: XFRM_POLICY_OUT }, { dir: XFRM_POLICY_OUT, selector: sel(3) }]);
        expect(results.map((r) => r.ok)).toEqual([true, false, true]);
        expect(results[1]).toMatchObject({ ok: false, error: { name: 'NetlinkEncodeError', what: 'ids[1]' } });
        expect(seen.filter((m) => m.type === 'XFRM_MSG_DELPOLICY')).toHaveLength(2);
        expect(spd.map((p) => p.body.sel.daddr)).toEqual(['198.51.100.2']);
        client.close();
    });
    test('flushPolicies names the policy type only for sub policies', async () => {
        const { client, seen } = fakeSad();
        await client.flushPolicies();
        await client.flushPolicies(XFRM_POLICY_TYPE_SUB);
        expect(seen.map((m) => m.attrs)).toEqual([[], [{ type: 'XFRMA_POLICY_TYPE', value: { type: XFRM_POLICY_TYPE_SUB, reserved1: 0, reserved2: 0 } }]]);
        client.close();
    });
});

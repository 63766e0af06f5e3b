/**
 * Issue 13: `toJson`, the documented JSON form of what the client returns (the CLI's `--json`):
 * no bigint in the way of JSON.stringify, names beside enumerated numbers, keys redacted.
 */
import { describe, expect, test } from 'vitest';
import { toJson, XFRM_JSON_VERSION } from '../../src/client/json.js';
import { anySelector, template } from '../../src/client/index.js';
import { jsonLine } from '../../src/cli/format.js';
import { REDACTED } from '../../src/xfrm/json.js';
import { IPPROTO_ESP, UDP_ENCAP_ESPINUDP, XFRM_MODE_TUNNEL, XFRM_POLICY_OUT, XFRM_STATE_ESN } from '../../src/xfrm/index.js';
import { aead, fakeSad, take } from './fake.js';
const KEY_HEX = '0x' + '01'.repeat(20);
describe('issue 13: toJson', () => {
    test('an SA: JSON.stringify of the model throws on bigint; of toJson it works, names beside numbers', async () => {
        const { client } = fakeSad();
        await client.addState({
            saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 1, aead, flags: XFRM_STATE_ESN,
            replayWindow: 0, replayEsn: { bmpLen: 1, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 32, bmp: [0] },
            encap: { encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4500, encapOa: '0.0.0.0' }, mark: { v: 1, m: 0xff },
        });
        const [sa] = await client.getStates();
        expect(() => JSON.stringify(sa)).toThrow(/BigInt/);
        const j = JSON.parse(JSON.stringify(toJson(sa)));
        expect(j).toMatchObject({
            family: 2, familyName: 'inet', proto: 50, protoName: 'esp', mode: 1, modeName: 'tunnel', flags: XFRM_STATE_ESN, flagNames: ['esn'],
            spi: 0x1000, mark: { v: 1, m: 0xff }, aead: { name: 'rfc4106(gcm(aes))', key: REDACTED },
            encap: { encapType: UDP_ENCAP_ESPINUDP, encapTypeName: 'espinudp' },
            selector: { family: 2, familyName: 'inet', proto: 0, protoName: 'any' },
        });
        expect(typeof j.lifetime.softByteLimit).toBe('string');
        // The name sits right after its number.
        const keys = Object.keys(j);
        expect(keys[keys.indexOf('proto') + 1]).toBe('protoName');
        expect(toJson(sa, { showKeys: true }).aead.key).toBe(KEY_HEX);
        expect(JSON.stringify(toJson(sa))).not.toContain('0101');
        client.close();
    });
    test('a policy, its templates; an event; an array; the CLI prints the same', async () => {
        const { client } = fakeSad();
        const events = client.events(['policy']);
        await new Promise((r) => setTimeout(r, 10));
        await client.addPolicy({
            selector: { ...anySelector(2), daddr: '10.0.0.0', prefixlenD: 8 }, dir: XFRM_POLICY_OUT,
            templates: [template({ proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, saddr: '192.0.2.1', daddr: '192.0.2.2', family: 2 })],
        });
        const ps = await client.getPolicies();
        const j = toJson(ps);
        expect(j[0]).toMatchObject({ dir: 1, dirName: 'out', action: 0, actionName: 'allow', flagNames: [] });
        expect(j[0].templates[0]).toMatchObject({ mode: 1, modeName: 'tunnel', familyName: 'inet', id: { proto: 50, protoName: 'esp' } });
        expect(jsonLine(ps[0])).toBe(JSON.stringify(toJson(ps[0])) + '\n');
        const [ev] = await take(events, 1);
        const { message: _m, ...rest } = ev;
        void _m;
        expect(toJson(rest)).toMatchObject({ kind: 'newpolicy', policy: { dirName: 'out' } });
        client.close();
    });
    test('replay state: AE flags named; plain values pass through; version 1', async () => {
        const { client } = fakeSad();
        await client.addState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, aead });
        const ae = await client.getReplayState({ daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP });
        expect(toJson(ae)).toMatchObject({ flags: 0, flagNames: [], replay: { oseq: 0 } });
        expect(toJson({ count: 1n, in: 2 })).toEqual({ count: '1', in: 2 });
        expect(XFRM_JSON_VERSION).toBe(1);
        client.close();
    });
});

/**
 * Golden fixtures: every datagram captured from a real kernel or iproute2 (fixtures/**.hex,
 * see fixtures/README.md) must decode to its recorded value and re-encode byte for byte,
 * message by message. A request that a fixture sends malformed on purpose (`# malformed:`)
 * must instead fail with a NetlinkDecodeError. Set UPDATE_GOLDEN=1 to (re)write the
 * .expected.json files after reviewing a capture.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { HOST_LE } from '../src/netlink/endian.js';
import { NetlinkDecodeError } from '../src/netlink/errors.js';
import { nlmsgIterate } from '../src/netlink/reader.js';
import { viewOf } from '../src/netlink/view.js';
import { decodeXfrmMessage, encodeXfrmMessages } from '../src/xfrm/family.js';
import { xfrmMessageFromJson, xfrmMessageToJson } from '../src/xfrm/json.js';
import { FIXTURES_ROOT, fixtureFiles, loadFixture } from './helpers/fixtures.js';
import { toHex } from './helpers/hex.js';
const files = fixtureFiles();
function decodeDatagram(bytes) {
    const view = viewOf(bytes);
    return [...nlmsgIterate(view, true)].map((loc) => ({
        bytes: bytes.subarray(loc.offset, loc.offset + loc.len),
        msg: decodeXfrmMessage(view, loc, true),
    }));
}
describe.skipIf(!HOST_LE)('golden fixtures (little-endian captures)', () => {
    test('there are fixtures from both kernels', () => {
        expect(files.filter((f) => f.includes('linux-6.18')).length).toBeGreaterThan(50);
        expect(files.filter((f) => f.includes('linux-6.1/')).length).toBeGreaterThan(50);
    });
    describe.each(files.map((f) => ({ file: relative(FIXTURES_ROOT, f), path: f })))('$file', ({ path }) => {
        const fx = loadFixture(path);
        const decoded = fx.datagrams.map((d) => {
            try {
                return decodeDatagram(d.bytes);
            }
            catch (e) {
                if (e instanceof NetlinkDecodeError)
                    return e;
                throw e;
            }
        });
        const expectedPath = path.replace(/\.hex$/, '.expected.json');
        test('every datagram decodes, except a request declared malformed', () => {
            decoded.forEach((d, i) => {
                if (d instanceof NetlinkDecodeError) {
                    expect(fx.malformed, `line ${fx.datagrams[i].line}: ${d.message}`).toBe(true);
                    expect(fx.datagrams[i].dir).toBe('send');
                }
            });
            if (fx.malformed)
                expect(decoded.some((d) => d instanceof NetlinkDecodeError)).toBe(true);
        });
        test('re-encodes byte for byte, message by message (also through JSON)', () => {
            for (const d of decoded) {
                if (d instanceof NetlinkDecodeError)
                    continue;
                for (const m of d) {
                    expect(toHex(encodeXfrmMessages([m.msg], true))).toBe(toHex(m.bytes));
                    const back = xfrmMessageFromJson(JSON.parse(JSON.stringify(xfrmMessageToJson(m.msg, { showKeys: true }))));
                    expect(toHex(encodeXfrmMessages([back], true))).toBe(toHex(m.bytes));
                }
            }
        });
        test('decodes to the recorded value', () => {
            const json = decoded.map((d) => d instanceof NetlinkDecodeError ? { decodeError: d.message } : d.map((m) => xfrmMessageToJson(m.msg, { showKeys: true })));
            if (process.env.UPDATE_GOLDEN || !existsSync(expectedPath)) {
                if (process.env.CI)
                    throw new Error(`missing ${expectedPath}: run UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`);
                writeFileSync(expectedPath, JSON.stringify(json, null, 1) + '\n');
            }
            expect(json).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
        });
    });
});

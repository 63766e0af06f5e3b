/**
 * `netlink-xfrm decode` / `encode` on every captured fixture: decode --hex --show-keys, then
 * encode, must reproduce each message's bytes exactly; malformed input gives one line and
 * exit code 3.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { decodeCommand, encodeCommand } from '../src/cli/codec-commands.js';
import { main, run } from '../src/cli/main.js';
import { EXIT_DATA } from '../src/cli/exit-codes.js';
import { nlmsgIterate } from '../src/netlink/reader.js';
import { viewOf } from '../src/netlink/view.js';
import { toHex } from './helpers/hex.js';
import { FIXTURES_ROOT, fixtureFiles, loadFixture } from './helpers/fixtures.js';
const files = fixtureFiles();
const tmp = mkdtempSync(join(tmpdir(), 'nlx-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
describe.each(files.map((f) => ({ f: f.slice(FIXTURES_ROOT.length + 1), path: f })))('$f', ({ path }) => {
    test('decode --hex --show-keys | encode reproduces every message', async () => {
        // Requests a fixture sends malformed on purpose are left out (test/golden.test.ts checks they fail).
        const fx = loadFixture(path);
        const grams = fx.datagrams.filter((d) => !(fx.malformed && d.dir === 'send'));
        const expected = [];
        for (const g of grams) {
            for (const loc of nlmsgIterate(viewOf(g.bytes), true))
                expected.push(toHex(g.bytes.subarray(loc.offset, loc.offset + loc.len)));
        }
        // Through main(), as a user would run it, with files on disk.
        const input = join(tmp, 'in.hex');
        writeFileSync(input, grams.map((g) => toHex(g.bytes)).join('\n') + '\n');
        let json = '';
        expect(await main(['decode', '--hex', '--show-keys', input], (s) => (json += s))).toBe(0);
        const jsonFile = join(tmp, 'm.json');
        writeFileSync(jsonFile, json);
        let hex = '';
        expect(await main(['encode', jsonFile], (s) => (hex += s))).toBe(0);
        expect(hex.trim().split('\n')).toEqual(expected);
    });
});
describe('decode/encode errors', () => {
    test('malformed bytes: one line naming the offset, exit 3, no stack trace', async () => {
        const bad = join(tmp, 'bad.hex');
        writeFileSync(bad, '# a GETSA whose header is cut short\n18000000 1200 0100 01000000 00000000 0000000000000000\n');
        const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
        process.exitCode = 0;
        await run(['decode', '--hex', bad]);
        const printed = err.mock.calls.map((c) => String(c[0])).join('');
        err.mockRestore();
        expect(process.exitCode).toBe(EXIT_DATA);
        process.exitCode = 0;
        expect(printed).toBe('netlink-xfrm: line 2: xfrm_usersa_id at offset 16: truncated: need 24 bytes, have 8 (in XFRM_MSG_GETSA at offset 0)\n');
    });
    test('keys are redacted without --show-keys, and encode refuses redacted keys', () => {
        // Any message carries attributes in the codec; a FLUSHSA with a cbc(aes) key will do.
        const json = JSON.stringify([
            {
                type: 'XFRM_MSG_FLUSHSA',
                flags: 5,
                seq: 1,
                pid: 0,
                body: { proto: 50 },
                attrs: [{ type: 'XFRMA_ALG_CRYPT', value: { algName: 'cbc(aes)', algKey: '0x00112233445566778899aabbccddeeff' } }],
            },
        ]);
        const hex = encodeCommand(new TextEncoder().encode(json)).trim();
        const shown = JSON.parse(decodeCommand(new TextEncoder().encode(hex), { hex: true, showKeys: false }));
        expect(shown[0].attrs[0].value.algKey).toBe('<redacted>');
        expect(() => encodeCommand(new TextEncoder().encode(JSON.stringify(shown)))).toThrow(/redacted/);
        const full = decodeCommand(new TextEncoder().encode(hex), { hex: true, showKeys: true });
        expect(encodeCommand(new TextEncoder().encode(full)).trim()).toBe(hex);
    });
    test('JSON that is not JSON', () => {
        expect(() => encodeCommand(new TextEncoder().encode('{'))).toThrow(/not JSON/);
    });
});

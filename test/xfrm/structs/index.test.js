import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as netlink from '../../../src/netlink/index.js';
import * as structs from '../../../src/xfrm/structs/index.js';
const dir = fileURLToPath(new URL('../../../src/xfrm/structs/', import.meta.url));
describe('src/xfrm/structs/index.ts', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    it('covers one file per struct of XFRM-ABI.md §2 (39 files)', () => {
        expect(files).toHaveLength(39);
    });
    it.each(files)('re-exports everything from %s', async (file) => {
        const mod = (await import(`../../../src/xfrm/structs/${file.replace(/\.ts$/, '.js')}`));
        for (const [name, value] of Object.entries(mod))
            expect(structs[name], name).toBe(value);
    });
    it('the netlink index exports the three core structs', () => {
        expect(netlink.sockaddrNlCodec.name).toBe('sockaddr_nl');
        expect(netlink.nlPktinfoCodec.name).toBe('nl_pktinfo');
        expect(netlink.nlaBitfield32Codec.name).toBe('nla_bitfield32');
    });
});

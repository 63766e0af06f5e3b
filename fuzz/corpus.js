/**
 * The seed corpus: every datagram (sent and received) of every fixture file, plus a few
 * datagrams derived from them that the kernel really produces but the fixtures may lack
 * (an NLMSG_ERROR echoing a whole NEWSA request, keys included).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
function hexFiles(dir) {
    return readdirSync(dir)
        .flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? hexFiles(p) : p.endsWith('.hex') ? [p] : [];
    })
        .sort();
}
/** Same format as test/helpers/fixtures.ts: `# header` lines, then `send|recv <hex>` lines. */
export function loadSeeds(fixturesDir) {
    const out = [];
    for (const path of hexFiles(fixturesDir)) {
        const rel = path.slice(fixturesDir.length + 1);
        readFileSync(path, 'utf8')
            .split('\n')
            .forEach((raw, i) => {
            const line = raw.replace(/#.*$/, '').trim();
            const m = /^(send|recv)\s+([0-9a-fA-F]+)$/.exec(line);
            if (m)
                out.push({ origin: `${rel}:${i + 1}`, bytes: Uint8Array.from(Buffer.from(m[2], 'hex')) });
        });
    }
    // The kernel echoes a failed request whole (unless NETLINK_CAP_ACK): wrap every request
    // that carries an algorithm attribute into such an error, with and without extended-ACK TLVs.
    const extra = [];
    for (const s of out) {
        const b = s.bytes;
        if (b.length < 16)
            continue;
        const type = b[4] | (b[5] << 8);
        if (type !== 0x10 && type !== 0x1a)
            continue; // NEWSA, UPDSA
        const len = Math.min(b[0] | (b[1] << 8) | (b[2] << 16), b.length);
        for (const tlvs of [false, true]) {
            const msg = Buffer.from('netlink-xfrm fuzz\0', 'latin1');
            const tlv = tlvs ? 4 + msg.length : 0;
            const total = 16 + 4 + ((len + 3) & ~3) + ((tlv + 3) & ~3);
            const e = Buffer.alloc(total);
            e.writeUInt32LE(total, 0);
            e.writeUInt16LE(2, 4); // NLMSG_ERROR
            e.writeUInt16LE(tlvs ? 0x200 : 0, 6); // NLM_F_ACK_TLVS
            e.writeInt32LE(-22, 16);
            e.set(b.subarray(0, len), 20);
            if (tlvs) {
                const o = 20 + ((len + 3) & ~3);
                e.writeUInt16LE(tlv, o);
                e.writeUInt16LE(1, o + 2); // NLMSGERR_ATTR_MSG
                msg.copy(e, o + 4);
            }
            extra.push({ origin: `${s.origin} echoed in NLMSG_ERROR${tlvs ? ' with TLVs' : ''}`, bytes: new Uint8Array(e) });
        }
    }
    return out.concat(extra);
}

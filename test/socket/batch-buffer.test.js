/** The pure chunk buffer of batches: limits, the reply budget, and the one ACK per chunk. */
import { describe, expect, test } from 'vitest';
import { HOST_LE, NLM_F_ACK, NLM_F_REQUEST } from '../../src/netlink/index.js';
import { BatchBuffer, REPLY_COST } from '../../src/socket/batch-buffer.js';
const le = HOST_LE;
/** An nlmsghdr-only message of `len` bytes (len ≥ 16) with `seq`, flags NLM_F_REQUEST. */
function msg(len, seq) {
    const b = new Uint8Array(len);
    const v = new DataView(b.buffer);
    v.setUint32(0, len, le);
    v.setUint16(4, 0x10, le);
    v.setUint16(6, NLM_F_REQUEST, le);
    v.setUint32(8, seq, le);
    return b;
}
const flagsAt = (chunk, off) => new DataView(chunk.buffer, chunk.byteOffset).getUint16(off + 6, le);
describe('BatchBuffer', () => {
    test('messages are laid out NLMSG-aligned; only the last one of a chunk asks for an ACK', () => {
        const b = new BatchBuffer(1024, 1 << 20, le);
        expect(b.add(msg(20, 1))).toBe(0);
        expect(b.add(msg(18, 2))).toBe(20);
        expect(b.add(msg(16, 3))).toBe(40); // 18 rounds up to 20
        expect(b.count).toBe(3);
        const chunk = b.take();
        expect(chunk.length).toBe(56);
        expect([0, 20, 40].map((o) => flagsAt(chunk, o) & NLM_F_ACK)).toEqual([0, 0, NLM_F_ACK]);
        expect(b.count).toBe(0);
    });
    test('a chunk is full at its byte limit, or when the replies it may cause would pass the budget', () => {
        const bySize = new BatchBuffer(64, 1 << 20, le);
        expect(bySize.full(64)).toBe(false); // an empty chunk takes anything
        bySize.add(msg(32, 1));
        expect(bySize.full(32)).toBe(false);
        bySize.add(msg(32, 2));
        expect(bySize.full(16)).toBe(true);
        const byBudget = new BatchBuffer(1 << 16, 2 * (REPLY_COST + 16), le);
        byBudget.add(msg(16, 1));
        expect(byBudget.full(16)).toBe(false);
        byBudget.add(msg(16, 2));
        expect(byBudget.full(16)).toBe(true);
    });
    test('a message larger than a chunk goes alone, whole; the next chunk has a buffer of its own', () => {
        const b = new BatchBuffer(64, 1 << 20, le);
        b.add(msg(200, 1));
        const big = b.take();
        expect(big.length).toBe(200);
        expect(flagsAt(big, 0) & NLM_F_ACK).toBe(NLM_F_ACK);
        b.add(msg(16, 2));
        const next = b.take();
        expect(next.buffer).not.toBe(big.buffer);
        expect(new DataView(big.buffer).getUint32(8, le)).toBe(1); // the sent chunk is untouched
    });
});

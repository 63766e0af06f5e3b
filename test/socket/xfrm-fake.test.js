/** The socket with the real XFRM family over the fake kernel: attribute names from real offsets. */
import { describe, expect, test } from 'vitest';
import { NetlinkSocket } from '../../src/socket/index.js';
import { FakeKernel } from '../../src/testing/index.js';
import { xfrmFamily } from '../../src/xfrm/index.js';
import { newPolicy } from './xfrm-builders.js';
describe('XFRM family over the fake kernel', () => {
    test('an extack offset is mapped to the XFRMA_* attribute of the request that failed', async () => {
        let offset = 0;
        const kernel = new FakeKernel({ family: xfrmFamily, handler: (req, k) => k.error(req, 22, { message: 'bad', offset }) });
        const sock = NetlinkSocket.open({ family: xfrmFamily, transport: kernel.socket() });
        const msg = newPolicy(1, [
            { type: 'XFRMA_MARK', value: { v: 1, m: 0xffffffff } },
            { type: 'XFRMA_IF_ID', value: 7 },
        ]);
        // nlmsghdr 16 + xfrm_userpolicy_info 168 = 184: XFRMA_MARK (12 bytes), then XFRMA_IF_ID at 196.
        offset = 184;
        await expect(sock.request(msg)).rejects.toMatchObject({ attribute: 'XFRMA_MARK', request: 'XFRM_MSG_NEWPOLICY' });
        offset = 196;
        const e = (await sock.request(msg).catch((x) => x));
        expect(e.attribute).toBe('XFRMA_IF_ID');
        expect(e.message).toBe('XFRM_MSG_NEWPOLICY: EINVAL (22): bad [attribute XFRMA_IF_ID]');
        // A GETSA dump request carries its attributes right after the nlmsghdr.
        offset = 16;
        const dump = { type: 'XFRM_MSG_GETSA', body: null, attrs: [{ type: 'XFRMA_PROTO', value: 50 }] };
        kernel.handler = (req, k) => k.done(req, 34, { message: 'bad proto', offset });
        await expect(sock.dumpAll(dump)).rejects.toMatchObject({ code: 'ERANGE', attribute: 'XFRMA_PROTO', request: 'XFRM_MSG_GETSA' });
        sock.close();
    });
});

/**
 * The public surface (issue 12): every entry point is an explicit export list, the root
 * exports what a user of the client needs (not every codec), and no `@internal` helper is
 * exported. README examples import only names the root exports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as clientApi from '../src/client/index.js';
import * as haApi from '../src/ha/index.js';
import * as netlinkApi from '../src/netlink/index.js';
import * as socketApi from '../src/socket/index.js';
import * as xfrmApi from '../src/xfrm/index.js';
const root = join(__dirname, '..');
const entries = ['index', 'netlink/index', 'xfrm/index', 'socket/index', 'client/index', 'ha/index', 'testing/index'];
describe('entry points', () => {
    test.each(entries)('src/%s.ts is an explicit export list (no export *)', (e) => {
        expect(readFileSync(join(root, 'src', `${e}.ts`), 'utf8')).not.toMatch(/export \*/);
    });
    test('the root exports the client, its errors and the HA entry points, not the codecs', async () => {
        const api = (await import('../src/index.js'));
        for (const name of ['XfrmClient', 'template', 'snapshot', 'restore', 'restoreInPlace', 'HaPublisher', 'HaFollower', 'HaJournal', 'takeover']) {
            expect(typeof api[name], name).toBe('function');
        }
        for (const name of ['NetlinkKernelError', 'NetlinkEncodeError', 'NetlinkDecodeError', 'XfrmUnsupportedError', 'XfrmSnapshotEntryError', 'XfrmLarvalStateError', 'XfrmViewExpiredError', 'xfrmErrorHint', 'toJson']) {
            expect(typeof api[name], name).toBe('function');
        }
        expect(api.IPPROTO_ESP).toBe(50);
        expect(api.xfrmUsersaInfoCodec).toBeUndefined();
        expect(api.NetlinkSocket).toBeUndefined();
        expect(Object.keys(api).length).toBeLessThan(150);
    });
    test.each([
        ['netlink', netlinkApi, ['checkRange', 'need', 'checkUint', 'wrapAs', 'sealSecretClass', 'INSPECT_CUSTOM', 'SOCKADDR_NL_PADDING', 'quoteSafe']],
        ['xfrm', xfrmApi, ['familyHint', 'encodeXfrmAlgName', 'xfrmAlgKeyBits', 'XFRM_USERSA_INFO_PADDING', 'shapeEntriesOf']],
        ['socket', socketApi, ['unencodable']],
        ['client', clientApi, ['ZERO_CUR', 'DEFAULT_LIFETIME', 'NEWER_SA_FIELDS', 'familyOf', 'prepareRestoredState', 'ViewDumpHandler', 'makePolicyView', 'makeStateView']],
        ['ha', haApi, ['haSaKey', 'haSaIdOf', 'isHaRecordType']],
    ])('src/%s/index.ts exports no internal helper', (_, api, names) => {
        expect(names.filter((n) => n in api)).toEqual([]);
    });
    test('the dump views are public: the client subpath has the classes and the in-memory walkers, the root the error', async () => {
        for (const name of ['XfrmPolicyView', 'XfrmStateView', 'XfrmSelectorView', 'XfrmViewExpiredError', 'forEachPolicyView', 'forEachStateView']) {
            expect(typeof clientApi[name], name).toBe('function');
        }
        const api = (await import('../src/index.js'));
        expect(typeof api.XfrmViewExpiredError).toBe('function');
    });
    test("README's TypeScript examples import names the root exports", async () => {
        const api = (await import('../src/index.js'));
        const readme = readFileSync(join(root, 'README.md'), 'utf8');
        const imports = [...readme.matchAll(/import \{([^}]+)\} from 'netlink-xfrm'/g)].flatMap((m) => m[1].split(',').map((s) => s.trim()));
        expect(imports.length).toBeGreaterThan(5);
        expect(imports.filter((n) => !(n in api))).toEqual([]);
    });
});

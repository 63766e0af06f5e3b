/**
 * `npm install` on a machine where no prebuild fits and the shim cannot be built: the one
 * warning names what is missing (a C compiler, make, python3), and the install still succeeds
 * (the codecs work without the shim). Run on a copy of the package's build inputs, with a PATH
 * that holds only `node`, so the checkout's native/build is never touched.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nlx-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
test.skipIf(process.platform !== 'linux')('a failed build names the missing compiler, make and python3, and exits 0', () => {
    const pkg = join(dir, 'pkg');
    const bin = join(dir, 'bin');
    mkdirSync(join(pkg, 'scripts'), { recursive: true });
    mkdirSync(join(pkg, 'native'), { recursive: true });
    mkdirSync(bin);
    cpSync(join(root, 'scripts', 'build-native.mjs'), join(pkg, 'scripts', 'build-native.mjs'));
    for (const f of ['netlink_shim.c', 'binding.gyp'])
        cpSync(join(root, 'native', f), join(pkg, 'native', f));
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const env = { PATH: bin, HOME: dir, NETLINK_XFRM_BUILD_FROM_SOURCE: '1' };
    const r = spawnSync(join(bin, 'node'), [join(pkg, 'scripts', 'build-native.mjs')], { cwd: pkg, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('the native netlink shim was not built');
    expect(r.stderr).toContain('missing: a C compiler (cc, gcc or clang), make, python3');
    // Strict mode (CI, prepack) fails with the same reason.
    const strict = spawnSync(join(bin, 'node'), [join(pkg, 'scripts', 'build-native.mjs')], {
        cwd: pkg,
        env: { ...env, NETLINK_XFRM_STRICT_NATIVE: '1' },
        encoding: 'utf8',
        timeout: 60_000,
    });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('missing: a C compiler (cc, gcc or clang), make, python3');
});

/**
 * `npm run docs` must keep building without a warning: every public symbol documented,
 * every {@link} resolvable (typedoc.json sets treatWarningsAsErrors and validation).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
test('typedoc builds the API reference without warnings', () => {
    const root = join(__dirname, '..');
    const r = spawnSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
    });
    const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '');
    expect(out.split('\n').filter((l) => /warning|error/i.test(l) && !/Found 0 errors and 0 warnings/.test(l))).toEqual([]);
    expect(r.status).toBe(0);
}, 150_000);

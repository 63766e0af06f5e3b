/** src/ha sits above client/: it may import client/, xfrm/, netlink/ and node:, never socket/ or cli/. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import * as ha from '../../src/ha/index.js';
const dir = join(__dirname, '../../src/ha');
test.each(readdirSync(dir).filter((f) => f.endsWith('.ts')))('%s imports nothing from socket/ or cli/', (f) => {
    const src = readFileSync(join(dir, f), 'utf8');
    const froms = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    expect(froms.filter((p) => /(^|\/)(socket|cli)\//.test(p) || p.endsWith('/cli.js'))).toEqual([]);
    expect(froms.every((p) => p.startsWith('./') || p.startsWith('../client/') || p.startsWith('../xfrm/') || p.startsWith('../netlink/') || p.startsWith('node:'))).toBe(true);
});
test('the index exports explicitly (no export *); the package exports it as netlink-xfrm/ha and from the root', async () => {
    expect(readFileSync(join(dir, 'index.ts'), 'utf8')).not.toMatch(/export \*/);
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    expect(Object.keys(pkg.exports)).toContain('./ha');
    // The root lists the HA entry points a user needs (issue 12: no `export *` at the root).
    expect(readFileSync(join(__dirname, '../../src/index.ts'), 'utf8')).toMatch(/\} from '\.\/ha\/index\.js'/);
    const root = await import('../../src/index.js');
    for (const name of ['HaPublisher', 'HaFollower', 'HaJournal', 'takeover', 'planTakeover', 'listenHaLink', 'connectHaLink', 'readPskFile']) {
        expect(root[name], name).toBe(ha[name]);
    }
    expect(typeof ha.HaPublisher.start).toBe('function');
    expect(typeof ha.HaFollower).toBe('function');
    expect(typeof ha.planTakeover).toBe('function');
    expect(typeof ha.HaJournal.open).toBe('function');
});

/**
 * The keyword grammar engine (src/cli/grammar.ts) on a small table of its own: each kind of
 * row (set, once, or, push, nested, custom), unknown words, and the "missing" and usage
 * texts written from the rows; and the regressions found while moving the parsers onto it.
 */
import { describe, expect, test } from 'vitest';
import { Words } from '../../src/cli/args.js';
import { CliError, EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { flagList, missing, need, nested, parseKeywords, takeWhile, uint, usageOf, } from '../../src/cli/grammar.js';
import { parseStateAdd } from '../../src/cli/state-args.js';
import { parsePolicyAdd } from '../../src/cli/policy-args.js';
import { STATE_FLAG_NAMES } from '../../src/xfrm/names.js';
const USAGE = 'netlink-xfrm toy a N [b N] ...';
const w = (s) => new Words(s.split(/\s+/).filter(Boolean), USAGE);
const INNER = { x: { field: 'x', value: uint(), arg: 'X' }, y: { field: 'y', value: uint() } };
const TOY = {
    a: { field: 'a', value: uint(), arg: 'N' },
    b: { field: 'b', value: uint('the b', 8), once: true, arg: 'N' },
    flag: { field: 'flags', value: flagList(STATE_FLAG_NAMES), combine: 'or' },
    item: { field: 'list', value: uint(), combine: 'push' },
    in: { take: (cur, bag) => void takeWhile(INNER, cur, (bag.inner = {})) },
    raw: { field: 'raw', value: (cur, kw) => cur.value(kw) },
    ...nested('inner', { z: { field: 'y', value: uint() } }, () => ({})),
};
/** The first line of the usage error `fn` throws (exit 2, with the usage line after it). */
function usageErr(fn) {
    let err = 'returned';
    try {
        fn();
    }
    catch (e) {
        err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({ exitCode: EXIT_USAGE, message: expect.stringContaining(`\nusage: ${USAGE}`) });
    return err.message.split('\n')[0];
}
describe('the grammar engine', () => {
    test('rows: set (last wins), or, push, a nested group, a custom take', () => {
        expect(parseKeywords(TOY, w('a 1 a 2 flag esn flag noecn item 3 item 4 in x 5 y 6 raw q z 7'), {})).toEqual({
            a: 2,
            flags: STATE_FLAG_NAMES.numberOf('esn') | STATE_FLAG_NAMES.numberOf('noecn'),
            list: [3, 4],
            inner: { x: 5, y: 7 },
            raw: 'q',
        });
    });
    test('errors name the keyword (or the what given), never accept a word twice that says once', () => {
        expect(usageErr(() => parseKeywords(TOY, w('b 1 b 2'), {}))).toBe('"b" given twice');
        expect(usageErr(() => parseKeywords(TOY, w('b 256'), {}))).toBe('the b: "256" is not a 8-bit unsigned number');
        expect(usageErr(() => parseKeywords(TOY, w('a'), {}))).toBe('missing value after "a"');
        expect(usageErr(() => parseKeywords(TOY, w('c 1'), {}))).toBe('unexpected "c"');
        // Keywords are own keys of the table: an Object.prototype name is an unknown word.
        expect(usageErr(() => parseKeywords(TOY, w('constructor 1'), {}))).toBe('unexpected "constructor"');
        expect(usageErr(() => parseKeywords(TOY, w('toString'), {}))).toBe('unexpected "toString"');
    });
    test('"missing" and usage texts come from the rows', () => {
        expect(missing(TOY, 'a')).toBe('missing "a N"');
        expect(missing(TOY, 'raw')).toBe('missing "raw"');
        const bag = {};
        expect(usageErr(() => need(TOY, w(''), bag, 'a'))).toBe('missing "a N"');
        expect(usageErr(() => need(TOY, w(''), bag, 'a', 'in: '))).toBe('in: missing "a N"');
        expect(usageOf(TOY, ['a'], ['b', 'raw'])).toBe('a N [b N] [raw]');
        expect(usageOf(INNER, ['x', 'y'])).toBe('x X y');
    });
});
describe('regressions of the table move', () => {
    // Regression: flag bits were OR-ed as signed 32-bit numbers, so a flag in bit 31 came out
    // negative (-2147483648) and the SA carried a flags value no u32 field holds.
    test('a numeric state flag in bit 31 stays an unsigned 32-bit number', () => {
        const sa = parseStateAdd('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 flag 0x80000000 flag esn'.split(' '));
        expect(sa.flags).toBe(0x80000000 + STATE_FLAG_NAMES.numberOf('esn'));
        const p = parsePolicyAdd('dir out flag 0x80 localok'.split(' '));
        expect(p.flags).toBe(0x81);
    });
});

/**
 * Bytes that may hold key material and must not print by accident: {@link SecretBytes}.
 *
 * A `SecretBytes` is a real `Uint8Array` (everything that takes one keeps working, and
 * `Buffer.from(b)`, `Uint8Array.from(b)`, iteration and indexing give the bytes), but the ways
 * a value reaches a log without anyone asking for the bytes — `util.inspect` / `console.log`,
 * `JSON.stringify`, `String(b)` and template literals, `toLocaleString` — print
 * `SecretBytes(20) <redacted>` (or `"<redacted>"` in JSON) instead.
 *
 * The pure codecs use it without importing `node:`: the inspect hook is the registered symbol
 * `Symbol.for('nodejs.util.inspect.custom')`, which Node's `util.inspect` looks up.
 * @module
 */

/** Text put in place of key material when keys are not shown (also what `toJSON` of a {@link SecretBytes} returns). @group Keys */
export const REDACTED = '<redacted>';

/**
 * @internal Node's `util.inspect` hook. Objects that hold raw datagrams or requests (sockets,
 * dumps, subscriptions, the fake kernel) print a summary through it: those bytes may contain
 * keys, and `inspect(x, { maxArrayLength: Infinity })` would print them.
 */
export const INSPECT_CUSTOM: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * A `Uint8Array` whose inspect, `toJSON`, `toString` and `toLocaleString` are redacted.
 *
 * Getting the bytes is always explicit: {@link SecretBytes.bytes} (a plain copy),
 * {@link SecretBytes.hex}, `Uint8Array.from(b)`, `Buffer.from(b)` or `[...b]`.
 *
 * `subarray` and `slice` return `SecretBytes` again (a part of a key is still secret). Other
 * derived arrays (`map`, `filter`) and `structuredClone` give plain `Uint8Array`s.
 *
 * `constructor` is `Uint8Array` on purpose: equality helpers that compare constructors
 * (vitest/jest `toEqual` and `toStrictEqual`, Node's `assert.deepEqual`) treat a `SecretBytes`
 * like the `Uint8Array` with the same bytes, so code and tests that compared decoded keys with
 * plain arrays keep passing. Node's `assert.deepStrictEqual` compares prototypes and does not:
 * compare `key.bytes()` there. Use `instanceof SecretBytes` to recognise one.
 * @group Keys
 */
export class SecretBytes extends Uint8Array {
  static {
    sealSecretClass(this);
  }

  /** Name used in the redacted text; subclasses override it. */
  protected get redactedLabel(): string {
    return 'SecretBytes';
  }

  /** A plain `Uint8Array` copy of the bytes: the explicit way to get them. */
  bytes(): Uint8Array {
    return new Uint8Array(this);
  }

  /** The bytes as lowercase hex without a prefix: the explicit way to print them. */
  hex(): string {
    let s = '';
    for (let i = 0; i < this.length; i++) s += this[i]!.toString(16).padStart(2, '0');
    return s;
  }

  /** `SecretBytes(20) <redacted>`: what `String(b)` and template literals print. */
  override toString(): string {
    return `${this.redactedLabel}(${this.length}) ${REDACTED}`;
  }

  /** Same as {@link toString}. */
  override toLocaleString(): string {
    return this.toString();
  }

  /** `JSON.stringify` writes {@link REDACTED}. */
  toJSON(): string {
    return REDACTED;
  }

  /** A part of the bytes, still redacted (a view on the same memory). */
  override subarray(begin?: number, end?: number): this {
    const s = new Uint8Array(this.buffer, this.byteOffset, this.length).subarray(begin, end);
    return new (this as unknown as Sealed).partClass(s.buffer, s.byteOffset, s.length) as this;
  }

  /** A copy of a part of the bytes, still redacted. */
  override slice(begin?: number, end?: number): this {
    const s = new Uint8Array(this.buffer, this.byteOffset, this.length).slice(begin, end);
    return new (this as unknown as Sealed).partClass(s.buffer, 0, s.length) as this;
  }

  /** `util.inspect` / `console.log` print the same as {@link toString}. */
  [INSPECT_CUSTOM](): string {
    return this.toString();
  }

  /**
   * A `SecretBytes` holding `bytes`: a view on the same memory when `bytes` spans a whole
   * `ArrayBuffer` of its own (no copy), else a copy.
   */
  static wrap(bytes: Uint8Array): SecretBytes {
    return wrapAs(SecretBytes, bytes);
  }
}

interface Sealed {
  partClass: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => SecretBytes;
}

/**
 * @internal Wrap `bytes` as an instance of `ctor` (a {@link SecretBytes} class): a view when
 * `bytes` spans its whole buffer (nothing else of that memory can be reached through it),
 * else a copy.
 */
export function wrapAs<T extends SecretBytes>(ctor: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T, bytes: Uint8Array): T {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return new ctor(bytes.buffer, 0, bytes.length);
  const copy = new Uint8Array(bytes);
  return new ctor(copy.buffer, 0, copy.length);
}

/**
 * @internal Called once by {@link SecretBytes} and each subclass (in a `static` block): record
 * the class `subarray`/`slice` produce, and make `constructor` read `Uint8Array` (see the class
 * description for why).
 */
export function sealSecretClass(ctor: Function): void {
  Object.defineProperty(ctor.prototype, 'partClass', { value: ctor, enumerable: false });
  Object.defineProperty(ctor.prototype, 'constructor', { value: Uint8Array, writable: true, enumerable: false, configurable: true });
}

/**
 * `v` quoted for an error message, unless it could be key material: a string of more than 8
 * hex digits with `0x` (or with a letter a–f and no `0x`), a string holding such a run (or 12+
 * hex digits with a letter), a string over 64 characters, any byte array or array, or an
 * object are described instead (`a hex string of 40 digits`, `20 bytes`, …), so a key typed
 * in the wrong place is never echoed. Numbers, decimal strings, words and addresses are
 * quoted as `JSON.stringify` would, because they help the user find the mistake.
 */
export function quoteSafe(v: unknown): string {
  if (typeof v === 'string') {
    const hex = /^0x([0-9a-fA-F]*)$/i.exec(v);
    if (hex && hex[1]!.length > 8) return `a hex string of ${hex[1]!.length} digits`;
    if (/^[0-9a-fA-F]{9,}$/.test(v) && /[a-fA-F]/.test(v)) return `a hex string of ${v.length} digits`;
    // A key inside other text (a typo in it, a stray prefix): describe the whole string.
    const runs = v.match(/[0-9a-fA-F]{12,}/g) ?? [];
    if (v.length > 64 || /0x[0-9a-fA-F]{9,}/i.test(v) || runs.some((r) => /[a-fA-F]/.test(r))) return `a string of ${v.length} characters`;
    return JSON.stringify(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return `an array of ${v.length} elements`;
  return `a ${typeof v === 'object' ? 'JSON object' : typeof v}`;
}

/**
 * What is wrong with `v` as a hex byte string, without showing it (it is usually a key): e.g.
 * `an odd number of hex digits (41)`, `a character that is not a hex digit at position 7`,
 * `no 0x prefix`, `a number, not a string`. Returns undefined when `v` is valid.
 * @param prefix whether `0x` is required (else optional).
 */
export function hexProblem(v: unknown, prefix: boolean): string | undefined {
  if (typeof v !== 'string') {
    const kind = v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
    return `${kind}, not a string`;
  }
  const has = v.startsWith('0x') || v.startsWith('0X');
  if (prefix && !has) return 'no 0x prefix';
  const digits = has ? v.slice(2) : v;
  const bad = digits.search(/[^0-9a-fA-F]/);
  if (bad >= 0) return `a character that is not a hex digit at position ${bad + (has ? 2 : 0)}`;
  if (digits.length % 2 !== 0) return `an odd number of hex digits (${digits.length})`;
  return undefined;
}

/**
 * The message of a `JSON.parse` error without the excerpt of the input that V8 puts in some
 * of them (`Unexpected token 'x', "{"key": x00112…"... is not valid JSON`): only the position,
 * since the input may hold keys.
 */
export function jsonErrorText(e: unknown): string {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : String(e));
  if (m) return `syntax error at position ${m[1]}`;
  return e instanceof Error && /Unexpected end of JSON input/.test(e.message) ? 'unexpected end of input' : 'syntax error';
}

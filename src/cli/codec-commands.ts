/**
 * `netlink-xfrm decode` and `netlink-xfrm encode`: netlink bytes ⇄ JSON.
 * @module
 */
import { NetlinkDecodeError, NetlinkEncodeError } from '../netlink/errors.js';
import { jsonErrorText } from '../netlink/secret.js';
import { decodeXfrmMessages, encodeXfrmMessages } from '../xfrm/family.js';
import { xfrmMessageFromJson, xfrmMessageToJson } from '../xfrm/json.js';
import { CliError, EXIT_DATA, EXIT_USAGE } from './exit-codes.js';

/** Options of {@link decodeCommand}. */
export interface DecodeOptions {
  /** Input is text: one datagram per line in hex (blank lines and `#` comments ignored). */
  hex: boolean;
  /** Print key material instead of redacting it. */
  showKeys: boolean;
}

function parseHexLine(line: string, lineNo: number): Uint8Array {
  let h = line.replace(/\s+/g, '');
  if (h.startsWith('0x')) h = h.slice(2);
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) {
    throw new CliError(`line ${lineNo}: not a hex string`, EXIT_DATA);
  }
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Split hex text into datagrams; a leading `send`/`recv` word (fixture files) is skipped. */
export function hexDatagrams(text: string): { line: number; bytes: Uint8Array }[] {
  const out: { line: number; bytes: Uint8Array }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim().replace(/^(send|recv)\s+/, '');
    if (line !== '') out.push({ line: i + 1, bytes: parseHexLine(line, i + 1) });
  });
  return out;
}

/**
 * Decode datagrams to the JSON text printed by `decode`.
 * @throws {@link CliError} (EXIT_DATA) naming the line and byte offset of malformed input.
 */
export function decodeCommand(input: Uint8Array, opts: DecodeOptions): string {
  const grams = opts.hex ? hexDatagrams(new TextDecoder().decode(input)) : [{ line: 0, bytes: input }];
  const out: unknown[] = [];
  for (const g of grams) {
    try {
      for (const m of decodeXfrmMessages(g.bytes)) out.push(xfrmMessageToJson(m, { showKeys: opts.showKeys }));
    } catch (e) {
      if (e instanceof NetlinkDecodeError) {
        throw new CliError(`${g.line ? `line ${g.line}: ` : ''}${e.message}`, EXIT_DATA);
      }
      throw e;
    }
  }
  return JSON.stringify(out, null, 2) + '\n';
}

/**
 * Encode the JSON printed by `decode` (an array of messages, or one message) to one hex line
 * per message, each exactly `nlmsg_len` bytes.
 * @throws {@link CliError} (EXIT_DATA) for JSON that does not parse or encode.
 */
export function encodeCommand(input: Uint8Array): string {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(input));
  } catch (e) {
    throw new CliError(`input is not JSON: ${jsonErrorText(e)}`, EXIT_DATA);
  }
  const list = Array.isArray(json) ? json : [json];
  let out = '';
  list.forEach((j, i) => {
    try {
      const bytes = encodeXfrmMessages([xfrmMessageFromJson(j)]);
      out += Buffer.from(bytes).toString('hex') + '\n';
    } catch (e) {
      if (e instanceof NetlinkEncodeError) throw new CliError(`message ${i}: ${e.message}`, EXIT_DATA);
      throw e;
    }
  });
  return out;
}

/** @internal Reject unknown flags of a subcommand. */
export function usage(text: string): never {
  throw new CliError(text, EXIT_USAGE);
}

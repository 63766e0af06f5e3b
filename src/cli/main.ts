/**
 * The `netlink-xfrm` command line: argument parsing and dispatch. Each command lives in its
 * own file; errors become one line on stderr and a distinct exit code (see exit-codes.ts).
 * @module
 */
import { NetlinkError } from '../netlink/errors.js';
import { decodeCommand, encodeCommand } from './codec-commands.js';
import { CliError, EXIT_DATA, EXIT_IO, EXIT_USAGE } from './exit-codes.js';
import { readInput } from './io.js';

const HELP = `usage: netlink-xfrm <command> [options]

commands:
  decode [--hex] [--show-keys] [FILE|-]   netlink bytes (raw, or one hex datagram per line) → JSON
  encode [FILE|-]                         JSON from decode → one hex line per message
  help                                    this text

exit codes: 0 ok, 1 kernel error, 2 usage, 3 malformed data, 4 I/O error
`;

/** Parsed command line: positional words and flags. */
interface Parsed {
  args: string[];
  flags: Set<string>;
}

function parse(argv: string[], known: string[]): Parsed {
  const args: string[] = [];
  const flags = new Set<string>();
  for (const a of argv) {
    if (a.startsWith('--')) {
      if (!known.includes(a)) throw new CliError(`unknown option ${a}\n${HELP}`, EXIT_USAGE);
      flags.add(a);
    } else args.push(a);
  }
  return { args, flags };
}

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'decode': {
      const p = parse(rest, ['--hex', '--show-keys']);
      if (p.args.length > 1) throw new CliError(`decode takes at most one FILE\n${HELP}`, EXIT_USAGE);
      out(decodeCommand(readInput(p.args[0]), { hex: p.flags.has('--hex'), showKeys: p.flags.has('--show-keys') }));
      return 0;
    }
    case 'encode': {
      const p = parse(rest, []);
      if (p.args.length > 1) throw new CliError(`encode takes at most one FILE\n${HELP}`, EXIT_USAGE);
      out(encodeCommand(readInput(p.args[0])));
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(HELP);
      return cmd === undefined ? EXIT_USAGE : 0;
    default:
      throw new CliError(`unknown command ${cmd}\n${HELP}`, EXIT_USAGE);
  }
}

/** Entry point: run, print errors as one line, set the exit code. */
export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`netlink-xfrm: ${e.message}\n`);
      process.exitCode = e.exitCode;
    } else if (e instanceof NetlinkError) {
      process.stderr.write(`netlink-xfrm: ${e.message}\n`);
      process.exitCode = EXIT_DATA;
    } else {
      process.stderr.write(`netlink-xfrm: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = EXIT_IO;
    }
  }
}

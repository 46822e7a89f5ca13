// `bitsmith formats ...`: list the number formats, print a format's code table, and convert or compute
// on hex codes read line by line from stdin (one output line per input line, in order).

import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import {
  addCodes,
  BLOCK_FORMATS,
  classify,
  convert,
  decode,
  fmaCodes,
  formatBits,
  formatByName,
  formatInfo,
  INF_INPUT_MODES,
  mulCodes,
  NAN_MODES,
  OVERFLOW_MODES,
  PRESETS,
  resolvePolicy,
  ROUNDING_MODES,
  SUBNORMAL_MODES,
  testFloatFlagByte,
  TININESS_MODES,
  toDecimalString,
  toHexFloat,
  type Encoded,
  type Format,
  type Policy,
} from '../../generators/formats/index.ts';
import { table } from './output.ts';

/** Where the commands read and write; tests pass their own. */
export interface FormatsIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  setExitCode(code: number): void;
}

const processIo: FormatsIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

const TABLE_MAX_BITS = 16;

interface PolicyOptions {
  rounding?: Policy['rounding'];
  overflow?: Policy['overflow'];
  subnormals?: Policy['subnormals'];
  tininess?: Policy['tininess'];
  nan?: Policy['nan'];
  infInput?: Policy['infInput'];
  flags?: boolean;
}

function addPolicyOptions(command: Command): Command {
  return command
    .addOption(new Option('--rounding <mode>', 'rounding mode (default rne)').choices(ROUNDING_MODES))
    .addOption(
      new Option('--overflow <mode>', "overflow (default: saturate for <= 8 bits, else 'ieee')").choices(
        OVERFLOW_MODES,
      ),
    )
    .addOption(
      new Option('--subnormals <mode>', 'keep or flush tiny results (default keep)').choices(SUBNORMAL_MODES),
    )
    .addOption(
      new Option('--tininess <when>', 'tininess before or after rounding (default after)').choices(
        TININESS_MODES,
      ),
    )
    .addOption(
      new Option('--nan <mode>', 'what a NaN becomes (default canonical, or max without NaN)').choices(
        NAN_MODES,
      ),
    )
    .addOption(
      new Option('--inf-input <mode>', 'what ±Inf becomes in a format without Inf').choices(INF_INPUT_MODES),
    )
    .option(
      '--flags',
      "append the IEEE flags as TestFloat's byte: 10 invalid, 04 overflow, 02 underflow, 01 inexact",
    );
}

function policyOf(options: PolicyOptions): Policy {
  const { rounding, overflow, subnormals, tininess, nan, infInput } = options;
  const entries = Object.entries({ rounding, overflow, subnormals, tininess, nan, infInput }).filter(
    ([, v]) => v !== undefined,
  );
  return Object.freeze(Object.fromEntries(entries)) as Policy;
}

function hexDigits(format: Format): number {
  return Math.ceil(formatBits(format) / 4);
}

function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, '0');
}

/** A code token: hex digits with an optional 0x, no wider than the format. */
function parseCode(token: string, format: Format): number {
  const digits = token.replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]+$/.test(digits)) throw new Error(`'${token}' is not a hex code`);
  const code = parseInt(digits, 16);
  if (code >= 2 ** formatBits(format))
    throw new Error(`${token} is too wide for ${format.name} (${formatBits(format)} bits)`);
  return code;
}

/**
 * Runs `compute` on every stdin line's hex operands and prints one line per input line. A malformed
 * line is reported on stderr with its number, prints "error" in its place, and makes the exit code 1.
 */
async function mapLines(
  io: FormatsIo,
  operands: Format[],
  result: Format,
  flags: boolean,
  compute: (codes: number[]) => Encoded,
) {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  const digits = hexDigits(result);
  let output: string[] = [];
  let lineNumber = 0;
  let failed = false;
  for await (const line of lines) {
    lineNumber++;
    try {
      const tokens = line.trim().split(/\s+/).filter(Boolean);
      if (tokens.length !== operands.length) {
        throw new Error(
          `expected ${operands.length} hex operand${operands.length > 1 ? 's' : ''}, got ${tokens.length}`,
        );
      }
      const encoded = compute(tokens.map((t, i) => parseCode(t, operands[i]!)));
      output.push(
        flags
          ? `${hex(encoded.code, digits)} ${hex(testFloatFlagByte(encoded.flags), 2)}`
          : hex(encoded.code, digits),
      );
    } catch (error) {
      failed = true;
      io.stderr.write(`line ${lineNumber}: ${(error as Error).message}\n`);
      output.push('error');
    }
    if (output.length >= 4096) {
      io.stdout.write(output.join('\n') + '\n');
      output = [];
    }
  }
  if (output.length) io.stdout.write(output.join('\n') + '\n');
  if (failed) io.setExitCode(1);
}

/** Runs an action, turning a thrown error (unknown format, impossible policy) into a message and exit code 1. */
function guarded<A extends unknown[]>(io: FormatsIo, action: (...args: A) => void | Promise<void>) {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      io.stderr.write(`bitsmith formats: ${(error as Error).message}\n`);
      io.setExitCode(1);
    }
  };
}

function listFormats(io: FormatsIo): void {
  const scalar = PRESETS.map((f) => {
    const info = formatInfo(f);
    return [f.name, f.kind, String(info.bits), toDecimalString(info.max), f.description ?? ''];
  });
  const blocks = BLOCK_FORMATS.map((b) => [b.name, b.kind, b.description]);
  io.stdout.write(table([['FORMAT', 'KIND', 'BITS', 'MAX', 'DESCRIPTION'], ...scalar]));
  io.stdout.write('\n' + table([['BLOCK FORMAT', 'KIND', 'DESCRIPTION'], ...blocks]));
}

function printTable(io: FormatsIo, name: string, csv: boolean): void {
  const format = formatByName(name);
  const bits = formatBits(format);
  if (bits > TABLE_MAX_BITS)
    throw new Error(`table lists formats of at most ${TABLE_MAX_BITS} bits; ${format.name} has ${bits}`);
  const rows = Array.from({ length: 2 ** bits }, (_, code) => {
    const value = decode(format, code);
    return [hex(code, hexDigits(format)), classify(format, code), toDecimalString(value), toHexFloat(value)];
  });
  if (csv)
    io.stdout.write(['code,class,decimal,hexfloat', ...rows.map((r) => r.join(','))].join('\n') + '\n');
  else io.stdout.write(table([['CODE', 'CLASS', 'VALUE', 'HEXFLOAT'], ...rows]));
}

const OPERATIONS = {
  mul: {
    arity: 2,
    summary: 'round(a·b)',
    run: (f: Format, c: number[], p: Policy) => mulCodes(f, c[0]!, c[1]!, p),
  },
  add: {
    arity: 2,
    summary: 'round(a+b)',
    run: (f: Format, c: number[], p: Policy) => addCodes(f, c[0]!, c[1]!, p),
  },
  fma: {
    arity: 3,
    summary: 'round(a·b+c), one rounding',
    run: (f: Format, c: number[], p: Policy) => fmaCodes(f, c[0]!, c[1]!, c[2]!, p),
  },
};

export function registerFormatsCommands(program: Command, io: FormatsIo = processIo): void {
  const formats = program
    .command('formats')
    .description('number formats: list, code tables, conversion and exact arithmetic on hex codes');

  formats
    .command('list')
    .description('list every named number format and block format')
    .action(guarded(io, () => listFormats(io)));

  formats
    .command('table')
    .description('every code of a format (at most 16 bits): hex code, class, exact decimal value, hex-float')
    .argument('<fmt>', 'format name')
    .option('--csv', 'CSV with a header row')
    .action(
      guarded(io, (name: string, options: { csv?: boolean }) => printTable(io, name, options.csv ?? false)),
    );

  addPolicyOptions(
    formats
      .command('convert')
      .description('convert hex codes read from stdin (one per line) from one format to another')
      .requiredOption('--from <fmt>', 'source format')
      .requiredOption('--to <fmt>', 'target format'),
  ).action(
    guarded(io, async (options: PolicyOptions & { from: string; to: string }) => {
      const from = formatByName(options.from);
      const to = formatByName(options.to);
      const policy = policyOf(options);
      resolvePolicy(to, policy); // an impossible policy fails before any input is read
      await mapLines(io, [from], to, options.flags ?? false, ([code]) => convert(from, to, code!, policy));
    }),
  );

  for (const [name, op] of Object.entries(OPERATIONS)) {
    addPolicyOptions(
      formats
        .command(name)
        .description(
          `${op.summary} on lines of ${op.arity} hex operands from stdin, exactly computed and rounded once`,
        )
        .requiredOption('--format <fmt>', 'format of the operands and the result'),
    ).action(
      guarded(io, async (options: PolicyOptions & { format: string }) => {
        const format = formatByName(options.format);
        const policy = policyOf(options);
        resolvePolicy(format, policy);
        await mapLines(io, Array<Format>(op.arity).fill(format), format, options.flags ?? false, (codes) =>
          op.run(format, codes, policy),
        );
      }),
    );
  }
}

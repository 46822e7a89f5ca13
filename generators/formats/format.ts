// Number formats as plain data, validated with zod: integers, ExMy floats and codebooks.
// Block formats (MX, NVFP4, group-wise INT4) build on these; see block/.

import { z } from 'zod';

/**
 * Where a float keeps Inf and NaN.
 * ieee: top exponent field holds ±Inf (mantissa 0) and NaN (mantissa ≠ 0).
 * fn:   no Inf; NaN only where exponent and mantissa are all ones (S.1111.111 in e4m3fn).
 * fnuz: no Inf, no -0; the -0 code (sign bit alone) is the only NaN.
 * none: every code is finite (MX fp6/fp4).
 */
export const FLOAT_SPECIALS = ['ieee', 'fn', 'fnuz', 'none'] as const;
export type FloatSpecials = (typeof FLOAT_SPECIALS)[number];

const name = z.string().min(1);
const description = z.string().optional();

export const intFormatSchema = z.object({
  kind: z.literal('int'),
  name,
  description,
  bits: z.int().min(1).max(32),
  /** Two's complement when signed. */
  signed: z.boolean(),
  /** Signed only: encoding never produces the most negative code, so the range is ±(2^(bits-1) - 1). */
  symmetric: z.boolean().default(false),
  /** The value of code c is int(c) · 2^-fracBits (MXINT8 elements have 6). */
  fracBits: z.int().min(-1024).max(1024).default(0),
});

export const floatFormatSchema = z
  .object({
    kind: z.literal('float'),
    name,
    description,
    expBits: z.int().min(1).max(11),
    mantBits: z.int().min(0).max(52),
    bias: z.int().min(-2000).max(2000),
    signed: z.boolean(),
    /**
     * true: exponent field 0 holds zero and subnormals. false: exponent field 0 holds normal numbers
     * and the format has no zero (e8m0fnu).
     */
    subnormals: z.boolean(),
    specials: z.enum(FLOAT_SPECIALS),
  })
  .superRefine((f, ctx) => {
    const bits = (f.signed ? 1 : 0) + f.expBits + f.mantBits;
    if (bits > 32)
      ctx.addIssue({ code: 'custom', message: `a float format has at most 32 bits, got ${bits}` });
    if (f.specials === 'ieee' && f.mantBits < 1)
      ctx.addIssue({ code: 'custom', message: "specials 'ieee' needs mantBits >= 1 to tell Inf from NaN" });
    if (f.specials === 'fnuz' && !f.signed)
      ctx.addIssue({ code: 'custom', message: "specials 'fnuz' needs a sign bit (its NaN is the -0 code)" });
  });

export const codebookFormatSchema = z
  .object({
    kind: z.literal('codebook'),
    name,
    description,
    bits: z.int().min(1).max(8),
    /** values[code]: the exact value of each code (a double is an exact dyadic); null for an unused code. */
    values: z.array(z.number().nullable()),
  })
  .superRefine((f, ctx) => {
    if (f.values.length !== 2 ** f.bits)
      ctx.addIssue({
        code: 'custom',
        message: `a ${f.bits}-bit codebook needs ${2 ** f.bits} values, got ${f.values.length}`,
      });
    if (f.values.some((v) => v !== null && !Number.isFinite(v)))
      ctx.addIssue({ code: 'custom', message: 'codebook values must be finite numbers or null' });
    if (f.values.every((v) => v === null))
      ctx.addIssue({ code: 'custom', message: 'a codebook needs at least one value' });
  });

export const formatSchema = z.discriminatedUnion('kind', [
  intFormatSchema,
  floatFormatSchema,
  codebookFormatSchema,
]);

export type IntFormat = z.output<typeof intFormatSchema>;
export type FloatFormat = z.output<typeof floatFormatSchema>;
export type CodebookFormat = z.output<typeof codebookFormatSchema>;
/** A scalar number format: every code decodes to one exact value, NaN or ±Inf. */
export type Format = IntFormat | FloatFormat | CodebookFormat;

/** Validates format data (e.g. read from JSON), filling defaults; throws with every problem listed. */
export function parseFormat(data: unknown): Format {
  const result = formatSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'format'}: ${i.message}`);
    throw new Error(`invalid format definition: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Width of a code in bits. */
export function formatBits(format: Format): number {
  if (format.kind === 'float') return (format.signed ? 1 : 0) + format.expBits + format.mantBits;
  return format.bits;
}

# Writes the MX quantization vectors of this folder with numpy and ml_dtypes only (origin, line format
# and the argument that each element is rounded once: ../README.md, section mx-quantize):
#   .venv/bin/python testbenches/vectors/external/mx-quantize/make_vectors.py
#
# Each block of 32 inputs is quantized by Algorithm 1 of "Microscaling Data Formats for Deep Learning"
# (arXiv 2310.10537; OCP MX v1.0 section 6.3):
#   shared_exp = floor(log2(max_i |V_i|)) - emax_elem, raised to -127 when lower (E8M0's range)
#   X          = 2^shared_exp, written as its E8M0 code shared_exp + 127
#   P_i        = V_i / X clamped to +-max of the element format, then rounded to it (ties to even)
# The float elements are ml_dtypes' casts; MXINT8 is np.rint (ties to even) of 64 * V_i / X clamped to
# +-127. An all-zero block has floor(log2 0) = -inf, raised to -127 (code 00). A block holding a NaN or
# an infinity has no finite amax: its scale is the E8M0 NaN FF and its element codes are written 00.
import gzip
import os

import ml_dtypes
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BLOCK = 32
SCALE_BIAS = 127
SCALE_NAN = 0xFF


class InputFormat:
    """An IEEE-style input format: codes are built as bit fields and read through numpy."""

    def __init__(self, name, dtype, utype, mant_bits, exp_bits):
        self.name, self.dtype, self.utype = name, dtype, utype
        self.mant, self.bits = mant_bits, 1 + exp_bits + mant_bits
        self.bias = 2 ** (exp_bits - 1) - 1
        self.emin, self.emax = 1 - self.bias, self.bias  # binades of the normal numbers
        self.sign_bit = 1 << (self.bits - 1)
        self.exp_all_ones = (2**exp_bits - 1) << mant_bits

    def values(self, codes):
        """The codes' values as float64 (exact: every input value is a float64)."""
        with np.errstate(invalid="ignore"):  # a signalling NaN stays a NaN
            return np.array(codes, dtype=self.utype).view(self.dtype).astype(np.float64)

    def normal(self, rng, e, sign=None):
        """A code of binade e (clamped to the normal binades) with a random mantissa."""
        field = min(max(e, self.emin), self.emax) + self.bias
        s = int(rng.integers(2)) if sign is None else sign
        return s * self.sign_bit | field << self.mant | int(rng.integers(1 << self.mant))

    def subnormal(self, rng, sign=None):
        s = int(rng.integers(2)) if sign is None else sign
        return s * self.sign_bit | int(rng.integers(1, 1 << self.mant))

    def exact(self, value):
        """The code of a float64 value the format holds exactly, else None."""
        x = np.array([value], dtype=np.float64).astype(self.dtype)
        if not np.isfinite(x[0]) or float(x[0]) != value:
            return None
        return int(x.view(self.utype)[0])

    def raw(self, rng):
        return int(rng.integers(1 << self.bits, dtype=np.uint64))


INPUTS = [
    InputFormat("fp32", np.float32, np.uint32, 23, 8),
    InputFormat("bf16", ml_dtypes.bfloat16, np.uint16, 7, 8),
    InputFormat("fp16", np.float16, np.uint16, 10, 5),
]


class ElementFormat:
    """An MX element format: its ml_dtypes type (None for MXINT8), emax_elem and largest magnitude."""

    def __init__(self, name, dtype, bits, emax_elem, max_value):
        self.name, self.dtype, self.bits = name, dtype, bits
        self.emax, self.max = emax_elem, max_value
        if dtype is not None:
            assert float(ml_dtypes.finfo(dtype).max) == max_value, name
            assert int(np.floor(np.log2(max_value))) == emax_elem, name

    def grid(self):
        """The non-negative finite element values, increasing."""
        if self.dtype is None:
            return np.arange(128) / 64.0
        codes = np.arange(1 << (self.bits - 1), dtype=np.uint8)
        values = codes.view(self.dtype).astype(np.float64)
        return np.sort(values[np.isfinite(values)])

    def encode(self, q):
        """Element codes of the exact quotients q (float64), clamped to +-max, then rounded once."""
        clamped = np.clip(q, -self.max, self.max)
        assert np.array_equal(np.signbit(clamped), np.signbit(q))
        if self.dtype is None:
            return np.rint(clamped * 64).astype(np.int64) & 0xFF
        codes = clamped.astype(self.dtype).view(np.uint8).astype(np.int64)
        # The same cast from float32 where float32 holds the quotient: only the element rounding acts.
        held = (clamped.astype(np.float32).astype(np.float64) == clamped) | (np.abs(clamped) < 2.0**-100)
        assert held.all(), "a quotient float32 does not hold is not far below the element grid"
        via32 = clamped.astype(np.float32).astype(self.dtype).view(np.uint8).astype(np.int64)
        assert np.array_equal(codes, via32)
        return codes


ELEMENTS = [
    ElementFormat("mxfp8_e4m3", ml_dtypes.float8_e4m3fn, 8, 8, 448.0),
    ElementFormat("mxfp8_e5m2", ml_dtypes.float8_e5m2, 8, 15, 57344.0),
    ElementFormat("mxfp6_e3m2", ml_dtypes.float6_e3m2fn, 6, 4, 28.0),
    ElementFormat("mxfp6_e2m3", ml_dtypes.float6_e2m3fn, 6, 2, 7.5),
    ElementFormat("mxfp4", ml_dtypes.float4_e2m1fn, 4, 2, 6.0),
    ElementFormat("mxint8", None, 8, 0, 127 / 64),
]


def quantize(fmt, inp, codes):
    """Algorithm 1 on one block of input codes: the E8M0 scale code and the element codes."""
    v = inp.values(codes)
    if not np.isfinite(v).all():
        return SCALE_NAN, [0] * BLOCK
    amax = np.max(np.abs(v))
    if amax == 0:
        shared = -SCALE_BIAS  # floor(log2 0) = -inf, raised to the smallest scale
    else:
        floor_log2 = int(np.frexp(amax)[1]) - 1  # exact; frexp's mantissa lies in [0.5, 1)
        assert floor_log2 == int(np.floor(np.log2(amax)))
        shared = max(floor_log2 - fmt.emax, -SCALE_BIAS)
    if shared > SCALE_BIAS:
        return SCALE_NAN, [0] * BLOCK  # not reached: floor(log2 amax) <= 127 for these inputs
    q = np.ldexp(v, -shared)  # exact: a power-of-two scaling well inside float64's range
    assert np.array_equal(np.ldexp(q, shared), v)
    return shared + SCALE_BIAS, [int(c) for c in fmt.encode(q)]


def fill(f):
    return [f(i) for i in range(BLOCK)]


def corner_blocks(fmt, inp, rng):
    """Zeros, specials, subnormal inputs and amax, the scale floor and the input format's extremes."""
    blocks = []
    add = lambda tag, codes: blocks.append((tag, codes))  # noqa: E731
    add("zero", fill(lambda i: 0))
    add("zero", fill(lambda i: inp.sign_bit if i % 3 == 0 else 0))
    qnan = inp.exp_all_ones | 1 << (inp.mant - 1)
    for special, at in [(qnan, 0), (inp.exp_all_ones | 1, 31), (inp.exp_all_ones, 7)]:
        add("special", fill(lambda i: special if i == at else inp.normal(rng, int(rng.integers(-4, 4)))))
    add("special", fill(lambda i: inp.exp_all_ones | inp.sign_bit if i == 20 else 0))
    add("special", fill(lambda i: qnan | inp.sign_bit if i == 31 else inp.subnormal(rng)))
    # Blocks whose amax is subnormal: all subnormal, one among zeros, the extremes among -0.
    for _ in range(3):
        add("subnormal-amax", fill(lambda i: inp.subnormal(rng)))
    add("subnormal-amax", fill(lambda i: 1 if i == 5 else 0))
    largest_subnormal = (1 << inp.mant) - 1
    add("subnormal-amax", fill(lambda i: inp.sign_bit | (largest_subnormal if i == 9 else 0)))
    add("subnormal-amax", fill(lambda i: inp.subnormal(rng) if i % 2 else 1 | (i % 4 == 0) * inp.sign_bit))
    # Subnormal inputs beside normal ones, close and far.
    for gap in [1, 3, 12, 40]:
        add("subnormal", fill(lambda i: inp.normal(rng, inp.emin + gap) if i % 4 else inp.subnormal(rng)))
    # The smallest normal binades: for fp32 and bf16 the scale is raised to 2^-127 there.
    for e in range(inp.emin, inp.emin + fmt.emax + 3):
        add("scale-floor", fill(lambda i: inp.normal(rng, e - int(rng.integers(0, 6)))))
    # The largest finite values.
    top = inp.exp_all_ones - 1
    add("extreme", fill(lambda i: inp.normal(rng, inp.emax - i % 6) if i > 1 else top | i * inp.sign_bit))
    add("extreme", fill(lambda i: inp.normal(rng, inp.emax - int(rng.integers(0, 30)))))
    return blocks


def scale_exponents(fmt, inp, rng, n):
    """n shared exponents s for which the input format holds 2^(emax_elem + s) and the element grid."""
    low = inp.emin - 1 + 12  # the grid's smallest midpoints stay within the input's subnormals
    high = inp.emax - fmt.emax
    return [int(s) for s in rng.integers(min(low, high), high + 1, n)]


def clamp_blocks(fmt, inp, rng):
    """Values at the clamping edge: max, the steps above it, the overflow tie and +-1 input ulp."""
    blocks = []
    top = fmt.max
    beyond = 2.0 ** (fmt.emax + 1)
    fixed = [s for s in [-2, 0, 3] if s <= inp.emax - fmt.emax - 1]
    for s in fixed + scale_exponents(fmt, inp, rng, 5):
        # The largest input value below 2^(emax_elem + 1 + s): every mantissa bit set.
        edge = [(fmt.emax + s + inp.bias) << inp.mant | (1 << inp.mant) - 1]
        for value in [top, (top + beyond) / 2, *np.linspace(top, beyond, 9)[1:-1]]:
            code = inp.exact(value * 2.0**s)
            if code is None:
                code = inp.exact(float(np.array(value * 2.0**s).astype(inp.dtype)))
            if code is not None:
                edge += [code, code | inp.sign_bit]
        # The tie between max and the next step of the top binade, and one input ulp on each side.
        step = top - fmt.grid()[-2]
        tie = inp.exact((top + step / 2) * 2.0**s)
        if tie is not None:
            # Codes of one sign are ordered by magnitude: code + 1 is one input ulp further from zero.
            edge += [tie, tie + 1, tie - 1 | inp.sign_bit]
        below = inp.exact((top - step / 2) * 2.0**s)
        if below is not None:
            edge += [below, below + 1]
        edge = edge[:BLOCK]
        rest = [inp.normal(rng, fmt.emax + s - int(rng.integers(0, 10))) for _ in range(BLOCK - len(edge))]
        blocks.append(("clamp", edge + rest))
    return blocks


def tie_blocks(fmt, inp, rng, count):
    """amax 2^(emax_elem + s) fixes the scale; the others are midpoints of the element grid times 2^s,
    or one input ulp beside them."""
    grid = fmt.grid()
    mids = (grid[:-1] + grid[1:]) / 2
    blocks = []
    for s in scale_exponents(fmt, inp, rng, count):
        block = [inp.exact(2.0 ** (fmt.emax + s)) | int(rng.integers(2)) * inp.sign_bit]
        while len(block) < BLOCK:
            code = inp.exact(float(mids[rng.integers(len(mids))]) * 2.0**s)
            if code is None:
                continue
            nudge = int(rng.choice([0, 0, 1, -1]))
            if code + nudge > 0:
                code += nudge
            block.append(code | int(rng.integers(2)) * inp.sign_bit)
        blocks.append(("tie", block))
    return blocks


def negative_zero_blocks(fmt, inp, rng):
    """-0 inputs and negative values far below the element grid (their elements are -0)."""
    blocks = []
    for s in scale_exponents(fmt, inp, rng, 4):
        tiny = fill(lambda i: inp.exact(-(2.0 ** (s - 30 - int(rng.integers(0, 4))))))
        block = [inp.sign_bit if t is None or i % 3 == 0 else t for i, t in enumerate(tiny)]
        block[int(rng.integers(BLOCK))] = inp.exact(1.5 * 2.0 ** (fmt.emax + s))
        assert None not in block
        blocks.append(("negative-zero", block))
    return blocks


def range_blocks(inp, rng, count):
    """Activation-like blocks: random magnitudes below a level that spans the input's whole range."""
    blocks = []
    for _ in range(count):
        level = int(rng.integers(inp.emin - 4, inp.emax + 1))
        spread = int(rng.integers(1, 13))

        def value(i):
            e = level - int(rng.integers(0, spread))
            if e < inp.emin:
                return 0 if rng.integers(3) == 0 else inp.subnormal(rng)
            return inp.normal(rng, e)

        blocks.append(("range", fill(value)))
    return blocks


def gaussian_blocks(inp, rng, count):
    """Normal samples times a random power of two, an outlier in some, cast to the input (RNE)."""
    blocks = []
    for b in range(count):
        scale = 2.0 ** int(rng.integers(inp.emin + 4, inp.emax - 10))
        x = rng.standard_normal(BLOCK) * scale
        if b % 3 == 0:
            x[rng.integers(BLOCK)] *= 2.0 ** int(rng.integers(3, 7))
        codes = x.astype(inp.dtype).view(inp.utype)
        assert np.isfinite(x.astype(inp.dtype)).all()
        blocks.append(("gaussian", [int(c) for c in codes]))
    return blocks


def raw_blocks(inp, rng, count):
    return [("raw", fill(lambda i: inp.raw(rng))) for _ in range(count)]


def blocks_for(fmt, inp, seed):
    rng = np.random.default_rng(seed)
    return (
        corner_blocks(fmt, inp, rng)
        + clamp_blocks(fmt, inp, rng)
        + tie_blocks(fmt, inp, rng, 48)
        + negative_zero_blocks(fmt, inp, rng)
        + range_blocks(inp, rng, 64)
        + gaussian_blocks(inp, rng, 32)
        + raw_blocks(inp, rng, 8)
    )


def line(fmt, inp, tag, codes):
    scale, elements = quantize(fmt, inp, codes)
    in_digits, el_digits = inp.bits // 4, (fmt.bits + 3) // 4
    fields = [f"{c:0{in_digits}X}" for c in codes] + [f"{scale:02X}"]
    return " ".join(fields + [f"{p:0{el_digits}X}" for p in elements] + [tag])


def main():
    for f, fmt in enumerate(ELEMENTS):
        for i, inp in enumerate(INPUTS):
            blocks = blocks_for(fmt, inp, seed=1700 + 10 * f + i)
            text = "".join(line(fmt, inp, tag, codes) + "\n" for tag, codes in blocks)
            path = os.path.join(HERE, f"{fmt.name}_{inp.name}.txt.gz")
            # gzip -9 -n: no name and no time stamp, so the same vectors give the same bytes.
            with open(path, "wb") as out:
                with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=out, mtime=0) as gz:
                    gz.write(text.encode("ascii"))
            print(f"{os.path.basename(path)}: {text.count(chr(10))} blocks")


if __name__ == "__main__":
    main()

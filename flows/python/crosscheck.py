"""Live cross-check against ml_dtypes and numpy (run by flows/python/crosscheck.test.ts).

Reads one JSON request on stdin and writes one JSON answer on stdout:
  request: {"f32": [bits...], "f16_pairs": [[a, b]...], "bf16_pairs": [[a, b]...]}
  answer:  {"versions": {...},
            "types": {name: {"bits", "exp_bits", "mant_bits", "signed", "bias", "has_inf", "has_nan",
                             "subnormals", "code": [...], "back": [...]}},
            "float16": {"code": [...], "back": [...]},
            "f16_mul": [...], "bf16_mul": [...]}
"code" is each f32 input converted to the type (astype, round to nearest even), as the type's code;
"back" is each code of the type (0 .. 2^bits - 1) converted back to f32, as f32 bits. "f16_mul" is
numpy's float16 product of each pair of binary16 codes, "bf16_mul" ml_dtypes' bfloat16 product.
Every FP8, FP6, FP4 and E8M0 type ml_dtypes has is listed, found by name.
"""

import json
import sys

import ml_dtypes
import numpy as np

FLOAT_PREFIXES = ("float8_", "float6_", "float4_")


def small_float_types():
    return sorted(n for n in dir(ml_dtypes) if n.startswith(FLOAT_PREFIXES))


def codes_of(values, bits):
    """The code of each element: its storage byte, of which ml_dtypes uses the low `bits` bits."""
    return [int(c) & ((1 << bits) - 1) for c in values.view(np.uint8)]


def describe(name, f32):
    dtype = getattr(ml_dtypes, name)
    info = ml_dtypes.finfo(dtype)
    bits = int(info.bits)
    all_codes = np.arange(1 << bits, dtype=np.uint8).view(dtype)
    back = all_codes.astype(np.float32).view(np.uint32)
    return {
        "bits": bits,
        "exp_bits": int(info.nexp),
        "mant_bits": int(info.nmant),
        "signed": bool(float(info.min) < 0),
        "min_exp": int(info.minexp),
        "max": float(info.max),
        "smallest_normal": float(info.smallest_normal),
        "smallest_subnormal": float(info.smallest_subnormal),
        "code": codes_of(f32.astype(dtype), bits),
        "back": [int(b) for b in back],
    }


def main():
    request = json.load(sys.stdin)
    f32 = np.array(request["f32"], dtype=np.uint32).view(np.float32)
    half = f32.astype(np.float16)
    half_codes = np.arange(1 << 16, dtype=np.uint16).view(np.float16)

    def products(pairs, dtype, view):
        if not pairs:
            return []
        a = np.array([p[0] for p in pairs], dtype=view).view(dtype)
        b = np.array([p[1] for p in pairs], dtype=view).view(dtype)
        return [int(c) for c in (a * b).view(view)]

    with np.errstate(all="ignore"):
        answer = {
            "versions": {"ml_dtypes": ml_dtypes.__version__, "numpy": np.__version__},
            "types": {name: describe(name, f32) for name in small_float_types()},
            "float16": {
                "code": [int(c) for c in half.view(np.uint16)],
                "back": [int(b) for b in half_codes.astype(np.float32).view(np.uint32)],
            },
            "f16_mul": products(request.get("f16_pairs", []), np.float16, np.uint16),
            "bf16_mul": products(request.get("bf16_pairs", []), ml_dtypes.bfloat16, np.uint16),
        }
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()

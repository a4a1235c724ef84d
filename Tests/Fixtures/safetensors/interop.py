#!/usr/bin/env python3
"""Interop between s2s's safetensors code and Python's reference `safetensors` package.

  python3 interop.py make         regenerate the Python-written fixtures beside this script
                                  (python_written.safetensors, python_written_f16.safetensors)
  python3 interop.py check PATH   open a file s2s wrote (SafeTensorsTests writes it) with
                                  safetensors.numpy.load_file and safe_open; exit 1 on mismatch

Needs: pip install safetensors numpy. SafeTensorsTests.swift rebuilds the same tensors and
metadata from the same formulas, so keep the two in step.
"""
import os
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))

# Bit patterns numpy must carry through untouched: quiet NaN with payload, signalling NaN,
# negative NaN, -0.0, smallest and largest denormal, +-inf, largest finite, 1.0.
SPECIAL_BITS = [0x7FC00001, 0x7FA00000, 0xFFC12345, 0x80000000, 0x00000001, 0x007FFFFF,
                0x7F800000, 0xFF800000, 0x7F7FFFFF, 0x3F800000]

METADATA = {
    "format": "s2s-interop",
    "text": "naïve café — 日本語 🎉\nline two\t\"quoted\" \\ back\u0001",
    "": "empty key",
}


def tensors():
    return {
        "z.special": np.array(SPECIAL_BITS, dtype=np.uint32).view(np.float32),
        "b.matrix": (np.arange(6, dtype=np.float32) * np.float32(0.25) - np.float32(0.5)).reshape(2, 3),
        "a.vector": np.arange(100, dtype=np.float32) / np.float32(7),
        "scalar": np.array(3.5, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }


def make():
    save_file(tensors(), os.path.join(HERE, "python_written.safetensors"), metadata=METADATA)
    save_file({"half": np.array([1.0, 2.0], dtype=np.float16)},
              os.path.join(HERE, "python_written_f16.safetensors"))


def check(path):
    loaded = load_file(path)
    expected = tensors()
    ok = sorted(loaded) == sorted(expected)
    for name, want in expected.items():
        got = loaded.get(name)
        if got is None or got.dtype != np.float32 or got.shape != want.shape or \
                got.tobytes() != want.tobytes():
            print(f"mismatch in tensor {name!r}: got {got!r}")
            ok = False
    with safe_open(path, framework="np") as f:
        if f.metadata() != METADATA:
            print(f"metadata mismatch: {f.metadata()!r}")
            ok = False
    print(f"{path}: {'OK' if ok else 'FAILED'} ({len(loaded)} tensors, {len(METADATA)} metadata keys checked)")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["make"]:
        make()
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2]))
    else:
        sys.exit(__doc__)

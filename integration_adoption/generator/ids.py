"""Deterministic, unique string ids built without Python loops."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
MESSY_BIT = np.uint64(1 << 63)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a bijection on uint64, so distinct keys give distinct ids."""
    z = x.astype(np.uint64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def salt(seed: int, purpose: int) -> np.uint64:
    return mix64(np.array([seed * 16 + purpose], dtype=np.uint64))[0]


def block_key(block: int, local: np.ndarray) -> np.ndarray:
    return (np.uint64(block) << np.uint64(36)) | local.astype(np.uint64)


def hex_ids(prefix: str, keys: np.ndarray, key_salt: np.uint64) -> pa.Array:
    """prefix + 16 hex digits of mix64(key ^ salt)."""
    values = mix64(keys.astype(np.uint64) ^ key_salt)
    shifts = np.arange(60, -4, -4, dtype=np.uint64)
    digits = _HEX[((values[:, None] >> shifts[None, :]) & np.uint64(15)).astype(np.intp)]
    pre = np.frombuffer(prefix.encode(), dtype=np.uint8)
    width = len(pre) + 16
    data = np.empty((len(values), width), dtype=np.uint8)
    data[:, : len(pre)] = pre
    data[:, len(pre) :] = digits
    offsets = np.arange(len(values) + 1, dtype=np.int32) * width
    return pa.StringArray.from_buffers(
        len(values), pa.py_buffer(offsets.tobytes()), pa.py_buffer(data.tobytes())
    )


def padded(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    text = pc.utf8_lpad(pa.array(numbers.astype(np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, text, "")


def account_ids(gidx: np.ndarray) -> pa.Array:
    return padded("acc_", gidx, 7)

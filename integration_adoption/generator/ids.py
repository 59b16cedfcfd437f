"""Deterministic, unique string ids built without Python loops."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from integration_adoption.generator.fastfmt import (
    hex_matrix,
    numbered,
    strings_from_matrix,
    strings_with_nulls,
)

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
    return strings_from_matrix(hex_matrix(prefix, mix64(keys.astype(np.uint64) ^ key_salt)))


def padded(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    text = pc.utf8_lpad(pa.array(numbers.astype(np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, text, "")


def account_ids(gidx: np.ndarray) -> pa.Array:
    return strings_from_matrix(numbered("acc_", gidx, 7))


def user_ids(gidx: np.ndarray, user: np.ndarray) -> pa.Array:
    """usr_<account number>_<user number>, null where user < 0."""
    return strings_with_nulls(numbered("usr_", gidx, 7, "_", user, 2), user >= 0)

"""Source-specific text: timestamps per source system and JSON properties."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from integration_adoption.generator.catalog import (
    K_AUTH_FAILED,
    K_CONFIG,
    K_SETUP,
    K_SYNC_FAILED,
    K_WORK,
)
from integration_adoption.generator.events import ERRORS
from integration_adoption.generator.fastfmt import iso_matrix, offset_suffix, strings_from_matrix


def scatter(n: int, parts: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """Assemble an array of length n from (row positions, values) parts covering 0..n-1."""
    if not parts:
        return pa.array([], pa.string())
    positions = np.concatenate([p for p, _ in parts])
    if len(positions) != n:
        raise ValueError("parts do not cover every row")
    values = pa.concat_arrays([a.cast(pa.string()) for _, a in parts])
    if np.array_equal(positions, np.arange(n)):  # rows already grouped: no shuffle needed
        return values
    inverse = np.empty(n, dtype=np.int64)
    inverse[positions] = np.arange(n, dtype=np.int64)
    return values.take(pa.array(inverse))


def _s(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int64)).cast(pa.string())


def occurred_text(ms: np.ndarray, src: np.ndarray, offset_min: np.ndarray) -> pa.Array:
    """app_backend: ...T..Z; sync_engine: no offset (UTC); actions_service: local + offset."""
    i0, i1, i2 = (np.nonzero(src == k)[0] for k in range(3))
    z = np.full((len(i0), 1), ord("Z"), dtype=np.uint8)
    off = offset_min[i2].astype(np.int64)
    return scatter(
        len(ms),
        [
            (i0, strings_from_matrix(iso_matrix(ms[i0] // 1000 * 1000, "T", False, z))),
            (i1, strings_from_matrix(iso_matrix(ms[i1] // 1000 * 1000, " ", False, None))),
            (
                i2,
                strings_from_matrix(
                    iso_matrix(ms[i2] + off * 60_000, "T", True, offset_suffix(off))
                ),
            ),
        ],
    )


_TRIGGERS = pa.array(["scheduled", "manual"])
_DIRECTIONS = pa.array(["one_way", "bidirectional"])
_CODES = pa.array([c for c, _ in ERRORS])
_MESSAGES = pa.array([m for _, m in ERRORS])


def _pick(options: pa.Array, flags: np.ndarray) -> pa.Array:
    return options.take(pa.array(flags.astype(np.int8)))


def _trigger(manual: np.ndarray) -> pa.Array:
    return _pick(_TRIGGERS, manual)


def properties_text(
    kind: np.ndarray,
    records: np.ndarray,
    api_calls: np.ndarray,
    n_bytes: np.ndarray,
    duration_ms: np.ndarray,
    error: np.ndarray,
    manual: np.ndarray,
    bidirectional: np.ndarray,
    custom_fields: np.ndarray,
    filters: np.ndarray,
    transformations: np.ndarray,
) -> pa.Array:
    group = property_group(kind)
    segments = _segments(group)
    parts: list[tuple[np.ndarray, pa.Array]] = []
    for g, i in segments:
        parts.append(
            (
                i,
                _properties(
                    g,
                    i,
                    records,
                    api_calls,
                    n_bytes,
                    duration_ms,
                    error,
                    manual,
                    bidirectional,
                    custom_fields,
                    filters,
                    transformations,
                ),
            )
        )
    return scatter(len(kind), parts)


def property_group(kind: np.ndarray) -> np.ndarray:
    """0 work, 1 failure, 2 setup/config, 3 empty object."""
    lookup = np.full(8, 3, dtype=np.int8)
    lookup[K_WORK] = 0
    lookup[K_SYNC_FAILED] = lookup[K_AUTH_FAILED] = 1
    lookup[K_SETUP] = lookup[K_CONFIG] = 2
    return lookup[kind]


def _segments(group: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Maximal runs of equal group values (one run per group when rows are grouped)."""
    if len(group) == 0:
        return []
    change = np.nonzero(np.diff(group))[0] + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(group)]])
    return [(int(group[a]), np.arange(a, b)) for a, b in zip(starts, ends, strict=True)]


def _properties(
    g: int,
    i: np.ndarray,
    records: np.ndarray,
    api_calls: np.ndarray,
    n_bytes: np.ndarray,
    duration_ms: np.ndarray,
    error: np.ndarray,
    manual: np.ndarray,
    bidirectional: np.ndarray,
    custom_fields: np.ndarray,
    filters: np.ndarray,
    transformations: np.ndarray,
) -> pa.Array:
    join = pc.binary_join_element_wise
    if g == 3:
        return pa.repeat(pa.scalar("{}"), len(i))
    if g == 0:
        return join(
            '{"records_count":',
            _s(records[i]),
            ',"api_calls":',
            _s(api_calls[i]),
            ',"bytes":',
            _s(n_bytes[i]),
            ',"duration_ms":',
            _s(duration_ms[i]),
            ',"trigger":"',
            _trigger(manual[i]),
            '"}',
            "",
        )
    if g == 1:
        err = pa.array(error[i].astype(np.int64))
        return join(
            '{"error_code":"',
            _CODES.take(err),
            '","error_message":"',
            _MESSAGES.take(err),
            '","api_calls":',
            _s(api_calls[i]),
            ',"trigger":"',
            _trigger(manual[i]),
            '"}',
            "",
        )
    return join(
        '{"direction":"',
        _pick(_DIRECTIONS, bidirectional[i]),
        '","custom_fields_count":',
        _s(custom_fields[i]),
        ',"filters_count":',
        _s(filters[i]),
        ',"transformations_count":',
        _s(transformations[i]),
        "}",
        "",
    )

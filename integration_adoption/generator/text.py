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


def scatter(n: int, parts: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """Assemble an array of length n from (row positions, values) parts covering 0..n-1."""
    if not parts:
        return pa.array([], pa.string())
    positions = np.concatenate([p for p, _ in parts])
    if len(positions) != n:
        raise ValueError("parts do not cover every row")
    values = pa.concat_arrays([a.cast(pa.string()) for _, a in parts])
    inverse = np.empty(n, dtype=np.int64)
    inverse[positions] = np.arange(n, dtype=np.int64)
    return values.take(pa.array(inverse))


def _s(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int64)).cast(pa.string())


def occurred_text(ms: np.ndarray, src: np.ndarray, offset_min: np.ndarray) -> pa.Array:
    """app_backend: ...T..Z; sync_engine: no offset (UTC); actions_service: local + offset."""
    parts = []
    i = np.nonzero(src == 0)[0]
    ts = pa.array((ms[i] // 1000).astype(np.int64), pa.timestamp("s"))
    parts.append((i, pc.strftime(ts, format="%Y-%m-%dT%H:%M:%SZ")))
    i = np.nonzero(src == 1)[0]
    ts = pa.array((ms[i] // 1000).astype(np.int64), pa.timestamp("s"))
    parts.append((i, pc.strftime(ts, format="%Y-%m-%d %H:%M:%S")))
    i = np.nonzero(src == 2)[0]
    off = offset_min[i].astype(np.int64)
    ts = pa.array(ms[i] + off * 60_000, pa.timestamp("ms"))
    a = np.abs(off)
    off_text = pc.binary_join_element_wise(
        _pick(_SIGNS, off < 0),
        pc.utf8_lpad(_s(a // 60), 2, "0"),
        ":",
        pc.utf8_lpad(_s(a % 60), 2, "0"),
        "",
    )
    local = pc.strftime(ts, format="%Y-%m-%dT%H:%M:%S")
    parts.append((i, pc.binary_join_element_wise(local, off_text, "")))
    return scatter(len(ms), parts)


_TRIGGERS = pa.array(["scheduled", "manual"])
_DIRECTIONS = pa.array(["one_way", "bidirectional"])
_SIGNS = pa.array(["+", "-"])


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
    join = pc.binary_join_element_wise
    parts = []
    i = np.nonzero(kind == K_WORK)[0]
    parts.append(
        (
            i,
            join(
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
            ),
        )
    )
    i = np.nonzero((kind == K_SYNC_FAILED) | (kind == K_AUTH_FAILED))[0]
    codes = pa.array([c for c, _ in ERRORS])
    messages = pa.array([m for _, m in ERRORS])
    err = pa.array(error[i].astype(np.int64))
    parts.append(
        (
            i,
            join(
                '{"error_code":"',
                codes.take(err),
                '","error_message":"',
                messages.take(err),
                '","api_calls":',
                _s(api_calls[i]),
                ',"trigger":"',
                _trigger(manual[i]),
                '"}',
                "",
            ),
        )
    )
    i = np.nonzero((kind == K_SETUP) | (kind == K_CONFIG))[0]
    parts.append(
        (
            i,
            join(
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
            ),
        )
    )
    done = np.zeros(len(kind), dtype=bool)
    for p, _ in parts:
        done[p] = True
    rest = np.nonzero(~done)[0]
    parts.append((rest, pa.repeat(pa.scalar("{}"), len(rest))))
    return scatter(len(kind), parts)

"""Fixed-width text (hex ids, ISO timestamps) written straight into Arrow string buffers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_HEX_PAIRS = np.array(
    [ord(a) | (ord(b) << 8) for a in "0123456789abcdef" for b in "0123456789abcdef"],
    dtype="<u2",
)
_DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)
_PAIRS = np.array([ord(str(v // 10)) | (ord(str(v % 10)) << 8) for v in range(100)], dtype="<u2")


def strings_from_matrix(data: np.ndarray) -> pa.Array:
    """Rows of a (n, width) uint8 matrix -> an Arrow string array."""
    n, width = data.shape
    offsets = np.arange(n + 1, dtype=np.int32) * width
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets.tobytes()), pa.py_buffer(np.ascontiguousarray(data).tobytes())
    )


def hex_matrix(prefix: str, values: np.ndarray) -> np.ndarray:
    pre = np.frombuffer(prefix.encode(), dtype=np.uint8)
    big_endian = values.astype(">u8").view(np.uint8).reshape(-1, 8)
    digits = _HEX_PAIRS[big_endian].view(np.uint8).reshape(-1, 16)
    out = np.empty((len(values), len(pre) + 16), dtype=np.uint8)
    out[:, : len(pre)] = pre
    out[:, len(pre) :] = digits
    return out


def _put(out: np.ndarray, col: int, value: np.ndarray, width: int) -> None:
    """Zero-padded decimal digits of value (0 <= value < 10**width) at out[:, col:col+width]."""
    if width % 2:
        out[:, col + width - 1] = _DIGITS[value % 10]
        value = value // 10
        width -= 1
    for k in range(width - 2, -1, -2):
        pair = _PAIRS[value % 100]
        out[:, col + k] = pair & 0xFF
        out[:, col + k + 1] = pair >> 8
        value = value // 100


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days since 1970-01-01 -> (year, month, day), proleptic Gregorian."""
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    return y + (m <= 2), m, d


def iso_matrix(ms: np.ndarray, sep: str, millis: bool, suffix: np.ndarray | None) -> np.ndarray:
    """'YYYY-MM-DD{sep}HH:MM:SS[.mmm]' + per-row suffix bytes (n, k) if given."""
    ms = ms.astype(np.int64)
    days = np.floor_divide(ms, 86_400_000)
    rem = (ms - days * 86_400_000).astype(np.int32)
    y, mo, d = _civil(days.astype(np.int32))
    width = 19 + (4 if millis else 0)
    extra = 0 if suffix is None else suffix.shape[1]
    out = np.empty((len(ms), width + extra), dtype=np.uint8)
    _put(out, 0, y, 4)
    out[:, 4] = ord("-")
    _put(out, 5, mo, 2)
    out[:, 7] = ord("-")
    _put(out, 8, d, 2)
    out[:, 10] = ord(sep)
    _put(out, 11, rem // 3_600_000, 2)
    out[:, 13] = ord(":")
    _put(out, 14, rem // 60_000 % 60, 2)
    out[:, 16] = ord(":")
    _put(out, 17, rem // 1000 % 60, 2)
    if millis:
        out[:, 19] = ord(".")
        _put(out, 20, rem % 1000, 3)
    if suffix is not None:
        out[:, width:] = suffix
    return out


def offset_suffix(offset_min: np.ndarray) -> np.ndarray:
    """'+HH:MM' / '-HH:MM' bytes per row."""
    a = np.abs(offset_min.astype(np.int64))
    out = np.empty((len(a), 6), dtype=np.uint8)
    out[:, 0] = np.where(offset_min < 0, ord("-"), ord("+"))
    _put(out, 1, a // 60, 2)
    out[:, 3] = ord(":")
    _put(out, 4, a % 60, 2)
    return out


def strings_with_nulls(data: np.ndarray, valid: np.ndarray) -> pa.Array:
    """Like strings_from_matrix, null where ~valid."""
    n, width = data.shape
    offsets = np.arange(n + 1, dtype=np.int32) * width
    bitmap = np.packbits(valid.astype(np.uint8), bitorder="little")
    return pa.StringArray.from_buffers(
        n,
        pa.py_buffer(offsets.tobytes()),
        pa.py_buffer(np.ascontiguousarray(data).tobytes()),
        pa.py_buffer(bitmap.tobytes()),
    )


def numbered(
    prefix: str,
    number: np.ndarray,
    width: int,
    suffix: str = "",
    tail: np.ndarray | None = None,
    tail_width: int = 0,
) -> np.ndarray:
    """prefix + zero-padded number (+ suffix + zero-padded tail) as a (n, k) byte matrix."""
    number = number.astype(np.int64)
    width = max(width, len(str(int(number.max()))) if len(number) else width)
    pre = np.frombuffer(prefix.encode(), dtype=np.uint8)
    mid = np.frombuffer(suffix.encode(), dtype=np.uint8)
    total = len(pre) + width + (len(mid) + tail_width if tail is not None else 0)
    out = np.empty((len(number), total), dtype=np.uint8)
    out[:, : len(pre)] = pre
    _put(out, len(pre), number, width)
    if tail is not None:
        col = len(pre) + width
        out[:, col : col + len(mid)] = mid
        _put(out, col + len(mid), np.maximum(tail.astype(np.int64), 0), tail_width)
    return out

"""Days and months of the simulated period, and the §8 snapshot (T0, H)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

EPOCH = dt.date(1970, 1, 1)
MS_PER_DAY = 86_400_000


def month_abs(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def month_first(m_abs: int) -> dt.date:
    return dt.date(m_abs // 12, m_abs % 12 + 1, 1)


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    horizon_months: int

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def epoch_day0(self) -> int:
        return (self.start - EPOCH).days

    @property
    def start_month_abs(self) -> int:
        return month_abs(self.start)

    @property
    def n_months(self) -> int:
        return month_abs(self.end) - self.start_month_abs + 1

    @property
    def month_start_day(self) -> np.ndarray:
        """Day index (0 = start date) of the first day of each simulated month."""
        return np.array(
            [
                (month_first(self.start_month_abs + m) - self.start).days
                for m in range(self.n_months)
            ],
            dtype=np.int64,
        )

    def day_to_month(self, day: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.month_start_day, day, side="right") - 1

    # §8: T0 = first day of the month `horizon` months before the last complete month.
    @property
    def last_complete_month_abs(self) -> int:
        next_day = self.end + dt.timedelta(days=1)
        return month_abs(self.end) if next_day.month != self.end.month else month_abs(self.end) - 1

    @property
    def t0(self) -> dt.date:
        return month_first(self.last_complete_month_abs - self.horizon_months)

    @property
    def t0_month(self) -> int:
        """Month index of T0 (the churn draw of this month sees activity on T0 - 1)."""
        return month_abs(self.t0) - self.start_month_abs

    @property
    def horizon_month(self) -> int:
        """Month index of T0 + H, where `retained` is read."""
        return self.last_complete_month_abs - self.start_month_abs

    @property
    def impact_defined(self) -> bool:
        return self.t0 > self.start and self.horizon_month < self.n_months

    def epoch_ms(self, day: np.ndarray, tod_ms: np.ndarray) -> np.ndarray:
        return (day.astype(np.int64) + self.epoch_day0) * MS_PER_DAY + tod_ms.astype(np.int64)

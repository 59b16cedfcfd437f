"""Day-level activity of connections: how many runs each active day, and which fail."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from integration_adoption.generator.catalog import CADENCES, Catalog
from integration_adoption.generator.config import Params
from integration_adoption.generator.connections import Connections

DAILY, WEEKLY, MONTHLY, SITUATIONAL = (CADENCES.index(c) for c in CADENCES)


@dataclass
class DayRows:
    """One row per connection-day inside an active spell (as if the account never churned)."""

    conn: np.ndarray
    day: np.ndarray
    count: np.ndarray  # runs (work or failed attempts) that day
    failing: np.ndarray  # inside a failure episode: every run fails
    auth: np.ndarray  # failure episode kind

    def take(self, index: np.ndarray) -> DayRows:
        return DayRows(
            self.conn[index],
            self.day[index],
            self.count[index],
            self.failing[index],
            self.auth[index],
        )

    @property
    def is_work(self) -> np.ndarray:
        return (self.count > 0) & ~self.failing


def expand_days(
    rng: np.random.Generator,
    conns: Connections,
    params: Params,
    catalog: Catalog,
    n_days: int,
) -> DayRows:
    sc, sk = np.nonzero(conns.spell_start >= 0)
    start = conns.spell_start[sc, sk]
    end = np.minimum(conns.spell_end[sc, sk], n_days)
    ok = start < end
    sc, sk, start, end = sc[ok], sk[ok], start[ok], end[ok]
    lengths = end - start
    total = int(lengths.sum())
    spell = np.repeat(np.arange(len(sc)), lengths)
    offsets = np.cumsum(lengths) - lengths
    offset = np.arange(total, dtype=np.int64) - offsets[spell]
    day = start[spell] + offset
    conn = sc[spell]

    ev = params.events
    cadence = catalog.cadence[conns.integ[conn]]
    u = rng.random(total)
    extra = rng.poisson(ev.extra_manual_runs_per_day, size=total)
    count = np.zeros(total, dtype=np.int64)
    m = cadence == DAILY
    count[m] = rng.poisson(conns.daily_runs[conn[m]])
    m = cadence == WEEKLY
    count[m] = ((offset[m] % 7 == 0) & (u[m] < ev.weekly_run_prob)) + extra[m]
    m = cadence == MONTHLY
    count[m] = ((offset[m] % 30 == 0) & (u[m] < ev.weekly_run_prob)) + extra[m]
    m = cadence == SITUATIONAL
    burst = u[m] < conns.burst_prob[conn[m]]
    count[m] = burst * (1 + rng.poisson(ev.burst_size_mean - 1, size=int(m.sum())))

    e_start = conns.ep_start[sc, sk][spell]
    e_end = conns.ep_end[sc, sk][spell]
    failing = (day >= e_start) & (day < e_end)
    # The first day of a spell is a work day (activation or resurrection); failing days retry.
    count = np.where((offset == 0) | failing, np.maximum(count, 1), count)
    auth = conns.ep_auth[sc, sk][spell]
    return DayRows(conn=conn, day=day, count=count, failing=failing, auth=auth & failing)

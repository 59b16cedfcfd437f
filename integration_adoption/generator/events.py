"""Events of one block as numpy columns (canonical kinds; names and text come later)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from integration_adoption.generator.accounts import Accounts
from integration_adoption.generator.activity import DayRows
from integration_adoption.generator.catalog import (
    K_AUTH_FAILED,
    K_CONFIG,
    K_INSTALLED,
    K_SETUP,
    K_SYNC_FAILED,
    K_UNINSTALLED,
    K_WORK,
    Catalog,
)
from integration_adoption.generator.config import Params
from integration_adoption.generator.connections import Connections
from integration_adoption.generator.timeline import MS_PER_DAY, Timeline

SYNC_ERRORS = (
    ("RATE_LIMITED", "API rate limit exceeded"),
    ("TIMEOUT", "Upstream request timed out"),
    ("SCHEMA_MISMATCH", "Field mapping no longer matches the destination schema"),
    ("SERVER_ERROR", "Upstream returned HTTP 500"),
)
AUTH_ERRORS = (
    ("INVALID_GRANT", "Refresh token expired or revoked"),
    ("UNAUTHORIZED", "Credentials were rejected (HTTP 401)"),
)
ERRORS = SYNC_ERRORS + AUTH_ERRORS


@dataclass
class Events:
    conn: np.ndarray
    kind: np.ndarray
    ms: np.ndarray  # occurred, epoch milliseconds UTC
    manual: np.ndarray  # trigger; only meaningful where `has_trigger`
    has_trigger: np.ndarray
    user: np.ndarray  # user number within the account, -1 = null
    records: np.ndarray
    api_calls: np.ndarray
    bytes: np.ndarray
    duration_ms: np.ndarray
    error: np.ndarray  # index into ERRORS, -1 = none
    bidirectional: np.ndarray
    custom_fields: np.ndarray
    filters: np.ndarray
    transformations: np.ndarray

    @property
    def n(self) -> int:
        return len(self.conn)

    def take(self, index: np.ndarray) -> Events:
        return Events(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Events]) -> Events:
        return Events(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Events)}
        )


def _blank(conn: np.ndarray, kind: int, ms: np.ndarray) -> Events:
    n = len(conn)
    neg = np.full(n, -1, dtype=np.int64)
    return Events(
        conn=conn.astype(np.int64),
        kind=np.full(n, kind, dtype=np.int8),
        ms=ms.astype(np.int64),
        manual=np.zeros(n, dtype=bool),
        has_trigger=np.zeros(n, dtype=bool),
        user=neg.copy(),
        records=neg.copy(),
        api_calls=neg.copy(),
        bytes=neg.copy(),
        duration_ms=neg.copy(),
        error=neg.copy(),
        bidirectional=np.zeros(n, dtype=bool),
        custom_fields=neg.copy(),
        filters=neg.copy(),
        transformations=neg.copy(),
    )


def _time_ms(timeline: Timeline, t: np.ndarray) -> np.ndarray:
    """Fractional day index -> epoch milliseconds."""
    day = np.floor(t)
    tod = np.minimum(np.floor((t - day) * MS_PER_DAY), MS_PER_DAY - 1)
    return timeline.epoch_ms(day.astype(np.int64), tod.astype(np.int64))


def _users(rng: np.random.Generator, n_users: np.ndarray) -> np.ndarray:
    return np.floor(rng.random(len(n_users)) * n_users).astype(np.int64)


def _cumsum_by_group(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting where group_start is True (rows sorted by group)."""
    cs = np.cumsum(values)
    starts = np.maximum.accumulate(np.where(group_start, np.arange(len(values)), 0))
    return cs - cs[starts] + values[starts]


def build_events(
    rng: np.random.Generator,
    accounts: Accounts,
    conns: Connections,
    days: DayRows,
    params: Params,
    catalog: Catalog,
    timeline: Timeline,
) -> Events:
    ev = params.events
    n_days = timeline.n_days
    acc_users = accounts.n_users[conns.acc]
    is_action = catalog.is_action[conns.integ]
    parts: list[Events] = []
    all_conns = np.arange(conns.n)

    installed = _blank(
        all_conns, K_INSTALLED, timeline.epoch_ms(conns.install_day, conns.install_tod)
    )
    installed.user = _users(rng, acc_users)
    parts.append(installed)

    # Sophistication at setup; config changes add to it.
    lam = conns.feature_mean
    bidir0 = (rng.random(conns.n) < conns.bidirectional_share) & ~is_action
    cf0, fl0, tr0 = (rng.poisson(lam * s) for s in (1.5, 0.8, 0.4))
    s_idx = np.nonzero(conns.setup & (conns.setup_t < n_days))[0]
    setup = _blank(s_idx, K_SETUP, _time_ms(timeline, conns.setup_t[s_idx]))
    setup.user = _users(rng, acc_users[s_idx])
    setup.bidirectional = bidir0[s_idx]
    setup.custom_fields, setup.filters, setup.transformations = cf0[s_idx], fl0[s_idx], tr0[s_idx]
    parts.append(setup)

    # Runs on active days: work, or failed attempts inside failure episodes.
    rep = np.repeat(np.arange(len(days.day)), days.count)
    c = days.conn[rep]
    day = days.day[rep]
    lo = np.where(day == conns.install_day[c], conns.install_tod[c] + 1000, 0)
    tod = lo + np.floor(rng.random(len(rep)) * (MS_PER_DAY - lo)).astype(np.int64)
    runs = _blank(c, K_WORK, timeline.epoch_ms(day, tod))
    fail = days.failing[rep]
    runs.kind[fail] = np.where(days.auth[rep][fail], K_AUTH_FAILED, K_SYNC_FAILED)
    act = is_action[c]
    p_manual = np.where(act, ev.share_manual_action, ev.share_manual_sync)
    runs.manual = rng.random(len(rep)) < p_manual
    runs.has_trigger[:] = True
    runs.user = np.where(runs.manual, _users(rng, acc_users[c]), -1)
    vol = conns.volume[c]
    sync_records = np.floor(np.exp(np.log(200 * vol) + rng.standard_normal(len(rep))))
    records = np.where(act, 1 + rng.poisson(0.3, len(rep)), sync_records).astype(np.int64)
    runs.records = np.where(fail, -1, records)
    api = np.where(
        act, 1 + rng.poisson(1.0, len(rep)), 1 + records // 50 + rng.poisson(2, len(rep))
    )
    runs.api_calls = np.where(fail, 1 + rng.poisson(1.0, len(rep)), api).astype(np.int64)
    runs.bytes = np.where(fail, -1, records * (300 + rng.integers(0, 1200, len(rep))))
    duration = np.where(
        act,
        100 + rng.integers(0, 2900, len(rep)),
        500 + records * (1 + rng.integers(0, 5, len(rep))),
    )
    runs.duration_ms = np.where(fail, -1, duration)
    # An episode keeps one error: derived from the connection so repeated failures agree.
    sync_err = (c * 7 + days.day[rep] // 30) % len(SYNC_ERRORS)
    auth_err = len(SYNC_ERRORS) + (c % len(AUTH_ERRORS))
    runs.error = np.where(fail, np.where(days.auth[rep], auth_err, sync_err), -1)
    parts.append(runs)

    # Connections that never activate: sometimes a few failed attempts right after install.
    na = np.nonzero(~conns.activated & (rng.random(conns.n) < ev.p_failures_if_never_activated))[0]
    k = 1 + rng.poisson(1.5, len(na))
    f_conn = np.repeat(na, k)
    f_day = conns.install_day[f_conn] + rng.integers(0, 4, len(f_conn))
    f_lo = np.where(f_day == conns.install_day[f_conn], conns.install_tod[f_conn] + 1000, 0)
    f_tod = f_lo + np.floor(rng.random(len(f_conn)) * (MS_PER_DAY - f_lo)).astype(np.int64)
    early = _blank(f_conn, K_SYNC_FAILED, timeline.epoch_ms(f_day, f_tod))
    is_auth = rng.random(len(f_conn)) < 0.6
    early.kind[is_auth] = K_AUTH_FAILED
    early.error = np.where(is_auth, len(SYNC_ERRORS) + f_conn % len(AUTH_ERRORS), f_conn % 4)
    early.api_calls = 1 + rng.poisson(0.5, len(f_conn))
    early.manual = rng.random(len(f_conn)) < 0.5
    early.has_trigger[:] = True
    early.user = np.where(early.manual, _users(rng, acc_users[f_conn]), -1)
    parts.append(early)

    # Config changes: on work days, at a per-segment yearly rate; cumulative sophistication.
    wd = np.nonzero(days.is_work & (rng.random(len(days.day)) < conns.config_rate[days.conn]))[0]
    cc = days.conn[wd]
    cc_tod = np.floor(rng.random(len(wd)) * MS_PER_DAY).astype(np.int64)
    cfg = _blank(cc, K_CONFIG, timeline.epoch_ms(days.day[wd], cc_tod))
    order = np.lexsort((cfg.ms, cc))
    cfg = cfg.take(order)
    cc = cfg.conn
    first = np.ones(len(cc), dtype=bool)
    first[1:] = cc[1:] != cc[:-1]
    cfg.custom_fields = cf0[cc] + _cumsum_by_group(rng.poisson(1.0, len(cc)), first)
    cfg.filters = fl0[cc] + _cumsum_by_group(rng.poisson(0.5, len(cc)), first)
    cfg.transformations = tr0[cc] + _cumsum_by_group(rng.poisson(0.25, len(cc)), first)
    flips = _cumsum_by_group((rng.random(len(cc)) < 0.25).astype(np.int64), first) > 0
    cfg.bidirectional = (bidir0[cc] | flips) & ~is_action[cc]
    cfg.user = _users(rng, acc_users[cc])
    parts.append(cfg)

    u_idx = np.nonzero(conns.uninstall_t < n_days)[0]
    unins = _blank(u_idx, K_UNINSTALLED, _time_ms(timeline, conns.uninstall_t[u_idx]))
    unins.user = _users(rng, acc_users[u_idx])
    parts.append(unins)

    events = Events.concat(parts)
    # Nothing after the uninstall (it ends the connection) or after the period.
    unins_ms = np.where(
        conns.uninstall_t < n_days, _time_ms(timeline, np.minimum(conns.uninstall_t, n_days)), 0
    )
    has_unins = conns.uninstall_t < n_days
    c = events.conn
    end_ms = timeline.epoch_ms(np.array([n_days]), np.array([0]))[0]
    keep = events.ms < end_ms
    keep &= ~has_unins[c] | (events.ms < unins_ms[c]) | (events.kind == K_UNINSTALLED)
    return events.take(np.nonzero(keep)[0])


def truncate_and_mess_installs(
    rng: np.random.Generator,
    events: Events,
    conns: Connections,
    stop_ms: np.ndarray,  # per connection: nothing at or after (the account's churn)
    params: Params,
) -> tuple[Events, dict[str, int]]:
    """Stop events at churn; drop or late-stamp some install events (install inferred)."""
    events = events.take(np.nonzero(events.ms < stop_ms[events.conn])[0])
    c = events.conn
    other = events.kind != K_INSTALLED
    first_other = np.full(conns.n, np.iinfo(np.int64).max)
    np.minimum.at(first_other, c[other], events.ms[other])
    inst_ms = np.full(conns.n, np.iinfo(np.int64).max)
    inst = np.nonzero(~other)[0]
    inst_ms[c[inst]] = events.ms[inst]
    same_date = (first_other // MS_PER_DAY) == (inst_ms // MS_PER_DAY)
    u = rng.random(conns.n)
    ev = params.events
    drop = same_date & (u < ev.p_missing_install)
    skew = same_date & ~drop & (u > 1 - ev.p_install_clock_skew)
    # A skewed install is stamped shortly after the first other event, on the same date.
    new_ms = np.minimum(
        first_other + 1000 + (rng.random(conns.n) * 300_000).astype(np.int64),
        (first_other // MS_PER_DAY + 1) * MS_PER_DAY - 1,
    )
    skew &= new_ms > first_other
    drop_rows = drop[c] & ~other
    events = events.take(np.nonzero(~drop_rows)[0])
    fix = (events.kind == K_INSTALLED) & skew[events.conn]
    events.ms[fix] = new_ms[events.conn[fix]]
    stats = {"missing_install": int(drop.sum()), "install_after_first_event": int(skew.sum())}
    return events, stats

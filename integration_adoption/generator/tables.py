"""Arrow tables of the raw contract, built from simulated blocks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from integration_adoption.generator.catalog import SOURCE_SYSTEMS, Catalog
from integration_adoption.generator.config import COUNTRIES, INDUSTRIES, SEGMENTS
from integration_adoption.generator.ids import account_ids, hex_ids, mix64, salt, user_ids
from integration_adoption.generator.simulate import COUNTRY_OFFSETS, Block, event_source
from integration_adoption.generator.text import occurred_text, properties_text
from integration_adoption.generator.timeline import Timeline, month_first

EVENTS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("source_system", pa.string()),
        ("event_name", pa.string()),
        ("occurred_at", pa.string()),
        ("loaded_at", pa.timestamp("us")),
        ("account_id", pa.string()),
        ("connection_id", pa.string()),
        ("integration_key", pa.string()),
        ("user_id", pa.string()),
        ("properties", pa.string()),
    ]
)
ACCOUNTS_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("account_name", pa.string()),
        ("segment", pa.string()),
        ("industry", pa.string()),
        ("employee_count", pa.int64()),
        ("country", pa.string()),
        ("created_at", pa.timestamp("us")),
        ("loaded_at", pa.timestamp("us")),
    ]
)
MONTHLY_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("month", pa.date32()),
        ("plan", pa.string()),
        ("mrr", pa.float64()),
        ("loaded_at", pa.timestamp("us")),
    ]
)
EVENT_ID_SALT, CONNECTION_ID_SALT = 1, 2

_NAME_A = (
    "Blue",
    "North",
    "Bright",
    "Silver",
    "Summit",
    "Quiet",
    "Rapid",
    "Harbor",
    "Cedar",
    "Nova",
)
_NAME_B = ("Harbor", "Peak", "Field", "Stone", "River", "Forge", "Works", "Lane", "Grid", "Loop")
_NAME_C = ("Labs", "Inc", "Group", "Systems", "Co", "Partners", "Digital", "Health", "Logistics")


def _us(day: np.ndarray, tod_ms: np.ndarray, timeline: Timeline) -> np.ndarray:
    return timeline.epoch_ms(day, tod_ms) * 1000


def events_table(blocks: list[Block], seed: int, catalog: Catalog, timeline: Timeline) -> pa.Table:
    return pa.concat_tables([_block_events(b, seed, catalog) for b in blocks])


def _block_events(b: Block, seed: int, catalog: Catalog) -> pa.Table:
    e, c = b.events, b.conns
    acc = c.acc[e.conn]
    source = event_source(e, c, catalog)
    names = pa.array([name for row in catalog.source_names for name in row])
    conn_ids = hex_ids("con_", b.conn_keys, salt(seed, CONNECTION_ID_SALT))
    columns = [
        hex_ids("evt_", b.event_keys, salt(seed, EVENT_ID_SALT)),
        pa.array(list(SOURCE_SYSTEMS)).take(pa.array(source)),
        names.take(pa.array(source.astype(np.int64) * 7 + e.kind)),
        occurred_text(e.ms, source, COUNTRY_OFFSETS[b.accounts.country[acc]]),
        pa.array(b.loaded_us, pa.timestamp("us")),
        account_ids(b.accounts.gidx).take(pa.array(acc)),
        conn_ids.take(pa.array(e.conn)),
        pa.array(list(catalog.keys)).take(pa.array(c.integ[e.conn])),
        user_ids(b.accounts.gidx[acc], e.user),
        properties_text(
            e.kind,
            e.records,
            e.api_calls,
            e.bytes,
            e.duration_ms,
            e.error,
            e.manual,
            e.bidirectional,
            e.custom_fields,
            e.filters,
            e.transformations,
        ),
    ]
    return pa.Table.from_arrays(columns, schema=EVENTS_SCHEMA)


def accounts_table(blocks: list[Block], timeline: Timeline) -> pa.Table:
    rows = []
    snapshot_us = _us(np.array([timeline.n_days]), np.array([5 * 3_600_000]), timeline)[0]
    for b in blocks:
        a = b.accounts
        keep = np.nonzero(~b.orphan)[0]
        g = a.gidx[keep]
        h = mix64(g.astype(np.uint64) ^ np.uint64(0x5EED))
        name = pc.binary_join_element_wise(
            pa.array(_NAME_A).take(pa.array((h % np.uint64(len(_NAME_A))).astype(np.int64))),
            pa.array(_NAME_B).take(
                pa.array(((h >> np.uint64(8)) % np.uint64(len(_NAME_B))).astype(np.int64))
            ),
            pa.array(_NAME_C).take(
                pa.array(((h >> np.uint64(16)) % np.uint64(len(_NAME_C))).astype(np.int64))
            ),
            " ",
        )
        rows.append(
            pa.Table.from_arrays(
                [
                    account_ids(g),
                    name,
                    pa.array(list(SEGMENTS)).take(pa.array(a.segment[keep])),
                    pa.array(list(INDUSTRIES)).take(pa.array(a.industry[keep])),
                    pa.array(a.employees[keep], pa.int64()),
                    pa.array(list(COUNTRIES)).take(pa.array(a.country[keep])),
                    pa.array(
                        _us(a.created_day[keep], a.created_tod_ms[keep], timeline),
                        pa.timestamp("us"),
                    ),
                    pa.array(np.full(len(keep), snapshot_us), pa.timestamp("us")),
                ],
                schema=ACCOUNTS_SCHEMA,
            )
        )
    return pa.concat_tables(rows)


# the hour (UTC) of the day after a month (or after the last simulated day) when its
# billing rows are loaded
BILLING_LOAD_HOUR = 6


def monthly_table(blocks: list[Block], catalog: Catalog, timeline: Timeline) -> pa.Table:
    n_months = timeline.n_months
    month_days = np.array(
        [
            (month_first(timeline.start_month_abs + m) - dt.date(1970, 1, 1)).days
            for m in range(n_months)
        ],
        dtype=np.int32,
    )
    next_month_day = np.array(
        [
            (month_first(timeline.start_month_abs + m + 1) - timeline.start).days
            for m in range(n_months)
        ]
    )
    load_day = np.minimum(next_month_day, timeline.n_days)
    load_us = _us(load_day, np.full(n_months, BILLING_LOAD_HOUR * 3_600_000), timeline)
    tables = []
    for b in blocks:
        a = b.accounts
        first = np.maximum(a.created_month, 0)
        churned = b.churn_month < n_months
        last = np.where(churned & ~a.zero_rows_after_churn, b.churn_month, n_months)  # exclusive
        last = np.where(b.orphan, first, last)
        counts = np.maximum(last - first, 0)
        acc = np.repeat(np.arange(a.n), counts)
        m = first[acc] + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
        mrr = np.where(m >= b.churn_month[acc], 0.0, a.mrr[acc, m])
        tables.append(
            pa.Table.from_arrays(
                [
                    account_ids(a.gidx[acc]),
                    pa.array(month_days[m], pa.date32()),
                    pa.array(list(catalog.plans)).take(pa.array(a.plan[acc])),
                    pa.array(mrr, pa.float64()),
                    pa.array(load_us[m], pa.timestamp("us")),
                ],
                schema=MONTHLY_SCHEMA,
            )
        )
    return pa.concat_tables(tables)

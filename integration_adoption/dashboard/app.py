"""The Dash app: layout, filters and callbacks over the published marts snapshot.

Every callback opens its own short read-only connection to the snapshot file
and closes it before returning. The snapshot is only ever replaced by a
rename (`snapshot.publish`), so a callback reads either the old file or the
new one, and the next interaction after a publish sees the new data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
from dash import Dash, Input, Output, dash_table, dcc, html

from . import figures, queries
from .queries import ALL, OUTCOMES, Filters

GRAPH_CONFIG = {"displaylogo": False}
SECTION_STYLE = {
    "background": "white",
    "borderRadius": "6px",
    "padding": "8px 12px",
    "boxShadow": "0 1px 3px rgba(0,0,0,0.12)",
}
# Headers and long text wrap, so a table fits its section at 1,400 px without
# scrolling sideways (a cut-off column would hide its header and its text).
TABLE_STYLE = {
    "style_table": {"overflowX": "auto"},
    "style_cell": {
        "fontFamily": "sans-serif",
        "fontSize": "12px",
        "padding": "3px 6px",
        "whiteSpace": "normal",
        "height": "auto",
        "textAlign": "left",
    },
    "style_header": {"fontWeight": "bold", "background": "#f0f0f0", "whiteSpace": "normal"},
}
# the alerts' recommended action is a sentence: it gets the room the others leave
ALERT_TABLE_STYLE = {
    **TABLE_STYLE,
    "style_cell_conditional": [
        {"if": {"column_id": "recommended_action"}, "minWidth": "260px", "width": "30%"},
        {"if": {"column_id": "fired_date"}, "whiteSpace": "nowrap"},
    ],
}


@contextlib.contextmanager
def open_snapshot(path: Path, attempts: int = 10) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the snapshot, retried briefly if it cannot be opened yet."""
    for attempt in range(attempts):
        try:
            con = duckdb.connect(str(path), read_only=True)
            break
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    try:
        yield con
    finally:
        con.close()


def _section(title: str, note: str, *children: object, wide: bool = False) -> html.Div:
    style = {**SECTION_STYLE, "gridColumn": "1 / -1"} if wide else SECTION_STYLE
    return html.Div(
        [html.H3(title, style={"margin": "4px 0"}), html.Small(note), *children], style=style
    )


def _percent_columns(names: list[str]) -> list[dict[str, object]]:
    columns: list[dict[str, object]] = []
    for name in names:
        column: dict[str, object] = {"name": name.replace("_", " "), "id": name}
        if name.endswith(("_rate", "_loss")):
            column.update(type="numeric", format={"specifier": ".1%"})
        columns.append(column)
    return columns


FUNNEL_TABLE_COLUMNS = [
    "integration_key",
    "installed_connections",
    "activation_observable_connections",
    "activated_connections",
    "activation_rate",
    "retained_90d_observable_connections",
    "retained_90d_connections",
    "retention_90d_rate",
    "first_value_loss",
    "durability_loss",
    "leak_diagnosis",
    "funnel_verdict",
]
ALERT_TABLE_COLUMNS = [
    "fired_date",
    "alert_type",
    "severity",
    "account_id",
    "segment",
    "integration_key",
    "evidence_metric",
    "evidence_value",
    "threshold_value",
    "recommended_action",
]


IMPACT_TABLE_COLUMNS = [
    "integration_key",
    "treated_accounts",
    "control_accounts",
    "matched_treated_accounts",
    "matched_control_accounts",
    "lift_points",
    "lift_ci_lower_points",
    "lift_ci_upper_points",
    "robust_ci_lower_points",
    "robust_ci_upper_points",
    "impact_band",
    "is_significant",
    "e_value",
    "e_value_ci",
    "e_value_note",
]
IMPACT_TABLE_HEADERS = {
    "lift_ci_lower_points": "§8 interval lower",
    "lift_ci_upper_points": "§8 interval upper",
    "robust_ci_lower_points": "robust interval lower",
    "robust_ci_upper_points": "robust interval upper",
    "is_significant": "significant (§8)",
    "e_value": "E-value",
    "e_value_ci": "E-value of the interval",
    "e_value_note": "why no E-value",
}


def _impact_columns() -> list[dict[str, object]]:
    columns: list[dict[str, object]] = []
    for name in IMPACT_TABLE_COLUMNS:
        column: dict[str, object] = {
            "name": IMPACT_TABLE_HEADERS.get(name, name.replace("_", " ")),
            "id": name,
        }
        if name.endswith("_points"):
            column.update(type="numeric", format={"specifier": ".1f"})
        elif name.startswith("e_value") and name != "e_value_note":
            column.update(type="numeric", format={"specifier": ".2f"})
        columns.append(column)
    return columns


def impact_table_rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The impact table's rows: largest lift first, a boolean as yes / no."""
    rows = frame.iloc[::-1][IMPACT_TABLE_COLUMNS].astype({"is_significant": object})
    rows["is_significant"] = rows["is_significant"].map({True: "yes", False: "no"})
    return rows.replace({float("nan"): None}).to_dict("records")


def _layout(snapshot: Path, alert_window_days: int, min_observable: int) -> html.Div:
    with open_snapshot(snapshot) as con:
        bounds = queries.bounds(con)
        as_of, published = queries.snapshot_info(con)
        impact_integrations = queries.impact_integrations(con)
    balance_options = [
        {
            "label": f"{bounds.integrations.get(row.integration_key, row.integration_key)} "
            f"({row.matched_treated_accounts} matched adopters)",
            "value": row.integration_key,
        }
        for row in impact_integrations.itertuples()
    ]
    filters = html.Div(
        [
            html.Div(
                [
                    html.Label("Integration"),
                    dcc.Dropdown(
                        id="integration-filter",
                        options=[
                            {"label": name, "value": key}
                            for key, name in bounds.integrations.items()
                        ],
                        value=[],
                        multi=True,
                        placeholder="all integrations",
                    ),
                ],
                style={"flex": "3", "minWidth": "260px"},
            ),
            html.Div(
                [
                    html.Label("Segment"),
                    dcc.RadioItems(
                        id="segment-filter",
                        options=[{"label": ALL, "value": ALL}]
                        + [{"label": segment, "value": segment} for segment in bounds.segments],
                        value=ALL,
                        inline=True,
                        inputStyle={"marginRight": "3px", "marginLeft": "10px"},
                    ),
                ],
                style={"flex": "2", "minWidth": "260px"},
            ),
            html.Div(
                [
                    html.Label("Date range"),
                    dcc.DatePickerRange(
                        id="date-filter",
                        min_date_allowed=bounds.first_date,
                        max_date_allowed=bounds.as_of_date,
                        start_date=bounds.first_date,
                        end_date=bounds.as_of_date,
                        display_format="YYYY-MM-DD",
                    ),
                ],
                style={"flex": "2", "minWidth": "260px"},
            ),
        ],
        style={**SECTION_STYLE, "display": "flex", "gap": "16px", "flexWrap": "wrap"},
    )
    return html.Div(
        [
            html.H2("Integration adoption", style={"margin": "0"}),
            html.P(
                id="snapshot-info",
                children=f"Marts as of {as_of}, snapshot published {published}. "
                "Read-only; the build publishes a new snapshot when it finishes.",
                style={"margin": "2px 0 8px"},
            ),
            filters,
            html.Div(
                [
                    _section(
                        "Adoption funnel",
                        "fct_integration_funnel, month install cohorts starting in the range; "
                        "each rate over its observable connections (right-censored).",
                        dcc.Graph(id="funnel-chart", config=GRAPH_CONFIG),
                        dash_table.DataTable(
                            id="funnel-table",
                            columns=_percent_columns(FUNNEL_TABLE_COLUMNS),
                            page_size=20,
                            sort_action="native",
                            **TABLE_STYLE,
                        ),
                        wide=True,
                    ),
                    _section(
                        "Retention",
                        "fct_retention_cohorts, activation cohorts starting in the range; "
                        f"points from fewer than {min_observable} observable connections are "
                        "hidden; segment does not apply (the mart has no segment).",
                        dcc.Graph(id="retention-chart", config=GRAPH_CONFIG),
                    ),
                    _section(
                        "Cohorts",
                        "fct_retention_cohorts: Σ retained ÷ Σ observable per cell; cells "
                        f"from fewer than {min_observable} observable connections are blank.",
                        dcc.Graph(id="cohort-heatmap", config=GRAPH_CONFIG),
                    ),
                    _section(
                        "Adoption over time",
                        "fct_integration_adoption_daily; segment does not apply (the mart has "
                        "no segment).",
                        dcc.Graph(id="adoption-chart", config=GRAPH_CONFIG),
                        wide=True,
                    ),
                    _section(
                        "Health",
                        "fct_account_health_daily; with an integration filter, the accounts "
                        "with a connection of it. Only the accounts scored on the range's last "
                        "score day: a churned account (no MRR in that month) is not scored and "
                        "has no score for the day.",
                        dcc.Graph(id="health-histogram", config=GRAPH_CONFIG),
                        html.P(id="health-zero-note", style={"margin": "4px 0"}),
                    ),
                    _section(
                        "Account drill-down",
                        "Pick an account (lowest scores first; missing signals named).",
                        dcc.Dropdown(id="account-select", clearable=False),
                        dcc.Graph(id="subscore-chart", config=GRAPH_CONFIG),
                    ),
                    _section(
                        "Account history",
                        "The selected account's score and six sub-scores over the range "
                        "(daily for the recent window, Mondays before it).",
                        dcc.Graph(id="subscore-history", config=GRAPH_CONFIG),
                        wide=True,
                    ),
                    _section(
                        "Open alerts",
                        f"fct_integration_alerts fired in the {alert_window_days} days up to "
                        "the end of the range; the mart records firings, so this is the recent "
                        "queue. Consumers upsert by alert_id.",
                        html.P(id="alerts-summary"),
                        dash_table.DataTable(
                            id="alerts-table",
                            columns=_percent_columns(ALERT_TABLE_COLUMNS),
                            page_size=10,
                            sort_action="native",
                            filter_action="native",
                            **ALERT_TABLE_STYLE,
                        ),
                        wide=True,
                    ),
                    _section(
                        "Impact",
                        "fct_integration_impact: one snapshot at T0, so segment and dates do "
                        "not apply. Correlational: matching evens out only the covariates. "
                        "The §8 interval (dark) is the one is_significant and the band read; "
                        "the robust interval (light, interval_method pooled_variance_floor) "
                        "beside it. E-value: how strongly a factor not matched on would have "
                        "to go with both adoption and the outcome (as a risk ratio) to explain "
                        "the lift away; its interval's, for the limit nearest no effect (1: "
                        "the interval includes no effect).",
                        dcc.RadioItems(
                            id="outcome-select",
                            options=list(OUTCOMES),
                            value=OUTCOMES[0],
                            inline=True,
                            inputStyle={"marginRight": "3px", "marginLeft": "10px"},
                        ),
                        dcc.Graph(id="impact-chart", config=GRAPH_CONFIG),
                        dash_table.DataTable(
                            id="impact-table",
                            columns=_impact_columns(),
                            page_size=20,
                            sort_action="native",
                            **TABLE_STYLE,
                        ),
                        wide=True,
                    ),
                    _section(
                        "Impact: balance",
                        "fct_integration_impact_balance: how far adopters and non-adopters "
                        "differ on each covariate before and after matching (|d| below 0.1 "
                        "is the usual bar; categorical levels balance exactly, numeric "
                        "covariates only within their bins). Integrations by matched adopters.",
                        dcc.Dropdown(
                            id="balance-integration",
                            options=balance_options,
                            value=balance_options[0]["value"] if balance_options else None,
                            clearable=False,
                        ),
                        dcc.Graph(id="balance-chart", config=GRAPH_CONFIG),
                    ),
                    _section(
                        "Impact over T0",
                        "fct_integration_impact_history, the outcome chosen above: the same "
                        "analysis at earlier T0s (§8.1). Steady, growing, or one snapshot's "
                        "accident?",
                        dcc.Graph(id="impact-history-chart", config=GRAPH_CONFIG),
                        wide=True,
                    ),
                ],
                style={
                    "display": "grid",
                    "gridTemplateColumns": "repeat(auto-fit, minmax(520px, 1fr))",
                    "gap": "12px",
                    "marginTop": "12px",
                },
            ),
        ],
        style={
            "fontFamily": "sans-serif",
            "background": "#f5f6f8",
            "padding": "12px 16px",
        },
    )


def _filters(
    integrations: list[str] | None, segment: str | None, start: str | None, end: str | None
) -> Filters:
    return Filters(
        start=dt.date.fromisoformat(str(start)[:10]) if start else dt.date.min,
        end=dt.date.fromisoformat(str(end)[:10]) if end else dt.date.max,
        integrations=tuple(integrations or ()),
        segment=segment or ALL,
    )


def zero_score_note(health: pd.DataFrame) -> str:
    """Why accounts score 0: the signals their scores were computed without."""
    zero = health[health["health_score"] == 0]
    if zero.empty:
        return "No account scores 0 in the range."
    counts = zero["missing_signals"].dropna().str.split(",").explode().value_counts().sort_index()
    missing = ", ".join(
        f"{name.replace('_', ' ')} {count}"
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    return (
        f"{len(zero)} accounts score 0: every signal with data is at its at-risk value. "
        f"Left out of their scores for lack of data (accounts): {missing or 'none'}."
    )


FILTER_INPUTS = [
    Input("integration-filter", "value"),
    Input("segment-filter", "value"),
    Input("date-filter", "start_date"),
    Input("date-filter", "end_date"),
]


def create_app(snapshot: Path, alert_window_days: int = 30, min_observable: int = 20) -> Dash:
    """The dashboard over the snapshot file at `snapshot`.

    Retention points from fewer than `min_observable` observable connections
    are not drawn.
    """
    app = Dash(__name__, title="Integration adoption")
    app.layout = lambda: _layout(snapshot, alert_window_days, min_observable)

    @app.callback(
        Output("funnel-chart", "figure"),
        Output("funnel-table", "data"),
        Output("retention-chart", "figure"),
        Output("cohort-heatmap", "figure"),
        Output("adoption-chart", "figure"),
        Output("health-histogram", "figure"),
        Output("health-zero-note", "children"),
        Output("account-select", "options"),
        Output("account-select", "value"),
        Output("alerts-summary", "children"),
        Output("alerts-table", "data"),
        *FILTER_INPUTS,
    )
    def refresh(integrations, segment, start, end):
        filters = _filters(integrations, segment, start, end)
        with open_snapshot(snapshot) as con:
            names = queries.bounds(con).integrations
            funnel = queries.funnel(con, filters)
            retention = queries.retention_curves(con, filters, min_observable)
            heatmap = queries.cohort_heatmap(con, filters, min_observable)
            adoption = queries.adoption_daily(con, filters)
            health = queries.health_latest(con, filters)
            alerts = queries.open_alerts(con, filters, alert_window_days)
        accounts = [
            {
                "label": f"{row.account_id} · {row.health_score:.0f} ({row.segment})"
                + (
                    f" · missing: {figures.missing_signals_text(row.missing_signals)}"
                    if figures.missing_signals_text(row.missing_signals)
                    else ""
                ),
                "value": row.account_id,
            }
            for row in health.itertuples()
        ]
        # the median account: a typical history, not the emptiest one
        selected = health["account_id"].iloc[len(health) // 2] if len(health) else None
        by_severity = alerts["severity"].value_counts().to_dict() if len(alerts) else {}
        summary = f"{len(alerts)} alerts: " + (
            ", ".join(f"{count} {severity}" for severity, count in sorted(by_severity.items()))
            or "none"
        )
        return (
            figures.funnel(funnel, names),
            funnel[FUNNEL_TABLE_COLUMNS].to_dict("records"),
            figures.retention_curves(retention, names),
            figures.cohort_heatmap(heatmap),
            figures.adoption(adoption),
            figures.health_distribution(health),
            zero_score_note(health),
            accounts,
            selected,
            summary,
            alerts.astype({"fired_date": str})[ALERT_TABLE_COLUMNS].to_dict("records"),
        )

    @app.callback(
        Output("subscore-chart", "figure"),
        Output("subscore-history", "figure"),
        Input("account-select", "value"),
        Input("date-filter", "start_date"),
        Input("date-filter", "end_date"),
    )
    def drill_down(account_id, start, end):
        if not account_id:
            nothing = pd.DataFrame()
            return figures.sub_scores(nothing, "no account"), figures.score_history(
                nothing, "no account"
            )
        filters = _filters(None, None, start, end)
        with open_snapshot(snapshot) as con:
            history = queries.account_history(con, account_id, filters)
        return figures.sub_scores(history, account_id), figures.score_history(history, account_id)

    @app.callback(
        Output("impact-chart", "figure"),
        Output("impact-table", "data"),
        Output("impact-history-chart", "figure"),
        Input("integration-filter", "value"),
        Input("outcome-select", "value"),
    )
    def impact(integrations, outcome):
        filters = _filters(integrations, None, None, None)
        outcome = outcome or OUTCOMES[0]
        with open_snapshot(snapshot) as con:
            names = queries.bounds(con).integrations
            frame = queries.impact(con, filters, outcome)
            history = queries.impact_history(con, filters, outcome)
        return (
            figures.impact(frame, names, outcome),
            impact_table_rows(frame),
            figures.impact_history(history, names, outcome),
        )

    @app.callback(Output("balance-chart", "figure"), Input("balance-integration", "value"))
    def balance(integration):
        if not integration:
            return figures.impact_balance(pd.DataFrame(), "no integration")
        with open_snapshot(snapshot) as con:
            name = queries.bounds(con).integrations.get(integration, integration)
            frame = queries.impact_balance(con, integration)
        return figures.impact_balance(frame, name)

    return app

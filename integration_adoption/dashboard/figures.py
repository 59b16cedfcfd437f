"""Plotly figures of the frames `queries` returns (no SQL here)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .queries import SUB_SCORES

BAND_COLOURS = {"at_risk": "#d62728", "needs_attention": "#ff7f0e", "healthy": "#2ca02c"}
STATE_COLOURS = {"active": "#2ca02c", "failing": "#d62728", "dormant": "#9e9e9e"}
FUNNEL_STAGES = (
    ("setup_rate", "setup completed"),
    ("activation_rate", "activated"),
    ("retention_30d_rate", "retained 30 d"),
    ("retention_90d_rate", "retained 90 d"),
)


# Plotly's toolbar sits in the figure's top right corner: the title goes below it,
# never beside it, so a long title is not covered by the toolbar's icons.
TOOLBAR_PX = 34
TITLE_LINE_PX = 21


def _layout(figure: go.Figure, title: str, subtitle: str = "", **extra: object) -> go.Figure:
    height = int(extra.get("height", 380))  # type: ignore[call-overload]
    title_px = TITLE_LINE_PX * (2 if subtitle else 1)
    settings: dict[str, object] = {
        "title": {
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": 13}},
            "font": {"size": 15},
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": 1 - TOOLBAR_PX / height,
            "yref": "container",
            "yanchor": "top",
        },
        "margin": {"l": 60, "r": 20, "t": TOOLBAR_PX + title_px + 12, "b": 50},
        # on the right, outside the plot: it pushes the margin instead of covering tick labels
        "legend": {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        "xaxis": {"automargin": True},
        "yaxis": {"automargin": True},
        "template": "plotly_white",
        "height": height,
    }
    for axis in ("xaxis", "yaxis"):
        if isinstance(extra.get(axis), dict):
            extra[axis] = {**settings[axis], **extra[axis]}  # type: ignore[dict-item]
    figure.update_layout(**{**settings, **extra})
    return figure


def _empty(title: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text="no data for these filters", showarrow=False, font={"size": 14})
    return _layout(figure, title, xaxis={"visible": False}, yaxis={"visible": False})


def funnel(frame: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    title = "Funnel by integration: share reaching each stage, of the observable connections"
    if frame.empty:
        return _empty(title)
    labels = [names.get(key, key) for key in frame["integration_key"]]
    figure = go.Figure(
        [
            go.Bar(
                name=label,
                x=labels,
                y=frame[column].tolist(),
                hovertemplate="%{x}<br>" + label + ": %{y:.1%}<extra></extra>",
            )
            for column, label in FUNNEL_STAGES
        ]
    )
    return _layout(figure, title, barmode="group", yaxis={"tickformat": ".0%", "range": [0, 1]})


def retention_curves(frame: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    title = "Retention: active in month k after activation (cohorts pooled)"
    if frame.empty:
        return _empty(title)
    figure = go.Figure(
        [
            go.Scatter(
                name=names.get(key, key),
                x=rows["period_number"].tolist(),
                y=rows["retention_rate"].tolist(),
                mode="lines+markers",
                customdata=rows["observable_connections"].tolist(),
                hovertemplate="month %{x}: %{y:.1%} of %{customdata:.0f}<extra>"
                + names.get(key, key)
                + "</extra>",
            )
            for key, rows in frame.groupby("integration_key", sort=True)
        ]
    )
    return _layout(
        figure,
        title,
        height=460,
        xaxis={"title": "months since activation"},
        yaxis={"tickformat": ".0%", "range": [0, 1.02]},
    )


def cohort_heatmap(frame: pd.DataFrame) -> go.Figure:
    title = "Cohorts: retention by activation month"
    if frame.empty:
        return _empty(title)
    grid = frame.pivot(index="cohort_start_date", columns="period_number", values="retention_rate")
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy().tolist(),
            x=[int(k) for k in grid.columns],
            y=[f"{day:%Y-%m}" for day in pd.to_datetime(grid.index)],
            colorscale="Blues",
            zmin=0,
            zmax=1,
            colorbar={"tickformat": ".0%"},
            hovertemplate="cohort %{y}, month %{x}: %{z:.1%}<extra></extra>",
        )
    )
    return _layout(
        figure,
        title,
        xaxis={"title": "months since activation"},
        yaxis={"title": "activation month", "autorange": "reversed", "type": "category"},
    )


def adoption(frame: pd.DataFrame) -> go.Figure:
    title = "Adoption over time: connections active, failing (silent failures) and dormant"
    if frame.empty:
        return _empty(title)
    figure = go.Figure(
        [
            go.Scatter(
                name=state,
                x=frame["activity_date"].astype(str).tolist(),
                y=frame[f"{state}_connections"].tolist(),
                mode="lines",
                stackgroup="states",
                line={"color": colour, "width": 0.5},
            )
            for state, colour in STATE_COLOURS.items()
        ]
    )
    return _layout(figure, title, yaxis={"title": "connections"}, hovermode="x unified")


def health_distribution(frame: pd.DataFrame) -> go.Figure:
    """The accounts scored on the range's last score day; an account not scored on it
    (churned) has no score there and is counted in the title, not in a bar."""
    title = "Health score distribution: the accounts scored on the range's last score day"
    if frame.empty:
        return _empty(title)
    scored = frame[frame["is_scored_on_last_day"]]
    unscored = len(frame) - len(scored)
    last_day = scored["score_date"].max()
    title = f"Health scores: the {len(scored)} accounts scored on {last_day:%Y-%m-%d}"
    subtitle = f"{unscored} scored earlier in the range are not (churned)" if unscored else ""
    figure = go.Figure(
        [
            go.Histogram(
                name=band,
                x=scored.loc[scored["health_band"] == band, "health_score"].tolist(),
                xbins={"start": 0, "end": 100, "size": 5},
                marker_color=colour,
            )
            for band, colour in BAND_COLOURS.items()
        ]
    )
    return _layout(
        figure,
        title,
        subtitle,
        barmode="stack",
        xaxis={"title": "health score", "range": [0, 100]},
        yaxis={"title": "accounts"},
    )


def missing_signals_text(missing: object) -> str:
    """The mart's comma-separated `missing_signals` in words ("" when none is missing)."""
    if missing is None or (isinstance(missing, float) and pd.isna(missing)) or not str(missing):
        return ""
    return ", ".join(name.replace("_", " ") for name in str(missing).split(","))


def sub_scores(history: pd.DataFrame, account_id: str) -> go.Figure:
    title = f"{account_id}: the six sub-scores"
    if history.empty:
        return _empty(title)
    latest = history.iloc[-1]
    missing = missing_signals_text(latest["missing_signals"])
    values = [latest[f"{name}_score"] for name in SUB_SCORES]
    weights = [latest[f"{name}_weight"] for name in SUB_SCORES]
    figure = go.Figure(
        go.Bar(
            x=[name.replace("_", " ") for name in SUB_SCORES],
            y=values,
            text=["missing" if pd.isna(value) else f"{value:.0f}" for value in values],
            textposition="outside",
            customdata=weights,
            hovertemplate="%{x}: %{y:.1f} (weight %{customdata:.2f})<extra></extra>",
            marker_color="#1f77b4",
        )
    )
    return _layout(
        figure,
        f"{title} on {latest['score_date']:%Y-%m-%d}: score {latest['health_score']:.1f} "
        f"({latest['health_band']})",
        subtitle=f"missing, left out of the score: {missing}"
        if missing
        else "every signal has data",
        yaxis={"range": [0, 110], "title": "sub-score"},
    )


def score_history(history: pd.DataFrame, account_id: str) -> go.Figure:
    title = f"{account_id}: health score (grey) and each sub-score over time"
    if history.empty:
        return _empty(title)
    figure = make_subplots(
        rows=2,
        cols=3,
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=[name.replace("_", " ") for name in SUB_SCORES],
        vertical_spacing=0.12,
        horizontal_spacing=0.03,
    )
    dates = history["score_date"].astype(str).tolist()
    for index, name in enumerate(SUB_SCORES):
        row, col = divmod(index, 3)
        figure.add_trace(
            go.Scatter(
                name="health score",
                x=dates,
                y=history["health_score"].tolist(),
                mode="lines",
                line={"width": 2, "color": "#9e9e9e"},
                showlegend=False,
            ),
            row=row + 1,
            col=col + 1,
        )
        figure.add_trace(
            go.Scatter(
                name=name.replace("_", " "),
                x=dates,
                y=history[f"{name}_score"].tolist(),
                mode="lines",
                line={"width": 1.5, "color": "#1f77b4"},
                showlegend=False,
            ),
            row=row + 1,
            col=col + 1,
        )
    figure.update_yaxes(range=[0, 105])
    figure.update_annotations(font_size=12)
    return _layout(figure, title, height=460)


def e_value_text(row: pd.Series) -> str:
    """The E-value beside a lift: the estimate's and its interval's, or why there is none."""
    if pd.isna(row["e_value"]):
        return "E n/a"
    if pd.isna(row["e_value_ci"]):
        return f"E {row['e_value']:.2f}"
    return f"E {row['e_value']:.2f} (interval {row['e_value_ci']:.2f})"


def impact(frame: pd.DataFrame, names: dict[str, str], outcome: str) -> go.Figure:
    """Forest plot: per integration, the naive gap and the matched lift with §8's 95%
    interval (dark) over the robust one (light), the E-values in the axis label."""
    title = f"Impact on {outcome}: matched lift (points) and 95% intervals"
    matched = frame.dropna(subset=["lift_points"])
    if matched.empty:
        return _empty(title)
    labels = [
        f"{names.get(row.integration_key, row.integration_key)} · {e_value_text(row)}"
        for _, row in matched.iterrows()
    ]
    lift = matched["lift_points"]

    def errors(lower: str, upper: str, colour: str, thickness: float) -> dict[str, object]:
        return {
            "type": "data",
            "symmetric": False,
            "array": (matched[upper] - lift).tolist(),
            "arrayminus": (lift - matched[lower]).tolist(),
            "color": colour,
            "thickness": thickness,
            "width": 0,
        }

    figure = go.Figure(
        [
            go.Scatter(
                name="robust interval",
                x=lift.tolist(),
                y=labels,
                mode="markers",
                # a light bar in the legend; on the plot, hidden under the lift's point
                marker={"symbol": "line-ew", "size": 14, "line": {"width": 6, "color": "#aec7e8"}},
                error_x=errors("robust_ci_lower_points", "robust_ci_upper_points", "#aec7e8", 7),
                hoverinfo="skip",
            ),
            go.Scatter(
                name="naive difference",
                x=matched["naive_difference_points"].tolist(),
                y=labels,
                mode="markers",
                marker={"symbol": "diamond-open", "size": 10, "color": "#7f7f7f"},
            ),
            go.Scatter(
                name="matched lift,<br>§8 interval",
                x=lift.tolist(),
                y=labels,
                mode="markers",
                marker={"size": 10, "color": "#1f77b4"},
                error_x=errors("lift_ci_lower_points", "lift_ci_upper_points", "#1f77b4", 2),
                customdata=matched[["matched_treated_accounts", "impact_band", "integration_key"]]
                .assign(note=matched["e_value_note"].fillna(""))
                .to_numpy()
                .tolist(),
                hovertemplate="%{y}: %{x:.1f} points, %{customdata[0]} matched adopters, "
                "%{customdata[1]}<br>%{customdata[3]}<extra></extra>",
            ),
        ]
    )
    figure.add_vline(x=0, line={"color": "#444444", "width": 1})
    return _layout(
        figure,
        title,
        "E: how strong a hidden factor would have to be to explain the lift away",
        height=max(460, 60 + 26 * len(matched)),
        xaxis={"title": "percentage points"},
        yaxis={"title": None},
    )


BALANCE_THRESHOLD = 0.1  # the conventional bar for a standardized mean difference


def balance_label(covariate: str, level: object) -> str:
    if level == "value":
        return covariate
    return f"{covariate} = {'(no value)' if level is None or pd.isna(level) else level}"


def impact_balance(frame: pd.DataFrame, name: str) -> go.Figure:
    """Standardized mean difference per covariate level, before and after matching."""
    title = f"{name}: covariate balance before and after matching"
    if frame.empty:
        return _empty(title)
    labels = [
        balance_label(covariate, level)
        for covariate, level in zip(frame["covariate"], frame["covariate_level"], strict=True)
    ]
    keys = frame[["covariate", "covariate_level"]].to_numpy().tolist()
    figure = go.Figure(
        [
            go.Scatter(
                name=f"{when} matching",
                x=frame[f"standardized_mean_difference_{when}"].tolist(),
                y=labels,
                mode="markers",
                marker=marker,
                customdata=keys,
                hovertemplate="%{y}: %{x:.3f}<extra>" + when + "</extra>",
            )
            for when, marker in (
                ("before", {"symbol": "circle-open", "size": 9, "color": "#7f7f7f"}),
                ("after", {"size": 8, "color": "#1f77b4"}),
            )
        ]
    )
    for x in (-BALANCE_THRESHOLD, BALANCE_THRESHOLD):
        figure.add_vline(x=x, line={"color": "#d62728", "width": 1, "dash": "dash"})
    figure.add_vline(x=0, line={"color": "#444444", "width": 1})
    undrawn = int(frame["standardized_mean_difference_before"].isna().sum())
    subtitle = f"standardized mean difference; dashed: ±{BALANCE_THRESHOLD}"
    if undrawn:
        subtitle += f"; {undrawn} levels without spread not drawn"
    return _layout(
        figure,
        title,
        subtitle,
        height=max(460, 110 + 20 * len(frame)),
        xaxis={"title": "standardized mean difference"},
        yaxis={"title": None, "autorange": "reversed", "type": "category"},
    )


def _message(title: str, message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 14})
    return _layout(figure, title, xaxis={"visible": False}, yaxis={"visible": False})


HISTORY_COLUMNS = 5  # panels per row of the lift over T0


def impact_history(frame: pd.DataFrame | None, names: dict[str, str], outcome: str) -> go.Figure:
    """The matched lift at every T0, a panel per integration: its line and its §8 interval
    as a band, on one shared scale, with the default T0 dotted."""
    title = f"Lift on {outcome} over T0 (points), 95% interval"
    if frame is None:
        return _message(
            title, "history mart not built: fct_integration_impact_history is not in the snapshot"
        )
    keys = sorted(
        frame.dropna(subset=["lift_points"])["integration_key"].unique(),
        key=lambda key: (names.get(key, key), key),
    )
    if not keys:
        return _empty(title)
    columns = min(len(keys), HISTORY_COLUMNS)
    rows_needed = -(-len(keys) // columns)
    figure = make_subplots(
        rows=rows_needed,
        cols=columns,
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=[names.get(key, key) for key in keys],
        vertical_spacing=0.3 / rows_needed,
        horizontal_spacing=0.02,
    )
    for index, key in enumerate(keys):
        row, col = divmod(index, columns)
        rows = frame[frame["integration_key"] == key]
        band = rows.dropna(subset=["lift_ci_lower_points", "lift_ci_upper_points"])
        dates = band["t0_date"].astype(str).tolist()
        figure.add_trace(
            go.Scatter(
                name="95% interval",
                x=dates + dates[::-1],
                y=band["lift_ci_upper_points"].tolist()
                + band["lift_ci_lower_points"].tolist()[::-1],
                mode="lines",
                fill="toself",
                fillcolor="rgba(31,119,180,0.2)",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
            ),
            row=row + 1,
            col=col + 1,
        )
        figure.add_trace(
            go.Scatter(
                name=names.get(key, key),
                x=rows["t0_date"].astype(str).tolist(),
                y=rows["lift_points"].tolist(),
                mode="lines+markers",
                line={"color": "#1f77b4"},
                showlegend=False,
                customdata=rows[["lift_ci_lower_points", "lift_ci_upper_points"]]
                .to_numpy()
                .tolist(),
                hovertemplate="T0 %{x}: %{y:.1f} [%{customdata[0]:.1f}, %{customdata[1]:.1f}]"
                "<extra>" + names.get(key, key) + "</extra>",
            ),
            row=row + 1,
            col=col + 1,
        )
    figure.add_hline(y=0, line={"color": "#444444", "width": 1}, row="all", col="all")
    default = frame.loc[frame["is_default_t0"].fillna(False).astype(bool), "t0_date"]
    if len(default):
        figure.add_vline(
            x=str(default.iloc[0])[:10],
            line={"color": "#7f7f7f", "width": 1, "dash": "dot"},
            row="all",
            col="all",
        )
    figure.update_annotations(font_size=12)
    figure.update_yaxes(matches="y")  # one scale: panels compare at a glance
    return _layout(
        figure,
        title,
        "a panel per integration; dotted: the default T0 (fct_integration_impact)",
        height=max(300, 80 + 170 * rows_needed),
        # room for the top row's panel titles under the subtitle
        margin={"l": 60, "r": 20, "t": TOOLBAR_PX + 2 * TITLE_LINE_PX + 34, "b": 50},
    )

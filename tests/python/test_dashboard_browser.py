"""End to end: the dashboard served over the test warehouse, in headless Chromium.

Starts `python -m integration_adoption.dashboard` on a free loopback port over
a snapshot published from a copy of the test warehouse, drives Debian's
Chromium (installed by scripts/install_chromium.sh, `make chromium`) through
Playwright, and checks every chart holds data, the default view and a filter
give the numbers the marts say, titles, legends and table headers are visible
at 1,400 px, and the account drill-down shows the account's sub-scores and
the signals missing from its score, and the impact section shows each
integration's lift, both intervals and E-values, the balance before and
after matching, and the lift over T0, as the impact marts hold them.
The last test writes the warehouse twice while the page keeps reloading: a
writer holding the lock longer than the dashboard's retries would wait, then
a real `dbt run`. Both must succeed, the page must keep rendering the
published snapshot, and each publish must bring the new numbers to the page.
Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import sync_playwright

from integration_adoption import warm_dbt
from integration_adoption.dashboard.snapshot import publish

from .conftest import NO_JSON, ROOT, TEST_DATABASE, TEST_RAW

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# wide enough to hold every alert, so a rebuild that moves any alert shows in the count
ALERT_WINDOW_DAYS = 1000
# retention points from fewer observable connections are hidden (the dashboard's default)
MIN_OBSERVABLE = 20
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
GRAPHS = (
    "funnel-chart",
    "retention-chart",
    "cohort-heatmap",
    "adoption-chart",
    "health-histogram",
    "subscore-chart",
    "subscore-history",
    "impact-chart",
    "balance-chart",
    "impact-history-chart",
)
# Points per graph: every trace's x (or z) values that are not null.
POINTS_JS = """
(ids) => Object.fromEntries(ids.map(id => {
    const plot = document.querySelector('#' + id + ' .js-plotly-plot');
    const traces = (plot && plot.data) || [];
    const count = values => (values || []).flat().filter(v => v !== null).length;
    return [id, traces.reduce((n, t) => n + count(t.type === 'heatmap' ? t.z : t.y || t.x), 0)];
}))
"""


@dataclass
class Served:
    url: str
    warehouse: Path
    snapshot: Path
    process: subprocess.Popen


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_mid_month(warehouse: Path) -> None:
    """Make the first data day a month's third day, as in the demo data.

    The test data starts on 1 January; the demo data (two years up to
    yesterday) starts on any day, and its first month cohort starts before
    it. Dropping the adoption mart's first two days reproduces that here.
    """
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(
            "delete from marts.fct_integration_adoption_daily where activity_date < ("
            "select min(activity_date) + 2 from marts.fct_integration_adoption_daily)"
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not TEST_DATABASE.exists():
        pytest.fail(f"no warehouse at {TEST_DATABASE}: run `make test-dbt` first")
    folder = tmp_path_factory.mktemp("dashboard")
    warehouse, snapshot = folder / "build.duckdb", folder / "snapshot.duckdb"
    shutil.copyfile(TEST_DATABASE, warehouse)
    _start_mid_month(warehouse)
    publish(warehouse, snapshot)
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "integration_adoption.dashboard",
            "--snapshot",
            str(snapshot),
            "--port",
            str(port),
            "--alert-window-days",
            str(ALERT_WINDOW_DAYS),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        # no IA_DASHBOARD_* variables: the defaults are under test (loopback)
        env={k: v for k, v in os.environ.items() if not k.startswith("IA_DASHBOARD_")},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"dashboard did not start: {(folder / 'server.log').read_text()}")
                time.sleep(0.3)
        yield Served(url, warehouse, snapshot, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser_context():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: run `make chromium` (scripts/install_chromium.sh)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context, served):
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    page.goto(served.url)
    yield page
    page.close()


def points(page) -> dict[str, int]:
    return page.evaluate(POINTS_JS, list(GRAPHS))


def wait_rendered(page) -> dict[str, int]:
    """Wait until every graph holds data points, and return the counts."""
    page.wait_for_function(
        f"() => Object.values(({POINTS_JS})({list(GRAPHS)!r})).every(n => n > 0)"
    )
    return points(page)


def histogram_accounts(page) -> int:
    return page.evaluate(
        "() => document.querySelector('#health-histogram .js-plotly-plot').data"
        ".reduce((n, t) => n + t.x.length, 0)"
    )


def query(warehouse: Path, sql: str, *params: object) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port`, read from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_serves_on_loopback_only_by_default(served):
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, little-endian hex


def test_every_chart_renders_with_data(page, served):
    counts = wait_rendered(page)
    assert all(counts[graph] > 0 for graph in GRAPHS), counts
    assert page.locator("#funnel-table tbody tr td").count() > 0
    assert page.locator("#alerts-table tbody tr td").count() > 0
    # only the accounts scored on the last score day (a churned account has no score)
    accounts = query(
        served.warehouse,
        "select count(*) from marts.fct_account_health_daily "
        "where score_date = (select max(score_date) from marts.fct_account_health_daily)",
    )[0][0]
    assert histogram_accounts(page) == accounts
    page.screenshot(path=SCREENSHOTS / "dashboard_full.png", full_page=True)


def test_segment_filter_changes_the_numbers_to_the_marts(page, served):
    wait_rendered(page)
    everyone = histogram_accounts(page)
    page.locator("#segment-filter label", has_text="enterprise").click()
    expected_accounts = query(
        served.warehouse,
        "select count(*) from marts.fct_account_health_daily where segment = 'enterprise' "
        "and score_date = (select max(score_date) from marts.fct_account_health_daily)",
    )[0][0]
    page.wait_for_function(
        "(n) => document.querySelector('#health-histogram .js-plotly-plot').data"
        ".reduce((k, t) => k + t.x.length, 0) === n",
        arg=expected_accounts,
    )
    assert expected_accounts < everyone
    # the funnel table's first row against the mart's enterprise roll-up
    first = page.locator("#funnel-table tbody tr").filter(has=page.locator("td")).first
    integration = first.locator("td[data-dash-column='integration_key']").inner_text()
    installed = first.locator("td[data-dash-column='installed_connections']").inner_text()
    expected_installed = query(
        served.warehouse,
        "select installed_connections from marts.fct_integration_funnel "
        "where cohort_grain = 'month' and install_cohort = 'all' and segment = 'enterprise' "
        "and integration_key = ?",
        integration.strip(),
    )[0][0]
    assert int(installed) == expected_installed
    page.screenshot(path=SCREENSHOTS / "dashboard_enterprise.png", full_page=True)


def test_account_drilldown_shows_the_six_sub_scores_and_history(page, served):
    wait_rendered(page)
    account, score_date, *sub_scores = query(
        served.warehouse,
        """
        select account_id, score_date, activation_depth_score, usage_volume_score,
            health_status_score, frequency_score, sophistication_score, growth_score
        from marts.fct_account_health_daily
        qualify row_number() over (partition by account_id order by score_date desc) = 1
        order by health_score desc, account_id
        limit 1
        """,
    )[0]
    history_rows = query(
        served.warehouse,
        "select count(*) from marts.fct_account_health_daily where account_id = ?",
        account,
    )[0][0]
    page.locator("#account-select").click()
    page.locator("input.dash-dropdown-search").fill(account)
    page.locator(".dash-dropdown-option", has_text=account).first.click()
    page.wait_for_function(
        "(a) => document.querySelector('#subscore-chart .gtitle')?.textContent.includes(a)",
        arg=account,
    )
    shown = page.evaluate(
        "() => document.querySelector('#subscore-chart .js-plotly-plot').data[0].y"
    )
    assert len(shown) == 6
    for value, expected in zip(shown, sub_scores, strict=True):
        assert value == (None if expected is None else pytest.approx(expected))
    assert str(score_date) in (page.locator("#subscore-chart .gtitle").text_content() or "")
    history = page.evaluate(
        "() => document.querySelector('#subscore-history .js-plotly-plot').data[0].x.length"
    )
    assert history == history_rows
    page.locator("#subscore-chart").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "dashboard_drilldown.png", full_page=True)


def _table(page, table: str, columns: list[str]) -> list[tuple[str, ...]]:
    rows = page.locator(f"#{table} tbody tr").filter(has=page.locator("td"))
    return [
        tuple(
            row.locator(f"td[data-dash-column='{column}']").inner_text().strip()
            for column in columns
        )
        for row in rows.all()
    ]


FUNNEL_COUNTS = [
    "installed_connections",
    "activation_observable_connections",
    "activated_connections",
    "retained_90d_observable_connections",
    "retained_90d_connections",
]


def test_default_view_equals_the_marts_all_rows(page, served):
    """No filter touched: every funnel count and retention point is the mart's `all` row."""
    wait_rendered(page)
    first_day, first_cohort = query(
        served.warehouse,
        "select (select min(activity_date) from marts.fct_integration_adoption_daily), "
        "(select min(cohort_start_date) from marts.fct_integration_funnel)",
    )[0]
    assert first_cohort < first_day  # the case the default range must not cut
    shown = {
        row[0]: row[1:] for row in _table(page, "funnel-table", ["integration_key", *FUNNEL_COUNTS])
    }
    expected = {
        key: tuple(str(value) for value in values)
        for key, *values in query(
            served.warehouse,
            f"select integration_key, {', '.join(FUNNEL_COUNTS)} from marts.fct_integration_funnel "
            "where cohort_grain = 'month' and install_cohort = 'all' and segment = 'all' "
            "and integration_key != 'all'",
        )
    }
    assert shown == expected

    names = dict(
        query(served.warehouse, "select display_name, integration_key from marts.dim_integrations")
    )
    curves = page.evaluate(
        "() => document.querySelector('#retention-chart .js-plotly-plot').data"
        ".map(t => [t.name, t.x, t.y])"
    )
    drawn = {
        (names[name], int(k)): rate
        for name, xs, ys in curves
        for k, rate in zip(xs, ys, strict=True)
    }
    mart = {
        (key, k): (observable, rate)
        for key, k, observable, rate in query(
            served.warehouse,
            "select integration_key, period_number, observable_connections, retention_rate "
            "from marts.fct_retention_cohorts where period_grain = 'month' "
            "and activation_cohort = 'all' and integration_key != 'all'",
        )
    }
    # every point from at least MIN_OBSERVABLE observable connections, and only those
    reliable = {point for point, (observable, _) in mart.items() if observable >= MIN_OBSERVABLE}
    assert set(drawn) == reliable
    assert len(reliable) < sum(1 for observable, _ in mart.values() if observable > 0)
    for point, rate in drawn.items():
        assert rate == pytest.approx(mart[point][1])


BOX_JS = "e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; }"


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (
        inner[0] >= outer[0] - 0.5
        and inner[1] >= outer[1] - 0.5
        and inner[2] <= outer[2] + 0.5
        and inner[3] <= outer[3] + 0.5
    )


def test_titles_legends_and_headers_are_visible_at_1400_px(page):
    """Nothing covers a chart's title or tick labels, and no table hides a column."""
    assert page.viewport_size == {"width": 1400, "height": 1000}
    wait_rendered(page)
    for graph in GRAPHS:
        plot = page.locator(f"#{graph} .js-plotly-plot")
        frame = plot.evaluate(BOX_JS)
        title = plot.locator(".g-gtitle").evaluate(BOX_JS)
        toolbar = plot.locator(".modebar").evaluate(BOX_JS)
        assert title[2] > title[0], f"{graph}: no title"
        assert _inside(title, frame), f"{graph}: title {title} clipped by {frame}"
        assert not _overlap(title, toolbar), f"{graph}: title {title} under toolbar {toolbar}"
        legends = [box.evaluate(BOX_JS) for box in plot.locator(".legend").all()]
        labels = [
            label.evaluate(BOX_JS)
            for label in plot.locator(".xtick text, .ytick text").all()
            if label.text_content()
        ]
        for box in [*legends, *labels]:
            assert _inside(box, frame), f"{graph}: {box} clipped by {frame}"
            assert not _overlap(box, title), f"{graph}: {box} covers the title"
        for legend in legends:
            for label in labels:
                assert not _overlap(legend, label), f"{graph}: legend covers a tick label"
    for table in ("funnel-table", "alerts-table", "impact-table"):
        container = page.locator(f"#{table} .dash-spreadsheet-container")
        width, visible = container.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert width <= visible, f"{table} scrolls sideways: {width} > {visible} px"
        frame = container.evaluate(BOX_JS)
        headers = container.locator("th.dash-header").all()
        assert headers
        for header in headers:
            assert header.inner_text().strip(), f"{table}: a column without a header"
            assert _inside(header.evaluate(BOX_JS), frame), f"{table}: header cut off"


def test_a_zero_score_names_the_signals_it_was_computed_without(page, served):
    wait_rendered(page)
    latest = query(
        served.warehouse,
        "select account_id, health_score, missing_signals from marts.fct_account_health_daily "
        "qualify row_number() over (partition by account_id order by score_date desc) = 1 "
        "order by account_id",
    )
    zero_accounts = [row for row in latest if row[1] == 0]
    zero = [(account, missing) for account, _, missing in zero_accounts if missing]
    assert zero, "the test data has accounts scoring 0 with signals missing"
    note = page.locator("#health-zero-note").inner_text()
    assert note.startswith(f"{len(zero_accounts)} accounts score 0")
    account, missing = zero[0]
    page.locator("#account-select").click()
    page.locator("input.dash-dropdown-search").fill(account)
    option = page.locator(".dash-dropdown-option", has_text=account).first
    words = [name.replace("_", " ") for name in missing.split(",")]
    assert f"missing: {', '.join(words)}" in option.inner_text()
    option.click()
    page.wait_for_function(
        "(a) => document.querySelector('#subscore-chart .gtitle')?.textContent.includes(a)",
        arg=account,
    )
    subtitle = page.locator("#subscore-chart .g-gtitle").text_content() or ""
    assert f"missing, left out of the score: {', '.join(words)}" in subtitle
    page.locator("#subscore-chart").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "dashboard_zero_score.png", full_page=True)


IMPACT_POINTS = [
    "lift_points",
    "lift_ci_lower_points",
    "lift_ci_upper_points",
    "robust_ci_lower_points",
    "robust_ci_upper_points",
]
IMPACT_TABLE = [*IMPACT_POINTS, "is_significant", "e_value", "e_value_ci", "e_value_note"]


def _impact_mart(warehouse: Path, outcome: str) -> dict[str, dict[str, object]]:
    rows = query(
        warehouse,
        "select integration_key, lift_points, lift_ci_lower_points, lift_ci_upper_points, "
        "robust_ci_lower * 100, robust_ci_upper * 100, is_significant, e_value, e_value_ci, "
        "e_value_note from marts.fct_integration_impact where outcome = ?",
        outcome,
    )
    return {key: dict(zip(IMPACT_TABLE, values, strict=True)) for key, *values in rows}


def _shown(value: object, digits: int) -> str:
    """A mart value as the impact table prints it (empty when null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def test_impact_shows_the_marts_lift_intervals_and_e_values(page, served):
    """Per outcome: the forest plot's points and both intervals, the E-value beside each
    lift, and the table's numbers (the note where the E-value is null) are the mart's."""
    wait_rendered(page)
    names = dict(
        query(served.warehouse, "select integration_key, display_name from marts.dim_integrations")
    )
    notes_seen = 0
    for outcome in ("retained", "nrr", "expanded"):
        page.locator("#outcome-select label", has_text=outcome).click()
        page.wait_for_function(
            "(o) => document.querySelector('#impact-chart .gtitle')?.textContent"
            ".startsWith('Impact on ' + o + ':')",
            arg=outcome,
        )
        mart = _impact_mart(served.warehouse, outcome)
        traces = page.evaluate(
            "() => Object.fromEntries(document.querySelector('#impact-chart .js-plotly-plot').data"
            ".map(t => [t.name, {x: t.x, y: t.y, key: (t.customdata || []).map(c => c[2]),"
            " up: t.error_x && t.error_x.array, down: t.error_x && t.error_x.arrayminus}]))"
        )
        lift, robust = traces["matched lift,<br>§8 interval"], traces["robust interval"]
        drawn = {key for key, row in mart.items() if row["lift_points"] is not None}
        assert set(lift["key"]) == drawn and len(lift["key"]) == len(drawn)
        for index, key in enumerate(lift["key"]):
            row, x = mart[key], lift["x"][index]
            assert x == pytest.approx(row["lift_points"])
            assert x + lift["up"][index] == pytest.approx(row["lift_ci_upper_points"])
            assert x - lift["down"][index] == pytest.approx(row["lift_ci_lower_points"])
            assert robust["x"][index] == pytest.approx(row["lift_points"])
            assert x + robust["up"][index] == pytest.approx(row["robust_ci_upper_points"])
            assert x - robust["down"][index] == pytest.approx(row["robust_ci_lower_points"])
            e_value = "E n/a" if row["e_value"] is None else f"E {row['e_value']:.2f}"
            label = lift["y"][index]
            assert label.startswith(f"{names[key]} · {e_value}"), (label, row)
            if row["e_value_ci"] is not None:
                assert label.endswith(f"(interval {row['e_value_ci']:.2f})"), (label, row)

        shown = {
            row[0]: row[1:]
            for row in _table(page, "impact-table", ["integration_key", *IMPACT_TABLE])
        }
        expected = {
            key: tuple(
                _shown(row[column], 2 if column.startswith("e_value") else 1)
                for column in IMPACT_TABLE
            )
            for key, row in mart.items()
        }
        # d3-format writes a minus sign (U+2212)
        assert {
            key: tuple(v.replace("\u2212", "-") for v in row) for key, row in shown.items()
        } == (expected)
        notes_seen += sum(1 for row in mart.values() if row["e_value"] is None)
    assert notes_seen, "the test data has a lift without an E-value, and its note"
    page.locator("#impact-chart").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "dashboard_impact.png", full_page=True)


def test_balance_plot_is_the_marts_difference_before_and_after_matching(page, served):
    wait_rendered(page)
    # not the default (most matched adopters) one: the selection must reach the chart
    key, name = query(
        served.warehouse,
        "select impact.integration_key, integrations.display_name "
        "from marts.fct_integration_impact as impact "
        "inner join marts.dim_integrations as integrations using (integration_key) "
        "where impact.outcome = 'retained' "
        "order by impact.matched_treated_accounts desc, impact.integration_key limit 1 offset 1",
    )[0]
    page.locator("#balance-integration").click()
    page.locator("input.dash-dropdown-search").fill(name)
    page.locator(".dash-dropdown-option", has_text=name).first.click()
    page.wait_for_function(
        "(n) => document.querySelector('#balance-chart .gtitle')?.textContent.startsWith(n + ':')",
        arg=name,
    )
    mart = {
        (covariate, level): (before, after)
        for covariate, level, before, after in query(
            served.warehouse,
            "select covariate, covariate_level, standardized_mean_difference_before, "
            "standardized_mean_difference_after from marts.fct_integration_impact_balance "
            "where integration_key = ?",
            key,
        )
    }
    traces = page.evaluate(
        "() => Object.fromEntries(document.querySelector('#balance-chart .js-plotly-plot').data"
        ".map(t => [t.name, t.customdata.map((c, i) => [c[0], c[1], t.x[i]])]))"
    )
    assert set(traces) == {"before matching", "after matching"}
    assert mart and any(before is not None and abs(before) > 0.1 for before, _ in mart.values())
    for index, when in enumerate(("before", "after")):
        drawn = {(covariate, level): x for covariate, level, x in traces[f"{when} matching"]}
        assert set(drawn) == set(mart)
        for point, x in drawn.items():
            expected = mart[point][index]
            assert x == (None if expected is None else pytest.approx(expected)), (when, point)
    references = page.evaluate(
        "() => document.querySelector('#balance-chart .js-plotly-plot').layout.shapes"
        ".filter(s => s.line && s.line.dash === 'dash').map(s => s.x0)"
    )
    assert sorted(references) == [-0.1, 0.1]
    page.locator("#balance-chart").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "dashboard_balance.png", full_page=True)


def test_lift_over_t0_is_the_history_marts(page, served):
    """Per outcome, a panel per integration: the lift at each T0 and its §8 interval as
    fct_integration_impact_history holds them, and the default T0 dotted."""
    wait_rendered(page)
    names = dict(
        query(served.warehouse, "select integration_key, display_name from marts.dim_integrations")
    )
    for outcome in ("nrr", "retained"):
        page.locator("#outcome-select label", has_text=outcome).click()
        page.wait_for_function(
            "(o) => document.querySelector('#impact-history-chart .gtitle')?.textContent"
            ".startsWith('Lift on ' + o + ' ')",
            arg=outcome,
        )
        mart: dict[str, list[tuple]] = {}
        for key, t0, lift, lower, upper in query(
            served.warehouse,
            "select integration_key, cast(t0_date as varchar), lift_points, "
            "lift_ci_lower_points, lift_ci_upper_points "
            "from marts.fct_integration_impact_history where outcome = ? "
            "and lift_points is not null order by integration_key, t0_date",
            outcome,
        ):
            mart.setdefault(names[key], []).append((t0, lift, lower, upper))
        plot = "document.querySelector('#impact-history-chart .js-plotly-plot')"
        lines = page.evaluate(
            f"() => {plot}.data.filter(t => t.mode === 'lines+markers')"
            ".map(t => [t.name, t.x, t.y, t.customdata])"
        )
        drawn = {
            name: [(x[:10], y, low, high) for x, y, (low, high) in zip(xs, ys, bounds, strict=True)]
            for name, xs, ys, bounds in lines
        }
        assert mart and set(drawn) == set(mart)
        for name, points in mart.items():
            assert [p[0] for p in drawn[name]] == [p[0] for p in points], name
            for got, expected in zip(drawn[name], points, strict=True):
                assert got[1:] == pytest.approx(expected[1:]), (name, got, expected)
        (default_t0,) = query(
            served.warehouse,
            "select distinct cast(t0_date as varchar) from marts.fct_integration_impact",
        )[0]
        dotted = page.evaluate(
            f"() => {plot}.layout.shapes.filter(s => s.line && s.line.dash === 'dot')"
            ".map(s => String(s.x0).slice(0, 10))"
        )
        assert dotted and set(dotted) == {default_t0}
    page.locator("#impact-history-chart").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "dashboard_impact_history.png", full_page=True)


def _alerts_shown(page) -> int:
    return int(page.locator("#alerts-summary").inner_text().split()[0])


# between two reloads while a writer runs: reloading back to back kept the browser
# and the server on a core the writer (a dbt run on two threads) needed
RELOAD_PAUSE_SECONDS = 2


def _reload_while_running(page, process: subprocess.Popen | warm_dbt.WarmProcess) -> int:
    """Reload the page until `process` ends; return the renders completed while it ran."""
    renders = 0
    while process.poll() is None:
        page.reload()
        counts = wait_rendered(page)
        if process.poll() is None:
            assert all(counts[graph] > 0 for graph in GRAPHS), counts
            renders += 1
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=RELOAD_PAUSE_SECONDS)
    return renders


def _publish_and_reload(page, served: Served) -> int:
    publish(served.warehouse, served.snapshot)
    page.reload()
    wait_rendered(page)
    return _alerts_shown(page)


# A writer that holds the warehouse's write lock for longer than the
# dashboard's retries would wait (a long build step), rewriting one mart.
HOLD_SECONDS = 12
LONG_WRITE = f"""
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute(
    "create or replace table marts.fct_integration_alerts as "
    "select * from marts.fct_integration_alerts where alert_type != 'abandonment'"
)
print("writing", flush=True)
time.sleep({HOLD_SECONDS})
con.close()
"""


def test_builds_write_the_warehouse_while_the_dashboard_serves(page, served):
    """Neither waits for the other; the page changes only when a snapshot is published."""
    wait_rendered(page)
    before = _alerts_shown(page)
    total = query(served.warehouse, "select count(*) from marts.fct_integration_alerts")[0][0]
    assert before == total

    # 1. a long write holds the lock: the page keeps rendering the published snapshot
    writer = subprocess.Popen(
        [sys.executable, "-c", LONG_WRITE, str(served.warehouse)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        assert _reload_while_running(page, writer) >= 1
        assert _alerts_shown(page) == before
    finally:
        output, _ = writer.communicate(timeout=120)
    assert writer.returncode == 0, output
    rewritten = query(served.warehouse, "select count(*) from marts.fct_integration_alerts")[0][0]
    assert rewritten < total
    info_before = page.locator("#snapshot-info").inner_text()
    assert _publish_and_reload(page, served) == rewritten
    published = query(served.snapshot, "select published_at from dashboard_meta.snapshot")[0][0]
    info = page.locator("#snapshot-info").inner_text()
    assert f"{published:%Y-%m-%d %H:%M:%S}" in info and info != info_before

    # 2. a real dbt run rebuilds the mart from its inputs while the page reloads
    target = served.warehouse.parent / "target"
    build = warm_dbt.popen(
        [
            str(Path(sys.executable).parent / "dbt"),
            "run",
            "--quiet",
            *NO_JSON,
            "--select",
            "fct_integration_alerts",
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DBT_PROFILES_DIR": str(ROOT),
            "IA_DUCKDB_PATH": str(served.warehouse),
            "IA_RAW_DATA_PATH": str(TEST_RAW),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _reload_while_running(page, build) >= 1
        assert _alerts_shown(page) == rewritten
    finally:
        output, _ = build.communicate(timeout=300)
    assert build.returncode == 0, output
    assert _publish_and_reload(page, served) == total

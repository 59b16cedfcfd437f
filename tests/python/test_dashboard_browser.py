"""End to end: the dashboard served over the test warehouse, in headless Chromium.

Starts `python -m integration_adoption.dashboard` on a free loopback port over
a snapshot published from a copy of the test warehouse, drives Debian's
Chromium (installed by scripts/install_chromium.sh, `make chromium`) through
Playwright, and checks every chart holds data, a filter changes the numbers to
what the marts say, and the account drill-down shows the account's sub-scores.
The last test writes the warehouse twice while the page keeps reloading: a
writer holding the lock longer than the dashboard's retries would wait, then
a real `dbt run`. Both must succeed, the page must keep rendering the
published snapshot, and each publish must bring the new numbers to the page.
Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

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

from integration_adoption.dashboard.snapshot import publish

from .conftest import ROOT, TEST_DATABASE, TEST_RAW

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


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not TEST_DATABASE.exists():
        pytest.fail(f"no warehouse at {TEST_DATABASE}: run `make test-dbt` first")
    folder = tmp_path_factory.mktemp("dashboard")
    warehouse, snapshot = folder / "build.duckdb", folder / "snapshot.duckdb"
    shutil.copyfile(TEST_DATABASE, warehouse)
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


def _alerts_shown(page) -> int:
    return int(page.locator("#alerts-summary").inner_text().split()[0])


def _reload_while_running(page, process: subprocess.Popen) -> int:
    """Reload the page until `process` ends; return the renders completed while it ran."""
    renders = 0
    while process.poll() is None:
        page.reload()
        counts = wait_rendered(page)
        if process.poll() is None:
            assert all(counts[graph] > 0 for graph in GRAPHS), counts
            renders += 1
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
    build = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dbt"),
            "run",
            "--quiet",
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

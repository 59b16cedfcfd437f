"""Per-statement times from dbt's debug log: each statement with its own
thread's time, its SQL only up to the next logged line, dbt's comment left
out of its head."""

from __future__ import annotations

from integration_adoption.benchmarks.statement_times import statements

ESC = "\x1b[0m"
# two threads interleaved, as dbt logs them: thread 2's test starts and ends
# while thread 1's model runs; the model's SQL spans lines without a timestamp
LOG = [
    f'{ESC}01:00:00.000001 [debug] [Thread-1 (]: On model.p.a: /* {{"app": "dbt"}} */\n',
    "\n",
    "  create table a as (\n",
    "    select 1\n",
    "  )\n",
    f"{ESC}01:00:00.100000 [debug] [Thread-2 (]: On test.p.t_b: select count(*) from b\n",
    f"{ESC}01:00:00.150000 [debug] [Thread-1 (]: Writing runtime sql for node a\n",
    "  (a message of several lines: none of it belongs to a statement)\n",
    f"{ESC}01:00:00.200000 [debug] [Thread-2 (]: SQL status: OK in 0.250 seconds\n",
    f"{ESC}01:00:01.000000 [debug] [Thread-1 (]: SQL status: OK in 1.500 seconds\n",
    f"{ESC}01:00:01.100000 [debug] [Thread-1 (]: On model.p.a: COMMIT\n",
    f"{ESC}01:00:01.200000 [debug] [Thread-1 (]: SQL status: OK in 0.010 seconds\n",
    "01:00:02.000000 [info ] [MainThread]: Finished running 1 model\n",
]


def test_each_statement_gets_its_own_threads_time():
    found = [(s.node, s.head, s.seconds) for s in statements(LOG)]
    assert found == [
        ("test.p.t_b", "select count(*) from b", 0.25),
        ("model.p.a", "create table a as ( select 1 )", 1.5),
        ("model.p.a", "COMMIT", 0.01),
    ]


def test_a_status_without_a_statement_of_its_thread_is_skipped():
    lonely = [f"{ESC}01:00:00.200000 [debug] [Thread-3 (]: SQL status: OK in 9.000 seconds\n"]
    assert list(statements(lonely)) == []

"""`make help` lists every target of the Makefile (README: the two commands, then `make help`)."""

from __future__ import annotations

import re
import subprocess

from .conftest import ROOT

# a rule's targets: a line starting with a name and one colon (not `:=`)
RULE = re.compile(r"^([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)*)\s*:(?!=)", re.MULTILINE)


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return {
        name for match in RULE.finditer(text) for name in match.group(1).split() if name != "PHONY"
    }


def test_make_help_lists_every_target() -> None:
    listed = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    named = set(re.findall(r"^\s*make ([\w-]+)", listed, re.MULTILINE))
    targets = makefile_targets()
    assert len(targets) > 20
    assert targets - named == set(), "targets missing from make help"
    assert named - targets == set(), "make help names a target the Makefile lacks"

"""The README's examples are run as written, so the docs stay honest."""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from etl.dates import resolve

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_shell_example_of_the_date_cli():
    block = re.search(
        r"\$ echo \"([^\"]+)\" \| \.venv/bin/python -m etl\.dates (.+)\n(.+)\n", README
    )
    text, args, shown = block.groups()
    out = subprocess.run(
        [sys.executable, "-m", "etl.dates", *args.split()],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == shown


def test_python_example_of_resolve():
    [expr] = resolve("Eleven fighters were killed last Saturday evening.", date(2021, 1, 25))
    shown = f"start_char={expr.start_char}, end_char={expr.end_char}, text='{expr.text}'"
    assert shown in README
    assert f"start=date({expr.start.year}, {expr.start.month}, {expr.start.day})" in README


def test_readme_opens_with_the_two_commands():
    head = README.split("## Running the ETL")[0]
    assert "make run" in head and "make test" in head

"""`sortie-dashboard users add` and `sortie-review export-gold` from the command line."""

from __future__ import annotations

import subprocess
import sys

from dashboard.__main__ import main as dashboard_main
from dashboard.review.store import ReviewStore, User


def test_users_add_with_password_and_list(tmp_path, capsys):
    assert (
        dashboard_main(
            [
                "users",
                "add",
                "ana",
                "--role",
                "editor",
                "--data",
                str(tmp_path),
                "--password",
                "long enough pw",
            ]
        )
        == 0
    )
    assert ReviewStore.of(tmp_path).authenticate("ana", "long enough pw") == User("ana", "editor")
    assert dashboard_main(["users", "list", "--data", str(tmp_path)]) == 0
    assert "ana\teditor" in capsys.readouterr().out


def test_users_add_prompts_twice(tmp_path, monkeypatch):
    answers = iter(["typed secret 1", "typed secret 1"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert dashboard_main(["users", "add", "bob", "--data", str(tmp_path)]) == 0
    assert ReviewStore.of(tmp_path).authenticate("bob", "typed secret 1") == User("bob", "viewer")


def test_users_add_refuses_bad_input(tmp_path, monkeypatch, capsys):
    answers = iter(["first try 123", "second try 123"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert dashboard_main(["users", "add", "bob", "--data", str(tmp_path)]) == 2
    assert "differ" in capsys.readouterr().err
    assert dashboard_main(["users", "add", "bob", "--data", str(tmp_path), "--password", "x"]) == 2
    assert "8 to" in capsys.readouterr().err


def test_export_gold_without_a_store_says_so(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.review.cli", "export-gold", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "nothing reviewed" in out.stderr and out.stdout == ""

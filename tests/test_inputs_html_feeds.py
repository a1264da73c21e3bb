"""HTML pages, RSS/Atom feeds and feed URLs as inputs (fixtures only, no network)."""

import functools
import http.server
import json
import shutil
import socket
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.cli import main
from etl.html_input import html_to_text
from etl.sources import read_sources

FIXTURES = Path(__file__).parent / "fixtures"


def table(data, name):
    return pq.read_table(data / f"{name}.parquet").to_pylist()


def test_html_page_main_text_title_url_and_date():
    [art] = read_sources([FIXTURES / "kirkuk_strike.html"])
    assert art.status == "ok", art.error
    assert art.title == "Iraqi jets kill four ISIS militants near Kirkuk"
    assert art.url == "https://wire.example.org/iraq/kirkuk-strike"
    assert art.source == "Example Wire"
    assert art.meta_published == "2024-10-15"  # published, not modified
    assert "Laylan area of Kirkuk" in art.text and "found the bodies" in art.text
    for furniture in ("Cookie policy", "Most read", "Subscribe", "Sport", "Oil prices"):
        assert furniture not in art.text


def test_html_sidecar_overrides_page_metadata(tmp_path):
    shutil.copy(FIXTURES / "kirkuk_strike.html", tmp_path / "page.html")
    (tmp_path / "page.meta.json").write_text(
        json.dumps({"source": "Desk", "published": "2024-10-16"})
    )
    [art] = read_sources([tmp_path])
    assert (art.source, art.meta_published) == ("Desk", "2024-10-16")
    assert art.title == "Iraqi jets kill four ISIS militants near Kirkuk"


def test_rss_entries_are_articles():
    arts = list(read_sources([FIXTURES / "iraq_news.rss"]))
    assert [a.origin for a in arts] == [
        "iraq_news.rss#https://desk.example.org/?p=101",
        "iraq_news.rss#https://desk.example.org/?p=102",
    ]
    bomb = arts[0]
    assert bomb.source == "Example Iraq Desk" and bomb.meta_published == "2022-05-09"
    assert bomb.url == "https://desk.example.org/2022/05/sadr-city-bomb"
    assert bomb.title == "Car bomb kills five in Baghdad's Sadr City"
    assert "killing five civilians" in bomb.text and "<p>" not in bomb.text
    assert "No group claimed" in bomb.text


def test_atom_prefers_content_over_summary():
    [art] = read_sources([FIXTURES / "kurdistan.atom"])
    assert "killing two PKK fighters" in art.text and "teaser" not in art.text
    assert art.meta_published == "2023-11-14" and art.source == "Example Kurdistan Atom"
    assert art.origin == "kurdistan.atom#urn:example:kurdistan:1"


def test_not_a_feed_is_a_failed_article():
    [art] = read_sources([FIXTURES / "not_a_feed.xml"])
    assert art.status == "failed" and "not a readable RSS/Atom feed" in art.error


def test_html_to_text_keeps_blocks_drops_scripts():
    html = "<p>One &amp; two</p><script>x()</script><ul><li>three</li></ul>four"
    assert html_to_text(html) == "One & two\nthree\nfour"


def test_directory_run_reads_all_input_types(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["run", str(FIXTURES), "--data", str(data), "--quiet", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "6 articles read, 4 ok, 1 failed, 3 events written" in err
    events = table(data, "events")
    assert sorted((e["event_type"], e["admin1"], e["killed"]) for e in events) == [
        ("airstrike", "Kirkuk", 4),
        ("airstrike", "Nineveh", 2),
        ("bombing", "Baghdad", 5),
    ]
    urls = {u for e in events for u in e["urls"]}
    assert "https://wire.example.org/iraq/kirkuk-strike" in urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    """Serves tests/fixtures on 127.0.0.1; yields (base_url, stop)."""
    handler = functools.partial(Quiet, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stopped = []

    def stop():
        if not stopped:
            server.shutdown()
            server.server_close()
            stopped.append(True)

    yield f"http://127.0.0.1:{server.server_address[1]}", stop
    stop()


def test_unreachable_url_is_a_failed_article_not_fatal(tmp_path, capsys):
    url = f"http://127.0.0.1:{free_port()}/feed.rss"
    data = tmp_path / "data"
    args = ["run", url, str(FIXTURES / "kurdistan.atom"), "--data", str(data), "--quiet"]
    assert main(args) == 0
    arts = {a["origin"]: a for a in table(data, "articles")}
    assert arts[url]["status"] == "failed"
    assert url in arts[url]["error"] and "refused" in arts[url]["error"].lower()
    assert len(table(data, "events")) == 1


def test_feed_url_incremental_and_outage(tmp_path, feed_server, capsys):
    base, stop = feed_server
    url = f"{base}/iraq_news.rss"
    data = tmp_path / "data"
    run = ["run", url, "--data", str(data), "--quiet"]
    assert main(run) == 0
    assert "2 new, 0 updated, 0 unchanged" in capsys.readouterr().err
    assert main(run) == 0  # fetched again: nothing new
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().err
    missing = ["run", f"{base}/nope.rss", "--data", str(data), "--quiet"]
    assert main(missing) == 0
    arts = {a["origin"]: a for a in table(data, "articles")}
    assert "HTTP 404" in arts[f"{base}/nope.rss"]["error"]
    stop()  # outage: the feed's articles stay, a failure record is added
    assert main(run) == 0
    arts = {a["origin"]: a for a in table(data, "articles")}
    assert arts[url]["status"] == "failed"
    assert sum(a["status"] == "ok" for a in arts.values()) == 2
    assert len(table(data, "events")) == 1

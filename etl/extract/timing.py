from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from .. import dates, rules
from .records import Cluster, Context, Mention, Window, make_window


def since_until_publication(t: dates.TimeExpr, ctx: Context) -> dates.TimeExpr:
    """'since 2020' runs from 2020 up to publication, not through 2020 only."""
    pub_end = ctx.pub.end or ctx.pub.value
    if pub_end and t.start and t.anchor == "absolute" and t.text.lower().startswith("since"):
        return replace(t, end=pub_end, kind="since")
    return t


def pick_time(m: Mention, masked: str, times: list[dates.TimeExpr], ctx: Context) -> None:
    """The date the mention's incident happened (or was announced) on."""
    usable = [
        t
        for t in times
        if t.anchor != "event"
        and t.start is not None
        and not (t.precision == "year" and t.kind == "absolute")
    ]
    # "held, on Tuesday morning, a funeral for those killed in ...": the date of another act
    usable = [t for t in usable if not rules.OTHER_ACT_BEFORE.search(masked, 0, t.start_char)]
    if len(usable) > 1:  # "recently" qualifies another date ("revealed on May 16 ... recently")
        usable = [t for t in usable if not rules.RECENTLY.fullmatch(t.text)] or usable
    incident, announced = [], []
    for t in usable:
        before = masked[max(0, t.start_char - 30) : t.start_char]
        after = masked[t.end_char : t.end_char + 160]
        trigger_after = m.trigger_at > t.end_char
        near_verb = rules.ANNOUNCE.search(before.split(",")[-1]) is not None
        verb_after = rules.ANNOUNCE.search(after)
        heads_announcement = (
            trigger_after
            and verb_after is not None
            and m.trigger_at > t.end_char + verb_after.end()
            and "," not in masked[: t.start_char]
        )
        is_announcement = (near_verb or heads_announcement) and t.precision == "day"
        (announced if is_announcement else incident).append(t)
    if incident:
        m.time = min(incident, key=lambda t: (t.end - t.start, t.start_char))
    elif announced:
        m.time = announced[0]
        m.announced = True


def window(m: Mention) -> tuple[date, date] | None:
    if m.time is None:
        return None
    if m.announced:
        return (m.time.start - timedelta(days=7 if m.recently else 1), m.time.end)
    return (m.time.start, m.time.end)


def cluster_window(c: Cluster) -> Window | None:
    timed = [m for m in c.body() if m.time] or [m for m in c.mentions if m.time]
    if not timed:
        return c.derived
    incident = [m for m in timed if not m.announced]
    if incident:  # a mention that tells the incident itself beats a back-reference
        m = min(incident, key=lambda m: (m.anaphoric, m.time.end - m.time.start, m.index))
        return make_window(m.time.start, m.time.end, m.time.precision, m.time.text, "publication")
    timed = [m for m in timed if not m.anaphoric] or timed
    m = timed[0]  # only an announcement day: the incident was that day or shortly before
    start, end = window(m)
    return Window(start, end, "week" if m.recently else "day", m.time.text, m.time.end)


def shifted(w: Window, lo: int, hi: int) -> str:
    """Precision of a date derived from `w` by an offset of lo..hi days: by the width of
    the resulting window."""
    width = (w.end - w.start).days + (hi - lo)
    if w.precision == "day" and width <= 1:
        return "day"
    return "week" if width <= 31 else "month" if width <= 366 else "year"


def anchor(clusters: list[Cluster]) -> None:
    """Date a cluster from another one: 'two days after the bombing'."""
    owner = {id(m): c for c in clusters for m in c.mentions}
    for _ in range(2):
        for c in clusters:
            for m in c.mentions:
                if not m.link or id(m) not in owner:
                    continue
                other = owner.get(m.link[0])
                if other is None or other is c:
                    continue
                lo, hi = m.link[1]  # this cluster = the other one + [lo, hi] days
                mine, theirs = cluster_window(c), cluster_window(other)
                text = m.link_text or m.text[:80]
                if mine is None and theirs is not None:
                    start, end = theirs.start + timedelta(days=lo), theirs.end + timedelta(days=hi)
                    c.derived = make_window(start, end, shifted(theirs, lo, hi), text, "event")
                elif theirs is None and mine is not None:
                    start, end = mine.start - timedelta(days=hi), mine.end - timedelta(days=lo)
                    other.derived = make_window(start, end, shifted(mine, lo, hi), text, "event")

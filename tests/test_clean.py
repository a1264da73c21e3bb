"""Cleaning stage: furniture goes, captions and headlines are kept but marked."""

import pytest

from etl.clean import CAPTION, DATE_ONLY, FURNITURE, classify, clean


@pytest.mark.parametrize(
    "line",
    [
        "ad a b",
        "ad ad ad",
        "Source link",
        "Leave a Comment",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Do you like this article?",
        "3 Comment(s)",
        "Comment Policy * Denotes Required Field 1500 / 1500",
        "Read also other news on Some Outlet",
        "Click here and receive updates on WhatsApp",
        "Follow us on the social channels of Some Outlet on Twitter",
        "Home / news / A long headline",
        "Updated in: 27 October 2020 - 14:42",
        "Publish Date: 12March 2020 - 18:12",
        "Wednesday 24/May/2023 - 07:54 PM",
        "• Friday, 3 March 2023",
        "Oct. 15, 2024 • 2 min read",
        "Category: World News",
        "This is an updated story.",
        # a dateline on a line of its own: where the story was filed, not an event place
        "Mosul, Mar 4 (AFP) Mar 4, 2021",
        "BASRA, 12 June 2023 (Reuters)",
        "Tal Afar, Oct. 2 (Some Agency)",
    ],
)
def test_furniture_lines_are_dropped(line):
    blocks = clean(f"{line}\nGunmen killed two shepherds near Tuz Khurmatu on Friday.")
    assert [b.text for b in blocks] == ["Gunmen killed two shepherds near Tuz Khurmatu on Friday."]


@pytest.mark.parametrize(
    "line",
    [
        "The market blast left nine dead (Reuters)",
        "Rescuers at the scene in Mosul. [Photo courtesy of the civil defence]",
        "Screengrab from a video showing smoke over the valley",
        "A damaged vehicle near the checkpoint. Photo: AFP",
    ],
)
def test_captions_are_marked_not_dropped(line):
    [block] = clean(line)
    assert block.kind == "caption"


def test_headline_body_and_dateline_prefix():
    text = (
        "Rockets hit air base in Anbar\n\n"
        "BAGHDAD (Some Agency) – Three rockets landed inside an air base in Anbar on Sunday.\n"
        "MOSUL — Police said nobody was hurt."
    )
    blocks = clean(text)
    assert [(b.kind, b.text) for b in blocks] == [
        ("headline", "Rockets hit air base in Anbar"),
        ("body", "Three rockets landed inside an air base in Anbar on Sunday."),
        ("body", "Police said nobody was hurt."),
    ]


def test_a_headline_naming_places_is_not_a_dateline():
    [block] = clean("Mosul, Kirkuk hit by rockets (video)")
    assert block.kind == "headline"


def test_repeated_paragraphs_are_kept_once():
    para = "A roadside bomb struck a patrol in Tarmiyah on Monday, wounding two soldiers."
    assert [b.text for b in clean(f"{para}\n\n{para}\n")] == [para]


def test_html_entities_are_decoded():
    [block] = clean("A bomb &amp; rocket attack &#8211; three dead.")
    assert block.text == "A bomb & rocket attack – three dead."


def test_wire_dateline_with_a_date_is_dropped():
    [block] = clean("BAGHDAD, Jan 5 (Reuters) - Two rockets landed near the airport on Sunday.")
    assert block.text == "Two rockets landed near the airport on Sunday."


@pytest.mark.parametrize(
    "line",
    [
        "Smoke over the old city. GETTY IMAGES",
        "Smoke over the old city. Getty \u0130mages",  # İ matches i case-insensitively
        "Smoke over the old city. Getty \u0131mages",  # and so does dotless ı
        "5 MIN READ",
        "A damaged vehicle near the checkpoint (file photo)",
        "Rockets hit the base on Sunday, the army said.",
        "Images of the blast were shared online on Monday.",
    ],
)
def test_needed_text_shortcut_agrees_with_the_patterns(line):
    """A line skips a pattern's search only when it lacks the text the pattern needs: the
    kind is what searching every pattern gives."""
    furniture = any(p.search(line) for p in FURNITURE) or DATE_ONLY.match(line)
    caption = any(p.search(line) for p in CAPTION)
    kind = classify(line, 0)
    assert (kind is None) == bool(furniture)
    assert (kind == "caption") == (not furniture and caption)

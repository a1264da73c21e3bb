"""Gazetteer lookups: spelling variants, governorates, ambiguity, names that are not places."""

import pytest

from etl.geo import Gazetteer, normalise


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


@pytest.mark.parametrize(
    "text, name, admin1",
    [
        ("a hideout in the Laylan area", "Laylan", "Kirkuk"),
        ("a hideout in the Lilan area", "Lilan", "Kirkuk"),
        ("clashes in al-Sharqat district", "al-Sharqat", "Salah al-Din"),
        ("in Salaheddine province", "Salaheddine", "Salah al-Din"),
        ("in Ninawa province", "Ninawa", "Nineveh"),
        ("near the Syrian town of al-Bukamal", "al-Bukamal", "Deir ez-Zor"),
        ("the Taji military camp", "Taji", "Baghdad"),
        ("rockets fell on the Green Zone", "Green Zone", "Baghdad"),
    ],
)
def test_spellings_resolve_to_canonical_governorates(gaz, text, name, admin1):
    [match] = gaz.find(text)
    assert (match.text, match.place.admin1) == (name, admin1)


def test_ranges_across_governorates_stay_ambiguous(gaz):
    [match] = gaz.find("strikes in the Hamrin mountains")
    assert match.place.admin1 is None
    assert set(match.place.candidates) == {"Salah al-Din", "Diyala", "Kirkuk"}


def test_longest_name_wins_and_coordinates_come_along(gaz):
    [match] = gaz.find("a cave in Mount Makhoul")
    assert match.text == "Mount Makhoul"
    assert match.place.latitude and match.place.longitude
    assert match.place.geo_precision == 2


@pytest.mark.parametrize("text", ["jets hit the target", "the said attack", "he said"])
def test_english_words_are_not_places(gaz, text):
    assert gaz.find(text) == ()


def test_normalise_drops_articles_and_punctuation():
    assert normalise("Al-Sharqat") == normalise("al Sharqat") == "sharqat"
    assert normalise("Sinjar’s") == "sinjars"

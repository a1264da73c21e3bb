"""Extraction, slot by slot, on hand-written sentences with hand-checked answers.

Each case is an article text, its publication date and what the one event it
reports must say (only the fields named are checked). The sentences are our
own, written in the style of the wire reports Sortie reads.
"""

from datetime import date

import pytest

from etl.clean import clean
from etl.extract import extract
from etl.pubdate import PubDate

D = date.fromisoformat


def events_of(text: str, published: str):
    return extract(clean(text), PubDate(D(published), "metadata"), "test")


def incidents(text, published):
    return [e for e in events_of(text, published) if not e.is_aggregate]


SINGLE_EVENT_CASES = [
    # event type ------------------------------------------------------------
    (
        "Iraqi F-16 jets carried out an airstrike on an ISIS hideout in the Hamrin mountains "
        "of Diyala on Thursday, killing three militants.",
        "2023-03-10",
        dict(event_type="airstrike", weapon="F-16", strikes=1, killed=3, admin1="Diyala"),
    ),
    (
        "Three Katyusha rockets struck Balad air base in Salahaddin province late on Monday, "
        "causing no casualties, the security media cell said.",
        "2022-08-09",
        dict(
            event_type="shelling",
            weapon="rocket",
            admin1="Salah al-Din",
            event_date=D("2022-08-08"),
        ),
    ),
    (
        "A roadside bomb exploded near a police patrol in Tarmiyah, north of Baghdad, on "
        "Sunday, wounding two policemen.",
        "2021-05-17",
        dict(
            event_type="bombing",
            weapon="IED",
            wounded=2,
            admin1="Baghdad",
            event_date=D("2021-05-16"),
        ),
    ),
    (
        "ISIS militants ambushed an army checkpoint near Hawija on Tuesday night, killing "
        "two soldiers and wounding four others.",
        "2020-11-04",
        dict(
            event_type="armed_clash",
            actor1="ISIS",
            actor2="Iraqi Security Forces",
            killed=2,
            wounded=4,
            admin1="Kirkuk",
            event_date=D("2020-11-03"),
        ),
    ),
    (
        "Gunmen killed four shepherds in the desert near Rutba on Friday, police said.",
        "2019-02-16",
        dict(
            event_type="attack",
            actor2="Civilians",
            killed=4,
            admin1="Anbar",
            event_date=D("2019-02-15"),
        ),
    ),
    # actors -------------------------------------------------------------------
    (
        "A Turkish drone struck a vehicle carrying PKK fighters near Sinjar on Wednesday, "
        "killing two of them.",
        "2023-09-14",
        dict(
            event_type="airstrike",
            actor1="Turkey",
            actor2="PKK",
            weapon="drone",
            admin1="Nineveh",
            event_date=D("2023-09-13"),
        ),
    ),
    (
        "Coalition warplanes pounded Islamic State positions near Qayyarah on Saturday, "
        "the US-led coalition said.",
        "2017-06-12",
        dict(
            event_type="airstrike",
            actor1="International Coalition",
            actor2="ISIS",
            admin1="Nineveh",
            event_date=D("2017-06-10"),
        ),
    ),
    # casualties: ranges and vague words ----------------------------------------
    (
        "A suicide bomber blew himself up at a wedding in Tuz Khurmatu on Saturday, killing "
        "at least 12 civilians and wounding more than 40.",
        "2021-07-05",
        dict(
            event_type="bombing",
            weapon="suicide bomb",
            actor2="Civilians",
            killed=12,
            killed_low=12,
            killed_high=None,
            wounded=41,
            wounded_low=41,
            wounded_high=None,
        ),
    ),
    (
        "Between 15 and 20 ISIS members were killed when Iraqi aircraft bombed a tunnel "
        "complex in the Makhoul mountains on Sunday.",
        "2019-10-08",
        dict(
            event_type="airstrike", killed=15, killed_low=15, killed_high=20, admin1="Salah al-Din"
        ),
    ),
    # scare quotes do not hide a vague count, and the evidence keeps them
    (
        "Iraqi F-16s bombed a hideout near Rutba on Monday. The strikes killed “a number” of "
        "militants, the army said.",
        "2024-03-19",
        dict(event_type="airstrike", killed=2, killed_low=2, killed_high=None),
    ),
    (
        'Police said "several" civilians were wounded when a bomb went off in a market in '
        "Tuz Khurmatu on Monday.",
        "2024-03-19",
        dict(event_type="bombing", wounded=3, wounded_low=3, wounded_high=None),
    ),
    # strikes ---------------------------------------------------------------------
    (
        "The Iraqi air force conducted nine airstrikes on ISIS caves in Wadi Houran in Anbar "
        "on Monday.",
        "2022-04-12",
        dict(event_type="airstrike", strikes=9, admin1="Anbar", event_date=D("2022-04-11")),
    ),
    # dates: announcement day opens the window one day earlier --------------------
    (
        "On Thursday, the Joint Operations Command announced that an airstrike had killed "
        "five ISIS members in the Badush area of Nineveh.",
        "2024-02-09",
        dict(
            event_type="airstrike",
            event_date=D("2024-02-08"),
            date_start=D("2024-02-07"),
            date_end=D("2024-02-08"),
            date_precision="day",
            killed=5,
            admin1="Nineveh",
        ),
    ),
    # dates: periods ----------------------------------------------------------------
    (
        "Earlier this month, an IED attack on an army convoy in Tarmiyah killed three soldiers.",
        "2024-05-20",
        dict(
            event_type="bombing",
            date_start=D("2024-05-01"),
            date_end=D("2024-05-20"),
            date_precision="month",
            killed=3,
        ),
    ),
    (
        "No date is given, but fighter jets of the international coalition destroyed an ISIS "
        "vehicle near Baiji, killing its four occupants.",
        "2017-03-01",
        dict(
            event_type="airstrike",
            date_precision="unknown",
            date_start=None,
            date_end=D("2017-03-01"),
            killed=4,
            admin1="Salah al-Din",
        ),
    ),
]


SINGLE_EVENT_CASES += [
    (
        "Unidentified gunmen shot dead a farmer in the village of Albu Bali near Fallujah late "
        "on Thursday, police said.",
        "2022-09-02",
        dict(
            event_type="attack",
            actor1="Unknown",
            actor2="Civilians",
            killed=1,
            admin1="Anbar",
            event_date=D("2022-09-01"),
        ),
    ),
    (
        "Turkish warplanes bombed PKK positions in the Qandil mountains on Sunday.",
        "2022-05-02",
        dict(
            event_type="airstrike",
            actor1="Turkey",
            actor2="PKK",
            killed=None,
            event_date=D("2022-05-01"),
        ),
    ),
    (
        "The Pentagon said US forces carried out strikes on Kataib Hezbollah facilities in "
        "al-Qaim on Friday, killing at least 16 fighters.",
        "2024-02-03",
        dict(
            event_type="airstrike",
            actor1="United States",
            actor2="Iran-backed militias",
            killed=16,
            killed_high=None,
            admin1="Anbar",
            event_date=D("2024-02-02"),
        ),
    ),
]


SINGLE_EVENT_CASES += [
    (
        "BAGHDAD (Wire) - A car bomb exploded early Sunday outside a mosque in Baghdad's "
        "Kadhimiya district, killing at least seven worshippers and wounding 15.",
        "2019-06-10",
        dict(
            event_type="bombing",
            weapon="car bomb",
            actor2="Civilians",
            killed=7,
            killed_high=None,
            wounded=15,
            admin1="Baghdad",
            event_date=D("2019-06-09"),
        ),
    ),
    (
        "Friday's attack on a checkpoint near Samarra left three federal policemen dead, the "
        "interior ministry said on Saturday.",
        "2020-08-01",
        dict(
            event_type="armed_clash",
            actor2="Iraqi Security Forces",
            killed=3,
            admin1="Salah al-Din",
            event_date=D("2020-07-31"),
        ),
    ),
    (
        "On 3 March, an IED struck a military convoy on the highway near Baiji, wounding four "
        "soldiers.",
        "2022-03-10",
        dict(
            event_type="bombing",
            weapon="IED",
            wounded=4,
            event_date=D("2022-03-03"),
            date_precision="day",
        ),
    ),
]


SINGLE_EVENT_CASES += [
    (
        "Unknown gunmen kidnapped a local journalist in Basra on Thursday evening, his family "
        "said.",
        "2020-05-30",
        dict(
            event_type="attack",
            actor1="Unknown",
            actor2="Civilians",
            admin1="Basra",
            event_date=D("2020-05-28"),
        ),
    ),
    (
        "The SDF said its fighters repelled an ISIS attack on a checkpoint in Deir ez-Zor's "
        "Hajin on Wednesday night, killing two militants. One SDF fighter was wounded.",
        "2023-03-10",
        dict(
            event_type="armed_clash",
            actor1="ISIS",
            actor2="SDF",
            country="Syria",
            admin1="Deir ez-Zor",
            killed=2,
            wounded=1,
            event_date=D("2023-03-08"),
        ),
    ),
    (
        "Iran's Revolutionary Guards said they fired ballistic missiles at a building in Erbil "
        "late on Monday, killing four civilians, Kurdish officials said on Tuesday.",
        "2024-01-16",
        dict(
            event_type="shelling",
            weapon="missile",
            actor1="Iran",
            actor2="Civilians",
            killed=4,
            admin1="Erbil",
            event_date=D("2024-01-15"),
        ),
    ),
]


@pytest.mark.parametrize("text, published, expected", SINGLE_EVENT_CASES)
def test_single_event_slots(text, published, expected):
    events = incidents(text, published)
    assert len(events) == 1, [e.evidence for e in events]
    got = {k: getattr(events[0], k) for k in expected}
    assert got == expected


NO_EVENT_CASES = [
    # an ongoing state of affairs, told in the present progressive: no one incident
    (
        "Residents of villages near Amedi say Turkish strikes are destroying their orchards.",
        "2023-01-01",
    ),
    ("Shepherds in Sinjar complain that mortar fire is killing their flocks.", "2023-01-01"),
    # threats, plans, statements
    ("The commander vowed to strike ISIS hideouts in Kirkuk in the coming days.", "2023-01-01"),
    (
        "Militia leaders threatened to attack US bases in Anbar if troops do not leave.",
        "2023-01-01",
    ),
    (
        "The resistance factions met on Tuesday to discuss the withdrawal of US forces.",
        "2024-06-20",
    ),
    # history and habits
    ("ISIS seized Mosul in 2014 and was defeated in Nineveh in 2017.", "2023-01-01"),
    ("Turkish drones frequently target PKK fighters in the Sinjar district.", "2023-01-01"),
    ("The group continues to carry out sporadic attacks in remote parts of Diyala.", "2023-01-01"),
]


NO_EVENT_CASES += [
    (
        "Coalition forces did not conduct any strikes in Iraq last week, a spokesman said.",
        "2021-11-08",
    ),
    # violence vocabulary in news that reports no new incident
    (
        "The ministry said attacks on pipelines in the past had cut supply, but security has "
        "improved, and exports from Basra rose on Sunday.",
        "2023-04-02",
    ),
    (
        "A court in Baghdad sentenced five men to death on Wednesday for their role in a 2016 "
        "bombing in Karrada that killed more than 300 people.",
        "2021-03-04",
    ),
    (
        "The State Department condemned the rocket attack on the embassy and called on Baghdad "
        "to protect diplomatic facilities.",
        "2020-01-27",
    ),
]
SINGLE_EVENT_CASES += [
    (
        "A member of the Peshmerga was killed and two others were wounded on Friday evening in "
        "an ISIS attack on their position in the Kifri district of Diyala, a source said.",
        "2021-09-11",
        dict(
            event_type="armed_clash",
            actor1="ISIS",
            actor2="Peshmerga",
            killed=1,
            wounded=2,
            admin1="Diyala",
            event_date=D("2021-09-10"),
        ),
    ),
]


@pytest.mark.parametrize("text, published", NO_EVENT_CASES)
def test_non_events(text, published):
    assert incidents(text, published) == []


def test_aggregate_claims_are_flagged_not_counted():
    text = (
        "Since the beginning of the year, the Iraqi air force has carried out about 60 "
        "airstrikes on ISIS hideouts in Kirkuk and Diyala."
    )
    events = events_of(text, "2023-06-01")
    assert [e.is_aggregate for e in events] == [True]
    assert events[0].strikes == 60


def test_sentences_about_one_strike_merge_and_captions_never_add_events():
    text = (
        "Drone strike hits militants near Makhmour\n"
        "Smoke rises over the valley after the strike. Photo: Security Media Cell\n"
        "An Iraqi drone struck a group of ISIS militants in the Qarachogh mountains on "
        "Friday evening.\n"
        "The strike killed six militants, including a local commander, the statement added."
    )
    [event] = incidents(text, "2023-12-02")
    assert event.killed == 6
    assert event.event_date == D("2023-12-01")
    assert event.weapon == "drone"


def test_two_days_after_resolves_through_the_other_incident():
    text = (
        "Gunmen attacked a PMF post near Tarmiyah on Saturday evening, killing three fighters. "
        "The attack came two days after a car bomb in a market in Sadr City, Baghdad, killed "
        "nine civilians."
    )
    events = sorted(incidents(text, "2022-03-14"), key=lambda e: e.event_date)
    assert [(e.event_type, e.event_date) for e in events] == [
        ("bombing", D("2022-03-10")),
        ("armed_clash", D("2022-03-12")),
    ]
    assert events[0].date_anchor == "event"
    assert events[0].killed == 9 and events[0].actor2 == "Civilians"


def test_two_incidents_in_one_article_stay_apart():
    text = (
        "Two civilians were wounded in a mortar attack on a village in Tuz Khurmatu on Tuesday. "
        "Separately, an ISIS sniper killed a PMF fighter near Baiji on Monday evening."
    )
    events = sorted(incidents(text, "2021-02-17"), key=lambda e: e.event_date)
    assert [(e.event_type, e.event_date, e.actor2, e.killed, e.wounded) for e in events] == [
        ("armed_clash", D("2021-02-15"), "Popular Mobilization Forces", 1, None),
        ("shelling", D("2021-02-16"), "Civilians", None, 2),
    ]
    assert events[0].actor1 == "ISIS" and events[1].actor1 == "Unknown"


def test_one_sentence_two_incidents_joined_by_while():
    text = (
        "Security forces repelled an attack on a checkpoint in Tarmiyah on Sunday night, killing "
        "two attackers, while a roadside bomb wounded a soldier in Diyala's Muqdadiya on Monday."
    )
    events = sorted(incidents(text, "2022-10-04"), key=lambda e: e.event_date)
    assert [(e.event_type, e.event_date, e.admin1, e.killed, e.wounded) for e in events] == [
        ("armed_clash", D("2022-10-02"), "Baghdad", 2, None),
        ("bombing", D("2022-10-03"), "Diyala", None, 1),
    ]


DUHOK_STORY = """Turkish drone kills two in Duhok province
DUHOK, Kurdistan Region - Two people were killed on Thursday afternoon when a Turkish drone struck \
a car near the town of Amedi in Duhok province, local officials said.
The mayor of Amedi told reporters that the victims were civilians who worked as farmers.
Turkey has conducted dozens of drone strikes in the Kurdistan Region this year, targeting what it \
says are PKK fighters. Baghdad has repeatedly condemned the attacks.
In June, a Turkish strike on a resort in Zakho killed nine tourists, sparking protests."""


def test_headline_supports_the_main_story_and_background_incident_keeps_its_own_date():
    events = sorted(events_of(DUHOK_STORY, "2023-08-18"), key=lambda e: e.date_start)
    [aggregate] = [e for e in events if e.is_aggregate]
    assert aggregate.actor1 == "Turkey" and aggregate.killed is None
    june, thursday = [e for e in events if not e.is_aggregate]
    assert (thursday.event_date, thursday.actor1, thursday.actor2, thursday.weapon) == (
        D("2023-08-17"),
        "Turkey",
        "Civilians",
        "drone",
    )
    assert (thursday.admin1, thursday.location, thursday.killed) == ("Duhok", "Amedi", 2)
    assert (june.date_start, june.date_end, june.date_precision) == (
        D("2023-06-01"),
        D("2023-06-30"),
        "month",
    )
    assert (june.actor2, june.killed, june.weapon, june.location) == (
        "Civilians",
        9,
        None,
        "Zakho",
    )


def test_statement_date_yields_to_the_strike_date_and_a_second_incident_stays_apart():
    text = (
        "The Security Media Cell announced on Saturday that Iraqi F-16 jets had destroyed an ISIS "
        "hideout south of Kirkuk, killing three militants. According to the statement, the strike "
        "was carried out on Friday evening based on intelligence from the Joint Operations "
        "Command. Meanwhile, two policemen were wounded when gunmen opened fire on their patrol in "
        "the Tarmiyah district north of Baghdad late on Friday."
    )
    strike, patrol = sorted(incidents(text, "2022-06-19"), key=lambda e: e.event_type)
    assert (strike.event_type, strike.event_date, strike.date_start, strike.date_end) == (
        "airstrike",
        D("2022-06-17"),
        D("2022-06-17"),
        D("2022-06-17"),
    )
    assert (strike.actor1, strike.actor2, strike.killed, strike.weapon) == (
        "Iraqi Security Forces",
        "ISIS",
        3,
        "F-16",
    )
    assert (patrol.event_type, patrol.actor2, patrol.wounded, patrol.admin1) == (
        "armed_clash",
        "Iraqi Security Forces",
        2,
        "Baghdad",
    )


def test_a_tally_over_weeks_is_an_aggregate_not_an_incident():
    text = (
        "Iraqi and Kurdish forces killed 14 militants in joint operations over the past two "
        "weeks, the Joint Operations Command said in a weekly statement."
    )
    events = events_of(text, "2023-05-20")
    assert [(e.is_aggregate, e.killed) for e in events] == [(True, 14)]


def test_a_retaliation_is_not_merged_with_the_attack_it_answers():
    text = (
        "Militias fired rockets at a US base near the al-Omar oil field in Deir ez-Zor on "
        "Sunday evening. On Monday, US jets struck militia positions in Deir ez-Zor in response."
    )
    events = sorted(incidents(text, "2021-06-29"), key=lambda e: e.event_date)
    assert [(e.event_type, e.event_date, e.actor1) for e in events] == [
        ("shelling", D("2021-06-27"), "Unknown"),
        ("airstrike", D("2021-06-28"), "United States"),
    ]


def test_the_date_of_a_funeral_is_not_the_date_of_the_strike():
    text = (
        "The PMF held, on Tuesday morning, a funeral for four of its members who were killed in "
        "an American airstrike on the Iraqi-Syrian border."
    )
    [event] = incidents(text, "2021-06-29")
    assert (event.event_type, event.actor1, event.killed) == ("airstrike", "United States", 4)
    assert (event.date_precision, event.date_start, event.date_end) == (
        "unknown",
        None,
        D("2021-06-29"),
    )


def test_agent_after_by_may_carry_an_adjective():
    text = (
        "Earlier today, a military operation by the Iraqi Counter-Terrorism Service was launched "
        "against ISIS hideouts in Kirkuk."
    )
    [event] = incidents(text, "2024-10-15")
    assert (event.event_type, event.actor1, event.actor2) == (
        "ground_operation",
        "Iraqi Security Forces",
        "ISIS",
    )


def test_since_a_year_is_a_tally_running_to_publication():
    text = "Since 2020, Turkish strikes have killed at least 50 civilians in the Kurdistan Region."
    [event] = events_of(text, "2023-09-01")
    assert event.is_aggregate
    assert (event.date_start, event.date_end) == (D("2020-01-01"), D("2023-09-01"))
    assert (event.actor1, event.actor2, event.killed, event.killed_high) == (
        "Turkey",
        "Civilians",
        50,
        None,
    )


def test_dozens_is_not_a_dozen():
    text = (
        "An ISIS suicide bomber blew himself up among pilgrims in Karbala on Friday, killing 14 "
        "and wounding dozens, officials said."
    )
    [event] = incidents(text, "2019-10-12")
    assert (event.killed, event.wounded, event.wounded_high, event.actor2) == (
        14,
        24,
        None,
        "Civilians",
    )


def test_a_sides_own_forces_are_not_its_targets():
    text = (
        "Iraqi jets pounded ISIS hideouts in the Makhoul mountains on Monday. The bombing "
        "coincided with a ground campaign by the army and the tribal mobilisation forces."
    )
    [event] = incidents(text, "2018-11-01")
    assert (event.event_type, event.actor1, event.actor2) == (
        "airstrike",
        "Iraqi Security Forces",
        "ISIS",
    )


def test_target_named_after_the_first_incident_word():
    text = (
        "Yesterday evening, militias targeted a US military base in Syria, and artillery shells "
        "fell near the al-Omar oil field."
    )
    [event] = incidents(text, "2021-06-29")
    assert (event.event_type, event.actor2, event.event_date) == (
        "shelling",
        "United States",
        D("2021-06-28"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "In 2016, a truck bomb in Tikrit killed dozens of people, the deadliest attack in the "
        "province that year.",
        "A similar bombing in Baqubah in 2016 left more than 90 people dead or wounded.",
        "The town of Hit was retaken from ISIS in 2016 after weeks of fighting.",
    ],
)
def test_an_incident_dated_only_by_a_past_year_is_background(text):
    assert events_of(text, "2017-03-10") == []


def test_a_past_year_beside_the_incident_day_does_not_hide_the_incident():
    text = (
        "On Monday, a car bomb killed five people in Hit, a town retaken from ISIS in 2016, "
        "police said."
    )
    [e] = events_of(text, "2017-03-10")
    assert (e.event_type, e.event_date, e.killed) == ("bombing", D("2017-03-06"), 5)


def test_a_back_reference_with_nothing_to_refer_to_is_not_an_incident():
    quote = 'A spokesman for the army said that "the strike was based on precise intelligence."'
    assert events_of(quote, "2023-05-02") == []
    lead = "Iraqi jets struck an ISIS hideout in the Hamrin mountains on Monday."
    [e] = events_of(lead + " " + quote, "2023-05-02")
    assert (e.event_type, e.event_date) == ("airstrike", D("2023-05-01"))


def test_a_governorate_name_that_is_a_persons_first_name_places_nothing():
    text = (
        "Muthanna Hamid, a spokesman for the army, said an IED killed three soldiers near "
        "Kirkuk on Sunday."
    )
    [e] = events_of(text, "2024-02-12")
    assert (e.admin1, e.killed, e.event_date) == ("Kirkuk", 3, D("2024-02-11"))


def test_the_evidence_keeps_the_quotes_the_patterns_read_past():
    text = "Iraqi F-16s bombed a hideout near Rutba on Monday, killing “a number” of militants."
    (e,) = extract(clean(text), PubDate(D("2024-03-19"), "metadata"), "t")
    assert (e.killed, "“a number”" in e.evidence) == (2, True)

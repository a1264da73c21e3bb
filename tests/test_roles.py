"""The role layer (who did what to whom) and the counts that go with it, pattern family by
pattern family, on sentences written for these tests (none is taken from an article).

Every case names the one incident its text reports and the slots that must come out.
"""

from datetime import date

import pytest

from etl.clean import clean
from etl.extract import extract
from etl.extract.actors import find_actors
from etl.extract.roles import abstract, without_asides
from etl.pubdate import PubDate

D = date.fromisoformat
PUB = "2024-03-20"  # a Wednesday


def incidents(text: str, published: str = PUB):
    events = extract(clean(text), PubDate(D(published), "metadata"), "t")
    return [e for e in events if not e.is_aggregate]


def one(text: str, published: str = PUB):
    events = incidents(text, published)
    assert len(events) == 1, [(e.event_type, e.evidence) for e in events]
    return events[0]


# --- actor spans ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, spans",
    [
        ("U.S. forces raided the compound", [("U.S.", "United States")]),
        ("U.S. aircraft hit the site", [("U.S.", "United States")]),
        ("American soldiers came under fire", [("American soldiers", "United States")]),
        ("Turkish troops shelled the village", [("Turkish troops", "Turkey")]),
        (
            "Iraqi soldiers and US troops",
            [("Iraqi soldiers", "Iraqi Security Forces"), ("US troops", "United States")],
        ),
        # "X-based" places a group, it names no side
        ("a London-based monitor and a US-based charity", []),
        ("the Kurdistan Workers’ Party", [("Kurdistan Workers’ Party", "PKK")]),
    ],
)
def test_actor_spans(text, spans):
    assert [(text[s:e], a) for s, e, a in find_actors(text)] == spans


def test_the_abstracted_clause_keeps_slots_in_order_and_drops_asides():
    text = "Kataib Hezbollah, a group backed by Iran, attacked coalition forces near the base."
    at = text.index("attacked")
    got, labels = abstract(text, at, at + len("attacked"), find_actors(text))
    assert labels == ["Iran-backed militias", "Iran", "International Coalition"]
    assert " ".join(without_asides(got).split()).startswith("<A0> <T> <A2> forces")


# --- agent and patient frames -----------------------------------------------------------
ROLE_CASES = [
    # modifier: the side's name right before the incident word
    (
        "Four ISIS members were killed on Monday in an Iraqi air strike near Tuz Khurmatu.",
        "Iraqi Security Forces",
        "ISIS",
    ),
    (
        "A Turkish drone strike on Tuesday hit a car near Qandil, killing two PKK fighters.",
        "Turkey",
        "PKK",
    ),
    # by-agent and passive by
    (
        "Two shepherds were wounded on Sunday by a roadside bomb planted by ISIS in Diyala.",
        "ISIS",
        "Civilians",
    ),
    (
        "An air raid carried out by the Iraqi air force on Monday destroyed an ISIS tunnel in "
        "Wadi Hauran, killing five militants.",
        "Iraqi Security Forces",
        "ISIS",
    ),
    # subject + verb, with the day between verb and object
    (
        "U.S. forces conducted on Tuesday precision strikes against two Kataib Hezbollah "
        "depots near Al-Qaim.",
        "United States",
        "Iran-backed militias",
    ),
    # subject whose verb is the trigger, with an aside in between
    (
        "Kataib Hezbollah, which is backed by Tehran, targeted US troops at a base in Anbar "
        "with rockets on Monday, wounding two soldiers.",
        "Iran-backed militias",
        "United States",
    ),
    # the speaker's own forces
    (
        "The Turkish defence ministry said on Monday that its aircraft struck PKK shelters in "
        "the Gara region, killing four militants.",
        "Turkey",
        "PKK",
    ),
    # a claim of responsibility
    (
        "A car bomb exploded near a market in Tuz Khurmatu on Monday, killing six civilians. "
        "The Islamic State group claimed responsibility for the bombing.",
        "ISIS",
        "Civilians",
    ),
    # a claim in the present tense, from channels close to the attacker
    (
        "Four rockets hit a police post near Tuz Khurmatu on Monday, wounding two officers. "
        "Websites linked to the Islamic State claim responsibility for the attack.",
        "ISIS",
        "Iraqi Security Forces",
    ),
    # the wounded side's own raid
    (
        "Three US soldiers were wounded on Monday in a raid against an ISIS hideout in the "
        "desert west of Ramadi.",
        "United States",
        "ISIS",
    ),
    # the target is never the actor: "killing four ISIS militants"
    (
        "Iraqi F-16s bombed a cave in the Makhoul mountains on Sunday, killing four ISIS "
        "militants.",
        "Iraqi Security Forces",
        "ISIS",
    ),
    # "based on intelligence from X" names no target
    (
        "An airstrike on Monday destroyed an ISIS hideout near Rutba based on intelligence "
        "from the Joint Operations Command, killing two militants.",
        "Iraqi Security Forces",
        "ISIS",
    ),
]


@pytest.mark.parametrize("text, actor1, actor2", ROLE_CASES)
def test_who_did_what_to_whom(text, actor1, actor2):
    e = one(text)
    assert (e.actor1, e.actor2) == (actor1, actor2)


# --- discourse: a silent clause inherits its agent ----------------------------------------
DISCOURSE_CASES = [
    # ground fighting against the enemy an earlier incident has a side fighting from the air
    (
        "Iraqi jets struck an ISIS hideout near Hawija on Sunday, killing four militants. On "
        "Saturday, two ISIS members were killed in an operation near Rashad.",
        ["Iraqi Security Forces", "Iraqi Security Forces"],
    ),
    # from the earlier incident of the same kind
    (
        "Turkish drones struck a PKK vehicle near Sidakan on Monday, killing two fighters. "
        "Another strike on Tuesday hit a house in the Bradost area, killing one more.",
        ["Turkey", "Turkey"],
    ),
    # from the side the article blames
    (
        "A drone strike on a car near Penjwen on Sunday killed three people. Local officials "
        "blamed Turkey for the attack.",
        ["Turkey"],
    ),
    # from the owner of the article's aircraft
    (
        "Coalition aircraft have flown daily missions over the Euphrates valley this month. "
        "On Monday, a strike near Hajin destroyed an ISIS command post, killing four militants.",
        ["International Coalition"],
    ),
]


@pytest.mark.parametrize("text, actors", DISCOURSE_CASES)
def test_a_silent_agent_comes_from_the_discourse(text, actors):
    events = sorted(incidents(text), key=lambda e: e.event_date)
    assert [e.actor1 for e in events] == actors


def test_an_unknown_attacker_stays_unknown_when_nothing_names_one():
    e = one("Unidentified gunmen shot dead two shop owners in Baquba on Monday evening.")
    assert (e.actor1, e.actor2, e.killed) == ("Unknown", "Civilians", 2)


def test_a_response_to_another_attack_is_its_own_incident_and_lends_no_attacker():
    events = incidents(
        "In response to rocket fire by Kataib Hezbollah last month, US aircraft struck a "
        "weapons depot near Jurf al-Sakhr on Monday, killing three militants."
    )
    got = sorted((e.event_type, e.actor1, e.killed, e.date_precision) for e in events)
    assert got == [
        ("airstrike", "United States", 3, "day"),
        ("shelling", "Iran-backed militias", None, "month"),
    ]


def test_a_militia_attack_on_a_base_with_no_weapon_named_is_remote_fire():
    e = one("Kataib Hezbollah attacked a US base in Anbar on Monday, wounding one soldier.")
    assert (e.event_type, e.actor1, e.actor2, e.wounded) == (
        "shelling",
        "Iran-backed militias",
        "United States",
        1,
    )


def test_an_enemy_killed_in_an_operation_did_not_run_it():
    e = one("Two ISIS members were killed in an operation near Rashad on Monday.")
    assert (e.actor1, e.actor2, e.killed) == ("Unknown", "ISIS", 2)


# --- incident words beyond the usual verbs ------------------------------------------------
@pytest.mark.parametrize(
    "text, slots",
    [
        (
            "Iraqi Su-25 jets bombarded ISIS tunnels near Baiji on Monday, the army said.",
            dict(event_type="airstrike", actor1="Iraqi Security Forces"),
        ),
        (
            "An Iranian drone slammed into a house near Koya on Monday, wounding a woman.",
            dict(event_type="airstrike", actor1="Iran", wounded=1),
        ),
        (
            "Iran's missile barrage on a villa in Erbil on Monday killed two civilians.",
            dict(event_type="shelling", actor1="Iran", killed=2),
        ),
        (
            "The Turkish artillery bombardment of farms near Kani Masi on Monday killed a "
            "shepherd.",
            dict(event_type="shelling", actor1="Turkey", killed=1),
        ),
        (
            "An ISIS assault on an army post near Tarmiyah on Monday left three soldiers dead.",
            dict(event_type="armed_clash", actor1="ISIS", killed=3),
        ),
        (
            "Peshmerga fighters exchanged fire with ISIS militants near Gwer on Monday. One "
            "fighter was wounded.",
            dict(event_type="armed_clash", actor1="Peshmerga", wounded=1),
        ),
        (
            "Two guards were hurt when rockets launched by unknown groups landed inside the "
            "Victory base on Monday.",
            dict(event_type="shelling", wounded=2),
        ),
        # missiles as the subject of an impact verb: fire from the ground ...
        (
            "Four missiles hit an oil refinery near Baiji early on Monday, wounding two workers.",
            dict(event_type="shelling", wounded=2),
        ),
        (
            "Iranian ballistic missiles landed near an oil field outside Erbil on Monday, "
            "killing a guard.",
            dict(event_type="shelling", actor1="Iran", killed=1),
        ),
        # ... unless an aircraft fired them
        (
            "A Turkish drone fired two missiles that struck a car near Sinjar on Monday, "
            "killing its driver.",
            dict(event_type="airstrike", actor1="Turkey", killed=1),
        ),
    ],
)
def test_incident_words_beyond_the_usual_verbs(text, slots):
    e = one(text)
    assert {k: getattr(e, k) for k in slots} == slots


def test_a_toll_that_opens_the_sentence_names_the_victims_not_the_attackers():
    e = one("Two policemen died on Monday night when gunmen opened fire on a checkpoint in Hit.")
    assert (e.actor1, e.actor2, e.killed) == ("Unknown", "Iraqi Security Forces", 2)


def test_the_headline_names_the_attacker_the_body_calls_gunmen():
    e = one(
        "ISIS ambush kills two policemen in Kirkuk\n\n"
        "Two policemen died on Monday night when gunmen opened fire on a checkpoint near "
        "Dibis."
    )
    assert (e.actor1, e.actor2, e.killed) == ("ISIS", "Iraqi Security Forces", 2)


# --- counts ------------------------------------------------------------------------------
COUNT_CASES = [
    # the text says nobody was hurt: zero, also in a sentence of its own
    (
        "Two rockets hit the Victory base near Baghdad airport on Monday night. "
        "No casualties or damage were reported.",
        dict(killed=0, wounded=0),
    ),
    (
        "A drone packed with explosives hit the Harir base in Erbil on Monday, causing no "
        "casualties.",
        dict(killed=0, wounded=0),
    ),
    (
        "Mortar rounds fell near a PMF post in Jurf al-Nasr on Monday; nobody was hurt.",
        dict(killed=0, wounded=0),
    ),
    # unknown is not zero
    (
        "Mortar rounds fell near a PMF post in Jurf al-Nasr on Monday, with no immediate "
        "reports of casualties.",
        dict(killed=None, wounded=None),
    ),
    # vague quantities take the lowest count they allow, open on top
    (
        "Iraqi jets struck ISIS hideouts in the Hamrin mountains on Monday, killing a number "
        "of militants.",
        dict(killed=2, killed_low=2, killed_high=None),
    ),
    (
        "Iraqi jets struck ISIS hideouts in the Hamrin mountains on Monday, killing a large "
        "number of militants.",
        dict(killed=3, killed_high=None),
    ),
    ("A Peshmerga fighter lost his life in a Turkish drone strike near Zakho on Monday.", {}),
    # the number before an active verb counts the agents, not the dead
    ("Three rockets fired by militants killed a child in Basra on Monday.", dict(killed=1)),
    (
        "Two guided strikes by Iraqi jets have killed six ISIS fighters near Mosul, the army "
        "said on Monday.",
        dict(killed=6, strikes=2),
    ),
    ("Four Turkish drones wounded two shepherds near Amedi on Monday.", dict(wounded=2)),
    # ...and a passive auxiliary keeps the toll reading
    (
        "Three people have been killed and two others wounded in a bombing in Kirkuk on Monday.",
        dict(killed=3, wounded=2),
    ),
    # armed men as the agent of a wounding (on a force: a clash; on civilians: an attack)
    (
        "Two gunmen wounded three policemen at a checkpoint in Diyala on Monday.",
        dict(event_type="armed_clash", wounded=3, actor2="Iraqi Security Forces"),
    ),
    (
        "Gunmen wounded two shepherds near their village in Diyala on Monday.",
        dict(event_type="attack", wounded=2, actor2="Civilians"),
    ),
    # executions, relatives, and victims named by trade or rank
    (
        "Gunmen abducted and then executed three herders near Rashad on Monday.",
        dict(killed=3, actor2="Civilians"),
    ),
    (
        "Iraqi jets executed three precision strikes on ISIS caves near Rutba on Monday.",
        dict(killed=None, strikes=3),
    ),
    ("A US drone executed an airstrike on a militia truck near Qaim on Monday.", dict(killed=None)),
    (
        "ISIS gunmen stormed a farm near Khanaqin on Monday, killing a farmer and wounding "
        "his daughter.",
        dict(killed=1, wounded=1),
    ),
    (
        "A car bomb went off outside a police station in Kirkuk on Monday, wounding five officers.",
        dict(wounded=5, actor2="Iraqi Security Forces"),
    ),
    (
        "Gunmen shot dead a judge and wounded two members of his family in Basra on Monday.",
        dict(killed=1, wounded=2, actor2="Civilians", event_type="attack"),
    ),
    # one toll told loosely ("three people") and by side ("three PKK members") is one toll
    (
        "A Turkish drone struck a PKK vehicle near Sidakan on Monday, killing three people. "
        "Three PKK members were killed in the strike, officials said.",
        dict(killed=3, actor2="PKK"),
    ),
    # ...but one report that gives both sides counts both
    (
        "A roadside bomb killed two soldiers and two civilians near Tarmiyah on Monday.",
        dict(killed=4),
    ),
    # a date inside the victims' words does not hide the count
    (
        "Five ISIS members on Monday were killed in an Iraqi airstrike in the Wadi al-Tharthar.",
        dict(killed=5),
    ),
]


@pytest.mark.parametrize("text, slots", COUNT_CASES)
def test_counts(text, slots):
    e = one(text)
    assert {k: getattr(e, k) for k in slots} == slots


def test_lost_his_life_is_one_death():
    e = one("A Peshmerga fighter lost his life in a Turkish drone strike near Zakho on Monday.")
    assert (e.killed, e.actor1) == (1, "Turkey")


STRIKE_CASES = [
    ("An airstrike on Monday destroyed an ISIS hideout near Rutba, killing two militants.", 1),
    ("A Turkish drone targeted a car near Sinjar on Monday, killing two YBS fighters.", 1),
    ("Another strike on Monday hit an ISIS cave near Rutba, killing two militants.", 1),
    ("Iraqi jets conducted three precision strikes on ISIS caves near Rutba on Monday.", 3),
    ("Coalition aircraft carried out twin strikes on ISIS tunnels near Hit on Monday.", 2),
    # one aircraft as the passive agent, or as the subject of "carried out an attack"
    ("Two Peshmerga fighters were wounded by a Turkish drone near Sidakan on Monday.", 1),
    ("An unmanned drone carried out an attack on a PKK post near Qandil on Monday.", 1),
    ("A suicide drone attempting to hit the airport near Erbil was shot down on Monday.", 1),
    # not a number: a series, several
    ("Iraqi jets carried out a series of strikes on ISIS caves near Rutba on Monday.", None),
    ("Iraqi jets carried out several airstrikes on ISIS caves near Rutba on Monday.", None),
]


@pytest.mark.parametrize("text, strikes", STRIKE_CASES)
def test_strike_counts(text, strikes):
    assert one(text).strikes == strikes


def test_a_headline_total_does_not_overwrite_the_incidents_own_strike_count():
    text = (
        "Coalition jets hit ISIS in 30 strikes\n\n"
        "Near Hit, two strikes destroyed an ISIS tunnel on Monday."
    )
    assert one(text).strikes == 2


# --- discourse: a claim told first, its day and target told after ----------------------
def test_a_claim_with_no_when_becomes_an_incident_when_a_later_sentence_dates_it():
    text = (
        "Turkish forces carried out airstrikes targeting several depots used by the PKK.\n"
        "Carried out at dawn on Monday, the strikes were in direct response to attacks on "
        "Turkish bases.\n"
        "Earlier in the day, PKK fighters attacked a Turkish outpost near Amedi.\n"
        "Initial reports said the airstrikes destroyed the depots."
    )
    events = sorted(incidents(text), key=lambda e: e.event_type)
    got = [(e.event_type, e.actor1, e.actor2, e.event_date) for e in events]
    assert got == [
        ("airstrike", "Turkey", "PKK", D("2024-03-18")),
        # "earlier in the day" is the day of the story just told, not the publication day
        ("armed_clash", "PKK", "Turkey", D("2024-03-18")),
    ]


def test_a_claim_that_nothing_dates_or_places_is_still_no_incident():
    text = "US forces have carried out airstrikes against militia targets, officials said."
    assert incidents(text) == []


# --- tallies and comparisons ------------------------------------------------------------
@pytest.mark.parametrize(
    "text, aggregate",
    [
        # a superlative over a period compares one incident with others
        (
            "The bombing of a market in Kirkuk on Monday, which killed nine people, was the "
            "deadliest attack in the city this year.",
            False,
        ),
        # a toll "so far" of one incident is still that incident's
        (
            "Two strikes by Iraqi jets on Monday have so far killed seven militants near Rutba, "
            "the army said.",
            False,
        ),
        # a count over a period is a tally
        ("Turkish strikes have killed 40 PKK fighters in Duhok so far this year.", True),
        # ... but one person dies once: a single victim is one incident, whatever the period
        (
            "A Peshmerga fighter was killed and another was wounded in clashes with ISIS "
            "near Gwer in March.",
            False,
        ),
        ("Clashes with ISIS near Gwer killed 14 Peshmerga fighters in March.", True),
        # a week stated day to day is a period of incidents
        (
            "ISIS said it carried out six attacks in Kirkuk from March 4 to March 10, killing "
            "four soldiers.",
            True,
        ),
    ],
)
def test_superlatives_and_tolls_so_far_are_not_tallies(text, aggregate):
    events = extract(clean(text), PubDate(D(PUB), "metadata"), "t")
    assert [e.is_aggregate for e in events] == [aggregate]


# --- boundaries --------------------------------------------------------------------------
def test_a_separate_incident_opener_keeps_two_incidents_apart():
    text = (
        "A Turkish drone struck a car near Sidakan on Monday, killing two PKK fighters. "
        "Earlier in the day, Turkish jets bombed a village near Amedi, wounding a shepherd."
    )
    events = incidents(text)
    assert sorted((e.killed or 0, e.wounded or 0) for e in events) == [(0, 1), (2, 0)]


@pytest.mark.parametrize(
    "text",
    [
        "Near Raqqa, four coalition strikes destroyed three fighting positions, a mortar "
        "system and two vehicle bomb factories on Monday.",
        # a destroyed gun is a target, not the weapon of the strike
        "Near Tabqa, four coalition strikes destroyed a tunnel and two artillery pieces on Monday.",
        "On Monday, near Hajin, four coalition strikes destroyed an ISIS artillery gun.",
        "Four coalition strikes hit a rocket battery and a supply route near Raqqa on Monday.",
    ],
)
def test_equipment_named_with_incident_words_is_not_an_incident(text):
    e = one(text)
    assert (e.event_type, e.strikes, e.actor1) == ("airstrike", 4, "International Coalition")


# --- datelines ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dateline",
    [
        "BASRA, 3 March, 2024, (XNA): ",
        "BASRA, Iraq, Mar. 3 (Wire) - ",
        "BASRA: ",
        "BASRA (Wire) — ",
    ],
)
def test_a_dateline_neither_places_nor_dates_the_incident(dateline):
    text = (
        dateline + "Gunmen attacked an army checkpoint in Tarmiyah on Monday, killing two soldiers."
    )
    e = one(text, "2024-03-05")
    assert (e.admin1, e.event_date) == ("Baghdad", D("2024-03-04"))


# --- list reports ------------------------------------------------------------------------
STRIKE_LIST = """Coalition strikes continue against ISIS
TAMPA, Fla., March 20, 2024 — Coalition forces struck ISIS targets in Syria yesterday.
In Syria, coalition military forces conducted five strikes against ISIS targets:
-- Near Hajin, three strikes engaged an ISIS tactical unit and destroyed a fighting position.
-- Near Hasakah, two strikes destroyed an ISIS headquarters and an IED factory.
Officials said assessments were continuing."""


def test_each_item_of_a_strike_list_is_an_incident_on_the_lists_day():
    events = extract(clean(STRIKE_LIST), PubDate(D(PUB), "metadata"), "t")
    header = [e for e in events if e.is_aggregate]
    items = sorted((e for e in events if not e.is_aggregate), key=lambda e: e.strikes)
    assert [e.strikes for e in header] == [5]
    assert [(e.strikes, e.admin1, e.country) for e in items] == [
        (2, "Hasakah", "Syria"),
        (3, "Deir ez-Zor", "Syria"),
    ]
    assert {(e.event_type, e.actor1, e.event_date) for e in items} == {
        ("airstrike", "International Coalition", D("2024-03-19"))
    }


# --- boundaries, continued --------------------------------------------------------------
def test_a_casualty_sentence_without_a_number_gives_the_incident_its_day_and_place():
    text = (
        "A roadside bomb killed three soldiers and wounded two others, the army said on "
        "Sunday. The soldiers were killed near Tarmiyah late on Saturday."
    )
    e = one(text, "2024-03-17")
    assert (e.event_date, e.admin1, e.killed, e.wounded) == (D("2024-03-16"), "Baghdad", 3, 2)


def test_and_on_another_day_joins_two_incidents():
    text = (
        "Two soldiers were killed in an ambush near Baiji on Tuesday, and on Monday, three "
        "ISIS members were killed in an operation near Hawija."
    )
    got = sorted((e.event_date, e.killed) for e in incidents(text))
    assert got == [(D("2024-03-18"), 3), (D("2024-03-19"), 2)]


def test_another_target_is_another_incident():
    text = (
        "A drone struck a pickup truck near Sidakan on Monday, killing two PKK fighters. "
        "On Tuesday, a drone targeted another vehicle near Mergasor."
    )
    assert len(incidents(text)) == 2


def test_rockets_that_have_landed_are_one_incident_not_a_tally():
    e = one("At least six rockets have landed near the Green Zone in Baghdad, police said.")
    assert (e.event_type, e.is_aggregate, e.weapon) == ("shelling", False, "rocket")


def test_a_defused_bomb_is_no_bombing():
    assert incidents("Police defused a roadside bomb near a school in Kirkuk on Monday.") == []


def test_a_joint_subject_is_credited_to_the_side_named_first():
    e = one(
        "Iraqi army and coalition aircraft struck ISIS caves in the Makhoul mountains on "
        "Monday, killing six militants."
    )
    assert e.actor1 == "Iraqi Security Forces"


def test_a_target_named_before_a_passive_trigger_is_not_its_subject():
    text = "ISIS hideout targeted near Kirkuk\n\nIraqi jets bombed the hideout on Monday."
    e = one(text)
    assert (e.actor1, e.actor2) == ("Iraqi Security Forces", "ISIS")


def test_a_response_clause_with_its_own_day_and_place_is_its_own_incident():
    text = (
        "The US strikes came in retaliation for militia attacks on US troops, including a "
        "drone attack on the Tower 22 outpost in Jordan on Sunday, US officials said."
    )
    got = [(e.event_type, e.country, e.event_date) for e in incidents(text)]
    assert ("airstrike", "Jordan", D("2024-03-17")) in got


def test_a_bare_response_clause_adds_no_incident():
    text = (
        "US aircraft struck a militia depot near Al-Qaim on Monday in response to attacks on "
        "US forces, the Pentagon said."
    )
    assert [(e.event_type, e.actor1) for e in incidents(text)] == [("airstrike", "United States")]


# --- size --------------------------------------------------------------------------------
def test_a_huge_text_is_read_for_events_only_up_to_the_budget():
    from etl.extract import MAX_CHARS, within_budget

    filler = "".join(
        f"The council met for the {n}th time to discuss the budget and the school term.\n"
        for n in range(2000)
    )
    strike = "Iraqi F-16 jets struck an ISIS hideout near Hawija on Monday, killing four militants."
    early = one(strike + "\n" + filler)  # the incident inside the budget is found
    assert early.killed == 4
    assert incidents(filler + strike) == []  # past the budget it is not read
    blocks = within_budget(clean(filler + strike))
    assert sum(len(b.text) + 1 for b in blocks) <= MAX_CHARS + 1


def test_the_pipeline_notes_a_text_cut_to_the_budget():
    from etl.pipeline import process
    from etl.sources import make_article

    text = "".join(
        f"Iraqi jets struck ISIS near Hawija on Monday, killing {n} militants.\n"
        for n in range(2, 2000)
    )
    article, events = process(make_article("long.txt", text, {"published": "2024-03-20"}))
    assert article.status == "ok" and "events read from the first" in article.error
    assert events


def test_an_undated_incident_takes_the_day_of_the_scene_set_just_before():
    text = (
        "Coalition aircraft flew over the Euphrates valley on Monday. They struck an ISIS "
        "command post near Hajin, killing four militants."
    )
    assert one(text).event_date == D("2024-03-18")


def test_the_day_of_another_act_is_no_scene():
    text = (
        "Mourners held a funeral on Monday in Sinjar. A drone struck a car near the town, "
        "killing two fighters."
    )
    assert one(text).date_precision == "unknown"


@pytest.mark.parametrize(
    "text, killed",
    [
        (
            "A US drone strike in Baghdad on Monday killed a militia commander and two of his "
            "guards.",
            3,
        ),
        ("An ISIS ambush near Khanaqin on Monday killed two soldiers and a civilian.", 3),
        # a second group of the other verb is not added
        ("Two soldiers were killed and a third was wounded in an ambush near Baiji on Monday.", 2),
        (
            "Four soldiers, among them an officer, were killed and two others wounded on Monday "
            "in an ambush near Baiji.",
            4,
        ),
    ],
)
def test_victims_joined_by_and(text, killed):
    assert one(text).killed == killed


def test_victims_with_an_aside_before_the_verb_are_counted():
    e = one(
        "Three PMF fighters, one of them a commander, were wounded by an IED near Baiji on Monday."
    )
    assert e.wounded == 3


def test_a_denial_is_no_incident():
    text = "The PMF denied on Monday that any of its positions near Qaim had been struck by drones."
    assert incidents(text) == []


def test_a_reaction_to_last_weeks_strikes_starts_no_incident():
    text = "The prime minister condemned last week's Turkish strikes on Duhok on Monday."
    assert incidents(text) == []


def test_the_headline_aircraft_types_a_body_that_only_says_bombed():
    text = (
        "Iraqi jets kill three ISIS members near Hawija\n\n"
        "Three militants were killed on Monday when their hideout near Hawija was bombed."
    )
    e = one(text)
    assert (e.event_type, e.actor1, e.killed) == ("airstrike", "Iraqi Security Forces", 3)


def test_a_tally_of_times_is_an_aggregate_with_its_count():
    text = "Turkish drones have struck the Kurdistan Region at least 120 times this year."
    events = extract(clean(text), PubDate(D(PUB), "metadata"), "t")
    assert [(e.is_aggregate, e.strikes, e.actor1) for e in events] == [(True, 120, "Turkey")]


# --- blame over the whole article is looked for only behind its keyword gate ----------------
# One sentence per BLAME frame, by the frame's index: every frame must match its sentence,
# every frame must have one, and the gate must let each through.
BLAME_SENTENCES = [
    (0, "Provincial officials accused the PKK of planting the device."),
    (1, "The PKK has been widely blamed for the explosion."),
    (2, "ISIS later claimed responsibility for the ambush."),
    (2, "Channels close to the PKK claim responsibility for the ambush."),
    (3, "The bombing was claimed by ISIS in a statement."),
    (4, "Police attributed the roadside blast to ISIS sleeper cells."),
]


def test_every_blame_frame_has_a_case():
    from etl import role_rules

    assert sorted({i for i, _ in BLAME_SENTENCES}) == list(range(len(role_rules.BLAME)))


@pytest.mark.parametrize("frame, sentence", BLAME_SENTENCES)
def test_every_blame_frame_passes_the_gate(frame, sentence):
    from etl import role_rules

    abstracted, _ = abstract(sentence, len(sentence), len(sentence), find_actors(sentence))
    assert role_rules.BLAME[frame].search(abstracted), abstracted
    assert role_rules.BLAME_HINT.search(sentence)


# --- a raid with fighting is a clash -------------------------------------------------------
@pytest.mark.parametrize(
    "text, etype",
    [
        (
            "Iraqi troops raided an ISIS hideout near Hawija on Monday and arrested four men.",
            "ground_operation",
        ),
        (
            "Iraqi troops raided an ISIS hideout near Hawija on Monday, killing two militants.",
            "armed_clash",
        ),
        (
            "Two US soldiers were wounded on Monday in a raid on an ISIS cell near Hawija.",
            "armed_clash",
        ),
        (
            "A security operation against ISIS remnants near Hawija on Monday left one "
            "policeman injured.",
            "armed_clash",
        ),
    ],
)
def test_a_raid_with_casualties_is_a_raid_with_fighting(text, etype):
    assert one(text).event_type == etype


# --- the incident an attack answered keeps its own toll -------------------------------------
def test_the_toll_of_the_incident_answered_is_not_the_answers():
    text = (
        "Turkish jets struck PKK hideouts near Amedi on Monday, Ankara said, calling it "
        "retaliation for an ambush that killed two soldiers."
    )
    strikes = [e for e in incidents(text) if e.event_type == "airstrike"]
    assert [(e.actor1, e.killed) for e in strikes] == [("Turkey", None)]


def test_a_toll_after_the_answer_clause_is_the_incidents_own():
    e = one(
        "Turkish jets struck PKK hideouts near Amedi on Monday in revenge for last week's "
        "attack on a border post, killing 12 militants."
    )
    assert (e.event_type, e.killed) == ("airstrike", 12)


def test_nobody_hurt_after_an_answered_incident_is_zero_for_the_answer():
    text = (
        "Iran said it fired missiles at a compound near Erbil early on Monday, saying it was "
        "revenge for a strike that killed two of its officers. No injuries were reported in "
        "the attack, which deepened the rift between Washington and Iran."
    )
    shelling = [e for e in incidents(text) if e.event_type == "shelling"]
    assert [(e.actor1, e.killed, e.wounded, e.country) for e in shelling] == [
        ("Iran", 0, 0, "Iraq")
    ]


@pytest.mark.parametrize(
    "text, country",
    [
        ("Rockets hit a base near Erbil on Monday amid tension between the US and Iran.", "Iraq"),
        (
            "Two Kurdish fighters were killed in a clash inside Iran on Monday, the party said.",
            "Iran",
        ),
        (
            "Iranian shelling hit villages in northwestern Iran on Monday, wounding a farmer.",
            "Iran",
        ),
    ],
)
def test_iran_as_a_place_is_a_location_phrase_not_a_name(text, country):
    assert one(text).country == country


# --- victims listed one by one ----------------------------------------------------------------
@pytest.mark.parametrize(
    "text, killed",
    [
        (
            "A drone hit a car near Sidakan on Monday, "
            "killing a PKK official, his driver, and another fighter.",
            3,
        ),
        (
            "A bomb went off near Tikrit on Monday, "
            "killing a soldier, his wife and their two children.",
            4,
        ),
        ("Gunmen killed a shepherd and his brother near Rutba on Monday.", 2),
        (
            "A drone struck a car near Sinjar on Monday, "
            "killing a commander and another member of the group.",
            2,
        ),
        # "another" that opens a clause of its own is no victim
        (
            "A drone struck a car near Sinjar on Monday, "
            "killing a PKK commander, another militant said.",
            1,
        ),
    ],
)
def test_victims_listed_one_by_one_are_counted(text, killed):
    assert one(text).killed == killed


def test_earlier_in_the_day_opens_another_incident_even_with_no_place_apart():
    text = (
        "A Turkish drone struck a car near Sidakan on Monday, killing two PKK fighters. "
        "Roj News said the car was targeted as it drove to a wedding. Earlier in the day, "
        "Turkish jets bombed Sidakan district. No casualties were reported in that attack."
    )
    got = sorted((e.killed, e.wounded) for e in incidents(text))
    assert got == [(0, 0), (2, None)]


# --- one sentence, one incident told by two incident words -----------------------------------
@pytest.mark.parametrize(
    "text, actor1",
    [
        # the strongest word ("artillery shells") is far from the verb whose subject acted
        (
            "Late on Monday, Iranian factions targeted a US base in eastern Syria. the "
            "London-based monitoring group for the war said artillery shells fell in the oil "
            "field around it.",
            "Iran-backed militias",
        ),
        # a nominal mention of another incident lends it no agent
        (
            "Iraqi jets bombed suspects near Tuz Khurmatu on Monday in the wake of a deadly "
            "ISIS attack.",
            "Iraqi Security Forces",
        ),
    ],
)
def test_another_incident_verb_in_the_sentence_names_the_agent(text, actor1):
    assert one(text).actor1 == actor1


# --- an unclaimed strike on ISIS is Iraq's own only in Iraq ---------------------------------
@pytest.mark.parametrize(
    "text, actor1",
    [
        ("An air strike killed two ISIS commanders near Rutba on Monday.", "Iraqi Security Forces"),
        (
            "An air strike killed two ISIS commanders near a village in Syria's Idlib "
            "province on Monday.",
            "Unknown",
        ),
    ],
)
def test_an_unclaimed_strike_on_isis_is_iraqs_only_in_iraq(text, actor1):
    assert one(text).actor1 == actor1


# --- a count of targets is a tally only when no day of its own is told -------------------------
@pytest.mark.parametrize(
    "text, aggregate",
    [
        ("Turkish jets struck 12 PKK targets in the Zap and Metina regions on Monday.", False),
        (
            "The ministry said on Monday that its jets had struck 12 PKK targets in the Zap "
            "and Metina regions.",
            True,
        ),
    ],
)
def test_a_target_count_with_its_own_day_is_one_operation(text, aggregate):
    # announced with no day of its own: no dated incident comes of it
    assert len(incidents(text)) == (0 if aggregate else 1)


# --- "N days later" counts from the incident just told ------------------------------------------
@pytest.mark.parametrize(
    "second, day",
    [
        ("Two days later, another drone struck a house in the Amadiya district, wounding two.", 16),
        ("A day later, ISIS gunmen attacked a PMF post near Hawija, killing two fighters.", 15),
        ("Three days later, gunmen attacked a PMF post near Hawija, killing two fighters.", 17),
    ],
)
def test_days_later_counts_from_the_incident_just_told(second, day):
    text = "A Turkish drone hit a car near Sinjar on Thursday, killing one person. " + second
    got = sorted(e.event_date for e in incidents(text, "2024-03-20"))
    assert got == [D("2024-03-14"), D(f"2024-03-{day}")]


# --- more victims, told after the incident ---------------------------------------------------
@pytest.mark.parametrize(
    "second, killed, wounded",
    [
        ("Two civilians who were passing by were also killed.", 2, None),
        ("Three workers who were driving past were also wounded.", None, 3),
    ],
)
def test_victims_with_a_relative_clause_count_for_the_incident_just_told(second, killed, wounded):
    e = one("A Turkish drone struck a PKK vehicle near Sinjar on Monday. " + second)
    assert (e.killed, e.wounded) == (killed, wounded)


# --- the attackers' own losses, and the side that repelled them -----------------------------
@pytest.mark.parametrize(
    "text, sides",
    [
        (
            "The Peshmerga repelled an ISIS attack on their positions near Gwer on Friday, "
            "killing five of the attackers.",
            ("ISIS", "Peshmerga", [("ISIS", 5)]),
        ),
        (
            "Iraqi troops fought off an ISIS attack on a village near Tarmiyah on Monday, killing "
            "three of the assailants.",
            ("ISIS", "Iraqi Security Forces", [("ISIS", 3)]),
        ),
    ],
)
def test_the_attackers_losses_and_the_defenders(text, sides):
    e = one(text)
    assert (e.actor1, e.actor2, [(c.actor, c.killed) for c in e.casualties]) == sides


# --- a sentence that opens with "N days after <the incident>" ---------------------------------
@pytest.mark.parametrize(
    "second, expected",
    [
        (
            "A day after the bombing, ISIS gunmen attacked a PMF post in Hawija, killing two "
            "fighters.",
            ("armed_clash", D("2024-03-17"), 2, None),
        ),
        (
            "Two days after the blast, a roadside bomb wounded three soldiers near Hit.",
            ("bombing", D("2024-03-18"), None, 3),
        ),
    ],
)
def test_an_opening_anchor_dates_the_rest_of_the_sentence_from_the_incident_before(
    second, expected
):
    text = "An IED killed a soldier in Tarmiyah on Saturday. " + second
    events = sorted(incidents(text, "2024-03-20"), key=lambda e: e.event_date)
    first, then = events
    assert (first.event_date, first.killed) == (D("2024-03-16"), 1)
    assert (then.event_type, then.event_date, then.killed, then.wounded) == expected

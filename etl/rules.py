"""Extraction rules as data: triggers, actors, weapons, numbers and cue words.

Every table here is read by `etl.extract`; changing what the extractor
recognises means editing a table, not adding an `if`.
"""

from __future__ import annotations

import re

from .dates import calendar
from .schema import ACTORS as ACTORS_VOCABULARY

I = re.I  # noqa: E741 (short flag alias keeps the tables readable)


class Gated:
    """A rare pattern behind a cheap test: `search` and `match` run the regex only when
    one of `words` occurs in the lower-cased text (most sentences have none of them)."""

    def __init__(self, rx: re.Pattern, *words: str) -> None:
        self.rx, self.words, self.pattern = rx, words, rx.pattern

    def _maybe(self, text: str) -> bool:
        lower = text.lower()
        return any(w in lower for w in self.words)

    def search(self, text: str, *args):
        return self.rx.search(text, *args) if self._maybe(text) else None

    def match(self, text: str, *args):
        return self.rx.match(text, *args) if self._maybe(text) else None

    def sub(self, repl, text: str):
        return self.rx.sub(repl, text) if self._maybe(text) else text


# --- event triggers -----------------------------------------------------------
# (pattern, event type or None for "some attack, type decided by context", strength)
# Strength 2 = names the kind of incident; 1 = a generic attack word; 0 = an operation
# with no reported violence (ground_operation).
TRIGGERS: tuple[tuple[str, str | None, int], ...] = (
    (
        r"\bair[\s-]?strikes?\b|\bair[\s-]?raids?\b|\baerial (?:bombardment|attacks?|strikes?)",
        "airstrike",
        2,
    ),
    (
        r"\bbombed from the air\b|\bdrone (?:attacks?|strikes?)\b|\bair[\s-]?attacks?\b",
        "airstrike",
        2,
    ),
    (
        r"\b(?:warplanes?|fighter jets?|jets|aircraft|drones?|helicopters?|f-16s?)\b[^.;]{0,40}?\b(?:struck|hit|hits|targeted|targets|pounded|pounds|bombed|bombs|bombarded|bombards|hammered|hammers|slammed into|crashed into|attacked|attacks|destroyed|destroys|kill|kills|strik\w*|hitting|targeting)\b",
        "airstrike",
        2,
    ),
    (
        r"\bshelling\b|\bshelled\b|\bartillery (?:fire|shells?|attacks?|bombardments?|barrages?|strikes?)\b|\bmortars?\b|\bshells fell\b|\b(?:rocket|missile|mortar) barrages?\b",
        "shelling",
        2,
    ),
    (
        r"\b(?:fired|launched|lobbed)\s+(?:\w+\s+)?(?:rockets?|mortars?|shells|missiles?)\b|\brocket (?:attacks?|fire)\b|\b(?:rockets?|missiles?)\b[^.;]{0,50}?\b(?:hit|landed|fell|struck|targeted|slammed into)\b|\brockets? (?:were )?fired\b|\bkatyusha",
        "shelling",
        2,
    ),
    (r"\bmissile (?:attacks?|strikes?)\b", "shelling", 2),
    # the aircraft as the passive agent: "wounded by a Turkish drone", "hit by warplanes"
    # (not "backed by aircraft": that raid is a ground action)
    (
        r"(?<!backed )(?<!supported )(?<!covered )\bby\s+(?:an?\s+|the\s+|\w+\s+){0,2}?(?:drones?|UAVs?|warplanes?|fighter jets?|helicopter gunships?|helicopters?)\b",
        "airstrike",
        2,
    ),
    (
        r"\b(?:launched|fired|sent|flew)\s+(?:\w+\s+){0,2}?(?:drones?|UAVs?)\b|\b(?:drones?|UAVs?)\b[^.;]{0,40}?\b(?:was|were)\s+(?:\w+\s+)?(?:shot down|intercepted|downed)\b|\b(?:shot down|intercepted|downed)\s+(?:an?\s+|two\s+|three\s+|\d+\s+)?(?:[\w-]+\s+){0,2}?(?:drones?|UAVs?)\b",
        "airstrike",
        2,
    ),
    (
        r"\bsuicide (?:bomb\w*|attacks?\b|vest)|\bcar bomb\w*|\bbomb(?:ing|ings|s)?\b|\bimprovised explosive|\bIEDs?\b|\bexplosive device|\bexplosions?\b|\bblasts?\b|\blandmines?\b|\bdetonat\w+",
        "bombing",
        2,
    ),
    (
        r"\bclash(?:es|ed)?\b|\bambush(?:es|ed)?\b|\bfirefights?\b|\bgun ?battles?\b|\bconfrontations?\b|\bfighting\b|\bstormed\b|\bexchange(?:s|d)? (?:of )?fire\b|\bexchanging fire\b|\bassaults? (?:on|against)\b",
        "armed_clash",
        2,
    ),
    (
        r"\bexecut(?:ed|ing)\s+(?:\w+\s+){0,3}?(?:civilians?|people|men|women|prisoners|hostages|villagers|residents|\d+)\b|\bexecutions?\b|\babduct\w*|\bkidnap\w*|\bshot dead\b|\bassassinat\w+|\bmassacre",
        "attack",
        2,
    ),
    # armed men as the agent: "gunmen opened fire on", "assailants wounded two guards"
    (
        r"\b(?:gunmen|assailants|attackers|armed men)\b[^.;]{0,40}?\b(?:attacked|opened fire|killed|killing|wounded|wounding|injured|injuring|shot|stormed)\b",
        None,  # typed by the victims: civilians make it an attack, a force a clash
        2,
    ),
    (
        r"\bstrikes?\b|\bstruck\b|\btarget(?:ed|ing)\b|\bpounded\b|\bhit\b|\bbombed\b|\bbombard(?:ed|ing|ment|ments)\b|\bhammered\b",
        None,
        1,
    ),
    (r"\battack(?:s|ed|ing)?\b|\boffensives?\b", None, 1),
    (r"\bopened fire\b|\bfired (?:at|on|upon)\b|\bshot at\b", None, 2),
    (
        r"(?<!were )(?<!was )(?<!been )\b(?:killed|killing|shot|gunned down|wounded|wounding|injured|injuring)\s+(?:at least\s+|more than\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a number of|several|dozens)\b",
        None,
        1,
    ),
    (
        r"\braids? (?:on|against)\b|\b(?:security|military|search|combing) (?:operation|campaign|sweep)s?\b|\bground (?:sweep|operation)s?\b|\braids?\b|\barrest(?:ed|s)?\b|\bcomb\b",
        "ground_operation",
        0,
    ),
    (r"\boperation\b", "ground_operation", 0),
)

# Weapon words; the first match in a mention wins (tables are ordered specific -> general).
WEAPONS: tuple[tuple[str, str], ...] = (
    (r"\bF-?16s?\b", "F-16"),
    (r"\bSu-?25s?\b", "Su-25"),
    (r"\bdrones?\b|\bUAVs?\b|\bunmanned aerial", "drone"),
    (r"\bhelicopters?\b", "helicopter"),
    (r"\bsuicide (?:bomb\w*|attacks?\b|vest)", "suicide bomb"),
    (r"\bcar bomb\w*|\bVBIEDs?\b|\bbooby-trapped (?:car|vehicle)", "car bomb"),
    (r"\bIEDs?\b|\bimprovised explosive|\bexplosive device|\broadside bomb|\blandmines?\b", "IED"),
    (r"\bkatyusha|\brockets?\b", "rocket"),
    (r"\bmissiles?\b", "missile"),
    (r"\bartillery\b|\bmortars?\b|\bshells\b", "artillery"),
    (r"\blight weapons\b|\bsmall arms\b|\bgunfire\b|\bmachine guns?\b|\bsniper", "small arms"),
)
AIR_WEAPONS = frozenset({"F-16", "Su-25", "drone", "helicopter"})
GROUND_FIRE_WEAPONS = frozenset({"rocket", "missile", "artillery"})
BOMB_WEAPONS = frozenset({"IED", "suicide bomb", "car bomb"})
AIRCRAFT = re.compile(
    r"\b(?:warplanes?|fighter jets?|jets|aircraft|air force|aviation|drones?|helicopters?|F-?16s?|air falcons)\b",
    I,
)

# --- actors -------------------------------------------------------------------
# (pattern, canonical actor). Ordered: the first pattern that matches a stretch of
# text claims it, so compound names come before the words inside them.
# Officers and ranks: security forces by themselves, another side's after its name ("US
# officers"; see GENERIC_FORCE_NOUN).
_RANKS = r"officers|(?:police|army|intelligence) officer|lieutenants?|colonels?|sergeants?|brigadiers?|conscripts|recruits"
ACTORS: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:US|U\.S\.?|American)[- ][Ll]ed (?:international |global |anti-ISIS |anti-IS )?[Cc]oalition(?: forces| aircraft| warplanes| jets)?|\binternational coalition|\bglobal coalition|\bcoalition\b|\bCJTF-OIR\b",
        "International Coalition",
    ),
    (
        r"\bSinjar (?:Resistance|Protection) Units\b|\bYB[SŞ]\b|\bPKK\b|\bHPG\b|\bKurdistan Workers['’]? Party\b|\bPKK-affiliated\b",
        "PKK",
    ),
    (
        r"\bIslamic Resistance in Iraq\b|\bIraqi Resistance\b|\bResistance Coordination Committee\b|\bKata'?ib Hezbollah\b|\bKataib Hizbullah\b|\bNujaba\b|\bAsa'?ib Ahl al[- ]Haq\b|\bKata'?ib Sayyid al[- ]Shuhada\b|\bIran(?:ian)?[- ](?:backed|aligned|allied|affiliated|supported|sponsored|linked)\s+(?:[\w-]+\s+)?(?:factions?|militias?|groups?|armed groups|fighters|militants|paramilitar(?:y|ies)|proxies)\b|\bpro-Iran(?:ian)? (?:[\w-]+\s+)?(?:militias?|factions?|groups?|fighters|militants)\b|\bIranian factions\b|\b(?:the )?Resistance\b",
        "Iran-backed militias",
    ),
    (r"\bSyrian Democratic Forces\b|\bSDF\b|\bYPG\b", "SDF"),
    (
        r"\bPopular Mobili[sz]ation (?:Forces?|Units|Authority|Commission)\b|\bPMFs?\b|\bPMUs?\b|\bHashd(?: al-Shaabi| Shaabi)?\b|\b(?:Iraqi )?popular forces\b|\btribal mobili[sz]ation\b|\bmobili[sz]ation forces\b",
        "Popular Mobilization Forces",
    ),
    (
        r"\bPeshmerga\b|\bAsayish\b|\bKurdish (?:forces|fighters|security)\b|\bKurdistan(?:'s| Region'?s?)? Counter[- ]Terrorism (?:Department|Directorate)\b",
        "Peshmerga",
    ),
    (
        r"\bIslamic State\b|\bISIS\b|\bISIL\b|\bDaesh\b|\bDa'esh\b|\bIS(?= |-|\))|\bjihadists?\b",
        "ISIS",
    ),
    (r"\bTurk(?:ish|ey'?s?)\b|\bAnkara\b|\bMIT\b", "Turkey"),
    (
        r"\bIRGC\b|\bRevolutionary Guards?\b|\bPasdaran\b|\bIranian (?:army|forces|troops|drones?|artillery|(?:ballistic )?missiles?|strikes?|shelling|bombardment|warplanes?)\b|\bIran\b",
        "Iran",
    ),
    (
        rf"\bCounter[- ]Terrorism Service\b|\bCTS\b|\bJoint Operations Command\b|\bSecurity Media Cell\b|\bIraqi (?:army|air ?force|armed forces|forces|security forces|security services|troops|soldiers|military|police|federal police|intelligence|warplanes|aircraft|jets|F-16s?|aviation|airstrikes?|air ?strikes?|drones?|helicopters?)\b|\bIraqi F-16|\barmy aviation\b|\bAir Falcons\b|\bfederal police\b|\bpolice\b|\b[A-Z]\w+ Operations Command\b|\bsecurity forces\b|\b(?:Iraqi )?army\b|\bsoldiers?\b|\btroops\b|\bpolicem[ae]n\b|\b(?:{_RANKS})\b",
        "Iraqi Security Forces",
    ),
    (
        r"\b(?:US|U\.S\.?|American|United States)(?![\w.])|\bWashington\b|\bPentagon\b|\bCENTCOM\b|\bAmericans\b",
        "United States",
    ),
    (
        r"\bcivilians?\b|\bvillagers?\b|\bshepherds?\b|\bworshipp?ers\b|\bfarmers?\b|\bchildren\b|\bwomen\b|\bpeople\b|\bresidents\b|\bpilgrims\b|\btourists\b|\bjournalists?\b|\bactivists?\b|\bprotesters\b|\bdemonstrators\b|\bchild\b|\bboys?\b|\bgirls?\b|\bwoman\b|\bvisitors\b|\bpassengers\b|\bstudents\b|\bworkers\b|\bshop ?(?:owners?|keepers?)\b|\bmukhtars?\b|\bteachers?\b|\bdoctors?\b|\bnurses?\b|\bengineers?\b|\b(?:local|municipal|village|government|provincial) officials?\b|\btraders?\b|\bmerchants?\b|\bdrivers?\b|\bfishermen\b|\blawyers?\b|\bjudges?\b|\bfamil(?:y|ies)\b|\bhunters\b|\bherders?\b|\bpassers-by\b|\bbystanders\b|\bpedestrians\b|\bmotorists\b|\blabou?rers\b|\bimams?\b|\bclerics?\b|\brelatives\b",
        "Civilians",
    ),
    (
        r"\b(?:unidentified|unknown) (?:gunmen|assailants|attackers|jets|warplanes|aircraft|drones?)\b|\bgunmen\b",
        "Unknown",
    ),
)
# Force nouns that name no side by themselves: after another side's name ("US troops",
# "Turkish soldiers", "coalition forces") they belong to that side, not to the Iraqi forces.
GENERIC_FORCE_NOUN = re.compile(
    rf"(?:(?:military|armed|security|ground|special)\s+)?(?:troops|soldiers?|forces|army|military|personnel|police|service ?members?|{_RANKS})",
    I,
)
# Words for fighters of whichever group the article is about ("militants", "terrorists").
GENERIC_ENEMY = re.compile(
    r"\b(?:militants?|terrorists?|insurgents?|extremists?|jihadists?|sleeper cells?|cells?|remnants)\b",
    I,
)
ARMED_ACTORS = frozenset(ACTORS_VOCABULARY) - {"Civilians", "Unknown"}
# Pairs that reports of one incident may use for the same side.
OVERLAPPING_ACTORS = frozenset(
    frozenset(p)
    for p in (
        ("Iraqi Security Forces", "Popular Mobilization Forces"),
        ("United States", "International Coalition"),
        ("Iran", "Iran-backed militias"),
        ("PKK", "Peshmerga"),
    )
)
# Sides an article's main armed group ("militants") typically attacks.
# Sides a report names loosely ("killing three people", "three were killed"): the same dead
# as a named side's equal count in another report (etl.extract.events).
LOOSE_SIDES = ("Civilians", "Unknown")
ENEMY_TARGETS = frozenset(
    {"Civilians", "Iraqi Security Forces", "Popular Mobilization Forces", "Peshmerga"}
)
STRIKE_WORD = re.compile(r"strikes?|struck", I)
STATE_AIR_ACTORS = frozenset(
    {"Iraqi Security Forces", "International Coalition", "United States", "Turkey", "Iran"}
)

# --- numbers ------------------------------------------------------------------
NUMBER_WORDS = {  # the date engine's number words, plus counts only casualty reports use
    **calendar.NUMBER_WORDS,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "both": 2,
    "double": 2,
    "twin": 2,
}
# Vague quantities: (low, high) per the coding rules ("several" = 3+, "dozens" = 24+).
VAGUE_NUMBERS = {
    "several": (3, None),
    "a few": (2, None),
    "few": (2, None),
    "some": (2, None),
    "dozens": (24, None),
    "dozens of": (24, None),
    "tens": (20, None),
    "tens of": (20, None),
    "scores": (40, None),
    "hundreds": (200, None),
    "hundreds of": (200, None),
    "thousands": (2000, None),
    "thousands of": (2000, None),
    "many": (3, None),
    "others": (2, None),
    "multiple": (2, None),
    "numerous": (3, None),
    "a number of": (2, None),
    "a large number of": (3, None),
    "a handful of": (2, None),
    "a group of": (2, None),
}
# Qualifiers before a number: how they turn N into (low, high).
NUMBER_QUALIFIERS = (
    (r"at least|no (?:fewer|less) than|a minimum of", "at_least"),
    (r"more than|over|upwards of", "more_than"),
    (r"about|around|approximately|nearly|almost|roughly|some|close to|an estimated", "about"),
    (r"up to|as many as|at most", "up_to"),
)
_NUM_WORD_ALT = "|".join(
    sorted((re.escape(w) for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True)
)
_VAGUE_ALT = "|".join(sorted((re.escape(w) for w in VAGUE_NUMBERS), key=len, reverse=True))
_QUAL_ALT = "|".join(q for q, _ in NUMBER_QUALIFIERS)
NUMBER = (
    rf"(?:(?P<qual>{_QUAL_ALT})\s+)?"
    rf"(?:between\s+(?P<lo>\d+|{_NUM_WORD_ALT})\s+(?:and|to)\s+(?P<hi>\d+|{_NUM_WORD_ALT})"
    rf"|(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_NUM_WORD_ALT})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?)(?![a-z])"
    rf"|(?P<vague>{_VAGUE_ALT}))"
)

# --- casualties ---------------------------------------------------------------
# Who: up to six words naming the victims between the number and the verb.
_TOKEN = r"[\w'’.()#]+(?:-[\w'’.()]+)*"  # ("#": a masked date, "ISIS members on ###### were")
_NOT_WHO = r"(?!(?:dead|killed|wounded|injured|and|or|\d)\b|\d)"
_ASIDE_OPENERS = r"(?:including|among them|among whom|of whom|two of them|one of them|some of them|most of them|an?|the|\w+ of them)"
_WHO = (
    rf"(?P<who>(?:{_NOT_WHO}{_TOKEN}\s+){{0,9}}?(?:{_TOKEN}(?=,\s*{_ASIDE_OPENERS}\s|\s[-–—]\s))?)"
)
# "three of its personnel - two Americans and one Briton - had been killed"
# ... or a relative clause before the verb: "two civilians who were passing by were killed"
_ASIDE = rf"(?:,\s*{_ASIDE_OPENERS}\s[^,]{{0,60}},\s*|[-–—]\s[^-–—]{{1,60}}\s[-–—]\s*|(?<=\s)(?:who|that)\s+(?:were|was|had been)\s+(?:[\w-]+\s+){{1,4}}?(?=(?:were|was|had been|have been)\s))?"
# Victims named after the number, up to the next preposition or clause word.
_STOP = r"(?:in|on|at|and|while|after|during|when|including|near|from|by|with|as|who|that|were|was|inside|since|across|along|to|for|following)"
_WHO_AFTER = rf"(?P<who>(?:(?!{_STOP}\b)[\w'’.()-]+\s*){{0,7}})"
# "executed three herders", not "executed three precision strikes" or "executed an order"
_EXECUTED = r"(?:executed|executing)(?!\s+(?:[\w-]+\s+){0,3}?(?:air[\s-]?strikes?|strikes?|raids?|operations?|attacks?|missions?|sorties|orders?|plans?|duties)\b)"
# One victim: "killing a farmer", or one relative or companion of a victim just named
# ("... and wounding his son").
_KIN = r"(?:son|daughter|brother|sister|wife|husband|father|mother|child|baby|driver|guard|bodyguard|companion|nephew|niece|cousin|friend|colleague|neighbou?r)"
_ONE_OR_KIN = rf"an?|one|(?:his|her|its|their)(?=\s+{_KIN}\b)"
KILL_VERB = r"(?:killed|dead|died|slain|lost their lives|lost (?:his|her) life|perished|martyred|were killed|was killed)"
WOUND_VERB = r"(?:wounded|injured|hurt|injures)"
_ONE_KILL_VERB = r"(?:killed|shot dead|martyred)"
_ONE_WOUND_VERB = r"(?:wounded|injured|hurt)"
# Count pattern -> the word it ends on and cannot match without. Trying a pattern that opens
# with a number at every position of a sentence is slow: `etl.extract` tries it only on text
# where that word occurs.
COUNT_NEEDS: dict[re.Pattern, re.Pattern] = {}


def _count(pattern: str, needs: str | None = None) -> re.Pattern:
    rx = re.compile(pattern, I)
    if needs:
        COUNT_NEEDS[rx] = re.compile(rf"{needs}\b", I)
    return rx


KILLED_PATTERNS = (
    _count(
        rf"(?<!\bno )\b{NUMBER}\s+{_WHO}{_ASIDE}(?:(?:were|was|have been|had been|are|is|who were|who had been|had|reportedly|all|probably|also|later)\s+)*(?P<verb>{KILL_VERB})\b",
        needs=KILL_VERB,
    ),
    _count(
        rf"\b(?:killing|killed|kill|kills|shot dead|gunned down|shot and killed|{_EXECUTED}|murdered|murdering|beheaded|beheading|slaughtered|leaving|left|claimed the lives of|cost the lives of|death of|deaths of|killing of|killings of|bodies of|remains of)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|all\s+)?{NUMBER}\s*{_WHO_AFTER}"
    ),
    _count(
        rf"\b(?:shot dead|gunned down|shot and killed|killed|killing|assassinated|{_EXECUTED})\s+(?P<qual>)(?P<lo>)(?P<hi>)(?P<vague>)(?P<num>{_ONE_OR_KIN})\s+{_WHO_AFTER}"
    ),
    _count(
        rf"\b{NUMBER}\s+(?:dead\s+)?bodies\b(?:\s+(?:of|belonging to)\s+{_WHO_AFTER})?",
        needs="bodies",
    ),
    _count(
        rf"\bdeath toll\b[^.]{{0,60}}?\b(?:rose to|risen to|climbed to|of|reached|to|at)\s+{NUMBER}\b(?P<who>)"
    ),
)
WOUNDED_PATTERNS = (
    _count(
        rf"(?<!\bno )\b{NUMBER}\s+{_WHO}{_ASIDE}(?:(?:were|was|have been|had been|others|also|are|were also)\s+)*(?P<verb>{WOUND_VERB})\b",
        needs=WOUND_VERB,
    ),
    _count(
        rf"\b(?:wounding|injuring|wounded|injured)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?{NUMBER}\s*{_WHO_AFTER}"
    ),
    _count(
        rf"\b(?:wounding|injuring|wounded|injured)\s+(?P<qual>)(?P<lo>)(?P<hi>)(?P<vague>)(?P<num>{_ONE_OR_KIN})\b\s*{_WHO_AFTER}"
    ),
)
# "One soldier was killed while another was injured": "another" counts one more.
# "A member of the Peshmerga was killed", "one soldier was wounded"
_ONE = r"(?P<qual>)(?P<lo>)(?P<hi>)(?P<vague>)(?<!\bno )(?P<num>\b(?:an?|one))"
ONE_KILLED = _count(
    rf"{_ONE}\s+(?P<who>(?:{_TOKEN}\s+){{0,6}}?)(?:(?:was|has been|had been|is)\s+(?:also\s+|reportedly\s+)?{_ONE_KILL_VERB}\b|lost (?:his|her) life\b|died\b)",
    needs=r"(?:killed|shot dead|martyred|life|died)",
)
ONE_WOUNDED = _count(
    rf"{_ONE}\s+(?P<who>(?:{_TOKEN}\s+){{0,6}}?)(?:was|has been|had been|is)\s+(?:also\s+|reportedly\s+)?{_ONE_WOUND_VERB}\b",
    needs=_ONE_WOUND_VERB,
)
KILLED_PATTERNS += (ONE_KILLED,)
WOUNDED_PATTERNS += (ONE_WOUNDED,)
POSSESSIVE_ONE = {
    "his": 1,
    "her": 1,
    "its": 1,
    "their": 1,
}  # "wounding his son": one person (see _ONE_OR_KIN)
ANOTHER_WOUNDED = Gated(
    re.compile(rf"\banother (?:\w+ )?(?:was )?{WOUND_VERB}\b", I),
    "another",
)
# The incident an attack answered, told after it in a clause of its own: "struck near the
# consulate, saying it was retaliation for an Israeli strike that killed two members". Its
# toll is that incident's. The clause runs to the sentence's end or to a participle that
# goes back to the main incident (", killing 12 militants").
ANSWERED_INCIDENT = Gated(
    re.compile(
        r"\b(?:retaliation|revenge|reprisal|response)\s+(?:for|to)\b.*?(?=,\s+(?:killing|wounding|injuring|leaving)\b|[;.]|$)",
        I,
    ),
    "retaliat",
    "revenge",
    "reprisal",
    "respon",
)
# More victims of the incident just told, of another side: "two civilians who were passing by
# were also killed".
ALSO_VICTIMS = Gated(
    re.compile(r"\b(?:were|was)\s+also\s+(?:killed|wounded|injured|hurt)\b", I),
    "also",
)
# The attacking side's own dead: "killing five of the attackers", "two assailants were killed".
THE_ATTACKERS = re.compile(
    r"^\s*(?:of\s+)?(?:the\s+)?(?:attackers|assailants|raiders|infiltrators|attacking (?:fighters|militants|force))\b",
    I,
)
# The text says nobody was hurt: a count of zero ("no casualties were reported", "causing no
# casualties", "no injuries or damage were reported", "no one was hurt"). Not "no immediate
# reports of casualties" (unknown) and not "no civilian casualties" (one side only).
NO_CASUALTIES = Gated(
    re.compile(
        r"\bno (?:casualties|injuries|deaths|fatalities|losses)(?! among)\b(?:\s+(?:or|and)\s+(?:material\s+)?(?:damages?|injuries|losses))?(?:\s+(?:were|was|have been|had been)\s+(?:reported|recorded|caused|inflicted))?"
        r"|\b(?:causing|caused|causing any|resulting in|resulted in|leaving|left|with)\s+no\s+(?:casualties|injuries|deaths|fatalities)\b"
        r"|\bwithout (?:causing |inflicting |any )*(?:casualties|injuries|deaths)\b"
        r"|\bno(?: one|body) (?:was|were) (?:killed|hurt|injured|harmed|wounded)\b"
        r"|\b(?:there were |with )?no reports? of (?:casualties|injuries)\b",
        I,
    ),
    "no ",
    "nobody",
    "without",
)

# --- strikes ------------------------------------------------------------------
_STRIKES = r"(?:air[\s-]?strikes|air[\s-]?raids|strikes|raids|sorties)"
STRIKE_COUNTS = (
    _count(
        rf"\b{NUMBER}\s+(?:(?!(?:in|on|at|of|by|and|or|were|was|people|killed|dead|days?|times)\b)[\w-]+\s+){{0,2}}?{_STRIKES}\b",
        needs=_STRIKES,
    ),
    _count(rf"\bhitting\s+{NUMBER}\s+targets\b"),
    _count(rf"\b{NUMBER}\s+times\b", needs="times"),  # "struck the region 120 times this year"
)
# One strike: "an airstrike", "a Turkish drone strike", "another strike", "a similar
# strike", "a drone struck", "a suicide drone targeting". Not "the strike" (it may count
# the whole raid) and not "a series of strikes".
_ONE_WORD = r"(?:(?!(?:series|number|wave|round|campaign|string|spate)\b)[\w-]+\s+)"
ONE_STRIKE = re.compile(
    rf"\b(?:an?|one|another|a similar|a single)\s+{_ONE_WORD}{{0,3}}?(?:air[\s-]?strike|strike|air[\s-]?raid|drone strike|drone attack|bombardment)\b(?!s)"
    rf"|\b(?:an?|one|another)\s+{_ONE_WORD}{{0,3}}?(?:drone|UAV|warplane|fighter jet|jet|aircraft|helicopter|F-16)\s+(?:struck|targeted|targeting|hit|hitting|bombed|attacked|fired)\b"
    # "wounded by a Turkish drone"; "an unmanned drone carried out an attack on"
    rf"|\bby\s+(?:an?|one)\s+{_ONE_WORD}{{0,2}}?(?:drone|UAV|warplane|fighter jet|jet|aircraft|helicopter)\b(?!s)"
    rf"|\b(?:an?|one)\s+{_ONE_WORD}{{0,3}}?(?:drone|UAV)\s+(?:carried out|conducted|launched|attempting|attempted|tried|trying)\b",
    I,
)

# Word beginnings at least one trigger or casualty pattern needs: text with none is skipped.
INCIDENT_STEMS = tuple(
    [
        "air",
        "strik",
        "struck",
        "raid",
        "bomb",
        "shell",
        "artiller",
        "mortar",
        "rocket",
        "katyusha",
        "missile",
        "explo",
        "blast",
        "ied",
        "clash",
        "ambush",
        "fight",
        "confront",
        "battle",
        "gun",
        "execut",
        "abduct",
        "kidnap",
        "shot",
        "assassin",
        "massacre",
        "attack",
        "target",
        "hit",
        "pound",
        "offensive",
        "operation",
        "arrest",
        "sweep",
        "comb",
        "kill",
        "dead",
        "died",
        "death",
        "bodies",
        "remains",
        "wound",
        "injur",
        "hurt",
        "casualt",
        "martyr",
        "slain",
        "perish",
        "lives",
        "drone",
        "jet",
        "warplane",
        "aircraft",
        "helicopter",
        "f16",
        "su25",
        "storm",
        "detonat",
        "landmine",
        "sniper",
        "fire",
    ]
)
KILL_HINT = re.compile(
    r"\b(?:kill|dead|died|death|bodies|slain|lives|life|martyr|perish|remains|shot|gunned|assassin|execut)",
    I,
)
WOUND_HINT = re.compile(r"\b(?:wound|injur|hurt)", I)
CASUALTY_HINT = re.compile(f"{KILL_HINT.pattern}|{WOUND_HINT.pattern}", I)

# --- cues ---------------------------------------------------------------------
# A mention in a clause with one of these is not an incident that happened.
IRREALIS = re.compile(
    r"\b(?:will|would|could|might|may|should|shall|plans? to|planning to|threat(?:en(?:s|ed)?)?\s+to|vow(?:s|ed)? to|pledg(?:es|ed) to|warn(?:s|ed)?|to (?:carry out|launch|conduct|strike|target|attack|prevent|eliminate|deter|respond|hunt|wage)|capable of|ability to|in order to|aim(?:s|ed)? (?:at|to)|call(?:s|ed)? for|calling for|urg(?:es|ed)|if\b|unless\b|no longer|did not|does not|do not|didn't|never|ceased|halted|stopped|suspended|deni(?:ed|es|ing)|(?:foiled|thwarted|prevented|averted|disrupted)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:plots?|plans?|attempts?))\b",
    I,
)
HABITUAL = re.compile(
    r"\b(?:frequently|regularly|often|repeatedly|routinely|usually|sporadic|continu(?:e|es|ed|ing) to|continuing|ongoing|consecutive|back-to-back|persistent|for some time|began (?:launching|carrying)|ramped up|intensif(?:y|ied|ies)|has seen|lull|in the past|over the years|in past years|historically|strategy|campaign against|previous|series of attacks|such attacks|many attacks|several (?:strikes|attacks)|responsible for attacks|track down|complain(?:s|ed)? (?:that|of|about)|(?:are|is) (?:destroying|killing|targeting|hitting|displacing|terrori[sz]ing|harming|damaging|devastating|ravaging))\b",
    I,
)
BACKGROUND = re.compile(
    r"\b(?:anniversary|commemorat\w+|memorial|since emerging|so-called caliphate|territorial(?:ly)? defeat\w*|declared defeated)\b",
    I,
)
ANNOUNCE = re.compile(
    r"\b(?:announc\w+|said|says|reported|report|revealed|confirmed|stated|statement|told|claimed|declared|disclosed|added|noted|indicated|tweeted|published|issued|quoted)\b",
    I,
)
RECENTLY = re.compile(r"\brecently\b|\brecent\b", I)
# Dates relative to the incident told just before: (pattern, (low, high) days after it).
FOLLOWING = tuple(
    (re.compile(p, I), offset)
    for p, offset in (
        (
            r"\b(?:in|over) the (?:following|next|subsequent) (?:few )?days\b|\bdays later\b",
            (1, 14),
        ),
        (r"\bthe (?:following|next) day\b|\ba day later\b", (1, 1)),
        (r"\bhours later\b|\bshortly (?:afterwards|later|thereafter)\b", (0, 1)),
    )
)
AGGREGATE = re.compile(
    r"\b(?:(?:at least |more than |over |some )?\d+ times\b|the (?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) (?:such )?(?:[\w-]+ )?(?:strike|attack|bombing|raid)\b(?=[^.]{0,60}\b(?:this|since|in the past|so far))|so far (?:in|during|this)\b|to date|in total|a total of|since the (?:start|beginning)|over the (?:past|last) (?:year|months|\w+ months)|this year|since (?:january|the new year|(?:19|20)\d\d))\b",
    I,
)
# A day told relative to the story's own day, not to publication: "earlier in the day".
DAY_OF_THE_STORY = re.compile(r"^(?:earlier|later) (?:in|during) the day$", I)
# A superlative measured over a period compares one incident with others, it is no tally:
# "the deadliest attack this year", "the largest strike so far this year".
SUPERLATIVE_PERIOD = re.compile(
    r"\bthe (?:deadliest|bloodiest|largest|biggest|worst|heaviest|most (?:deadly|lethal|serious|significant|violent))\b[^.;]{0,80}?\b(?:this year|so far|to date|since (?:the (?:start|beginning)|january|the new year|(?:19|20)\d\d))\b",
    I,
)
PRESENT_PERFECT = re.compile(r"\b(?:has|have)\s+(?:also\s+|been\s+)*\w+(?:ed|en|wn|ng|t)\b", I)
# A mention that points back at an incident already told ("the strike", "the attack").
ANAPHORA = re.compile(
    r"\b(?:the|this|that|these|those|its|the same)\s+(?:\w+\s+)?(?:air[\s-]?strikes?|strikes?|attacks?|operation|bombing|raid|ambush|explosion|blast|airstrikes)\b",
    I,
)
# Clause starts that signal an earlier, separate incident.
# A capital standing for its government: "called on Baghdad to", "Baghdad's government".
METONYMY_BEFORE = re.compile(
    r"\b(?:called on|calls on|urged|urging|asked|pressed|between|with)\s+$", I
)
METONYMY_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:government|authorities|officials|tightening|to\s+(?:protect|stop|act|take))\b",
    I,
)
# "Muthanna Hamid, a spokesman for the army": a place name that is a person's first name
PERSON_AFTER = re.compile(
    r"^\s+(?:(?:al|el|Abu|Abdul)[- ])?[A-Z][a-z'’-]+(?:\s+(?:al-|el-)?[A-Z][a-z'’-]+)?,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:spokes(?:man|woman|person)|official|commander|officer|governor|minister|member|lawmaker|MP|head|director|chief|leader|advis[eo]r|analyst|resident|witness|mayor|professor|researcher|doctor|farmer|teacher)\b"
)
YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
# Where one sentence may join two incidents ("..., while a roadside bomb wounded ...").
INCIDENT_JOIN = re.compile(
    r",\s+while\s+|;\s+|,\s+whereas\s+|\.\s+Meanwhile,\s+"
    r"|,\s+and\s+(?=(?:(?:late|early|earlier|later)\s+)?on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
    r"|,\s+and\s+(?=(?:an?|another|two|three|four|five|\d+)\s+(?:[\w-]+\s+){0,3}?(?:bombs?|rockets?|drones?|gunmen|militants|suicide|car bomb|IEDs?|mortars?|shells?)\b)",
    I,
)
# A list of incidents: an item ("-- Near Mosul, two strikes ...", "• ...") and the line that
# introduces the list (it ends with a colon: "In Iraq, coalition forces conducted nine
# strikes against ISIS targets:"), which totals the items.
LIST_ITEM = re.compile(r"^\s*(?:--|[-–•*▪●])\s*")
LIST_HEADER = re.compile(r":\s*$")
# A casualty sentence with no number that tells where or when ("The fighters were killed
# in the Garmian district late Saturday"): it supports the incident just told.
DEFINITE_CASUALTIES = Gated(
    re.compile(
        r"\b(?:the|those|both|all)\s+(?:[\w-]+\s+){0,3}?(?:were|was|had been|have been)\s+(?:\w+\s+)?(?:killed|wounded|injured|hurt)\b",
        I,
    ),
    "killed",
    "wounded",
    "injured",
    "hurt",
)
# Plural incident words: over a period of a week or more they tally several incidents.
PLURAL_INCIDENTS = re.compile(
    r"\b(?:operations|(?:air[\s-]?)?strikes|attacks|raids|clashes|bombings)\b", I
)
# A verb of some other act right before a date: the date is that act's, not the incident's.
_OTHER_ACTS = (
    r"(?:held|hold|holds|attended|visited|met|buried|mourned|marked|commemorated|celebrated|"
    r"discussed|signed|opened|inaugurated|sentenced|convicted|tried|released|protested)"
)
OTHER_ACT_BEFORE = re.compile(rf"\b{_OTHER_ACTS}\W+$", I)
OTHER_ACT = re.compile(rf"\b{_OTHER_ACTS}\b", I)
ALSO_HIT = Gated(
    re.compile(
        r"\balso (?:came under (?:attack|fire)|targeted|struck|hit|attacked|bombed|shelled)\b", I
    ),
    "also",
)
EARLIER_INCIDENT = Gated(
    re.compile(r"\b(?:had (?:previously|earlier)|previously)\b", I),
    "previously",
)
# Openers of a separate incident: "Earlier in the day, ...", "In a separate attack, ...",
# "Elsewhere, ...", "Meanwhile, ...".
SEPARATE_INCIDENT = Gated(
    re.compile(
        r"\b(?:targeted|struck|hit|attacked|bombed|shelled)\s+another\s+(?:[\w-]+\s+)?(?:vehicle|car|truck|house|home|village|position|post|checkpoint|base|target|convoy|group|site|building|hideout)\b|^\W*(?:earlier|later) (?:in the day|that day|on \w+|this week)\b|\bin (?:a|another) separate (?:incident|attack|strike|operation|development)\b|\bin another (?:incident|attack|strike|operation)\b|^\W*(?:elsewhere|separately|meanwhile|in a separate development)\b",
        I,
    ),
    "earlier",
    "later",
    "separate",
    "another",
    "elsewhere",
    "meanwhile",
)
# Equipment and targets named with incident words: "fighting positions", "a mortar system",
# "vehicle bomb factories" are what a strike destroyed, not incidents of their own.
EQUIPMENT = Gated(
    re.compile(
        r"\b(?:destroyed|destroying|defused|defusing|dismantled|dismantling|seized|found|discovered|cleared|removed|detonated controlled)\s+(?:(?!(?:in|by|during|with)\b)[\w'’-]+\s+){0,4}?(?:improvised explosive devices?|explosive devices?|IEDs?|bombs?|landmines?|mines|rockets?|rocket launchers?|mortars?|missiles?)\b|\bfighting positions?\b|\b(?:vehicle[\s-]?)?bomb(?:-making)? (?:factor(?:y|ies)|workshops?|facilit(?:y|ies)|caches?)\b|\b(?:mortar|rocket|artillery|missile) (?:systems?|tubes?|positions?|launchers?|teams?|caches?|pieces?|guns?|batter(?:y|ies))\b|\brocket launchers?\b|\b(?:IED|weapons?|ammunition|explosives?) (?:caches?|factor(?:y|ies)|depots?|storage (?:sites?|facilit(?:y|ies))|making facilit(?:y|ies))\b",
        I,
    ),
    "position",
    "bomb",
    "mortar",
    "rocket",
    "artillery",
    "missile",
    "ied",
    "weapon",
    "ammunition",
    "explosive",
    "mine",
)
COUNTRY_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bSyria\b|\bSyrian\b|\bDeir (?:ez|al)-?Zor\b", "Syria"),
    (r"\bJordan\b|\bJordanian\b", "Jordan"),
    (r"\bTurkey\b(?! 's)|\binside Turkey\b", "Turkey"),
    (r"\b(?:in|inside|into|within)\s+(?:[a-z-]+ern\s+)?Iran\b(?![-’'])", "Iran"),
)

# --- sentence structure ---------------------------------------------------------
ABBREVIATIONS = frozenset(
    [
        "u.s",
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "maj",
        "lt",
        "col",
        "brig",
        "capt",
        "sgt",
        "st",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "vs",
        "etc",
        "approx",
        "govt",
        "dept",
        "inc",
        "corp",
        "co",
        "al",
    ]
)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])")
CLAUSE_BREAK = re.compile(
    r"[,;:]\s|\s[-–—]\s|\s(?:as|while|whereas|because|after|before|which|who|that|but|and then)\s",
    re.I,
)
ANNOUNCER = re.compile(r"(?:\s+[\w'’-]+){0,2}?\s+(?:said|says|announced|reported|stated)\b", re.I)
POSSESSIVE_OF = re.compile(r"\s*of (?:its|their|his)\b", re.I)
IN_COUNTRY = re.compile(
    r"\b(?:in|inside|into|across|over|of)\s+(?:eastern |western |northern |southern |northeastern |north-eastern )?(Syria|Jordan|Turkey|Iran|Kuwait)\b"
)
# Capitalised words that may stand before a place name without making it a person's name.
NAME_OK_BEFORE = frozenset(
    [
        "in",
        "on",
        "at",
        "of",
        "near",
        "from",
        "to",
        "north",
        "south",
        "east",
        "west",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "the",
        "mount",
        "jabal",
        "wadi",
        "lake",
        "camp",
        "town",
        "village",
        "city",
        "district",
        "province",
        "governorate",
    ]
)
# A toll given for several incidents together ("killed in two bomb attacks", "the twin
# blasts killed"): when the text tells those incidents one by one, it belongs to none.
COMBINED_TOLL = Gated(
    re.compile(
        r"\b(?:in|by)\s+(?:the\s+)?(?:two|three|four|five|twin|both|multiple|separate)\s+(?:[\w-]+\s+)?(?:attacks|bombings|blasts|explosions|incidents|strikes)\b"
        r"|\b(?:both|the two|the three|the twin|the separate)\s+(?:[\w-]+\s+)?(?:attacks|bombings|blasts|explosions)\b",
        I,
    ),
    "two",
    "three",
    "four",
    "five",
    "twin",
    "both",
    "multiple",
    "separate",
)
# A mention that tells one of several incidents in turn: "the first attack", "a second bomb",
# "two other bombings".
ORDINAL_INCIDENT = Gated(
    re.compile(
        r"\b(?:first|second|third|fourth|other|another)\s+(?:[\w-]+\s+)?(?:attacks?|bombs?|bombings?|blasts?|explosions?|strikes?|car bombs?)\b",
        I,
    ),
    "first",
    "second",
    "third",
    "fourth",
    "other",
)
# Reactions to an incident ("condemned the attack", "mourned the victims of the bombing"):
# they may support an incident's cluster, never start one.
REACTION_BEFORE = Gated(
    re.compile(
        r"\b(?:condemn(?:s|ed|ing)?|denounc(?:es|ed|ing)|deplor(?:es|ed|ing)|mourn(?:s|ed|ing)|discuss(?:es|ed|ing)?|investigat(?:es|ed|ing)|prob(?:es|ed|ing)|commented on|reacted to|blamed \w+ for)\s+(?:the\s+|this\s+|#+['’]s\s+|these\s+|Monday's\s+|Tuesday's\s+|Wednesday's\s+|Thursday's\s+|Friday's\s+|Saturday's\s+|Sunday's\s+|\w+’s\s+|\w+'s\s+)?(?:[\w'’-]+\s+){0,3}?$",
        I,
    ),
    "condemn",
    "denounc",
    "deplor",
    "mourn",
    "discuss",
    "investigat",
    "prob",
    "comment",
    "reacted",
    "blamed",
)
# A tally of targets over several regions ("destroyed 20 targets in the Zap, Gara, Metina
# and Avashin regions"): a summary, not one incident.
TARGET_TALLY = Gated(
    re.compile(
        r"\b\d+\s+(?:[\w-]+\s+){0,3}?targets\b[^.;]{0,200}?\b(?:regions|areas|provinces|districts|locations)\b",
        I,
    ),
    "targets",
)
# Vague large numbers: in the present perfect ("has executed dozens") they tally.
LARGE_VAGUE = Gated(
    re.compile(r"\b(?:dozens|scores|hundreds|thousands|tens) of\b", I),
    "dozens",
    "scores",
    "hundreds",
    "thousands",
    "tens",
)
# A second group of victims after the first: "killing a commander and two of his guards",
# "killed two soldiers and a civilian", "along with three fighters". Its count is added.
_AND_NUMBER = rf"(?:{_QUAL_ALT}\s+)?(?P<num2>\d+|an?|one|{_NUM_WORD_ALT})"
# One more victim in a list after a count: "killing a PKK official, his driver and another
# fighter" (three), "a soldier, his wife and their two children" (four).
_ONE_MORE = rf"(?:another|(?:his|her|its|their)(?=\s+(?:(?:{_NUM_WORD_ALT}|\d+)\s+)?(?:{_KIN}s?|children)\b))"
_LISTED_WORD = r"(?!(?:said|says|told|added|reported|stated|claimed|was|were)\b)[\w'’-]+"
LISTED_VICTIM = re.compile(
    rf"\s*(?:,\s*(?:and\s+)?|\band\s+)(?P<num2>{_ONE_MORE})\s+(?:(?P<n2>\d+|{_NUM_WORD_ALT})\s+)?(?P<who2>{_LISTED_WORD}(?:\s+{_LISTED_WORD})?(?:\s+of\s+(?:the\s+|its\s+|their\s+)?{_LISTED_WORD})?)(?=\s*(?:,|\band\b|[.;]|$|\b(?:in|on|at|near|when|while|during|after|as)\b))",
    I,
)
AND_VICTIMS = re.compile(
    rf"\s*(?:,\s*)?(?:and|along with|as well as|together with)\s+{_AND_NUMBER}\s+(?P<who2>(?:(?!(?:in|on|at|near|when|while|after|during|who|that|were|was|wounded|injured|hurt|killed|arrested|died)\b)[\w'’-]+\s*){{1,5}})(?!\s*(?:were|was|wounded|injured|hurt|killed|arrested|died|detained|captured)\b)",
    I,
)
# Aircraft that backed a ground raid: the raid is the incident ("troops, backed by coalition
# aircraft, raided ..."; ACLED puts a strike inside a ground battle into the battle).
AIR_SUPPORT = re.compile(
    r"\b(?:backed|supported|aided|covered|assisted)\s+by\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:aircraft|air ?power|jets|warplanes|helicopters|drones|air force|aviation|air strikes|airstrikes)\b"
    r"|\bwith (?:the )?(?:help|support|cover|backing) of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:aircraft|air ?power|jets|warplanes|helicopters|drones|air force|aviation)\b"
    r"|\b(?:air support|air cover|aerial support|aerial cover)\b",
    I,
)
GROUND_ACTION = re.compile(
    r"\b(?:raid(?:s|ed)?|operation|assault|clash(?:es|ed)?|ambush(?:ed)?|storm(?:ed)?|fighting|battle)\b",
    I,
)
# A denial before the incident words: "denied that any of its positions had been struck".
DENIAL = re.compile(r"\b(?:deni(?:ed|es|al of)|denying|dismissed (?:reports|claims))\b", I)
# "N <who> killed/wounded" read as a passive toll ("six soldiers killed in Anbar") is the
# active voice when an object follows the verb: "three rockets fired by militants killed a
# child", "two strikes by Iraqi jets have so far killed nine": N counts the agents, not the
# dead. A passive auxiliary just before the verb ("have been killed") keeps the toll reading.
SUBJECT_COUNTS = frozenset({KILLED_PATTERNS[0], WOUNDED_PATTERNS[0]})
ACTIVE_OBJECT = re.compile(
    rf"\s+(?!the\s+(?:day|night|morning|evening|week|same|previous|following|next)\b)"
    rf"(?:{NUMBER}|an?|one|the|his|her|their|its)\s",
    I,
)
PASSIVE_AUX_END = re.compile(r"\b(?:been|were|was|are|is|got|get|being)\s*$", I)
# The count patterns whose victims are the verb's object ("killing X"): only after these
# may a second group follow with "and" ("killing a commander and two of his guards").
OBJECT_COUNTS = frozenset(
    {KILLED_PATTERNS[1], KILLED_PATTERNS[2], WOUNDED_PATTERNS[1], WOUNDED_PATTERNS[2]}
)

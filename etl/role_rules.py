"""Who did what to whom: clause frames as data, read by `etl.extract.roles`.

A clause is abstracted before matching: every actor span becomes `<A>` and the incident
word (the trigger) becomes `<T>`, so "Iraqi F-16s struck ISIS hideouts near Kirkuk"
reads `<A> F-16s struck <A> hideouts near Kirkuk` with `<T>` on "struck". A frame is a
regex over that string; the group `a` marks the actor it names. Frames are tried in
order; the first that matches wins. Agent frames name who acted, patient frames whom
it hit. (The idea follows PETRARCH-style event coders: patterns over clauses with
actor slots, not over raw strings.)
"""

from __future__ import annotations

import re

from . import rules

I = re.I  # noqa: E741

_A = r"<A(?P<a>\d+)>"
_GAP = r"[^<;]"  # words between slots, within the clause, not across another slot
# Verbs an attacker is the subject of.
AGENT_VERB = (
    r"(?:carried out|carries out|carry out|launched|launches|launch|conducted|conducts|"
    r"executed|staged|mounted|targeted|targets|struck|strikes|hit|hits|pounded|bombed|"
    r"shelled|attacked|ambushed|killed|kills|fired|stormed|raided|destroyed|"
    r"took action|arrested|detained|captured|downed|shot down|claimed|say they|"
    r"have killed|has killed|had killed|have struck|has struck|have hit|has carried out|"
    r"have carried out|have launched|has launched|neutrali[sz]ed)"
)
_PASSIVE = r"(?:were|was|been|being|is|are|came under|come under|comes under)\s"
# A subject's words do not run on past its own casualty verb or into a clause of its own:
# "three soldiers died on Sunday when gunmen opened fire" (the soldiers did not fire).
_NOT_CROSS = rf"(?!{_PASSIVE}|(?:died|dead|killed|wounded|injured|hurt|when|while|whereas)\b)"
# "ISIS hideout targeted": an actor before a target noun is the target, not the subject.
_NOT_SUBJECT = r"(?!\s*(?:'s\s+|’s\s+)?(?:positions?|hideouts?|targets?|bases?|headquarters|posts?|checkpoints?|vehicles?|convoys?|camps?|dens?|sites?|facilities|gatherings?|members? (?:were|was)|militants? (?:were|was))\b)"
# Words that end a noun phrase: "ISIS members in an airstrike" is no "ISIS airstrike".
_NOT_MODIFIER = r"(?:in|on|at|by|of|for|from|with|were|was|is|are|and|or|after|during|said|says|came|come|comes|under|members|militants|fighters|positions|hideouts?|targets?|killed|wounded)"
_CARRIED = r"(?:(?:carried out|conducted|launched|executed|staged|mounted|claimed|perpetrated|flown|fired|made|led|waged|ordered)\s+)?"

# (name, frame). Agent frames: the actor who acted.
AGENT_FRAMES: tuple[tuple[str, str], ...] = (
    # "Iraqi airstrikes", "an ISIS ambush", "Turkey's drone strike", "a Turkish unmanned drone attack"
    ("modifier", rf"{_A}(?:'s|’s)?\s*(?:(?!{_NOT_MODIFIER}\b)[\w-]+\s+){{0,2}}?<T>"),
    # "airstrikes by the Iraqi Air Force", "an attack carried out by ISIS"
    ("by_agent", rf"<T>,?\s*{_CARRIED}by\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){{0,2}}?{_A}"),
    # "were killed by ISIS", "was claimed by the Islamic State"
    (
        "passive_by",
        rf"\b(?:killed|wounded|injured|targeted|struck|hit|attacked|bombed|shelled|ambushed|claimed|carried out)\s+by\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{_A}",
    ),
    # "officials attributed the attack to Kataib Hezbollah"
    (
        "attributed",
        rf"\battribut(?:ed|es|ing)\s+(?:the\s+|this\s+)?(?:<T>|[\w-]+\s+){{0,3}}?\s*to\s+(?:the\s+)?{_A}",
    ),
    # "ISIS claimed responsibility for the attack"
    ("claim", rf"{_A}{_GAP}{{0,40}}?\bclaim(?:ed|s|ing)? (?:responsibility|the attack|the strike)"),
    # "Turkish drones targeted ...", "U.S. forces conducted on Wednesday airstrikes"
    (
        "subject",
        rf"{_A}{_NOT_SUBJECT}(?:{_NOT_CROSS}{_GAP}){{0,50}}?\b{AGENT_VERB}\b[^;]{{0,60}}?<T>",
    ),
    # "Kataib Hezbollah targeted coalition forces" (the verb is the trigger)
    ("subject_trigger", rf"{_A}{_NOT_SUBJECT}(?:{_NOT_CROSS}[^<;,]){{0,45}}?<T>"),
    # "the coalition said its aircraft struck", "Turkey's defence ministry announced that its
    # forces had struck": the speaker's side
    (
        "own_forces",
        rf"{_A}(?:'s|’s)?\s+(?:[\w-]+\s+){{0,3}}?(?:said|says|announced|reported|stated|claimed|confirmed)\s+(?:on\s+\w+\s+|in a statement\s+)?(?:that\s+)?(?:its|their|our)\s+(?:[\w-]+\s+){{0,2}}?(?:forces|aircraft|jets|warplanes|drones|troops|army|air force|units|fighters|artillery)\b",
    ),
    # "US troops were wounded in a raid against an ISIS hideout": their own raid
    (
        "own_raid",
        rf"{_A}{_GAP}{{0,40}}?\b(?:were|was)\s+(?:killed|wounded|injured)\s+(?:#+\s+)?(?:in|during)\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,2}}?(?:<T>|(?:raid|operation|assault)s?\s+(?:against|on|targeting)\b)",
    ),
)
# Patient frames: the side that was hit.
PATIENT_FRAMES: tuple[tuple[str, str], ...] = (
    # "the Peshmerga repelled an ISIS attack on their positions": the defenders were attacked
    (
        "defender",
        rf"{_A}{_GAP}{{0,40}}?\b(?:repelled|repulsed|foiled|thwarted|fought off|beat back|pushed back)\s+(?:an?\s+|the\s+)?(?:[\w'’<>-]+\s+){{0,3}}?<T>",
    ),
    # "strikes on ISIS positions", "an attack against US forces", "targeting the PKK"
    (
        "object",
        rf"<T>{_GAP}{{0,50}}?\b(?:on|against|targeting|targeted|hitting|hit|struck|at|toward|towards|into|among|amid)\s+(?:[\w'’-]+\s+){{0,3}}?{_A}",
    ),
    # "strikes targeting several depots used by the PKK": the target's owner
    (
        "owned_target",
        rf"<T>{_GAP}{{0,50}}?\b(?:on|against|targeting|targeted|hitting|hit|struck|at)\s+(?:[\w'’-]+\s+){{0,3}}?(?:used|utili[sz]ed|belonging|run|operated|held|controlled|occupied|affiliated)\s+(?:by|to|with)\s+(?:the\s+)?{_A}",
    ),
    # "a drone targeting the coalition forces" (the trigger is the verb)
    ("trigger_object", rf"<T>\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){{0,2}}?{_A}"),
    # "killing four ISIS militants", "attacked a peshmerga post"
    (
        "verb_object",
        rf"\b(?:targeted|targeting|attacked|attacking|ambushed|struck|striking|hit|hitting|shelled|bombed|killed|killing|wounded|wounding|injured|injuring|kidnapped|abducted|executed|shot)\s+(?:(?:at least|more than|about|some|up to)\s+)?(?:[\w'’-]+\s+){{0,3}}?{_A}",
    ),
    # "ISIS hideouts", "a PKK vehicle" after the trigger
    (
        "target_noun",
        rf"{_A}\s*(?:'s\s+|’s\s+)?(?:positions?|hideouts?|targets?|militants?|members?|elements?|bases?|headquarters|fighters?|cells?|convoys?|remnants|dens?|sites?|leaders?|vehicles?|camps?|posts?|checkpoints?|pockets|gatherings?|facilities|depots?)\b",
    ),
    # "US forces at the base came under rocket attack"
    ("came_under", rf"{_A}{_GAP}{{0,40}}?\bcame under\s+(?:[\w-]+\s+)?<T>"),
    # "two ISIS members were killed in the strike"
    (
        "victim",
        rf"{_A}{_GAP}{{0,40}}?\b(?:were|was|have been|had been)\s+(?:\w+\s+)?(?:killed|wounded|injured|hurt)\b",
    ),
)
# "clashes with the PMF" when no other frame names the agent: the other party
AGENT_FRAMES += (("clash_with", rf"<T>\s+with\s+(?:the\s+)?{_A}"),)
AGENT = tuple((name, re.compile(f, I)) for name, f in AGENT_FRAMES)
PATIENT = tuple((name, re.compile(f, I)) for name, f in PATIENT_FRAMES)

# Clause openers that tell another, earlier incident: "In response to attacks by X, ...",
# "..., in retaliation for the drone attack on Y". The phrase is split off as its own mention.
RESPONSE_TO = rules.Gated(
    re.compile(
        r"\b(?:in (?:direct |swift |apparent |possible |an apparent )?(?:response|retaliation|revenge|reprisal) (?:to|for)|in a response to|retaliating for|as retaliation for)\s+",
        I,
    ),
    "respon",
    "retaliat",
    "revenge",
    "reprisal",
)
# Owners of aircraft and strikes named anywhere in an article: "Turkish drones", "Iraqi
# F-16s", "coalition aircraft", "US warplanes". Whose air war a silent strike belongs to.
AIR_NOUN = re.compile(
    r"(?:'s|’s)?\s*(?:[\w-]+\s+){0,2}?(?:drones?|UAVs?|jets|warplanes?|aircraft|planes|F-16s?|helicopters?|air ?strikes?|air ?raids?|strikes?|air force|aviation)\b",
    I,
)
# Ground fighting whose silent agent may be the side an earlier incident of the story has
# fighting the same enemy (by air or on the ground).
FOUGHT_BY_THE_SAME_SIDE = frozenset({"armed_clash", "ground_operation"})
# Incident types whose agent a silent mention may inherit from an earlier one of the type.
INHERIT_TYPES = {
    "airstrike": ("airstrike",),
    "shelling": ("shelling", "airstrike"),
    "bombing": ("bombing",),
    "armed_clash": ("armed_clash", "ground_operation"),
    "ground_operation": ("ground_operation", "armed_clash"),
    "attack": ("attack",),
}
# An attack on forces by a side that fights from afar, with no weapon named, is typed by
# that side's usual means (rockets and drones against bases).
REMOTE_ATTACKERS = {"Iran-backed militias": "shelling"}
# Blame and claims anywhere in an article: who its silent incidents are put on ("blamed
# Turkey for the strike", "accused the PKK of", "ISIS claimed responsibility").
BLAME_FRAMES: tuple[str, ...] = (
    rf"\b(?:blamed|blames|blaming|accused|accuses|accusing)\s+(?:the\s+)?{_A}",
    rf"{_A}(?:[^<;]){{0,30}}?\b(?:has been|was|were|is|are)\s+(?:widely\s+)?blamed\b",
    rf"{_A}(?:[^<;]){{0,40}}?\bclaim(?:ed|s|ing)? responsibility\b",
    rf"\bclaimed by\s+(?:the\s+)?{_A}",
    rf"\battribut(?:ed|es|ing)\s+(?:the\s+|this\s+)?(?:[\w-]+\s+){{0,3}}?to\s+(?:the\s+)?{_A}",
)
BLAME = tuple(re.compile(f, I) for f in BLAME_FRAMES)
# A word every BLAME frame needs: a text without one blames no side (checked first, as
# blame is looked for over the whole article).
BLAME_HINT = re.compile(
    r"\b(?:blam|accus|claim(?:ed|s|ing)?\s+responsibility|claimed\s+by|attribut)", I
)
# Asides between a subject and its verb: ", a network of groups backed by Iran,",
# " (KH)", ", supported by Iran,".
ASIDE = re.compile(
    r", (?:a|an|the|which|who|supported|backed|funded|armed|led|known|also)\b[^,;()]{0,120}?,(?=\s)| ?\([^()]{0,60}\)",
    I,
)
# "based on intelligence from the Joint Operations Command", "carried out by the army",
# "with the help of": the actor after these is no target.
NOT_PATIENT_BEFORE = re.compile(
    r"\b(?:by|from|according to|with the help of|in cooperation with|in coordination with|supported by|backed by)\s+(?:the\s+)?$",
    I,
)
# Frames that may name civilians as the agent (a mob, armed residents): only explicit ones.
VICTIM_AGENT_FRAMES = frozenset({"by_agent", "passive_by", "claim"})
# A joint subject: "Iraqi army and coalition aircraft struck", "Iraqi forces, backed by US
# aircraft, raided": the first-named side leads (the frame found the later one).
JOINT_BEFORE = re.compile(
    r"<A(?P<a>\d+)>\s*(?:,\s*|\s+)(?:and|with|alongside|together with|backed by|supported by)\s+(?:the\s+)?$",
    I,
)
# How many incidents back a silent agent may be inherited from.
INHERIT_REACH = 8

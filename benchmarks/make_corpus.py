# ruff: noqa: E501  (template tables: one sentence per line reads better than wrapped strings)
"""Synthetic news corpus for the ETL benchmark: `make_corpus.py N OUT.jsonl [--seed S]`.

Realistic in shape, not in content: mostly non-violent news (economy, politics,
services, sport, culture, weather, diplomacy, oil, elections, reconstruction,
health, education, farming) and a minority (~20%) of incident reports (airstrikes,
bombings, clashes, drone strikes, shelling, operations) set in places from
etl/data/place_aliases.csv (alias column). Every sentence comes from the templates
below, written for this benchmark, so the corpus can be regenerated anywhere, any size.

An article is a lead sentence and paragraphs of 1-3 sentences added until a target
length is reached: 4% briefs (55-110 words), 6% long pieces (log-normal, median 800),
the rest log-normal (median 255, sigma 0.4); the last paragraph overshoots a little.
Incident reports follow the lead with follow-ups (hospital, claim of responsibility,
cordon; or, after a strike or raid, the operation's results), official quotes, in a
quarter of them a second incident elsewhere, then security context and background.
Calm articles carry topic sentences, quotes with attributions, numbers and date
expressions ("last week", "on March 3", "in 2019"); 30% of them, and most incident
reports, also mention PAST violence ("retaken from ISIS in 2016", "attacks have
declined sharply since 2015") which an extractor should not turn into new events.
10% of articles are one block of text; some long ones get subheadings.

Measured (words = whitespace tokens of the whole text, title included;
p10/p90 = nearest rank):
  real: /work/shared/devset (18) + /work/shared/seeds (5), 23 articles:
        median 288, mean 317, p10 169, p90 376, min 87, max 937 (2 of 23 over 700)
  synthetic, 2000 articles, seed 7: median 280, mean 321, p10 164, p90 510, p99 1026,
        min 67, max 1581; 1.7% under 100 words, 1.8% over 900; incidents 20.2%
  synthetic, 100k articles: median 283, mean 328, p10 164, p90 527, max 2084;
        generated in 12-19 s (one core of a busy 2-core machine; 230 MB of JSONL)
`sortie-etl run` over the 2000 (seed 7): 557 event reports (504 events after merging):
1.31 per incident article (every one has >= 1: the lead, 79 second incidents, ~20 from
background sentences) and 26 from 24 of the 1596 calm articles (1.5%), all from
history sentences ("In 2016, a truck bomb in ... killed dozens") in articles published
in 2017-2018, i.e. a year before publication: extractor false positives, kept on purpose.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
from collections import ChainMap
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT / "etl" / "data" / "place_aliases.csv"
INCIDENT_SHARE = 0.2
# target length in words: a mixture of briefs, ordinary reports and long pieces
BRIEF_SHARE, BRIEF_WORDS = 0.04, (55, 110)  # uniform
LONG_SHARE, LONG_MEDIAN, LONG_SIGMA = 0.06, 800, 0.25  # log-normal
LENGTH_MEDIAN, LENGTH_SIGMA = 255, 0.4  # log-normal, the rest
LENGTH_MAX = 2500
ONE_BLOCK_SHARE = 0.1  # articles scraped as one paragraph

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")  # fmt: skip
NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15")
SMALL = ("two", "three", "four", "five", "six")
SOURCES = ("Example Wire", "Desk News", "Tigris Daily", "Northern Herald", "Gulf Monitor", "Rafidain Post", "Two Rivers Agency", "Levant Ledger")  # fmt: skip
FIRST_NAMES = ("Ahmed", "Ali", "Hassan", "Mohammed", "Khalid", "Saad", "Omar", "Hussein", "Kareem", "Yasir", "Zaid", "Mustafa", "Salah", "Haidar", "Nour", "Rana", "Suha", "Layla", "Abbas", "Jamal", "Firas", "Muthanna", "Adnan", "Basim")  # fmt: skip
LAST_NAMES = ("al-Jubouri", "al-Dulaimi", "al-Saadi", "al-Khafaji", "al-Tamimi", "al-Rubaie", "al-Hashimi", "Karim", "Hamid", "al-Zubaidi", "al-Mousawi", "Abdullah", "al-Shammari", "Jawad", "al-Kaabi", "Salman", "al-Lami", "Fadhil")  # fmt: skip

# ---- relative and absolute time expressions (filled per use) ------------------------
WHEN = ("last week", "earlier this month", "two days ago", "last month", "on {date2}", "earlier this year", "at the weekend", "on {weekday}", "in {year}", "three weeks ago", "late last year", "in {month2}")  # fmt: skip
NEXT = ("next month", "next week", "by the end of the year", "in the coming weeks", "before the summer", "early next year", "within {k} months")  # fmt: skip

# ---- incident reports ---------------------------------------------------------------
INCIDENTS = (
    "Iraqi F-16 jets struck an ISIS hideout in {place} on {day}, killing {n} militants, the Security Media Cell said.",
    "A car bomb exploded near a market in {place} on {day}, killing {n} civilians and wounding {m} others, police said.",
    "ISIS militants attacked an army checkpoint in {place} on {day} night, killing {n} soldiers, security sources said.",
    "Turkish drones struck a vehicle near {place} on {day}, killing {n} PKK fighters, a local official said.",
    "Artillery shelled villages near {place} on {day}, wounding {m} people, the mayor said.",
    "Iraqi forces launched an operation against ISIS remnants in {place} on {day}, the Joint Operations Command said.",
    "An IED exploded targeting a Popular Mobilization Forces patrol in {place} on {day}, killing {n} fighters.",
    "Coalition aircraft carried out {n} airstrikes on ISIS positions in {place} on {day}, the coalition said.",
    "A roadside bomb struck a military convoy on the road between {place} and {place2} on {day}, killing {n} soldiers and wounding {m}, a security source said.",
    "Gunmen opened fire on a group of farmers in {place} on {day}, killing {n} of them, a local official said.",
    "A suicide bomber blew himself up at a funeral gathering in {place} on {day}, killing {n} mourners and wounding {m} others, officials said.",
    "Iraqi army helicopters struck ISIS positions in the hills near {place} on {day}, killing {n} militants, the military said in a statement.",
    "Clashes broke out between security forces and ISIS militants in {place} on {day}, leaving {n} militants dead, the Joint Operations Command said.",
    "A drone strike hit a car carrying members of an armed faction near {place} on {date}, killing {n} people, security officials said.",
    "Militants attacked a Popular Mobilization Forces position in {place} on {day}, killing {n} fighters and wounding {m} others, the PMF said.",
    "Iraqi security forces killed {n} ISIS members in an ambush near {place} on {day}, the Counter-Terrorism Service said.",
    "Turkish warplanes bombed suspected PKK positions near {place} on {day}, a Kurdish official said, without giving casualty figures.",
    "An explosive device planted on a motorcycle went off in a busy street in {place} on {day}, wounding {m} people, a medical source said.",
    "Mortar rounds fell on a residential area in {place} on {date}, killing {n} civilians, including children, local officials said.",
    "A sniper shot dead a soldier guarding an outpost near {place} on {day}, a security source said.",
)
ATTACK_FOLLOWUPS = (
    "The wounded were taken to hospital in {province}, some of them in critical condition.",
    "No group immediately claimed responsibility for the attack.",
    "Security forces cordoned off the area and began searching for the attackers.",
    "A medical source said the death toll could rise.",
    "Authorities imposed a curfew in {place} until further notice.",
    "The bodies were taken to the forensic department in {province}.",
    "Reinforcements were sent to the area after the attack, a police officer said.",
    "Witnesses said they heard a loud explosion followed by heavy gunfire.",
    "The identities of the dead were not immediately released.",
    "Ambulances and civil defence teams rushed to the scene.",
    "The interior ministry said it had opened an investigation into the security lapse.",
    "Traffic on the main road was suspended for several hours.",
    "Security sources said the attackers fled towards the desert after the assault.",
    "The local police chief was summoned to Baghdad to explain what happened, according to a security source.",
)
OPERATION_FOLLOWUPS = (  # leads with a strike, raid, ambush or clash (OPERATION_WORDS)
    "The army said the operation would continue until the area was cleared.",
    "Aerial surveillance had tracked the group for several days before the strike, the statement said.",
    "The area has long been used by militants as a hideout because of its rugged terrain and thick orchards.",
    "Troops found weapons, explosives and a tunnel used by the group, the statement added.",
    "The identities of the dead were not immediately released.",
    "The statement said the targets had been identified with the help of intelligence from local residents.",
    "Search teams later reached the site and recovered the bodies, a security source said.",
    "Security sources said a senior member of the group may have been among the dead.",
    "There was no independent confirmation of the toll.",
)
OPERATION_WORDS = ("jets", "aircraft", "helicopters", "drone", "warplanes", "operation", "ambush", "Clashes", "security forces killed")  # fmt: skip
SECOND_INCIDENTS = (
    "In a separate incident, a roadside bomb wounded {k} soldiers near {place2} on {day}, a security source said.",
    "Elsewhere, gunmen killed a police officer at a checkpoint in {place2}, police said.",
    "In a separate attack, an IED killed {k} PMF fighters in {place2} on {day}, a PMF official said.",
    "Hours later, a drone struck a house in {place2}, wounding {k} people, local officials said.",
    "Also on {day}, security forces clashed with a group of militants in {place2}, killing {k} of them, the army said.",
)
SECURITY_QUOTES = (
    "The terrorists tried to infiltrate our positions under cover of darkness, but our forces responded immediately",
    "We will pursue the perpetrators wherever they are",
    "The situation is now under control and life has returned to normal",
    "This was a cowardly attack aimed at innocent people",
    "Our forces are searching the surrounding villages and orchards",
    "We have asked the federal government to send more troops to the area",
    "The strike was based on precise intelligence information",
    "Those who carried out this crime will not escape justice",
    "Some security gaps still need to be closed, especially in the rural areas",
)
SECURITY_SPEAKERS = (
    "a spokesman for the Joint Operations Command", "{person}, the mayor of {place}", "a police officer who asked not to be named",
    "{person}, a security official in {province}", "a local official", "the Security Media Cell", "{person}, a spokesman for the army",
)  # fmt: skip
# history: past violence, not a new incident
BACKGROUND = (
    "{place} was retaken from ISIS in {lib_year} after months of fighting.",
    "ISIS seized large parts of northern and western Iraq in 2014 before being driven out in a three-year campaign.",
    "Iraq declared victory over ISIS in December 2017, but remnants of the group still carry out sporadic attacks in rural areas.",
    "Attacks in {province} have declined sharply since {hist_year}, according to security officials.",
    "In {hist_year}, a truck bomb in {other} killed dozens of people, one of the deadliest attacks in the province that year.",
    "Thousands of families fled {place} during the fighting in 2014, and many have yet to return.",
    "Mass graves from the ISIS period are still being exhumed in {province}.",
    "The district saw heavy fighting between 2014 and 2017, and many homes are still in ruins.",
    "Turkey has carried out air and ground operations against the PKK in northern Iraq for decades.",
    "The last major attack in the area was in {hist_year}, when militants stormed a police station and killed several officers.",
    "Sleeper cells have exploited gaps between federal and Kurdish forces in the disputed territories since {hist_year}.",
    "The United Nations estimates that hundreds of thousands of people were displaced from {province} during the war against ISIS.",
    "Residents still remember the summer of 2014, when the militants arrived in pickup trucks and the police withdrew.",
    "A similar bombing in {other} in {hist_year} left more than {big} people dead or wounded.",
)
SECURITY_CONTEXT = (
    "Security forces have stepped up patrols in the area ahead of the religious holidays.",
    "The government says ISIS no longer poses a major threat but warns against complacency.",
    "Security in {province} has improved markedly in recent years, officials say.",
    "The US-led coalition has shifted to an advisory role in Iraq.",
    "Checkpoints on the main highway were reduced {when} to ease traffic, the operations command said.",
    "Iraqi and Kurdish forces agreed {when} to set up joint coordination centres in the disputed areas.",
    "The border with Syria is monitored by cameras, drones and a concrete wall, according to the border guards command.",
    "Parliament's security and defence committee is expected to discuss the situation {next}.",
    "Tribal leaders in {province} have urged the government to recruit local men into the police.",
    "Officials say most of the camps for displaced people in the region have now been closed.",
)

# ---- calm news -------------------------------------------------------------------------
GENERAL = (
    "The statement gave no further details.",
    "Residents described long queues at petrol stations in recent weeks.",
    "The ministry said the figures would be updated {next}.",
    "Local media reported that roads in the area were reopened later in the day.",
    "The governor called for more investment in infrastructure and services.",
    "Prices of basic goods rose slightly compared with last month.",
    "Several international organisations have offered support for reconstruction.",
    "Parliament is expected to vote on the matter {next}.",
    "Iraq, with a population of more than 40 million, relies on oil for about 90 percent of state revenue.",
    "Young people make up most of the population, and unemployment among them remains high.",
    "The announcement was welcomed by local traders, who said it would ease pressure on the market.",
    "Critics say similar promises have been made before without result.",
    "The project is funded from the federal budget and is expected to be completed within {k} months.",
    "The figures could not be independently verified.",
    "It was not clear when the measures would take effect.",
    "The decision came after weeks of protests by residents demanding better services.",
    "Officials in Baghdad did not respond to requests for comment.",
    "Corruption remains a major obstacle to development, according to watchdog groups.",
    "The government has promised to create jobs for graduates by expanding the private sector.",
    "Local journalists said the issue had been raised repeatedly in provincial council sessions.",
    "Similar measures were introduced in {other} {when}.",
    "The meeting was attended by representatives of several ministries and tribal leaders.",
    "The plan will be reviewed again at the end of the year.",
    "Many residents rely on private generators in summer, paying up to {k} thousand dinars per ampere.",
    "The provincial government said {num} families had benefited from the programme so far.",
    "Officials blamed the delays on the late approval of the federal budget.",
    "Heavy traffic was reported on the main roads into the city centre on {weekday}.",
    "Social media users shared photos of the event, praising the organisers.",
    "A committee was formed to follow up on the implementation of the decisions.",
    "The issue is likely to come up again when the cabinet meets {next}.",
    "According to the planning ministry, around a quarter of Iraqis live below the poverty line.",
    "Opposition lawmakers said the measures did not go far enough.",
)
QUOTE_FRAMES = (  # speaker_mid: the speaker with the comma closing an apposition
    '"{quote}," {speaker_mid} told reporters.',
    '"{quote}," {speaker_mid} said in a statement.',
    '{speaker_cap_mid} said: "{quote}."',
    '"{quote}," {speaker_mid} told {source}.',
    '"{quote}," said {speaker}.',
    '"{quote}," {speaker_mid} said on {day}.',
    '{speaker_cap_mid} told a news conference that "{quote_lc}."',
)


class Topic(NamedTuple):
    leads: tuple[str, ...]
    body: tuple[str, ...]
    quotes: tuple[str, ...]
    speakers: tuple[str, ...]


TOPICS: dict[str, Topic] = {
    "economy": Topic(
        leads=(
            "The Central Bank of Iraq said on {day} that the dinar held steady against the dollar in {place} and other markets.",
            "Traders in {place} said on {day} that prices of cooking oil and flour had risen by {pct} percent since {month2}.",
            "The finance ministry announced on {day} that public salaries for {month} would be paid on time despite lower oil revenue.",
            "A new shopping centre opened in {place} on {day}, creating about {num} jobs, its owners said.",
        ),
        body=(
            "The official exchange rate has been fixed at 1,310 dinars to the dollar since early 2023.",
            "The parallel market rate fell by {pct} percent over the past month, according to exchange offices.",
            "Public sector salaries account for a large share of the annual budget.",
            "The International Monetary Fund has urged Baghdad to reduce its dependence on oil and curb the wage bill.",
            "Imports from Turkey and Iran make up most of the goods sold in local markets.",
            "Small businesses complain that bank loans remain hard to obtain.",
            "The government raised customs tariffs on some imported goods {when} to protect local producers.",
            "Non-oil revenue grew to {bn} trillion dinars last year, the ministry said.",
        ),
        quotes=(
            "The economy is recovering, but we need to diversify our sources of income",
            "Prices will stabilise once the new shipments arrive",
            "We are working to bring the banking system in line with international standards",
            "Merchants should not exploit the situation to raise prices",
        ),
        speakers=(
            "{person}, an economist at the University of Baghdad",
            "a central bank official",
            "{person}, the head of the chamber of commerce in {province}",
            "a finance ministry spokesman",
        ),
    ),
    "politics": Topic(
        leads=(
            "The provincial council of {province} met on {day} to discuss the budget for schools and hospitals.",
            "Parliament held a session on {day} to debate a draft law on local elections, lawmakers said.",
            "The prime minister visited {place} on {day} and met tribal leaders and local officials.",
            "Lawmakers from {province} called on {day} for the dismissal of the provincial health director.",
        ),
        body=(
            "The session was postponed twice for lack of a quorum.",
            "The governing coalition holds a majority in parliament, but its members often disagree on key laws.",
            "The dispute over the distribution of posts has delayed several appointments.",
            "The draft law must pass a second reading before a final vote.",
            "Provincial councils were restored in 2023 after being suspended following the 2019 protests.",
            "Several blocs boycotted the session in protest at what they called a violation of the constitution.",
            "The Federal Supreme Court is expected to rule on the matter {next}.",
            "The governor, who took office in {year}, has promised to fight corruption in local departments.",
        ),
        quotes=(
            "We will not accept any deal that ignores the rights of our province",
            "Dialogue is the only way out of the current deadlock",
            "The people want services, not slogans",
            "Everything will be decided by a vote under the dome of parliament",
        ),
        speakers=(
            "{person}, a member of parliament from {province}",
            "{person}, the governor of {province}",
            "a spokesman for the council of ministers",
            "{person}, a political analyst",
        ),
    ),
    "services": Topic(
        leads=(
            "Officials in {place} opened a new water treatment plant on {day}, serving {m} thousand residents.",
            "Electricity supply in {place} improved to {m} hours a day, the ministry said on {day}.",
            "Work began on {day} to pave the main road linking {place} with {place2}, the roads directorate said.",
            "Residents of {place} complained on {day} about rubbish piling up in the streets for the second week.",
        ),
        body=(
            "Power cuts are common in summer, when temperatures exceed 50 degrees and demand soars.",
            "The plant can process {num} cubic metres of water an hour, according to the contractor.",
            "The new substation will add {m} megawatts to the local grid.",
            "Many neighbourhoods on the edge of the town still lack a sewage network.",
            "The municipality hired {num} daily workers to clean the streets.",
            "Iraq imports gas and electricity from Iran, and supplies are often interrupted.",
            "Engineers said old pipes were responsible for most of the water lost before it reaches homes.",
            "The contract was signed in {year}, but work stopped for more than a year because of funding problems.",
        ),
        quotes=(
            "We expect the situation to improve significantly by next summer",
            "Our teams are working around the clock to fix the network",
            "Residents have been patient for too long",
            "We have solved the problem in most neighbourhoods",
        ),
        speakers=(
            "{person}, the director of municipalities in {province}",
            "an electricity ministry spokesman",
            "{person}, a resident of {place}",
            "{person}, the head of the water directorate",
        ),
    ),
    "sport": Topic(
        leads=(
            "The national football team trained in {place} on {day} ahead of the Gulf Cup qualifier.",
            "A local club from {place} won promotion to the Iraqi Stars League on {day} after a 2-1 win.",
            "Hundreds of runners took part in a marathon in {place} on {day}, the youth and sports ministry said.",
            "A new stadium with {num} seats was inaugurated in {place} on {day}.",
        ),
        body=(
            "The team has won {k} of its last six matches.",
            "The coach named a squad of 26 players, including {k} who play abroad.",
            "Football is by far the most popular sport in Iraq, and matches draw large crowds.",
            "FIFA lifted its ban on international matches in Iraq in 2022.",
            "The league season resumes {next} after a break for international fixtures.",
            "Fans gathered in cafes to watch the match on large screens.",
            "The club has struggled financially and relies on donations from local businessmen.",
        ),
        quotes=(
            "The players are ready and morale is high",
            "We dedicate this victory to the fans who stood by us",
            "We still have a lot of work to do before the tournament",
        ),
        speakers=(
            "{person}, the team's coach",
            "the club president",
            "{person}, a sports journalist",
            "the captain",
        ),
    ),
    "culture": Topic(
        leads=(
            "A book fair in {place} drew thousands of visitors on {day}, organisers said.",
            "An exhibition of traditional crafts opened in {place} on {day}, showing pottery, carpets and copperware.",
            "Archaeologists announced on {day} the discovery of clay tablets at a site near {place}.",
            "A theatre festival opened in {place} on {day} with performances by troupes from {k} provinces.",
        ),
        body=(
            "More than {num} titles from Arab and foreign publishers were on display.",
            "The site dates back more than 4,000 years, according to the antiquities board.",
            "Many of the artisans learned their trade from their parents and grandparents.",
            "The festival was held for the first time since {year}.",
            "Entry was free, and families came with their children in the evening.",
            "The ministry of culture plans to restore several historic buildings in the old town.",
            "Foreign archaeological teams have returned to Iraq in growing numbers in recent years.",
        ),
        quotes=(
            "Culture is the best answer to years of war and destruction",
            "We were surprised by the number of young visitors",
            "These pieces tell the story of our city",
        ),
        speakers=(
            "{person}, one of the organisers",
            "{person}, a novelist",
            "an official at the antiquities board",
            "{person}, a visitor from {place2}",
        ),
    ),
    "weather": Topic(
        leads=(
            "Temperatures in {place} are expected to reach 48 degrees this week, the weather office said on {day}.",
            "A dust storm swept across {province} on {day}, grounding flights and sending {num} people to hospital with breathing problems.",
            "Heavy rain flooded streets in {place} on {day}, the civil defence said.",
            "The authorities in {province} declared {day} a public holiday because of the extreme heat.",
        ),
        body=(
            "Iraq is among the countries most vulnerable to climate change, according to the United Nations.",
            "Dust storms have become more frequent as farmland turns to desert.",
            "The meteorological authority said temperatures would drop slightly from {weekday}.",
            "Drainage systems in many towns cannot cope with sudden downpours.",
            "Schools were told to shorten the school day during the heatwave.",
            "Rainfall this season was {pct} percent below the average, the agriculture ministry said.",
        ),
        quotes=(
            "Citizens should avoid going out at midday and drink plenty of water",
            "Our teams pumped water from the flooded streets all night",
            "We expect more storms in the coming days",
        ),
        speakers=(
            "a spokesman for the meteorological authority",
            "{person}, a civil defence officer",
            "a health ministry official",
        ),
    ),
    "diplomacy": Topic(
        leads=(
            "The foreign minister received the ambassador of Japan in Baghdad on {day} to discuss investment projects.",
            "A delegation of investors visited {place} on {day} to study housing projects.",
            "Iraq and Jordan signed {k} memoranda of understanding on trade and energy on {day}.",
            "The Turkish ambassador visited {place} on {day} and met the governor of {province}.",
        ),
        body=(
            "The two sides discussed water sharing, trade and border security.",
            "Iraq has tried to position itself as a mediator between regional rivals.",
            "Trade between the two countries reached {bn} billion dollars last year.",
            "A joint committee is expected to meet in Baghdad {next}.",
            "The visit is the first by a minister from that country since {year}.",
            "The agreements cover electricity interconnection, transport and customs.",
        ),
        quotes=(
            "Iraq wants balanced relations with all its neighbours",
            "We see great opportunities for our companies in Iraq",
            "The visit opens a new page in relations between our two countries",
        ),
        speakers=(
            "the foreign ministry spokesman",
            "the ambassador",
            "{person}, an adviser to the prime minister",
        ),
    ),
    "oil": Topic(
        leads=(
            "Iraq's oil exports averaged {bn} million barrels a day last month, the oil ministry said on {day}.",
            "The North Oil Company said on {day} it had drilled {k} new wells in fields near {place}.",
            "A new refinery unit came on stream near {place} on {day}, adding {num} barrels a day of capacity.",
        ),
        body=(
            "Most of Iraq's crude is exported from the southern port of Basra.",
            "Exports through the pipeline to the Turkish port of Ceyhan have been suspended since March 2023.",
            "Iraq is the second-largest producer in OPEC.",
            "Revenue from oil sales reached {bn} billion dollars in {month}, according to official figures.",
            "The government wants to stop flaring gas from oil fields by 2030.",
            "Foreign companies operate many of the largest fields under service contracts.",
        ),
        quotes=(
            "We are committed to our OPEC+ obligations",
            "The new unit will reduce our need to import fuel",
            "Production will rise gradually over the next two years",
        ),
        speakers=(
            "an oil ministry spokesman",
            "{person}, the director of the North Oil Company",
            "{person}, an energy analyst",
        ),
    ),
    "elections": Topic(
        leads=(
            "The electoral commission said on {day} that {num} voters in {province} had updated their biometric cards.",
            "Candidates began campaigning in {place} on {day} ahead of the provincial elections.",
            "The electoral commission announced on {day} the final results of the vote in {province}.",
        ),
        body=(
            "Turnout in the last national election was around 41 percent, the lowest since 2005.",
            "Posters of candidates covered walls and bridges across the city.",
            "More than {num} candidates are competing for seats in the province.",
            "Observers from local and international organisations will monitor the vote.",
            "The commission said results could be challenged within three days.",
            "Several parties accused rivals of using state resources in their campaigns.",
        ),
        quotes=(
            "We call on all citizens to take part and choose those who will serve them",
            "The process was transparent and the results reflect the will of the voters",
            "Young people have lost faith in the parties, and that is the real challenge",
        ),
        speakers=(
            "a spokeswoman for the electoral commission",
            "{person}, a candidate",
            "{person}, an election observer",
        ),
    ),
    "reconstruction": Topic(
        leads=(
            "The reconstruction fund said on {day} it had finished rebuilding {k} schools and a hospital in {place}.",
            "Work resumed on {day} on rebuilding the bridge in {place}, the roads ministry said.",
            "The United Nations Development Programme handed over {num} rebuilt houses to families in {place} on {day}.",
        ),
        body=(
            "Rebuilding the areas damaged in the war was estimated to cost 88 billion dollars.",
            "Donors pledged billions of dollars at a conference in Kuwait in 2018.",
            "Many families have returned, but some villages remain empty.",
            "Local contractors say payments are often delayed for months.",
            "The old market has been partly restored with funding from international donors.",
            "The project employs workers from the town, which helps reduce unemployment.",
        ),
        quotes=(
            "We have rebuilt what was destroyed, and now we need jobs for people",
            "The families deserve to return to decent homes",
            "The pace of work is too slow for people who have waited for years",
        ),
        speakers=(
            "{person}, the mayor of {place}",
            "a UNDP official",
            "{person}, a returning resident",
        ),
    ),
    "health": Topic(
        leads=(
            "The health directorate in {province} said on {day} it had vaccinated {num} children against measles.",
            "A new cancer treatment centre opened in {place} on {day}, the health ministry said.",
            "Hospitals in {province} recorded {m} cases of cholera over the past week, a health official said on {day}.",
        ),
        body=(
            "Patients often travel to Baghdad or abroad for specialised treatment.",
            "Doctors say shortages of medicines remain a problem in public hospitals.",
            "The campaign will continue for {k} weeks and cover remote villages.",
            "The ministry urged residents to boil drinking water.",
            "Many doctors left the country during the years of violence.",
        ),
        quotes=(
            "The situation is under control and there is no reason to panic",
            "We need more specialised staff and modern equipment",
            "Parents should make sure their children receive all doses",
        ),
        speakers=(
            "{person}, the director of health in {province}",
            "a health ministry spokesman",
            "{person}, a doctor at the main hospital",
        ),
    ),
    "education": Topic(
        leads=(
            "Students in {place} sat their final exams on {day}, the education directorate said.",
            "The education ministry said on {day} that {num} new teachers would be hired in {province}.",
            "A new university campus opened in {place} on {day} with {k} faculties.",
        ),
        body=(
            "Many schools operate in two or three shifts because of overcrowding.",
            "The pass rate in the ministerial exams was {pct} percent last year.",
            "Hundreds of schools were damaged or destroyed during the war.",
            "Students complained that the exam questions were difficult.",
            "The ministry plans to build {num} schools across the country.",
        ),
        quotes=(
            "Education is the foundation of everything we want to build",
            "We have prepared the halls and all the requirements for the exams",
            "Our children study in caravans and crowded classrooms",
        ),
        speakers=(
            "an education ministry spokesman",
            "{person}, a school headmaster in {place}",
            "{person}, a parent",
        ),
    ),
    "agriculture": Topic(
        leads=(
            "Farmers around {place} expect a good wheat harvest after winter rains, the agriculture directorate said on {day}.",
            "The trade ministry said on {day} it had received {num} tonnes of wheat from farmers in {province}.",
            "Date palm growers in {place} said on {day} that pests had damaged much of this year's crop.",
        ),
        body=(
            "The government buys wheat from farmers at subsidised prices.",
            "Water shortages have forced the ministry to cut the area planted in summer.",
            "The Tigris and Euphrates rivers have fallen to low levels in recent years.",
            "Farmers say the cost of fuel and fertiliser has doubled.",
            "Iraq was once one of the world's largest producers of dates.",
        ),
        quotes=(
            "This season is better than the last three",
            "Without water there is no agriculture",
            "We want the state to pay us on time",
        ),
        speakers=(
            "{person}, a farmer in {place}",
            "an agriculture ministry official",
            "{person}, the head of the farmers' union in {province}",
        ),
    ),
}
SUBHEADINGS = ("Background", "Reactions", "Security situation", "{province} in numbers", "What comes next", "A long road", "Residents' concerns")  # fmt: skip


# ---- generator --------------------------------------------------------------------------


class Place(NamedTuple):
    alias: str
    province: str
    iraq: bool


def load_places() -> list[Place]:
    with PLACES.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["alias"]]
    by_alias = {r["alias"]: r for r in rows}
    return [
        Place(a, by_alias[a]["admin1"].split("|")[0], by_alias[a]["country"] == "Iraq")
        for a in sorted(by_alias)
    ]


class Slots(dict):
    """Per-article slot values; the dynamic ones (person, k, when, ...) are drawn per use."""

    def __init__(self, rng: random.Random, places: list[Place], pub: date, **fixed: str) -> None:
        super().__init__(fixed)
        self.rng, self.places, self.pub = rng, places, pub

    def __missing__(self, key: str) -> str:
        rng, pub = self.rng, self.pub
        if key == "person":
            return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if key == "k":
            return rng.choice(SMALL)
        if key == "num":
            return f"{rng.randrange(120, 9000, 10):,}"
        if key == "big":
            return str(rng.randrange(60, 400, 10))
        if key == "pct":
            return str(rng.randint(3, 40))
        if key == "bn":
            return f"{rng.uniform(1.1, 9.9):.1f}"
        if key == "other":
            return rng.choice(self.places).alias
        if key == "year":  # any past year
            return str(rng.randint(2005, pub.year - 1))
        if key in ("hist_year", "lib_year"):  # the war against ISIS, and its liberations
            return str(rng.randint(2014 if key == "hist_year" else 2015, min(2017, pub.year - 1)))
        if key == "month":
            return MONTHS[(pub.month - 2) % 12]  # last month
        if key == "month2":
            return MONTHS[rng.randrange(12)]
        if key == "weekday":
            return rng.choice(WEEKDAYS)
        if key == "date2":
            d = pub - timedelta(days=rng.randint(7, 60))
            return f"{MONTHS[d.month - 1]} {d.day}"
        if key == "when":
            return rng.choice(WHEN).format_map(self)
        if key == "next":
            return rng.choice(NEXT).format_map(self)
        raise KeyError(key)


def fill(template: str, slots: Slots) -> str:
    """The template with its slots filled, capitalised (a sentence may start with a place)."""
    text = template.format_map(slots)
    return text[0].upper() + text[1:]


def target_words(rng: random.Random) -> int:
    r = rng.random()
    if r < BRIEF_SHARE:
        return rng.randint(*BRIEF_WORDS)
    if r < BRIEF_SHARE + LONG_SHARE:
        return min(LENGTH_MAX, int(LONG_MEDIAN * math.exp(rng.gauss(0.0, LONG_SIGMA))))
    words = LENGTH_MEDIAN * math.exp(rng.gauss(0.0, LENGTH_SIGMA))
    return max(BRIEF_WORDS[0], min(LENGTH_MAX, int(words)))


class Deck:
    """Draw templates without repeats within an article (reshuffled when exhausted)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.cards = rng, {}

    def draw(self, pool: tuple[str, ...]) -> str:
        cards = self.cards.get(id(pool))
        if not cards:
            cards = self.cards[id(pool)] = self.rng.sample(pool, len(pool))
        return cards.pop()


def quote(rng: random.Random, deck: Deck, quotes: tuple[str, ...], speakers: tuple[str, ...], slots: Slots) -> str:  # fmt: skip
    """A quote from the pool, attributed to a speaker in one of the QUOTE_FRAMES."""
    q = deck.draw(quotes)
    speaker = rng.choice(speakers).format_map(slots)
    mid = speaker + "," if "," in speaker else speaker
    extra = {
        "quote": q,
        "quote_lc": q[0].lower() + q[1:],
        "speaker": speaker,
        "speaker_mid": mid,
        "speaker_cap_mid": mid[0].upper() + mid[1:],
        "source": rng.choice(SOURCES),
    }
    return rng.choice(QUOTE_FRAMES).format_map(ChainMap(extra, slots))


PARAGRAPH_KINDS = ("topic", "general", "quote", "security", "background")
WEIGHTS_INCIDENT = (2, 3, 1, 3, 3)
WEIGHTS_CALM = (3, 3, 2, 1, 1)  # 30% of calm articles: some security talk and history
WEIGHTS_CALM_ONLY = (3, 3, 2, 0, 0)  # the rest never mention violence


def body_paragraphs(rng: random.Random, deck: Deck, slots: Slots, topic: Topic, lead: str | None):
    """Endless stream of body paragraphs (lists of sentences, still templates), most relevant first.

    `lead` is the incident lead of an incident report, None for calm news.
    """
    incident = lead is not None
    if incident:
        operation = any(w in lead for w in OPERATION_WORDS)
        followups = OPERATION_FOLLOWUPS if operation else ATTACK_FOLLOWUPS
        yield [deck.draw(followups) for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.6:
            yield [quote(rng, deck, SECURITY_QUOTES, SECURITY_SPEAKERS, slots)]
        if rng.random() < 0.25:
            yield [deck.draw(SECOND_INCIDENTS)]
        yield [deck.draw(followups)]
        weights = WEIGHTS_INCIDENT
    else:
        weights = WEIGHTS_CALM if rng.random() < 0.3 else WEIGHTS_CALM_ONLY
    while True:
        sentences = []
        for kind in rng.choices(
            PARAGRAPH_KINDS, weights, k=rng.choices((1, 2, 3), (45, 40, 15))[0]
        ):
            if kind == "topic":
                sentences.append(deck.draw(topic.body))
            elif kind == "general":
                sentences.append(deck.draw(GENERAL))
            elif kind == "quote" and incident:
                sentences.append(quote(rng, deck, SECURITY_QUOTES, SECURITY_SPEAKERS, slots))
            elif kind == "quote":
                sentences.append(quote(rng, deck, topic.quotes, topic.speakers, slots))
            elif kind == "security":
                sentences.append(deck.draw(SECURITY_CONTEXT))
            else:
                sentences.append(deck.draw(BACKGROUND))
        yield sentences


HEADLINE_TAIL = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "for",
    "and",
    "to",
    "with",
    "at",
    "from",
    "about",
}


def headline(lead: str) -> str:
    """The lead's first clause, cut at a word boundary to at most 90 characters."""
    words = lead.split(",")[0].split(" ")
    while len(" ".join(words)) > 90 or words[-1] in HEADLINE_TAIL:
        words.pop()
    return " ".join(words)


def article(rng: random.Random, places: list[Place], n: int) -> dict:
    published = date(2017, 1, 1) + timedelta(days=rng.randrange(3000))
    incident = rng.random() < INCIDENT_SHARE
    place = rng.choice(places)
    while not (incident or place.iraq):  # calm news is Iraqi news
        place = rng.choice(places)
    event_day = published - timedelta(days=rng.choice((0, 1, 1, 1, 2, 2, 3, 4, 5, 6)))
    slots = Slots(
        rng, places, published,
        place=place.alias, province=place.province, place2=rng.choice(places).alias,
        day=WEEKDAYS[event_day.weekday()], date=f"{MONTHS[event_day.month - 1]} {event_day.day}",
        n=rng.choice(NUMBERS), m=str(rng.randrange(3, 60)),
    )  # fmt: skip
    topic = TOPICS["politics"] if incident else TOPICS[rng.choice(tuple(TOPICS))]
    deck = Deck(rng)
    lead = fill(deck.draw(INCIDENTS if incident else topic.leads), slots)
    paragraphs, words, target = [lead], lead.count(" ") + 1, target_words(rng)
    sep = " " if rng.random() < ONE_BLOCK_SHARE else "\n\n"
    subheads = sep != " " and target > 450 and rng.random() < 0.4
    stream = body_paragraphs(rng, deck, slots, topic, lead if incident else None)
    while words < target:
        para = " ".join(fill(sentence, slots) for sentence in next(stream))
        if subheads and len(paragraphs) > 3 and rng.random() < 0.08:
            paragraphs.append(rng.choice(SUBHEADINGS).format_map(slots))
        paragraphs.append(para)
        words += para.count(" ") + 1
    title = headline(lead)
    return {
        "id": f"a{n:07d}",
        "text": title + "\n\n" + sep.join(paragraphs),
        "published": published.isoformat(),
        "source": rng.choice(SOURCES),
        "url": f"https://news.example.org/{published:%Y/%m}/a{n:07d}",
        "title": title,
        "incident": incident,
    }


def make_corpus(n: int, out: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    places = load_places()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(article(rng, places, i)) + "\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    make_corpus(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()

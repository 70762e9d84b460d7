#!/usr/bin/env python3
"""Generate crates/lexicon/data/first_names.tsv from the US Census 1990 first-name lists
(shipped in the `names` Python package) plus hand-typed names of the world's news.

Usage (from the repository root):

    pip install names==0.3.0
    python3 crates/lexicon/scripts/gen_names.py [--treebank PATH] [--out PATH]

Rows: name<TAB>gender<TAB>share

- gender: m, f, or x when the name is in both Census lists and neither frequency is at
  least 3 times the other (otherwise the larger list wins).
- share: percent of US men or women (the larger of the two) with the name in 1990, as
  the Census lists give it; 0 for hand-typed names not in the Census lists.

Names that are English words are dropped by a test on the UD English EWT treebank (see
`is_word`), and a few hand-listed ones (month names) too. Output is sorted; the script
is deterministic; the header date is today's unless SOURCE_DATE_EPOCH is set.
Run it before gen_places.py, which leaves out cities named like common first names.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import os
import sys
from importlib import metadata
from pathlib import Path

import names as census_names

HERE = Path(__file__).resolve()
LEXICON = HERE.parents[1]
DEFAULT_TREEBANK = HERE.parents[4] / "shared" / "treebanks" / "en_ewt" / "en_ewt-ud-train.conllu"
DEFAULT_OUT = LEXICON / "data" / "first_names.tsv"
MIN_SHARE = 0.001  # percent, as the Census lists give it

# Hand-typed: names that pass the treebank test but in news text are mostly something
# else (months: the treebank tags "May" PROPN as it does names).
HAND_STOP = {"January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"}

# ---------------------------------------------------------------------------------------
# HAND-TYPED ADDITIONS (typed for newsgraph from public knowledge; not from the Census).
# Common given names of people in international news, by origin. One "Name gender" per
# line (m, f or x). Chinese pinyin given names are left out: written alone they are too
# ambiguous. A name already in the Census lists keeps the Census row.
HAND_TYPED = """
# Russian, Ukrainian, Belarusian
Vladimir m   Volodymyr m  Dmitry m     Dmitri m     Dmytro m     Sergei m
Sergey m     Serhiy m     Serhii m     Alexei m     Alexey m     Oleksiy m
Oleksii m    Oleksandr m  Andrei m     Andriy m     Andrii m     Mikhail m
Mykhailo m   Nikolai m    Mykola m     Yuri m       Yuriy m      Igor m
Ihor m       Ivan m       Pyotr m      Petro m      Vitaly m     Vitali m
Vitaliy m    Viktor m     Yevgeny m    Yevgeniy m   Yevhen m     Evgeny m
Anatoly m    Anatoliy m   Valery m     Valeriy m    Gennady m    Arkady m
Konstantin m Kostiantyn m Maxim m      Maksym m     Ruslan m     Ramzan m
Kirill m     Oleg m       Oleh m       Vasily m     Vasyl m      Vyacheslav m
Stanislav m  Leonid m     Grigory m    Yaroslav m   Bohdan m     Taras m
Arseniy m    Vadim m      Vadym m      Pavel m      Pavlo m      Nikita m
Mykyta m     Artem m      Artyom m     Ilya m       Aleksandr m  Alexander m
Alyaksandr m Yulia f      Yuliia f     Olena f      Elena f      Yelena f
Tatiana f    Tatyana f    Svetlana f   Sviatlana f  Irina f      Iryna f
Lyudmila f   Liudmyla f   Oksana f     Ekaterina f  Yekaterina f Galina f
Halyna f     Daria f      Darya f      Ksenia f     Kseniya f    Nadezhda f
Nadiya f     Larisa f     Viktoria f   Viktoriia f  Polina f     Nataliya f
Natalya f    Olga f       Valentina f  Marina f     Yana f       Zoya f

# Arabic
Mohammed m   Muhammad m   Mohammad m   Mohamed m    Muhammed m   Ahmed m
Ahmad m      Ali m        Hassan m     Hasan m      Hussein m    Hussain m
Omar m       Umar m       Abdullah m   Abdallah m   Abdul m      Abdel m
Khalid m     Khaled m     Mahmoud m    Mahmood m    Mustafa m    Mostafa m
Ibrahim m    Ismail m     Yousef m     Youssef m    Yusuf m      Yasser m
Yassin m     Karim m      Kareem m     Tariq m      Tarek m      Walid m
Waleed m     Nabil m      Samir m      Sami m       Salim m      Salem m
Saleh m      Saeed m      Faisal m     Fahad m      Sultan m     Hamad m
Hamid m      Hamdan m     Mansour m    Majid m      Marwan m     Nasser m
Rashid m     Riad m       Riyad m      Ziad m       Adel m       Adil m
Amr m        Anwar m      Ayman m      Bashar m     Bassam m     Emad m
Imad m       Fadi m       Fouad m      Fuad m       Ghassan m    Haidar m
Haider m     Hisham m     Issa m       Jamal m      Kamal m      Khalil m
Moussa m     Musa m       Nizar m      Osama m      Usama m      Qassem m
Rami m       Sherif m     Tamim m      Wael m       Yahya m      Zayed m
Abbas m      Abdulaziz m  Abdelaziz m  Fatima f     Fatma f      Aisha f
Maryam f     Mariam f     Layla f      Leila f      Laila f      Noura f
Nour x       Rania f      Hanan f      Huda f       Salma f      Samira f
Amal f       Amina f      Hala f       Rasha f      Reem f       Rima f
Yasmin f     Yasmine f    Zeinab f     Zainab f     Hiba f       Asma f
Khadija f

# Persian and Afghan
Reza m       Hossein m    Mohsen m     Mehdi m      Mahdi m      Javad m
Masoud m     Massoud m    Ebrahim m    Amir m       Kamran m     Farhad m
Behrouz m    Bijan m      Mojtaba m    Morteza m    Parviz m     Ramin m
Ashraf m     Zalmay m     Hamidullah m Narges f     Nasrin f     Shirin f
Fatemeh f    Zahra f      Mahsa f      Nazanin f    Parisa f     Sepideh f
Azadeh f

# Turkish, Azerbaijani, Central Asian
Recep m      Mehmet m     Ahmet m      Kemal m      Ekrem m      Devlet m
Hakan m      Mevlut m     Binali m     Selahattin m Ozgur m      Murat m
Emre m       Burak m      Fatih m      Hulusi m     Suleyman m   Osman m
Orhan m      Omer m       Bulent m     Tolga m      Ilham m      Shavkat m
Nursultan m  Emomali m    Sadyr m      Ayse f       Emine f      Meral f
Zeynep f     Elif f       Esra f       Merve f      Tansu f      Aylin f
Derya f      Ozlem f      Mehriban f

# South Asian
Narendra m   Rahul m      Amit m       Arvind m     Rajnath m    Nitin m
Nitish m     Arun m       Ashok m      Anil m       Sunil m      Rajesh m
Rakesh m     Ramesh m     Suresh m     Mahesh m     Dinesh m     Mukesh m
Sanjay m     Vijay m      Ajay m       Ravi m       Rajiv m      Manmohan m
Pranab m     Shashi m     Piyush m     Akhilesh m   Uddhav m     Sharad m
Devendra m   Shivraj m    Virat m      Sachin m     Rohit m      Mahendra m
Gautam m     Prakash m    Deepak m     Vikram m     Vivek m      Manish m
Pankaj m     Sandeep m    Sanjeev m    Arjun m      Karan m      Kiran x
Krishna x    Vinod m      Naveen m     Rajendra m   Imran m      Nawaz m
Shehbaz m    Shahbaz m    Asif m       Bilawal m    Pervez m     Zulfikar m
Asim m       Shahid m     Junaid m     Hamza m      Usman m      Zahid m
Tarique m    Ranil m      Mahinda m    Gotabaya m   Sajith m     Indira f
Nirmala f    Smriti f     Sushma f     Mamata f     Priyanka f   Priya f
Pooja f      Anjali f     Deepika f    Sunita f     Kavita f     Lakshmi f
Shreya f     Neha f       Divya f      Meena f      Kamala f     Benazir f
Hasina f     Khaleda f

# Spanish and Portuguese
José m       Jose m       Juan m       Luis m       Luís m       Carlos m
Jorge m      Javier m     Pedro m      Pablo m      Alejandro m  Andrés m
Andres m     Manuel m     Miguel m     Francisco m  Fernando m   Rafael m
Ricardo m    Alberto m    Alfonso m    Gustavo m    Diego m      Sergio m
Mateo m      Emilio m     Enrique m    Felipe m     Gonzalo m    Ignacio m
Iñigo m      Jaime m      Joaquín m    Joaquin m    Julio m      Luiz m
Marcelo m    Mauricio m   Nicolás m    Rodrigo m    Hugo m       Evo m
Jair m       Nayib m      Sebastián m  Álvaro m     Alvaro m     Iván m
Lenín m      Jordi m      Carles m     Oriol m      João m       Joao m
Paulo m      Antônio m    Antonio m    Marcos m     Flávio m     Flavio m
Sérgio m     Ciro m       Geraldo m    Tarcísio m   Eduardo m    Dilma f
Cristina f   Claudia f    Gabriela f   Xiomara f    Verónica f   Lucía f
Pilar f      Begoña f     Yolanda f    Isabel f     Inés f       Ines f
Ana f        Fernanda f   Camila f     Sofía f      Carmen f     Dolores f
Keiko f      Marta f

# French
Emmanuel m   Jean m       François m   Francois m   Jacques m    Pierre m
Michel m     Édouard m    Edouard m    Bruno m      Gérald m     Jean-Luc m
Jean-Yves m  Jean-Marie m Jean-Claude m Jean-Pierre m Jean-Michel m Jean-Noël m
Laurent m    Olivier m    Sébastien m  Sebastien m  Stéphane m   Stephane m
Thierry m    Yves m       Benoît m     Benoit m     Éric m       Gilles m
Hervé m      Herve m      Jérôme m     Julien m     Lionel m     Mathieu m
Philippe m   René m       Yannick m    Clément m    Raphaël m    Gabriel m
Dominique x  Camille x    Marine f     Ségolène f   Segolene f   Élisabeth f
Elisabeth f  Brigitte f   Valérie f    Nathalie f   Sandrine f   Rachida f
Agnès f      Sophie f     Martine f    Amélie f     Hélène f     Helene f
Béatrice f   Mathilde f   Clémence f   Juliette f   Chloé f      Manon f
Margaux f    Ursula f

# German, Dutch, Nordic
Olaf m       Friedrich m  Frank-Walter m Helmut m   Gerhard m    Wolfgang m
Jürgen m     Klaus m      Hans m       Heinz m      Horst m      Dieter m
Karl m       Markus m     Matthias m   Andreas m    Stefan m     Stephan m
Thorsten m   Torsten m    Uwe m        Volker m     Sigmar m     Norbert m
Armin m      Cem m        Hubertus m   Lars m       Jens m       Ralf m
Rolf m       Günther m    Günter m     Werner m     Joachim m    Johannes m
Lukas m      Florian m    Tobias m     Moritz m     Heiko m      Hendrik m
Björn m      Mark m       Rutger m     Wopke m      Geert m      Dick m
Jonas m      Mette f      Magdalena f  Sanna f      Annalena f   Katharina f
Annegret f   Sahra f      Saskia f     Svenja f     Franziska f  Ricarda f
Manuela f    Birgit f     Sabine f     Petra f      Ute f        Heike f
Gudrun f     Anke f       Silke f      Frauke f     Greta f      Ilse f
Dilan f

# Polish, Czech, Balkan, Baltic, Hungarian, Romanian, Greek, Italian
Andrzej m    Jarosław m   Jaroslaw m   Mateusz m    Radosław m   Radoslaw m
Władysław m  Szymon m     Krzysztof m  Tomasz m     Piotr m      Paweł m
Pawel m      Marcin m     Michał m     Wojciech m   Grzegorz m   Zbigniew m
Lech m       Rafał m      Rafal m      Jacek m      Jakub m      Łukasz m
Lukasz m     Przemysław m Mariusz m    Sławomir m   Janusz m     Bartosz m
Karol m      Waldemar m   Petr m       Miloš m      Milos m      Andrej m
Aleksandar m Milorad m       Zoran m      Goran m
Dragan m     Milan m      Edi m        Gitanas m    Kaja f
Péter m      Nicușor m    Kyriakos m   Alexis m     Giorgia f
Matteo m     Giuseppe m   Mario m      Silvio m     Enrico m
Beata f      Agnieszka f  Małgorzata f Malgorzata f Katarzyna f  Ewa f
Dorota f     Elżbieta f   Elzbieta f   Jadwiga f    Zofia f      Urszula f
Aleksandra f Izabela f    Iwona f      Zuzana f     Maia f       Salome f
Elly f

# Hebrew
Yair m       Benny m      Naftali m    Yoav m       Bezalel m    Itamar m
Gideon m     Avigdor m    Yitzhak m    Moshe m      Shimon m     Ehud m
Yossi m      Yosef m      Avi m        Gadi m       Aryeh m      Gilad m
Yuval m      Amos m       Ofer m       Tzachi m     Ronen m      Eyal m
Uri m        Yehuda m     Avraham m    Yaakov m     Doron m      Oren m
Noam m       Asaf m       Erez m       Ilan m       Shlomo m     Haim m
Chaim m      Meir m       Menachem m   Yigal m      Zvi m        Tzvi m
Isaac m      Tal x        Michal x     Miri f       Orit f       Ayelet f
Tzipi f      Golda f      Merav f      Limor f      Noa f        Shira f
Yael f       Tamar f      Hadas f      Einav f      Inbal f      Orly f
Galit f      Naama f

# African
Cyril m      Thabo m      Uhuru m      Raila m      Kalonzo m    Abiy m
Yoweri m     Emmerson m   Olusegun m   Goodluck m   Muhammadu m  Bola m
Atiku m      Hakainde m   Félix m      Faustin m    Macky m      Bassirou m
Ousmane m    Amadou m     Mamadou m    Abdoulaye m  Alassane m   Idriss m
Mahamat m    Assimi m     Cheikh m     Souleymane m Seydou m     Boubacar m
Modibo m     Mahamadou m  Yaya m       Sékou m      Sekou m      Oumar m
Kwame m      Kofi m       Kwabena m    Kojo m       Kwesi m      Chidi m
Chinedu m    Chukwuma m   Emeka m      Obinna m     Nnamdi m     Tunde m
Babajide m   Femi m       Adewale m    Yemi m       Jomo m       Mwai m
Jakaya m     Sipho m      Themba m     Gwede m      Mmusi m      Bheki m
Mangosuthu m Sibusiso m   Abebe m      Haile m      Tewodros m   Yohannes m
Getachew m   Debretsion m Tedros m     Isaias m     Salva m      Riek m
Hage m       Uche x       Fikile x     Nana x       Samia f      Ngozi f
Chimamanda f Funmilayo f  Folake f     Adaeze f     Amara f      Wanjiku f
Wangari f    Njeri f      Lindiwe f    Nomvula f    Thandi f     Naledi f
Nkosazana f  Fatou f      Aminata f    Mariama f    Akosua f
"""


def parse_hand_typed(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].split()
        if len(line) % 2:
            raise SystemExit(f"hand-typed line has an odd number of fields: {line}")
        for name, gender in zip(line[::2], line[1::2]):
            if gender not in ("m", "f", "x"):
                raise SystemExit(f"hand-typed {name!r}: gender {gender!r}")
            out.append((name, gender))
    return out


def read_census(path: Path) -> dict[str, float]:
    """NAME  percent  cumulative  rank -> {Title Case name: percent}."""
    shares = {}
    with path.open(encoding="ascii") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) == 4:
                shares[fields[0].title()] = float(fields[1])
    return shares


def treebank_counts(treebank: Path):
    """lower[w]: times w occurs as an all-lowercase token; cap[form]: UPOS Counter of
    tokens written exactly `form` with a capital first letter."""
    lower: collections.Counter[str] = collections.Counter()
    cap: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with treebank.open(encoding="utf-8") as handle:
        for line in handle:
            if not line or line[0] == "#" or line == "\n":
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or not cols[0].isdigit():
                continue
            form, upos = cols[1], cols[3]
            if form.islower():
                lower[form] += 1
            elif form[:1].isupper():
                cap[form][upos] += 1
    return lower, cap


def is_word(name: str, lower, cap) -> bool:
    """An English word rather than a name: the capitalized form is more often not PROPN
    than PROPN; or the lowercase form occurs at least twice and the capitalized form is
    not mostly PROPN ("Will", "Grant" go; "Mark", with "Mark" mostly PROPN, stays)."""
    counts = cap.get(name, collections.Counter())
    propn = counts["PROPN"]
    other = sum(counts.values()) - propn
    if other > propn:
        return True
    if lower[name.lower()] >= 2 and not propn > other:
        return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--treebank", type=Path, default=DEFAULT_TREEBANK)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    male = read_census(Path(census_names.FILES["first:male"]))
    female = read_census(Path(census_names.FILES["first:female"]))
    lower, cap = treebank_counts(args.treebank)

    rows: dict[str, tuple[str, float]] = {}
    dropped: list[str] = []
    for name in sorted(set(male) | set(female)):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        share = max(m, f)
        if share < MIN_SHARE:
            continue
        if m and f and m < 3 * f and f < 3 * m:
            gender = "x"
        else:
            gender = "m" if m > f else "f"
        if name in HAND_STOP or is_word(name, lower, cap):
            dropped.append(name)
            continue
        rows[name] = (gender, share)
    census_count = len(rows)

    hand_added, hand_dropped = 0, []
    for name, gender in parse_hand_typed(HAND_TYPED):
        if name in rows or name in male or name in female:
            continue  # the Census row (or its drop) stands
        if name in HAND_STOP or is_word(name, lower, cap):
            hand_dropped.append(name)
            continue
        rows[name] = (gender, 0.0)
        hand_added += 1

    version = metadata.version("names")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    today = (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
             if epoch else datetime.date.today())
    genders = collections.Counter(g for g, _ in rows.values())
    header = [
        "# first_names.tsv: given names, with the gender they usually mark. Used by the",
        "# `entities` stage to tell a person it does not know from an organization or place.",
        "# Columns (tab-separated): name, gender (m | f | x = both), share (percent of US",
        "# men or women with the name in 1990, the larger of the two; 0 = hand-typed).",
        "# Census names are Title Case; a name in both Census lists is x unless one list's",
        "# share is at least 3 times the other's. Names that are English words (UD English",
        "# EWT test: not mostly PROPN when capitalized) and month names are left out.",
        "# Generated: python3 crates/lexicon/scripts/gen_names.py   (do not edit by hand)",
        f"# Source: US Census Bureau 1990 name lists via the `names` Python package "
        f"(version {version}) (public domain),",
        "# plus hand-typed additions (in the script): typed for newsgraph from public",
        "# knowledge. Licence: same as newsgraph.",
        f"# Date: {today.isoformat()}",
        f"# Rows: {census_count} from the Census, {hand_added} hand-typed; "
        f"{genders['m']} m, {genders['f']} f, {genders['x']} x.",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(header) + "\n")
        for name in sorted(rows):
            gender, share = rows[name]
            out.write(f"{name}\t{gender}\t{share:.3f}\n")

    print(f"wrote {args.out}: {census_count} census + {hand_added} hand-typed rows "
          f"({dict(sorted(genders.items()))})", file=sys.stderr)
    print(f"dropped census ({len(dropped)}): {', '.join(dropped)}", file=sys.stderr)
    print(f"dropped hand-typed ({len(hand_dropped)}): {', '.join(hand_dropped)}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

//! Countries and territories (`countries.toml`): ISO 3166-1 alpha-3 codes with the names,
//! demonyms and metonyms news text uses for them, for the `entities` stage.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Lines, Problem, Result, parse_toml};

/// One country or territory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code ("USA"), or "XKX" for Kosovo.
    pub code: String,
    /// Canonical short name used in output ("United States").
    pub name: String,
    /// Other names and variants ("U.S.", "America", "the States").
    pub names: Vec<String>,
    /// Adjectives and demonyms ("American", "Americans").
    pub demonyms: Vec<String>,
    /// Capitals and seats of power standing for the state ("the White House").
    pub metonyms: Vec<String>,
    /// The capital, when the entry has one.
    pub capital: Option<String>,
}

/// How a surface string names its country; the kind of the mention it makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SurfaceKind {
    /// The canonical name or one of the other names ("Russia", "Russian Federation").
    Name,
    /// An adjective or demonym ("Russian", "Russians").
    Demonym,
    /// A capital or seat of power standing for the state ("the Kremlin").
    Metonym,
}

impl Country {
    /// Every string that names this country, with its kind: the canonical name first,
    /// then the other names, demonyms and metonyms in file order.
    pub fn surfaces(&self) -> impl Iterator<Item = (&str, SurfaceKind)> {
        std::iter::once((self.name.as_str(), SurfaceKind::Name))
            .chain(self.names.iter().map(|s| (s.as_str(), SurfaceKind::Name)))
            .chain(self.demonyms.iter().map(|s| (s.as_str(), SurfaceKind::Demonym)))
            .chain(self.metonyms.iter().map(|s| (s.as_str(), SurfaceKind::Metonym)))
    }
}

/// Every known country, in file order, with lookups by code and by surface string.
#[derive(Clone, Debug, Default)]
pub struct Countries {
    countries: Vec<Country>,
    by_code: HashMap<String, usize>,
    by_surface: HashMap<String, (usize, SurfaceKind)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryFile {
    #[serde(default)]
    country: Vec<RawCountry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    code: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    names: Vec<Spanned<String>>,
    #[serde(default)]
    demonyms: Vec<Spanned<String>>,
    #[serde(default)]
    metonyms: Vec<Spanned<String>>,
    capital: Option<String>,
}

fn valid_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

impl Countries {
    /// Parses a `countries.toml`; `file` names it in errors. Reports every bad entry:
    /// a code that is not three upper-case ASCII letters, a code listed twice, an empty
    /// name or string, and a string that names two countries (a string names one country
    /// only, so "Georgia" appears once).
    pub fn parse(file: &str, source: &str) -> Result<Countries> {
        let raw: CountryFile = parse_toml(file, source)?;
        let lines = Lines::new(source);
        let mut problems = Vec::new();
        // code -> line of its entry
        let mut codes: HashMap<String, usize> = HashMap::new();
        // surface string -> (code, line) of its first listing
        let mut surfaces: HashMap<String, (String, usize)> = HashMap::new();
        let mut countries = Vec::new();
        for entry in raw.country {
            let line = lines.line(entry.code.span().start);
            let code = entry.code.get_ref().clone();
            if !valid_code(&code) {
                problems.push(Problem {
                    line: Some(line),
                    message: format!(
                        "country {code:?}: the code must be three upper-case ASCII letters (ISO 3166-1 alpha-3)"
                    ),
                });
            }
            if let Some(first) = codes.get(&code) {
                problems.push(Problem {
                    line: Some(line),
                    message: format!(
                        "country {code:?} is listed twice (first at line {first}); merge the entries"
                    ),
                });
            } else {
                codes.insert(code.clone(), line);
            }
            if entry.name.get_ref().trim().is_empty() {
                problems.push(Problem {
                    line: Some(lines.line(entry.name.span().start)),
                    message: format!("country {code:?}: the name is empty"),
                });
            }
            let strings = std::iter::once(&entry.name)
                .chain(&entry.names)
                .chain(&entry.demonyms)
                .chain(&entry.metonyms);
            for (position, string) in strings.enumerate() {
                let text = string.get_ref();
                let string_line = lines.line(string.span().start);
                if text.is_empty() {
                    // An empty name (position 0) is reported above; an empty list item here.
                    if position > 0 {
                        problems.push(Problem {
                            line: Some(string_line),
                            message: format!("country {code:?}: remove the empty string"),
                        });
                    }
                    continue;
                }
                if text.trim() != text {
                    problems.push(Problem {
                        line: Some(string_line),
                        message: format!(
                            "country {code:?}: {text:?} starts or ends with spaces; trim it"
                        ),
                    });
                }
                match surfaces.get(text) {
                    Some((other, _)) if *other == code => problems.push(Problem {
                        line: Some(string_line),
                        message: format!("country {code:?} lists {text:?} twice; keep one"),
                    }),
                    Some((other, other_line)) => problems.push(Problem {
                        line: Some(string_line),
                        message: format!(
                            "{text:?} names both {other} (line {other_line}) and {code}; a string may name one country only, keep it where news usually means it"
                        ),
                    }),
                    None => {
                        surfaces.insert(text.clone(), (code.clone(), string_line));
                    }
                }
            }
            let list = |items: Vec<Spanned<String>>| -> Vec<String> {
                items.into_iter().map(Spanned::into_inner).collect()
            };
            countries.push(Country {
                code,
                name: entry.name.into_inner(),
                names: list(entry.names),
                demonyms: list(entry.demonyms),
                metonyms: list(entry.metonyms),
                capital: entry.capital,
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        let mut result = Countries::default();
        result.extend_with(countries);
        Ok(result)
    }

    /// Adds `other`'s countries after these. An entry whose code is already known is
    /// merged into the known country: its names, demonyms and metonyms are added, and its
    /// name (the old one stays as another name) and capital replace the known ones. A
    /// string `other` gives to a different country than before moves to that country.
    pub fn extend(&mut self, other: Countries) {
        self.extend_with(other.countries);
    }

    fn extend_with(&mut self, countries: Vec<Country>) {
        for country in countries {
            let idx = match self.by_code.get(&country.code) {
                Some(&idx) => {
                    let known = &mut self.countries[idx];
                    if known.name != country.name {
                        let old = std::mem::replace(&mut known.name, country.name.clone());
                        known.names.push(old);
                    }
                    known.names.extend(country.names.iter().cloned());
                    known.demonyms.extend(country.demonyms.iter().cloned());
                    known.metonyms.extend(country.metonyms.iter().cloned());
                    if country.capital.is_some() {
                        known.capital = country.capital.clone();
                    }
                    idx
                }
                None => {
                    self.by_code.insert(country.code.clone(), self.countries.len());
                    self.countries.push(country.clone());
                    self.countries.len() - 1
                }
            };
            for (text, kind) in country.surfaces() {
                if let Some((previous, _)) = self.by_surface.insert(text.to_string(), (idx, kind))
                    && previous != idx
                {
                    let stale = &mut self.countries[previous];
                    stale.names.retain(|s| s != text);
                    stale.demonyms.retain(|s| s != text);
                    stale.metonyms.retain(|s| s != text);
                }
            }
            // The merged lists may now hold a string twice; keep its first listing.
            let merged = &mut self.countries[idx];
            let name = merged.name.clone();
            let mut seen = std::collections::HashSet::from([name]);
            for list in [&mut merged.names, &mut merged.demonyms, &mut merged.metonyms] {
                list.retain(|s| seen.insert(s.clone()));
            }
            // A merged string that moved kind (a name now given as a demonym) is looked
            // up with its first listing's kind.
            for (text, kind) in merged.surfaces() {
                self.by_surface.insert(text.to_string(), (idx, kind));
            }
        }
    }

    /// The country at an index in file order (as the gazetteer gives it).
    pub fn get(&self, idx: usize) -> Option<&Country> {
        self.countries.get(idx)
    }

    /// The country with this code ("USA").
    pub fn by_code(&self, code: &str) -> Option<&Country> {
        self.by_code.get(code).map(|&idx| &self.countries[idx])
    }

    /// The country a surface string names, and how ("the Kremlin" gives Russia,
    /// [`SurfaceKind::Metonym`]). Strings are compared exactly.
    pub fn lookup(&self, surface: &str) -> Option<(&Country, SurfaceKind)> {
        self.by_surface.get(surface).map(|&(idx, kind)| (&self.countries[idx], kind))
    }

    /// Every country, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Country> {
        self.countries.iter()
    }

    /// How many countries there are.
    pub fn len(&self) -> usize {
        self.countries.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn builtin() -> Countries {
        let source = include_str!("../data/countries.toml");
        match Countries::parse("data/countries.toml", source) {
            Ok(countries) => countries,
            Err(err) => panic!("{err}"),
        }
    }

    fn has(list: &[String], item: &str) -> bool {
        list.iter().any(|s| s == item)
    }

    #[test]
    fn builtin_file_loads_with_every_iso_entry() {
        let countries = builtin();
        assert!(countries.len() >= 249, "{} entries", countries.len());
        let codes: HashSet<&str> = countries.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes.len(), countries.len(), "every code is unique");
        assert!(countries.iter().all(|c| valid_code(&c.code)));
        assert_eq!(crate::Lexicon::builtin().countries.len(), countries.len());
    }

    #[test]
    fn builtin_spot_checks() {
        let countries = builtin();
        let get = |code: &str| match countries.by_code(code) {
            Some(country) => country,
            None => panic!("{code} is missing"),
        };
        let usa = get("USA");
        assert_eq!(usa.name, "United States");
        assert!(has(&usa.names, "U.S."));
        assert!(has(&usa.metonyms, "the White House"));
        assert_eq!(usa.capital.as_deref(), Some("Washington"));
        let rus = get("RUS");
        assert!(has(&rus.metonyms, "the Kremlin") && has(&rus.metonyms, "Moscow"));
        assert!(has(&get("NLD").demonyms, "Dutch"));
        assert!(has(&get("PRK").names, "DPRK"));
        let ukr = get("UKR");
        assert!(has(&ukr.metonyms, "Kyiv") && has(&ukr.metonyms, "Kiev"));
        assert_eq!(get("TWN").name, "Taiwan");
        assert_eq!(get("XKX").name, "Kosovo");
        assert_eq!(get("PSE").name, "Palestine");
        assert!(countries.by_code("ZZZ").is_none());
        // Lookups by surface string give the country and the mention's kind.
        let (country, kind) = countries.lookup("the Kremlin").unwrap();
        assert_eq!((country.code.as_str(), kind), ("RUS", SurfaceKind::Metonym));
        let (country, kind) = countries.lookup("North Korean").unwrap();
        assert_eq!((country.code.as_str(), kind), ("PRK", SurfaceKind::Demonym));
        let (country, kind) = countries.lookup("Georgia").unwrap();
        assert_eq!((country.code.as_str(), kind), ("GEO", SurfaceKind::Name));
        // Brussels names the EU more than Belgium: a capital, not a metonym.
        assert!(countries.lookup("Brussels").is_none());
        assert_eq!(get("BEL").capital.as_deref(), Some("Brussels"));
    }

    #[test]
    fn every_bad_entry_is_reported_with_its_line() {
        let source = r#"
[[country]]
code = "usa"
name = "United States"

[[country]]
code = "GEO"
name = "Georgia"

[[country]]
code = "XYZ"
name = "Atlantis"
names = ["Georgia"]
"#;
        let err = Countries::parse("user/countries.toml", source).unwrap_err().to_string();
        assert!(
            err.contains("user/countries.toml:3: country \"usa\": the code must be three upper-case ASCII letters"),
            "{err}"
        );
        assert!(
            err.contains("user/countries.toml:13: \"Georgia\" names both GEO (line 8) and XYZ"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 2, "{err}");
    }

    #[test]
    fn duplicate_codes_empty_names_and_unknown_keys_are_reported() {
        let source = "[[country]]\ncode = \"FRA\"\nname = \"France\"\n\n[[country]]\ncode = \"FRA\"\nname = \"\"\ndemonyms = [\"French\", \"French\"]\n";
        let err = Countries::parse("countries.toml", source).unwrap_err().to_string();
        assert!(
            err.contains("countries.toml:6: country \"FRA\" is listed twice (first at line 2)"),
            "{err}"
        );
        assert!(err.contains("countries.toml:7: country \"FRA\": the name is empty"), "{err}");
        assert!(err.contains("countries.toml:8: country \"FRA\" lists \"French\" twice"), "{err}");
        let err = Countries::parse(
            "countries.toml",
            "[[country]]\ncode = \"FRA\"\nname = \"France\"\ncapitol = \"Paris\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("countries.toml:4:"), "{err}");
    }

    #[test]
    fn a_user_file_extends_and_overrides_the_builtin_one() {
        let mut countries = builtin();
        let n = countries.len();
        let user = Countries::parse(
            "user/countries.toml",
            "[[country]]\ncode = \"USA\"\nname = \"United States\"\nnames = [\"Uncle Sam\"]\n\n[[country]]\ncode = \"COG\"\nname = \"Republic of the Congo\"\nnames = [\"Congo\"]\n\n[[country]]\ncode = \"XAT\"\nname = \"Atlantis\"\n",
        )
        .unwrap();
        countries.extend(user);
        assert_eq!(countries.len(), n + 1);
        assert_eq!(countries.lookup("Uncle Sam").unwrap().0.code, "USA");
        assert!(has(&countries.by_code("USA").unwrap().names, "U.S."));
        // "Congo" moved from the DR Congo to the Republic of the Congo.
        assert_eq!(countries.lookup("Congo").unwrap().0.code, "COG");
        assert!(!has(&countries.by_code("COD").unwrap().names, "Congo"));
        assert_eq!(countries.by_code("XAT").unwrap().name, "Atlantis");
    }
}

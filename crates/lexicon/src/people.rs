//! People who act in world news (`people.toml`, `people_officials.toml`): their names,
//! gender, country and offices with dates, so that a role resolves against an article's
//! date ("President-elect" in December 2024, "President" in 2018).

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Lines, Problem, Result, parse_toml};
use crate::{Gender, valid_actor_code, valid_sector};

/// One person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Canonical full name ("Mark Rutte").
    pub name: String,
    /// Other forms news writes ("Rutte", "Donald J. Trump").
    pub names: Vec<String>,
    /// For pronoun resolution.
    pub gender: Option<Gender>,
    /// ISO 3166-1 alpha-3 code of the person's country.
    pub country: Option<String>,
    /// Offices in chronological order.
    pub roles: Vec<Office>,
}

/// An office a person held, with its dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Office {
    /// "Prime Minister", "Secretary General".
    pub title: String,
    /// Code of the country or organization the office belongs to.
    pub of: String,
    /// CAMEO-style sector of the office (GOV, MIL, ...).
    pub sector: Option<String>,
    /// First day as written (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub from: Option<String>,
    /// Last day as written; `None` while in office.
    pub to: Option<String>,
}

/// A date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first and last day it covers,
/// each as `yyyymmdd`.
pub fn date_range(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.split('-');
    let year: u32 = parts.next()?.parse().ok().filter(|y| (1000..=9999).contains(y))?;
    let month: Option<u32> = match parts.next() {
        Some(m) => Some(m.parse().ok().filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let day: Option<u32> = match parts.next() {
        Some(d) => Some(d.parse().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    if parts.next().is_some() || (month.is_none() && day.is_some()) {
        return None;
    }
    let base = year * 10_000;
    Some(match (month, day) {
        (Some(m), Some(d)) => (base + m * 100 + d, base + m * 100 + d),
        (Some(m), None) => (base + m * 100 + 1, base + m * 100 + 31),
        _ => (base + 101, base + 1231),
    })
}

impl Office {
    /// Whether the office was held on `day` (`yyyymmdd`). An office whose start is
    /// unknown counts as held from the start; one with no end as held still.
    pub fn held_on(&self, day: u32) -> bool {
        let from = self.from.as_deref().and_then(date_range).map_or(0, |r| r.0);
        let to = self.to.as_deref().and_then(date_range).map_or(u32::MAX, |r| r.1);
        from <= day && day <= to
    }

    /// Whether the office ended before `day`.
    pub fn ended_before(&self, day: u32) -> bool {
        self.to.as_deref().and_then(date_range).is_some_and(|r| r.1 < day)
    }
}

impl Person {
    /// The offices held on `day` (`yyyymmdd`); with no day, the latest office.
    pub fn offices_on(&self, day: Option<u32>) -> Vec<&Office> {
        match day {
            Some(day) => self.roles.iter().filter(|r| r.held_on(day)).collect(),
            None => self.roles.last().into_iter().collect(),
        }
    }

    /// Every string that names this person: the canonical name first.
    pub fn surfaces(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.names.iter().map(String::as_str))
    }
}

/// Every known person, with lookups by surface string.
#[derive(Clone, Debug, Default)]
pub struct People {
    people: Vec<Person>,
    by_surface: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    #[serde(default)]
    person: Vec<RawPerson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: Spanned<String>,
    #[serde(default)]
    names: Vec<String>,
    gender: Option<String>,
    country: Option<String>,
    #[serde(default)]
    roles: Vec<RawOffice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffice {
    title: String,
    of: String,
    sector: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl People {
    /// Parses a people file; `file` names it in errors. Reports every bad entry: a
    /// person or a form listed twice, an unknown gender or sector, a code that is not a
    /// country or organization code, a date that does not parse or ends before it starts.
    pub fn parse(file: &str, source: &str) -> Result<People> {
        let raw: PeopleFile = parse_toml(file, source)?;
        let lines = Lines::new(source);
        let mut problems = Vec::new();
        let mut people = Vec::new();
        let mut seen: HashMap<String, (String, usize)> = HashMap::new();
        for entry in raw.person {
            let line = lines.line(entry.name.span().start);
            let name = entry.name.into_inner();
            let mut problem =
                |message: String| problems.push(Problem { line: Some(line), message });
            if name.trim().is_empty() || name.trim() != name {
                problem(format!("person {name:?}: the name is empty or has outer spaces"));
            }
            for form in std::iter::once(&name).chain(&entry.names) {
                match seen.get(form) {
                    Some((other, other_line)) => problem(format!(
                        "{form:?} names both {other} (line {other_line}) and {name}; a form may name one person only"
                    )),
                    None => _ = seen.insert(form.clone(), (name.clone(), line)),
                }
            }
            let gender = match entry.gender.as_deref() {
                None => None,
                Some("m") => Some(Gender::Male),
                Some("f") => Some(Gender::Female),
                Some(other) => {
                    problem(format!("person {name:?}: gender {other:?} is not \"m\" or \"f\""));
                    None
                }
            };
            if let Some(country) = &entry.country
                && !valid_actor_code(country)
            {
                problem(format!("person {name:?}: country {country:?} is not a code"));
            }
            for role in &entry.roles {
                if !valid_actor_code(&role.of) {
                    problem(format!(
                        "person {name:?}: role {:?} of {:?}: not a code",
                        role.title, role.of
                    ));
                }
                if let Some(sector) = &role.sector
                    && !valid_sector(sector)
                {
                    problem(format!("person {name:?}: unknown sector {sector:?}"));
                }
                let from = role.from.as_deref().map(|d| (d, date_range(d)));
                let to = role.to.as_deref().map(|d| (d, date_range(d)));
                for (text, range) in from.iter().chain(to.iter()) {
                    if range.is_none() {
                        problem(format!(
                            "person {name:?}: date {text:?} is not YYYY, YYYY-MM or YYYY-MM-DD"
                        ));
                    }
                }
                if let (Some((_, Some(f))), Some((_, Some(t)))) = (from, to)
                    && f.0 > t.1
                {
                    problem(format!(
                        "person {name:?}: role {:?} ends before it starts",
                        role.title
                    ));
                }
            }
            people.push(Person {
                name,
                names: entry.names,
                gender,
                country: entry.country,
                roles: entry
                    .roles
                    .into_iter()
                    .map(|r| Office {
                        title: r.title,
                        of: r.of,
                        sector: r.sector,
                        from: r.from,
                        to: r.to,
                    })
                    .collect(),
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        let mut result = People::default();
        result.extend(People { people, by_surface: HashMap::new() });
        Ok(result)
    }

    /// Adds `other`'s people after these; a person whose canonical name is known replaces
    /// the known entry, and a form given to another person moves to that person.
    pub fn extend(&mut self, other: People) {
        for person in other.people {
            let idx = match self.by_surface.get(&person.name) {
                Some(&idx) if self.people[idx].name == person.name => {
                    self.people[idx] = person;
                    idx
                }
                _ => {
                    self.people.push(person);
                    self.people.len() - 1
                }
            };
            let surfaces: Vec<String> = self.people[idx].surfaces().map(str::to_string).collect();
            for surface in surfaces {
                self.by_surface.insert(surface, idx);
            }
        }
    }

    /// The person a string names, compared exactly.
    pub fn lookup(&self, surface: &str) -> Option<&Person> {
        self.by_surface.get(surface).map(|&idx| &self.people[idx])
    }

    /// Every surface string with the index of its person.
    pub fn surfaces(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_surface.iter().map(|(s, &idx)| (s.as_str(), idx))
    }

    /// The person at an index given by [`People::surfaces`].
    pub fn get(&self, idx: usize) -> Option<&Person> {
        self.people.get(idx)
    }

    /// Every person, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Person> {
        self.people.iter()
    }

    /// How many people there are.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[person]]
name = "Ilsa Varo"
names = ["Varo"]
gender = "f"
country = "USA"
roles = [
  { title = "Senator", of = "USA", sector = "LEG", from = "2013", to = "2020-12" },
  { title = "President-elect", of = "USA", sector = "GOV", from = "2024-11-06", to = "2025-01-19" },
  { title = "President", of = "USA", sector = "GOV", from = "2025-01-20" },
]
"#;

    #[test]
    fn roles_resolve_against_a_date() {
        let people = People::parse("people.toml", SAMPLE).unwrap();
        let varo = people.lookup("Varo").unwrap();
        assert_eq!(varo.name, "Ilsa Varo");
        let titles =
            |day| varo.offices_on(Some(day)).iter().map(|r| r.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(20241201), ["President-elect"]);
        assert_eq!(titles(20180301), ["Senator"]);
        assert_eq!(titles(20201231), ["Senator"]);
        assert_eq!(titles(20260101), ["President"]);
        assert!(titles(20220101).is_empty());
        assert_eq!(varo.offices_on(None)[0].title, "President");
    }

    #[test]
    fn dates_cover_their_whole_period() {
        assert_eq!(date_range("2024"), Some((20240101, 20241231)));
        assert_eq!(date_range("2024-02"), Some((20240201, 20240231)));
        assert_eq!(date_range("2024-02-03"), Some((20240203, 20240203)));
        for bad in ["", "24", "2024-13", "2024-1-x", "2024-01-02-03", "sometime"] {
            assert_eq!(date_range(bad), None, "{bad}");
        }
    }

    #[test]
    fn bad_entries_are_all_reported() {
        let source = r#"
[[person]]
name = "A B"
gender = "x"
roles = [{ title = "King", of = "nowhere", from = "2020-05", to = "2019" }]

[[person]]
name = "C D"
names = ["A B"]
"#;
        let err = People::parse("people.toml", source).unwrap_err().to_string();
        assert!(err.contains("people.toml:3: person \"A B\": gender \"x\""), "{err}");
        assert!(err.contains("\"nowhere\": not a code"), "{err}");
        assert!(err.contains("ends before it starts"), "{err}");
        assert!(err.contains("people.toml:8: \"A B\" names both A B (line 3) and C D"), "{err}");
    }
}

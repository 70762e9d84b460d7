//! Places (`regions.toml`, `places.tsv`) and first names (`first_names.tsv`): the large
//! lists that let the `entities` stage tell a city or a region from a person, and a
//! person it does not know from an organization.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Lines, Problem, Result, parse_toml};
use crate::{Gender, valid_actor_code};

/// The kinds of region, as `regions.toml` writes them.
pub const REGION_KINDS: &[&str] = &["continent", "region", "subregion", "sea", "territory"];

/// A region, sea or territory that is not a country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    /// Canonical name ("Middle East").
    pub name: String,
    /// Other forms ("the Middle East", "Mideast").
    pub names: Vec<String>,
    /// One of [`REGION_KINDS`].
    pub kind: String,
    /// The countries it covers or lies in.
    pub countries: Vec<String>,
}

/// A state or city.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The name as listed.
    pub name: String,
    /// `state` or `city`.
    pub kind: String,
    /// ISO3 code of its country.
    pub country: String,
    /// Population, for choosing between places of one name.
    pub population: u64,
}

/// States before cities (news means the state Florida, not the town in Cuba), then the
/// most populous first.
fn sort_places(list: &mut [Place]) {
    list.sort_by(|a, b| {
        (b.kind == "state").cmp(&(a.kind == "state")).then(b.population.cmp(&a.population))
    });
}

/// Regions, states and cities, with lookups by surface string.
#[derive(Clone, Debug, Default)]
pub struct Places {
    regions: Vec<Region>,
    region_by_surface: HashMap<String, usize>,
    places: HashMap<String, Vec<Place>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionFile {
    #[serde(default)]
    region: Vec<RawRegion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: Spanned<String>,
    #[serde(default)]
    names: Vec<String>,
    kind: String,
    #[serde(default)]
    countries: Vec<String>,
}

/// Splits a TSV file into (line number, fields) for its non-comment, non-blank lines.
fn tsv_rows(source: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(idx, line)| (idx + 1, line.split('\t').collect()))
}

impl Places {
    /// Parses a `regions.toml`.
    pub fn parse_regions(file: &str, source: &str) -> Result<Places> {
        let raw: RegionFile = parse_toml(file, source)?;
        let lines = Lines::new(source);
        let mut problems = Vec::new();
        let mut result = Places::default();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for entry in raw.region {
            let line = lines.line(entry.name.span().start);
            let name = entry.name.into_inner();
            let mut problem =
                |message: String| problems.push(Problem { line: Some(line), message });
            if !REGION_KINDS.contains(&entry.kind.as_str()) {
                problem(format!(
                    "region {name:?}: unknown kind {:?} (one of {})",
                    entry.kind,
                    REGION_KINDS.join(", ")
                ));
            }
            for code in &entry.countries {
                if !valid_actor_code(code) {
                    problem(format!("region {name:?}: {code:?} is not a country code"));
                }
            }
            for form in std::iter::once(&name).chain(&entry.names) {
                if let Some(first) = seen.insert(form.clone(), line) {
                    problem(format!("{form:?} is listed twice (first at line {first})"));
                }
            }
            result.regions.push(Region {
                name,
                names: entry.names,
                kind: entry.kind,
                countries: entry.countries,
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        result.index_regions();
        Ok(result)
    }

    /// Parses a `places.tsv`: `name`, `kind` (state or city), `country` (ISO3),
    /// `population`, `admin`; `#` lines are comments.
    pub fn parse_places(file: &str, source: &str) -> Result<Places> {
        let mut problems = Vec::new();
        let mut result = Places::default();
        for (line, fields) in tsv_rows(source) {
            let mut problem =
                |message: String| problems.push(Problem { line: Some(line), message });
            if fields.len() < 4 {
                problem(format!(
                    "expected name, kind, country, population separated by tabs, found {} fields",
                    fields.len()
                ));
                continue;
            }
            let (name, kind, country) = (fields[0], fields[1], fields[2]);
            let Ok(population) = fields[3].parse::<u64>() else {
                problem(format!("{name:?}: population {:?} is not a number", fields[3]));
                continue;
            };
            if !matches!(kind, "state" | "city")
                || !valid_actor_code(country)
                || name.trim().is_empty()
            {
                problem(format!("{name:?}: kind must be state or city and country an ISO3 code"));
                continue;
            }
            result.places.entry(name.to_string()).or_default().push(Place {
                name: name.to_string(),
                kind: kind.to_string(),
                country: country.to_string(),
                population,
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        for list in result.places.values_mut() {
            sort_places(list);
        }
        Ok(result)
    }

    fn index_regions(&mut self) {
        self.region_by_surface.clear();
        for (idx, region) in self.regions.iter().enumerate() {
            for form in std::iter::once(&region.name).chain(&region.names) {
                self.region_by_surface.insert(form.clone(), idx);
            }
        }
    }

    /// Adds `other`'s regions and places after these.
    pub fn extend(&mut self, other: Places) {
        self.regions.extend(other.regions);
        self.index_regions();
        for (name, list) in other.places {
            let known = self.places.entry(name).or_default();
            known.extend(list);
            sort_places(known);
        }
    }

    /// The region a string names.
    pub fn region(&self, surface: &str) -> Option<&Region> {
        self.region_by_surface.get(surface).map(|&idx| &self.regions[idx])
    }

    /// The places of a name: states first, then the most populous.
    pub fn places(&self, name: &str) -> &[Place] {
        self.places.get(name).map_or(&[], Vec::as_slice)
    }

    /// Every region and place surface string.
    pub fn surfaces(&self) -> impl Iterator<Item = &str> {
        self.region_by_surface.keys().chain(self.places.keys()).map(String::as_str)
    }

    /// Every region, in file order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// How many distinct place names there are (regions not counted).
    pub fn place_names(&self) -> usize {
        self.places.len()
    }
}

/// First names with their usual gender (`first_names.tsv`).
#[derive(Clone, Debug, Default)]
pub struct FirstNames {
    names: HashMap<String, Option<Gender>>,
}

impl FirstNames {
    /// Parses a `first_names.tsv`: `name`, `gender` (m, f or x), `share`.
    pub fn parse(file: &str, source: &str) -> Result<FirstNames> {
        let mut problems = Vec::new();
        let mut names = HashMap::new();
        for (line, fields) in tsv_rows(source) {
            let gender = match fields.get(1).copied() {
                Some("m") => Some(Gender::Male),
                Some("f") => Some(Gender::Female),
                Some("x") => None,
                _ => {
                    problems.push(Problem {
                        line: Some(line),
                        message: format!("{:?}: gender must be m, f or x", fields[0]),
                    });
                    continue;
                }
            };
            names.insert(fields[0].to_string(), gender);
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        Ok(FirstNames { names })
    }

    /// Adds `other`'s names; a known name takes the new gender.
    pub fn extend(&mut self, other: FirstNames) {
        self.names.extend(other.names);
    }

    /// Whether the word is a known first name, and its gender if it has a usual one.
    pub fn get(&self, name: &str) -> Option<Option<Gender>> {
        self.names.get(name).copied()
    }

    /// How many names there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_keep_the_most_populous_first() {
        let tsv = "# comment\nPortland\tcity\tUSA\t650000\tOR\nPortland\tcity\tUSA\t68000\tME\nOhio\tstate\tUSA\t11000000\t\n";
        let places = Places::parse_places("places.tsv", tsv).unwrap();
        assert_eq!(places.places("Portland")[0].population, 650000);
        assert_eq!(places.places("Ohio")[0].kind, "state");
        let err = Places::parse_places("places.tsv", "X\tcity\tUSA\tmany\n").unwrap_err();
        assert!(err.to_string().contains("places.tsv:1: \"X\": population"), "{err}");
    }

    #[test]
    fn regions_and_names() {
        let regions = Places::parse_regions(
            "regions.toml",
            "[[region]]\nname = \"Veloria Basin\"\nnames = [\"the Basin\"]\nkind = \"region\"\ncountries = [\"USA\"]\n",
        )
        .unwrap();
        assert_eq!(regions.region("the Basin").unwrap().name, "Veloria Basin");
        let names = FirstNames::parse("first_names.tsv", "Ilsa\tf\t0.1\nKim\tx\t0.01\n").unwrap();
        assert_eq!(names.get("Ilsa"), Some(Some(Gender::Female)));
        assert_eq!(names.get("Kim"), Some(None));
        assert_eq!(names.get("Table"), None);
    }
}

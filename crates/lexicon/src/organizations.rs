//! Organizations that act in the news (`organizations.toml`): international
//! organizations, armed groups, media, parties, companies, state agencies and NGOs, with
//! their codes, names and the descriptions that refer back to them ("the alliance").

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Lines, Problem, Result, parse_toml};
use crate::{valid_actor_code, valid_sector};

/// The kinds of organization, as `type` writes them.
pub const ORG_TYPES: &[&str] =
    &["IGO", "ARMED_GROUP", "MEDIA", "PARTY", "COMPANY", "NGO", "AGENCY", "ORG"];

/// One organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organization {
    /// Unique upper-case code ("NATO", "UNO", "HAMAS").
    pub code: String,
    /// Canonical name used in output.
    pub name: String,
    /// One of [`ORG_TYPES`].
    pub org_type: String,
    /// Other names news writes ("Nato", "North Atlantic Treaty Organization").
    pub names: Vec<String>,
    /// Descriptions that refer back to it once named ("the alliance").
    pub nominals: Vec<String>,
    /// ISO3 code of its country, or "IGO".
    pub country: Option<String>,
    /// CAMEO-style sector of its members.
    pub sector: Option<String>,
    /// Where it sits.
    pub seat: Option<String>,
}

impl Organization {
    /// Every string that names this organization: the canonical name first.
    pub fn surfaces(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.names.iter().map(String::as_str))
    }
}

/// Every known organization, with lookups by code and surface string.
#[derive(Clone, Debug, Default)]
pub struct Organizations {
    orgs: Vec<Organization>,
    by_code: HashMap<String, usize>,
    by_surface: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgFile {
    #[serde(default)]
    org: Vec<RawOrg>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrg {
    code: Spanned<String>,
    name: String,
    #[serde(rename = "type")]
    org_type: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    nominals: Vec<String>,
    country: Option<String>,
    sector: Option<String>,
    seat: Option<String>,
}

impl Organizations {
    /// Parses an `organizations.toml`; `file` names it in errors. Reports every bad
    /// entry: a bad or repeated code, an unknown type or sector, a string that names two
    /// organizations.
    pub fn parse(file: &str, source: &str) -> Result<Organizations> {
        let raw: OrgFile = parse_toml(file, source)?;
        let lines = Lines::new(source);
        let mut problems = Vec::new();
        let mut codes: HashMap<String, usize> = HashMap::new();
        let mut surfaces: HashMap<String, (String, usize)> = HashMap::new();
        let mut orgs = Vec::new();
        for entry in raw.org {
            let line = lines.line(entry.code.span().start);
            let code = entry.code.into_inner();
            let mut problem =
                |message: String| problems.push(Problem { line: Some(line), message });
            if !valid_actor_code(&code) {
                problem(format!("org {code:?}: the code must be upper-case letters and digits"));
            }
            if let Some(first) = codes.insert(code.clone(), line) {
                problem(format!("org {code:?} is listed twice (first at line {first})"));
            }
            if !ORG_TYPES.contains(&entry.org_type.as_str()) {
                problem(format!(
                    "org {code:?}: unknown type {:?} (one of {})",
                    entry.org_type,
                    ORG_TYPES.join(", ")
                ));
            }
            if let Some(sector) = &entry.sector
                && !valid_sector(sector)
            {
                problem(format!("org {code:?}: unknown sector {sector:?}"));
            }
            if let Some(country) = &entry.country
                && !valid_actor_code(country)
            {
                problem(format!("org {code:?}: country {country:?} is not a code"));
            }
            for form in std::iter::once(&entry.name).chain(&entry.names) {
                if form.trim().is_empty() {
                    problem(format!("org {code:?}: remove the empty name"));
                    continue;
                }
                match surfaces.get(form) {
                    Some((other, _)) if *other == code => {
                        problem(format!("org {code:?} lists {form:?} twice"))
                    }
                    Some((other, other_line)) => problem(format!(
                        "{form:?} names both {other} (line {other_line}) and {code}; keep it where news usually means it"
                    )),
                    None => _ = surfaces.insert(form.clone(), (code.clone(), line)),
                }
            }
            orgs.push(Organization {
                code,
                name: entry.name,
                org_type: entry.org_type,
                names: entry.names,
                nominals: entry.nominals,
                country: entry.country,
                sector: entry.sector,
                seat: entry.seat,
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        let mut result = Organizations::default();
        result.extend(Organizations { orgs, ..Organizations::default() });
        Ok(result)
    }

    /// Adds `other`'s organizations; an entry with a known code replaces the known one.
    pub fn extend(&mut self, other: Organizations) {
        for org in other.orgs {
            let idx = match self.by_code.get(&org.code) {
                Some(&idx) => {
                    self.orgs[idx] = org;
                    idx
                }
                None => {
                    self.by_code.insert(org.code.clone(), self.orgs.len());
                    self.orgs.push(org);
                    self.orgs.len() - 1
                }
            };
            let surfaces: Vec<String> = self.orgs[idx].surfaces().map(str::to_string).collect();
            for surface in surfaces {
                self.by_surface.insert(surface, idx);
            }
        }
    }

    /// The organization with this code.
    pub fn by_code(&self, code: &str) -> Option<&Organization> {
        self.by_code.get(code).map(|&idx| &self.orgs[idx])
    }

    /// The organization at an index in file order (as the gazetteer gives it).
    pub fn get(&self, idx: usize) -> Option<&Organization> {
        self.orgs.get(idx)
    }

    /// The organization a string names, compared exactly.
    pub fn lookup(&self, surface: &str) -> Option<&Organization> {
        self.by_surface.get(surface).map(|&idx| &self.orgs[idx])
    }

    /// Every organization, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Organization> {
        self.orgs.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.orgs.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_every_problem() {
        let good = r#"
[[org]]
code = "VLA"
name = "Veloria League"
type = "IGO"
names = ["the League of Veloria"]
nominals = ["the league"]
country = "IGO"
"#;
        let orgs = Organizations::parse("organizations.toml", good).unwrap();
        assert_eq!(orgs.lookup("the League of Veloria").unwrap().code, "VLA");
        assert_eq!(orgs.by_code("VLA").unwrap().nominals, ["the league"]);
        let bad = r#"
[[org]]
code = "vla"
name = "X"
type = "CLUB"
sector = "ZZZ"

[[org]]
code = "VLB"
name = "X"
type = "IGO"
"#;
        let err = Organizations::parse("organizations.toml", bad).unwrap_err().to_string();
        assert!(err.contains("organizations.toml:3: org \"vla\": the code"), "{err}");
        assert!(err.contains("unknown type \"CLUB\""), "{err}");
        assert!(err.contains("unknown sector \"ZZZ\""), "{err}");
        assert!(err.contains("\"X\" names both vla (line 3) and VLB"), "{err}");
    }
}

//! What newsgraph knows about the world and the language, as data: the built-in
//! files in `data/` (see `data/README.md` for their formats), compiled into the binary,
//! plus the files of the same names a user adds with [`Lexicon::load_dir`].
//!
//! [`Lexicon`] holds one typed, validated table per concern:
//! [`BoilerplateRules`] for the `clean` stage, [`SegmentRules`] for `segment`, and
//! [`Countries`] for `entities`.
//! Loading reports every bad entry with its file and line, not just the first.
//!
//! ```
//! use newsgraph_lexicon::Lexicon;
//!
//! let lexicon = Lexicon::builtin();
//! assert!(lexicon.segment.abbreviation("Gen").is_some());
//! assert!(!lexicon.boilerplate.rules().is_empty());
//! ```
#![deny(missing_docs)]

mod boilerplate;
mod countries;
mod error;
mod events;
mod gazetteer;
mod organizations;
mod pattern;
mod people;
mod places;
mod segment;
mod speech;
mod times;
mod titles;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

pub use boilerplate::{BoilerplateRule, BoilerplateRules, LineVerdict, REASONS};
pub use countries::{Countries, Country, SurfaceKind};
pub use error::{Error, Problem, Result};
pub use events::{
    Constructions, EventExample, EventPattern, EventPatterns, Intent, ModalityGovernors,
    ModalityMarkers, ModalityWords, PLOVER_TYPES, ROLES, VerbForms, parse_example,
};
pub use gazetteer::{ActorRef, Gazetteer, Hit};
pub use organizations::{ORG_TYPES, Organization, Organizations};
pub use people::{Office, People, Person, date_range};
pub use places::{FirstNames, Place, Places, REGION_KINDS, Region};
pub use segment::{AbbreviationClass, SegmentExample, SegmentRules};
pub use speech::{Addressee, Speech, SpeechExample};
pub use times::{TIMEX_TYPES, TimeRule, TimeRules, VALUE_FUNCTIONS, placeholders};
pub use titles::{Agents, NameWords, Title, TitleExample, Titles, WordLists};

/// The built-in data files: name and contents.
const BUILTIN_FILES: &[(&str, &str)] = &[
    ("boilerplate.toml", include_str!("../data/boilerplate.toml")),
    ("segment.toml", include_str!("../data/segment.toml")),
    ("time_patterns.toml", include_str!("../data/time_patterns.toml")),
    ("time_normalization.toml", include_str!("../data/time_normalization.toml")),
    ("time_rules.toml", include_str!("../data/time_rules.toml")),
    ("countries.toml", include_str!("../data/countries.toml")),
    ("organizations.toml", include_str!("../data/organizations.toml")),
    ("people.toml", include_str!("../data/people.toml")),
    ("people_officials.toml", include_str!("../data/people_officials.toml")),
    ("people_history.toml", include_str!("../data/people_history.toml")),
    ("regions.toml", include_str!("../data/regions.toml")),
    ("places.tsv", include_str!("../data/places.tsv")),
    ("first_names.tsv", include_str!("../data/first_names.tsv")),
    ("titles.toml", include_str!("../data/titles.toml")),
    ("name_words.toml", include_str!("../data/name_words.toml")),
    ("agents.toml", include_str!("../data/agents.toml")),
    ("speech.toml", include_str!("../data/speech.toml")),
    ("events.toml", include_str!("../data/events.toml")),
    ("modality.toml", include_str!("../data/modality.toml")),
    ("verb_forms.toml", include_str!("../data/verb_forms.toml")),
];

/// The CAMEO-style sector codes actors, titles and agents may carry.
pub const SECTORS: &[&str] = &[
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY", "REB", "SPY", "BUS", "MED", "CVL", "EDU",
    "HLH", "LAB", "REF", "REL", "NGO", "HRI", "CRM", "ELI", "AGR", "ENV",
];

/// Whether a sector code is one of [`SECTORS`].
pub fn valid_sector(sector: &str) -> bool {
    SECTORS.contains(&sector)
}

/// Whether a string is shaped like an actor code: upper-case ASCII letters and digits,
/// starting with a letter ("USA", "NATO", "G20", "IGO").
pub fn valid_actor_code(code: &str) -> bool {
    code.len() >= 2
        && code.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A person's usual grammatical gender, for resolving "he" and "she".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gender {
    /// He.
    Male,
    /// She.
    Female,
}

/// Everything the extraction stages know.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Lines that are not the article.
    pub boilerplate: BoilerplateRules,
    /// Abbreviations and sentence starters.
    pub segment: SegmentRules,
    /// Time-expression rules.
    pub times: TimeRules,
    /// Countries and territories with their names, demonyms and metonyms.
    pub countries: Countries,
    /// International organizations, armed groups, media, parties, companies, agencies.
    pub organizations: Organizations,
    /// People with dated offices.
    pub people: People,
    /// Regions, territories, states and cities.
    pub places: Places,
    /// First names with their usual gender.
    pub first_names: FirstNames,
    /// Titles of office.
    pub titles: Titles,
    /// Words that tell what an unknown name is.
    pub name_words: NameWords,
    /// Common nouns naming acting groups.
    pub agents: Agents,
    /// Speech cues.
    pub speech: Speech,
    /// Event patterns.
    pub events: EventPatterns,
    /// Words that say whether an event happened.
    pub modality: ModalityWords,
    /// Irregular verb forms.
    pub verb_forms: VerbForms,
    verbs: OnceLock<std::collections::HashSet<String>>,
    gazetteer: OnceLock<Gazetteer>,
}

impl Lexicon {
    /// The built-in lexicon, parsed once per process.
    pub fn builtin() -> &'static Lexicon {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut lexicon = Lexicon::default();
            let files: Vec<(String, &str)> = BUILTIN_FILES
                .iter()
                .map(|(name, source)| (format!("data/{name}"), *source))
                .collect();
            // The built-in files are checked by this crate's tests, so they parse.
            lexicon.add_files(&files).expect("built-in lexicon files are valid");
            lexicon
        })
    }

    /// The built-in lexicon extended with the files of `dir` that have the built-in
    /// names (`boilerplate.toml`, `segment.toml`); other files are ignored.
    pub fn load_dir(dir: &Path) -> Result<Lexicon> {
        let mut lexicon = Lexicon::builtin().clone();
        let mut paths = Vec::new();
        let mut sources = Vec::new();
        for (name, _) in BUILTIN_FILES {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            let display = path.display().to_string();
            let source = std::fs::read_to_string(&path)
                .map_err(|source| Error::Io { file: display.clone(), source })?;
            paths.push(display);
            sources.push(source);
        }
        let files: Vec<(String, &str)> =
            paths.into_iter().zip(sources.iter().map(String::as_str)).collect();
        lexicon.add_files(&files)?;
        Ok(lexicon)
    }

    /// Adds files given as (path, contents); a file is known by its name. The three time
    /// files are read together, so a user's time rules may use the built-in patterns and
    /// tables.
    fn add_files(&mut self, files: &[(String, &str)]) -> Result<()> {
        self.gazetteer = OnceLock::new();
        self.verbs = OnceLock::new();
        let mut time_files: HashMap<&str, (&str, &str)> = HashMap::new();
        for (path, source) in files {
            let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
            match name {
                "boilerplate.toml" => {
                    self.boilerplate.extend(BoilerplateRules::parse(path, source)?)
                }
                "segment.toml" => self.segment.extend(SegmentRules::parse(path, source)?),
                "countries.toml" => self.countries.extend(Countries::parse(path, source)?),
                "organizations.toml" => {
                    self.organizations.extend(Organizations::parse(path, source)?)
                }
                "people.toml" | "people_officials.toml" | "people_history.toml" => {
                    self.people.extend(People::parse(path, source)?)
                }
                "regions.toml" => self.places.extend(Places::parse_regions(path, source)?),
                "places.tsv" => self.places.extend(Places::parse_places(path, source)?),
                "first_names.tsv" => self.first_names.extend(FirstNames::parse(path, source)?),
                "titles.toml" => self.titles.extend(Titles::parse(path, source)?),
                "name_words.toml" => self.name_words.extend(NameWords::parse(path, source)?),
                "agents.toml" => self.agents.extend(Agents::parse(path, source)?),
                "speech.toml" => self.speech.extend(Speech::parse(path, source)?),
                "verb_forms.toml" => self.verb_forms.extend(VerbForms::parse(path, source)?),
                "modality.toml" => self.modality.extend(ModalityWords::parse(path, source)?),
                "events.toml" => self.events.extend(EventPatterns::parse(path, source)?),
                "time_patterns.toml" => _ = time_files.insert("patterns", (path, source)),
                "time_normalization.toml" => _ = time_files.insert("tables", (path, source)),
                "time_rules.toml" => _ = time_files.insert("rules", (path, source)),
                _ => {}
            }
        }
        if !time_files.is_empty() {
            let builtin = |name: &'static str| -> (&'static str, &'static str) {
                BUILTIN_FILES.iter().find(|(n, _)| *n == name).map_or(("", ""), |(n, s)| (*n, *s))
            };
            let patterns = time_files
                .get("patterns")
                .copied()
                .unwrap_or_else(|| builtin("time_patterns.toml"));
            let tables = time_files
                .get("tables")
                .copied()
                .unwrap_or_else(|| builtin("time_normalization.toml"));
            let rules = time_files.get("rules").copied().unwrap_or(("time_rules.toml", ""));
            self.times.extend(TimeRules::parse(patterns, tables, rules)?);
        }
        Ok(())
    }

    /// The actor gazetteer over countries, organizations, people and places, built on
    /// first use.
    pub fn gazetteer(&self) -> &Gazetteer {
        self.gazetteer.get_or_init(|| Gazetteer::build(self))
    }

    /// Every verb lemma the lexicon knows: event triggers, speech verbs and the lemmas of
    /// irregular forms. The `syntax` stage checks its lemmas against it.
    pub fn known_verbs(&self) -> &std::collections::HashSet<String> {
        self.verbs.get_or_init(|| {
            let mut verbs: std::collections::HashSet<String> =
                self.events.iter().filter(|p| !p.noun).map(|p| p.trigger[0].clone()).collect();
            verbs.extend(self.verb_forms.irregular.values().cloned());
            verbs.extend(
                self.speech.verb_lemmas().map(|v| v.split(' ').next().unwrap_or(v).to_string()),
            );
            verbs
        })
    }

    /// The built-in files' names and contents, for tests and tools.
    pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
        BUILTIN_FILES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_load() {
        let files: Vec<(String, &str)> =
            BUILTIN_FILES.iter().map(|(name, source)| (name.to_string(), *source)).collect();
        if let Err(err) = Lexicon::default().add_files(&files) {
            panic!("{err}");
        }
        assert!(!Lexicon::builtin().times.rules.is_empty());
    }

    #[test]
    fn a_name_names_one_person_across_the_builtin_people_files() {
        // Each file checks its own names; loading them together gives a name listed in
        // two files to the file loaded last, silently. That is for a user's own files,
        // not for ours.
        let mut owner: HashMap<String, (&str, String)> = HashMap::new();
        let mut clashes = Vec::new();
        for (file, source) in BUILTIN_FILES.iter().filter(|(name, _)| name.starts_with("people")) {
            let people = People::parse(file, source).unwrap_or_else(|err| panic!("{err}"));
            for person in people.iter() {
                for form in person.surfaces() {
                    if let Some((other_file, other)) =
                        owner.insert(form.to_string(), (file, person.name.clone()))
                    {
                        clashes.push(format!(
                            "{form:?}: {other} in {other_file}, {} in {file}",
                            person.name
                        ));
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "names given to two people:\n{}", clashes.join("\n"));
    }

    #[test]
    fn every_bad_rule_is_reported_with_its_line() {
        let source = r#"
[[rule]]
name = "one"
reason = "nonsense"
pattern = '^x$'
remove = ["x"]

[[rule]]
name = "two"
reason = "promo"
pattern = '^(unclosed$'
remove = ["x"]
"#;
        let err = BoilerplateRules::parse("user/boilerplate.toml", source).unwrap_err().to_string();
        assert!(
            err.contains("user/boilerplate.toml:3: rule \"one\": unknown reason \"nonsense\""),
            "{err}"
        );
        assert!(
            err.contains("user/boilerplate.toml:11: rule \"two\": invalid pattern: unclosed group"),
            "{err}"
        );
    }

    #[test]
    fn toml_syntax_error_names_file_and_line() {
        let err = SegmentRules::parse("segment.toml", "[abbreviations]\ntitle = [\"Dr\",\n\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("segment.toml:"), "{err}");
    }

    #[test]
    fn user_directory_extends_the_builtin_rules() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("boilerplate.toml"),
            "[[rule]]\nname = \"house-promo\"\nreason = \"promo\"\npattern = '^Veloria Daily: .*$'\nremove = [\"Veloria Daily: more\"]\n",
        )
        .unwrap();
        let lexicon = Lexicon::load_dir(dir.path()).unwrap();
        let n_builtin = Lexicon::builtin().boilerplate.rules().len();
        assert_eq!(lexicon.boilerplate.rules().len(), n_builtin + 1);
        assert!(matches!(
            lexicon.boilerplate.judge("Veloria Daily: sign-up", None),
            LineVerdict::Remove(_)
        ));
    }

    #[test]
    fn boilerplate_examples_hold() {
        let rules = &Lexicon::builtin().boilerplate;
        let mut failures = Vec::new();
        for rule in rules.rules() {
            for example in &rule.remove_examples {
                // Lines before the last give context (a promo before its blurb).
                let mut lines: Vec<&str> = example.split('\n').collect();
                let last = lines.pop().unwrap_or_default();
                let mut previous = None;
                for line in lines {
                    previous = match rules.judge(line, previous) {
                        LineVerdict::Remove(rule) => Some(rule.reason.as_str()),
                        _ => None,
                    };
                }
                let (line, rest) = match last.split_once(" => ") {
                    Some((line, rest)) => (line, Some(rest)),
                    None => (last, None),
                };
                match (rules.judge(line, previous), rest) {
                    (LineVerdict::Remove(hit), None) if hit.name == rule.name => {}
                    (LineVerdict::RemovePrefix(hit, n), Some(rest))
                        if hit.name == rule.name && line[n..] == *rest => {}
                    (verdict, _) => {
                        failures.push(format!("{}: {line:?} gave {verdict:?}", rule.name))
                    }
                }
            }
            for example in &rule.keep_examples {
                let verdict = rules.judge(example, None);
                if !verdict.is_keep() {
                    failures.push(format!("{}: keep {example:?} gave {verdict:?}", rule.name));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

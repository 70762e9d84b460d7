//! Titles and offices that come before or stand for a person (`titles.toml`), and the
//! common nouns that name acting groups (`agents.toml`), each with its CAMEO-style sector.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Lines, Problem, Result, parse_toml};
use crate::valid_sector;

/// A title ("Secretary General") with the lower-case word sequences that write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title {
    /// Canonical title, as people's roles write it.
    pub title: String,
    /// Lower-case forms ("secretary general", "secretary-general").
    pub forms: Vec<String>,
    /// Sector of its holders.
    pub sector: String,
    /// True when the title says nothing alone ("director", "head").
    pub of_required: bool,
}

/// Titles by form, with the modifiers that may come before them.
#[derive(Clone, Debug, Default)]
pub struct Titles {
    titles: Vec<Title>,
    by_form: HashMap<String, usize>,
    /// Modifiers that make a title no longer held ("former", "ex-").
    pub past: Vec<String>,
    /// Modifiers that keep it held ("acting", "new").
    pub current: Vec<String>,
    /// Modifiers that make it not yet held ("incoming").
    pub future: Vec<String>,
    /// Suffixes that make it not yet held ("-elect").
    pub future_after: Vec<String>,
    /// Modifiers that make it a lower office ("deputy", "vice").
    pub deputy: Vec<String>,
    /// Examples for the stages' tests.
    pub examples: Vec<TitleExample>,
    max_words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleFile {
    #[serde(default)]
    title: Vec<RawTitle>,
    #[serde(default)]
    modifiers: Modifiers,
    #[serde(default)]
    example: Vec<TitleExample>,
}

/// A sentence with a title, run as a test of the `entities` and `coref` stages.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TitleExample {
    /// The sentence.
    pub text: String,
    /// The canonical title it holds.
    pub title: String,
    /// The person it names; empty when the title stands alone.
    pub name: String,
    /// Whether the office is held now.
    pub current: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Modifiers {
    #[serde(default)]
    past: Vec<String>,
    #[serde(default)]
    current: Vec<String>,
    #[serde(default)]
    future: Vec<String>,
    #[serde(default)]
    future_after: Vec<String>,
    #[serde(default)]
    deputy: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    title: Spanned<String>,
    forms: Vec<String>,
    sector: String,
    #[serde(default)]
    of_required: bool,
}

impl Titles {
    /// Parses a `titles.toml`: every form lower case and listed once, sectors known.
    pub fn parse(file: &str, source: &str) -> Result<Titles> {
        let raw: TitleFile = parse_toml(file, source)?;
        let lines = Lines::new(source);
        let mut problems = Vec::new();
        let mut titles = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for entry in raw.title {
            let line = lines.line(entry.title.span().start);
            let title = entry.title.into_inner();
            let mut problem =
                |message: String| problems.push(Problem { line: Some(line), message });
            if !valid_sector(&entry.sector) {
                problem(format!("title {title:?}: unknown sector {:?}", entry.sector));
            }
            for form in &entry.forms {
                if form.to_lowercase() != *form || form.trim().is_empty() {
                    problem(format!("title {title:?}: form {form:?} must be lower case"));
                }
                if let Some(first) = seen.insert(form.clone(), line) {
                    problem(format!("form {form:?} is listed twice (first at line {first})"));
                }
            }
            titles.push(Title {
                title,
                forms: entry.forms,
                sector: entry.sector,
                of_required: entry.of_required,
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        let modifiers = raw.modifiers;
        let mut result = Titles {
            past: modifiers.past,
            current: modifiers.current,
            future: modifiers.future,
            future_after: modifiers.future_after,
            deputy: modifiers.deputy,
            examples: raw.example,
            ..Titles::default()
        };
        result.extend(Titles { titles, ..Titles::default() });
        Ok(result)
    }

    /// Adds `other`'s titles and modifiers; a known form moves to the new title.
    pub fn extend(&mut self, other: Titles) {
        for title in other.titles {
            for form in &title.forms {
                self.by_form.insert(form.clone(), self.titles.len());
                self.max_words = self.max_words.max(form.split(' ').count());
            }
            self.titles.push(title);
        }
        self.past.extend(other.past);
        self.current.extend(other.current);
        self.future.extend(other.future);
        self.future_after.extend(other.future_after);
        self.deputy.extend(other.deputy);
        self.examples.extend(other.examples);
    }

    /// The title a lower-case word sequence writes.
    pub fn lookup(&self, form: &str) -> Option<&Title> {
        self.by_form.get(form).map(|&idx| &self.titles[idx])
    }

    /// The most words any form has.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// Every title, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Title> {
        self.titles.iter()
    }
}

/// Common nouns that name acting groups ("soldiers", "police"), by lemma, with their sector.
#[derive(Clone, Debug, Default)]
pub struct Agents {
    by_lemma: HashMap<String, String>,
    /// Peoples that are no country's demonym ("Kurdish", "Shona") -> the countries they
    /// live in, where most live first.
    groups: HashMap<String, Vec<String>>,
    /// Example phrases, for documentation and tests.
    pub examples: Vec<String>,
    max_words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentFile {
    #[serde(default)]
    agent: Vec<RawAgent>,
    #[serde(default)]
    group: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    names: Spanned<Vec<String>>,
    countries: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgent {
    sector: Spanned<String>,
    lemmas: Vec<String>,
    #[serde(default)]
    examples: Vec<String>,
}

impl Agents {
    /// Parses an `agents.toml`: sectors known, every lemma lower case and in one table.
    pub fn parse(file: &str, source: &str) -> Result<Agents> {
        let raw: AgentFile = parse_toml(file, source)?;
        let lines = Lines::new(source);
        let mut problems = Vec::new();
        let mut result = Agents::default();
        for entry in raw.agent {
            let line = lines.line(entry.sector.span().start);
            let sector = entry.sector.into_inner();
            result.examples.extend(entry.examples);
            let mut problem =
                |message: String| problems.push(Problem { line: Some(line), message });
            if !valid_sector(&sector) {
                problem(format!("unknown sector {sector:?}"));
            }
            for lemma in entry.lemmas {
                if lemma.to_lowercase() != lemma {
                    problem(format!("lemma {lemma:?} must be lower case"));
                }
                result.max_words = result.max_words.max(lemma.split(' ').count());
                if let Some(other) = result.by_lemma.insert(lemma.clone(), sector.clone())
                    && other != sector
                {
                    problem(format!("{lemma:?} is listed under both {other} and {sector}"));
                }
            }
        }
        for group in raw.group {
            let line = lines.line(group.names.span().start);
            let mut problem =
                |message: String| problems.push(Problem { line: Some(line), message });
            if group.countries.is_empty()
                || group
                    .countries
                    .iter()
                    .any(|c| c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
            {
                problem(format!("countries {:?} must be ISO3 codes", group.countries));
            }
            for name in group.names.into_inner() {
                if result.groups.insert(name.clone(), group.countries.clone()).is_some() {
                    problem(format!("group name {name:?} is listed twice"));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        Ok(result)
    }

    /// The countries a people lives in ("Shona" -> ZWE, MOZ), most first; the word as
    /// written.
    pub fn group_countries(&self, word: &str) -> Option<&[String]> {
        self.groups.get(word).map(Vec::as_slice)
    }

    /// Adds `other`'s lemmas; a known lemma takes the new sector.
    pub fn extend(&mut self, other: Agents) {
        self.groups.extend(other.groups);
        self.by_lemma.extend(other.by_lemma);
        self.examples.extend(other.examples);
        self.max_words = self.max_words.max(other.max_words);
    }

    /// The sector of a lower-case lemma (or multiword lemma), if it names an agent.
    pub fn sector(&self, lemma: &str) -> Option<&str> {
        self.by_lemma.get(lemma).map(String::as_str)
    }

    /// The most words any lemma has.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// How many lemmas there are.
    pub fn len(&self) -> usize {
        self.by_lemma.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.by_lemma.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_agents_parse_and_check() {
        let titles = Titles::parse(
            "titles.toml",
            "[[title]]\ntitle = \"Foreign Minister\"\nforms = [\"foreign minister\"]\nsector = \"GOV\"\n[modifiers]\npast = [\"former\"]\n",
        )
        .unwrap();
        assert_eq!(titles.lookup("foreign minister").unwrap().title, "Foreign Minister");
        assert_eq!(titles.past, ["former"]);
        let err = Titles::parse(
            "titles.toml",
            "[[title]]\ntitle = \"X\"\nforms = [\"Big Boss\"]\nsector = \"NOPE\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("titles.toml:2: title \"X\": unknown sector"), "{err}");
        assert!(err.contains("must be lower case"), "{err}");
        let agents = Agents::parse(
            "agents.toml",
            "[[agent]]\nsector = \"MIL\"\nlemmas = [\"soldier\", \"air force\"]\n",
        )
        .unwrap();
        assert_eq!(agents.sector("air force"), Some("MIL"));
        assert_eq!(agents.max_words(), 2);
    }
}

/// Words that tell what an unknown name is (`name_words.toml`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameWords {
    /// Organization words.
    #[serde(default)]
    pub org: WordLists,
    /// News-outlet words.
    #[serde(default)]
    pub media: WordLists,
    /// Place words and prepositions.
    #[serde(default)]
    pub location: WordLists,
    /// Capitalized words that start no name.
    #[serde(default)]
    pub not_names: WordLists,
    /// Honorifics before a surname ("Mr", "Mrs"), with the gender they tell.
    #[serde(default)]
    pub honorifics: WordLists,
    /// Nouns before a name that tell a person's gender ("widow", "spokesman").
    #[serde(default)]
    pub gender: WordLists,
}

/// The lists of one kind in `name_words.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordLists {
    /// Last words of a name.
    #[serde(default)]
    pub last: Vec<String>,
    /// Words anywhere in a name.
    #[serde(default)]
    pub any: Vec<String>,
    /// Prepositions before a name.
    #[serde(default)]
    pub prepositions: Vec<String>,
    /// Plain word lists.
    #[serde(default)]
    pub words: Vec<String>,
    /// Words that tell a man.
    #[serde(default)]
    pub male: Vec<String>,
    /// Words that tell a woman.
    #[serde(default)]
    pub female: Vec<String>,
}

impl WordLists {
    fn extend(&mut self, other: WordLists) {
        self.last.extend(other.last);
        self.any.extend(other.any);
        self.prepositions.extend(other.prepositions);
        self.words.extend(other.words);
        self.male.extend(other.male);
        self.female.extend(other.female);
    }
}

impl NameWords {
    /// Parses a `name_words.toml`.
    pub fn parse(file: &str, source: &str) -> Result<NameWords> {
        parse_toml(file, source)
    }

    /// Adds `other`'s words.
    pub fn extend(&mut self, other: NameWords) {
        self.org.extend(other.org);
        self.media.extend(other.media);
        self.location.extend(other.location);
        self.not_names.extend(other.not_names);
        self.honorifics.extend(other.honorifics);
        self.gender.extend(other.gender);
    }
}

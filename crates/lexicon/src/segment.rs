//! Sentence-splitting knowledge (`segment.toml`): abbreviations by how they behave at a
//! sentence end, and the words that start sentences.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::error::{Error, Problem, Result, parse_toml};

/// How an abbreviation behaves before a sentence boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbbreviationClass {
    /// Before a name; never ends a sentence ("Dr.", "Gen.").
    Title,
    /// Ends no sentence when a number follows ("No. 10", "Jan. 6").
    BeforeNumber,
    /// May end a sentence, usually does not ("U.S.", "Inc.").
    General,
}

/// A segmentation example: a text and the sentences it must be cut into.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentExample {
    /// The input text.
    pub text: String,
    /// The expected sentences, trimmed.
    pub sentences: Vec<String>,
}

/// What the segmenter knows.
#[derive(Clone, Debug, Default)]
pub struct SegmentRules {
    abbreviations: HashMap<String, AbbreviationClass>,
    starters: HashSet<String>,
    /// Fused words and where they split, lower case: "cannot" -> 3.
    splits: HashMap<String, usize>,
    /// Examples that run as tests.
    pub examples: Vec<SegmentExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSegment {
    #[serde(default)]
    abbreviations: RawAbbreviations,
    #[serde(default)]
    sentence: RawSentence,
    #[serde(default)]
    tokens: RawTokens,
    #[serde(default)]
    example: Vec<SegmentExample>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAbbreviations {
    #[serde(default)]
    title: Vec<String>,
    #[serde(default)]
    before_number: Vec<String>,
    #[serde(default)]
    general: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTokens {
    #[serde(default)]
    split: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSentence {
    #[serde(default)]
    starters: Vec<String>,
}

impl SegmentRules {
    /// Parses a `segment.toml`; `file` names it in errors. Reports every bad entry.
    pub fn parse(file: &str, source: &str) -> Result<SegmentRules> {
        let raw: RawSegment = parse_toml(file, source)?;
        let mut problems = Vec::new();
        let mut abbreviations = HashMap::new();
        let classes = [
            (AbbreviationClass::Title, raw.abbreviations.title),
            (AbbreviationClass::BeforeNumber, raw.abbreviations.before_number),
            (AbbreviationClass::General, raw.abbreviations.general),
        ];
        for (class, words) in classes {
            for word in words {
                if word.ends_with('.') || word.is_empty() || word.contains(char::is_whitespace) {
                    problems.push(Problem {
                        line: None,
                        message: format!("abbreviation {word:?}: write it without its final period and without spaces"),
                    });
                    continue;
                }
                if let Some(previous) = abbreviations.insert(word.clone(), class) {
                    problems.push(Problem {
                        line: None,
                        message: format!("abbreviation {word:?} is listed twice ({previous:?} and {class:?}); keep one"),
                    });
                }
            }
        }
        let mut starters = HashSet::new();
        for word in raw.sentence.starters {
            if !starters.insert(word.clone()) {
                problems.push(Problem {
                    line: None,
                    message: format!("sentence starter {word:?} is listed twice"),
                });
            }
        }
        let mut splits = HashMap::new();
        for entry in raw.tokens.split {
            match entry.split_once('|') {
                Some((head, tail)) if !head.is_empty() && !tail.is_empty() && !tail.contains('|') => {
                    splits.insert(format!("{head}{tail}").to_lowercase(), head.len());
                }
                _ => problems.push(Problem {
                    line: None,
                    message: format!("split {entry:?}: write the word with one `|` where it splits, like \"can|not\""),
                }),
            }
        }
        if problems.is_empty() {
            Ok(SegmentRules { abbreviations, starters, splits, examples: raw.example })
        } else {
            Err(Error::Invalid { file: file.to_string(), problems })
        }
    }

    /// Adds `other`'s entries; its classes win where both list a word.
    pub fn extend(&mut self, other: SegmentRules) {
        self.abbreviations.extend(other.abbreviations);
        self.starters.extend(other.starters);
        self.splits.extend(other.splits);
        self.examples.extend(other.examples);
    }

    /// The class of an abbreviation given without its final period ("Gen", "U.S").
    pub fn abbreviation(&self, word: &str) -> Option<AbbreviationClass> {
        self.abbreviations.get(word).copied()
    }

    /// Where a fused word splits into two tokens ("cannot" at 3), in bytes.
    pub fn split_point(&self, word: &str) -> Option<usize> {
        if self.splits.is_empty() || word.len() > 16 {
            return None;
        }
        self.splits.get(&word.to_lowercase()).copied()
    }

    /// True for a capitalized word that typically starts a sentence ("The", "He").
    pub fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }
}

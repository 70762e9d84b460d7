//! The cue lexicon for quotes and reported speech (`speech.toml`): verbs whose subject is
//! a speaker, how each takes an addressee, and the phrases and nouns that introduce speech.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::{Error, Problem, Result, parse_toml};

/// How a cue verb names the one spoken to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressee {
    /// It does not ("said").
    None,
    /// Its direct object ("told Trump").
    Object,
    /// Its oblique with "to" ("said to reporters").
    To,
}

/// Speech cues.
#[derive(Clone, Debug, Default)]
pub struct Speech {
    verbs: HashMap<String, Addressee>,
    /// Phrases whose following noun phrase is the speaker ("according to").
    pub according_to: Vec<String>,
    /// Phrases whose following noun phrase is the outlet that carried a quote ("as
    /// quoted by").
    pub quoted_by: Vec<String>,
    /// Nouns that introduce speech ("statement", "interview").
    pub speaker_nouns: Vec<String>,
    /// Pronouns that may be speakers.
    pub pronoun_speakers: Vec<String>,
    /// Cue verbs whose direct object can be what is said ("highlighted the risks of
    /// ...", "denied the report"), not only a thing or someone named ("maintains a
    /// program", "appealed the case").
    pub content_objects: Vec<String>,
    /// Nouns (lemmas) of saying whose "that"-clause is what was said, with the speaker
    /// as their possessor ("Ruiz's claim that ...", "her warning that ...").
    pub content_nouns: Vec<String>,
    /// Nouns (lemmas) of works: a title-cased quoted phrase right after one ("the
    /// documentary “Cold Harbor”", "an episode of “Night Desk”") is a title, no quote.
    pub work_nouns: Vec<String>,
    /// Examples for the `quotes` stage's tests.
    pub examples: Vec<SpeechExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeechFile {
    #[serde(default)]
    verb: Vec<RawVerb>,
    #[serde(default)]
    phrases: Phrases,
    #[serde(default)]
    example: Vec<SpeechExample>,
}

/// A sentence with its speaker and cue, run as a test of the `quotes` stage.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SpeechExample {
    /// The sentence.
    pub text: String,
    /// The speaker's words in it.
    pub speaker: String,
    /// The cue word(s).
    pub cue: String,
    /// The addressee's words, when there is one.
    #[serde(default)]
    pub addressee: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Phrases {
    #[serde(default)]
    according_to: Vec<String>,
    #[serde(default)]
    quoted_by: Vec<String>,
    #[serde(default)]
    speaker_nouns: Vec<String>,
    #[serde(default)]
    pronoun_speakers: Vec<String>,
    #[serde(default)]
    content_objects: Vec<String>,
    #[serde(default)]
    content_nouns: Vec<String>,
    #[serde(default)]
    work_nouns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerb {
    lemmas: Vec<String>,
    addressee: String,
}

impl Speech {
    /// Parses a `speech.toml`: each verb in one group, addressee kinds known.
    pub fn parse(file: &str, source: &str) -> Result<Speech> {
        let raw: SpeechFile = parse_toml(file, source)?;
        let mut problems = Vec::new();
        let mut result = Speech {
            according_to: raw.phrases.according_to,
            quoted_by: raw.phrases.quoted_by,
            speaker_nouns: raw.phrases.speaker_nouns,
            pronoun_speakers: raw.phrases.pronoun_speakers,
            content_objects: raw.phrases.content_objects,
            content_nouns: raw.phrases.content_nouns,
            work_nouns: raw.phrases.work_nouns,
            examples: raw.example,
            ..Speech::default()
        };
        for group in raw.verb {
            let addressee = match group.addressee.as_str() {
                "none" => Addressee::None,
                "object" => Addressee::Object,
                "to" => Addressee::To,
                other => {
                    problems.push(Problem {
                        line: None,
                        message: format!("addressee {other:?} is not none, object or to"),
                    });
                    continue;
                }
            };
            for lemma in group.lemmas {
                if result.verbs.insert(lemma.clone(), addressee).is_some() {
                    problems.push(Problem {
                        line: None,
                        message: format!("verb {lemma:?} is listed twice"),
                    });
                }
            }
        }
        for lemma in &result.content_objects {
            if !result.verbs.contains_key(lemma) {
                problems.push(Problem {
                    line: None,
                    message: format!("content object verb {lemma:?} is no cue verb"),
                });
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        Ok(result)
    }

    /// Adds `other`'s cues.
    pub fn extend(&mut self, other: Speech) {
        self.verbs.extend(other.verbs);
        self.according_to.extend(other.according_to);
        self.quoted_by.extend(other.quoted_by);
        self.speaker_nouns.extend(other.speaker_nouns);
        self.pronoun_speakers.extend(other.pronoun_speakers);
        self.content_objects.extend(other.content_objects);
        self.content_nouns.extend(other.content_nouns);
        self.work_nouns.extend(other.work_nouns);
        self.examples.extend(other.examples);
    }

    /// How a cue verb (by lemma; phrasal verbs as "point out") takes its addressee, or
    /// `None` when the lemma is not a cue.
    pub fn verb(&self, lemma: &str) -> Option<Addressee> {
        self.verbs.get(lemma).copied()
    }

    /// Whether the cue verb `lemma`'s direct object can be what is said (see
    /// `content_objects`).
    pub fn reports_object(&self, lemma: &str) -> bool {
        self.content_objects.iter().any(|l| l == lemma)
    }

    /// Whether `lemma` is a noun of saying whose "that"-clause is what was said (see
    /// `content_nouns`).
    pub fn reports_clause(&self, lemma: &str) -> bool {
        self.content_nouns.iter().any(|l| l == lemma)
    }

    /// Whether `lemma` is a noun of works (see `work_nouns`).
    pub fn is_work(&self, lemma: &str) -> bool {
        self.work_nouns.iter().any(|l| l == lemma)
    }

    /// Every cue verb lemma.
    pub fn verb_lemmas(&self) -> impl Iterator<Item = &str> {
        self.verbs.keys().map(String::as_str)
    }

    /// How many cue verbs there are.
    pub fn verbs(&self) -> usize {
        self.verbs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_object_verbs_must_be_cue_verbs() {
        let ok = "[[verb]]\naddressee = \"none\"\nlemmas = [\"stress\", \"maintain\"]\n\n[phrases]\ncontent_objects = [\"stress\"]\n";
        let speech = Speech::parse("speech.toml", ok).unwrap();
        assert!(speech.reports_object("stress"));
        assert!(!speech.reports_object("maintain"));
        let bad = ok.replace("[\"stress\"]\n", "[\"stress\", \"build\"]\n");
        let err = Speech::parse("speech.toml", &bad).unwrap_err().to_string();
        assert!(err.contains("\"build\" is no cue verb"), "{err}");
    }
}

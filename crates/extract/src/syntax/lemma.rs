//! Lemmas and morphological features.
//!
//! A lemma comes from the exception table learned from the treebank when the word and
//! its Penn tag are there, and from suffix rules otherwise ("makes" -> "make",
//! "studies" -> "study", "stopped" -> "stop"). The table holds only the words the rules
//! get wrong ("was" -> "be", "children" -> "child"), so it stays small. Proper nouns keep
//! their case; every other lemma is lower case. Features come from the Penn tag alone,
//! which is all the cheap morphology English needs (tense, number, degree).

use std::collections::HashMap;

/// The exception table: (lower-case form, Penn tag) -> lemma.
#[derive(Clone, Debug, Default)]
pub struct Lemmatizer {
    /// The exceptions.
    pub exceptions: HashMap<(String, String), String>,
}

impl Lemmatizer {
    /// The lemma of a word with its universal and Penn tags.
    pub fn lemma(&self, form: &str, xpos: &str) -> String {
        let lower = form.to_lowercase();
        if let Some(lemma) = self.exceptions.get(&(lower.clone(), xpos.to_owned())) {
            return lemma.clone();
        }
        rule_lemma(form, &lower, xpos)
    }

    /// Learns the exceptions from (form, Penn tag, gold lemma) triples: the most frequent
    /// lemma of each (lower-case form, tag), kept when the rules get it wrong.
    pub fn learn<'a>(words: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Lemmatizer {
        let mut counts: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
        for (form, xpos, lemma) in words {
            *counts
                .entry((form.to_lowercase(), xpos.to_owned()))
                .or_default()
                .entry(lemma.to_owned())
                .or_default() += 1;
        }
        let mut exceptions = HashMap::new();
        for ((lower, xpos), lemmas) in counts {
            // Ties go to the alphabetically first lemma, so learning is deterministic.
            let Some((best, _)) =
                lemmas.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            else {
                continue;
            };
            if is_proper(&xpos) {
                // Proper nouns keep their case; the rule is right whenever the lemma is the
                // form, which the lower-case key cannot tell, so keep only real changes.
                if best.to_lowercase() == lower {
                    continue;
                }
            } else if rule_lemma(&lower, &lower, &xpos) == *best {
                continue;
            }
            exceptions.insert((lower, xpos), best.clone());
        }
        Lemmatizer { exceptions }
    }
}

fn is_proper(xpos: &str) -> bool {
    xpos == "NNP" || xpos == "NNPS"
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Undoes consonant doubling and restores a dropped final "e" after stripping a suffix.
fn restore_stem(stem: &str) -> String {
    let b = stem.as_bytes();
    let n = b.len();
    if n >= 3
        && b[n - 1] == b[n - 2]
        && !is_vowel(b[n - 1])
        && !matches!(b[n - 1], b'l' | b's' | b'f' | b'z')
    {
        return stem[..n - 1].to_owned();
    }
    if n >= 2 && matches!(b[n - 1], b'v' | b'z') {
        return format!("{stem}e");
    }
    if (3..=4).contains(&n)
        && !is_vowel(b[n - 1])
        && !matches!(b[n - 1], b'w' | b'x' | b'y')
        && is_vowel(b[n - 2])
        && !is_vowel(b[n - 3])
    {
        return format!("{stem}e");
    }
    stem.to_owned()
}

fn rule_lemma(form: &str, lower: &str, xpos: &str) -> String {
    if is_proper(xpos) {
        return form.to_owned();
    }
    if !lower.is_ascii() || lower.len() < 4 {
        return lower.to_owned();
    }
    let strip = |suffix: &str| lower.strip_suffix(suffix);
    match xpos {
        "NNS" | "VBZ" => {
            if let Some(stem) = strip("ies") {
                format!("{stem}y")
            } else if ["sses", "shes", "ches", "xes", "zes"].iter().any(|s| lower.ends_with(s)) {
                lower[..lower.len() - 2].to_owned()
            } else if lower.ends_with("ss") || lower.ends_with("us") || lower.ends_with("is") {
                lower.to_owned()
            } else if let Some(stem) = strip("s") {
                stem.to_owned()
            } else {
                lower.to_owned()
            }
        }
        "VBG" => match strip("ing") {
            Some(stem) if stem.len() >= 2 => restore_stem(stem),
            _ => lower.to_owned(),
        },
        "VBD" | "VBN" => {
            if let Some(stem) = strip("ied") {
                format!("{stem}y")
            } else if let Some(stem) = strip("ed") {
                if stem.len() >= 2 { restore_stem(stem) } else { lower.to_owned() }
            } else {
                lower.to_owned()
            }
        }
        "JJR" | "RBR" => match strip("ier") {
            Some(stem) => format!("{stem}y"),
            None => match strip("er") {
                Some(stem) if stem.len() >= 2 => restore_stem(stem),
                _ => lower.to_owned(),
            },
        },
        "JJS" | "RBS" => match strip("iest") {
            Some(stem) => format!("{stem}y"),
            None => match strip("est") {
                Some(stem) if stem.len() >= 2 => restore_stem(stem),
                _ => lower.to_owned(),
            },
        },
        _ => lower.to_owned(),
    }
}

/// The morphological features a Penn tag implies, in CoNLL-U form, or "_".
pub fn feats(xpos: &str) -> &'static str {
    match xpos {
        "NN" | "NNP" => "Number=Sing",
        "NNS" | "NNPS" => "Number=Plur",
        "VB" => "VerbForm=Inf",
        "VBD" => "Mood=Ind|Tense=Past|VerbForm=Fin",
        "VBN" => "Tense=Past|VerbForm=Part",
        "VBG" => "VerbForm=Ger",
        "VBZ" => "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin",
        "VBP" => "Mood=Ind|Tense=Pres|VerbForm=Fin",
        "MD" => "VerbForm=Fin",
        "JJ" | "RB" => "Degree=Pos",
        "JJR" | "RBR" => "Degree=Cmp",
        "JJS" | "RBS" => "Degree=Sup",
        _ => "_",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_handle_regular_inflection() {
        let lemmatizer = Lemmatizer::default();
        let cases = [
            ("studies", "NNS", "study"),
            ("boxes", "NNS", "box"),
            ("missiles", "NNS", "missile"),
            ("making", "VBG", "make"),
            ("supplying", "VBG", "supply"),
            ("stopped", "VBD", "stop"),
            ("visited", "VBN", "visit"),
            ("receives", "VBZ", "receive"),
            ("bigger", "JJR", "big"),
            ("Ostravia", "NNP", "Ostravia"),
            ("The", "DT", "the"),
        ];
        for (form, xpos, lemma) in cases {
            assert_eq!(lemmatizer.lemma(form, xpos), lemma, "{form}/{xpos}");
        }
    }

    #[test]
    fn exceptions_are_learned_only_where_rules_fail() {
        let words =
            [("was", "VBD", "be"), ("stopped", "VBD", "stop"), ("children", "NNS", "child")];
        let lemmatizer = Lemmatizer::learn(words.into_iter());
        assert_eq!(lemmatizer.exceptions.len(), 2);
        assert_eq!(lemmatizer.lemma("Was", "VBD"), "be");
    }
}

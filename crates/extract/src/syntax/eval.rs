//! Scoring against gold trees the way the CoNLL 2018 shared task does: every word counts
//! (punctuation too) and relation subtypes are ignored (`nsubj:pass` = `nsubj`).

use std::fmt;

/// Attachment and tagging scores over a set of sentences.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Words scored.
    pub words: usize,
    /// Words with the right universal tag.
    pub upos_correct: usize,
    /// Words with the right head.
    pub heads_correct: usize,
    /// Words with the right head and relation (subtypes ignored).
    pub labelled_correct: usize,
}

impl Scores {
    /// Part-of-speech accuracy.
    pub fn upos(&self) -> f64 {
        ratio(self.upos_correct, self.words)
    }

    /// Unlabelled attachment score.
    pub fn uas(&self) -> f64 {
        ratio(self.heads_correct, self.words)
    }

    /// Labelled attachment score.
    pub fn las(&self) -> f64 {
        ratio(self.labelled_correct, self.words)
    }

    /// Adds the scores of another set.
    pub fn add(&mut self, other: Scores) {
        self.words += other.words;
        self.upos_correct += other.upos_correct;
        self.heads_correct += other.heads_correct;
        self.labelled_correct += other.labelled_correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UPOS {:.4}  UAS {:.4}  LAS {:.4}  ({} words)",
            self.upos(),
            self.uas(),
            self.las(),
            self.words
        )
    }
}

//! The part-of-speech tagger: a greedy averaged perceptron over hashed features (the
//! Collins / Honnibal design), left to right, with a tag dictionary for frequent words
//! that the treebank always tags the same way.
//!
//! A class is a pair of tags, the universal one and the Penn Treebank one (`VERB`/`VBD`),
//! so that the parser and the feature rules see the finer Penn distinctions (tense,
//! participles, plural) while scoring uses the universal part.

use newsgraph_model::Upos;

use super::features::{BIAS, FeatureMap, Perceptron, WeightTable, feature, hash_str, mix};

/// The class of the sentence edges in the tag features.
pub const NO_TAG: u8 = u8::MAX;

/// The hashes of one word that the features read, computed once per token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordHashes {
    /// The form as written.
    pub form: u64,
    /// The lower-case form.
    pub lower: u64,
    /// Lower-case prefixes of 1 to 4 chars.
    pub prefixes: [u64; 4],
    /// Lower-case suffixes of 1 to 4 chars.
    pub suffixes: [u64; 4],
    /// The shape ("Xxxx", "dd.d"), runs longer than three collapsed.
    pub shape: u64,
    /// The set of classes the training set gives the lower-case form (0 for a rare or
    /// unseen word), filled by [`Tagger::fill_ambiguity`].
    pub ambiguity: u64,
}

impl WordHashes {
    /// The hashes of a word; `lower` is a scratch buffer.
    pub fn new(form: &str, lower: &mut String) -> WordHashes {
        if form.is_ascii() {
            WordHashes::new_ascii(form, lower)
        } else {
            WordHashes::new_any(form, lower)
        }
    }

    /// [`WordHashes::new`] for an ASCII form, where a char is a byte: the same hashes,
    /// made about twice as fast.
    fn new_ascii(form: &str, lower: &mut String) -> WordHashes {
        lower.clear();
        lower.push_str(form);
        lower.make_ascii_lowercase();
        let len = lower.len();
        let mut prefixes = [0u64; 4];
        let mut suffixes = [0u64; 4];
        for k in 0..4 {
            prefixes[k] = mix(hash_str(&lower[..(k + 1).min(len)]), k as u64 + 1);
            suffixes[k] = mix(hash_str(&lower[len.saturating_sub(k + 1)..]), k as u64 + 11);
        }
        let shape = shape_hash(form.bytes().map(|byte| {
            u64::from(if byte.is_ascii_uppercase() {
                b'X'
            } else if byte.is_ascii_lowercase() {
                b'x'
            } else if byte.is_ascii_digit() {
                b'd'
            } else {
                byte
            })
        }));
        WordHashes::from_parts(form, lower, prefixes, suffixes, shape)
    }

    /// [`WordHashes::new`] for any form.
    fn new_any(form: &str, lower: &mut String) -> WordHashes {
        lower.clear();
        if form.is_ascii() {
            lower.push_str(form);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(form.chars().flat_map(char::to_lowercase));
        }
        let mut prefixes = [0u64; 4];
        let mut suffixes = [0u64; 4];
        let n_chars = lower.chars().count();
        let mut ends = lower.char_indices().map(|(i, _)| i).chain([lower.len()]).skip(1);
        for (k, prefix) in prefixes.iter_mut().enumerate() {
            let end = ends.next().unwrap_or(lower.len());
            // Prefixes longer than the word are the word itself, marked by the length.
            *prefix = mix(hash_str(&lower[..end]), k as u64 + 1);
        }
        let mut starts = lower.char_indices().rev().map(|(i, _)| i);
        for (k, suffix) in suffixes.iter_mut().enumerate() {
            let start = if k < n_chars { starts.next().unwrap_or(0) } else { 0 };
            *suffix = mix(hash_str(&lower[start..]), k as u64 + 11);
        }
        let shape = shape_hash(form.chars().map(|ch| {
            u64::from(if ch.is_uppercase() {
                'X'
            } else if ch.is_lowercase() {
                'x'
            } else if ch.is_numeric() {
                'd'
            } else {
                ch
            })
        }));
        WordHashes::from_parts(form, lower, prefixes, suffixes, shape)
    }

    fn from_parts(
        form: &str,
        lower: &str,
        prefixes: [u64; 4],
        suffixes: [u64; 4],
        shape: u64,
    ) -> WordHashes {
        WordHashes {
            form: hash_str(form),
            lower: hash_str(lower),
            prefixes,
            suffixes,
            shape,
            ambiguity: 0,
        }
    }

    /// The stand-in for positions before and after the sentence.
    pub fn edge(side: u64) -> WordHashes {
        let h = mix(0xED6E, side);
        WordHashes { form: h, lower: h, prefixes: [h; 4], suffixes: [h; 4], shape: h, ambiguity: h }
    }
}

/// The hash of a word's shape from its chars' classes ('X', 'x', 'd' or the char
/// itself), runs longer than three collapsed.
fn shape_hash(classes: impl Iterator<Item = u64>) -> u64 {
    let mut shape = 0x5EED_u64;
    let mut last = 0;
    let mut run = 0;
    for class in classes {
        run = if class == last { run + 1 } else { 1 };
        last = class;
        if run <= 3 {
            shape = mix(shape, class);
        }
    }
    shape
}

/// The number of features per token.
pub const N_FEATURES: usize = 33;

/// The features of token `i` given the hashes of the sentence padded with two edge
/// words on each side (`padded[i + 2]` is token `i`) and the two previous tags.
#[inline]
pub fn features(padded: &[WordHashes], i: usize, prev: u8, prev2: u8, out: &mut [u64; N_FEATURES]) {
    let w = &padded[i + 2];
    let p1 = &padded[i + 1];
    let p2 = &padded[i];
    let n1 = &padded[i + 3];
    let n2 = &padded[i + 4];
    let t1 = u64::from(prev);
    let t2 = u64::from(prev2);
    let first = u64::from(i == 0);
    *out = [
        BIAS,
        feature(1, w.form, 0, 0),
        feature(2, w.lower, 0, 0),
        feature(3, w.suffixes[0], 0, 0),
        feature(4, w.suffixes[1], 0, 0),
        feature(5, w.suffixes[2], 0, 0),
        feature(6, w.suffixes[3], 0, 0),
        feature(7, w.prefixes[0], 0, 0),
        feature(8, w.prefixes[1], 0, 0),
        feature(9, w.prefixes[2], 0, 0),
        feature(10, w.prefixes[3], 0, 0),
        feature(11, w.shape, first, 0),
        feature(12, t1, 0, 0),
        feature(13, t1, t2, 0),
        feature(14, t1, w.lower, 0),
        feature(15, p1.lower, 0, 0),
        feature(16, p1.suffixes[2], 0, 0),
        feature(17, p2.lower, 0, 0),
        feature(18, n1.lower, 0, 0),
        feature(19, n1.suffixes[2], 0, 0),
        feature(20, n2.lower, 0, 0),
        feature(21, p1.lower, w.lower, 0),
        feature(22, w.lower, n1.lower, 0),
        feature(23, p1.shape, w.shape, n1.shape),
        feature(24, t1, w.suffixes[2], 0),
        feature(25, n1.shape, n1.suffixes[1], 0),
        feature(26, p1.form, w.form, first),
        feature(27, w.ambiguity, 0, 0),
        feature(28, n1.ambiguity, 0, 0),
        feature(29, n2.ambiguity, 0, 0),
        feature(30, w.ambiguity, n1.ambiguity, 0),
        feature(31, t1, w.ambiguity, 0),
        feature(32, t1, n1.ambiguity, w.suffixes[1]),
    ];
}

/// A trained tagger.
#[derive(Clone, Debug)]
pub struct Tagger {
    /// Class index -> (universal tag, Penn tag).
    pub classes: Vec<(Upos, String)>,
    /// Form hash -> class, for frequent words the treebank always tags the same way.
    pub tag_dictionary: FeatureMap<u8>,
    /// Lower-case form hash -> the hash of the set of classes it has in training.
    pub ambiguity: FeatureMap<u64>,
    /// The weights.
    pub weights: WeightTable,
}

impl Tagger {
    /// Sets [`WordHashes::ambiguity`] of padded words from the training lexicon.
    pub fn fill_ambiguity(ambiguity: &FeatureMap<u64>, padded: &mut [WordHashes]) {
        let n = padded.len();
        for word in &mut padded[2..n.saturating_sub(2).max(2)] {
            word.ambiguity = ambiguity.get(&word.lower).copied().unwrap_or(0);
        }
    }

    /// Tags a sentence given its padded word hashes (see [`features`]); writes one
    /// class per token into `tags`.
    pub fn tag(&self, padded: &[WordHashes], tags: &mut Vec<u8>, scores: &mut Vec<i32>) {
        let n = padded.len() - 4;
        tags.clear();
        scores.resize(self.weights.n_classes(), 0);
        let mut feats = [0u64; N_FEATURES];
        let (mut prev, mut prev2) = (NO_TAG, NO_TAG);
        for i in 0..n {
            let tag = match self.tag_dictionary.get(&padded[i + 2].form) {
                Some(&tag) => tag,
                None => {
                    features(padded, i, prev, prev2, &mut feats);
                    self.weights.score(&feats, scores);
                    argmax_i32(scores) as u8
                }
            };
            tags.push(tag);
            prev2 = prev;
            prev = tag;
        }
    }
}

/// The index of the largest score (the first on ties).
///
/// Two passes, the maximum then its first position: the first compiles to vector
/// instructions, and together they take a third of the instructions of one pass that
/// tracks the best index.
pub fn argmax_i32(scores: &[i32]) -> usize {
    let max = scores.iter().fold(i32::MIN, |max, &s| max.max(s));
    scores.iter().position(|&s| s == max).unwrap_or(0)
}

/// Trains a tagger one pass at a time.
#[derive(Debug)]
pub struct TaggerTrainer {
    /// The weights under training.
    pub perceptron: Perceptron,
    /// The tag dictionary.
    pub tag_dictionary: FeatureMap<u8>,
    scores: Vec<f32>,
}

impl TaggerTrainer {
    /// A trainer over `n_classes` classes with a fixed tag dictionary.
    pub fn new(n_classes: usize, tag_dictionary: FeatureMap<u8>) -> TaggerTrainer {
        TaggerTrainer {
            perceptron: Perceptron::new(n_classes),
            tag_dictionary,
            scores: vec![0.0; n_classes],
        }
    }

    /// Learns from one sentence (padded hashes and gold classes); returns the number of
    /// tokens it tagged right.
    pub fn learn(&mut self, padded: &[WordHashes], gold: &[u8]) -> usize {
        let mut feats = [0u64; N_FEATURES];
        let (mut prev, mut prev2) = (NO_TAG, NO_TAG);
        let mut correct = 0;
        for (i, &truth) in gold.iter().enumerate() {
            let guess = match self.tag_dictionary.get(&padded[i + 2].form) {
                Some(&tag) => tag,
                None => {
                    features(padded, i, prev, prev2, &mut feats);
                    self.perceptron.score(&feats, &mut self.scores);
                    let guess = argmax_f32(&self.scores) as u8;
                    self.perceptron.tick();
                    self.perceptron.update(&feats, truth as usize, guess as usize);
                    guess
                }
            };
            correct += usize::from(guess == truth);
            prev2 = prev;
            prev = guess;
        }
        correct
    }
}

/// The index of the largest score (the first on ties).
pub fn argmax_f32(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

/// Pads a sentence's word hashes with two edge words on each side.
pub fn pad(forms: &[&str], padded: &mut Vec<WordHashes>, lower: &mut String) {
    padded.clear();
    padded.push(WordHashes::edge(1));
    padded.push(WordHashes::edge(2));
    padded.extend(forms.iter().map(|form| WordHashes::new(form, lower)));
    padded.push(WordHashes::edge(3));
    padded.push(WordHashes::edge(4));
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn ascii_hashes_are_those_of_the_general_path() {
        let mut lower = String::new();
        for form in ["", "a", "US", "don't", "1,200", "Xi", "NATO-led", "...", "\0x", "aaaaBBBB99"]
        {
            let fast = WordHashes::new_ascii(form, &mut lower);
            assert_eq!(fast, WordHashes::new_any(form, &mut lower), "{form:?}");
        }
        // A non-ASCII form takes the general path and still differs from its ASCII cousin.
        assert_ne!(WordHashes::new("café", &mut lower), WordHashes::new("cafe", &mut lower));
    }

    proptest! {
        #[test]
        fn any_ascii_form_hashes_alike_on_both_paths(form in "[ -~]{0,12}") {
            let mut lower = String::new();
            prop_assert_eq!(
                WordHashes::new_ascii(&form, &mut lower),
                WordHashes::new_any(&form, &mut lower)
            );
        }
    }
}

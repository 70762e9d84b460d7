//! Reading and writing CoNLL-U, the Universal Dependencies file format.
//!
//! A sentence keeps its comment lines and every row with all ten columns, so writing it
//! back gives the same text. Multiword-token rows (`3-4`) and empty nodes (`5.1`) are kept
//! for the round trip but are not words: [`ConlluSentence::words`] skips them.

use std::fmt;

/// One sentence of a CoNLL-U file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConlluSentence {
    /// The comment lines, with their `#`.
    pub comments: Vec<String>,
    /// Every row, with its ten columns.
    pub rows: Vec<[String; 10]>,
}

/// The columns of a row, by name.
pub mod column {
    /// Word index, integer starting at 1; a range for multiword tokens; a decimal for
    /// empty nodes.
    pub const ID: usize = 0;
    /// Word form.
    pub const FORM: usize = 1;
    /// Lemma.
    pub const LEMMA: usize = 2;
    /// Universal part-of-speech tag.
    pub const UPOS: usize = 3;
    /// Language-specific tag (Penn Treebank for English).
    pub const XPOS: usize = 4;
    /// Morphological features.
    pub const FEATS: usize = 5;
    /// Head word index, 0 for the root.
    pub const HEAD: usize = 6;
    /// Dependency relation.
    pub const DEPREL: usize = 7;
    /// Enhanced dependencies.
    pub const DEPS: usize = 8;
    /// Anything else (`SpaceAfter=No`).
    pub const MISC: usize = 9;
}

/// A malformed line of a CoNLL-U text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConlluError {
    /// The line number, from 1.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for ConlluError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ConlluError {}

impl ConlluSentence {
    /// The rows that are words (integer ids), in order.
    pub fn words(&self) -> impl Iterator<Item = &[String; 10]> {
        self.rows.iter().filter(|row| is_word_id(&row[column::ID]))
    }

    /// The indices in [`ConlluSentence::rows`] of the word rows.
    pub fn word_rows(&self) -> Vec<usize> {
        (0..self.rows.len()).filter(|&i| is_word_id(&self.rows[i][column::ID])).collect()
    }

    /// The word forms.
    pub fn forms(&self) -> Vec<&str> {
        self.words().map(|row| row[column::FORM].as_str()).collect()
    }

    /// Writes the sentence, ending with a blank line.
    pub fn write_to(&self, out: &mut String) {
        for comment in &self.comments {
            out.push_str(comment);
            out.push('\n');
        }
        for row in &self.rows {
            out.push_str(&row.join("\t"));
            out.push('\n');
        }
        out.push('\n');
    }
}

fn is_word_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

/// Reads every sentence of a CoNLL-U text.
pub fn read(text: &str) -> Result<Vec<ConlluSentence>, ConlluError> {
    let mut sentences = Vec::new();
    let mut current = ConlluSentence::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !current.rows.is_empty() || !current.comments.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with('#') {
            current.comments.push(line.to_owned());
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 10 {
            return Err(ConlluError {
                line: index + 1,
                message: format!("expected 10 tab-separated columns, found {}", fields.len()),
            });
        }
        let row: [String; 10] = std::array::from_fn(|i| fields[i].to_owned());
        if is_word_id(&row[column::ID])
            && row[column::HEAD] != "_"
            && row[column::HEAD].parse::<u32>().is_err()
        {
            return Err(ConlluError {
                line: index + 1,
                message: format!("expected a number or _ as head, found {:?}", row[column::HEAD]),
            });
        }
        current.rows.push(row);
    }
    if !current.rows.is_empty() || !current.comments.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

/// Writes sentences as CoNLL-U.
pub fn write(sentences: &[ConlluSentence]) -> String {
    let mut out = String::new();
    for sentence in sentences {
        sentence.write_to(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = 1\n# text = Lindmark won't go.\n\
        1\tLindmark\tLindmark\tPROPN\tNNP\tNumber=Sing\t4\tnsubj\t4:nsubj\t_\n\
        2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        2\two\twill\tAUX\tMD\tVerbForm=Fin\t4\taux\t4:aux\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t4:advmod\t_\n\
        4\tgo\tgo\tVERB\tVB\tVerbForm=Inf\t0\troot\t0:root\tSpaceAfter=No\n\
        4.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t4:conj\t_\n\
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t4:punct\t_\n\n";

    #[test]
    fn conllu_round_trips_and_skips_multiword_and_empty_nodes() {
        let sentences = read(SAMPLE).unwrap();
        assert_eq!(sentences.len(), 1);
        assert_eq!(sentences[0].forms(), ["Lindmark", "wo", "n't", "go", "."]);
        assert_eq!(sentences[0].comments.len(), 2);
        assert_eq!(write(&sentences), SAMPLE);
    }

    #[test]
    fn a_short_row_is_an_error_naming_its_line() {
        let err = read("# c\n1\tx\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}

//! Errors found while loading lexicon files.

use std::fmt;

/// One problem in a lexicon file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every problem found in a lexicon file, not just the first.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error("{file}: cannot read lexicon file: {source}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file was read but some entries are wrong.
    #[error("{}", Problems { file, problems })]
    Invalid {
        /// The file.
        file: String,
        /// Every problem, in file order.
        problems: Vec<Problem>,
    },
}

struct Problems<'a> {
    file: &'a str,
    problems: &'a [Problem],
}

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (idx, problem) in self.problems.iter().enumerate() {
            if idx > 0 {
                writeln!(f)?;
            }
            match problem.line {
                Some(line) => write!(f, "{}:{}: {}", self.file, line, problem.message)?,
                None => write!(f, "{}: {}", self.file, problem.message)?,
            }
        }
        Ok(())
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// The line numbers of one file's byte offsets, for its error messages: the positions of
/// its newlines, found once. (Counting the newlines before each entry of a file anew made
/// loading the lexicon quadratic: a fifth of the command's start-up went into it.)
pub(crate) struct Lines {
    newlines: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(source: &str) -> Lines {
        Lines {
            newlines: source
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&newline| newline < offset) + 1
    }
}

/// The 1-based line of a byte offset in `source`.
pub(crate) fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Parses a TOML file, turning a syntax error into a [`Problem`] with its line.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, source: &str) -> Result<T> {
    toml::from_str(source).map_err(|err| Error::Invalid {
        file: file.to_string(),
        problems: vec![Problem {
            line: err.span().map(|span| line_of(source, span.start)),
            message: err.message().trim().to_string(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_the_newlines_before_an_offset() {
        let source = "a = 1\nb = 2\n\nc = 3";
        let lines = Lines::new(source);
        for offset in 0..=source.len() + 2 {
            assert_eq!(lines.line(offset), line_of(source, offset), "offset {offset}");
        }
        assert_eq!(lines.line(source.find('c').unwrap()), 4);
    }
}

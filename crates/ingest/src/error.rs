//! Errors of the source readers: what went wrong ([`ErrorKind`]) and where ([`Error`]).

use std::fmt;

/// What went wrong while reading one input or one JSONL line.
///
/// The messages start in lower case, end without a period, and say what was expected
/// and what was found; [`Error`] adds the input name and line in front of them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input has no text, or only whitespace.
    #[error("input is empty")]
    Empty,
    /// The input looks like binary data (NUL bytes, many control characters).
    #[error("binary data, not text or HTML")]
    Binary,
    /// Neither main-content extractor found any article text in an HTML page.
    #[error("no article text found in the HTML")]
    NoArticle,
    /// A JSONL line is not a JSON object.
    #[error("not a JSON object: {msg}")]
    Json {
        /// What the JSON parser found instead.
        msg: String,
    },
    /// A JSONL record has neither a `text` nor an `html` field.
    #[error("needs a \"text\" or \"html\" field")]
    MissingField,
    /// A JSONL record has a field with a value of the wrong kind.
    #[error("\"{field}\" is not {expected}: found {found}")]
    BadField {
        /// The name of the field, e.g. `published`.
        field: String,
        /// What the field should hold, e.g. `an ISO 8601 date`.
        expected: String,
        /// The value found, as JSON.
        found: String,
    },
    /// The input could not be read.
    #[error("cannot read: {error}")]
    Io {
        /// The error the operating system gave.
        error: std::io::Error,
    },
}

impl From<std::io::Error> for ErrorKind {
    fn from(error: std::io::Error) -> ErrorKind {
        ErrorKind::Io { error }
    }
}

/// An [`ErrorKind`] together with the input it comes from and, for JSONL, the line.
///
/// Displays as `INPUT:LINE: message`, or `INPUT: message` when there is no line.
#[derive(Debug)]
pub struct Error {
    /// The display name of the input: a path as given, or `-` for stdin.
    pub input: String,
    /// The line number (from 1) of a JSONL record, if the error is about one line.
    pub line: Option<u64>,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl Error {
    /// An error about a whole input.
    pub fn new(input: impl Into<String>, kind: ErrorKind) -> Error {
        Error { input: input.into(), line: None, kind }
    }

    /// An error about one line of an input; lines count from 1.
    pub fn at_line(input: impl Into<String>, line: u64, kind: ErrorKind) -> Error {
        Error { input: input.into(), line: Some(line), kind }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.input, line, self.kind),
            None => write!(f, "{}: {}", self.input, self.kind),
        }
    }
}

// The message of `kind` is already part of `Display`, so `source` stays `None`: error
// reporters that walk the chain would otherwise print it twice.
impl std::error::Error for Error {}

/// A result whose error names the input (and line) it comes from.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_input_and_line() {
        let error = Error::at_line("feed.jsonl", 3, ErrorKind::MissingField);
        assert_eq!(error.to_string(), "feed.jsonl:3: needs a \"text\" or \"html\" field");
        let error = Error::new("-", ErrorKind::Empty);
        assert_eq!(error.to_string(), "-: input is empty");
        let kind = ErrorKind::BadField {
            field: "published".into(),
            expected: "an ISO 8601 date".into(),
            found: "\"yesterday\"".into(),
        };
        assert_eq!(kind.to_string(), "\"published\" is not an ISO 8601 date: found \"yesterday\"");
    }
}

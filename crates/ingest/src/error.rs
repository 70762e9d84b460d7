//! Errors of the source readers: what went wrong ([`ErrorKind`]) and where ([`Error`],
//! with a [`Location`] inside the input when there is one).

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
    /// A feed file is not RSS, Atom or JSON Feed that can be parsed.
    #[error("not a readable RSS or Atom feed: {msg}")]
    Feed {
        /// What the feed parser found.
        msg: String,
    },
    /// A feed entry has neither content nor a summary.
    #[error("the entry has neither content nor a summary")]
    EmptyEntry,
    /// A WARC record is malformed (or too large to read).
    #[error("malformed WARC record: {msg}")]
    Warc {
        /// What is wrong with it.
        msg: String,
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

/// Where in an input an error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A line of a JSON Lines input, from 1.
    Line(u64),
    /// The entry of a feed, from 1, in the order of the file.
    Entry(u64),
    /// The byte offset where a WARC record starts (in the decompressed stream for
    /// `.warc.gz`).
    Offset(u64),
}

/// An [`ErrorKind`] together with the input it comes from and, when the error is about
/// one part of it, where ([`Location`]).
///
/// Displays as `INPUT:LINE: message`, `INPUT: entry N: message`, `INPUT: record at
/// byte N: message`, or `INPUT: message` when there is no location.
#[derive(Debug)]
pub struct Error {
    /// The display name of the input: a path as given, or `-` for stdin.
    pub input: String,
    /// Where in the input, if the error is about one line, entry or record.
    pub at: Option<Location>,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl Error {
    /// An error about a whole input.
    pub fn new(input: impl Into<String>, kind: ErrorKind) -> Error {
        Error { input: input.into(), at: None, kind }
    }

    /// An error about one line of an input; lines count from 1.
    pub fn at_line(input: impl Into<String>, line: u64, kind: ErrorKind) -> Error {
        Error::at(input, Location::Line(line), kind)
    }

    /// An error about one part of an input.
    pub fn at(input: impl Into<String>, at: Location, kind: ErrorKind) -> Error {
        Error { input: input.into(), at: Some(at), kind }
    }

    /// The line number of a JSON Lines error, if it is one.
    pub fn line(&self) -> Option<u64> {
        match self.at {
            Some(Location::Line(line)) => Some(line),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(Location::Line(line)) => write!(f, "{}:{}: {}", self.input, line, self.kind),
            Some(Location::Entry(entry)) => {
                write!(f, "{}: entry {}: {}", self.input, entry, self.kind)
            }
            Some(Location::Offset(offset)) => {
                write!(f, "{}: record at byte {}: {}", self.input, offset, self.kind)
            }
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
        let error = Error::at(
            "cc.warc.gz",
            Location::Offset(1234),
            ErrorKind::Warc { msg: "no Content-Length".into() },
        );
        assert_eq!(
            error.to_string(),
            "cc.warc.gz: record at byte 1234: malformed WARC record: no Content-Length"
        );
        let error = Error::at("news.rss", Location::Entry(3), ErrorKind::EmptyEntry);
        assert_eq!(
            error.to_string(),
            "news.rss: entry 3: the entry has neither content nor a summary"
        );
    }
}

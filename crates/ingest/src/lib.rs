//! Source readers: turn plain text, HTML pages, JSON Lines, RSS/Atom feeds and WARC
//! files into [`Article`](newsgraph_model::Article)s.
//!
//! [`expand_inputs`] turns the paths a user gives (files, directories, `-` for stdin)
//! into [`InputFile`]s, and [`read_input`] reads one of them, in an [`InputFormat`] given
//! or guessed, into a stream of articles. The readers of one input's bytes are public
//! too: [`article_from_text`], [`article_from_html`], and [`decode_text`] for bytes of
//! unknown encoding, and [`WarcRecords`] and [`WarcArticles`] for WARC streams.
//! Everything that fails is an [`Error`]: an [`ErrorKind`] with the input's name and,
//! when it is about one part of the input, a [`Location`] (a JSONL line, a feed entry,
//! a WARC record's byte offset). The crate prints nothing.
//!
//! JSON Lines and WARC inputs (plain or gzipped) are read as streams, one record at a
//! time, so memory stays flat whatever their size; feeds, text and HTML are read whole.
//!
//! HTML goes through main-content extraction (`trafilatura`, then `dom_smoothie` when
//! that finds too little), so that navigation, ads and footers stay out of the text;
//! title, date, author, outlet and URL come from JSON-LD and `<meta>` tags. Article
//! text always has one paragraph per line.
//!
//! # Example
//!
//! ```
//! use newsgraph_ingest::{InputFormat, article_from_html, expand_inputs, read_input};
//!
//! let page = br#"<html><head><meta property="og:site_name" content="Veloria Daily">
//!   <title>Brel presents the budget | Veloria Daily</title></head><body>
//!   <nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><p>Finance minister Anna Brel presented the budget of Veloria on Tuesday,
//!   and said that taxes would not rise next year.</p>
//!   <p>The opposition called the plan a gamble.</p></article></body></html>"#;
//! let article = article_from_html(page, None)?;
//! assert_eq!(article.title.as_deref(), Some("Brel presents the budget"));
//! assert_eq!(article.outlet.as_deref(), Some("Veloria Daily"));
//! assert!(article.text.ends_with("\nThe opposition called the plan a gamble."));
//!
//! // A directory of inputs; a JSONL file holds one article per line.
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("feed.jsonl"),
//!     "{\"id\": \"v1\", \"text\": \"Anna Brel spoke.\"}\n{\"id\": \"v2\"}\n",
//! )?;
//! let mut ids = Vec::new();
//! let mut errors = Vec::new();
//! for input in expand_inputs(&[dir.path().to_path_buf()]) {
//!     for article in read_input(&input?, InputFormat::Auto) {
//!         match article {
//!             Ok(article) => ids.push(article.id),
//!             Err(error) => errors.push(format!("{}: {}", error.line().unwrap_or(0), error.kind)),
//!         }
//!     }
//! }
//! assert_eq!(ids, ["v1"]);
//! assert_eq!(errors, ["2: needs a \"text\" or \"html\" field"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod error;
mod feed;
mod html;
mod input;
mod jsonl;
mod text;
mod warc;

pub use error::{Error, ErrorKind, Location, Result};
pub use html::article_from_html;
pub use input::{InputFile, InputFormat, expand_inputs, read_input};
pub use text::{article_from_text, decode_text};
pub use warc::{MAX_BODY_BYTES, MAX_HEADER_BYTES, WarcArticles, WarcRecord, WarcRecords};

//! `Article`: what a source reader produces, before any extraction.

use sha2::{Digest, Sha256};

use crate::Date;

/// One news article as read from a source: its text and what the source says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Article {
    /// A stable id: the source's own when it gives one (a JSONL `id`), else
    /// [`content_id`] of the text.
    pub id: String,
    /// Where the article was published.
    pub url: Option<String>,
    /// Its headline.
    pub title: Option<String>,
    /// The outlet that published it ("Financial Times").
    pub outlet: Option<String>,
    /// The byline, when the source states one.
    pub author: Option<String>,
    /// The publication date or date-time, ISO 8601 (`2024-12-01`, `2024-12-01T09:30:00Z`).
    pub published: Option<String>,
    /// The article body as extracted from the source, paragraphs separated by newlines,
    /// before the `clean` stage removes boilerplate lines.
    pub text: String,
}

impl Article {
    /// An article with only a text; its id is the [`content_id`] of the text.
    pub fn from_text(text: impl Into<String>) -> Article {
        let text = text.into();
        Article { id: content_id(&text), text, ..Article::default() }
    }

    /// The publication day, when `published` holds a valid ISO 8601 date.
    pub fn published_date(&self) -> Option<Date> {
        self.published.as_deref().and_then(|p| Date::parse(p).ok())
    }
}

/// A stable id for a text: the first 16 hex digits (64 bits) of its SHA-256.
///
/// The same text always gets the same id, on any machine, so that a store can tell an
/// article it has already seen.
pub fn content_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_id_is_stable_and_short() {
        assert_eq!(content_id("abc"), "ba7816bf8f01cfea");
        assert_eq!(Article::from_text("abc").id, "ba7816bf8f01cfea");
        assert_ne!(content_id("abc"), content_id("abd"));
    }
}

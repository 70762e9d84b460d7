//! JSON Lines: one article record per line, read as a stream.
//!
//! A record is `{"id", "text" | "html", "title"?, "url"?, "published"?, "outlet"?,
//! "author"?}`. Fields given in the record win over what the HTML says; `null` counts
//! as absent; other fields are ignored.

use std::io::BufRead;

use newsgraph_model::{Article, content_id};
use serde_json::{Map, Value};

use crate::html::{Metadata, article_from_html, normalize_published};
use crate::{Error, ErrorKind, Result};

/// Yields one article per non-blank line of a JSONL stream.
///
/// Only one line is in memory at a time. A bad line yields an error with its line
/// number (from 1) and reading goes on; a read error ends the stream.
pub(crate) struct JsonlArticles<R> {
    reader: R,
    input: String,
    line_number: u64,
    buffer: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonlArticles<R> {
    /// Reads records from `reader`; `input` names it in errors.
    pub(crate) fn new(reader: R, input: String) -> JsonlArticles<R> {
        JsonlArticles { reader, input, line_number: 0, buffer: Vec::new(), done: false }
    }
}

impl<R: BufRead> Iterator for JsonlArticles<R> {
    type Item = Result<Article>;

    fn next(&mut self) -> Option<Result<Article>> {
        while !self.done {
            self.buffer.clear();
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line_number += 1;
                    if self.buffer.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let record = article_from_record(&self.buffer);
                    return Some(
                        record.map_err(|kind| Error::at_line(&self.input, self.line_number, kind)),
                    );
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => {
                    self.done = true;
                    let line = self.line_number + 1;
                    return Some(Err(Error::at_line(&self.input, line, error.into())));
                }
            }
        }
        None
    }
}

/// Reads one JSONL record (one line, without or with its line ending) into an article.
pub(crate) fn article_from_record(line: &[u8]) -> std::result::Result<Article, ErrorKind> {
    let value: Value =
        serde_json::from_slice(line).map_err(|error| ErrorKind::Json { msg: error.to_string() })?;
    let Value::Object(record) = value else {
        return Err(ErrorKind::Json { msg: format!("found {}", describe(&value)) });
    };

    let id = optional_id(&record)?;
    // Blank bodies are kept here so that they are reported as empty, not as missing.
    // The text is kept exactly as given, so that offsets into it stay aligned with any
    // annotation of the record.
    let text = string_field(&record, "text")?.map(str::to_owned);
    let html = string_field(&record, "html")?;
    let url = optional_string(&record, "url")?;
    let published = match optional_string(&record, "published")? {
        Some(published) => {
            Some(normalize_published(&published).ok_or_else(|| ErrorKind::BadField {
                field: "published".into(),
                expected: "an ISO 8601 date or date-time".into(),
                found: Value::String(published.clone()).to_string(),
            })?)
        }
        None => None,
    };

    let mut article = match (text, html) {
        (Some(text), html) if !text.trim().is_empty() => {
            // With both, the text is the body and the HTML only gives metadata.
            let metadata = html.map(Metadata::from_html).unwrap_or_default();
            Article {
                id: String::new(),
                url: metadata.url,
                title: metadata.title,
                outlet: metadata.outlet,
                author: metadata.author,
                published: metadata.published,
                text,
            }
        }
        (_, Some(html)) => article_from_html(html.as_bytes(), url.as_deref())?,
        (Some(_), None) => return Err(ErrorKind::Empty),
        (None, None) => return Err(ErrorKind::MissingField),
    };

    article.id = id.unwrap_or_else(|| content_id(&article.text));
    article.url = url.or(article.url);
    article.published = published.or(article.published);
    for (field, slot) in [
        ("title", &mut article.title),
        ("outlet", &mut article.outlet),
        ("author", &mut article.author),
    ] {
        if let Some(value) = optional_string(&record, field)? {
            *slot = Some(value);
        }
    }
    Ok(article)
}

/// The `id` of a record: a non-empty string, or a number (written as JSON writes it).
fn optional_id(record: &Map<String, Value>) -> std::result::Result<Option<String>, ErrorKind> {
    match record.get("id") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(id)) if id.trim().is_empty() => Ok(None),
        Some(Value::String(id)) => Ok(Some(id.trim().to_owned())),
        Some(Value::Number(id)) => Ok(Some(id.to_string())),
        Some(other) => Err(bad_field("id", "a string or a number", other)),
    }
}

/// A string field of a record, trimmed; `None` when absent, `null` or blank.
fn optional_string(
    record: &Map<String, Value>,
    field: &str,
) -> std::result::Result<Option<String>, ErrorKind> {
    let value = string_field(record, field)?.map(str::trim);
    Ok(value.filter(|value| !value.is_empty()).map(str::to_owned))
}

/// A string field of a record as it is; `None` when absent or `null`.
fn string_field<'a>(
    record: &'a Map<String, Value>,
    field: &str,
) -> std::result::Result<Option<&'a str>, ErrorKind> {
    match record.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(other) => Err(bad_field(field, "a string", other)),
    }
}

fn bad_field(field: &str, expected: &str, found: &Value) -> ErrorKind {
    let mut found = found.to_string();
    if found.len() > 60 {
        let mut end = 57;
        while !found.is_char_boundary(end) {
            end -= 1;
        }
        found.truncate(end);
        found.push_str("...");
    }
    ErrorKind::BadField { field: field.into(), expected: expected.into(), found }
}

/// What kind of JSON value this is, for an error message.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(jsonl: &str) -> Vec<Result<Article>> {
        JsonlArticles::new(jsonl.as_bytes(), "feed.jsonl".to_owned()).collect()
    }

    #[test]
    fn a_bad_line_in_the_middle_does_not_stop_the_others() {
        let jsonl = concat!(
            r#"{"id": "a1", "text": "Anna Brel met the press in Veloria.", "title": "Brel"}"#,
            "\n",
            r#"{"id": "a2", "text": "broken"#,
            "\n\n   \n",
            r#"{"id": "a3", "text": "Veloria's parliament met on Tuesday.", "published": "2024-12-03"}"#,
            "\r\n",
            r#"{"text": "No id here.", "url": "https://courier.example/x"}"#,
        );
        let results = read_all(jsonl);
        assert_eq!(results.len(), 4);
        let first = results[0].as_ref().unwrap();
        assert_eq!((first.id.as_str(), first.title.as_deref()), ("a1", Some("Brel")));
        let error = results[1].as_ref().unwrap_err();
        assert_eq!(error.line(), Some(2));
        assert!(matches!(error.kind, ErrorKind::Json { .. }));
        assert!(error.to_string().starts_with("feed.jsonl:2: not a JSON object: "), "{error}");
        let third = results[2].as_ref().unwrap();
        assert_eq!(third.id, "a3");
        assert_eq!(third.published.as_deref(), Some("2024-12-03"));
        let fourth = results[3].as_ref().unwrap();
        assert_eq!(fourth.id, content_id("No id here."));
        assert_eq!(fourth.url.as_deref(), Some("https://courier.example/x"));
    }

    #[test]
    fn record_errors() {
        let kind = |line: &str| article_from_record(line.as_bytes()).unwrap_err();
        assert_eq!(kind("[1, 2]").to_string(), "not a JSON object: found an array");
        assert!(matches!(kind(r#"{"id": "x", "title": "t"}"#), ErrorKind::MissingField));
        assert!(matches!(kind(r#"{"text": "  "}"#), ErrorKind::Empty));
        assert_eq!(
            kind(r#"{"text": "Brel spoke.", "published": "last Tuesday"}"#).to_string(),
            "\"published\" is not an ISO 8601 date or date-time: found \"last Tuesday\""
        );
        assert_eq!(
            kind(r#"{"text": "Brel spoke.", "title": ["a"]}"#).to_string(),
            "\"title\" is not a string: found [\"a\"]"
        );
        assert_eq!(
            kind(r#"{"text": "Brel spoke.", "id": {"n": 1}}"#).to_string(),
            "\"id\" is not a string or a number: found {\"n\":1}"
        );
    }

    #[test]
    fn html_record_fields_override_the_page() {
        let html = "<html><head><title>Page title</title>\
            <meta property=\"og:site_name\" content=\"Courier\"></head><body><article>\
            <p>Anna Brel, the finance minister of Veloria, presented the budget to the \
            parliament on Tuesday and answered questions for two hours.</p></article></body></html>";
        let record = serde_json::json!({
            "id": 42, "html": html, "title": "Record title", "published": "2024-12-03T10:00:00Z",
        });
        let article = article_from_record(record.to_string().as_bytes()).unwrap();
        assert_eq!(article.id, "42");
        assert_eq!(article.title.as_deref(), Some("Record title"));
        assert_eq!(article.outlet.as_deref(), Some("Courier"));
        assert_eq!(article.published.as_deref(), Some("2024-12-03T10:00:00Z"));
        assert!(article.text.starts_with("Anna Brel, the finance minister"), "{}", article.text);

        let record = serde_json::json!({"html": "<html><body><nav></nav></body></html>"});
        let error = article_from_record(record.to_string().as_bytes()).unwrap_err();
        assert!(matches!(error, ErrorKind::NoArticle));
    }

    #[test]
    fn text_with_html_takes_metadata_from_the_html() {
        let record = serde_json::json!({
            "text": "Brel spoke.\r\nVaruk answered.",
            "html": "<html><head><title>From the page</title></head><body></body></html>",
        });
        let article = article_from_record(record.to_string().as_bytes()).unwrap();
        assert_eq!(article.text, "Brel spoke.\r\nVaruk answered.");
        assert_eq!(article.title.as_deref(), Some("From the page"));
    }
}

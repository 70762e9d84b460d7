//! RSS and Atom feeds (and JSON Feed, which `feed-rs` reads too): one article per entry.
//!
//! An entry's content is the article, else its summary. HTML bodies (RSS
//! `content:encoded` and `description`, Atom `html`/`xhtml`) go through the same
//! main-content extraction as HTML pages; plain-text bodies are kept as they are. The
//! entry's title, link, publication date (else its update date) and authors are the
//! article's, the feed's title is its outlet, and its id is the entry's id (RSS
//! `guid`, Atom `id`) when it has one, else the content hash of the text.
//!
//! A feed file is parsed whole (feeds are small); entries are turned into articles one
//! at a time as they are asked for.

use std::sync::LazyLock;

use feed_rs::model::{Entry, Feed, Link};
use newsgraph_model::{Article, content_id};
use regex::Regex;

use crate::error::Location;
use crate::html::article_from_html;
use crate::text::article_from_text;
use crate::{Error, ErrorKind, Result};

/// How many leading bytes [`looks_like_feed`] looks at.
const SNIFF_BYTES: usize = 4 * 1024;

/// Reads a feed file into its entries' articles. A file that is not a feed yields a
/// single error; an entry that cannot be read yields an error naming it (by its place
/// in the file, from 1) and the others still go through.
pub(crate) fn read_feed(bytes: &[u8], input: &str) -> Box<dyn Iterator<Item = Result<Article>>> {
    // Entries without an id get an empty one (rather than `feed-rs`'s hash of the link
    // and title), so that their id is the content hash like every other article's.
    let parser = feed_rs::parser::Builder::new().id_generator(|_, _, _| String::new()).build();
    let feed: Feed = match parser.parse(bytes) {
        Ok(feed) => feed,
        Err(error) => {
            let kind = ErrorKind::Feed { msg: error.to_string() };
            return Box::new(std::iter::once(Err(Error::new(input, kind))));
        }
    };
    let outlet = feed.title.map(|title| title.content.trim().to_owned()).filter(|t| !t.is_empty());
    let input = input.to_owned();
    Box::new(feed.entries.into_iter().enumerate().map(move |(index, entry)| {
        article_from_entry(entry, outlet.as_deref())
            .map_err(|kind| Error::at(&input, Location::Entry(index as u64 + 1), kind))
    }))
}

/// Reads one feed entry into an article, as the module doc describes.
fn article_from_entry(
    entry: Entry,
    outlet: Option<&str>,
) -> std::result::Result<Article, ErrorKind> {
    let url = entry_url(&entry.links);
    let content = entry
        .content
        .and_then(|content| {
            let is_html = is_html_type(content.content_type.as_str());
            content.body.map(|body| (body, is_html))
        })
        .filter(|(body, _)| !body.trim().is_empty());
    let summary = entry
        .summary
        .map(|summary| {
            let is_html = is_html_type(summary.content_type.as_str());
            (summary.content, is_html)
        })
        .filter(|(body, _)| !body.trim().is_empty());
    let (body, is_html) = content.or(summary).ok_or(ErrorKind::EmptyEntry)?;

    let mut article = if is_html && has_tags(&body) {
        article_from_html(wrap_fragment(&body).as_bytes(), url.as_deref())?
    } else {
        article_from_text(body.as_bytes())?
    };
    let id = entry.id.trim();
    article.id = if id.is_empty() { content_id(&article.text) } else { id.to_owned() };
    article.url = url.or(article.url);
    if let Some(title) = entry.title.map(|title| title.content.trim().to_owned()) {
        article.title = Some(title).filter(|title| !title.is_empty()).or(article.title);
    }
    if let Some(date) = entry.published.or(entry.updated) {
        article.published = Some(date.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
    let authors: Vec<&str> = entry
        .authors
        .iter()
        .map(|person| person.name.trim())
        .filter(|name| !name.is_empty())
        .collect();
    if !authors.is_empty() {
        article.author = Some(authors.join(", "));
    }
    article.outlet = outlet.map(str::to_owned).or(article.outlet);
    Ok(article)
}

/// The entry's link to the article: the first without a `rel` or with
/// `rel="alternate"`, else the first.
fn entry_url(links: &[Link]) -> Option<String> {
    let alternate = links.iter().find(|link| link.rel.as_deref().is_none_or(|r| r == "alternate"));
    alternate
        .or(links.first())
        .map(|link| link.href.trim().to_owned())
        .filter(|href| !href.is_empty())
}

/// Whether a media type (`text/html`, `application/xhtml+xml`) is HTML.
fn is_html_type(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence.ends_with("/html") || essence.ends_with("/xhtml+xml") || essence == "xhtml"
}

/// Whether a body declared as HTML has any tag (RSS descriptions are often plain
/// text, which is read as text so that it stays as it is).
fn has_tags(body: &str) -> bool {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        // A constant pattern that compiles (the feed tests run it): cannot fail.
        Regex::new(r"</?[A-Za-z][A-Za-z0-9]*(?:\s|/?>)").unwrap()
    });
    TAG.is_match(body)
}

/// An HTML fragment as a page whose article it is, so that the main-content
/// extractors take it whole; a whole page is left as it is.
fn wrap_fragment(body: &str) -> String {
    let head = &body[..body.floor_char_boundary(SNIFF_BYTES)].to_ascii_lowercase();
    if head.contains("<html") || head.contains("<body") {
        body.to_owned()
    } else {
        format!("<html><body><article>{body}</article></body></html>")
    }
}

/// Whether content is a feed: its first element (after an XML declaration, comments
/// and a doctype) is `<rss>`, `<feed>` or `<rdf:RDF>` (RSS 1.0).
pub(crate) fn looks_like_feed(bytes: &[u8]) -> bool {
    static ROOT: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        // A constant pattern that compiles (the sniffing tests run it): cannot fail.
        regex::bytes::Regex::new(
            r"^(?-u:\xef\xbb\xbf)?(?:\s+|<\?[^>]*\?>|<!--(?s:.)*?-->|<![^>]*>)*<([A-Za-z_][\w.:-]*)",
        )
        .unwrap()
    });
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    ROOT.captures(head).is_some_and(|captures| {
        let root = &captures[1];
        root == b"rss" || root == b"feed" || root == b"rdf:RDF" || root.ends_with(b":feed")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Lakeside Courier</title>
  <link>https://courier.example/</link>
  <item>
    <title>Kenya and Uganda sign a water accord</title>
    <link>https://courier.example/water</link>
    <guid isPermaLink="false">courier-17</guid>
    <pubDate>Tue, 04 Mar 2025 09:30:00 GMT</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>Kenya and Uganda signed an accord on Tuesday to share the
      water of Lake Victoria, ending a dispute that had lasted two years.</p>
      <p>"This is a good day for both our peoples," said Kenyan minister Amara Odhiambo.</p>]]></content:encoded>
  </item>
  <item>
    <title>Ghana thanks Togo</title>
    <description>Ghana thanked Togo on Monday for its help after the floods.</description>
  </item>
  <item><title>Nothing here</title></item>
</channel>
</rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- an Atom feed -->
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Andes Wire</title>
  <id>urn:andes-wire</id>
  <updated>2025-02-11T08:00:00Z</updated>
  <entry>
    <title>Peru protests to Chile</title>
    <id>urn:andes-wire:88</id>
    <link rel="alternate" href="https://andes.example/88"/>
    <updated>2025-02-11T08:00:00Z</updated>
    <author><name>Lucía Varga</name></author>
    <content type="text">Peru protested to Chile on Monday over fishing boats near the border.
Chile said the boats were in its waters.</content>
  </entry>
  <entry>
    <title>Ecuador and Colombia meet</title>
    <id>urn:andes-wire:89</id>
    <published>2025-02-12T10:15:00+02:00</published>
    <summary type="html">&lt;p&gt;Ecuador and Colombia held talks in Quito on Wednesday about
      the shared border and agreed to meet again in April, officials of both countries said.&lt;/p&gt;</summary>
  </entry>
</feed>"#;

    fn read(feed: &str) -> Vec<Result<Article>> {
        read_feed(feed.as_bytes(), "news.rss").collect()
    }

    #[test]
    fn rss_items_become_articles() {
        let results = read(RSS);
        assert_eq!(results.len(), 3);
        let first = results[0].as_ref().unwrap();
        assert_eq!(first.id, "courier-17");
        assert_eq!(first.title.as_deref(), Some("Kenya and Uganda sign a water accord"));
        assert_eq!(first.url.as_deref(), Some("https://courier.example/water"));
        assert_eq!(first.outlet.as_deref(), Some("Lakeside Courier"));
        assert_eq!(first.published.as_deref(), Some("2025-03-04T09:30:00Z"));
        // The content, not the teaser, one paragraph per line.
        assert!(first.text.starts_with("Kenya and Uganda signed an accord"), "{}", first.text);
        assert!(first.text.contains("\n\"This is a good day"), "{}", first.text);
        assert!(!first.text.contains("<p>") && !first.text.contains("teaser"));

        // A plain description is the article when there is no content.
        let second = results[1].as_ref().unwrap();
        assert_eq!(second.text, "Ghana thanked Togo on Monday for its help after the floods.");
        assert_eq!(second.id, content_id(&second.text));
        assert_eq!(second.published, None);

        let error = results[2].as_ref().unwrap_err();
        assert!(matches!(error.kind, ErrorKind::EmptyEntry));
        assert_eq!(error.at, Some(Location::Entry(3)));
        assert_eq!(
            error.to_string(),
            "news.rss: entry 3: the entry has neither content nor a summary"
        );
    }

    #[test]
    fn atom_entries_become_articles() {
        let results = read(ATOM);
        assert_eq!(results.len(), 2);
        let first = results[0].as_ref().unwrap();
        assert_eq!(first.id, "urn:andes-wire:88");
        assert_eq!(first.outlet.as_deref(), Some("Andes Wire"));
        assert_eq!(first.author.as_deref(), Some("Lucía Varga"));
        assert_eq!(first.url.as_deref(), Some("https://andes.example/88"));
        // No published date: the update date stands in.
        assert_eq!(first.published.as_deref(), Some("2025-02-11T08:00:00Z"));
        assert!(first.text.ends_with("\nChile said the boats were in its waters."));

        // An escaped HTML summary, extracted; the date in UTC.
        let second = results[1].as_ref().unwrap();
        assert_eq!(second.published.as_deref(), Some("2025-02-12T08:15:00Z"));
        assert!(second.text.starts_with("Ecuador and Colombia held talks"), "{}", second.text);
        assert!(!second.text.contains('<'), "{}", second.text);
    }

    #[test]
    fn a_file_that_is_not_a_feed_is_one_error() {
        let results = read("<html><body><p>Not a feed</p></body></html>");
        assert_eq!(results.len(), 1);
        let error = results[0].as_ref().unwrap_err();
        assert!(matches!(error.kind, ErrorKind::Feed { .. }), "{error}");
        assert_eq!(error.at, None);
        let results = read("<rss><channel><item>");
        assert!(matches!(results[0].as_ref().unwrap_err().kind, ErrorKind::Feed { .. }));
    }

    #[test]
    fn feeds_are_sniffed_by_their_root_element() {
        assert!(looks_like_feed(RSS.as_bytes()));
        assert!(looks_like_feed(ATOM.as_bytes()));
        assert!(looks_like_feed(b"\xef\xbb\xbf<rdf:RDF xmlns:rdf=\"x\"><channel/></rdf:RDF>"));
        assert!(looks_like_feed(b"<!DOCTYPE rss><rss version=\"0.91\"/>"));
        assert!(looks_like_feed(b"<atom:feed xmlns:atom=\"http://www.w3.org/2005/Atom\"/>"));
        assert!(!looks_like_feed(b"<?xml version=\"1.0\"?><sitemap/>"));
        assert!(!looks_like_feed(b"<html><body>rss feed</body></html>"));
        assert!(!looks_like_feed(b"Feed the <rss> cat"));
        assert!(!looks_like_feed(b""));
    }

    #[test]
    fn html_types_and_tags() {
        assert!(is_html_type("text/html"));
        assert!(is_html_type("application/xhtml+xml; charset=utf-8"));
        assert!(!is_html_type("text/plain"));
        assert!(has_tags("<p>x</p>") && has_tags("a<br/>b") && has_tags("x <em class=\"a\">y"));
        assert!(!has_tags("3 < 4 and 5 > 2"));
    }
}

//! HTML pages: main-content extraction and the page's metadata (JSON-LD, `<meta>`).
//!
//! The main content comes from `trafilatura`, tuned for precision with its own
//! fallbacks on; when it finds less than [`MIN_ARTICLE_CHARS`], `dom_smoothie` (a
//! Readability port) gets a try, and the longer text wins. Both work on the parsed
//! page; their text output is not used as is, because `trafilatura` joins paragraphs
//! with spaces: we walk the HTML it returns and put each block on its own line.
//!
//! Metadata is read by us, not by `trafilatura`, whose date guess reads copyright lines
//! and whose order of sources differs from the one we promise (see [`Metadata`]).

use std::borrow::Cow;
use std::sync::LazyLock;

use encoding_rs::Encoding;
use newsgraph_model::{Article, Date, content_id};
use regex::Regex;
use serde_json::Value;
use trafilatura::dom::{Document, NodeId};

use crate::ErrorKind;
use crate::text::{decode_with, normalize_text};

/// Below this many characters of text, the first extractor's result is considered a
/// miss and the second one is tried.
pub(crate) const MIN_ARTICLE_CHARS: usize = 100;

/// How many leading bytes are searched for a `<meta charset>` declaration.
const CHARSET_SNIFF_BYTES: usize = 2 * 1024;

/// How deeply elements may nest before the page is flattened (see [`flatten_deep`]).
/// Real pages stay far below; `trafilatura` overflows the stack on some walks of very
/// deep trees (about 20 000 levels on a 2 MB thread stack).
const MAX_NESTING: usize = 200;

/// How deep the HTML-to-lines walk descends; deeper nodes are ignored. The pages it
/// sees are flattened to [`MAX_NESTING`] already; this bounds its recursion anyway.
const MAX_DEPTH: usize = 512;

/// Reads an HTML page into an article: decodes it, extracts the main text (one paragraph
/// per line) and the metadata.
///
/// `url`, when given, is the article's URL and wins over what the page says. The
/// encoding is the one a `<meta charset>` or `http-equiv` content type in the first
/// 2 KB declares, else it is found as [`decode_text`](crate::decode_text) does. A page
/// without article text is [`ErrorKind::NoArticle`]; empty input is
/// [`ErrorKind::Empty`].
///
/// Metadata sources, first found wins:
/// - title: JSON-LD `headline` of an article object, `og:title`, `<title>` (a
///   `" - Outlet"` or `" | Outlet"` suffix naming the outlet is cut);
/// - published: JSON-LD `datePublished`, `article:published_time`, `<meta name>` `date`,
///   `pubdate` or `DC.date.issued`, `<time datetime>`; kept only if it is an ISO 8601
///   date or date-time, normalized to `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS][zone]`;
/// - author: JSON-LD `author` (a name, an object with a name, or a list of them),
///   `<meta name=author>`, `article:author` (unless it is a link);
/// - outlet: JSON-LD `publisher.name`, `og:site_name`;
/// - url: the argument, `og:url`, `<link rel=canonical>`.
///
/// The id is the [`content_id`] of the text.
pub fn article_from_html(bytes: &[u8], url: Option<&str>) -> Result<Article, ErrorKind> {
    let html = decode_with(bytes, declared_encoding(bytes))?;
    let html = normalize_text(&html);
    if html.trim().is_empty() {
        return Err(ErrorKind::Empty);
    }
    let mut document = Document::parse(&html);
    // Metadata first: its queries are depth-limited, and they should see the page as is.
    let metadata = Metadata::from_document(&document);
    let html = match flatten_deep(&document) {
        Some(flat) => {
            document = Document::parse(&flat);
            Cow::Owned(flat)
        }
        None => html,
    };
    let text = main_text(document, &html).ok_or(ErrorKind::NoArticle)?;
    let given_url = url.map(str::trim).filter(|url| !url.is_empty()).map(str::to_owned);
    Ok(Article {
        id: content_id(&text),
        url: given_url.or(metadata.url),
        title: metadata.title,
        outlet: metadata.outlet,
        author: metadata.author,
        published: metadata.published,
        text,
    })
}

/// The encoding that the page declares in its first bytes, if any.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    // Matches `<meta charset="x">` and `<meta http-equiv=... content="text/html;
    // charset=x">` alike. A regex over bytes, since the bytes are not decoded yet.
    static META_CHARSET: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        // A constant pattern that compiles (the charset tests run it): cannot fail.
        regex::bytes::Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
            .unwrap()
    });
    let head = &bytes[..bytes.len().min(CHARSET_SNIFF_BYTES)];
    let label = META_CHARSET.captures(head)?.get(1)?.as_bytes();
    let declared = Encoding::for_label(label)?;
    // As in browsers, a UTF-16 label found by an ASCII-compatible scan is a lie.
    if declared == encoding_rs::UTF_16LE || declared == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    // Pages saved as UTF-8 often keep an old legacy declaration. Legacy text with
    // non-ASCII bytes is almost never valid UTF-8, so valid UTF-8 wins.
    if declared != encoding_rs::UTF_8 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        return Some(encoding_rs::UTF_8);
    }
    Some(declared)
}

/// The main text of the page, one paragraph per line, or `None` when there is none.
fn main_text(document: Document, html: &str) -> Option<String> {
    // Precision over recall: a stray navigation or promo line costs more downstream (a
    // wrong actor, a fake quote) than a missed paragraph. The fallbacks (readability
    // and justext comparison inside trafilatura) stay on, so precision does not mean
    // losing the body on unusual layouts. Comments are never part of the article.
    let options = trafilatura::Options::default()
        .with_focus(trafilatura::ExtractionFocus::FavorPrecision)
        .with_fallback(true)
        .with_exclude_comments(true)
        .with_html_date_mode(trafilatura::HtmlDateMode::Disabled);
    let first = match trafilatura::extract_document(document, &options) {
        Ok(result) => html_to_lines(&result.content_html),
        Err(_) => String::new(),
    };
    let first_chars = first.chars().count();
    if first_chars >= MIN_ARTICLE_CHARS {
        return Some(first);
    }
    let second = readability_text(html).unwrap_or_default();
    let best = if second.chars().count() > first_chars { second } else { first };
    if best.is_empty() { None } else { Some(best) }
}

/// The main text as `dom_smoothie` (Readability) finds it, one paragraph per line.
///
/// Readability always returns something, down to the whole `<body>`, so a result that
/// is mostly link text (a menu, a list of headlines) is taken as no article.
fn readability_text(html: &str) -> Option<String> {
    // The default parse tries every policy from strict to raw and keeps the best. Its
    // HTML output goes through the same walk as trafilatura's, so that both give lines
    // the same way and the share of link text can be measured.
    let mut readability = dom_smoothie::Readability::new(html, None, None).ok()?;
    let article = readability.parse().ok()?;
    let lines = html_to_lines_with_links(&article.content);
    if lines.link_chars * 2 > lines.text_chars {
        return None;
    }
    Some(lines.text)
}

/// A page whose elements nest deeper than [`MAX_NESTING`], rewritten as HTML without
/// the tags of the deeper elements (their text stays; a deep block becomes a `<br>`, so
/// that its text stays on its own line); `None` when the page is not that deep.
///
/// The parser (html5ever) builds trees of any depth without recursing, and this walk
/// uses its own stack, so only the extractors would be at risk.
fn flatten_deep(document: &Document) -> Option<String> {
    let mut stack = vec![(document.root(), 0usize)];
    let mut max_depth = 0;
    while let Some((node, depth)) = stack.pop() {
        max_depth = max_depth.max(depth);
        if max_depth > MAX_NESTING {
            break;
        }
        stack.extend(document.children(node).into_iter().map(|child| (child, depth + 1)));
    }
    if max_depth <= MAX_NESTING {
        return None;
    }

    enum Step {
        Enter(NodeId, usize),
        Close(String),
    }
    let mut html = String::from("<!DOCTYPE html>");
    let mut steps = vec![Step::Enter(document.root(), 0)];
    while let Some(step) = steps.pop() {
        let (node, depth) = match step {
            Step::Close(tag) => {
                html.push_str(&tag);
                continue;
            }
            Step::Enter(node, depth) => (node, depth),
        };
        if document.is_text(node) {
            let text = document.text_content(node);
            let parent = document.parent(node).map(|parent| document.tag_name(parent));
            if matches!(parent, Some("script" | "style")) {
                html.push_str(&text);
            } else {
                html.push_str(
                    &text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"),
                );
            }
            continue;
        }
        let tag = document.tag_name(node).to_owned();
        // Scripts and styles keep their tags, or their code would become text.
        let keep_tag =
            !tag.is_empty() && (depth <= MAX_NESTING || matches!(tag.as_str(), "script" | "style"));
        if keep_tag {
            html.push('<');
            html.push_str(&tag);
            for name in document.attribute_names(node) {
                let value = document.get_attribute(node, &name).unwrap_or_default();
                let value = value.replace('&', "&amp;").replace('"', "&quot;");
                html.push_str(&format!(" {name}=\"{value}\""));
            }
            html.push('>');
            if document.is_void_element(node) {
                continue;
            }
            steps.push(Step::Close(format!("</{tag}>")));
        } else if is_block(&tag) {
            html.push_str("<br>");
            steps.push(Step::Close("<br>".to_owned()));
        }
        // Comments, the doctype and such have no children, or none worth keeping.
        let children = document.child_nodes(node);
        steps.extend(children.into_iter().rev().map(|child| Step::Enter(child, depth + 1)));
    }
    Some(html)
}

/// Turns an HTML fragment into text with one block (paragraph, heading, list item,
/// quote, ...) per line, whitespace collapsed within lines, and no blank lines.
pub(crate) fn html_to_lines(html: &str) -> String {
    html_to_lines_with_links(html).text
}

/// Text of an HTML fragment, and how much of it is link text.
struct Lines {
    text: String,
    /// Non-whitespace characters in the text.
    text_chars: usize,
    /// Non-whitespace characters inside `<a>` elements.
    link_chars: usize,
}

fn html_to_lines_with_links(html: &str) -> Lines {
    let document = Document::parse(html);
    let mut walk = Walk { document: &document, raw: String::new(), link_chars: 0 };
    let start = document.body().unwrap_or_else(|| document.root());
    walk.children(start, 0, false, false);
    let text = clean_lines(&walk.raw);
    let text_chars = text.chars().filter(|c| !c.is_whitespace()).count();
    Lines { text, text_chars, link_chars: walk.link_chars }
}

/// The state of one HTML-to-lines walk.
struct Walk<'a> {
    document: &'a Document,
    raw: String,
    link_chars: usize,
}

impl Walk<'_> {
    fn children(&mut self, node: NodeId, depth: usize, preformatted: bool, in_link: bool) {
        if depth > MAX_DEPTH {
            return;
        }
        let document = self.document;
        for child in document.child_nodes(node) {
            if document.is_text(child) {
                let text = document.text_content(child);
                if in_link {
                    self.link_chars += text.chars().filter(|c| !c.is_whitespace()).count();
                }
                // Outside `<pre>`, a newline in the source is just a space.
                if preformatted {
                    self.raw.push_str(&text);
                } else {
                    self.raw.push_str(&text.replace('\n', " "));
                }
                continue;
            }
            if !document.is_element(child) {
                continue;
            }
            let tag = document.tag_name(child).to_ascii_lowercase();
            let preformatted = preformatted || tag == "pre";
            let in_link = in_link || tag == "a";
            match tag.as_str() {
                "script" | "style" | "noscript" | "template" | "head" | "title" => {}
                "br" | "hr" => self.raw.push('\n'),
                // Table cells and images are inline, but must not glue words together.
                "td" | "th" | "img" => {
                    self.raw.push(' ');
                    self.children(child, depth + 1, preformatted, in_link);
                    self.raw.push(' ');
                }
                _ if is_block(&tag) => {
                    self.raw.push('\n');
                    self.children(child, depth + 1, preformatted, in_link);
                    self.raw.push('\n');
                }
                _ => self.children(child, depth + 1, preformatted, in_link),
            }
        }
    }
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "caption"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "figure"
            | "figcaption"
            | "address"
            | "details"
            | "summary"
            | "form"
            | "fieldset"
            | "center"
    )
}

/// Collapses whitespace runs within each line to one space, trims lines, and drops
/// empty ones.
pub(crate) fn clean_lines(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    for line in raw.lines() {
        let mut words = line.split(is_space).filter(|word| !word.is_empty()).peekable();
        if words.peek().is_none() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        for (i, word) in words.enumerate() {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(word);
        }
    }
    text
}

/// Whitespace inside a line, including the no-break and zero-width spaces that pages
/// use for layout.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}')
}

/// What a page says about its article, each field cleaned and `None` when absent.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Metadata {
    pub(crate) title: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) outlet: Option<String>,
    pub(crate) url: Option<String>,
}

impl Metadata {
    /// Reads the metadata of a page.
    pub(crate) fn from_html(html: &str) -> Metadata {
        Metadata::from_document(&Document::parse(html))
    }

    fn from_document(document: &Document) -> Metadata {
        let json_ld = JsonLd::from_document(document);
        let meta = MetaTags::from_document(document);

        let outlet = json_ld
            .article
            .as_ref()
            .and_then(|article| article.get("publisher"))
            .and_then(|publisher| json_ld.names(publisher))
            .or_else(|| meta.get(&["og:site_name"]));

        let title_tag = document
            .query_selector(document.root(), "title")
            .map(|title| document.text_content(title))
            .and_then(|title| clean(&title));
        let title = json_ld
            .string(&["headline", "name"])
            .or_else(|| meta.get(&["og:title"]).map(|t| strip_outlet(t, outlet.as_deref())))
            .or_else(|| title_tag.map(|t| strip_outlet(t, outlet.as_deref())));

        let time_tag = document
            .query_selector(document.root(), "time[datetime]")
            .and_then(|time| document.get_attribute(time, "datetime"));
        let published = [
            json_ld.string(&["datePublished"]),
            meta.get(&["article:published_time"]),
            meta.get(&["date", "pubdate", "dc.date.issued"]),
            time_tag,
        ]
        .into_iter()
        .flatten()
        .find_map(|value| normalize_published(&value));

        let author = json_ld
            .article
            .as_ref()
            .and_then(|article| article.get("author"))
            .and_then(|author| json_ld.names(author))
            .or_else(|| meta.get(&["author"]))
            .or_else(|| meta.get(&["article:author"]).filter(|author| !is_link(author)));

        let canonical = document
            .query_selector_all(document.root(), "link[rel][href]")
            .into_iter()
            .find(|&link| {
                document.get_attribute(link, "rel").is_some_and(|rel| {
                    rel.split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("canonical"))
                })
            })
            .and_then(|link| document.get_attribute(link, "href"))
            .and_then(|href| clean(&href));
        let url = meta.get(&["og:url"]).or(canonical);

        Metadata { title, published, author, outlet, url }
    }
}

/// The `content` of `<meta>` tags, keyed by their lower-cased `property`, `name` or
/// `itemprop`, in page order.
struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    fn from_document(document: &Document) -> MetaTags {
        let mut tags = Vec::new();
        for meta in document.query_selector_all(document.root(), "meta[content]") {
            let Some(content) = document.get_attribute(meta, "content").and_then(|c| clean(&c))
            else {
                continue;
            };
            for key in ["property", "name", "itemprop"] {
                if let Some(name) = document.get_attribute(meta, key) {
                    tags.push((name.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        MetaTags(tags)
    }

    /// The content of the first tag named one of `names` (lower case), by name order.
    fn get(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| {
            self.0.iter().find(|(key, _)| key == name).map(|(_, content)| content.clone())
        })
    }
}

/// The JSON-LD objects of a page and the first one that describes an article.
struct JsonLd {
    /// Every object found, flattened out of lists and `@graph`s, to resolve `@id`
    /// references (a publisher given as `{"@id": "#org"}`).
    nodes: Vec<Value>,
    article: Option<Value>,
}

impl JsonLd {
    fn from_document(document: &Document) -> JsonLd {
        let mut nodes = Vec::new();
        for script in document.query_selector_all(document.root(), "script[type]") {
            let is_json_ld = document.get_attribute(script, "type").is_some_and(|kind| {
                kind.trim().to_ascii_lowercase().starts_with("application/ld+json")
            });
            if !is_json_ld {
                continue;
            }
            // Pages often have broken JSON-LD; a block that does not parse is skipped.
            if let Ok(value) = serde_json::from_str::<Value>(&document.text_content(script)) {
                flatten_json_ld(value, &mut nodes, 0);
            }
        }
        let article = nodes.iter().find(|node| is_article(node)).cloned();
        JsonLd { nodes, article }
    }

    /// The first of `keys` of the article object that holds a non-empty string.
    fn string(&self, keys: &[&str]) -> Option<String> {
        let article = self.article.as_ref()?;
        keys.iter().find_map(|key| article.get(key).and_then(Value::as_str).and_then(clean))
    }

    /// The name(s) in a value that is a string, an object with a `name` (possibly only
    /// an `@id` reference to one), or a list of those, joined with ", ".
    fn names(&self, value: &Value) -> Option<String> {
        let mut names = Vec::new();
        self.collect_names(value, &mut names, 0);
        names.dedup();
        if names.is_empty() { None } else { Some(names.join(", ")) }
    }

    fn collect_names(&self, value: &Value, names: &mut Vec<String>, depth: usize) {
        if depth > 4 {
            return;
        }
        match value {
            Value::String(name) => names.extend(clean(name)),
            Value::Array(values) => {
                for value in values {
                    self.collect_names(value, names, depth + 1);
                }
            }
            Value::Object(object) => {
                if let Some(name) = object.get("name") {
                    self.collect_names(name, names, depth + 1);
                } else if let Some(id) = object.get("@id").and_then(Value::as_str) {
                    let target = self.nodes.iter().find(|node| {
                        node.get("@id").and_then(Value::as_str) == Some(id)
                            && node.get("name").is_some()
                    });
                    if let Some(target) = target {
                        self.collect_names(target, names, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Collects the objects of a JSON-LD value: lists and `@graph` are opened.
fn flatten_json_ld(value: Value, nodes: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(values) => {
            for value in values {
                flatten_json_ld(value, nodes, depth + 1);
            }
        }
        Value::Object(mut object) => {
            if let Some(graph) = object.remove("@graph") {
                flatten_json_ld(graph, nodes, depth + 1);
            }
            nodes.push(Value::Object(object));
        }
        _ => {}
    }
}

/// Whether a JSON-LD object's `@type` (a string or a list) is an article type:
/// schema.org `Article` or one of its subtypes (`NewsArticle`, `ReportageNewsArticle`,
/// `BlogPosting`, `LiveBlogPosting`, `Report`, ...).
fn is_article(node: &Value) -> bool {
    let is_article_type = |kind: &str| {
        let kind = kind.rsplit(['/', ':']).next().unwrap_or(kind);
        kind.ends_with("Article")
            || matches!(kind, "BlogPosting" | "LiveBlogPosting" | "Report" | "SocialMediaPosting")
    };
    match node.get("@type") {
        Some(Value::String(kind)) => is_article_type(kind),
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).any(is_article_type),
        _ => false,
    }
}

/// Cuts a `" - Outlet"`, `" | Outlet"` (or en/em dash) suffix off a title when it names
/// the outlet.
fn strip_outlet(title: String, outlet: Option<&str>) -> String {
    let Some(outlet) = outlet else { return title };
    for separator in [" - ", " | ", " – ", " — "] {
        if let Some((head, tail)) = title.rsplit_once(separator)
            && tail.trim().eq_ignore_ascii_case(outlet.trim())
            && !head.trim().is_empty()
        {
            return head.trim().to_owned();
        }
    }
    title
}

/// Normalizes an ISO 8601 date or date-time to `YYYY-MM-DD` or
/// `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`; `None` when the value is not one, or names
/// a day or time that does not exist.
pub(crate) fn normalize_published(value: &str) -> Option<String> {
    static ISO_DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
        // A constant pattern that compiles (the date tests run it): cannot fail.
        Regex::new(
            r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(?:(Z|z)|([+-]\d{2}):?(\d{2}))?)?$",
        )
        .unwrap()
    });
    let captures = ISO_DATE_TIME.captures(value.trim())?;
    let day = &captures[1];
    Date::parse(day).ok()?;
    let Some(hour) = captures.get(2) else { return Some(day.to_owned()) };
    let number = |i: usize| captures.get(i).map_or(Ok(0), |m| m.as_str().parse::<u32>());
    let (hour_n, minute_n, second_n) = (number(2).ok()?, number(3).ok()?, number(4).ok()?);
    if hour_n > 23 || minute_n > 59 || second_n > 60 {
        return None;
    }
    let mut out = format!("{day}T{}:{}", hour.as_str(), &captures[3]);
    if let Some(second) = captures.get(4) {
        out.push(':');
        out.push_str(second.as_str());
        if let Some(fraction) = captures.get(5) {
            out.push_str(fraction.as_str());
        }
    }
    if captures.get(6).is_some() {
        out.push('Z');
    } else if let (Some(zone_hour), Some(zone_minute)) = (captures.get(7), captures.get(8)) {
        out.push_str(&format!("{}:{}", zone_hour.as_str(), zone_minute.as_str()));
    }
    Some(out)
}

/// Trims and collapses whitespace; `None` when nothing is left.
fn clean(value: &str) -> Option<String> {
    let cleaned = clean_lines(&value.replace(['\n', '\r'], " "));
    if cleaned.is_empty() { None } else { Some(cleaned) }
}

fn is_link(value: &str) -> bool {
    let value = value.trim_start().to_ascii_lowercase();
    value.starts_with("http://") || value.starts_with("https://") || value.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A news page with navigation, an ad, a newsletter box and a footer around the
    /// article, and its metadata in JSON-LD (inside a `@graph`, with the publisher
    /// given by reference) as well as in conflicting `<meta>` tags.
    const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Veloria approves budget | The Veloria Courier</title>
<meta property="og:title" content="Og title that JSON-LD overrides">
<meta property="og:site_name" content="Courier Online">
<meta property="og:url" content="https://courier.example/politics/budget">
<meta name="author" content="Meta Author">
<meta property="article:published_time" content="2024-11-30T08:00:00Z">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "Organization", "@id": "https://courier.example/#org", "name": "The Veloria Courier"},
  {"@type": ["NewsArticle"], "headline": "Veloria  approves a new budget",
   "datePublished": "2024-12-03T09:30:00+01:00",
   "author": [{"@type": "Person", "name": "Ivo Sand"}, {"@type": "Person", "name": "Mara Lind"}],
   "publisher": {"@id": "https://courier.example/#org"}}
]}
</script>
</head><body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
</ul></nav></header>
<div class="advertisement">Buy the new Zephyr phone today with a special discount!</div>
<main><article>
<h1>Veloria approves a new budget</h1>
<p>The parliament of Veloria voted on Tuesday to approve a new budget, after weeks of
   debate between the governing coalition and the opposition parties.</p>
<p>Finance minister <b>Anna Brel</b> said the budget would "restore confidence" in the
   economy of the small country, and that taxes would not rise next year.</p>
<p>The opposition leader, Tomas Varek, called the plan a gamble and promised to fight
   it in the constitutional court of Veloria before the end of the winter session.</p>
</article></main>
<aside class="newsletter">Sign up for our Courier Morning newsletter for free</aside>
<footer><p>Copyright 2024 The Veloria Courier. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/contact">Contact us</a></li></ul></footer>
</body></html>"#;

    #[test]
    fn news_page_body_and_json_ld_metadata() {
        let article = article_from_html(NEWS_PAGE.as_bytes(), None).unwrap();
        let lines: Vec<&str> = article.text.lines().collect();
        assert!(
            lines.contains(
                &"Finance minister Anna Brel said the budget would \"restore confidence\" in the \
                  economy of the small country, and that taxes would not rise next year."
            ),
            "{}",
            article.text
        );
        assert!(lines.iter().any(|line| line.starts_with("The parliament of Veloria voted")));
        assert!(lines.iter().any(|line| line.starts_with("The opposition leader, Tomas Varek")));
        for chrome in ["Home", "Weather", "Zephyr", "newsletter", "Copyright", "Privacy"] {
            assert!(!article.text.contains(chrome), "{chrome:?} in {}", article.text);
        }
        assert!(!article.text.contains("\n\n"));
        assert!(!article.text.contains("  "));

        assert_eq!(article.title.as_deref(), Some("Veloria approves a new budget"));
        assert_eq!(article.published.as_deref(), Some("2024-12-03T09:30:00+01:00"));
        assert_eq!(article.author.as_deref(), Some("Ivo Sand, Mara Lind"));
        assert_eq!(article.outlet.as_deref(), Some("The Veloria Courier"));
        assert_eq!(article.url.as_deref(), Some("https://courier.example/politics/budget"));
        assert_eq!(article.id, content_id(&article.text));
    }

    #[test]
    fn url_argument_wins() {
        let article =
            article_from_html(NEWS_PAGE.as_bytes(), Some("https://mirror.example/b")).unwrap();
        assert_eq!(article.url.as_deref(), Some("https://mirror.example/b"));
    }

    #[test]
    fn page_with_only_og_meta() {
        let page = r#"<html><head>
<title>Storm hits Veloria coast - Veloria Weekly</title>
<meta property="og:title" content="Storm hits Veloria coast - Veloria Weekly">
<meta property="og:site_name" content="Veloria Weekly">
<meta property="og:url" content="https://weekly.example/storm">
<link rel="canonical" href="https://weekly.example/canonical-storm">
<meta property="article:author" content="https://social.example/someone">
<meta name="pubdate" content="2024-10-05">
</head><body><div id="content">
<p>A storm hit the northern coast of Veloria on Saturday night, cutting power to
   thousands of homes in the fishing towns along the bay.</p>
<p>Emergency services said no one was hurt, but roads near the harbour stayed closed
   until the water went down on Sunday afternoon.</p>
</div></body></html>"#;
        let article = article_from_html(page.as_bytes(), None).unwrap();
        assert!(article.text.starts_with("A storm hit the northern coast"), "{}", article.text);
        assert_eq!(article.text.lines().count(), 2, "{}", article.text);
        assert_eq!(article.title.as_deref(), Some("Storm hits Veloria coast"));
        assert_eq!(article.outlet.as_deref(), Some("Veloria Weekly"));
        assert_eq!(article.url.as_deref(), Some("https://weekly.example/storm"));
        assert_eq!(article.published.as_deref(), Some("2024-10-05"));
        assert_eq!(article.author, None);
    }

    #[test]
    fn title_tag_and_canonical_link_and_time_tag() {
        let page = r#"<html><head><title>Brel visits the north</title>
<link rel="canonical" href="https://weekly.example/brel-north"></head><body><article>
<p>Minister Anna Brel visited the northern provinces of Veloria on Monday, where she
   met farmers who lost their harvest to the summer floods, and promised help.</p>
<p>Posted <time datetime="2024-09-02 14:05">Monday</time></p>
</article></body></html>"#;
        let article = article_from_html(page.as_bytes(), None).unwrap();
        assert_eq!(article.title.as_deref(), Some("Brel visits the north"));
        assert_eq!(article.url.as_deref(), Some("https://weekly.example/brel-north"));
        assert_eq!(article.published.as_deref(), Some("2024-09-02T14:05"));
    }

    #[test]
    fn page_without_article_is_no_article() {
        let page = r#"<html><head><title>Veloria Courier</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<footer></footer></body></html>"#;
        let result = article_from_html(page.as_bytes(), None);
        assert!(matches!(result, Err(ErrorKind::NoArticle)), "{result:?}");
        let page = "<html><body><div><img src=\"x.png\"></div></body></html>";
        assert!(matches!(article_from_html(page.as_bytes(), None), Err(ErrorKind::NoArticle)));
        assert!(matches!(article_from_html(b"  \n", None), Err(ErrorKind::Empty)));
        assert!(matches!(article_from_html(b"\x00\x01\x02<p>", None), Err(ErrorKind::Binary)));
    }

    #[test]
    fn declared_charset_is_respected() {
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" \
            content=\"text/html; charset=iso-8859-1\"></head><body><article><p>"
            .to_vec();
        for _ in 0..3 {
            page.extend_from_slice(b"Anna Brel drank coffee at the caf\xe9 on the main square. ");
        }
        page.extend_from_slice(b"</p></article></body></html>");
        let article = article_from_html(&page, None).unwrap();
        assert!(article.text.contains("café on the main square"), "{}", article.text);
        assert_eq!(declared_encoding(b"<meta charset='utf-16'>"), Some(encoding_rs::UTF_8));
        assert_eq!(declared_encoding(b"<META CHARSET=Shift_JIS>"), Some(encoding_rs::SHIFT_JIS));
        assert_eq!(declared_encoding(b"<p>charset=latin1</p>"), None);
    }

    #[test]
    fn blocks_become_lines() {
        let html = "<p>One  <b>bold</b>\n word.</p><h2>Head</h2><ul><li>a</li><li>b</li></ul>\
                    <p>x<br>y</p><table><tr><td>c1</td><td>c2</td></tr></table>";
        assert_eq!(html_to_lines(html), "One bold word.\nHead\na\nb\nx\ny\nc1 c2");
    }

    #[test]
    fn published_values_are_normalized() {
        let cases = [
            ("2024-12-01", Some("2024-12-01")),
            (" 2024-12-01T09:30:00Z ", Some("2024-12-01T09:30:00Z")),
            ("2024-12-01T09:30:00.123+0100", Some("2024-12-01T09:30:00.123+01:00")),
            ("2024-12-01 09:30", Some("2024-12-01T09:30")),
            ("2024-02-30", None),
            ("2024-12-01T25:00", None),
            ("December 1, 2024", None),
            ("2024-12-01garbage", None),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_published(input).as_deref(), expected, "{input}");
        }
    }

    #[test]
    fn title_suffix_is_cut_only_when_it_names_the_outlet() {
        let outlet = Some("Veloria Weekly");
        assert_eq!(strip_outlet("Storm - Veloria Weekly".into(), outlet), "Storm");
        assert_eq!(strip_outlet("Storm | veloria weekly".into(), outlet), "Storm");
        assert_eq!(strip_outlet("Brel - the interview".into(), outlet), "Brel - the interview");
        assert_eq!(strip_outlet("Storm - Veloria Weekly".into(), None), "Storm - Veloria Weekly");
    }

    #[test]
    fn json_ld_as_list_with_type_list_and_string_author() {
        let page = r#"<html><head><script type="application/ld+json">[
{"@type": "WebSite", "name": "Not the title"},
{"@type": ["ReportageNewsArticle", "Thing"], "headline": "Floods in Veloria",
 "author": "Ivo Sand", "publisher": {"@type": "Organization", "name": "Courier"},
 "datePublished": "not a date"}
]</script><meta name="DC.date.issued" content="2024-08-01"></head><body><article>
<p>Floods covered the southern plains of Veloria this week, and the army was sent to
   help the villages that the rising river had cut off from the rest of the country.</p>
</article></body></html>"#;
        let article = article_from_html(page.as_bytes(), None).unwrap();
        assert_eq!(article.title.as_deref(), Some("Floods in Veloria"));
        assert_eq!(article.author.as_deref(), Some("Ivo Sand"));
        assert_eq!(article.outlet.as_deref(), Some("Courier"));
        // The JSON-LD date does not parse, so the next source is used.
        assert_eq!(article.published.as_deref(), Some("2024-08-01"));
    }

    #[test]
    fn readability_fallback_keeps_paragraphs_and_refuses_menus() {
        let text = readability_text(NEWS_PAGE).unwrap();
        assert!(text.contains("\nFinance minister Anna Brel said"), "{text}");
        let menu = r#"<html><body><div><ul><li><a href="/a">Veloria politics news</a></li>
<li><a href="/b">Veloria sport news</a></li><li><a href="/c">Veloria weather</a></li>
</ul></div></body></html>"#;
        assert_eq!(readability_text(menu), None);
    }

    #[test]
    fn deeply_nested_pages_are_flattened_not_overflowing() {
        let paragraph = "<p>Anna Brel spoke in Veloria about the budget, the taxes of next \
            year and the new roads in the north, for more than an hour.</p>";
        // 20 000 levels overflowed a 2 MB stack before flattening. (Far deeper pages take
        // long to parse: html5ever checks the stack of open elements for each new one.)
        for depth in [150, 1_000, 20_000] {
            let page = format!(
                "<html><head><title>Deep</title></head><body>{}{paragraph}{paragraph}{}</body></html>",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            );
            let article = article_from_html(page.as_bytes(), None).unwrap();
            assert_eq!(article.text.lines().count(), 2, "depth {depth}: {}", article.text);
            assert_eq!(article.title.as_deref(), Some("Deep"));
        }
        let flat = flatten_deep(&Document::parse(&format!(
            "<body>{}<p>a &amp; b</p><script>x < y</script>{}</body>",
            "<div class=\"c\">".repeat(300),
            "</div>".repeat(300)
        )))
        .unwrap();
        assert!(flat.contains("<div class=\"c\"><div class=\"c\">"));
        assert!(flat.contains("<br>a &amp; b<br><script>x < y</script>"), "{flat}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        #[test]
        fn html_reader_never_panics_on_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let _ = article_from_html(&bytes, None);
        }

        #[test]
        fn html_reader_never_panics_on_tag_soup(
            soup in r#"(<(p|div|a|li|ul|br|article|script|meta|time|title|pre|td)( [a-z]+="[^"<>]{0,12}")?>|</(p|div|a|li|ul|article|script|pre)>|[ \na-zA-Z.,é&;#0-9]{0,40}|<script type="application/ld\+json">[\[\]{}":,a-zA-Z@ ]{0,40}</script>){0,60}"#,
        ) {
            if let Ok(article) = article_from_html(soup.as_bytes(), None) {
                proptest::prop_assert!(!article.text.is_empty());
                proptest::prop_assert!(!article.text.contains("\n\n"));
            }
        }
    }
}

//! WARC files (ISO 28500, versions 1.0 and 1.1), read as a stream, record by record.
//!
//! A record is a version line (`WARC/1.1`), header lines (`Name: value`, continued by
//! lines that start with a space or a tab), a blank line, exactly `Content-Length`
//! bytes of body, and a blank line twice (`\r\n\r\n`). Bare `\n` line ends are taken
//! too. [`WarcRecords`] reads one record at a time from any [`BufRead`], so memory
//! stays flat whatever the file size: a header block is bounded by
//! [`MAX_HEADER_BYTES`], a body is held only when the caller wants it (the others are
//! read past without being kept), and a wanted body larger than [`MAX_BODY_BYTES`] is
//! read past and reported. The caller decides from the record's headers and, when it
//! asks to, from the first [`PEEK_BYTES`] of the body (an HTTP response's status and
//! headers), so a large image in a response record is read past, never held.
//!
//! A malformed record is reported with the byte offset where it starts and the reader
//! goes on: after a bad header it looks for the next line that starts with `WARC/`;
//! after a body that does not end with the blank lines (a wrong `Content-Length`), the
//! same. A body cut short by the end of the input ends the stream.
//!
//! [`WarcArticles`] turns `response` records that hold an HTTP response with an HTML
//! payload into articles (CC-NEWS style): the URL is `WARC-Target-URI`, the date the
//! page's own publication date, else `WARC-Date` (when it was fetched). Other records
//! (`request`, `metadata`, `warcinfo`, non-HTML or non-2xx responses) are skipped.
//! Gzipped files are decompressed by the caller ([`crate::read_input`] does it); byte
//! offsets are then offsets in the decompressed stream.

use std::io::{self, BufRead, Read};

use newsgraph_model::Article;

use crate::error::Location;
use crate::html::{article_from_html, normalize_published};
use crate::{Error, ErrorKind, Result};

/// The largest header block of a record (version line and headers) that is read.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The largest body that is kept in memory; larger wanted bodies are skipped and
/// reported.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// How much of a body [`WarcRecords::peek_bodies_of`] looks at before deciding to keep
/// it: enough for the status line and headers of an HTTP response.
pub const PEEK_BYTES: u64 = 16 * 1024;

/// The largest HTML payload kept after undoing a `Content-Encoding`.
const MAX_PAYLOAD_BYTES: u64 = 4 * MAX_BODY_BYTES;

/// One WARC record: its headers and, when it was kept, its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarcRecord {
    /// The byte offset of the record's version line in the stream.
    pub offset: u64,
    /// The version line without its line end, e.g. `WARC/1.1`.
    pub version: String,
    /// The headers in their order, names as written, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The `Content-Length` of the body.
    pub content_length: u64,
    /// The body, when the filter kept it; `None` when it was read past.
    pub body: Option<Vec<u8>>,
}

impl WarcRecord {
    /// The value of the first header with this name (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The record's `WARC-Type` (`response`, `request`, `warcinfo`, ...).
    pub fn record_type(&self) -> Option<&str> {
        self.header("WARC-Type")
    }
}

/// What the reader does after a malformed record.
enum Then {
    /// The stream is at the start of the next record.
    Continue,
    /// Look for the next line that starts with `WARC/`.
    Resync,
    /// Nothing more can be read.
    Stop,
}

/// A failure to read a record: what to say, and how to go on.
struct Failure {
    kind: ErrorKind,
    then: Then,
}

fn malformed(msg: impl Into<String>, then: Then) -> Failure {
    Failure { kind: ErrorKind::Warc { msg: msg.into() }, then }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Failure {
        Failure { kind: error.into(), then: Then::Stop }
    }
}

/// Counts the bytes read or consumed from a reader.
struct Counted<R> {
    inner: R,
    position: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.position += amount as u64;
        self.inner.consume(amount);
    }
}

/// Reads one line, up to and with its `\n`, into `line`, keeping at most `limit` bytes
/// of it (the rest is read past). Returns how many bytes were read: 0 at the end.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>, limit: usize) -> io::Result<usize> {
    line.clear();
    let mut read = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(read);
        }
        let (used, ends) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let room = limit.saturating_sub(line.len());
        line.extend_from_slice(&available[..used.min(room)]);
        reader.consume(used);
        read += used;
        if ends {
            return Ok(read);
        }
    }
}

/// A line without its `\r\n` or `\n`.
fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The start of a line, for an error message: at most 40 characters, escaped.
fn quote_start(line: &[u8]) -> String {
    let line = trim_line_end(line);
    let shown = String::from_utf8_lossy(&line[..line.len().min(40)]).into_owned();
    let ellipsis = if line.len() > 40 { "..." } else { "" };
    format!("{shown:?}{ellipsis}")
}

/// Reads WARC records from a stream, one at a time, as the module doc describes.
///
/// Yields each record, or an error naming the input and the byte offset of the record
/// that is malformed; after an error it goes on with the next record when it can.
pub struct WarcRecords<R> {
    reader: Counted<R>,
    input: String,
    keep: fn(&WarcRecord) -> bool,
    peek: Option<fn(&WarcRecord, &[u8]) -> bool>,
    /// A version line already read while looking for the next record, and its offset.
    pending: Option<(u64, Vec<u8>)>,
    resync: bool,
    done: bool,
    line: Vec<u8>,
}

impl<R: BufRead> WarcRecords<R> {
    /// Reads records from `reader`, keeping every body; `input` names it in errors.
    pub fn new(reader: R, input: impl Into<String>) -> WarcRecords<R> {
        WarcRecords {
            reader: Counted { inner: reader, position: 0 },
            input: input.into(),
            keep: |_| true,
            peek: None,
            pending: None,
            resync: false,
            done: false,
            line: Vec::new(),
        }
    }

    /// Keeps the bodies only of the records for which `keep` (given the record without
    /// its body) is true; the others are read past and come with `body: None`.
    pub fn keep_bodies_of(mut self, keep: fn(&WarcRecord) -> bool) -> WarcRecords<R> {
        self.keep = keep;
        self
    }

    /// Then, for the records `keep_bodies_of` keeps, reads the first `PEEK_BYTES` (16 KiB) of
    /// the body (all of it when shorter) and keeps the body only when `peek` (given the
    /// record without its body and those bytes) is true; the rest of the others is read
    /// past without being held.
    pub fn peek_bodies_of(mut self, peek: fn(&WarcRecord, &[u8]) -> bool) -> WarcRecords<R> {
        self.peek = Some(peek);
        self
    }

    /// Skips to the next line that starts with `WARC/` and keeps it as pending.
    /// Returns false at the end of the input.
    fn resync(&mut self) -> io::Result<bool> {
        loop {
            let offset = self.reader.position;
            if read_line(&mut self.reader, &mut self.line, MAX_HEADER_BYTES)? == 0 {
                return Ok(false);
            }
            if self.line.starts_with(b"WARC/") {
                self.pending = Some((offset, std::mem::take(&mut self.line)));
                return Ok(true);
            }
        }
    }

    /// Reads the next record; `Ok(None)` at the end of the input. The `u64` of a
    /// failure is the offset of the record it is about.
    fn read_record(&mut self) -> std::result::Result<Option<WarcRecord>, (u64, Failure)> {
        // The version line, after any blank lines between records.
        let (offset, version_line) = match self.pending.take() {
            Some(pending) => pending,
            None => loop {
                let offset = self.reader.position;
                let read = read_line(&mut self.reader, &mut self.line, MAX_HEADER_BYTES)
                    .map_err(|error| (offset, error.into()))?;
                if read == 0 {
                    return Ok(None);
                }
                if !trim_line_end(&self.line).is_empty() || read > self.line.len() {
                    break (offset, std::mem::take(&mut self.line));
                }
            },
        };
        self.read_rest(offset, &version_line).map(Some).map_err(|failure| (offset, failure))
    }

    /// Reads the headers, body and end of a record whose version line is read.
    fn read_rest(
        &mut self,
        offset: u64,
        version_line: &[u8],
    ) -> std::result::Result<WarcRecord, Failure> {
        if !version_line.starts_with(b"WARC/") || !version_line.ends_with(b"\n") {
            let found = quote_start(version_line);
            return Err(malformed(
                format!("expected a WARC/1.x version line, found {found}"),
                Then::Resync,
            ));
        }
        let version = String::from_utf8_lossy(trim_line_end(version_line)).into_owned();

        let mut headers: Vec<(String, String)> = Vec::new();
        let mut header_bytes = version_line.len();
        loop {
            let read = read_line(&mut self.reader, &mut self.line, MAX_HEADER_BYTES)?;
            header_bytes += read;
            if header_bytes > MAX_HEADER_BYTES {
                let msg = format!("the header is longer than {} KiB", MAX_HEADER_BYTES / 1024);
                return Err(malformed(msg, Then::Resync));
            }
            if read == 0 || !self.line.ends_with(b"\n") {
                return Err(malformed("the input ends inside the header", Then::Stop));
            }
            let line = trim_line_end(&self.line);
            if line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(line);
            if line[0] == b' ' || line[0] == b'\t' {
                // A continuation of the previous header's value.
                let Some((_, value)) = headers.last_mut() else {
                    let msg = "a continuation line before any header";
                    return Err(malformed(msg, Then::Resync));
                };
                value.push(' ');
                value.push_str(text.trim());
                continue;
            }
            let Some((name, value)) = text.split_once(':') else {
                let msg = format!("a header line without a colon: {}", quote_start(line));
                return Err(malformed(msg, Then::Resync));
            };
            if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c.is_control()) {
                let msg = format!("a bad header name: {}", quote_start(line));
                return Err(malformed(msg, Then::Resync));
            }
            headers.push((name.to_owned(), value.trim().to_owned()));
        }

        let mut record = WarcRecord { offset, version, headers, content_length: 0, body: None };
        let length = match record.header("Content-Length") {
            None => return Err(malformed("no Content-Length header", Then::Resync)),
            Some(value) => value.parse::<u64>().map_err(|_| {
                malformed(format!("the Content-Length {value:?} is not a number"), Then::Resync)
            })?,
        };
        record.content_length = length;

        let mut keep = (self.keep)(&record);
        // The start of the body, when the caller wants to see it before deciding.
        let mut start = Vec::new();
        if let (true, Some(peek)) = (keep, self.peek) {
            (&mut self.reader).take(length.min(PEEK_BYTES)).read_to_end(&mut start)?;
            keep = peek(&record, &start);
        }
        let too_large = keep && length > MAX_BODY_BYTES;
        let mut body = (&mut self.reader).take(length - start.len() as u64);
        let read = if keep && !too_large {
            let mut bytes = start;
            bytes.reserve(length.min(64 * 1024) as usize);
            body.read_to_end(&mut bytes)?;
            let read = bytes.len() as u64;
            record.body = Some(bytes);
            read
        } else {
            start.len() as u64 + io::copy(&mut body, &mut io::sink())?
        };
        if read < length {
            let msg = format!("the input ends inside the body, after {read} of {length} bytes");
            return Err(malformed(msg, Then::Stop));
        }

        // Two line ends close the record; the end of the input is tolerated.
        for _ in 0..2 {
            let at = self.reader.position;
            let read = read_line(&mut self.reader, &mut self.line, MAX_HEADER_BYTES)?;
            if read == 0 {
                break;
            }
            if !trim_line_end(&self.line).is_empty() || read > self.line.len() {
                if self.line.starts_with(b"WARC/") {
                    self.pending = Some((at, std::mem::take(&mut self.line)));
                }
                let msg = format!(
                    "the body does not end with a blank line (is the Content-Length {length} \
                     right?), found {}",
                    quote_start(&self.line)
                );
                let then = if self.pending.is_some() { Then::Continue } else { Then::Resync };
                return Err(malformed(msg, then));
            }
        }
        if too_large {
            let msg = format!(
                "the body of {length} bytes is larger than the {} MiB limit",
                MAX_BODY_BYTES / (1024 * 1024)
            );
            return Err(malformed(msg, Then::Continue));
        }
        Ok(record)
    }
}

impl<R: BufRead> Iterator for WarcRecords<R> {
    type Item = Result<WarcRecord>;

    fn next(&mut self) -> Option<Result<WarcRecord>> {
        if self.done {
            return None;
        }
        if std::mem::take(&mut self.resync) {
            let offset = self.reader.position;
            match self.resync() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(error) => {
                    self.done = true;
                    return Some(Err(Error::at(
                        &self.input,
                        Location::Offset(offset),
                        error.into(),
                    )));
                }
            }
        }
        match self.read_record() {
            Ok(Some(record)) => Some(Ok(record)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err((offset, Failure { kind, then })) => {
                match then {
                    Then::Continue => {}
                    Then::Resync => self.resync = true,
                    Then::Stop => self.done = true,
                }
                Some(Err(Error::at(&self.input, Location::Offset(offset), kind)))
            }
        }
    }
}

/// Whether a record is worth reading the body of: an HTTP response.
fn is_http_response(record: &WarcRecord) -> bool {
    let content_type = record.header("Content-Type").unwrap_or("").to_ascii_lowercase();
    record.record_type().is_some_and(|t| t.eq_ignore_ascii_case("response"))
        && content_type.starts_with("application/http")
}

/// Reads the articles of a WARC stream, as the module doc describes.
///
/// An error (a malformed record, a page without an article) names the input and the
/// record's offset, and the stream goes on.
pub struct WarcArticles<R> {
    records: WarcRecords<R>,
}

impl<R: BufRead> WarcArticles<R> {
    /// Reads articles from `reader`; `input` names it in errors.
    pub fn new(reader: R, input: impl Into<String>) -> WarcArticles<R> {
        let records = WarcRecords::new(reader, input)
            .keep_bodies_of(is_http_response)
            .peek_bodies_of(may_be_html_success);
        WarcArticles { records }
    }
}

impl<R: BufRead> Iterator for WarcArticles<R> {
    type Item = Result<Article>;

    fn next(&mut self) -> Option<Result<Article>> {
        loop {
            let record = match self.records.next()? {
                Ok(record) => record,
                Err(error) => return Some(Err(error)),
            };
            match article_from_record(&record) {
                Ok(Some(article)) => return Some(Ok(article)),
                Ok(None) => {}
                Err(kind) => {
                    let at = Location::Offset(record.offset);
                    return Some(Err(Error::at(&self.records.input, at, kind)));
                }
            }
        }
    }
}

/// Whether an HTTP response whose first bytes are `start` may be a 2xx HTML page: false
/// only when its status line and headers are all there and say otherwise. A response
/// that cannot be parsed is kept, so that [`HttpResponse::parse`] reports it.
fn may_be_html_success(_record: &WarcRecord, start: &[u8]) -> bool {
    let Some((head, _)) = split_head(start) else { return true };
    !matches!(parse_head(head), Ok(None))
}

/// The article of a response record; `None` when the record is not a successful HTML
/// response.
fn article_from_record(record: &WarcRecord) -> std::result::Result<Option<Article>, ErrorKind> {
    let Some(body) = record.body.as_deref().filter(|_| is_http_response(record)) else {
        return Ok(None);
    };
    let Some(response) = HttpResponse::parse(body)? else { return Ok(None) };
    let url = record.header("WARC-Target-URI").map(|uri| uri.trim_matches(['<', '>']));
    let mut article = article_from_html(&response.payload, url)?;
    if article.published.is_none() {
        article.published = record.header("WARC-Date").and_then(normalize_published);
    }
    Ok(Some(article))
}

/// The parts of an HTTP response that matter here.
struct HttpResponse {
    /// The payload, with any chunked transfer coding and gzip content coding undone.
    payload: Vec<u8>,
}

impl HttpResponse {
    /// Parses an HTTP/1.x response; `None` when it is not a 2xx response with an HTML
    /// payload.
    fn parse(bytes: &[u8]) -> std::result::Result<Option<HttpResponse>, ErrorKind> {
        let Some((head, payload)) = split_head(bytes) else {
            return Err(bad_http("has no blank line after its header"));
        };
        let Some(head) = parse_head(head)? else { return Ok(None) };
        let mut payload = payload.to_vec();
        if head.chunked {
            payload = dechunk(&payload).ok_or_else(|| bad_http("has a broken chunked body"))?;
        }
        match head.content_encoding.as_deref() {
            None | Some("" | "identity") => {}
            Some("gzip" | "x-gzip") => {
                let mut decoded = Vec::new();
                let decoder = flate2::read::MultiGzDecoder::new(payload.as_slice());
                decoder
                    .take(MAX_PAYLOAD_BYTES)
                    .read_to_end(&mut decoded)
                    .map_err(|error| bad_http(&format!("has a broken gzip body: {error}")))?;
                payload = decoded;
            }
            Some(other) => {
                return Err(bad_http(&format!("has an unsupported Content-Encoding {other:?}")));
            }
        }
        Ok(Some(HttpResponse { payload }))
    }
}

/// What the head of a 2xx HTML response says about its payload.
struct HttpHead {
    /// Whether the payload has the chunked transfer coding.
    chunked: bool,
    /// Its `Content-Encoding`, lower-cased.
    content_encoding: Option<String>,
}

fn bad_http(msg: &str) -> ErrorKind {
    ErrorKind::Warc { msg: format!("the HTTP response {msg}") }
}

/// An HTTP message cut after its head (status line and headers) and the blank line that
/// ends it: the head and the payload.
fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    match find(bytes, b"\r\n\r\n") {
        Some(at) => Some((&bytes[..at], &bytes[at + 4..])),
        None => find(bytes, b"\n\n").map(|at| (&bytes[..at], &bytes[at + 2..])),
    }
}

/// Parses the head of an HTTP/1.x response; `None` when it is not a 2xx response with
/// an HTML payload.
fn parse_head(head: &[u8]) -> std::result::Result<Option<HttpHead>, ErrorKind> {
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let (Some(protocol), Some(status)) = (parts.next(), parts.next()) else {
        return Err(bad_http(&format!("has a bad status line: {status_line:?}")));
    };
    if !protocol.starts_with("HTTP/") || status.len() != 3 || status.parse::<u16>().is_err() {
        return Err(bad_http(&format!("has a bad status line: {status_line:?}")));
    }
    if !status.starts_with('2') {
        return Ok(None);
    }
    let header = |name: &str| {
        lines.clone().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_ascii_lowercase())
        })
    };
    let content_type = header("Content-Type").unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence != "text/html" && essence != "application/xhtml+xml" {
        return Ok(None);
    }
    Ok(Some(HttpHead {
        chunked: header("Transfer-Encoding").is_some_and(|coding| coding.contains("chunked")),
        content_encoding: header("Content-Encoding"),
    }))
}

/// Undoes the chunked transfer coding; `None` when the chunks are broken.
fn dechunk(mut bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    loop {
        let line_end = find(bytes, b"\n")?;
        let size_line = std::str::from_utf8(&bytes[..line_end]).ok()?;
        let size = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        bytes = &bytes[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(bytes.get(..size)?);
        bytes = &bytes[size..];
        bytes = bytes.strip_prefix(b"\r\n").or_else(|| bytes.strip_prefix(b"\n"))?;
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;

    use super::*;

    const PAGE: &str = "<!doctype html><html><head><title>Kenya and Uganda sign a water \
        accord</title></head><body><nav>Home | World</nav><article><p>Kenya and Uganda \
        signed an accord on Tuesday to share the water of Lake Victoria, ending a dispute \
        that had lasted two years.</p><p>\"This is a good day,\" said Kenyan minister Amara \
        Odhiambo.</p></article></body></html>";

    /// A record with these headers and body, as a WARC writer writes it.
    fn record(headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        let mut out = b"WARC/1.1\r\n".to_vec();
        for (name, value) in headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn http(status: &str, headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
        for (name, value) in headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(payload);
        out
    }

    fn response(uri: &str, http: &[u8]) -> Vec<u8> {
        record(
            &[
                ("WARC-Type", "response"),
                ("WARC-Target-URI", uri),
                ("WARC-Date", "2025-03-04T10:00:00Z"),
                ("Content-Type", "application/http; msgtype=response"),
            ],
            http,
        )
    }

    fn records(bytes: &[u8]) -> Vec<Result<WarcRecord>> {
        WarcRecords::new(bytes, "test.warc").collect()
    }

    #[test]
    fn records_are_read_with_headers_and_bodies() {
        let mut warc = record(&[("WARC-Type", "warcinfo")], b"software: by hand\r\n");
        let second_at = warc.len() as u64;
        warc.extend(record(&[("WARC-Type", "request"), ("X-Long", "first")], b""));
        // A folded header continues on the next line.
        let folded = String::from_utf8(warc.clone()).unwrap().replace("first", "first\r\n  second");
        let records = records(folded.as_bytes());
        assert_eq!(records.len(), 2);
        let first = records[0].as_ref().unwrap();
        assert_eq!((first.offset, first.version.as_str()), (0, "WARC/1.1"));
        assert_eq!(first.record_type(), Some("warcinfo"));
        assert_eq!(first.body.as_deref(), Some(&b"software: by hand\r\n"[..]));
        let second = records[1].as_ref().unwrap();
        assert_eq!(second.offset, second_at);
        assert_eq!(second.header("x-long"), Some("first second"));
        assert_eq!((second.content_length, second.body.as_deref()), (0, Some(&b""[..])));
    }

    #[test]
    fn bodies_not_wanted_are_read_past() {
        let mut warc = record(&[("WARC-Type", "request")], b"GET / HTTP/1.1\r\n\r\n");
        warc.extend(record(&[("WARC-Type", "metadata")], b"fetchTimeMs: 12\r\n"));
        let records: Vec<WarcRecord> = WarcRecords::new(warc.as_slice(), "test.warc")
            .keep_bodies_of(|record| record.record_type() == Some("metadata"))
            .map(|record| record.unwrap())
            .collect();
        assert_eq!(records[0].body, None);
        assert_eq!(records[0].content_length, 18);
        assert_eq!(records[1].body.as_deref(), Some(&b"fetchTimeMs: 12\r\n"[..]));
    }

    #[test]
    fn a_malformed_record_is_reported_and_the_next_one_read() {
        let good = record(&[("WARC-Type", "resource")], b"Ghana thanked Togo.");
        // No Content-Length: reported at its offset, then the reader looks for the next
        // version line.
        let mut warc = good.clone();
        let bad_at = warc.len();
        warc.extend_from_slice(b"WARC/1.1\r\nWARC-Type: resource\r\n\r\nsome body\r\n\r\n");
        // A Content-Length too short: the body does not end with the blank lines.
        let short_at = warc.len();
        warc.extend_from_slice(b"WARC/1.0\r\nContent-Length: 3\r\n\r\nGhana thanked Togo.\r\n\r\n");
        let mid_at = warc.len();
        warc.extend(good.clone());
        // Garbage between records.
        let garbage_at = warc.len();
        warc.extend_from_slice(b"garbage line\r\nmore\r\n");
        let last_at = warc.len();
        warc.extend(good);

        let results = records(&warc);
        let summary: Vec<String> = results
            .iter()
            .map(|result| match result {
                Ok(record) => format!("ok {}", record.offset),
                Err(error) => error.to_string(),
            })
            .collect();
        let error_at =
            |at: usize| format!("test.warc: record at byte {at}: malformed WARC record: ");
        assert_eq!(summary.len(), 6, "{summary:#?}");
        assert_eq!(summary[0], "ok 0");
        assert_eq!(summary[1], format!("{}no Content-Length header", error_at(bad_at)));
        assert!(summary[2].starts_with(&error_at(short_at)), "{}", summary[2]);
        assert!(summary[2].contains("does not end with a blank line"), "{}", summary[2]);
        assert_eq!(summary[3], format!("ok {mid_at}"));
        assert_eq!(
            summary[4],
            format!(
                "{}expected a WARC/1.x version line, found \"garbage line\"",
                error_at(garbage_at)
            )
        );
        assert_eq!(summary[5], format!("ok {last_at}"));
    }

    #[test]
    fn a_truncated_body_ends_the_stream() {
        let mut warc = record(&[], b"complete");
        let cut_at = warc.len();
        warc.extend_from_slice(b"WARC/1.1\r\nContent-Length: 100\r\n\r\nonly this");
        let results = records(&warc);
        assert_eq!(results.len(), 2);
        let error = results[1].as_ref().unwrap_err();
        assert_eq!(error.at, Some(Location::Offset(cut_at as u64)));
        assert!(
            error.to_string().ends_with("the input ends inside the body, after 9 of 100 bytes")
        );
        // A last record without its closing blank lines is fine; so are bare \n.
        let results = records(b"\n\nWARC/1.0\nContent-Length: 2\n\nok");
        assert_eq!(results[0].as_ref().unwrap().body.as_deref(), Some(&b"ok"[..]));
        assert_eq!(records(b"").len(), 0);
        assert_eq!(records(b"\r\n\r\n").len(), 0);
    }

    #[test]
    fn a_too_large_body_is_skipped_and_reported() {
        let mut warc = b"WARC/1.1\r\nWARC-Type: response\r\n".to_vec();
        let length = MAX_BODY_BYTES + 1;
        warc.extend_from_slice(format!("Content-Length: {length}\r\n\r\n").as_bytes());
        warc.resize(warc.len() + length as usize, b'x');
        warc.extend_from_slice(b"\r\n\r\n");
        warc.extend(record(&[], b"next"));
        let results = records(&warc);
        assert_eq!(results.len(), 2);
        assert!(
            results[0].as_ref().unwrap_err().to_string().contains("larger than the 16 MiB limit")
        );
        assert_eq!(results[1].as_ref().unwrap().body.as_deref(), Some(&b"next"[..]));
    }

    #[test]
    fn bodies_are_kept_or_read_past_after_a_peek() {
        let long = vec![b'y'; PEEK_BYTES as usize * 3];
        let mut warc = record(&[("WARC-Type", "resource")], &long);
        warc.extend(record(&[("WARC-Type", "resource")], b"keep me"));
        warc.extend(record(&[("WARC-Type", "metadata")], b"not even peeked"));
        let records: Vec<WarcRecord> = WarcRecords::new(warc.as_slice(), "test.warc")
            .keep_bodies_of(|record| record.record_type() == Some("resource"))
            .peek_bodies_of(|_, start| start.starts_with(b"keep"))
            .map(|record| record.unwrap())
            .collect();
        assert_eq!(records.len(), 3);
        assert_eq!(
            (records[0].content_length, records[0].body.as_deref()),
            (long.len() as u64, None)
        );
        assert_eq!(records[1].body.as_deref(), Some(&b"keep me"[..]));
        assert_eq!(records[2].body, None);
        // A peek that keeps gets the whole body, start and rest.
        let all: Vec<WarcRecord> = WarcRecords::new(warc.as_slice(), "test.warc")
            .peek_bodies_of(|_, start| start.len() as u64 == PEEK_BYTES.min(start.len() as u64))
            .map(|record| record.unwrap())
            .collect();
        assert_eq!(all[0].body.as_deref(), Some(long.as_slice()));
    }

    #[test]
    fn a_large_image_response_is_read_past_without_an_error() {
        // Larger than the body limit: a kept body that size would be an error.
        let image = vec![0xd8u8; MAX_BODY_BYTES as usize + 1];
        let mut warc = response(
            "https://courier.example/photo.jpg",
            &http("200 OK", &[("Content-Type", "image/jpeg")], &image),
        );
        warc.extend(response(
            "https://courier.example/water",
            &http("200 OK", &[("Content-Type", "text/html")], PAGE.as_bytes()),
        ));
        let articles: Vec<Result<Article>> =
            WarcArticles::new(warc.as_slice(), "test.warc").collect();
        assert_eq!(articles.len(), 1);
        let article = articles[0].as_ref().unwrap();
        assert_eq!(article.url.as_deref(), Some("https://courier.example/water"));
    }

    #[test]
    fn html_responses_become_articles() {
        let uri = "https://courier.example/water";
        let mut warc = record(&[("WARC-Type", "warcinfo")], b"format: WARC File Format 1.1\r\n");
        warc.extend(record(
            &[("WARC-Type", "request"), ("Content-Type", "application/http; msgtype=request")],
            b"GET /water HTTP/1.1\r\nHost: courier.example\r\n\r\n",
        ));
        warc.extend(response(
            uri,
            &http("200 OK", &[("Content-Type", "text/html; charset=utf-8")], PAGE.as_bytes()),
        ));
        // Not HTML, not a success: skipped.
        warc.extend(response(
            "https://courier.example/logo.png",
            &http("200 OK", &[("Content-Type", "image/png")], b"\x89PNG"),
        ));
        warc.extend(response(
            "https://courier.example/old",
            &http(
                "301 Moved Permanently",
                &[("Content-Type", "text/html")],
                b"<a href=/new>moved</a>",
            ),
        ));
        // Chunked and gzipped.
        let mut gzipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gzipped.write_all(PAGE.replace("Tuesday", "Friday").as_bytes()).unwrap();
        let gzipped = gzipped.finish().unwrap();
        let (left, right) = gzipped.split_at(10);
        let mut chunked = format!("{:x}\r\n", left.len()).into_bytes();
        chunked.extend_from_slice(left);
        chunked.extend_from_slice(format!("\r\n{:x};ext=1\r\n", right.len()).as_bytes());
        chunked.extend_from_slice(right);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let headers = [
            ("Content-Type", "text/html"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Encoding", "gzip"),
        ];
        warc.extend(response(
            "<https://courier.example/friday>",
            &http("200 OK", &headers, &chunked),
        ));
        // A page without an article is reported at its record.
        let empty_at = warc.len() as u64;
        warc.extend(response(
            "https://courier.example/nav",
            &http(
                "200 OK",
                &[("Content-Type", "text/html")],
                b"<html><body><nav></nav></body></html>",
            ),
        ));

        let results: Vec<Result<Article>> = WarcArticles::new(warc.as_slice(), "cc.warc").collect();
        assert_eq!(results.len(), 3, "{results:#?}");
        let first = results[0].as_ref().unwrap();
        assert_eq!(first.url.as_deref(), Some(uri));
        assert_eq!(first.published.as_deref(), Some("2025-03-04T10:00:00Z"));
        assert_eq!(first.title.as_deref(), Some("Kenya and Uganda sign a water accord"));
        assert!(
            first.text.starts_with("Kenya and Uganda signed an accord on Tuesday"),
            "{}",
            first.text
        );
        assert!(!first.text.contains("Home | World"));
        let second = results[1].as_ref().unwrap();
        assert_eq!(second.url.as_deref(), Some("https://courier.example/friday"));
        assert!(second.text.contains("on Friday"), "{}", second.text);
        let error = results[2].as_ref().unwrap_err();
        assert_eq!(error.at, Some(Location::Offset(empty_at)));
        assert!(matches!(error.kind, ErrorKind::NoArticle));
    }

    #[test]
    fn bad_http_is_reported() {
        let warc = response("https://x.example/", b"not http at all");
        let results: Vec<Result<Article>> = WarcArticles::new(warc.as_slice(), "cc.warc").collect();
        assert_eq!(results.len(), 1);
        assert!(
            results[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("the HTTP response has no blank line")
        );
        assert_eq!(dechunk(b"3\r\nabc\r\n0\r\n\r\n").as_deref(), Some(&b"abc"[..]));
        assert_eq!(dechunk(b"zz\r\nabc"), None);
        assert_eq!(dechunk(b"5\r\nabc"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Any bytes: no panic, and the reader always ends.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let results = records(&bytes);
            prop_assert!(results.len() <= bytes.len() + 1);
        }

        /// Records with arbitrary bodies and mangled bytes around them: no panic.
        #[test]
        fn mangled_records_never_panic(
            body in proptest::collection::vec(any::<u8>(), 0..256),
            cut in 0usize..400,
            junk in proptest::collection::vec(any::<u8>(), 0..32),
        ) {
            let mut warc = record(&[("WARC-Type", "response"), ("Content-Type", "application/http")], &body);
            let cut = cut.min(warc.len());
            warc.splice(cut..cut, junk);
            warc.extend(record(&[("WARC-Type", "resource")], b"last"));
            let _ = records(&warc);
            let _: Vec<Result<Article>> = WarcArticles::new(warc.as_slice(), "p.warc").collect();
        }

        /// Well-formed records are read back exactly.
        #[test]
        fn records_round_trip(bodies in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..128), 0..5)) {
            let mut warc = Vec::new();
            for body in &bodies {
                warc.extend(record(&[("WARC-Type", "resource")], body));
            }
            let read: Vec<Vec<u8>> = records(&warc).into_iter().map(|r| r.unwrap().body.unwrap()).collect();
            prop_assert_eq!(read, bodies);
        }
    }
}

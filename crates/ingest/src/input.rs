//! Inputs: which files to read (expanding directories), in which format, and reading them.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use newsgraph_model::Article;

use crate::feed::{looks_like_feed, read_feed};
use crate::html::article_from_html;
use crate::jsonl::JsonlArticles;
use crate::text::article_from_text;
use crate::warc::WarcArticles;
use crate::{Error, ErrorKind, Result};

/// How many leading bytes [`InputFormat::Auto`] looks at to tell HTML from text.
const SNIFF_BYTES: usize = 4 * 1024;

/// The extensions of files that a directory walk takes (compared case-insensitively);
/// `.xml` files are taken when they are feeds, and `.gz` files when they are
/// `.warc.gz`.
const EXTENSIONS: &[&str] =
    &["txt", "text", "html", "htm", "xhtml", "jsonl", "ndjson", "rss", "atom", "warc"];

/// The first bytes of a gzip member.
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// The format of an input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Decide per input: `.html`/`.htm`/`.xhtml` is HTML, `.jsonl`/`.ndjson` is JSONL,
    /// `.rss`/`.atom` is a feed, `.warc`/`.warc.gz` is WARC; otherwise content whose
    /// first element is `<rss>`, `<feed>` or `<rdf:RDF>` is a feed, content that starts
    /// with `<` (after a BOM and whitespace) and has `<html`, `<body`, `<p`, `<div` or
    /// `<article` in its first 4 KB is HTML, and anything else is text.
    #[default]
    Auto,
    /// Plain text, one article per input.
    Text,
    /// An HTML page, one article per input.
    Html,
    /// JSON Lines, one article record per line.
    Jsonl,
    /// An RSS, Atom (or JSON Feed) file, one article per entry.
    Feed,
    /// A WARC file, plain or gzipped: one article per HTML response record.
    Warc,
}

impl FromStr for InputFormat {
    type Err = String;

    /// Parses `auto`, `text` (or `txt`), `html`, `jsonl` (or `ndjson`), `feed` (or `rss`,
    /// `atom`) or `warc`, in any case.
    fn from_str(name: &str) -> std::result::Result<InputFormat, String> {
        match name.to_ascii_lowercase().as_str() {
            "auto" => Ok(InputFormat::Auto),
            "text" | "txt" => Ok(InputFormat::Text),
            "html" => Ok(InputFormat::Html),
            "jsonl" | "ndjson" => Ok(InputFormat::Jsonl),
            "feed" | "rss" | "atom" => Ok(InputFormat::Feed),
            "warc" => Ok(InputFormat::Warc),
            _ => {
                Err(format!("expected one of auto, text, html, jsonl, feed, warc, found {name:?}"))
            }
        }
    }
}

impl InputFormat {
    /// The format that a file name's extension implies, if it implies one.
    fn from_extension(path: &Path) -> Option<InputFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "html" | "htm" | "xhtml" => Some(InputFormat::Html),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "rss" | "atom" => Some(InputFormat::Feed),
            "warc" => Some(InputFormat::Warc),
            "gz" if is_warc_gz(path) => Some(InputFormat::Warc),
            _ => None,
        }
    }
}

/// One input to read: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InputFile {
    /// The name to show in messages: the path as given (or as found in a directory
    /// given), or `-` for standard input.
    pub name: String,
    /// The file to read; `None` for standard input.
    pub path: Option<PathBuf>,
}

impl InputFile {
    /// Standard input.
    pub fn stdin() -> InputFile {
        InputFile { name: "-".to_owned(), path: None }
    }

    /// A file, named by its path.
    pub fn file(path: impl Into<PathBuf>) -> InputFile {
        let path = path.into();
        InputFile { name: path.to_string_lossy().into_owned(), path: Some(path) }
    }
}

/// Expands the paths given by a user into the inputs to read, in order.
///
/// `-` is standard input. A file is taken whatever its extension. A directory is walked
/// recursively in sorted (byte-wise by name, so deterministic) order, taking files with
/// the extensions `txt`, `text`, `html`, `htm`, `xhtml`, `jsonl`, `ndjson`, `rss`,
/// `atom`, `warc` and `warc.gz` (in any case), and `xml` files whose first element is a
/// feed's, and skipping hidden files and directories (names starting with `.`); symbolic
/// links to files are taken, symbolic links to directories are not followed, so that a
/// link cycle cannot make the walk endless. A path that does not exist, or a directory
/// that cannot be read, is an error naming it, in its place in the order.
pub fn expand_inputs(paths: &[PathBuf]) -> Vec<Result<InputFile>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Ok(InputFile::stdin()));
            continue;
        }
        match fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => walk_directory(path, &mut inputs),
            Ok(_) => inputs.push(Ok(InputFile::file(path))),
            Err(error) => inputs.push(Err(io_error(path, error))),
        }
    }
    inputs
}

fn walk_directory(directory: &Path, inputs: &mut Vec<Result<InputFile>>) {
    let entries = match fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) => return inputs.push(Err(io_error(directory, error))),
    };
    let mut entries: Vec<fs::DirEntry> = match entries.collect() {
        Ok(entries) => entries,
        Err(error) => return inputs.push(Err(io_error(directory, error))),
    };
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        let file_type = match entry.file_type() {
            Ok(file_type) => file_type,
            Err(error) => {
                inputs.push(Err(io_error(&path, error)));
                continue;
            }
        };
        if file_type.is_dir() {
            walk_directory(&path, inputs);
            continue;
        }
        // A symbolic link counts if it leads to a file (`metadata` follows links).
        let is_file = file_type.is_file()
            || (file_type.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_file()));
        if is_file && (has_input_extension(&path) || is_xml_feed(&path)) {
            inputs.push(Ok(InputFile::file(path)));
        }
    }
}

fn has_input_extension(path: &Path) -> bool {
    is_warc_gz(path)
        || path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(extension)))
}

/// Whether a file name ends with `.warc.gz` (in any case).
fn is_warc_gz(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.to_ascii_lowercase().ends_with(".warc.gz"))
}

/// Whether a file is an `.xml` file whose first element is a feed's (an unreadable one
/// is not).
fn is_xml_feed(path: &Path) -> bool {
    let is_xml = path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("xml"));
    is_xml
        && File::open(path).is_ok_and(|file| {
            let mut head = Vec::with_capacity(SNIFF_BYTES);
            file.take(SNIFF_BYTES as u64).read_to_end(&mut head).is_ok() && looks_like_feed(&head)
        })
}

fn io_error(path: &Path, error: std::io::Error) -> Error {
    Error::new(path.to_string_lossy(), error.into())
}

/// Reads one input into articles: one for text or HTML, one per non-blank line for
/// JSONL, one per entry for a feed, one per HTML response record for WARC.
///
/// JSONL is streamed line by line and WARC record by record (gzipped WARC, found by its
/// first bytes, is decompressed on the fly), so a file of any size can be read; a bad
/// line or record yields an error with its line number or byte offset and the following
/// ones are still read. Text, HTML and feeds are read whole. Errors name the input (and
/// where in it); a file that cannot be opened yields a single error.
pub fn read_input(
    input: &InputFile,
    format: InputFormat,
) -> Box<dyn Iterator<Item = Result<Article>>> {
    let name = input.name.clone();
    let fail = |kind: ErrorKind| -> Box<dyn Iterator<Item = Result<Article>>> {
        Box::new(std::iter::once(Err(Error::new(input.name.clone(), kind))))
    };
    let mut reader: Box<dyn BufRead> = match &input.path {
        None => Box::new(std::io::stdin().lock()),
        Some(path) => match File::open(path) {
            Ok(file) => Box::new(BufReader::with_capacity(64 * 1024, file)),
            Err(error) => return fail(error.into()),
        },
    };
    let format = match format {
        InputFormat::Auto => {
            input.path.as_deref().and_then(InputFormat::from_extension).unwrap_or(InputFormat::Auto)
        }
        format => format,
    };
    match format {
        InputFormat::Jsonl => return Box::new(JsonlArticles::new(reader, name)),
        InputFormat::Warc => {
            let is_gzip = match reader.fill_buf() {
                Ok(head) => head.starts_with(GZIP_MAGIC),
                Err(error) => return fail(error.into()),
            };
            if is_gzip {
                let decoder = flate2::bufread::MultiGzDecoder::new(reader);
                let reader = BufReader::with_capacity(64 * 1024, decoder);
                return Box::new(WarcArticles::new(reader, name));
            }
            return Box::new(WarcArticles::new(reader, name));
        }
        _ => {}
    }
    let mut bytes = Vec::new();
    if let Err(error) = reader.read_to_end(&mut bytes) {
        return fail(error.into());
    }
    if format == InputFormat::Feed || (format == InputFormat::Auto && looks_like_feed(&bytes)) {
        return read_feed(&bytes, &name);
    }
    let is_html = match format {
        InputFormat::Html => true,
        InputFormat::Text => false,
        _ => looks_like_html(&bytes),
    };
    let article = if is_html { article_from_html(&bytes, None) } else { article_from_text(&bytes) };
    Box::new(std::iter::once(article.map_err(|kind| Error::new(name, kind))))
}

/// Whether content looks like an HTML page, as [`InputFormat::Auto`] describes.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let head: Vec<u8> = match encoding_rs::Encoding::for_bom(head) {
        // UTF-16 has a NUL byte in every ASCII character: decode before looking.
        Some((encoding, bom_len)) if encoding != encoding_rs::UTF_8 => {
            encoding.decode_without_bom_handling(&head[bom_len..]).0.as_bytes().to_vec()
        }
        Some((_, bom_len)) => head[bom_len..].to_vec(),
        None => head.to_vec(),
    };
    let head = head.to_ascii_lowercase();
    let Some(first) = head.iter().find(|byte| !byte.is_ascii_whitespace()) else {
        return false;
    };
    *first == b'<'
        && [&b"<html"[..], b"<body", b"<p", b"<div", b"<article"]
            .iter()
            .any(|marker| head.windows(marker.len()).any(|window| window == *marker))
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    const PAGE: &str = "<!doctype html><html><body><article><p>Anna Brel, the finance \
        minister of Veloria, presented the budget to parliament on Tuesday and took \
        questions from the opposition for two hours.</p></article></body></html>";

    fn names(inputs: &[Result<InputFile>], root: &Path) -> Vec<String> {
        inputs
            .iter()
            .map(|input| match input {
                Ok(input) => match &input.path {
                    Some(path) => path.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                    None => input.name.clone(),
                },
                Err(error) => format!("error: {}", error.kind),
            })
            .collect()
    }

    #[test]
    fn directories_are_walked_in_order_with_filtering() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        for file in [
            "b.txt",
            "a.HTML",
            "c.jsonl",
            "d.pdf",
            "noextension",
            ".hidden.txt",
            "sub/z.ndjson",
            "sub/a.text",
            "sub/.git/x.txt",
            ".hiddendir/y.txt",
            "sub2/page.XHTML",
            "sub2/page.htm",
            "feeds/a.rss",
            "feeds/b.Atom",
            "feeds/c.xml",
            "feeds/d.xml",
            "crawl/e.warc",
            "crawl/f.WARC.GZ",
            "crawl/g.gz",
        ] {
            let path = dir.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "Veloria").unwrap();
        }
        // Only the .xml file that is a feed is taken.
        fs::write(dir.join("feeds/c.xml"), "<?xml version=\"1.0\"?>\n<rss><channel/></rss>")
            .unwrap();
        let explicit = dir.join("d.pdf");
        let inputs = expand_inputs(&[dir.to_path_buf(), PathBuf::from("-"), explicit]);
        assert_eq!(
            names(&inputs, dir),
            [
                "a.HTML",
                "b.txt",
                "c.jsonl",
                "crawl/e.warc",
                "crawl/f.WARC.GZ",
                "feeds/a.rss",
                "feeds/b.Atom",
                "feeds/c.xml",
                "sub/a.text",
                "sub/z.ndjson",
                "sub2/page.XHTML",
                "sub2/page.htm",
                "-",
                "d.pdf"
            ]
        );
        let first = inputs[0].as_ref().unwrap();
        assert_eq!(first.name, dir.join("a.HTML").to_string_lossy());
    }

    #[test]
    fn a_missing_path_is_an_error_naming_it() {
        let root = tempfile::tempdir().unwrap();
        let missing = root.path().join("nowhere.txt");
        let inputs = expand_inputs(std::slice::from_ref(&missing));
        let error = inputs[0].as_ref().unwrap_err();
        assert_eq!(error.input, missing.to_string_lossy());
        assert!(matches!(error.kind, ErrorKind::Io { .. }));
        assert!(error.to_string().contains("nowhere.txt: cannot read: "), "{error}");
    }

    #[test]
    fn auto_format_by_extension_then_content() {
        let root = tempfile::tempdir().unwrap();
        let write = |name: &str, content: &str| {
            let path = root.path().join(name);
            fs::write(&path, content).unwrap();
            InputFile::file(path)
        };
        let read = |input: &InputFile| -> Vec<Result<Article>> {
            read_input(input, InputFormat::Auto).collect()
        };

        // HTML sniffed from content despite the .txt extension.
        let html_in_txt = write("page.txt", &format!("\u{feff}  \n{PAGE}"));
        let article = read(&html_in_txt).pop().unwrap().unwrap();
        assert!(article.text.starts_with("Anna Brel, the finance minister"), "{}", article.text);

        // Text that mentions tags but is not a page.
        let text = write("note.txt", "Use <p> for paragraphs, said Anna Brel.");
        let article = read(&text).pop().unwrap().unwrap();
        assert_eq!(article.text, "Use <p> for paragraphs, said Anna Brel.");

        // The extension decides over content.
        let as_text = read_input(&html_in_txt, InputFormat::Text).next().unwrap().unwrap();
        assert!(as_text.text.contains("<article>"));
        let jsonl = write("feed.NDJSON", "{\"id\": \"v1\", \"text\": \"Veloria\"}\n\n");
        let articles = read(&jsonl);
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].as_ref().unwrap().id, "v1");

        let empty = write("empty.htm", "");
        let error = read(&empty).pop().unwrap().unwrap_err();
        assert!(matches!(error.kind, ErrorKind::Empty));
        assert_eq!(error.to_string(), format!("{}: input is empty", empty.name));

        let missing = InputFile::file(root.path().join("gone.txt"));
        let results = read(&missing);
        assert_eq!(results.len(), 1);
        assert!(matches!(results[0].as_ref().unwrap_err().kind, ErrorKind::Io { .. }));
    }

    #[test]
    fn feeds_and_warc_files_by_extension_and_content() {
        use std::io::Write;

        let root = tempfile::tempdir().unwrap();
        let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Courier</title>\
            <item><title>Ghana thanks Togo</title><description>Ghana thanked Togo on Monday \
            for its help.</description></item></channel></rss>";
        let page = PAGE.as_bytes();
        let http =
            [b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".as_slice(), page].concat();
        let mut warc = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/budget\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            http.len()
        )
        .into_bytes();
        warc.extend_from_slice(&http);
        warc.extend_from_slice(b"\r\n\r\n");
        // Two records, each its own gzip member, as Common Crawl writes them.
        let mut gzipped = Vec::new();
        for _ in 0..2 {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(&warc).unwrap();
            gzipped.extend(encoder.finish().unwrap());
        }
        let write = |name: &str, content: &[u8]| {
            let path = root.path().join(name);
            fs::write(&path, content).unwrap();
            InputFile::file(path)
        };
        let read = |input: &InputFile, format: InputFormat| -> Vec<Article> {
            read_input(input, format).map(|article| article.unwrap()).collect()
        };

        for name in ["news.rss", "news.xml", "news-without-extension"] {
            let articles = read(&write(name, feed.as_bytes()), InputFormat::Auto);
            assert_eq!(articles.len(), 1, "{name}");
            assert_eq!(articles[0].outlet.as_deref(), Some("Courier"));
        }
        let forced = read(&write("feed.txt", feed.as_bytes()), InputFormat::Feed);
        assert_eq!(forced[0].title.as_deref(), Some("Ghana thanks Togo"));

        let plain = read(&write("crawl.warc", &warc), InputFormat::Auto);
        assert_eq!(plain.len(), 1);
        assert_eq!(plain[0].url.as_deref(), Some("https://x.example/budget"));
        assert!(plain[0].text.starts_with("Anna Brel, the finance minister"));
        let gz = read(&write("crawl.warc.gz", &gzipped), InputFormat::Auto);
        assert_eq!(gz.len(), 2);
        assert_eq!(gz[1].text, plain[0].text);
        // --input-format warc finds the compression by the content.
        assert_eq!(read(&write("crawl.bin", &gzipped), InputFormat::Warc).len(), 2);
    }

    #[test]
    fn html_is_sniffed_only_from_tags_at_the_start() {
        assert!(looks_like_html(b"<html><body>x</body></html>"));
        assert!(looks_like_html(b"\xef\xbb\xbf\n <DIV>Veloria</DIV>"));
        assert!(!looks_like_html(b"Veloria <p> is not a page"));
        assert!(!looks_like_html(b"<note>Veloria</note>"));
        assert!(!looks_like_html(b""));
        let utf16: Vec<u8> = [0xfeff_u16]
            .into_iter()
            .chain("<html><p>Veloria</p></html>".encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(looks_like_html(&utf16));
    }

    #[test]
    fn format_names_parse() {
        assert_eq!("HTML".parse::<InputFormat>(), Ok(InputFormat::Html));
        assert_eq!("ndjson".parse::<InputFormat>(), Ok(InputFormat::Jsonl));
        assert_eq!(
            "pdf".parse::<InputFormat>(),
            Err("expected one of auto, text, html, jsonl, feed, warc, found \"pdf\"".to_owned())
        );
    }
}

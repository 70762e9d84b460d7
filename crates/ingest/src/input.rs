//! Inputs: which files to read (expanding directories), in which format, and reading them.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use newsgraph_model::Article;

use crate::html::article_from_html;
use crate::jsonl::JsonlArticles;
use crate::text::article_from_text;
use crate::{Error, ErrorKind, Result};

/// How many leading bytes [`InputFormat::Auto`] looks at to tell HTML from text.
const SNIFF_BYTES: usize = 4 * 1024;

/// The extensions of files that a directory walk takes (compared case-insensitively).
const EXTENSIONS: &[&str] = &["txt", "text", "html", "htm", "xhtml", "jsonl", "ndjson"];

/// The format of an input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Decide per input: `.html`/`.htm`/`.xhtml` is HTML, `.jsonl`/`.ndjson` is JSONL;
    /// otherwise content that starts with `<` (after a BOM and whitespace) and has
    /// `<html`, `<body`, `<p`, `<div` or `<article` in its first 4 KB is HTML, and
    /// anything else is text.
    #[default]
    Auto,
    /// Plain text, one article per input.
    Text,
    /// An HTML page, one article per input.
    Html,
    /// JSON Lines, one article record per line.
    Jsonl,
}

impl FromStr for InputFormat {
    type Err = String;

    /// Parses `auto`, `text` (or `txt`), `html` or `jsonl` (or `ndjson`), in any case.
    fn from_str(name: &str) -> std::result::Result<InputFormat, String> {
        match name.to_ascii_lowercase().as_str() {
            "auto" => Ok(InputFormat::Auto),
            "text" | "txt" => Ok(InputFormat::Text),
            "html" => Ok(InputFormat::Html),
            "jsonl" | "ndjson" => Ok(InputFormat::Jsonl),
            _ => Err(format!("expected one of auto, text, html, jsonl, found {name:?}")),
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
/// the extensions `txt`, `text`, `html`, `htm`, `xhtml`, `jsonl` and `ndjson` (in any
/// case) and skipping hidden files and directories (names starting with `.`); symbolic
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
        if is_file && has_input_extension(&path) {
            inputs.push(Ok(InputFile::file(path)));
        }
    }
}

fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(extension)))
}

fn io_error(path: &Path, error: std::io::Error) -> Error {
    Error::new(path.to_string_lossy(), error.into())
}

/// Reads one input into articles: one for text or HTML, one per non-blank line for
/// JSONL.
///
/// JSONL is streamed line by line, so a file of any size can be read; a bad line yields
/// an error with its line number and the following lines are still read. Text and HTML
/// are read whole. Errors name the input (and line); a file that cannot be opened
/// yields a single error.
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
    if format == InputFormat::Jsonl {
        return Box::new(JsonlArticles::new(reader, name));
    }
    let mut bytes = Vec::new();
    if let Err(error) = reader.read_to_end(&mut bytes) {
        return fail(error.into());
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
        ] {
            let path = dir.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "Veloria").unwrap();
        }
        let explicit = dir.join("d.pdf");
        let inputs = expand_inputs(&[dir.to_path_buf(), PathBuf::from("-"), explicit]);
        assert_eq!(
            names(&inputs, dir),
            [
                "a.HTML",
                "b.txt",
                "c.jsonl",
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
            Err("expected one of auto, text, html, jsonl, found \"pdf\"".to_owned())
        );
    }
}

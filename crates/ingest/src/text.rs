//! Plain text: decoding bytes of unknown encoding, and the text reader.

use std::borrow::Cow;
use std::sync::LazyLock;

use chardetng::{Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;
use newsgraph_model::Article;
use regex::Regex;

use crate::ErrorKind;

/// How many leading bytes the binary check looks at.
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// How many leading bytes chardetng sees. Its guess does not improve much past a few
/// tens of kilobytes, and feeding a 100 MB file would cost a second for nothing.
const DETECT_BYTES: usize = 256 * 1024;

/// Decodes bytes of unknown encoding into text.
///
/// In order: a byte order mark (UTF-8, UTF-16LE/BE) decides the encoding; data with
/// NUL bytes or more than 10% control characters (other than tab, newline, carriage
/// return and form feed) in its first 8 KB is [`ErrorKind::Binary`]; valid UTF-8 is
/// taken as is; anything else is decoded in the encoding that `chardetng` guesses
/// (typically windows-1252 or another legacy code page). Undecodable bytes become
/// U+FFFD. The result never starts with a byte order mark.
pub fn decode_text(bytes: &[u8]) -> Result<String, ErrorKind> {
    decode_with(bytes, None)
}

/// Like [`decode_text`], with an encoding declared by the source (an HTML `<meta
/// charset>`) taking the place of the UTF-8 check and the guess. A BOM still wins, as
/// browsers do it.
pub(crate) fn decode_with(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<String, ErrorKind> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(text.into_owned());
    }
    if looks_binary(bytes) {
        return Err(ErrorKind::Binary);
    }
    let encoding = match declared {
        Some(encoding) => encoding,
        None => match std::str::from_utf8(bytes) {
            Ok(text) => return Ok(text.to_owned()),
            Err(_) => guess_encoding(bytes),
        },
    };
    let (text, _had_errors) = encoding.decode_without_bom_handling(bytes);
    Ok(text.into_owned())
}

/// The encoding `chardetng` guesses for non-UTF-8 bytes.
fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    // ISO-2022-JP is pure 7-bit, so such input is valid UTF-8 and never gets here.
    let mut detector = chardetng::EncodingDetector::new(Iso2022JpDetection::Deny);
    let head = &bytes[..bytes.len().min(DETECT_BYTES)];
    detector.feed(head, head.len() == bytes.len());
    // No top-level domain hint; UTF-8 is allowed as a guess since the head of a file
    // can be valid UTF-8 even when a later byte is not.
    detector.guess(None, Utf8Detection::Allow)
}

/// Whether the head of `bytes` looks like binary data rather than text.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    if head.is_empty() {
        return false;
    }
    let mut n_control = 0usize;
    for &byte in head {
        match byte {
            0 => return true,
            b'\t' | b'\n' | b'\r' | 0x0c => {}
            0x01..=0x1f | 0x7f => n_control += 1,
            _ => {}
        }
    }
    n_control * 10 > head.len()
}

/// Reads a plain-text article: decodes it ([`decode_text`]) and changes nothing else.
///
/// The text is kept as it is, line endings and all, so that character offsets into it
/// are offsets into the input: annotations made on the input (gold sets, a user's own)
/// stay aligned. The stages treat `\r` as whitespace.
///
/// The id is the [`content_id`](newsgraph_model::content_id) of the text; no
/// metadata is set.
/// Empty or whitespace-only input is [`ErrorKind::Empty`].
pub fn article_from_text(bytes: &[u8]) -> Result<Article, ErrorKind> {
    let text = decode_text(bytes)?;
    if text.trim().is_empty() {
        return Err(ErrorKind::Empty);
    }
    Ok(Article::from_text(text))
}

/// Normalizes line endings and removes control characters, as [`article_from_text`]
/// describes. Borrows when there is nothing to change, which is the common case.
pub(crate) fn normalize_text(text: &str) -> Cow<'_, str> {
    // A regex rather than a loop over chars: the regex crate is built optimized even in
    // debug builds, and it scans a 100 MB file without a match in a few milliseconds.
    static ODD_CHARS: LazyLock<Regex> = LazyLock::new(|| {
        // The pattern is a constant that is known to compile (every test that reads
        // text runs it), so `unwrap` cannot fail.
        Regex::new(r"\r\n?|\x0c|[\x00-\x08\x0b\x0e-\x1f\x7f\u{feff}]").unwrap()
    });
    ODD_CHARS.replace_all(text, |captures: &regex::Captures<'_>| match &captures[0] {
        "\x0c" => "\n",
        found if found.starts_with('\r') => "\n",
        _ => "",
    })
}

#[cfg(test)]
mod tests {
    use newsgraph_model::content_id;

    use super::*;

    #[test]
    fn windows_1252_is_guessed_and_decoded() {
        // "Anna Brel visited the café in Veloria's capital." in windows-1252, long enough
        // for a confident guess, with é as 0xE9 and a typographic apostrophe as 0x92.
        let mut bytes = Vec::new();
        for _ in 0..4 {
            bytes.extend_from_slice(b"Anna Brel visited the caf\xe9 in Veloria\x92s capital. ");
        }
        assert!(std::str::from_utf8(&bytes).is_err());
        let text = decode_text(&bytes).unwrap();
        assert!(text.starts_with("Anna Brel visited the café in Veloria’s capital."), "{text}");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let text = "Minister Anna Brel spoke in Veloria.";
        let mut little = vec![0xff, 0xfe];
        let mut big = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            little.extend_from_slice(&unit.to_le_bytes());
            big.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode_text(&little).unwrap(), text);
        assert_eq!(decode_text(&big).unwrap(), text);
        assert_eq!(article_from_text(&little).unwrap().text, text);
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode_text(b"\xef\xbb\xbfVeloria").unwrap(), "Veloria");
    }

    #[test]
    fn binary_data_is_refused() {
        assert!(matches!(decode_text(b"PK\x03\x04\x00\x00binary"), Err(ErrorKind::Binary)));
        let controls: Vec<u8> = (0..100).map(|i| if i % 5 == 0 { 0x01 } else { b'a' }).collect();
        assert!(matches!(article_from_text(&controls), Err(ErrorKind::Binary)));
        // A few control characters in a long text are not binary.
        let mut text = b"Veloria holds elections. ".repeat(10);
        text.push(0x1b);
        assert!(article_from_text(&text).is_ok());
    }

    #[test]
    fn empty_and_blank_inputs_are_empty() {
        assert!(matches!(article_from_text(b""), Err(ErrorKind::Empty)));
        assert!(matches!(article_from_text(b" \n\r\n\t "), Err(ErrorKind::Empty)));
        assert!(matches!(article_from_text(b"\xef\xbb\xbf\n"), Err(ErrorKind::Empty)));
    }

    #[test]
    fn text_is_kept_as_it_is() {
        let article =
            article_from_text(b"  Anna Brel said:\r\n\"We agree.\"\rShe left.\x0cEnd\x07.\n\n")
                .unwrap();
        assert_eq!(article.text, "  Anna Brel said:\r\n\"We agree.\"\rShe left.\x0cEnd\x07.\n\n");
        assert_eq!(article.id, content_id(&article.text));
        assert_eq!(article.title, None);
    }

    #[test]
    fn a_very_large_text_is_read() {
        // 100 MB of ASCII text with Windows line endings; the fast paths (UTF-8 check,
        // SHA-256) run in optimized dependency code, so this takes about a second in a
        // debug build.
        let paragraph = "Veloria's parliament met again on Tuesday, and Anna Brel spoke.\r\n";
        let n_paragraphs = 100 * 1024 * 1024 / paragraph.len();
        let bytes = paragraph.repeat(n_paragraphs).into_bytes();
        let article = article_from_text(&bytes).unwrap();
        assert_eq!(article.text.len(), paragraph.len() * n_paragraphs);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        #[test]
        fn text_reader_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..4096)) {
            if let Ok(article) = article_from_text(&bytes) {
                proptest::prop_assert!(!article.text.trim().is_empty());
                // The text is the decoded input, unchanged.
                proptest::prop_assert_eq!(&article.id, &content_id(&article.text));
                let decoded = decode_text(&bytes).ok();
                proptest::prop_assert_eq!(Some(article.text), decoded);
            }
        }
    }
}

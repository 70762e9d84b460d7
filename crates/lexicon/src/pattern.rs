//! Helpers for the regular expressions of the rule files.

/// Rewrites `\b` as an ASCII word boundary, `(?-u:\b)`.
///
/// The rules' boundaries sit around English words and numbers, where ASCII and Unicode
/// boundaries agree; but a Unicode `\b` makes the regex engine give up its fast
/// automaton on any text with a curly quote or an accent, which made `clean` four
/// times slower on real news (measured with `newsgraph bench`).
pub(crate) fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some(escaped) => {
                out.push('\\');
                out.push(escaped);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ascii_word_boundaries;

    #[test]
    fn word_boundaries_become_ascii_and_other_escapes_stay() {
        assert_eq!(ascii_word_boundaries(r"^(?i)\bad\b\s\\b$"), r"^(?i)(?-u:\b)ad(?-u:\b)\s\\b$");
    }
}

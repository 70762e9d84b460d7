//! The `segment` stage: cuts the clean text into tokens and sentences.
//!
//! Reads: the clean text. Writes: [`Document::tokens`] and [`Document::sentences`].
//!
//! Tokens follow the Universal Dependencies English convention, which the syntax models
//! are trained on: clitics are split ("do" "n't", "Russia" "'s", "they" "'re"),
//! hyphens between words are tokens of their own, and punctuation is split off, except
//! the period of an abbreviation or initial ("U.S.", "Gen.", "K."). Ellipses, written
//! "..." or ". . .", are one token.
//!
//! Sentences end at a newline (the clean text has one paragraph per line), unless the
//! text is hard-wrapped, in which case only blank lines end paragraphs. Inside a line a
//! sentence ends after `.`, `!`, `?` or an ellipsis, plus any closing quotes and
//! brackets, when the next token can start a sentence (a capital, a digit, an opening
//! quote or bracket). The lexicon's `segment.toml` says which abbreviations never end a
//! sentence ("Dr."), which do not before a number ("No. 10") and which do only before a
//! typical sentence starter ("... in the U.S. The").
//!
//! Invariants: tokens are sorted, do not overlap, are never empty and lie on char
//! boundaries; every token belongs to exactly one sentence; sentences are sorted and do
//! not overlap.

use newsgraph_lexicon::{AbbreviationClass, SegmentRules};
use newsgraph_model::{Document, Layer, Sentence, Span, Token, TokenKind};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage =
    Stage { name: "segment", reads: &[Layer::Clean], writes: Layer::Segments, run };

fn run(doc: &mut Document, lexicon: &Lexicon) {
    let tokens = tokenize(&doc.text, &lexicon.segment);
    let sentences = split_sentences(&doc.text, &tokens, &lexicon.segment);
    doc.tokens = tokens;
    doc.sentences = sentences;
}

/// Tokenizes `text` in the UD English way.
pub fn tokenize(text: &str, rules: &SegmentRules) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < text.len() {
        let ch = char_at(text, pos);
        if ch.is_whitespace() {
            if let Some(last) = tokens.last_mut() {
                last.space_after = true;
            }
            pos += ch.len_utf8();
            continue;
        }
        let at_chunk_start = pos == 0
            || text[..pos].chars().next_back().is_some_and(|p| p.is_whitespace() || is_opening(p));
        if at_chunk_start
            && ch.is_alphanumeric()
            && let Some(end) = url_end(text, pos)
        {
            push(&mut tokens, pos, end, TokenKind::Url);
            pos = end;
            continue;
        }
        if ch.is_alphanumeric() {
            let end = word_end(text, pos);
            let word = &text[pos..end];
            let kind = if ch.is_numeric() { TokenKind::Number } else { TokenKind::Word };
            // An abbreviation or initial keeps its final period.
            if kind == TokenKind::Word && bytes.get(end) == Some(&b'.') && takes_period(word, rules)
            {
                push(&mut tokens, pos, end + 1, kind);
                pos = end + 1;
                continue;
            }
            match clitic_start(word).or_else(|| rules.split_point(word)) {
                Some(split) => {
                    push(&mut tokens, pos, pos + split, kind);
                    push(&mut tokens, pos + split, end, TokenKind::Word);
                }
                None => push(&mut tokens, pos, end, kind),
            }
            pos = end;
            continue;
        }
        if ch == '.' {
            let end = ellipsis_end(text, pos);
            push(&mut tokens, pos, end, TokenKind::Punct);
            pos = end;
            continue;
        }
        if is_punct(ch) {
            // Runs of the same mark ("!!", "--", "?!") stay together.
            let mut end = pos + ch.len_utf8();
            while end < text.len() {
                let next = char_at(text, end);
                if next == ch || (matches!(ch, '!' | '?') && matches!(next, '!' | '?')) {
                    end += next.len_utf8();
                } else {
                    break;
                }
            }
            push(&mut tokens, pos, end, TokenKind::Punct);
            pos = end;
            continue;
        }
        if is_attached_mark(ch) {
            // A combining mark or emoji modifier with nothing before it: a symbol alone.
            match tokens.last_mut() {
                Some(last) if last.span.end as usize == pos => {
                    last.span.end = (pos + ch.len_utf8()) as u32
                }
                _ => push(&mut tokens, pos, pos + ch.len_utf8(), TokenKind::Symbol),
            }
            pos += ch.len_utf8();
            continue;
        }
        let mut end = pos + ch.len_utf8();
        // Emoji sequences: joiners, variation selectors and skin tones stay attached.
        while end < text.len() && is_attached_mark(char_at(text, end)) {
            let mark = char_at(text, end);
            end += mark.len_utf8();
            // A zero-width joiner glues the next symbol on ("👩‍👩‍👧").
            if mark == '\u{200D}' && end < text.len() && !char_at(text, end).is_whitespace() {
                end += char_at(text, end).len_utf8();
            }
        }
        push(&mut tokens, pos, end, TokenKind::Symbol);
        pos = end;
    }
    tokens
}

fn push(tokens: &mut Vec<Token>, start: usize, end: usize, kind: TokenKind) {
    tokens.push(Token { span: Span::from_range(start..end), kind, space_after: false });
}

/// The char starting at byte `pos`, which is on a char boundary inside `text`.
fn char_at(text: &str, pos: usize) -> char {
    // Callers only pass boundaries inside the text.
    text[pos..].chars().next().unwrap_or('\0')
}

fn is_apostrophe(ch: char) -> bool {
    matches!(ch, '\'' | '’')
}

/// Combining marks, zero-width joiners, variation selectors and emoji modifiers: they
/// belong to the character before them.
fn is_attached_mark(ch: char) -> bool {
    matches!(ch as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C | 0x200D
        | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F)
}

/// Punctuation as opposed to symbols ($, %, &, emoji).
fn is_punct(ch: char) -> bool {
    matches!(
        ch,
        '!' | '"' | '\'' | '(' | ')' | ',' | '-' | '.' | '/' | ':' | ';' | '?' | '[' | ']' | '{' | '}' | '\\' | '_'
            | '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205E}'
            | '\u{3001}'..='\u{3003}'
            | '\u{3008}'..='\u{3011}'
            | '\u{FF01}'..='\u{FF0F}'
    )
}

/// The end of a web or e-mail address starting at `pos`, if one starts there.
fn url_end(text: &str, pos: usize) -> Option<usize> {
    // Addresses are short; looking no further than 2 KiB keeps this linear on text
    // without spaces.
    let rest = &text[pos..];
    let chunk_len = rest
        .char_indices()
        .take_while(|&(i, c)| i < 2048 && !c.is_whitespace())
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    let chunk = &rest[..chunk_len];
    let lower_prefix = |p: &str| {
        chunk.len() > p.len()
            && chunk.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p))
    };
    let is_url = lower_prefix("http://") || lower_prefix("https://") || lower_prefix("www.");
    let is_email = !is_url
        && chunk.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty()
                && user.chars().all(|c| c.is_alphanumeric() || "._%+-".contains(c))
                && host.contains('.')
                && host
                    .chars()
                    .all(|c| c.is_alphanumeric() || ".-".contains(c) || ".,;:!?)\"'”’".contains(c))
        });
    if !is_url && !is_email {
        return None;
    }
    // Trailing punctuation belongs to the sentence, not the address.
    let trimmed = chunk.trim_end_matches(|c: char| ".,;:!?)]}\"'”’»".contains(c));
    (!trimmed.is_empty()).then_some(pos + trimmed.len())
}

/// The end of the word or number starting at `pos` (an alphanumeric char).
///
/// A word goes on over letters, digits and combining marks, over an apostrophe or `&`
/// between letters ("O'Brien", "AT&T"), and over periods between short letter groups
/// ("U.S", "Ph.D"). A number goes on over `.`, `,`, `:` and `/` between digits ("3.5",
/// "1,000", "9:30", "22/11/2024").
fn word_end(text: &str, pos: usize) -> usize {
    let mut end = pos;
    let mut group_len = 0; // letters since the start or the last inner period
    let mut prev: Option<char> = None;
    let mut chars = text[pos..].char_indices().peekable();
    while let Some((offset, ch)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        let ok = if ch.is_alphanumeric() || is_attached_mark(ch) {
            group_len += 1;
            true
        } else if let (Some(p), Some(n)) = (prev, next) {
            match ch {
                '\'' | '’' => p.is_alphabetic() && n.is_alphabetic(),
                '&' => p.is_uppercase() && n.is_uppercase(),
                '.' if p.is_numeric() => n.is_numeric(),
                '.' => {
                    p.is_alphabetic() && n.is_alphabetic() && group_len <= 2 && {
                        // "U.S" and "a.m": short letter groups, each closed by a period.
                        let after = &text[pos + offset + 1..];
                        let next_group =
                            after.find(|c: char| !c.is_alphabetic()).unwrap_or(after.len());
                        next_group <= 2 && after[next_group..].starts_with('.')
                    }
                }
                ',' | ':' | '/' => p.is_numeric() && n.is_numeric(),
                _ => false,
            }
        } else {
            false
        };
        if !ok {
            break;
        }
        if ch == '.' {
            group_len = 0;
        }
        end = pos + offset + ch.len_utf8();
        prev = Some(ch);
    }
    end
}

/// True when the period after `word` belongs to it: an abbreviation of the lexicon, an
/// initial ("K."), or a word with inner periods ("U.S.").
fn takes_period(word: &str, rules: &SegmentRules) -> bool {
    let mut chars = word.chars();
    let is_initial = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    is_initial || word.contains('.') || rules.abbreviation(word).is_some()
}

/// Where a clitic starts inside `word`, UD style: "do|n't", "ca|n't", "Russia|'s",
/// "they|'re", "I|'m", "we|'ve", "he|'ll", "she|'d". Byte offset into `word`.
fn clitic_start(word: &str) -> Option<usize> {
    let (apostrophe, ch) = word.char_indices().rev().find(|&(_, c)| is_apostrophe(c))?;
    let after = &word[apostrophe + ch.len_utf8()..];
    let before = &word[..apostrophe];
    if after.eq_ignore_ascii_case("t") && before.len() > 1 && before.ends_with(['n', 'N']) {
        return Some(apostrophe - 1);
    }
    let is_clitic = ["s", "re", "ve", "ll", "d", "m"].iter().any(|c| after.eq_ignore_ascii_case(c));
    (is_clitic && !before.is_empty()).then_some(apostrophe)
}

/// The end of the ellipsis starting at the period at `pos` ("...", ". . ."), or just
/// past the period when there is none.
fn ellipsis_end(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes[pos..].starts_with(b"...") {
        let mut end = pos;
        while bytes.get(end) == Some(&b'.') {
            end += 1;
        }
        return end;
    }
    if bytes[pos..].starts_with(b". . .") {
        let mut end = pos + 5;
        while bytes[end..].starts_with(b" .") {
            end += 2;
        }
        return end;
    }
    pos + 1
}

fn is_ellipsis(token_text: &str) -> bool {
    token_text == "…" || (token_text.len() > 1 && token_text.starts_with('.'))
}

fn is_closing(ch: char) -> bool {
    matches!(ch, '"' | '\'' | '’' | '”' | '»' | '›' | ')' | ']' | '}' | '“')
}

fn is_opening(ch: char) -> bool {
    matches!(ch, '"' | '\'' | '‘' | '“' | '«' | '‹' | '„' | '(' | '[' | '{' | '¿' | '¡')
}

/// True when a text is hard-wrapped: most lines are of similar, moderate length and
/// most do not end a sentence, as in e-mail and wire copy.
fn is_hard_wrapped(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim_end).filter(|l| !l.is_empty()).collect();
    if lines.len() < 5 {
        return false;
    }
    let moderate = lines.iter().filter(|l| (40..=100).contains(&l.chars().count())).count();
    let open_ended = lines.iter().filter(|l| !l.ends_with(['.', '!', '?', '"', '”', ':'])).count();
    moderate * 10 >= lines.len() * 8 && open_ended * 2 >= lines.len()
}

/// Groups the tokens into sentences.
pub fn split_sentences(text: &str, tokens: &[Token], rules: &SegmentRules) -> Vec<Sentence> {
    let wrapped = is_hard_wrapped(text);
    let token_text = |idx: usize| &text[tokens[idx].span.range()];
    let mut sentences = Vec::new();
    let mut first = 0;
    let mut idx = 0;
    while idx < tokens.len() {
        let mut end = idx + 1; // one past the last token of a candidate sentence
        let current = token_text(idx);
        let terminal = current.ends_with(['.', '!', '?', '…']) || is_ellipsis(current);
        let mut boundary = false;
        if terminal {
            // Closing quotes and brackets right after the terminal mark go with it.
            while end < tokens.len()
                && tokens[end - 1].span.end == tokens[end].span.start
                && token_text(end).chars().all(is_closing)
                && !opens_next(text, tokens, end)
            {
                end += 1;
            }
            boundary = match tokens.get(end) {
                None => true,
                Some(_) if has_newline(text, tokens, end) => true,
                Some(next) => {
                    let next_text = &text[next.span.range()];
                    ends_sentence(current, next_text, next.kind, tokens, end, text, rules)
                }
            };
        }
        if !boundary && end < tokens.len() && line_break_ends_sentence(text, tokens, end, wrapped) {
            boundary = true;
        }
        if boundary || end == tokens.len() {
            let span = Span::new(tokens[first].span.start, tokens[end - 1].span.end);
            sentences.push(Sentence { span, first_token: first as u32, end_token: end as u32 });
            first = end;
        }
        idx = end;
    }
    sentences
}

/// True when the quote mark at `idx` opens the next sentence rather than closing this
/// one: a space follows it, and none comes before it.
fn opens_next(text: &str, tokens: &[Token], idx: usize) -> bool {
    let token = tokens[idx];
    let mark = char_at(text, token.span.start as usize);
    matches!(mark, '“' | '"' | '\'')
        && !token.space_after
        && tokens.get(idx + 1).is_some_and(|n| n.kind != TokenKind::Punct)
}

fn has_newline(text: &str, tokens: &[Token], idx: usize) -> bool {
    idx > 0
        && count_line_breaks(
            &text[tokens[idx - 1].span.end as usize..tokens[idx].span.start as usize],
        ) > 0
}

/// True when the gap before token `idx` holds a paragraph break: any newline, or in
/// hard-wrapped text a blank line.
fn line_break_ends_sentence(text: &str, tokens: &[Token], idx: usize, wrapped: bool) -> bool {
    if idx == 0 {
        return false;
    }
    let gap = &text[tokens[idx - 1].span.end as usize..tokens[idx].span.start as usize];
    let n_newlines = count_line_breaks(gap);
    if wrapped { n_newlines >= 2 } else { n_newlines >= 1 }
}

/// The line breaks in a gap between tokens: `\n`, `\r\n` and lone `\r` count one each.
fn count_line_breaks(gap: &str) -> usize {
    let bytes = gap.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Whether a sentence ends after the terminal token `current` when `next` follows.
fn ends_sentence(
    current: &str,
    next: &str,
    next_kind: TokenKind,
    tokens: &[Token],
    next_idx: usize,
    text: &str,
    rules: &SegmentRules,
) -> bool {
    let first = next.chars().next().unwrap_or(' ');
    let next_is_capitalized = first.is_uppercase();
    let can_start = next_is_capitalized
        || first.is_numeric()
        || is_opening(first)
        || next_kind == TokenKind::Symbol;
    if !can_start {
        return false;
    }
    if is_ellipsis(current) {
        // "... (it means) these": only a capitalized word starts a new sentence.
        return next_is_capitalized;
    }
    // The terminal token is a word that kept its period: an abbreviation or initial.
    if current.len() > 1
        && current.ends_with('.')
        && current.chars().next().is_some_and(char::is_alphanumeric)
    {
        let word = &current[..current.len() - 1];
        let class = rules.abbreviation(word).unwrap_or(AbbreviationClass::General);
        return match class {
            AbbreviationClass::Title => false,
            AbbreviationClass::BeforeNumber => next_kind != TokenKind::Number,
            AbbreviationClass::General => {
                // "… in the U.S. “We …": a quote after an abbreviation starts a sentence
                // only when a starter follows it.
                let word_after = if is_opening(first) {
                    tokens.get(next_idx + 1).map_or("", |t| &text[t.span.range()])
                } else {
                    next
                };
                rules.is_starter(word_after)
            }
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn segment(text: &str) -> (Vec<String>, Vec<String>) {
        let rules = &Lexicon::builtin().segment;
        let tokens = tokenize(text, rules);
        let sentences = split_sentences(text, &tokens, rules);
        let token_texts = tokens.iter().map(|t| text[t.span.range()].to_string()).collect();
        let sentence_texts = sentences.iter().map(|s| text[s.span.range()].to_string()).collect();
        (token_texts, sentence_texts)
    }

    fn check_tokens(text: &str, expected: &[&str]) {
        assert_eq!(segment(text).0, expected, "tokens of {text:?}");
    }

    fn check_sentences(text: &str, expected: &[&str]) {
        assert_eq!(segment(text).1, expected, "sentences of {text:?}");
    }

    #[test]
    fn lexicon_examples_hold() {
        for example in &Lexicon::builtin().segment.examples {
            check_sentences(
                &example.text,
                &example.sentences.iter().map(String::as_str).collect::<Vec<_>>(),
            );
        }
    }

    #[test]
    fn clitics_split_the_ud_way() {
        check_tokens("don't can't won't", &["do", "n't", "ca", "n't", "wo", "n't"]);
        check_tokens("Cannot gonna", &["Can", "not", "gon", "na"]);
        check_tokens(
            "Russia’s allies' O'Brien they're I'm",
            &["Russia", "’s", "allies", "'", "O'Brien", "they", "'re", "I", "'m"],
        );
    }

    #[test]
    fn hyphens_numbers_and_symbols() {
        check_tokens(
            "long-term 3.5% $1,000 9:30 22/11/2024 1990s",
            &["long", "-", "term", "3.5", "%", "$", "1,000", "9:30", "22/11/2024", "1990s"],
        );
        check_tokens(
            "AT&T U.S. Ph.D. e.g. Gen. Brel.",
            &["AT&T", "U.S.", "Ph.D.", "e.g.", "Gen.", "Brel", "."],
        );
    }

    #[test]
    fn urls_emails_and_emoji_are_one_token() {
        check_tokens(
            "See https://veloria.example/news?id=3. Mail press@veloria.example!",
            &[
                "See",
                "https://veloria.example/news?id=3",
                ".",
                "Mail",
                "press@veloria.example",
                "!",
            ],
        );
        check_tokens("ok 👍🏽 👩‍👩‍👧 e\u{301}", &["ok", "👍🏽", "👩‍👩‍👧", "e\u{301}"]);
    }

    #[test]
    fn ellipses_are_one_token() {
        check_tokens("so . . . it... ends…", &["so", ". . .", "it", "...", "ends", "…"]);
    }

    #[test]
    fn mismatched_closing_quote_ends_the_sentence() {
        check_sentences(
            "“That is the priority.“ He left.",
            &["“That is the priority.“", "He left."],
        );
    }

    #[test]
    fn question_inside_quote_before_lowercase_cue_does_not_end() {
        check_sentences(
            "“Why now?” she asked. “Because.”",
            &["“Why now?” she asked.", "“Because.”"],
        );
    }

    #[test]
    fn hard_wrapped_text_joins_lines() {
        let text = "The parliament of Veloria voted on Monday to extend the\n\
                    state of emergency by another three months, despite\n\
                    protests in the capital that drew thousands of people\n\
                    to the main square over the weekend, officials said.\n\
                    The opposition called the vote a betrayal of voters\n\
                    and promised to challenge it in the constitutional court.\n\
                    \n\
                    A second paragraph starts here and is short.";
        assert_eq!(segment(text).1.len(), 3);
    }

    #[test]
    fn carriage_returns_break_lines_too() {
        check_sentences(
            "Prices rose in Veloria\rThe bank met\r\nIt cut rates",
            &["Prices rose in Veloria", "The bank met", "It cut rates"],
        );
    }

    #[test]
    fn token_flags_space_after() {
        let rules = &Lexicon::builtin().segment;
        let tokens = tokenize("Hi, you.", rules);
        let flags: Vec<bool> = tokens.iter().map(|t| t.space_after).collect();
        assert_eq!(flags, [false, true, false, false]);
    }

    proptest! {
        #[test]
        fn spans_are_sorted_on_boundaries_and_cover_every_token(text in "\\PC{0,80}|[a-zA-Z .,'’“”\"?!()\\n-]{0,80}") {
            let rules = &Lexicon::builtin().segment;
            let tokens = tokenize(&text, rules);
            let sentences = split_sentences(&text, &tokens, rules);
            let mut last_end = 0;
            for token in &tokens {
                prop_assert!(token.span.start >= last_end && token.span.start < token.span.end);
                prop_assert!(text.is_char_boundary(token.span.start as usize) && text.is_char_boundary(token.span.end as usize));
                prop_assert!(!text[token.span.range()].trim().is_empty() || text[token.span.range()].contains(". ."));
                last_end = token.span.end;
            }
            let mut next_token = 0;
            for sentence in &sentences {
                prop_assert_eq!(sentence.first_token, next_token);
                prop_assert!(sentence.end_token > sentence.first_token);
                next_token = sentence.end_token;
            }
            prop_assert_eq!(next_token as usize, tokens.len());
        }
    }
}

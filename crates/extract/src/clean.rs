//! The `clean` stage: takes out the lines that survive main-content extraction but are
//! not the article (newsletter promos, share prompts, photo credits, bylines, datelines,
//! copyright footers), following the rules of the lexicon's `boilerplate.toml`.
//!
//! Reads: the raw text. Writes: the clean text ([`Document::text`]) and
//! [`Document::removed`], one entry per removal with its reason and rule.
//!
//! It blanks what it removes: every character of a removed line or prefix becomes one
//! space (newlines stay), and every other character stays where it was. So the clean
//! text has the input's length in characters, and character offsets into it (the JSON
//! contract's) are offsets into the input, removals or not, which is what annotations
//! made on the input (gold sets, a user's own) need; the blanks are whitespace to every
//! later stage. Rules are judged
//! one trimmed line at a time and each is bounded by a word count, so an article
//! paragraph that merely mentions a newsletter or a photograph stays.

use newsgraph_lexicon::LineVerdict;
use newsgraph_model::{Document, Layer, Removal};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage { name: "clean", reads: &[Layer::Raw], writes: Layer::Clean, run };

fn run(doc: &mut Document, lexicon: &Lexicon) {
    let mut removed = Vec::new();
    // Byte ranges of the text to blank out.
    let mut blank: Vec<(usize, usize)> = Vec::new();
    let mut previous_reason: Option<&str> = None;
    let mut line_start = 0;
    let text = &doc.text;
    while line_start < text.len() {
        let line_end = next_line_start(text, line_start);
        let raw_line = &text[line_start..line_end];
        let line = raw_line.trim();
        // `line` is `raw_line` trimmed: where it starts and ends in the text.
        let content_start = line_start + (raw_line.len() - raw_line.trim_start().len());
        if !line.is_empty() {
            match lexicon.boilerplate.judge(line, previous_reason) {
                LineVerdict::Remove(rule) => {
                    removed.push(Removal {
                        text: line.to_string(),
                        reason: rule.reason.clone(),
                        rule: rule.name.clone(),
                    });
                    previous_reason = Some(&rule.reason);
                    blank.push((content_start, content_start + line.len()));
                }
                LineVerdict::RemovePrefix(rule, n) => {
                    removed.push(Removal {
                        text: line[..n].trim().to_string(),
                        reason: rule.reason.clone(),
                        rule: rule.name.clone(),
                    });
                    previous_reason = None;
                    blank.push((content_start, content_start + n));
                }
                LineVerdict::Keep => previous_reason = None,
            }
        }
        line_start = line_end;
    }
    if !blank.is_empty() {
        let mut clean = String::with_capacity(text.len());
        let mut copied = 0;
        for (start, end) in blank {
            clean.push_str(&text[copied..start]);
            // One space per character: character offsets stay those of the input.
            clean.extend(text[start..end].chars().map(|_| ' '));
            copied = end;
        }
        clean.push_str(&text[copied..]);
        doc.text = clean;
    }
    doc.removed = removed;
}

/// Where the line after the one starting at `from` starts: after `\n`, `\r\n` or a lone
/// `\r` (old Mac files), or at the end of the text.
fn next_line_start(text: &str, from: usize) -> usize {
    match text[from..].find(['\n', '\r']) {
        Some(i) if text[from + i..].starts_with("\r\n") => from + i + 2,
        Some(i) => from + i + 1,
        None => text.len(),
    }
}

#[cfg(test)]
mod tests {
    use newsgraph_model::Article;

    use super::*;

    /// Runs the stage on `input`; checks the clean text and the removals as `reason: line`.
    fn check(input: &str, expected_text: &str, expected_removed: &[&str]) {
        let mut doc = Document::new(Article::from_text(input));
        run(&mut doc, Lexicon::builtin());
        assert_eq!(doc.text, expected_text);
        let removed: Vec<String> =
            doc.removed.iter().map(|r| format!("{}: {}", r.reason, r.text)).collect();
        assert_eq!(removed, expected_removed);
    }

    #[test]
    fn newsletter_promo_and_its_blurb_go() {
        check(
            "Unlock the Capital Watch newsletter for free\nYour guide to what the vote means for Veloria\nThe parliament of Veloria voted on Monday.",
            &format!(
                "{}\n{}\nThe parliament of Veloria voted on Monday.",
                " ".repeat(44),
                " ".repeat(45)
            ),
            &[
                "promo: Unlock the Capital Watch newsletter for free",
                "promo: Your guide to what the vote means for Veloria",
            ],
        );
    }

    #[test]
    fn blurb_rule_needs_a_promo_before_it() {
        check(
            "Your guide to the vote\nThe vote is on Monday.",
            "Your guide to the vote\nThe vote is on Monday.",
            &[],
        );
    }

    #[test]
    fn sentence_mentioning_a_newsletter_stays() {
        let text = "Anna Brel said she would sign up for the party's newsletter, and urged others to subscribe to it as well.";
        check(text, text, &[]);
    }

    #[test]
    fn credits_bylines_and_footers_go_paragraphs_stay() {
        check(
            "By Anna Brel\n\n  Ministers met in Veloria City.  \nAdvertisement\n\n\n\nThey agreed.\nPhoto: Piotr Lanz/Daily Courier\n© 2025 Daily Courier",
            &format!(
                "{}\n\n  Ministers met in Veloria City.  \n{}\n\n\n\nThey agreed.\n{}\n{}",
                " ".repeat(12),
                " ".repeat(13),
                " ".repeat(31),
                " ".repeat(20)
            ),
            &[
                "byline: By Anna Brel",
                "advert: Advertisement",
                "credit: Photo: Piotr Lanz/Daily Courier",
                "copyright: © 2025 Daily Courier",
            ],
        );
    }

    #[test]
    fn dateline_prefix_goes_and_the_sentence_stays() {
        check(
            "VELORIA CITY (Reuters) - The government resigned on Monday.",
            &format!("{}The government resigned on Monday.", " ".repeat(25)),
            &["dateline: VELORIA CITY (Reuters) -"],
        );
    }

    #[test]
    fn lines_may_end_in_a_lone_carriage_return() {
        check(
            "Advertisement\rVeloria voted.\r\nShare\r",
            &format!("{}\rVeloria voted.\r\n     \r", " ".repeat(13)),
            &["advert: Advertisement", "share: Share"],
        );
    }

    #[test]
    fn text_without_boilerplate_is_kept_byte_for_byte() {
        check("", "", &[]);
        check("\n \n\t\n", "\n \n\t\n", &[]);
        let text = "\nVeloria voted.\r\n\n  Ostravia  abstained. ";
        check(text, text, &[]);
    }
}

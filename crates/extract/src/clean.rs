//! The `clean` stage: takes out the lines that survive main-content extraction but are
//! not the article (newsletter promos, share prompts, photo credits, bylines, datelines,
//! copyright footers), following the rules of the lexicon's `boilerplate.toml`.
//!
//! Reads: the raw text. Writes: the clean text ([`Document::text`]) and
//! [`Document::removed`], one entry per removal with its reason and rule.
//!
//! It runs before any span is taken, so it may rewrite the text, but it changes nothing
//! it keeps: a removed line goes with its newline, a removed prefix with the spaces after
//! it, and every other byte stays where it was. So when nothing is removed the clean
//! text is the input text, and offsets into it are offsets into the input, which is
//! what annotations made on the input (gold sets, a user's own) need. Rules are judged
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
    let mut clean = String::new();
    // Bytes of the input copied into `clean` so far; untouched text is copied lazily.
    let mut copied = 0;
    let mut previous_reason: Option<&str> = None;
    let mut line_start = 0;
    let text = &doc.text;
    while line_start < text.len() {
        let line_end = next_line_start(text, line_start);
        let raw_line = &text[line_start..line_end];
        let line = raw_line.trim();
        if !line.is_empty() {
            match lexicon.boilerplate.judge(line, previous_reason) {
                LineVerdict::Remove(rule) => {
                    removed.push(Removal {
                        text: line.to_string(),
                        reason: rule.reason.clone(),
                        rule: rule.name.clone(),
                    });
                    previous_reason = Some(&rule.reason);
                    clean.push_str(&text[copied..line_start]);
                    copied = line_end;
                }
                LineVerdict::RemovePrefix(rule, n) => {
                    removed.push(Removal {
                        text: line[..n].trim().to_string(),
                        reason: rule.reason.clone(),
                        rule: rule.name.clone(),
                    });
                    previous_reason = None;
                    // `line` is `raw_line` trimmed: find where it starts in the text.
                    let prefix_start = line_start + (raw_line.len() - raw_line.trim_start().len());
                    let rest = &text[prefix_start + n..line_end];
                    clean.push_str(&text[copied..prefix_start]);
                    copied = line_end - rest.trim_start().len();
                }
                LineVerdict::Keep => previous_reason = None,
            }
        }
        line_start = line_end;
    }
    if copied > 0 || !removed.is_empty() {
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
            "The parliament of Veloria voted on Monday.",
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
            "\n  Ministers met in Veloria City.  \n\n\n\nThey agreed.\n",
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
            "The government resigned on Monday.",
            &["dateline: VELORIA CITY (Reuters) -"],
        );
    }

    #[test]
    fn lines_may_end_in_a_lone_carriage_return() {
        check(
            "Advertisement\rVeloria voted.\r\nShare\r",
            "Veloria voted.\r\n",
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

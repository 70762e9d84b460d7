//! The `clean` stage: takes out the lines that survive main-content extraction but are
//! not the article (newsletter promos, share prompts, photo credits, bylines, datelines,
//! copyright footers), following the rules of the lexicon's `boilerplate.toml`.
//!
//! Reads: the raw text. Writes: the clean text ([`Document::text`]) and
//! [`Document::removed`], one entry per removal with its reason and rule.
//!
//! It runs before any span is taken, so it may rewrite the text. The clean text keeps
//! one paragraph per line: each kept line is trimmed, blank lines between paragraphs are
//! kept (at most one in a row), and the text has no leading or trailing blank line.
//! Rules are judged one line at a time and each is bounded by a word count, so an
//! article paragraph that merely mentions a newsletter or a photograph stays.

use newsgraph_lexicon::LineVerdict;
use newsgraph_model::{Document, Layer, Removal};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage { name: "clean", reads: &[Layer::Raw], writes: Layer::Clean, run };

fn run(doc: &mut Document, lexicon: &Lexicon) {
    let mut clean = String::with_capacity(doc.text.len());
    let mut removed = Vec::new();
    let mut previous_reason: Option<&str> = None;
    let mut pending_blank = false;
    for raw_line in doc.text.split('\n') {
        let line = raw_line.trim();
        if line.is_empty() {
            pending_blank = !clean.is_empty();
            continue;
        }
        let kept = match lexicon.boilerplate.judge(line, previous_reason) {
            LineVerdict::Remove(rule) => {
                removed.push(Removal {
                    text: line.to_string(),
                    reason: rule.reason.clone(),
                    rule: rule.name.clone(),
                });
                previous_reason = Some(&rule.reason);
                continue;
            }
            LineVerdict::RemovePrefix(rule, n) => {
                removed.push(Removal {
                    text: line[..n].trim().to_string(),
                    reason: rule.reason.clone(),
                    rule: rule.name.clone(),
                });
                line[n..].trim_start()
            }
            LineVerdict::Keep => line,
        };
        previous_reason = None;
        if !clean.is_empty() {
            clean.push('\n');
            if pending_blank {
                clean.push('\n');
            }
        }
        pending_blank = false;
        clean.push_str(kept);
    }
    doc.text = clean;
    doc.removed = removed;
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
            "Ministers met in Veloria City.\n\nThey agreed.",
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
    fn empty_and_blank_texts_stay_empty() {
        check("", "", &[]);
        check("\n \n\t\n", "", &[]);
    }
}

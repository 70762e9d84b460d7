//! Snapshot tests of the lexical stages on the texts in `tests/texts/`: one snapshot per
//! text, one sentence per line with its tokens separated by `|`, then the removed lines.

use newsgraph_extract::{Article, Lexicon, extract};

#[test]
fn clean_and_segment_snapshots() {
    insta::glob!("texts/*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let doc = extract(Article::from_text(text), Lexicon::builtin());
        let mut lines = Vec::new();
        for removal in &doc.removed {
            lines.push(format!("removed [{}/{}] {}", removal.reason, removal.rule, removal.text));
        }
        for sentence in &doc.sentences {
            let tokens: Vec<&str> =
                doc.sentence_tokens(sentence).iter().map(|t| doc.slice(t.span)).collect();
            lines.push(format!("sentence {}", tokens.join("|")));
        }
        insta::assert_snapshot!(lines.join("\n"));
    });
}

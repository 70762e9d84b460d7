//! Snapshot tests of the lexical stages on the texts in `tests/texts/`: one snapshot per
//! text: the removed lines, one sentence per line with its tokens separated by `|`, and
//! the time expressions, for an article published on 2025-03-03.

use newsgraph_extract::{Article, Lexicon, extract};

#[test]
fn clean_and_segment_snapshots() {
    insta::glob!("texts/*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let mut article = Article::from_text(text);
        article.published = Some("2025-03-03".to_string());
        let doc = extract(article, Lexicon::builtin());
        let mut lines = Vec::new();
        for removal in &doc.removed {
            lines.push(format!("removed [{}/{}] {}", removal.reason, removal.rule, removal.text));
        }
        for sentence in &doc.sentences {
            let tokens: Vec<&str> =
                doc.sentence_tokens(sentence).iter().map(|t| doc.slice(t.span)).collect();
            lines.push(format!("sentence {}", tokens.join("|")));
        }
        for timex in &doc.times {
            lines.push(format!(
                "time {} {} = {}",
                timex.timex_type.as_str(),
                doc.slice(timex.span),
                timex.value
            ));
        }
        insta::assert_snapshot!(lines.join("\n"));
    });
}

//! Fuzz target: any bytes read as a text file, then the whole pipeline, then JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(article) = newsgraph_ingest::article_from_text(data) {
        let doc = newsgraph_extract::extract(article, newsgraph_lexicon::Lexicon::builtin());
        check(&doc);
    }
});

fn check(doc: &newsgraph_model::Document) {
    for token in &doc.tokens {
        assert!(token.span.start < token.span.end);
        assert!(doc.text.is_char_boundary(token.span.start as usize));
        assert!(doc.text.is_char_boundary(token.span.end as usize));
    }
    let json = doc.to_json();
    let n_chars = json.text.chars().count() as u32;
    assert!(json.sentences.iter().all(|s| s.start <= s.end && s.end <= n_chars));
}

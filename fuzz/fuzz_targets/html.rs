//! Fuzz target: any bytes read as an HTML page, then the whole pipeline, then JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(article) = newsgraph_ingest::article_from_html(data, None) {
        let doc = newsgraph_extract::extract(article, newsgraph_lexicon::Lexicon::builtin());
        let json = doc.to_json();
        assert!(json.sentences.iter().all(|s| s.start <= s.end));
    }
});

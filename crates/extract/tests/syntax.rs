//! Tests of the committed syntax model: parses of invented sentences pinned as
//! snapshots, and the accuracy floor on the English Web Treebank when
//! `../shared/treebanks/en_ewt` exists (skipped with a message otherwise).

// Skipping the treebank test must say so on the terminal.
#![allow(clippy::print_stderr)]

use std::path::PathBuf;

use newsgraph_extract::syntax::SyntaxModel;
use newsgraph_extract::syntax::conllu;
use newsgraph_extract::syntax::train::{evaluate, gold_sentences};
use newsgraph_extract::{Article, Lexicon, extract};
use newsgraph_model::TokenSyntax;

/// One line per token: form, UPOS/XPOS, lemma, relation and the head's form.
fn render(text: &str) -> String {
    let doc = extract(Article::from_text(text), Lexicon::builtin());
    assert_eq!(doc.syntax.len(), doc.tokens.len());
    let mut lines = Vec::new();
    for sentence in &doc.sentences {
        lines.push(format!("# {}", doc.slice(sentence.span)));
        for i in sentence.first_token as usize..sentence.end_token as usize {
            let syntax = &doc.syntax[i];
            let head = if syntax.head == TokenSyntax::ROOT {
                "ROOT".to_owned()
            } else {
                assert!(
                    (sentence.first_token..sentence.end_token).contains(&syntax.head),
                    "head outside the sentence"
                );
                format!("{} ({})", doc.slice(doc.tokens[syntax.head as usize].span), syntax.head)
            };
            lines.push(format!(
                "{:>2} {:<12} {:<5} {:<4} {:<12} {:<11} -> {}",
                i,
                doc.slice(doc.tokens[i].span),
                syntax.upos.as_str(),
                syntax.xpos,
                syntax.lemma,
                syntax.deprel.as_str(),
                head
            ));
        }
    }
    lines.join("\n")
}

#[test]
fn supplying_to_has_subject_object_and_oblique() {
    insta::assert_snapshot!(render("Ostravia is supplying missile technology to Veloria."));
}

#[test]
fn receives_from_has_subject_object_and_oblique() {
    insta::assert_snapshot!(render("Lindmark receives money from Ostravia."));
}

// FIXME: "to Veloria" is attached to "Ostravia" as `nmod`; it should be an `obl` of
// "sent", like "from Ostravia". The subject (`nsubj:pass`) and "from" are right.
#[test]
fn passive_sent_from_to_has_passive_subject_and_obliques() {
    insta::assert_snapshot!(render("Technology is now being sent from Ostravia to Veloria."));
}

fn treebank() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/treebanks/en_ewt");
    dir.join("en_ewt-ud-dev.conllu").exists().then_some(dir)
}

fn scores_on(dir: &std::path::Path, split: &str) -> newsgraph_extract::syntax::eval::Scores {
    let path = dir.join(format!("en_ewt-ud-{split}.conllu"));
    let text = std::fs::read_to_string(path).unwrap();
    let gold = gold_sentences(&conllu::read(&text).unwrap());
    let model = SyntaxModel::builtin().expect("the committed model decodes");
    let scores = evaluate(model, &gold);
    eprintln!("EWT {split}: {scores}");
    scores
}

/// The committed weights keep their accuracy on the development set (gold tokenization,
/// CoNLL 2018 scoring: every word, relation subtypes ignored). The floors are the
/// committed model's scores, rounded down, and may only go up.
#[test]
fn committed_weights_keep_their_accuracy_on_ewt_dev() {
    let Some(dir) = treebank() else {
        eprintln!("skipped: no treebank at ../shared/treebanks/en_ewt");
        return;
    };
    let scores = scores_on(&dir, "dev");
    assert!(scores.upos() >= 0.949, "{scores}");
    assert!(scores.uas() >= 0.844, "{scores}");
    assert!(scores.las() >= 0.812, "{scores}");
}

/// The acceptance of issue 3 on the test set: UPOS >= 0.95, UAS >= 0.85, LAS >= 0.82.
#[test]
fn committed_weights_reach_the_acceptance_on_ewt_test() {
    let Some(dir) = treebank() else {
        eprintln!("skipped: no treebank at ../shared/treebanks/en_ewt");
        return;
    };
    let scores = scores_on(&dir, "test");
    assert!(scores.upos() >= 0.95, "{scores}");
    assert!(scores.uas() >= 0.85, "{scores}");
    assert!(scores.las() >= 0.82, "{scores}");
}

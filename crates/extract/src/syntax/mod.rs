//! The `syntax` stage: part of speech, lemma and dependency tree of every token.
//!
//! Reads: the segments layer (tokens, sentences). Writes: the syntax layer
//! ([`Document::syntax`], one [`TokenSyntax`] per token, parallel to the tokens).
//!
//! Invariants: `doc.syntax.len() == doc.tokens.len()`; every head is a token of the same
//! sentence or [`TokenSyntax::ROOT`]; each sentence has exactly one root and its arcs form
//! a projective tree.
//!
//! The models are our own, trained by [`train`] on the Universal Dependencies English Web
//! Treebank: a greedy averaged-perceptron tagger ([`tagger`]), a greedy arc-hybrid parser
//! with a dynamic oracle ([`parser`]) and a lemmatizer of rules plus exceptions
//! ([`lemma`]). The weights are compiled into the binary from `models/syntax.bin` and
//! decoded once, at first use ([`SyntaxModel::builtin`]); nothing is read from disk. When
//! the model cannot be decoded (a build without trained weights) the stage fills the
//! layer with empty analyses and adds a diagnostic.

pub mod conllu;
pub mod eval;
pub mod features;
pub mod lemma;
pub mod model;
pub mod parser;
pub mod tagger;
pub mod train;

use std::sync::OnceLock;

use newsgraph_model::{DepRel, Diagnostic, Document, Layer, TokenSyntax, Upos};

use crate::Lexicon;
use crate::pipeline::Stage;

use self::lemma::Lemmatizer;
use self::parser::{ParseScratch, Parser, ParserWord};
use self::tagger::{Tagger, WordHashes};

/// This stage in the pipeline.
pub const STAGE: Stage =
    Stage { name: "syntax", reads: &[Layer::Segments], writes: Layer::Syntax, run };

/// The committed weights.
static WEIGHTS: &[u8] = include_bytes!("../../models/syntax.bin");

static BUILTIN: OnceLock<Result<SyntaxModel, model::DecodeError>> = OnceLock::new();

/// The tagger, parser and lemmatizer together.
#[derive(Clone, Debug)]
pub struct SyntaxModel {
    /// The part-of-speech tagger.
    pub tagger: Tagger,
    /// The dependency parser.
    pub parser: Parser,
    /// The lemmatizer.
    pub lemmatizer: Lemmatizer,
}

/// The analysis of one sentence, with buffers reused from sentence to sentence.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    padded: Vec<WordHashes>,
    lower: String,
    /// The tagger's class of each word.
    pub tags: Vec<u8>,
    scores: Vec<i32>,
    words: Vec<ParserWord>,
    parse: ParseScratch,
}

impl Analysis {
    /// The head of word `i` in the sentence, `None` for the root.
    pub fn head(&self, i: usize) -> Option<usize> {
        let head = self.parse.state.heads[i] as usize;
        (head < self.tags.len()).then_some(head)
    }

    /// The label index of word `i` (see [`Parser::labels`]).
    pub fn label(&self, i: usize) -> usize {
        self.parse.state.labels[i] as usize
    }
}

impl SyntaxModel {
    /// The model compiled into the binary, decoded at first use.
    pub fn builtin() -> Result<&'static SyntaxModel, &'static model::DecodeError> {
        BUILTIN.get_or_init(|| model::decode(WEIGHTS)).as_ref()
    }

    /// Tags and parses one sentence of words.
    pub fn analyze(&self, forms: &[&str], analysis: &mut Analysis) {
        self.tag(forms, analysis);
        self.parse_tagged(analysis);
    }

    /// Tags one sentence of words into [`Analysis::tags`].
    pub fn tag(&self, forms: &[&str], analysis: &mut Analysis) {
        tagger::pad(forms, &mut analysis.padded, &mut analysis.lower);
        Tagger::fill_ambiguity(&self.tagger.ambiguity, &mut analysis.padded);
        self.tagger.tag(&analysis.padded, &mut analysis.tags, &mut analysis.scores);
    }

    /// Parses the sentence [`SyntaxModel::tag`] tagged, with [`Analysis::tags`] as they
    /// are now (a caller may have changed some).
    pub fn parse_tagged(&self, analysis: &mut Analysis) {
        analysis.words.clear();
        analysis.words.extend(
            analysis
                .tags
                .iter()
                .enumerate()
                .map(|(i, &tag)| ParserWord::new(&analysis.padded[i + 2], tag)),
        );
        self.parser.parse(&analysis.words, &mut analysis.parse);
    }

    /// The universal and Penn tags of a tagger class.
    pub fn tags(&self, class: u8) -> (Upos, &str) {
        let (upos, xpos) = &self.tagger.classes[class as usize];
        (*upos, xpos)
    }

    /// The relation of a label index.
    pub fn relation(&self, label: usize) -> DepRel {
        self.parser.labels[label]
    }
}

/// Mends a past form's or participle's lemma with the lexicon's verbs: irregular forms
/// ("sank" -> "sink"), a final "e" the suffix rules dropped ("detonated" ->
/// "detonate") and a doubled consonant they kept ("expelled" -> "expel") when the
/// lexicon knows the verb so written.
fn verb_lemma(lexicon: &Lexicon, form: &str, xpos: &str, lemma: String) -> String {
    if !matches!(xpos, "VBD" | "VBN" | "VBG") {
        return lemma;
    }
    let lower = form.to_lowercase();
    if let Some(base) = lexicon.verb_forms.irregular.get(&lower) {
        return base.clone();
    }
    let verbs = lexicon.known_verbs();
    if !verbs.contains(&lemma) {
        let with_e = format!("{lemma}e");
        if verbs.contains(&with_e) {
            return with_e;
        }
        // A doubled final consonant the suffix rules keep ("expelled" -> "expell",
        // because "called" is "call"): the single one when the lexicon knows that verb.
        let b = lemma.as_bytes();
        if b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2] {
            let single = &lemma[..lemma.len() - 1];
            if verbs.contains(single) {
                return single.to_string();
            }
        }
    }
    lemma
}

fn run(doc: &mut Document, lexicon: &Lexicon) {
    let model = match SyntaxModel::builtin() {
        Ok(model) => model,
        Err(err) => {
            doc.syntax = vec![TokenSyntax::default(); doc.tokens.len()];
            doc.diagnostics.push(Diagnostic {
                stage: "syntax",
                span: None,
                message: err.to_string(),
            });
            return;
        }
    };
    let mut syntax = vec![TokenSyntax::default(); doc.tokens.len()];
    let mut analysis = Analysis::default();
    let mut forms: Vec<&str> = Vec::new();
    for sentence in &doc.sentences {
        let first = sentence.first_token as usize;
        forms.clear();
        forms.extend(doc.sentence_tokens(sentence).iter().map(|t| &doc.text[t.span.range()]));
        if forms.is_empty() {
            continue;
        }
        model.analyze(&forms, &mut analysis);
        for (i, form) in forms.iter().enumerate() {
            let (upos, xpos) = model.tags(analysis.tags[i]);
            syntax[first + i] = TokenSyntax {
                upos,
                xpos,
                feats: lemma::feats(xpos),
                lemma: verb_lemma(lexicon, form, xpos, model.lemmatizer.lemma(form, xpos)),
                head: analysis.head(i).map_or(TokenSyntax::ROOT, |h| (first + h) as u32),
                deprel: model.relation(analysis.label(i)),
            };
        }
        mend_nominal_root(&mut syntax, first, sentence.end_token as usize);
    }
    doc.syntax = syntax;
}

/// Mends a news lead the tagger read as a noun phrase. "Israeli tanks shelled positions",
/// "Swiss doctors handed over medicine" often come out with the noun as the root and the
/// verb as a past participle modifying it (`acl`) or modifying the noun after it
/// (`amod`). When a sentence has no finite verb and a past participle after its root noun
/// has an object (or modifies the noun right after it), and no auxiliary or determiner,
/// that participle is the past-tense main verb: it becomes the root, the old root its
/// subject, the noun it modified its object, and the old root's dependents after it
/// attach to it. A participle with no object ("Three soldiers killed in attack") stays
/// the reduced passive it is. (`newsgraph parse` shows the model's own analysis.)
fn mend_nominal_root(syntax: &mut [TokenSyntax], first: usize, end: usize) {
    let Some(sentence) = syntax.get(first..end) else { return };
    let Some(root) = sentence.iter().position(|s| s.head == TokenSyntax::ROOT).map(|r| first + r)
    else {
        return;
    };
    if !matches!(syntax[root].upos, Upos::Noun | Upos::Propn)
        || sentence.iter().any(|s| matches!(s.xpos, "VBD" | "VBZ" | "VBP" | "MD"))
    {
        return;
    }
    let children = |syntax: &[TokenSyntax], head: usize| -> Vec<usize> {
        (first..end).filter(|&k| syntax[k].head as usize == head).collect()
    };
    let Some(verb) = (root + 1..end).find(|&v| syntax[v].upos == Upos::Verb) else { return };
    if syntax[verb].xpos != "VBN"
        || syntax[verb - 1].upos == Upos::Det
        || children(syntax, verb)
            .iter()
            .any(|&c| matches!(syntax[c].deprel, DepRel::Aux | DepRel::AuxPass | DepRel::Cop))
    {
        return;
    }
    let object = match syntax[verb].deprel {
        DepRel::Acl if syntax[verb].head as usize == root => {
            children(syntax, verb).into_iter().find(|&c| syntax[c].deprel == DepRel::Obj)
        }
        DepRel::Amod => {
            let noun = syntax[verb].head as usize;
            (noun > verb && noun <= verb + 3 && syntax[noun].head as usize == root).then_some(noun)
        }
        _ => None,
    };
    let Some(object) = object else { return };
    for (k, token) in syntax.iter_mut().enumerate().take(end).skip(verb + 1) {
        if k != object && token.head as usize == root {
            token.head = verb as u32;
            if token.deprel.base() == DepRel::Nmod {
                token.deprel = DepRel::Obl;
            }
        }
    }
    syntax[object].head = verb as u32;
    syntax[object].deprel = DepRel::Obj;
    syntax[verb].head = TokenSyntax::ROOT;
    syntax[verb].deprel = DepRel::Root;
    syntax[verb].xpos = "VBD";
    syntax[verb].feats = lemma::feats("VBD");
    syntax[root].head = verb as u32;
    syntax[root].deprel = DepRel::Nsubj;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The subject, object and root of each sentence of `text` after the syntax stage.
    fn clause(text: &str) -> Vec<(String, String, String)> {
        let doc = crate::extract(newsgraph_model::Article::from_text(text), Lexicon::builtin());
        let word = |k: usize| doc.text[doc.tokens[k].span.range()].to_string();
        let with = |rel: DepRel| -> String {
            (0..doc.tokens.len())
                .find(|&k| {
                    doc.syntax[k].deprel == rel
                        && doc.syntax[doc.syntax[k].head as usize].head == TokenSyntax::ROOT
                })
                .map_or(String::new(), word)
        };
        let root = (0..doc.tokens.len()).find(|&k| doc.syntax[k].head == TokenSyntax::ROOT);
        vec![(with(DepRel::Nsubj), root.map_or(String::new(), word), with(DepRel::Obj))]
    }

    #[test]
    fn a_news_lead_read_as_a_noun_phrase_gets_its_verb_back() {
        for (text, expected) in [
            (
                "Velorian tanks shelled positions near the border.",
                ("tanks", "shelled", "positions"),
            ),
            (
                "Ostravian police in Karsk confiscated weapons from armed groups.",
                ("police", "confiscated", "weapons"),
            ),
            (
                "Velorian doctors handed over medicine to the hospital.",
                ("doctors", "handed", "medicine"),
            ),
        ] {
            let (subject, root, object) = expected;
            assert_eq!(clause(text), [(subject.into(), root.into(), object.into())], "{text}");
        }
        // A reduced passive keeps its noun root.
        let (_, root, _) = clause("Three soldiers killed in attack near the border.").remove(0);
        assert_eq!(root, "soldiers");
    }

    #[test]
    fn the_committed_model_decodes_and_encodes_to_the_same_bytes() {
        let model = SyntaxModel::builtin().expect("the committed model decodes");
        assert!(model::encode(model) == WEIGHTS, "encoding the decoded model changed it");
    }

    #[test]
    fn verb_lemmas_are_mended_with_the_lexicon() {
        let lexicon = Lexicon::builtin();
        let mend =
            |form: &str, xpos: &str, lemma: &str| verb_lemma(lexicon, form, xpos, lemma.into());
        assert_eq!(mend("sank", "VBD", "sank"), "sink");
        assert_eq!(mend("detonated", "VBD", "detonat"), "detonate");
        assert_eq!(mend("expelled", "VBD", "expell"), "expel");
        assert_eq!(mend("called", "VBD", "call"), "call");
        assert_eq!(mend("rolled", "VBD", "roll"), "roll");
        // Only past forms and participles are mended.
        assert_eq!(mend("expell", "NN", "expell"), "expell");
    }
}

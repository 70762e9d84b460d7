//! The events stage's view of the tree: the syntax layer with repairs of the tagger's
//! typical failures on news sentences, made on a copy (the syntax layer, and what
//! `newsgraph parse` shows, stay the model's own analysis).
//!
//! - **A past-tense verb read as a modifier.** "Velorian rebels wounded two soldiers",
//!   "Ostravian police confiscated weapons, officials said": the tagger often takes the
//!   verb after a noun subject for an adjective or participle of the noun after it
//!   (`amod`), and the parse then has no clause at all. When such a word is the past form
//!   of an event verb of the dictionary, follows a noun, and its clause has no finite verb
//!   or auxiliary before it nor up to the next comma, the sentence is parsed again with
//!   that word tagged as a past-tense verb; the new tree is kept when the verb then has a
//!   subject before it.
//! - **An object hung on the speech verb.** "Ghanaian police have deported 168
//!   Liberians, officials said": the parser often makes the object a second clausal
//!   complement of "said"; it becomes the object of the verb before it (see
//!   [`stray_objects`]).

use newsgraph_model::{DepRel, Document, TokenSyntax, Upos};

use crate::Lexicon;
use crate::syntax::lemma;
use crate::syntax::{Analysis, SyntaxModel};

/// The syntax the events stage reads: `None` when no sentence needed a repair.
pub(super) fn repaired(doc: &Document, lexicon: &Lexicon) -> Option<Vec<TokenSyntax>> {
    if doc.syntax.len() != doc.tokens.len() {
        return None;
    }
    let mut out: Option<Vec<TokenSyntax>> = None;
    for sentence in &doc.sentences {
        let (first, end) = (sentence.first_token as usize, sentence.end_token as usize);
        let Some((verb, lemma)) = verb_read_as_modifier(doc, lexicon, first, end) else {
            continue;
        };
        let Some(parse) = reparse_as_verb(doc, first, end, verb) else { continue };
        let syntax = out.get_or_insert_with(|| doc.syntax.clone());
        for (k, (head, deprel)) in parse.into_iter().enumerate() {
            let token = &mut syntax[first + k];
            token.head = head.map_or(TokenSyntax::ROOT, |h| (first + h) as u32);
            token.deprel = deprel;
        }
        let token = &mut syntax[verb];
        token.upos = Upos::Verb;
        token.xpos = "VBD";
        token.feats = lemma::feats("VBD");
        token.lemma = lemma;
    }
    for sentence in &doc.sentences {
        let (first, end) = (sentence.first_token as usize, sentence.end_token as usize);
        let syntax = out.as_deref().unwrap_or(&doc.syntax);
        let stray = stray_objects(syntax, first, end);
        if !stray.is_empty() {
            let syntax = out.get_or_insert_with(|| doc.syntax.clone());
            for (noun, verb) in stray {
                syntax[noun].head = verb as u32;
                syntax[noun].deprel = DepRel::Obj;
            }
        }
    }
    out
}

/// The objects the parser hung on the speech verb after them ("the police have deported
/// 168 refugees, officials said": "refugees" a second clause of "said"): a noun that is a
/// clausal complement of a verb, with no subject or copula of its own, right after a
/// clausal complement of the same verb that is an active verb without an object. Each as
/// (noun, verb it is the object of).
fn stray_objects(syntax: &[TokenSyntax], first: usize, end: usize) -> Vec<(usize, usize)> {
    let children = |head: usize| (first..end).filter(move |&k| syntax[k].head as usize == head);
    let mut out = Vec::new();
    for noun in first..end {
        let s = &syntax[noun];
        if s.deprel != DepRel::Ccomp
            || !matches!(s.upos, Upos::Noun | Upos::Propn)
            || s.head == TokenSyntax::ROOT
            || children(noun).any(|c| {
                matches!(
                    syntax[c].deprel,
                    DepRel::Nsubj | DepRel::NsubjPass | DepRel::Cop | DepRel::Aux
                )
            })
        {
            continue;
        }
        let governor = s.head as usize;
        let Some(verb) = (first..noun)
            .rev()
            .find(|&c| syntax[c].head as usize == governor && syntax[c].deprel == DepRel::Ccomp)
        else {
            continue;
        };
        if syntax[verb].upos == Upos::Verb
            && !children(verb).any(|c| {
                matches!(
                    syntax[c].deprel,
                    DepRel::Obj
                        | DepRel::AuxPass
                        | DepRel::NsubjPass
                        | DepRel::Ccomp
                        | DepRel::Xcomp
                )
            })
        {
            out.push((noun, verb));
        }
    }
    out
}

/// Whether a token is a finite verb or an auxiliary.
fn finite(s: &TokenSyntax) -> bool {
    s.upos == Upos::Aux || matches!(s.xpos, "VBD" | "VBZ" | "VBP" | "MD")
}

/// The first word of the sentence that is the past form of an event verb the tagger
/// read as a noun's modifier, with the verb's lemma (see the module doc).
fn verb_read_as_modifier(
    doc: &Document,
    lexicon: &Lexicon,
    first: usize,
    end: usize,
) -> Option<(usize, String)> {
    let syntax = &doc.syntax;
    let text = |k: usize| &doc.text[doc.tokens[k].span.range()];
    for v in first + 1..end {
        let s = &syntax[v];
        if finite(s) {
            return None;
        }
        let prenominal =
            s.deprel == DepRel::Amod && (s.head as usize) > v && s.head != TokenSyntax::ROOT;
        if !prenominal
            || !matches!(s.upos, Upos::Adj | Upos::Verb)
            || !matches!(s.xpos, "JJ" | "VBN" | "VBD")
            || !matches!(syntax[v - 1].upos, Upos::Noun | Upos::Propn)
            // A "noun" that is an event verb's bare form may be the verb itself ("the
            // Palestinians reject proposed changes").
            || is_event_verb(lexicon, &text(v - 1).to_lowercase())
        {
            continue;
        }
        let Some(lemma) = past_form_of_event_verb(lexicon, text(v)) else { continue };
        // The clause goes on to the next comma without another finite verb ("US led
        // forces attacked the town" is not "led").
        let clause_end = (v + 1..end).find(|&k| matches!(text(k), "," | ";" | ":")).unwrap_or(end);
        if (v + 1..clause_end).any(|k| finite(&syntax[k])) {
            return None;
        }
        return Some((v, lemma));
    }
    None
}

/// Whether a lemma starts a verb pattern of the dictionary.
fn is_event_verb(lexicon: &Lexicon, lemma: &str) -> bool {
    lexicon.events.for_head(lemma).any(|p| !p.noun)
}

/// The lemma of a lower-case past form ("wounded", "telephoned", "expelled", "denied",
/// "shot") whose verb starts a verb pattern of the dictionary.
fn past_form_of_event_verb(lexicon: &Lexicon, form: &str) -> Option<String> {
    if form.chars().next().is_none_or(|c| !c.is_lowercase()) {
        return None;
    }
    let is_event_verb = |lemma: &str| is_event_verb(lexicon, lemma);
    if let Some(base) = lexicon.verb_forms.irregular.get(form) {
        return is_event_verb(base).then(|| base.clone());
    }
    let stem = form.strip_suffix("ed")?;
    let mut candidates = vec![format!("{stem}e"), stem.to_string()];
    if let Some(y) = stem.strip_suffix('i') {
        candidates.push(format!("{y}y"));
    }
    let b = stem.as_bytes();
    if b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] {
        candidates.push(stem[..stem.len() - 1].to_string());
    }
    candidates.into_iter().find(|c| is_event_verb(c))
}

/// The sentence `first..end` parsed again with `verb` tagged as a past-tense verb: each
/// word's head (`None` for the root) and relation, when the verb then has a subject
/// before it.
fn reparse_as_verb(
    doc: &Document,
    first: usize,
    end: usize,
    verb: usize,
) -> Option<Vec<(Option<usize>, DepRel)>> {
    let model = SyntaxModel::builtin().ok()?;
    let vbd = model.tagger.classes.iter().position(|(u, x)| *u == Upos::Verb && x == "VBD")?;
    let forms: Vec<&str> = (first..end).map(|k| &doc.text[doc.tokens[k].span.range()]).collect();
    let mut analysis = Analysis::default();
    model.tag(&forms, &mut analysis);
    analysis.tags[verb - first] = u8::try_from(vbd).ok()?;
    model.parse_tagged(&mut analysis);
    let parse: Vec<(Option<usize>, DepRel)> =
        (0..forms.len()).map(|i| (analysis.head(i), model.relation(analysis.label(i)))).collect();
    let v = verb - first;
    let has_subject = parse
        .iter()
        .enumerate()
        .any(|(k, &(head, rel))| k < v && head == Some(v) && rel == DepRel::Nsubj);
    has_subject.then_some(parse)
}

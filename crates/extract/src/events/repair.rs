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
//! - **A parenthetical inside a clause.** "something that the US and Germany, in
//!   particular, have ruled out": the parser takes the phrase set off by commas for the
//!   start of a new clause and loses the subject. The sentence is parsed again without
//!   the phrases `[constructions] parentheticals` of `modality.toml` lists and their
//!   commas, which then depend on the word after them.
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
            if let Some(parse) = without_parentheticals(doc, lexicon, first, end) {
                let syntax = out.get_or_insert_with(|| doc.syntax.clone());
                for (k, (head, deprel)) in parse.into_iter().enumerate() {
                    let token = &mut syntax[first + k];
                    token.head = head.map_or(TokenSyntax::ROOT, |h| (first + h) as u32);
                    token.deprel = deprel;
                }
            }
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

/// The sentence `first..end` parsed again without its parentheticals (see the module doc):
/// each word's head (`None` for the root) and relation; `None` when it has none. A
/// parenthetical is a listed phrase between two commas, with a word before the first.
fn without_parentheticals(
    doc: &Document,
    lexicon: &Lexicon,
    first: usize,
    end: usize,
) -> Option<Vec<(Option<usize>, DepRel)>> {
    let phrases = &lexicon.modality.constructions.parentheticals;
    if phrases.is_empty() {
        return None;
    }
    let forms: Vec<&str> = (first..end).map(|k| &doc.text[doc.tokens[k].span.range()]).collect();
    let n = forms.len();
    let mut dropped = vec![false; n];
    let mut any = false;
    for open in 1..n {
        if forms[open] != "," || dropped[open] {
            continue;
        }
        // The phrase runs to the next comma, within four words.
        let Some(close) = (open + 1..n.min(open + 6)).find(|&k| forms[k] == ",") else {
            continue;
        };
        if close == open + 1 || close + 1 >= n {
            continue;
        }
        let phrase = forms[open + 1..close].join(" ").to_lowercase();
        if phrases.contains(&phrase) {
            dropped[open..=close].iter_mut().for_each(|d| *d = true);
            any = true;
        }
    }
    if !any {
        return None;
    }
    let kept: Vec<usize> = (0..n).filter(|&k| !dropped[k]).collect();
    let kept_forms: Vec<&str> = kept.iter().map(|&k| forms[k]).collect();
    let model = SyntaxModel::builtin().ok()?;
    let mut analysis = Analysis::default();
    model.analyze(&kept_forms, &mut analysis);
    let mut parse: Vec<(Option<usize>, DepRel)> = vec![(None, DepRel::Punct); n];
    for (i, &k) in kept.iter().enumerate() {
        parse[k] = (analysis.head(i).map(|h| kept[h]), model.relation(analysis.label(i)));
    }
    // A dropped word depends on the kept word after it, or on that word's head when it
    // is a function word.
    for k in (0..n).filter(|&k| dropped[k]) {
        let next = (k + 1..n).find(|&j| !dropped[j])?;
        let anchor = match parse[next] {
            (Some(head), DepRel::Aux | DepRel::AuxPass | DepRel::Det | DepRel::Case) => head,
            _ => next,
        };
        let rel = if forms[k] == "," { DepRel::Punct } else { DepRel::Advmod };
        parse[k] = (Some(anchor), rel);
    }
    Some(parse)
}

#[cfg(test)]
mod tests {
    use newsgraph_model::Article;

    use super::*;
    use crate::extract;

    fn parsed(text: &str) -> Document {
        let mut article = Article::from_text(text);
        article.published = Some("2024-12-01".to_string());
        extract(article, Lexicon::builtin())
    }

    #[test]
    fn a_parenthetical_is_parsed_away_and_hangs_on_the_word_after_it() {
        let doc = parsed(
            "Peru called for an invitation to join the alliance, something that the UK and France, in particular, have ruled out.",
        );
        let word = |w: &str| doc.tokens.iter().position(|t| &doc.text[t.span.range()] == w);
        let s = &doc.sentences[0];
        let parse = without_parentheticals(
            &doc,
            Lexicon::builtin(),
            s.first_token as usize,
            s.end_token as usize,
        )
        .expect("a parenthetical");
        let (uk, ruled, particular) =
            (word("UK").unwrap(), word("ruled").unwrap(), word("particular").unwrap());
        let first = s.first_token as usize;
        assert_eq!(parse[uk - first], (Some(ruled - first), DepRel::Nsubj));
        // The phrase's words depend on what follows them, never the reverse.
        let (head, rel) = parse[particular - first];
        assert!(head.is_some_and(|h| h > particular - first) && rel == DepRel::Advmod);
        assert!(parse.iter().all(|&(h, _)| h != Some(particular - first)));
        // A phrase that is no parenthetical of the list is left alone.
        let doc = parsed("Peru sent aid to Chile, especially food, on Monday.");
        let s = &doc.sentences[0];
        assert!(
            without_parentheticals(
                &doc,
                Lexicon::builtin(),
                s.first_token as usize,
                s.end_token as usize
            )
            .is_none()
        );
    }
}

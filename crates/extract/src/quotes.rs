//! The `quotes` stage: direct, partial and indirect quotes with their speakers and
//! addressees.
//!
//! Reads: segments, syntax, entities (with the mentions `coref` added). Writes: the
//! quotes layer, sorted by start, and a diagnostic for each quotation mark left open.
//!
//! - **Marked quotes.** Quotation marks of any style pair up within a paragraph: a mark
//!   after a space or at the start opens, a mark right after a word or punctuation closes,
//!   whatever its shape (so "…now.“" closes). A quote left open at the end of its
//!   paragraph ends there; when the next paragraph opens with a mark it is the same
//!   speech going on, otherwise the stray mark is reported. A marked quote is `partial`
//!   when it sits inside a sentence that goes on around it ("warned of a “terrible
//!   threat”"), else `direct`.
//! - **Speakers.** The speech verbs of `speech.toml` ("said", "told", "added") in the
//!   quote's sentence, outside the quote, nearest first: the verb's subject is the
//!   speaker, through the entity whose mention covers it ("he" is Rutte once coreference
//!   linked it). "according to X" makes X the speaker. A quote with no cue takes the
//!   speaker of the quotes around it (the previous one within three paragraphs, else the
//!   next one).
//! - **Addressees.** The cue verb's object ("told the FT") or its "to" oblique, as
//!   `speech.toml` says for that verb; through a nested cue ("Rutte said he told Trump").
//! - **Indirect speech.** A speech verb outside quotation marks with a clausal complement
//!   ("Rutte said (that) deepening ties ... threatened America") reports that clause.

use newsgraph_lexicon::Addressee;
use newsgraph_model::{
    DepRel, Diagnostic, Document, EntityType, Layer, Quote, QuoteKind, Span, Upos,
};

use crate::Lexicon;
use crate::coref::owners;
use crate::entities::Tokens;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage {
    name: "quotes",
    reads: &[Layer::Segments, Layer::Syntax, Layer::Entities, Layer::Coreference, Layer::Times],
    writes: Layer::Quotes,
    run,
};

const OPENING: &[char] = &['“', '«', '„', '"', '‘', '‹'];
const CLOSING: &[char] = &['”', '»', '"', '“', '’', '›'];

/// A pair of quotation marks found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marked {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset of the content's first byte.
    pub start: usize,
    /// Byte offset past the content's last byte.
    pub end: usize,
    /// Whether a closing mark was found (else the quote ran to its paragraph's end).
    pub closed: bool,
    /// Whether the next paragraph opens with a mark, so that the speech goes on there.
    pub continued: bool,
}

fn is_single(c: char) -> bool {
    matches!(c, '‘' | '’' | '‹' | '›')
}

/// Every quotation in `text`, paragraph by paragraph (a paragraph ends at a newline).
/// Single marks (‘ ’) count only where they cannot be apostrophes: an opening one after a
/// space and before a letter, a closing one before a space or punctuation.
pub fn find_marked(text: &str) -> Vec<Marked> {
    let mut found: Vec<Marked> = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut nested = 0usize;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        if c == '\n' {
            nested = 0;
            if let Some((start, mark)) = open.take() {
                let content_start = start + mark.len_utf8();
                let end = text[content_start..at].trim_end().len() + content_start;
                let rest = text[at..].trim_start();
                let continued = rest.starts_with(OPENING);
                found.push(Marked {
                    open: start,
                    start: content_start,
                    end,
                    closed: false,
                    continued,
                });
            }
            previous = Some(c);
            continue;
        }
        let after_space =
            previous.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–'));
        let before_space = next.is_none_or(|n| {
            n.is_whitespace() || n.is_ascii_punctuation() || matches!(n, '—' | '–' | '”' | '’')
        });
        match open {
            // A curly quote inside a curly quote (`“I’d rather live in what he calls
            // “hell” than ...”`): its marks face their way, so the inner pair nests.
            Some((_, '“'))
                if c == '“' && after_space && next.is_some_and(|n| !n.is_whitespace()) =>
            {
                nested += 1;
            }
            Some((_, '“')) if c == '”' && nested > 0 => {
                nested -= 1;
            }
            Some((start, mark)) => {
                // (A straight mark after a space closes when no word follows it, as after
                // a quote within the quote: `... the term 'outreach,' " he said`.)
                let lone = c == '"' && next.is_none_or(|n| n.is_whitespace() || n == ',');
                let closes = CLOSING.contains(&c)
                    && (!after_space || c == '”' || c == '»' || lone)
                    && is_single(c) == is_single(mark);
                let closes = closes && (!is_single(c) || before_space);
                if closes {
                    let content_start = start + mark.len_utf8();
                    found.push(Marked {
                        open: start,
                        start: content_start,
                        end: text[content_start..at].trim_end().len() + content_start,
                        closed: true,
                        continued: false,
                    });
                    open = None;
                }
            }
            None => {
                // A closing double mark may open by mistake: after a space or at a
                // paragraph's start, before a capital (`”Fear. I am afraid ...”`).
                let misturned = c == '”' && after_space && next.is_some_and(char::is_uppercase);
                let opens = (OPENING.contains(&c) || misturned)
                    && (after_space || !is_single(c))
                    && next.is_some_and(|n| !n.is_whitespace() || c == '“' || c == '«')
                    && (!is_single(c) || next.is_some_and(char::is_alphabetic));
                if opens {
                    open = Some((at, c));
                }
            }
        }
        previous = Some(c);
    }
    if let Some((start, mark)) = open {
        let content_start = start + mark.len_utf8();
        let end = text[content_start..].trim_end().len() + content_start;
        found.push(Marked {
            open: start,
            start: content_start,
            end,
            closed: false,
            continued: false,
        });
    }
    found.retain(|m| m.end > m.start);
    found
}

/// Which tokens lie inside the quotations `marked` found.
pub(crate) fn quoted_tokens(doc: &Document, marked: &[Marked]) -> Vec<bool> {
    let mut in_quote = vec![false; doc.tokens.len()];
    for m in marked {
        let first = doc.tokens.partition_point(|t| (t.span.end as usize) <= m.start);
        let last = doc.tokens.partition_point(|t| (t.span.start as usize) < m.end);
        for flag in &mut in_quote[first..last] {
            *flag = true;
        }
    }
    in_quote
}

/// The first and last token of the subtree under `root` (within its sentence).
fn subtree(tokens: &Tokens<'_>, root: usize) -> (usize, usize) {
    let Some(sentence) = tokens.sentence_of(root) else { return (root, root) };
    let (lo, hi) = (sentence.first_token as usize, sentence.end_token as usize);
    let (mut first, mut last) = (root, root);
    for t in lo..hi {
        let mut cursor = Some(t);
        let mut steps = 0;
        while let Some(c) = cursor {
            if c == root {
                first = first.min(t);
                last = last.max(t);
                break;
            }
            steps += 1;
            if steps > hi - lo {
                break;
            }
            cursor = tokens.head(c);
        }
    }
    (first, last)
}

/// A speech cue: whether it has a subject, its speaker and addressee entities, and the
/// cue's span.
struct Cue {
    /// The cue verb, when a verb is the cue.
    verb: Option<usize>,
    has_subject: bool,
    speaker: Option<u32>,
    addressee: Option<u32>,
    span: Span,
}

fn entity_of_subtree(tokens: &Tokens<'_>, owner: &[Option<usize>], root: usize) -> Option<u32> {
    if let Some(idx) = owner[root] {
        // A place the parser made the head of a titled name (`Dorvan Gov. Ana Ruiz`, the
        // rest hung on "Dorvan" as flat words) is the name's bearer's state: the bearer
        // speaks.
        let place =
            tokens.doc.entities.get(idx).is_some_and(|e| {
                matches!(e.entity_type, EntityType::Location | EntityType::Country)
            });
        let bearer = place
            .then(|| {
                tokens
                    .children(root)
                    .filter(|&c| c > root && tokens.deprel(c) == DepRel::Flat)
                    .filter_map(|c| owner[c])
                    .filter(|&o| {
                        tokens
                            .doc
                            .entities
                            .get(o)
                            .is_some_and(|e| e.entity_type == EntityType::Person)
                    })
                    .last()
            })
            .flatten();
        return Some(bearer.unwrap_or(idx) as u32);
    }
    let (first, last) = subtree(tokens, root);
    // The head noun's own mention first, then any mention in the phrase.
    (first..=last).find_map(|t| owner[t]).map(|idx| idx as u32)
}

fn cue_at(
    lexicon: &Lexicon,
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    in_quote: &[bool],
    verb: usize,
) -> Option<Cue> {
    if !matches!(tokens.upos(verb), Some(Upos::Verb)) {
        return misread_cue(lexicon, tokens, owner, in_quote, verb);
    }
    let addressee_kind = speech_verb(lexicon, tokens, verb)?;
    let children: Vec<usize> = tokens.children(verb).collect();
    // The speaker is never inside the quotation: a subject the parser found there
    // (`“One of the reasons ...,” Mr. Obama said`) is none.
    // (Nor is a day the parser took for the subject: `posts early Friday saying ...`.)
    let subject = children
        .iter()
        .copied()
        .find(|&c| matches!(tokens.deprel(c), DepRel::Nsubj))
        .filter(|&c| !in_quote[c] && !in_time(tokens, c));
    // A verb hung on a participle on an actor is that actor's (`demonstrators marching
    // through the streets chanted`), before any name right before the verb.
    let subject = subject.or_else(|| participle_actor(tokens, owner, in_quote, verb));
    // A name right before the verb is its subject where the parser hung the subject on a
    // phrase further left that does not hold that name (`A cashier ... is held
    // accountable, Warren said`; `These employees, Stumpf explained, were ...`).
    let subject = match subject {
        Some(s)
            if verb > 0
                && s + 1 < verb
                && !in_quote[verb - 1]
                && owner[verb - 1].is_some()
                && !in_time(tokens, verb - 1)
                && matches!(tokens.upos(verb - 1), Some(Upos::Propn | Upos::Pron))
                && subtree(tokens, s).1 < verb - 1 =>
        {
            Some(verb - 1)
        }
        other => other,
    };
    // After a quote the subject may follow its verb (`“...,” said Rep. Ana Ruiz`), where
    // the parser often takes it for an object or oblique: the noun phrase right after.
    let subject = subject.or_else(|| {
        (verb > 0 && tokens.upos(verb - 1) == Some(Upos::Punct))
            .then(|| {
                children.iter().copied().find(|&c| {
                    c > verb
                        && matches!(
                            tokens.deprel(c).base(),
                            DepRel::Obl | DepRel::Obj | DepRel::Nmod | DepRel::Appos
                        )
                        && matches!(tokens.upos(c), Some(Upos::Propn | Upos::Noun))
                        && subtree(tokens, c).0 == verb + 1
                        && owner[c].is_some()
                })
            })
            .flatten()
    });
    // A name right before the verb the parser hung elsewhere (`“...,” Mr. Tarrow said`,
    // `Tarrow continued:` with the name taken for an adverb); not a day or a date
    // (`tweets early Friday saying ...`).
    let subject = subject.or_else(|| {
        (verb > 0
            && owner[verb - 1].is_some()
            && !in_time(tokens, verb - 1)
            && !in_quote[verb - 1]
            && (matches!(tokens.upos(verb - 1), Some(Upos::Propn | Upos::Pron | Upos::Noun))
                || tokens.capitalized(verb - 1))
            && !children.iter().any(|&c| tokens.deprel(c) == DepRel::Expl))
        .then_some(verb - 1)
    });
    // `“...,” said Mr. Ana Ruiz` where the parser made the name something else: the
    // first name in the words right after the verb, before any punctuation or verb (past
    // honorifics, titles and descriptions: `said 9/11 widow Ana Ruiz`, `said the Rev.
    // Ana Ruiz`).
    let subject = subject.or_else(|| {
        // Right after the quotation: its closing mark, maybe a comma.
        let after_quote = (verb >= 1 && tokens.text(verb - 1).starts_with(CLOSING))
            || (verb >= 2
                && tokens.upos(verb - 1) == Some(Upos::Punct)
                && tokens.text(verb - 2).starts_with(CLOSING));
        if !after_quote {
            return None;
        }
        (verb + 1..(verb + 7).min(tokens.doc.tokens.len()))
            .take_while(|&t| {
                !in_quote[t]
                    && !matches!(tokens.upos(t), Some(Upos::Punct | Upos::Verb | Upos::Aux))
            })
            .find(|&t| owner[t].is_some() && tokens.upos(t) != Some(Upos::Pron))
    });
    // `Ana Ruiz, the mayor of Dorvale, said` with no subject found: the first name of
    // the phrase before the verb, back to the quote or the sentence's start.
    let subject = subject.or_else(|| {
        if verb == 0 || tokens.text(verb - 1) != "," {
            return None;
        }
        let sentence = tokens.sentence_of(verb)?;
        let mut lo = verb - 1;
        while lo > sentence.first_token as usize && !in_quote[lo - 1] {
            lo -= 1;
        }
        (lo..verb - 1).find(|&t| {
            owner[t].is_some() && matches!(tokens.upos(t), Some(Upos::Propn | Upos::Noun))
        })
    });
    // The noun phrase between a closing mark and the verb, or right after the verb,
    // where the parser found no subject (`“...,” the Veloria Fund report stated`,
    // `“...,” said the ruling`): the speaker it names.
    let phrase = if subject.is_none() {
        phrase_before_cue(tokens, in_quote, verb)
            .map(|first| (first, verb))
            .or_else(|| phrase_after_cue(tokens, in_quote, verb).map(|(f, l)| (f, l + 1)))
    } else {
        None
    };
    // A conjunct, a participle or an infinitive with no subject of its own speaks with
    // its governor's (`Ruiz stressed ... and said`, `He defended it, saying`, `went on
    // to say`).
    let subject = match phrase {
        Some(_) => None,
        None => subject.or_else(|| inherited_subject(tokens, owner, in_quote, verb)),
    };
    let speaker = match phrase {
        Some((first, end)) => phrase_speaker(tokens, owner, first, end),
        None => subject.and_then(|s| entity_of_subtree(tokens, owner, s)),
    };
    let addressee_of = |verb: usize, kind: Addressee| -> Option<u32> {
        let children: Vec<usize> = tokens.children(verb).collect();
        match kind {
            Addressee::None => None,
            Addressee::Object => children
                .iter()
                .copied()
                .find(|&c| matches!(tokens.deprel(c), DepRel::Obj | DepRel::Iobj))
                .and_then(|o| entity_of_subtree(tokens, owner, o)),
            Addressee::To => children
                .iter()
                .copied()
                .find(|&c| {
                    tokens.deprel(c).base() == DepRel::Obl
                        && tokens.children(c).any(|k| tokens.lemma(k) == "to")
                })
                .and_then(|o| entity_of_subtree(tokens, owner, o)),
        }
    };
    let mut addressee = addressee_of(verb, addressee_kind);
    if addressee.is_none() {
        // A nested cue: "Rutte said he told Trump".
        for &child in &children {
            if tokens.deprel(child) == DepRel::Ccomp
                && let Some(kind) = lexicon.speech.verb(&tokens.lemma(child))
            {
                addressee = addressee_of(child, kind);
            }
        }
    }
    let (start, end) = match subject {
        // The name before the verb, not the phrase the parser made of it.
        Some(s) if s + 1 == verb && tokens.head(s) != Some(verb) => {
            let mut first = s;
            while first > 0 && owner[first - 1].is_some() && owner[first - 1] == owner[s] {
                first -= 1;
            }
            (first, verb)
        }
        // (Up to the verb when the verb is part of the subject's phrase: `protesters
        // marching ... chanted`.)
        Some(s) => {
            let (first, last) = subtree(tokens, s);
            let last = if s < verb && last > verb { verb } else { last };
            (first.min(verb), last.max(verb))
        }
        None => match phrase {
            Some((first, end)) => (first.min(verb), (end - 1).max(verb)),
            None => (verb, verb),
        },
    };
    Some(Cue {
        verb: Some(verb),
        has_subject: subject.is_some() || phrase.is_some(),
        speaker,
        addressee,
        span: tokens.span(start, end),
    })
}

/// How the cue verb at `verb` takes its addressee, when it is one: by its lemma, with its
/// particle ("point out"), or with its object "it" right after it ("as the memo put it").
pub(crate) fn speech_verb(
    lexicon: &Lexicon,
    tokens: &Tokens<'_>,
    verb: usize,
) -> Option<Addressee> {
    let lemma = tokens.lemma(verb);
    let particle = tokens
        .children(verb)
        .find(|&c| {
            tokens.deprel(c) == DepRel::CompoundPrt
                || (c == verb + 1
                    && tokens.deprel(c) == DepRel::Obj
                    && tokens.text(c).eq_ignore_ascii_case("it"))
        })
        .map(|c| format!("{lemma} {}", tokens.lemma(c).to_lowercase()));
    particle.as_deref().and_then(|p| lexicon.speech.verb(p)).or_else(|| lexicon.speech.verb(&lemma))
}

/// Whether token `t` lies in a time expression ("Friday", "last March").
fn in_time(tokens: &Tokens<'_>, t: usize) -> bool {
    let span = tokens.doc.tokens[t].span;
    tokens.doc.times.iter().any(|x| x.span.start <= span.start && span.end <= x.span.end)
}

/// The cue of a quoted phrase in a free relative (`condemned what she called a
/// “breach”`, `urged them to read what he called the “real story”`) moves to the clause
/// that governs it when that clause's subject is the same speaker: that clause states
/// what the quote is part of.
fn main_clause_cue(
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    in_quote: &[bool],
    cue: Cue,
) -> Cue {
    let (Some(verb), Some(speaker)) = (cue.verb, cue.speaker) else { return cue };
    let what = tokens
        .children(verb)
        .chain(tokens.head(verb))
        .find(|&t| tokens.text(t).eq_ignore_ascii_case("what") && t < verb);
    let Some(what) = what else { return cue };
    let mut node =
        if tokens.head(verb) == Some(what) { tokens.head(what) } else { tokens.head(verb) };
    for _ in 0..6 {
        let Some(n) = node else { break };
        if in_quote[n] {
            break;
        }
        if n != verb && tokens.upos(n) == Some(Upos::Verb) {
            let subject = tokens
                .children(n)
                .find(|&c| matches!(tokens.deprel(c), DepRel::Nsubj))
                .or_else(|| inherited_subject(tokens, owner, in_quote, n));
            if let Some(subject) = subject.filter(|&s| s < what && !in_quote[s]) {
                let (from, last) = subtree(tokens, subject);
                if (from..=last).any(|t| owner[t] == Some(speaker as usize)) {
                    let to = if n < what { n } else { subject };
                    return Cue { span: tokens.span(from, to.max(from)), ..cue };
                }
                return cue;
            }
        }
        node = tokens.head(n);
    }
    cue
}

/// The speech verb lemma a word's form may be ("asks" -> "ask", "recalled" -> "recall",
/// "writing" -> "write", "read"), when the lexicon knows it as a cue.
fn speech_lemma(lexicon: &Lexicon, form: &str) -> Option<String> {
    let lower = form.to_lowercase();
    let mut candidates: Vec<String> = Vec::new();
    if let Some(base) = lexicon.verb_forms.irregular.get(&lower) {
        candidates.push(base.clone());
    }
    candidates.push(lower.clone());
    for suffix in ["ing", "ed", "es", "s", "d"] {
        if let Some(stem) = lower.strip_suffix(suffix).filter(|s| s.len() >= 2) {
            candidates.push(stem.to_string());
            candidates.push(format!("{stem}e"));
            // A doubled last consonant: "chatted", "admitting".
            let mut chars = stem.chars().rev();
            if let (Some(a), Some(b)) = (chars.next(), chars.next())
                && a == b
            {
                candidates.push(stem[..stem.len() - a.len_utf8()].to_string());
            }
        }
    }
    candidates.into_iter().find(|c| lexicon.speech.verb(c).is_some())
}

/// The short noun phrase between a quote's closing mark (maybe a comma after it) and the
/// cue word `word` that names the speaker (`“...,” the letter reads`, `“...?” a narrator
/// in the ad asks`): one to six words, no verb among them, opening with a determiner, a
/// pronoun or a name, and the cue word no possessor's noun (`“...” as examples of Ruiz's
/// comments`). Its first token.
pub(crate) fn phrase_before_cue(
    tokens: &Tokens<'_>,
    in_quote: &[bool],
    word: usize,
) -> Option<usize> {
    let sentence = tokens.sentence_of(word)?;
    let lo = sentence.first_token as usize;
    let mut first = word;
    while first > lo && word - first < 6 && !in_quote[first - 1] {
        let previous = first - 1;
        if tokens.upos(previous) == Some(Upos::Punct) {
            break;
        }
        first = previous;
    }
    let mark = (first > lo).then(|| first - 1)?;
    let closes = tokens.text(mark).starts_with(CLOSING)
        || (mark > lo && tokens.text(mark) == "," && tokens.text(mark - 1).starts_with(CLOSING));
    // (`“...,” as a ministry memo put it`.)
    if tokens.text(first) == "as" && first + 1 < word {
        first += 1;
    }
    let noun_phrase = (first..word)
        .all(|t| !matches!(tokens.upos(t), Some(Upos::Verb | Upos::Aux)))
        && (matches!(tokens.upos(first), Some(Upos::Det | Upos::Propn | Upos::Pron))
            || tokens.capitalized(first))
        && !matches!(tokens.text(word - 1), "'s" | "’s" | "'" | "’");
    (first < word && closes && noun_phrase).then_some(first)
}

/// The noun phrase right after a cue verb that follows a quote's closing mark (maybe a
/// comma between), the speaker put after the verb (`“...,” said the ruling`, `“...,” said
/// one source on the panel`): up to six words before punctuation, a preposition, a verb or
/// the sentence's end, opening with a determiner, a number, an adjective or a noun. Its
/// first and last tokens.
pub(crate) fn phrase_after_cue(
    tokens: &Tokens<'_>,
    in_quote: &[bool],
    verb: usize,
) -> Option<(usize, usize)> {
    let sentence = tokens.sentence_of(verb)?;
    let (lo, hi) = (sentence.first_token as usize, sentence.end_token as usize);
    let after_quote = (verb > lo && tokens.text(verb - 1).starts_with(CLOSING))
        || (verb > lo + 1
            && tokens.text(verb - 1) == ","
            && tokens.text(verb - 2).starts_with(CLOSING));
    if !after_quote {
        return None;
    }
    let first = verb + 1;
    let mut last = first;
    while last < hi
        && last < first + 6
        && !in_quote[last]
        && !matches!(tokens.upos(last), Some(Upos::Punct | Upos::Adp | Upos::Verb | Upos::Aux))
    {
        last += 1;
    }
    let opens = first < hi
        && matches!(
            tokens.upos(first),
            Some(Upos::Det | Upos::Num | Upos::Adj | Upos::Noun | Upos::Propn)
        );
    (opens && last > first).then(|| (first, last - 1))
}

/// A speech verb the tagger read as a noun right after a quote's closing mark, behind
/// the speaker's short noun phrase and before the sentence's end or a preposition
/// (`“...,” Mr. Ruiz recalled of the hearing`, `“...?” a narrator in the ad asks.`).
fn misread_cue(
    lexicon: &Lexicon,
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    in_quote: &[bool],
    word: usize,
) -> Option<Cue> {
    let first = misread_phrase(lexicon, tokens, in_quote, word)?;
    Some(Cue {
        verb: None,
        has_subject: true,
        speaker: phrase_speaker(tokens, owner, first, word),
        addressee: None,
        span: tokens.span(first, word),
    })
}

/// The first token of the speaker's phrase before `word` when `word` is a speech verb the
/// tagger read as a noun (see [`misread_cue`]).
pub(crate) fn misread_phrase(
    lexicon: &Lexicon,
    tokens: &Tokens<'_>,
    in_quote: &[bool],
    word: usize,
) -> Option<usize> {
    let n = tokens.doc.tokens.len();
    if in_quote[word] || !matches!(tokens.upos(word), Some(Upos::Noun | Upos::Propn | Upos::Adj)) {
        return None;
    }
    let text = tokens.text(word);
    if !text.chars().all(char::is_alphabetic) {
        return None;
    }
    speech_lemma(lexicon, text)?;
    let sentence = tokens.sentence_of(word)?;
    let hi = (sentence.end_token as usize).min(n);
    let ends = word + 1 >= hi
        || matches!(tokens.upos(word + 1), Some(Upos::Punct | Upos::Adp))
        || tokens.text(word + 1).starts_with(CLOSING);
    if !ends {
        return None;
    }
    phrase_before_cue(tokens, in_quote, word)
}

/// The speaker a noun phrase (tokens `first..end`) names: its head's, before any
/// prepositional phrase (`a narrator in the Ruiz ad` is no Ruiz), else the last name in
/// it (`the Veloria Fund report` is the fund's), else any actor in it.
fn phrase_speaker(
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    first: usize,
    end: usize,
) -> Option<u32> {
    let head_end = (first..end).find(|&t| tokens.upos(t) == Some(Upos::Adp)).unwrap_or(end);
    let head = head_end.checked_sub(1).filter(|&h| h >= first);
    head.and_then(|h| owner[h])
        .or_else(|| {
            (first..head_end)
                .rev()
                .find(|&t| owner[t].is_some() && tokens.upos(t) == Some(Upos::Propn))
                .and_then(|t| owner[t])
        })
        .or_else(|| (first..head_end).rev().find_map(|t| owner[t]))
        .map(|i| i as u32)
}

/// The actor a participle modifies (`protesters marching ... `, `a spokesman saying`).
fn on_actor(
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    in_quote: &[bool],
    node: usize,
) -> Option<usize> {
    let participle =
        tokens.doc.syntax.get(node).is_some_and(|s| s.xpos == "VBG" || s.xpos == "VBN");
    tokens
        .head(node)
        .filter(|&h| tokens.deprel(node) == DepRel::Acl && participle && h < node)
        .filter(|&h| !in_quote[h] && owner[h].is_some())
}

/// The actor a verb speaks for through an open complement or a conjunct of a
/// participle on that actor (`demonstrators marching through the streets chanted`,
/// where the parser hangs "chanted" on "marching"), up through three such links.
fn participle_actor(
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    in_quote: &[bool],
    verb: usize,
) -> Option<usize> {
    let mut node = verb;
    for _ in 0..3 {
        if let Some(actor) = on_actor(tokens, owner, in_quote, node) {
            return Some(actor);
        }
        if !matches!(tokens.deprel(node), DepRel::Xcomp | DepRel::Conj) {
            return None;
        }
        node = tokens.head(node).filter(|&h| !in_quote[h])?;
    }
    None
}

/// The subject a verb without one shares with the verb that governs it: a conjunct
/// (`Ruiz stressed her support and said`), a participle after its clause (`He defended
/// the remark, saying`, `began by saying`) or an infinitive (`went on to say`, not `told
/// them to say`), up through three such links; a participle on someone is theirs
/// (`protesters marching through the streets chanted`).
fn inherited_subject(
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    in_quote: &[bool],
    verb: usize,
) -> Option<usize> {
    let on_actor = |node: usize| on_actor(tokens, owner, in_quote, node);
    if let Some(actor) = on_actor(verb) {
        return Some(actor);
    }
    // A participle on a thing said is said by whoever made it: `issued a statement
    // saying ...`, `posted a series of messages saying ...` (up from the noun through
    // its objects and modifiers to a verb with a subject).
    // (The parser makes such a participle a clause of the noun or an adverbial one.)
    if matches!(tokens.deprel(verb), DepRel::Acl | DepRel::Advcl)
        && tokens.doc.syntax.get(verb).is_some_and(|s| s.xpos == "VBG")
        && let Some(noun) = tokens.head(verb).filter(|&h| h < verb)
        && tokens.upos(noun) == Some(Upos::Noun)
    {
        let mut node = noun;
        for _ in 0..3 {
            if !matches!(tokens.deprel(node).base(), DepRel::Obj | DepRel::Nmod) {
                return None;
            }
            let head = tokens.head(node)?;
            if tokens.upos(head) == Some(Upos::Verb) {
                return tokens
                    .children(head)
                    .find(|&c| tokens.deprel(c) == DepRel::Nsubj)
                    .filter(|&c| !in_quote[c] && c < noun);
            }
            node = head;
        }
        return None;
    }
    let mut node = verb;
    for _ in 0..3 {
        let head = tokens.head(node)?;
        let governs = match tokens.deprel(node) {
            DepRel::Conj => true,
            DepRel::Advcl => {
                head < node && tokens.doc.syntax.get(node).is_some_and(|s| s.xpos == "VBG")
            }
            // (An object the parser found inside the quotation is none.)
            DepRel::Xcomp => !tokens
                .children(head)
                .any(|c| !in_quote[c] && matches!(tokens.deprel(c), DepRel::Obj | DepRel::Iobj)),
            _ => false,
        };
        if !governs
            || in_quote[head]
            || !matches!(tokens.upos(head), Some(Upos::Verb | Upos::Aux | Upos::Adj))
        {
            return None;
        }
        if let Some(subject) = tokens
            .children(head)
            .find(|&c| matches!(tokens.deprel(c), DepRel::Nsubj | DepRel::NsubjPass))
        {
            return (!in_quote[subject]).then_some(subject);
        }
        if let Some(actor) = on_actor(head) {
            return Some(actor);
        }
        node = head;
    }
    None
}

fn run(doc: &mut Document, lexicon: &Lexicon) {
    let (quotes, diagnostics) = find_quotes(doc, lexicon);
    doc.quotes = quotes;
    doc.diagnostics.extend(diagnostics);
}

fn find_quotes(doc: &Document, lexicon: &Lexicon) -> (Vec<Quote>, Vec<Diagnostic>) {
    let tokens = Tokens { doc };
    let owner = owners(doc, &doc.entities);
    let marked = find_marked(&doc.text);
    let mut diagnostics = Vec::new();
    let n = doc.tokens.len();
    for m in marked.iter().filter(|m| !m.closed && !m.continued) {
        diagnostics.push(Diagnostic {
            stage: "quotes",
            span: Some(Span::new(m.open as u32, m.open as u32 + 1)),
            message: "quotation mark never closed; the quote ends with its paragraph".to_string(),
        });
    }
    let in_quote = quoted_tokens(doc, &marked);
    // Who speaks is named outside the quotation.
    let owner_out: Vec<Option<usize>> =
        owner.iter().zip(&in_quote).map(|(&o, &q)| o.filter(|_| !q)).collect();
    // Paragraphs: text between blank or line breaks; a run of newlines is one break.
    let breaks: Vec<usize> = doc
        .text
        .match_indices('\n')
        .map(|(at, _)| at)
        .filter(|&at| !doc.text[at + 1..].starts_with('\n'))
        .collect();
    let paragraph_of = |byte: usize| breaks.partition_point(|&b| b < byte);

    let mut quotes: Vec<(Quote, usize)> = Vec::new();
    let mut sources: Vec<&Marked> = Vec::new();
    for m in &marked {
        let first = doc.tokens.partition_point(|t| (t.span.end as usize) <= m.start);
        let last = doc.tokens.partition_point(|t| (t.span.start as usize) < m.end);
        if first >= last
            || nickname(&doc.text, m)
            || title(lexicon, &tokens, m, first, last)
            || modifier(&tokens, &owner, m, first, last)
        {
            continue;
        }
        // The sentences the quote touches, and the one right after it (`“...,” he said.`).
        let s_first = tokens.sentence_of(first).map_or(first, |s| s.first_token as usize);
        let mut s_end = tokens.sentence_of(last - 1).map_or(last, |s| s.end_token as usize);
        let own_end = s_end;
        // (Not a new sentence after a quote that ended its own: `... an “outlaw
        // nation.” Dorvia insisted that ...`.)
        let new_sentence = doc.text[m.start..m.end].trim_end().ends_with('.')
            && last + 1 < n
            && tokens.capitalized(last + 1);
        if s_end <= last + 1
            && !new_sentence
            && last + 1 < n
            && paragraph_of(doc.tokens[last + 1].span.start as usize) == paragraph_of(m.end)
        {
            s_end = tokens.sentence_of(last + 1).map_or(s_end, |s| s.end_token as usize).max(s_end);
        }
        let paragraph = paragraph_of(m.start);
        let mut candidates: Vec<usize> = (s_first..s_end.min(n))
            .filter(|&t| {
                !in_quote[t] && paragraph_of(doc.tokens[t].span.start as usize) == paragraph
            })
            .collect();
        // A cue of the quote's own sentence first (`Varo says the plan's “flaws are
        // fatal.” She says ...`), then the nearest that governs the quote (`Most voters
        // agreed that the plan was “fair,” while few said so of ...`), then the nearest.
        // (A quote introduced by a comma or colon is its nearest cue's: the parser often
        // hangs it on a verb further away.)
        let introduced_by_punctuation = doc.text[..m.open].trim_end().ends_with([',', ':']);
        let depth = |t: usize| {
            if introduced_by_punctuation {
                return usize::MAX;
            }
            let mut node = tokens.head(first);
            for steps in 0..3 {
                match node {
                    Some(k) if k == t => return steps,
                    Some(k) => node = tokens.head(k),
                    None => break,
                }
            }
            usize::MAX
        };
        candidates.sort_by_key(|&t| {
            (t >= own_end, depth(t), if t >= last { t - last } else { first - t })
        });
        // A cue with a subject of its own first: `Peabody said: “...,” adding that ...`
        // is Peabody's, whatever the participle after the quote leaves unsaid.
        let mut cues = candidates
            .into_iter()
            .filter_map(|t| cue_at(lexicon, &tokens, &owner_out, &in_quote, t));
        let nearest = cues.next();
        let cue = match nearest {
            Some(c) if !c.has_subject => cues.find(|c| c.has_subject).or(Some(c)),
            other => other,
        };
        let cue = cue
            .or_else(|| according_to(lexicon, &tokens, &owner, s_first, s_end.min(n), &in_quote))
            .or_else(|| attribution_line(&tokens, &owner, first, last))
            .or_else(|| introduced(lexicon, &tokens, &owner_out, &in_quote, &doc.text, m, first));
        // Partial: the sentence goes on before the quote with words that are not its cue.
        let before: Vec<usize> = (s_first..first)
            .filter(|&t| !in_quote[t] && tokens.upos(t) != Some(Upos::Punct))
            .filter(|&t| {
                cue.as_ref().is_none_or(|c| {
                    !(c.span.start <= doc.tokens[t].span.start
                        && doc.tokens[t].span.end <= c.span.end)
                })
            })
            .collect();
        let ends_sentence = doc.text[..m.end].trim_end().ends_with(['.', '?', '!', ',']);
        let short = m.end - m.start < 80;
        let partial = (before.len() >= 2 && !ends_sentence) || (before.len() >= 3 && short);
        let kind = if partial { QuoteKind::Partial } else { QuoteKind::Direct };
        // `Ruiz condemned what she called a “breach”`: the statement is the main clause's,
        // whose subject is the same speaker; it is the cue.
        let cue = match cue {
            Some(c) if partial => Some(main_clause_cue(&tokens, &owner, &in_quote, c)),
            other => other,
        };
        // A quoted phrase with no speech verb is its clause's subject's words ("praised
        // Putin as a “strong leader”").
        // Its cue is that subject and verb.
        let clause_speaker = || -> Option<(u32, Span)> {
            if kind != QuoteKind::Partial {
                return None;
            }
            let mut node = tokens.head(first)?;
            for _ in 0..6 {
                if !in_quote[node]
                    && tokens.upos(node) == Some(Upos::Verb)
                    && let Some(subject) =
                        tokens.children(node).find(|&c| tokens.deprel(c) == DepRel::Nsubj)
                {
                    let speaker = entity_of_subtree(&tokens, &owner, subject)?;
                    let from = subtree(&tokens, subject).0.min(node);
                    return Some((speaker, tokens.span(from, node)));
                }
                node = tokens.head(node)?;
            }
            None
        };
        // A quoted phrase in the headline, the text's first paragraph, that opens with a
        // name (`Ana Ruiz Vows ‘No Retreat’ on Port Deal`) is that name's: headlines are
        // parsed poorly, so the name stands for the clause's subject.
        let headline_speaker = || -> Option<(u32, Span)> {
            if kind != QuoteKind::Partial || paragraph != 0 || first == 0 {
                return None;
            }
            let speaker = owner[0]?;
            let mut end = 0;
            while end + 1 < first && owner[end + 1] == Some(speaker) {
                end += 1;
            }
            (tokens.upos(0) == Some(Upos::Propn)).then(|| (speaker as u32, tokens.span(0, end)))
        };
        let (speaker, cue_span) = match cue.as_ref() {
            Some(Cue { speaker: Some(speaker), span, .. }) => (Some(*speaker), Some(*span)),
            _ => match clause_speaker().or_else(headline_speaker) {
                Some((speaker, span)) => (Some(speaker), Some(span)),
                None => (None, cue.as_ref().map(|c| c.span)),
            },
        };
        let quote = Quote {
            span: Span::new(m.start as u32, m.end as u32),
            kind,
            speaker,
            addressee: cue.as_ref().and_then(|c| c.addressee),
            cue: cue_span,
        };
        quotes.push((quote, paragraph_of(m.start)));
        sources.push(m);
    }
    // A speech verb in `lo..hi` other than the one of `cue`: "Varo said, adding later, “...”".
    let other_cue = |lo: usize, hi: usize, cue: Span| -> bool {
        let first = doc.tokens.partition_point(|t| (t.span.end as usize) <= lo);
        let last = doc.tokens.partition_point(|t| (t.span.start as usize) < hi);
        (first..last).any(|t| {
            let span = doc.tokens[t].span;
            let lemma = tokens.lemma(t);
            // (A particle verb too: "Varo said, going on to list ...".)
            let particle = tokens
                .children(t)
                .find(|&c| tokens.deprel(c) == DepRel::CompoundPrt)
                .map(|c| format!("{lemma} {}", tokens.lemma(c)));
            !(cue.start <= span.start && span.end <= cue.end)
                && matches!(tokens.upos(t), Some(Upos::Verb))
                && (lexicon.speech.verb(&lemma).is_some()
                    || particle.is_some_and(|p| lexicon.speech.verb(&p).is_some()))
        })
    };
    let mut quotes = join_split(&doc.text, quotes, &sources, &paragraph_of, &other_cue);
    // Quotes with no speaker take the speaker of the quotes around them; not a phrase of
    // one to three words with no cue, which is no passage of its own (`On “Night Desk,”
    // Ruiz named ...` names a show).
    for idx in 0..quotes.len() {
        if quotes[idx].0.speaker.is_some()
            || quotes[idx].0.kind == QuoteKind::Partial
            || (quotes[idx].0.cue.is_none()
                && doc.text[quotes[idx].0.span.range()].split_whitespace().count() < 4)
        {
            continue;
        }
        let paragraph = quotes[idx].1;
        // (The quote right before, in this paragraph or the one before, even a partial
        // one: `Ruiz called the plan “reckless.”` / `“It will fail.”`.)
        // (But a quote later in its own paragraph comes before one in the paragraph before:
        // `“...” ― Ana Ruiz` / `“...” And that is all “...” ― Ida Marr`.)
        let same_paragraph_next = quotes[idx + 1..]
            .iter()
            .take_while(|(_, p)| *p == paragraph)
            .find_map(|(q, _)| q.speaker);
        let adjacent = match quotes[..idx].last() {
            Some((_, p)) if *p < paragraph && same_paragraph_next.is_some() => same_paragraph_next,
            last => last.filter(|(_, p)| paragraph - p <= 1).and_then(|(q, _)| q.speaker),
        };
        let previous = adjacent.or_else(|| {
            quotes[..idx]
                .iter()
                .rev()
                .take_while(|(_, p)| paragraph - p <= 3)
                .find_map(|(q, _)| q.speaker.filter(|_| q.kind != QuoteKind::Partial))
        });
        let next = || {
            quotes[idx + 1..]
                .iter()
                .take_while(|(_, p)| p - paragraph <= 1)
                .find_map(|(q, _)| q.speaker.filter(|_| q.kind != QuoteKind::Partial))
        };
        quotes[idx].0.speaker = previous.or_else(next);
    }
    // A quoted phrase nobody says is a title, a nickname or a scare quote ("Miss Piggy",
    // "The Apprentice"), not a quotation; so is a short passage with no speaker. (A
    // quoted phrase with no speaker of its own stays until a reported statement takes it
    // in: "Ruiz's claim that the port was “never busier”".)
    let unspoken: Vec<Span> = quotes
        .iter()
        .filter(|(q, _)| q.speaker.is_none() && q.kind == QuoteKind::Partial)
        .map(|(q, _)| q.span)
        .collect();
    let mut quotes: Vec<Quote> = quotes
        .into_iter()
        .map(|(q, _)| q)
        .filter(|q| {
            q.speaker.is_some()
                || q.kind == QuoteKind::Partial
                || (q.kind == QuoteKind::Direct
                    && doc.text[q.span.range()].split_whitespace().count() >= 4)
        })
        .collect();

    // Indirect speech: a speech verb outside quotes with a clausal complement.
    for verb in 0..n {
        if in_quote[verb] {
            continue;
        }
        let Some(cue) = cue_at(lexicon, &tokens, &owner_out, &in_quote, verb) else { continue };
        // Reported speech has someone who speaks: "Asked whether ..." reports nothing.
        if !cue.has_subject {
            continue;
        }
        // The reported content: a clause ("said (that) ..."), else an object that is not
        // the one spoken to ("highlighted the risks of ...").
        let clausal = |c: usize| {
            // The parser sometimes takes "said deepening ties ... threatened" for an
            // open complement: a verb with its own object still reports a clause.
            tokens.deprel(c) == DepRel::Ccomp
                || (tokens.deprel(c) == DepRel::Xcomp
                    && doc.syntax.get(c).is_some_and(|s| s.xpos == "VBG")
                    && tokens.children(c).any(|k| tokens.deprel(k) == DepRel::Obj))
        };
        // A clause before the verb only when it opens its sentence (`The talks will
        // fail, Ruiz said`), not a phrase fronted after something else (`In her 2010
        // book, “Grow Rich Slowly,” Ruiz suggested ...`), nor a fronted comparison the
        // parser took for one (`As odd as it seems, Ruiz said the deal ...`: an adjective
        // with no subject; the clause after "said" is what she said).
        let comparison = |c: usize| {
            tokens.upos(c) == Some(Upos::Adj)
                && !tokens.children(c).any(|k| {
                    matches!(tokens.deprel(k), DepRel::Nsubj | DepRel::NsubjPass | DepRel::Cop)
                })
        };
        let opens_sentence = |c: usize| {
            let first = subtree(&tokens, c).0;
            let Some(sentence) = tokens.sentence_of(c) else { return false };
            (sentence.first_token as usize..first).all(|t| tokens.upos(t) == Some(Upos::Punct))
        };
        let clause = tokens
            .children(verb)
            .find(|&c| clausal(c) && (c > verb || (opens_sentence(c) && !comparison(c))))
            .or_else(|| {
                // `said in a statement that the plan would cost jobs`, where the parser hung
                // the "that"-clause on the noun of speech (`speaker_nouns`): a clause with
                // a subject and an object (or a passive or copular clause) of its own after
                // "that" has no gap for a relative "that" to fill: it is what was said
                // (not `said in a statement that the ministry released`).
                let speech_noun =
                    |o: usize| lexicon.speech.speaker_nouns.iter().any(|w| *w == tokens.lemma(o));
                tokens
                    .children(verb)
                    .filter(|&o| {
                        o > verb && tokens.deprel(o).base() == DepRel::Obl && speech_noun(o)
                    })
                    .flat_map(|o| tokens.children(o).filter(move |&k| k > o))
                    .find(|&k| {
                        tokens.deprel(k).base() == DepRel::Acl
                            && tokens.text(subtree(&tokens, k).0).eq_ignore_ascii_case("that")
                            && tokens.children(k).any(|c| {
                                matches!(tokens.deprel(c), DepRel::Nsubj | DepRel::NsubjPass)
                                    && !tokens.text(c).eq_ignore_ascii_case("that")
                            })
                            && (tokens.upos(k) != Some(Upos::Verb)
                                || tokens.children(k).any(|c| {
                                    matches!(
                                        tokens.deprel(c),
                                        DepRel::Obj
                                            | DepRel::Ccomp
                                            | DepRel::Xcomp
                                            | DepRel::NsubjPass
                                            | DepRel::Cop
                                    )
                                }))
                    })
            })
            .or_else(|| {
                let kind = lexicon.speech.verb(&tokens.lemma(verb))?;
                tokens.children(verb).find(|&c| tokens.deprel(c) == DepRel::Obj).filter(|&o| {
                    // A statement, not a bare thing named ("appealed the case",
                    // "called an emergency meeting"): a noun with words of its own.
                    let (f, l) = subtree(&tokens, o);
                    kind != Addressee::Object
                        && lexicon.speech.reports_object(&tokens.lemma(verb))
                        && owner[o].is_none()
                        && tokens.upos(o) == Some(Upos::Noun)
                        && cue.speaker.is_some()
                        && l + 1 - f >= 4
                })
            });
        let Some(clause) = clause else { continue };
        // "Rutte said he told Trump: “...”": the inner cue reports the marked quote.
        // (A noun object that shares a cue verb's lemma, "denied the reports", is none.)
        if tokens.upos(clause) == Some(Upos::Verb)
            && lexicon.speech.verb(&tokens.lemma(clause)).is_some()
            && !tokens
                .children(clause)
                .any(|c| matches!(tokens.deprel(c), DepRel::Ccomp | DepRel::Obj))
        {
            continue;
        }
        if clause < verb {
            // "..., he said" after a clause: the clause is a quote without marks only when
            // it is not marked; marked ones are handled above.
            if (clause..verb).any(|t| in_quote[t]) {
                continue;
            }
        }
        let (mut first, last) = subtree(&tokens, clause);
        while first < last && matches!(tokens.lemma(first).as_str(), "that" | ",") {
            first += 1;
        }
        if (first..=last).all(|t| in_quote[t])
            || (first..=last).filter(|&t| in_quote[t]).count() * 2 > last + 1 - first
        {
            continue;
        }
        // A statement has a few words: not a parenthetical "she thinks" or a particle the
        // parser hung on the verb ("broke up"); and a clause has a verb or a subject, not
        // a noun phrase the parser took for one (`..., said one source in the room`).
        let words = (first..=last).filter(|&t| tokens.upos(t) != Some(Upos::Punct)).count();
        let noun_phrase = tokens.deprel(clause) == DepRel::Ccomp
            && matches!(tokens.upos(clause), Some(Upos::Noun | Upos::Propn | Upos::Pron))
            && !tokens.children(clause).any(|c| {
                matches!(
                    tokens.deprel(c),
                    DepRel::Nsubj | DepRel::NsubjPass | DepRel::Cop | DepRel::Aux
                )
            });
        // Nor is a participle with no subject set off after the verb (`..., the group
        // said, compared with ...`; not `said deepening ties ... would help`) a statement.
        let participle = clause > verb
            && tokens.text(verb + 1) == ","
            && doc.syntax.get(clause).is_some_and(|s| s.xpos == "VBN" || s.xpos == "VBG")
            && !tokens.children(clause).any(|c| {
                matches!(
                    tokens.deprel(c),
                    DepRel::Nsubj | DepRel::NsubjPass | DepRel::Aux | DepRel::AuxPass
                )
            });
        if words < 3 || noun_phrase || participle {
            continue;
        }
        let cue = main_clause_cue(&tokens, &owner, &in_quote, cue);
        quotes.push(Quote {
            span: tokens.span(first, last),
            kind: QuoteKind::Indirect,
            speaker: cue.speaker,
            addressee: cue.addressee,
            cue: Some(cue.span),
        });
    }
    // A noun of saying with its speaker as possessor and a "that"-clause: "Ruiz's claim
    // that the vote was rigged", "her warning that prices would rise".
    for noun in 0..n.saturating_sub(1) {
        if in_quote[noun]
            || tokens.upos(noun) != Some(Upos::Noun)
            || !lexicon.speech.reports_clause(&tokens.lemma(noun))
            || !tokens.text(noun + 1).eq_ignore_ascii_case("that")
            || tokens.deprel(noun + 1) != DepRel::Mark
        {
            continue;
        }
        let Some(possessor) =
            tokens.children(noun).find(|&c| tokens.deprel(c) == DepRel::NmodPoss && !in_quote[c])
        else {
            continue;
        };
        let Some(speaker) = entity_of_subtree(&tokens, &owner_out, possessor) else { continue };
        let Some(clause) = tokens.head(noun + 1).filter(|&c| c > noun + 1) else { continue };
        let last = subtree(&tokens, clause).1;
        let first = noun + 2;
        let words = (first..=last).filter(|&t| tokens.upos(t) != Some(Upos::Punct)).count();
        if words < 3 || (first..=last).all(|t| in_quote[t]) {
            continue;
        }
        quotes.push(Quote {
            span: tokens.span(first, last),
            kind: QuoteKind::Indirect,
            speaker: Some(speaker),
            addressee: None,
            cue: Some(tokens.span(subtree(&tokens, possessor).0, noun)),
        });
    }
    // Interview turns take the place of the marked quotes they overlap.
    let turns = turns(&tokens, &owner);
    if !turns.is_empty() {
        quotes.retain(|q| {
            q.kind == QuoteKind::Indirect
                || !turns.iter().any(|t| t.span.start < q.span.end && q.span.start < t.span.end)
        });
        quotes.extend(turns);
    }
    quotes.sort_by_key(|q| (q.span.start, q.span.end));
    let mut quotes = merge_mixed(&doc.text, quotes);
    quotes.retain(|q| {
        !(q.kind == QuoteKind::Partial && q.speaker.is_none() && unspoken.contains(&q.span))
    });
    (join_fragments(&doc.text, quotes), diagnostics)
}

/// One quotation interrupted by its cue (`“We came,” Varo said. “We stay.”`) or running
/// over paragraphs (a paragraph left open, the next one opening with a mark) is one quote:
/// its span runs from the first part to the last, the cue between them included.
fn join_split(
    text: &str,
    quotes: Vec<(Quote, usize)>,
    sources: &[&Marked],
    paragraph_of: &dyn Fn(usize) -> usize,
    other_cue: &dyn Fn(usize, usize, Span) -> bool,
) -> Vec<(Quote, usize)> {
    let mut joined: Vec<(Quote, usize, Marked)> = Vec::with_capacity(quotes.len());
    for ((quote, paragraph), &m) in quotes.into_iter().zip(sources) {
        if let Some((last, _, last_m)) = joined.last_mut()
            && last.kind == QuoteKind::Direct
            && last.speaker.is_none_or(|s| quote.speaker.is_none_or(|t| s == t))
            && joins(text, last, last_m, &quote, m, paragraph_of)
            && last.cue.or(quote.cue).is_none_or(|cue| !other_cue(last_m.end, m.open, cue))
        {
            last.span.end = quote.span.end;
            last.speaker = last.speaker.or(quote.speaker);
            last.addressee = last.addressee.or(quote.addressee);
            last.cue = last.cue.or(quote.cue);
            *last_m = *m;
            continue;
        }
        joined.push((quote, paragraph, *m));
    }
    joined.into_iter().map(|(q, p, _)| (q, p)).collect()
}

/// Whether the marked quote `b` goes on with the words of `a` (see [`join_split`]).
fn joins(
    text: &str,
    a: &Quote,
    am: &Marked,
    b: &Quote,
    bm: &Marked,
    paragraph_of: &dyn Fn(usize) -> usize,
) -> bool {
    // Over paragraphs: the first left open, the next one opening with a mark.
    if !am.closed {
        return am.continued
            && paragraph_of(bm.open) == paragraph_of(am.end) + 1
            && text[am.end..bm.open].trim().is_empty();
    }
    // Around a cue: `“...,” Varo said. “...”`, within one paragraph, the cue between the
    // two parts and nothing else: one sentence, no other marks.
    if paragraph_of(bm.open) != paragraph_of(am.end) {
        return false;
    }
    let gap = &text[am.end..bm.open];
    let Some(cue) = a.cue.or(b.cue) else { return false };
    let inner = gap.trim_start_matches(CLOSING).trim_end().trim_end_matches(OPENING).trim_end();
    let inner = inner.trim_end_matches([',', '.', ':', ';']);
    cue.start as usize >= am.end
        && cue.end as usize <= bm.open
        && gap.chars().count() <= 200
        && !inner.contains(['“', '”', '"', '«', '»'])
        && !ends_a_sentence_inside(inner)
        // (The first part may end with a quote of its own: `... ‘we want to work with you,’”`.)
        && text[a.span.range()]
            .trim_end()
            .trim_end_matches(['’', '\''])
            .ends_with([',', '.', '?', '!', '…', '—', '-'])
        // The second part ends a sentence or its paragraph, not `“...” to drive up ...`.
        && (text[b.span.range()].trim_end().ends_with(['.', '?', '!', '…', '—', ','])
            || text[bm.end..].trim_start_matches(CLOSING).is_empty()
            || text[bm.end..].trim_start_matches(CLOSING).starts_with(['\n', '.', ',']))
}

/// Whether the marked words are a nickname inside a name (`Rep. Robert C. “Bobby”
/// Scott`, `Marcia “Cia” Price`): one or two capitalized words between two words of the
/// name on one line, with no punctuation of a sentence around them.
fn nickname(text: &str, m: &Marked) -> bool {
    let content = &text[m.start..m.end];
    let words: Vec<&str> = content.split_whitespace().collect();
    let capitalized = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase)
    };
    if !m.closed || words.is_empty() || words.len() > 2 || !words.iter().all(|w| capitalized(w)) {
        return false;
    }
    if content.ends_with(|c: char| !c.is_alphanumeric()) {
        return false;
    }
    // The word before: a capitalized name word or an initial ("C."), on the same line.
    let before = &text[..m.open];
    if !before.ends_with([' ', '\u{a0}']) {
        return false;
    }
    let Some(previous) = before.trim_end().rsplit([' ', '\u{a0}', '\n']).next() else {
        return false;
    };
    let initial =
        previous.len() == 2 && previous.ends_with('.') && previous.starts_with(char::is_uppercase);
    let name_word = capitalized(previous) && previous.chars().all(char::is_alphabetic);
    if !initial && !name_word {
        return false;
    }
    // The word after the closing mark: a capitalized name word.
    let close = text[m.end..].chars().next().map_or(0, char::len_utf8);
    let after = &text[m.end + close..];
    after.starts_with([' ', '\u{a0}'])
        && after
            .trim_start_matches([' ', '\u{a0}'])
            .split([' ', '\u{a0}', ',', '\n'])
            .next()
            .is_some_and(|w| capitalized(w) && w.chars().all(|c| c.is_alphabetic() || c == '-'))
}

/// Whether the marked words (tokens `first..last`) are the title of a work or a name,
/// not a quotation: one to six words in title case (capitalized words, numbers and
/// lower-case function words), not a question or an exclamation, right after a noun of
/// works (`the documentary “Cold Harbor”`, `an episode of “Night Desk”`, `the nickname
/// “Iron Ana”`) or a capitalized possessor (`the Veldan Post's “Morning Brief”`).
fn title(lexicon: &Lexicon, tokens: &Tokens<'_>, m: &Marked, first: usize, last: usize) -> bool {
    let content = tokens.doc.text[m.start..m.end].trim_end();
    if !m.closed || content.ends_with(['?', '!']) {
        return false;
    }
    let words: Vec<usize> =
        (first..last).filter(|&t| tokens.upos(t) != Some(Upos::Punct)).collect();
    let title_case = words.iter().all(|&t| {
        tokens.capitalized(t)
            || tokens.text(t).starts_with(|c: char| c.is_ascii_digit())
            || matches!(tokens.upos(t), Some(Upos::Det | Upos::Adp | Upos::Cconj | Upos::Part))
    });
    if words.is_empty()
        || words.len() > 6
        || !title_case
        || !(tokens.capitalized(words[0]) || tokens.text(words[0]).starts_with(char::is_numeric))
    {
        return false;
    }
    // The word before the opening mark, past "of", "called", "titled", "named".
    let before = tokens.doc.tokens.partition_point(|t| (t.span.end as usize) <= m.open);
    let Some(mut word) = before.checked_sub(1) else { return false };
    if tokens.sentence_of(word) != tokens.sentence_of(first) {
        return false;
    }
    let linked = matches!(
        tokens.text(word).to_lowercase().as_str(),
        "of" | "called" | "titled" | "entitled" | "named" | "dubbed"
    );
    if linked {
        let Some(previous) = word.checked_sub(1) else { return false };
        word = previous;
    }
    if tokens.upos(word) == Some(Upos::Noun) && lexicon.speech.is_work(&tokens.lemma(word)) {
        return true;
    }
    !linked && matches!(tokens.text(word), "'s" | "’s") && word > 0 && tokens.capitalized(word - 1)
}

/// Whether the marked words (tokens `first..last`) are a short phrase (two to four words)
/// set off as a modifier of the noun right after it, between that noun and its determiner or
/// possessor (`the “secret fund” story`, `its “senior crime reporter” Ida Marr`): a
/// label, not a quotation. (A day after the phrase is no noun it modifies: `called him a
/// “traitor” Monday`.)
fn modifier(
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    m: &Marked,
    first: usize,
    last: usize,
) -> bool {
    let n = tokens.doc.tokens.len();
    let content = tokens.doc.text[m.start..m.end].trim_end();
    if !m.closed || content.ends_with(|c: char| c.is_ascii_punctuation()) {
        return false;
    }
    let words = (first..last).filter(|&t| tokens.upos(t) != Some(Upos::Punct)).count();
    let before = tokens.doc.tokens.partition_point(|t| (t.span.end as usize) <= m.open);
    // The closing mark's token, then the noun.
    let after = last + 1;
    if !(2..=4).contains(&words)
        || before == 0
        || after >= n
        || !tokens.text(last).starts_with(CLOSING)
        || tokens.sentence_of(before - 1) != tokens.sentence_of(after)
    {
        return false;
    }
    let determiner = matches!(tokens.upos(before - 1), Some(Upos::Det))
        || matches!(tokens.text(before - 1), "'s" | "’s")
        || tokens.doc.syntax.get(before - 1).is_some_and(|s| s.xpos == "PRP$");
    let noun = tokens.text(after).starts_with(char::is_alphabetic)
        && match tokens.upos(after) {
            Some(Upos::Noun) => !tokens.capitalized(after),
            Some(Upos::Propn) => owner[after].is_some(),
            _ => false,
        };
    determiner && noun
}

/// Whether `text` has a sentence end inside it: a period, question or exclamation mark
/// before a space, not after an abbreviation or an initial ("Mr. Obama", "G.K. Butterfield").
fn ends_a_sentence_inside(text: &str) -> bool {
    text.match_indices(['.', '?', '!']).any(|(at, mark)| {
        if !text[at + 1..].trim_start_matches(CLOSING).starts_with([' ', '\n']) {
            return false;
        }
        if mark != "." {
            return true;
        }
        let word = text[..at].rsplit([' ', '(', '.']).next().unwrap_or("");
        let short =
            word.chars().count() <= 3 && word.chars().next().is_some_and(char::is_uppercase);
        !short
    })
}

/// A reported statement that quotes some of its words ("said that the plan was
/// “reckless”") is one partial quote: the statement, with its speaker; the quoted
/// fragments inside it are not quotes of their own.
fn merge_mixed(text: &str, quotes: Vec<Quote>) -> Vec<Quote> {
    let mut merged: Vec<Quote> = Vec::with_capacity(quotes.len());
    let mut inside = vec![false; quotes.len()];
    for (i, quote) in quotes.iter().enumerate() {
        if quote.kind != QuoteKind::Indirect {
            continue;
        }
        // A closing mark and punctuation may follow the statement's last word.
        let end = quote.span.end as usize;
        let reach = end + text[end..].chars().take(3).map(char::len_utf8).sum::<usize>();
        for (j, other) in quotes.iter().enumerate() {
            if j != i
                && other.kind != QuoteKind::Indirect
                && other.span.start >= quote.span.start
                && other.span.start < quote.span.end
                && (other.span.end as usize) <= reach
            {
                inside[j] = true;
            }
        }
    }
    for (i, quote) in quotes.iter().enumerate() {
        if inside[i] {
            continue;
        }
        let mut quote = quote.clone();
        if quote.kind == QuoteKind::Indirect {
            let fragments: Vec<&Quote> = quotes
                .iter()
                .enumerate()
                .filter(|&(j, q)| {
                    inside[j] && q.span.start >= quote.span.start && q.span.start < quote.span.end
                })
                .map(|(_, q)| q)
                .collect();
            if !fragments.is_empty() {
                quote.kind = QuoteKind::Partial;
                quote.span.end = fragments
                    .iter()
                    .map(|q| q.span.end)
                    .max()
                    .unwrap_or(quote.span.end)
                    .max(quote.span.end);
                quote.speaker = quote.speaker.or_else(|| fragments.iter().find_map(|q| q.speaker));
            }
        }
        merged.push(quote);
    }
    merged
}

/// Quoted fragments of one reported sentence are one partial quote: `called him a “nasty
/// guy,” “unstable” and “sick”`, `calling the plan “a con”` (the statement and its
/// quoted rest). They join when nothing but a few words lies between them, none ending
/// a sentence, and their speakers agree.
fn join_fragments(text: &str, quotes: Vec<Quote>) -> Vec<Quote> {
    let mut joined: Vec<Quote> = Vec::with_capacity(quotes.len());
    for quote in quotes {
        // (A whole quoted sentence may end the statement after a conjunction: `told them
        // to “go home” and then “come back tomorrow and wait.”`)
        let conjoined = |last: &Quote| {
            let gap = &text[last.span.end as usize..quote.span.start as usize];
            let words: Vec<&str> = gap
                .trim_matches(|c: char| {
                    c.is_whitespace() || CLOSING.contains(&c) || OPENING.contains(&c)
                })
                .split_whitespace()
                .collect();
            !words.is_empty() && words.iter().all(|w| matches!(*w, "and" | "or" | "but" | "then"))
        };
        if let Some(last) = joined.last_mut()
            && (quote.kind == QuoteKind::Partial
                || (quote.kind == QuoteKind::Direct
                    && last.kind == QuoteKind::Partial
                    && last.span.end <= quote.span.start
                    && conjoined(last)))
            && matches!(last.kind, QuoteKind::Partial | QuoteKind::Indirect)
            && last.span.end <= quote.span.start
            && last.speaker.is_none_or(|s| quote.speaker.is_none_or(|t| s == t))
        {
            let gap = &text[last.span.end as usize..quote.span.start as usize];
            let inner = gap.trim_matches(|c: char| {
                c.is_whitespace() || CLOSING.contains(&c) || OPENING.contains(&c)
            });
            let last_text = text[last.span.range()].trim_end();
            if !gap.contains('\n')
                && inner.chars().count() <= 40
                && inner.split_whitespace().count() <= 4
                && !inner.contains(['“', '”', '"', '«', '»', ';', ':', '(', ')'])
                && !ends_a_sentence_inside(&format!("{last_text}{} ", gap.trim_end()))
            {
                last.kind = QuoteKind::Partial;
                last.span.end = quote.span.end;
                last.speaker = last.speaker.or(quote.speaker);
                last.addressee = last.addressee.or(quote.addressee);
                last.cue = last.cue.or(quote.cue);
                continue;
            }
        }
        joined.push(quote);
    }
    joined
}

/// A quote opening its paragraph after one that ends with a colon (`Ana Ruiz told the
/// council:` / `The Veldan Post reports:` / `Ruiz made the following comment:`): the
/// cue of that sentence, else its main verb's subject, speaks.
fn introduced(
    lexicon: &Lexicon,
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    in_quote: &[bool],
    text: &str,
    m: &Marked,
    first: usize,
) -> Option<Cue> {
    let line_start = text[..m.open].rfind('\n').map_or(0, |at| at + 1);
    if !text[line_start..m.open].trim().is_empty() || !text[..line_start].trim_end().ends_with(':')
    {
        return None;
    }
    let colon = (0..first).rev().find(|&t| tokens.text(t) == ":")?;
    let sentence = tokens.sentence_of(colon)?;
    let lo = sentence.first_token as usize;
    if let Some(cue) = (lo..colon).rev().find_map(|t| cue_at(lexicon, tokens, owner, in_quote, t))
        && cue.speaker.is_some()
    {
        return Some(cue);
    }
    let root = (lo..colon).find(|&t| tokens.head(t).is_none_or(|h| h < lo || h > colon))?;
    let subject = tokens.children(root).find(|&c| tokens.deprel(c) == DepRel::Nsubj)?;
    let speaker = entity_of_subtree(tokens, owner, subject)?;
    Some(Cue {
        verb: None,
        has_subject: true,
        speaker: Some(speaker),
        addressee: None,
        span: tokens.span(subtree(tokens, subject).0, root),
    })
}

/// A quote signed on its line: `“...” ― Ana Ruiz` (a dash after it) or `Ana Ruiz: “...”`
/// (a colon before it).
fn attribution_line(
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    first: usize,
    last: usize,
) -> Option<Cue> {
    let n = tokens.doc.tokens.len();
    let dash = |t: usize| matches!(tokens.text(t), "―" | "—" | "–" | "-" | "--");
    // After: closing mark, maybe punctuation, a dash, then a name.
    let mut t = last;
    while t < n && t <= last + 2 && tokens.upos(t) == Some(Upos::Punct) && !dash(t) {
        t += 1;
    }
    // (The name's first word may be one no entity took: `― Rosa Lind` where only
    // "Lind" was recognized.)
    if t < n
        && dash(t)
        && let Some(name) = (t + 1..n.min(t + 4))
            .take_while(|&k| tokens.capitalized(k) && !tokens.text(k).contains('\n'))
            .find(|&k| owner[k].is_some())
        && let Some(idx) = owner[name]
    {
        return Some(Cue {
            verb: None,
            has_subject: true,
            speaker: Some(idx as u32),
            addressee: None,
            span: tokens.span(t, name),
        });
    }
    // Before: a name, a colon, the opening mark.
    if first >= 3
        && tokens.text(first - 2) == ":"
        && let Some(idx) = owner[first - 3]
    {
        return Some(Cue {
            verb: None,
            has_subject: true,
            speaker: Some(idx as u32),
            addressee: None,
            span: tokens.span(first - 3, first - 2),
        });
    }
    None
}

/// The turns of an interview transcript: a paragraph that opens (maybe after a
/// quotation mark) with its speaker's label in capitals and a colon (`PENCE: Well, ...`,
/// `"RUIZ: We will ...`) is that speaker's direct quote, up to the paragraph's end. Only
/// labels that name an entity count (a bare `Q:` names nobody).
fn turns(tokens: &Tokens<'_>, owner: &[Option<usize>]) -> Vec<Quote> {
    let text = tokens.doc.text.as_str();
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let at = line_start;
        line_start += line.len();
        let body = line.trim_start_matches(|c: char| c.is_whitespace() || OPENING.contains(&c));
        let label_start = at + (line.len() - body.len());
        let Some(colon) = body.find(':') else { continue };
        let label = &body[..colon];
        let letters = label.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 2
            || label.len() > 30
            || !label.chars().all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
            || !body[colon + 1..].starts_with([' ', '\u{a0}'])
        {
            continue;
        }
        let first = tokens.doc.tokens.partition_point(|t| (t.span.end as usize) <= label_start);
        let last =
            tokens.doc.tokens.partition_point(|t| (t.span.start as usize) < label_start + colon);
        let Some(speaker) = (first..last).find_map(|t| owner[t]) else { continue };
        let content = &body[colon + 1..];
        let lead = content.len() - content.trim_start().len();
        let start = label_start + colon + 1 + lead;
        let end =
            start + content.trim_start().trim_end().trim_end_matches(CLOSING).trim_end().len();
        if end <= start {
            continue;
        }
        found.push(Quote {
            span: Span::new(start as u32, end as u32),
            kind: QuoteKind::Direct,
            speaker: Some(speaker as u32),
            addressee: None,
            cue: Some(tokens.span(first, last.max(first + 1) - 1)),
        });
    }
    found
}

/// "according to X": X is the speaker of its sentence's quote.
fn according_to(
    lexicon: &Lexicon,
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    lo: usize,
    hi: usize,
    in_quote: &[bool],
) -> Option<Cue> {
    for phrase in &lexicon.speech.according_to {
        let words: Vec<&str> = phrase.split(' ').collect();
        for (t, &quoted) in
            in_quote.iter().enumerate().take(hi.saturating_sub(words.len())).skip(lo)
        {
            if quoted
                || !words
                    .iter()
                    .enumerate()
                    .all(|(k, w)| tokens.text(t + k).eq_ignore_ascii_case(w))
            {
                continue;
            }
            let after = t + words.len();
            // The source's noun phrase ends at punctuation ("according to Ruiz, the
            // council ..." is Ruiz's, never the council's).
            let speaker = (after..hi.min(after + 6))
                .take_while(|&k| tokens.upos(k) != Some(Upos::Punct))
                .find_map(|k| owner[k])
                .map(|i| i as u32);
            return Some(Cue {
                verb: None,
                has_subject: speaker.is_some(),
                speaker,
                addressee: None,
                span: tokens.span(t, after.min(hi - 1)),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use newsgraph_model::Article;

    use crate::extract;

    use super::*;

    fn run(text: &str) -> Document {
        let mut article = Article::from_text(text);
        article.published = Some("2024-12-01".to_string());
        extract(article, Lexicon::builtin())
    }

    fn speaker<'d>(doc: &'d Document, quote: &Quote) -> Option<&'d str> {
        quote.speaker.map(|s| doc.entities[s as usize].name.as_str())
    }

    /// The speakers of the direct quotes, in order.
    fn direct_speakers(doc: &Document) -> Vec<Option<&str>> {
        doc.quotes.iter().filter(|q| q.kind == QuoteKind::Direct).map(|q| speaker(doc, q)).collect()
    }

    /// The texts of the direct and partial quotes, in order.
    fn marked_texts(doc: &Document) -> Vec<&str> {
        doc.quotes
            .iter()
            .filter(|q| q.kind != QuoteKind::Indirect)
            .map(|q| &doc.text[q.span.range()])
            .collect()
    }

    /// The text and speaker of each quote of one kind, in order.
    fn texts_and_speakers(doc: &Document, kind: QuoteKind) -> Vec<(&str, Option<&str>)> {
        doc.quotes
            .iter()
            .filter(|q| q.kind == kind)
            .map(|q| (&doc.text[q.span.range()], speaker(doc, q)))
            .collect()
    }

    fn indirect_texts(doc: &Document) -> Vec<&str> {
        doc.quotes
            .iter()
            .filter(|q| q.kind == QuoteKind::Indirect)
            .map(|q| &doc.text[q.span.range()])
            .collect()
    }

    #[test]
    fn marks_pair_up_even_when_mismatched() {
        let text = "“One,” he said. “Two.“\n“Three\n“Four.”\nShe said ‘fine’ and it’s over.";
        let found: Vec<&str> = find_marked(text).iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(found, ["One,", "Two.", "Three", "Four.", "fine"]);
        let marks = find_marked(text);
        assert!(!marks[2].closed && marks[2].continued);
    }

    #[test]
    fn a_straight_mark_after_a_space_and_before_none_closes() {
        let text = "\"I never liked the word 'outreach,' \" she told them. \"We stay.\"";
        let found: Vec<&str> = find_marked(text).iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(found, ["I never liked the word 'outreach,'", "We stay."]);
    }

    #[test]
    fn curly_quotes_nest_inside_curly_quotes() {
        let text = "“I would rather live in what he calls “chaos” than live under him.” ― Ana Ruiz";
        let found: Vec<&str> = find_marked(text).iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(found, ["I would rather live in what he calls “chaos” than live under him."]);
    }

    #[test]
    fn a_quote_with_no_cue_takes_a_later_speaker_of_its_paragraph_first() {
        let doc = run(
            "“The ferry is late every day.” ― Ana Ruiz\n\n“Nobody asked us about the toll. We pay and we wait.” And that is all we get, “more waiting.” ― Ida Marr",
        );
        let first = doc
            .quotes
            .iter()
            .find(|q| doc.text[q.span.range()].starts_with("Nobody"))
            .expect("the quote");
        assert_eq!(speaker(&doc, first), Some("Ida Marr"), "{:?}", doc.quotes);
    }

    #[test]
    fn unbalanced_marks_become_a_diagnostic() {
        let doc = run("Ilsa Varo said: “We will not sign.\nThe talks ended.");
        assert_eq!(doc.quotes.iter().filter(|q| q.kind != QuoteKind::Indirect).count(), 1);
        assert!(
            doc.diagnostics
                .iter()
                .any(|d| d.stage == "quotes" && d.message.contains("never closed"))
        );
    }

    #[test]
    fn speakers_from_cues_before_after_and_around() {
        let doc = run(
            "Ilsa Varo arrived in Alderhaven on Monday.\n“We came to listen,” Varo said. “Nothing is decided.”\n“The port stays open.”\nTomas Brel told reporters that the port would close.",
        );
        let direct: Vec<&Quote> =
            doc.quotes.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        // The first two are one quote split by its cue.
        assert_eq!(direct.len(), 2, "{:?}", doc.quotes);
        for quote in &direct {
            assert_eq!(
                speaker(&doc, quote),
                Some("Ilsa Varo"),
                "{}",
                &doc.text[quote.span.range()]
            );
        }
        let indirect = doc.quotes.iter().find(|q| q.kind == QuoteKind::Indirect).unwrap();
        assert_eq!(&doc.text[indirect.span.range()], "the port would close");
        assert_eq!(speaker(&doc, indirect), Some("Tomas Brel"));
    }

    #[test]
    fn a_quote_split_by_its_cue_or_over_paragraphs_is_one_quote() {
        let doc = run(
            "“The border stays shut,” said Ilsa Varo, the Veldan interior minister. “We will review it in May.”\n“Nobody will cross before then,” Varo said, adding later, “We have no choice.”\nTomas Brel said: “The decision is wrong.\n“It hurts the farmers on both sides.”",
        );
        let direct: Vec<&str> = marked_texts(&doc);
        assert_eq!(
            direct,
            [
                "The border stays shut,” said Ilsa Varo, the Veldan interior minister. “We will review it in May.",
                "Nobody will cross before then,",
                "We have no choice.",
                "The decision is wrong.\n“It hurts the farmers on both sides.",
            ],
        );
        let brel = doc.quotes.iter().filter(|q| q.kind != QuoteKind::Indirect).nth(3).unwrap();
        assert_eq!(speaker(&doc, brel), Some("Tomas Brel"));
    }

    #[test]
    fn speakers_the_parser_hangs_off_the_cue_verb() {
        let doc = run(
            "The mill in Dorvale produces steel for three provinces.\n\n\"We are the ones trying to change it from within,\" Mr. Tarrow said.\n\n\"This is a sad day for Dorvale,\" said Rep. K.L. Dunmore (D-Vel.), head of the Caucus of Farmers.",
        );
        let speakers = direct_speakers(&doc);
        assert_eq!(speakers, [Some("Tarrow"), Some("K.L. Dunmore")]);
    }

    #[test]
    fn quoted_fragments_of_one_statement_are_one_partial_quote() {
        let doc = run(
            "Ilsa Varo called the Veldan plan “reckless,” “unworkable” and “a gift to smugglers” on Monday. Tomas Brel said the talks were “over.” He later praised the “courage” of the negotiators.",
        );
        let partial: Vec<&str> = doc
            .quotes
            .iter()
            .filter(|q| q.kind == QuoteKind::Partial)
            .map(|q| &doc.text[q.span.range()])
            .collect();
        assert!(
            partial.iter().any(|p| p.contains("reckless,” “unworkable” and “a gift to smugglers")),
            "{partial:?}"
        );
        // Fragments of two sentences stay apart.
        assert!(
            !partial.iter().any(|p| p.contains("over") && p.contains("courage")),
            "{partial:?}"
        );
    }

    #[test]
    fn the_speaker_is_named_outside_the_quote_next_to_the_verb() {
        let doc = run(
            "Tomas Brel met Ilsa Varo in Alderhaven.\n\n\"My chief adviser, Ana Ruiz, warned me about the port every morning,\" Varo said.\n\nA farmer who sells grain to Veldan is punished, Brel said, while the traders go free.",
        );
        let direct = doc.quotes.iter().find(|q| q.kind == QuoteKind::Direct).unwrap();
        assert_eq!(speaker(&doc, direct), Some("Ilsa Varo"));
        let brel = doc
            .quotes
            .iter()
            .find(|q| q.cue.is_some_and(|c| doc.text[c.range()].contains("Brel said")));
        assert_eq!(brel.and_then(|q| speaker(&doc, q)), Some("Tomas Brel"), "{:?}", doc.quotes);
    }

    #[test]
    fn a_misturned_closing_mark_opens_a_quote() {
        let text = "Readers wrote in.\n”Fear. I am afraid of what comes next.” ― Ana Ruiz\nShe said “no” twice.";
        let found: Vec<&str> = find_marked(text).iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(found, ["Fear. I am afraid of what comes next.", "no"]);
    }

    #[test]
    fn a_cue_of_the_quotes_own_sentence_wins_and_bare_objects_are_not_statements() {
        let doc = run(
            "Ilsa Varo says the Veldan tariff is “a tax on bread.” Tomas Brel says he disagrees.\nBrel appealed the ruling. Varo highlighted the risks of a trade war with Veldan.",
        );
        let partial = doc.quotes.iter().find(|q| q.kind == QuoteKind::Partial).unwrap();
        assert_eq!(speaker(&doc, partial), Some("Ilsa Varo"));
        let reported: Vec<&str> = indirect_texts(&doc);
        assert!(!reported.contains(&"the ruling"), "{reported:?}");
        assert!(reported.iter().any(|r| r.starts_with("the risks of a trade war")), "{reported:?}");
    }

    #[test]
    fn only_verbs_that_report_their_object_make_it_a_statement() {
        let doc = run(
            "The Dorvale council maintains a ferry service between the two islands. Ilsa Varo appealed the ruling of the harbour court to the high court. Tomas Brel denied the reports of a secret deal with Veldan.",
        );
        let reported: Vec<&str> = indirect_texts(&doc);
        assert_eq!(reported, ["the reports of a secret deal with Veldan"]);
    }

    #[test]
    fn a_cue_with_a_subject_wins_over_a_nearer_participle() {
        let doc = run(
            "The Dorvale Ferry Company was sold in May. In a statement, Ilsa Varo said: \"The company was doing well when it was sold, and the buyers knew it,\" adding that its profits had doubled in a year.",
        );
        let quote = doc.quotes.iter().find(|q| q.kind != QuoteKind::Indirect).unwrap();
        assert_eq!(speaker(&doc, quote), Some("Ilsa Varo"));
        assert_eq!(cue_text(&doc, quote), Some("Ilsa Varo said"));
    }

    #[test]
    fn a_nickname_inside_a_name_is_no_quote() {
        let doc = run(
            "Sen. Marta J. \"Molly\" Quell toured the harbour on Friday. Her cousin, Dario \"Dino\" Fenn, shouted: \"What a season for the senator!\"",
        );
        let quoted: Vec<&str> = marked_texts(&doc);
        assert_eq!(quoted, ["What a season for the senator!"]);
    }

    #[test]
    fn titles_of_works_and_nicknames_are_no_quotes() {
        let doc = run(
            "In an interview on the Veldan Post's \"Morning Brief,\" Ilsa Varo said the port would reopen. She spoke in an episode of \"Night Desk\" and in the documentary \"Cold Harbor.\" Rivals gave her the nickname \"Iron Ilsa.\" Varo called the plan \"A Disgrace\" and said: \"We Will Win.\"",
        );
        let quoted: Vec<&str> = marked_texts(&doc);
        assert!(
            !quoted
                .iter()
                .any(|q| ["Morning", "Night", "Cold", "Iron"].iter().any(|w| q.contains(w))),
            "{quoted:?}"
        );
        assert!(quoted.iter().any(|q| q.contains("A Disgrace")), "{quoted:?}");
        assert!(quoted.iter().any(|q| q.contains("We Will Win")), "{quoted:?}");
    }

    #[test]
    fn a_quote_in_what_the_speaker_called_is_cued_by_the_main_clause() {
        let doc = run(
            "Foreign Minister Ilsa Varo condemned what she called a \"reckless breach\" of the treaty.",
        );
        let quote = doc.quotes.iter().find(|q| q.kind != QuoteKind::Indirect).expect("a quote");
        assert_eq!(speaker(&doc, quote), Some("Ilsa Varo"));
        let cue = cue_text(&doc, quote).unwrap_or_default();
        assert!(cue.contains("Ilsa Varo condemned"), "{cue:?}");
    }

    #[test]
    fn a_noun_of_saying_reports_its_possessors_words() {
        let doc = run(
            "Auditors examined Ilsa Varo's claim that the harbour had \"never been busier\" than this year.",
        );
        let quote = doc.quotes.first().expect("a quote");
        assert_eq!(quote.kind, QuoteKind::Partial);
        assert!(doc.text[quote.span.range()].starts_with("the harbour"), "{:?}", doc.quotes);
        assert_eq!(speaker(&doc, quote), Some("Ilsa Varo"));
        // Without a possessor the claim is nobody's in particular.
        let doc = run(
            "Auditors examined the claim that the harbour had never been busier than this year.",
        );
        assert!(doc.quotes.is_empty(), "{:?}", doc.quotes);
    }

    #[test]
    fn a_quoted_phrase_takes_the_cue_that_governs_it_not_the_next_sentences() {
        let doc = run(
            "Ilsa Varo agreed that the plan was \"fair to everyone,\" while Tomas Brel said the same of the budget.",
        );
        let quote = doc.quotes.iter().find(|q| q.kind != QuoteKind::Indirect).expect("a quote");
        assert_eq!(speaker(&doc, quote), Some("Ilsa Varo"), "{:?}", doc.quotes);
        let doc = run(
            "Ilsa Varo branded the rebels an \"outlaw band in the hills.\" Tomas Brel insisted that the talks go on.",
        );
        let quote = doc.quotes.iter().find(|q| q.kind != QuoteKind::Indirect).expect("a quote");
        assert_eq!(speaker(&doc, quote), Some("Ilsa Varo"), "{:?}", doc.quotes);
    }

    #[test]
    fn a_quote_with_no_cue_takes_the_speaker_of_the_partial_quote_right_before() {
        let doc = run(
            "Ilsa Varo called the harbour plan \"reckless.\"\n\n\"It will fail before the winter is out.\"",
        );
        let quote = doc
            .quotes
            .iter()
            .find(|q| doc.text[q.span.range()].starts_with("It will fail"))
            .expect("the quote");
        assert_eq!(speaker(&doc, quote), Some("Ilsa Varo"), "{:?}", doc.quotes);
    }

    #[test]
    fn a_speech_verb_read_as_a_noun_after_the_quote_is_its_cue() {
        // (The tagger reads "reads" here as a plural noun.)
        let doc = run("\"Nobody on the board had read the report,\" the letter reads.");
        let quote = doc.quotes.first().expect("a quote");
        assert_eq!(cue_text(&doc, quote), Some("the letter reads"), "{:?}", doc.quotes);
    }

    #[test]
    fn a_particle_speech_verb_between_two_quotes_keeps_them_apart() {
        let doc = run(
            "\"We came to listen to the farmers,\" Ilsa Varo said, going on to list the council's failures. \"The port is empty and the roads are closed.\"",
        );
        let direct = doc.quotes.iter().filter(|q| q.kind == QuoteKind::Direct).count();
        assert_eq!(direct, 2, "{:?}", doc.quotes);
    }

    #[test]
    fn a_noun_phrase_after_the_verb_is_no_reported_clause() {
        let doc = run(
            "Varo's silence on the budget angered the dockers, and the session fell apart after that, said one source at the table.",
        );
        let reported: Vec<&str> = indirect_texts(&doc);
        assert!(!reported.iter().any(|r| r.contains("source")), "{reported:?}");
    }

    #[test]
    fn a_quoted_label_before_its_noun_is_no_quote() {
        let doc = run(
            "The Veldan Post sent its \"senior crime reporter\" Ida Marr to Dorvale. The \"secret fund\" story was about old bank records. Marr called the mayor a \"careless steward\" on Monday and said the council was a \"closed club.\"",
        );
        let quoted: Vec<&str> = marked_texts(&doc);
        assert!(
            !quoted.iter().any(|q| q.contains("crime reporter") || q.contains("secret fund")),
            "{quoted:?}"
        );
        assert!(quoted.iter().any(|q| q.contains("careless steward")), "{quoted:?}");
        assert!(quoted.iter().any(|q| q.contains("closed club")), "{quoted:?}");
    }

    #[test]
    fn a_phrase_fronted_before_the_speaker_is_not_what_was_said() {
        let doc = run(
            "As strange as it may seem, Mr. Varo said the new deal had helped his company. In her 2010 book, \"Grow Rich Slowly,\" Ms. Dorsk suggested looking at small debts. The talks will fail again this week, Ms. Dorsk said.",
        );
        let reported: Vec<&str> = indirect_texts(&doc);
        assert!(
            !reported.iter().any(|r| r.contains("strange") || r.contains("Grow")),
            "{reported:?}"
        );
        assert!(reported.iter().any(|r| r.starts_with("the new deal had helped")), "{reported:?}");
        assert!(reported.iter().any(|r| r.starts_with("The talks will fail")), "{reported:?}");
    }

    /// The texts of the indirect quotes with their speakers, in order.
    fn reported(doc: &Document) -> Vec<(&str, Option<&str>)> {
        doc.quotes
            .iter()
            .filter(|q| q.kind == QuoteKind::Indirect)
            .map(|q| (&doc.text[q.span.range()], speaker(doc, q)))
            .collect()
    }

    #[test]
    fn a_participle_on_a_thing_said_speaks_with_its_maker_not_a_day() {
        let doc = run(
            "Ana Ruiz unleashed a series of posts early Friday saying that her rival had shown bad judgment in the port deal.",
        );
        let reported = reported(&doc);
        assert!(
            reported
                .iter()
                .any(|&(text, who)| text.starts_with("her rival had shown")
                    && who == Some("Ana Ruiz")),
            "{reported:?}"
        );
    }

    #[test]
    fn a_short_phrase_with_no_cue_takes_no_neighbours_speaker() {
        let doc = run(
            "\"We will not retreat from the coast,\" Oskar Brel said on Sunday.\n\nOn \"Night Desk,\" Ida Marr named the floods as one reason for the vote.",
        );
        let quoted: Vec<&str> = marked_texts(&doc);
        assert!(!quoted.iter().any(|q| q.contains("Night Desk")), "{quoted:?}");
        assert_eq!(direct_speakers(&doc), vec![Some("Oskar Brel")]);
    }

    #[test]
    fn a_participle_on_an_actor_speaks_with_that_actor() {
        let doc = run(
            "Demonstrators marching through the streets chanted \"Pay us now!\" and stayed until noon.",
        );
        let speakers: Vec<Option<&str>> = doc.quotes.iter().map(|q| speaker(&doc, q)).collect();
        assert_eq!(speakers, vec![Some("Demonstrators")]);
        let cue = doc.quotes.first().and_then(|q| cue_text(&doc, q));
        assert_eq!(cue, Some("Demonstrators marching through the streets chanted"));
    }

    #[test]
    fn a_quoted_sentence_conjoined_to_a_partial_quote_joins_it() {
        let doc = run(
            "Ana Ruiz tells the farmers at a rally in Dorvale to \u{201c}go to the town hall\u{201d} and then \u{201c}stay there with your neighbours until the mayor comes out.\u{201d}",
        );
        let quoted: Vec<&str> = marked_texts(&doc);
        assert_eq!(quoted.len(), 1, "{quoted:?}");
        assert!(quoted[0].contains("town hall") && quoted[0].contains("mayor"), "{quoted:?}");
    }

    #[test]
    fn a_quoted_phrase_in_a_headline_is_its_first_names() {
        let doc = run(
            "Ana Ruiz Speaks \u{2018}Plainly To Farmers\u{2019} After Flood.\n\nAna Ruiz, the Velorian farm minister, visited Dorvale on Tuesday.",
        );
        let speakers: Vec<Option<&str>> = doc
            .quotes
            .iter()
            .filter(|q| doc.text[q.span.range()].contains("Plainly"))
            .map(|q| speaker(&doc, q))
            .collect();
        // (However much of the headline the name takes in.)
        assert!(
            speakers.len() == 1 && speakers[0].is_some_and(|s| s.starts_with("Ana Ruiz")),
            "{speakers:?}"
        );
    }

    #[test]
    fn a_participle_set_off_after_the_verb_is_no_statement() {
        let doc = run(
            "The top earners would see a large tax cut, the group said, compared with a small one for those in the middle.",
        );
        let reported = reported(&doc);
        assert!(!reported.iter().any(|&(text, _)| text.starts_with("compared")), "{reported:?}");
    }

    #[test]
    fn a_clause_of_one_or_two_words_is_no_statement() {
        let doc = run(
            "\"I am not going to pretend that we all agree,\" Veldan Prime Minister Ilsa Varo said after the meeting broke up.",
        );
        let reported: Vec<&str> = indirect_texts(&doc);
        assert!(reported.is_empty(), "{reported:?}");
    }

    #[test]
    fn speakers_after_the_verb_or_before_a_long_apposition() {
        let doc = run(
            "Ana Ruiz and Tomas Brel met in Alderhaven.\n\n“The deal is dead,” said Ana Ruiz, the Veldan trade envoy.\n\n“It is an invasion, in our view, of the farmers' market,” Tomas Brel, the mayor of Port Maren and a former customs officer, said.",
        );
        let speakers = direct_speakers(&doc);
        assert_eq!(speakers, [Some("Ana Ruiz"), Some("Tomas Brel")]);
    }

    #[test]
    fn a_colon_at_the_end_of_a_paragraph_introduces_the_next_ones_quote() {
        let doc = run(
            "Tomas Brel spoke after the vote in Alderhaven. He told the council:\n\n“We have a situation where the port is closed and the farmers are waiting.”\n\nIlsa Varo published a reply on Monday.",
        );
        let direct = doc.quotes.iter().find(|q| q.kind == QuoteKind::Direct).unwrap();
        assert_eq!(speaker(&doc, direct), Some("Tomas Brel"));
    }

    #[test]
    fn a_split_quote_whose_first_part_ends_with_a_quote_of_its_own_is_one_quote() {
        let doc = run(
            "“At our first meeting he told me, ‘We want to work with you,’” Ilsa Varo recalled. “It was like pushing on an open door.”",
        );
        let direct: Vec<&Quote> =
            doc.quotes.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert_eq!(direct.len(), 1, "{:?}", doc.quotes);
        assert_eq!(speaker(&doc, direct[0]), Some("Ilsa Varo"));
    }

    /// The text of the quote's cue.
    fn cue_text<'d>(doc: &'d Document, quote: &Quote) -> Option<&'d str> {
        quote.cue.map(|c| &doc.text[c.range()])
    }

    #[test]
    fn a_conjunct_or_participle_speaks_with_its_governors_subject() {
        let doc = run(
            "Ana Ruiz, the mayor of Dorvale, praised the farmers and said the port had been “a lifeline for the valley.”\n\nTomas Brel came to the hearing on Monday. He then defended the toll, saying, “Nobody has paid more than the fishermen.”",
        );
        let ruiz =
            doc.quotes.iter().find(|q| doc.text[q.span.range()].contains("lifeline")).unwrap();
        assert_eq!(ruiz.kind, QuoteKind::Partial);
        assert_eq!(&doc.text[ruiz.span.range()], "the port had been “a lifeline for the valley.");
        assert_eq!(speaker(&doc, ruiz), Some("Ana Ruiz"));
        // The cue starts at the speaker's own words, not at a later "she".
        assert!(cue_text(&doc, ruiz).is_some_and(|c| c.starts_with("Ana Ruiz")), "{ruiz:?}");
        let brel = doc.quotes.iter().find(|q| q.kind == QuoteKind::Direct).unwrap();
        assert_eq!(speaker(&doc, brel), Some("Tomas Brel"));
        assert!(cue_text(&doc, brel).is_some_and(|c| c.starts_with("He")), "{brel:?}");
    }

    #[test]
    fn a_quoted_phrase_without_a_speech_verb_is_cued_by_its_clause_subject() {
        let doc = run(
            "Gov. Ilsa Varo of Veldan lauded Tomas Brel in her annual address for his “bold and patient work.”",
        );
        let quote = doc.quotes.iter().find(|q| q.kind == QuoteKind::Partial).unwrap();
        assert_eq!(speaker(&doc, quote), Some("Ilsa Varo"));
        assert!(cue_text(&doc, quote).is_some_and(|c| c.ends_with("lauded")), "{quote:?}");
    }

    #[test]
    fn signed_quotes_and_speakers_described_by_whom_they_serve() {
        let doc = run(
            "Readers wrote in about the ferry.\n\n“The council must bring the ferry back before winter.” ― Carla Mendes\n\n“I am afraid for the harbour and for the boats.”― Rosa Lindqvist.\n\nAna Ruiz did not comment. “My reaction, that was a mistake,” Ruiz's former campaign adviser said.",
        );
        let speakers = direct_speakers(&doc);
        assert_eq!(
            speakers,
            [Some("Carla Mendes"), Some("Rosa Lindqvist"), Some("Ruiz's former campaign adviser")]
        );
        let adviser = doc.entities.iter().find(|e| e.name.ends_with("adviser")).unwrap();
        assert_eq!(&doc.text[adviser.mentions[0].span.range()], "former campaign adviser");
    }

    #[test]
    fn a_speaker_after_the_verb_behind_a_description_or_a_title() {
        let doc = run(
            "The toll was raised in May.\n\n“The answers are not meeting the demand,” said harbour widow Carla Mendes.\n\n“The city will never go back to normal,” said the Rev. Tomas Brel, of Saint Anne's Church.",
        );
        assert_eq!(direct_speakers(&doc), [Some("Carla Mendes"), Some("Tomas Brel")]);
    }

    #[test]
    fn each_turn_of_a_transcript_is_its_speakers_quote() {
        let doc = run(
            "Ilsa Varo spoke to Tomas Brel on the morning show.\n\nPartial transcript as follows:\n\n\"BREL: Let's start with the ferry. Will it run this winter?\n\n\"VARO: Well, look, the council has made its choice. The ferry runs in December.\n\n\"BREL: And the toll?\n\n\"VARO: The toll stays where it is.\"",
        );
        let turns = texts_and_speakers(&doc, QuoteKind::Direct);
        assert_eq!(
            turns,
            [
                ("Let's start with the ferry. Will it run this winter?", Some("Tomas Brel")),
                (
                    "Well, look, the council has made its choice. The ferry runs in December.",
                    Some("Ilsa Varo")
                ),
                ("And the toll?", Some("Tomas Brel")),
                ("The toll stays where it is.", Some("Ilsa Varo")),
            ]
        );
    }

    #[test]
    fn a_document_or_source_named_next_to_the_cue_is_the_speaker() {
        let doc = run(
            "Parents in Dorvale wrote to the school board on Monday.\n\n\"Our children are thriving in these schools,\" the letter reads.\n\n\"A town cannot strike voters from the rolls for staying home,\" said the ruling.\n\n\"The council is in a frenzy with no plan at all,\" said one Veldan source on the panel.",
        );
        assert_eq!(
            direct_speakers(&doc),
            [Some("the letter"), Some("the ruling"), Some("one Veldan source"),],
            "{:?}",
            doc.entities
        );
    }

    #[test]
    fn a_that_clause_after_a_noun_of_speech_is_what_was_said() {
        let doc = run(
            "Ana Ruiz wrote in the letter that the ferry “must never” carry cars again. Tomas Brel argued in a statement that the poster “plainly and falsely” implies that Dorvale backs the mayor.",
        );
        let marked = texts_and_speakers(&doc, QuoteKind::Partial);
        assert_eq!(
            marked,
            [
                ("the ferry “must never” carry cars again", Some("Ana Ruiz")),
                (
                    "the poster “plainly and falsely” implies that Dorvale backs the mayor",
                    Some("Tomas Brel")
                ),
            ]
        );
    }
}

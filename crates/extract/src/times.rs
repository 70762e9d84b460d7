//! The `times` stage: finds time expressions and normalizes them to TIMEX3 values
//! against the article's publication date, with the rules of the lexicon's
//! `time_rules.toml` (patterns and tables in `time_patterns.toml` and
//! `time_normalization.toml`).
//!
//! Reads: segments (sentences), syntax (when it has run), and the article's `published`
//! date. Writes: [`Document::times`], sorted by start, not overlapping, each inside one
//! sentence.
//!
//! Where rule matches overlap, the longest wins, then the earlier rule. Relative
//! expressions ("Tuesday", "last week", "two years ago") resolve against the publication
//! date in the tense of their sentence: "will chair ... on Tuesday" is the coming
//! Tuesday, "met on Monday" the last one. The tense is the dependency tree's where the
//! expression hangs from a past or a "will" predicate, else the surface cues' around it.
//! Without a publication date they keep an underspecified value (`XXXX-WXX-2`) rather
//! than a wrong one. The value functions a rule may call are documented in
//! `time_rules.toml` and implemented here.

use newsgraph_lexicon::{TimeRule, TimeRules};
use newsgraph_model::{
    Date, DepRel, Document, Layer, Sentence, Span, Timex, TimexType, TokenSyntax, Upos,
};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage =
    Stage { name: "times", reads: &[Layer::Segments, Layer::Syntax], writes: Layer::Times, run };

/// The tense of a sentence, as far as relative dates care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    /// Reported as done: relative dates look back from the reference date.
    Past,
    /// Planned or expected: relative dates look forward.
    Future,
    /// No cue either way: the nearest date, a little in favour of the past.
    Unknown,
}

/// Words that put a clause in the future.
const FUTURE_CUES: &[&str] = &[
    " will ",
    "'ll ",
    "’ll ",
    " shall ",
    " would ",
    " going to ",
    " scheduled ",
    " plans to ",
    " plan to ",
    " planning to ",
    " intends to ",
    " planned ",
    " is to ",
    " are to ",
    " expected to ",
    " is due to ",
    " are due to ",
    " upcoming ",
    " tomorrow",
    " will be ",
    " set to ",
    " as soon as ",
    " as early as ",
    " until ",
];

/// Past forms of verbs news reports with a date ("said Monday", "met on Friday"); a
/// regular "-ed" word counts too unless a form of "be" makes it a participle.
const PAST_VERBS: &[&str] = &[
    "said", "told", "was", "were", "had", "did", "met", "made", "came", "went", "took", "gave",
    "got", "began", "left", "held", "saw", "found", "became", "brought", "fell", "rose", "won",
    "lost", "sent", "spent", "struck", "shot", "hit", "led", "ran", "wrote", "spoke", "fled",
    "flew", "sought", "thought", "knew", "broke", "chose", "drove", "ate", "grew", "heard", "kept",
    "paid", "put", "quit", "set", "sold", "stood", "swore", "threw", "agreed", "died",
];

/// "-ed" words that are not past verbs.
const NOT_PAST: &[&str] = &[
    "need",
    "needed",
    "speed",
    "indeed",
    "hundred",
    "red",
    "bed",
    "seed",
    "feed",
    "united",
    "armed",
    "based",
    "related",
    "proposed",
    "unprecedented",
    "scheduled",
    "planned",
    "expected",
    "wed",
];

/// Prepositions that may open a sentence before its date ("On Tuesday, ...").
const OPENING_PREPOSITIONS: &[&str] = &[
    "on", "in", "at", "by", "until", "till", "since", "from", "through", "before", "after",
    "during", "also",
];

/// Past forms of "be" and "have" that put a planning word in the past ("had been
/// scheduled to expire Friday").
const PAST_AUXILIARIES: &[&str] = &[" was", " were", " had been", " had"];

/// Words before a past participle that make it no past verb ("will be released").
const BE_FORMS: &[&str] = &["be", "been", "being", "is", "are", "am", "to"];

/// Words right before a time expression that put it in the past whatever the clause's
/// other cues say ("since March", "last Friday").
const PAST_MARKERS: &[&str] = &["since", "last", "previous", "earlier", "ago"];

/// Words right before a time expression that point forward from the clause's time
/// ("until Tuesday", "as soon as Friday", "effective Jan. 1"): the surface cues decide
/// those.
const FORWARD_MARKERS: &[&str] = &[" until", " till", " as soon as", " as early as", " effective"];

/// Words right before a possessive time expression that look ahead to the event it
/// names ("ahead of Sunday's vote"): the clause's tense decides those as usual.
const LOOKING_AHEAD: &[&str] =
    &[" ahead of", " before", " until", " for", " in advance of", " run-up to", " upcoming"];

/// Verbs of planning: their past tense tells when the plan was made, not when it happens
/// ("planned a rally on Saturday"), so the tree leaves them to the surface cues.
const PLANNING_VERBS: &[&str] =
    &["plan", "schedule", "set", "expect", "intend", "propose", "prepare", "slate", "call"];

/// How many days from the reference date a day the story named may be for a time of
/// day to fall on it rather than on the reference date.
const RECENT_DAYS: i64 = 7;

/// How far before and after a time expression the tense cues are looked for, in bytes:
/// about the clause around it, so that another clause's "will" does not count.
const TENSE_WINDOW_BEFORE: usize = 60;
const TENSE_WINDOW_AFTER: usize = 40;

fn run(doc: &mut Document, lexicon: &Lexicon) {
    let reference = doc.article.published_date();
    let mut times = Vec::new();
    for sentence in &doc.sentences {
        let text = doc.slice(sentence.span);
        let before = &doc.text[..sentence.span.start as usize];
        let base = sentence.span.start;
        let tree = |start: usize, end: usize| {
            tree_tense(doc, sentence, Span::new(base + start as u32, base + end as u32))
        };
        let found = find_times_with(before, &times, text, base, &lexicon.times, reference, &tree);
        times.extend(found);
    }
    doc.times = times;
}

/// The tense the dependency tree gives the clause of the time expression at `span`: the
/// predicate it hangs from (through nouns it modifies, "Wednesday's ruling") is past when
/// it or its auxiliary is a past form ("said Friday", "was signed Friday", "has met
/// Friday"), future with "will" or "shall" ("will meet Friday"). `None` when the tree
/// does not tell (no syntax layer, a present or an infinitive, "would"), and the
/// surface cues decide.
fn tree_tense(doc: &Document, sentence: &Sentence, span: Span) -> Option<Tense> {
    let syntax = &doc.syntax;
    let (first, end) = (sentence.first_token as usize, sentence.end_token as usize);
    if syntax.len() != doc.tokens.len() || end > doc.tokens.len() {
        return None;
    }
    let inside = |idx: usize| {
        let token = doc.tokens[idx].span;
        token.start >= span.start && token.end <= span.end
    };
    // The head of the expression: its token whose head is outside it.
    let head = (first..end).find(|&idx| {
        inside(idx) && {
            let head = syntax[idx].head;
            head == TokenSyntax::ROOT || !inside(head as usize)
        }
    })?;
    // Up to the predicate: the first verb (or the copula's head) above the expression.
    let mut node = syntax[head].head;
    let mut steps = 0;
    while node != TokenSyntax::ROOT && steps < 4 {
        let idx = node as usize;
        if syntax[idx].upos == Upos::Verb || has_child(doc, sentence, idx, DepRel::Cop) {
            return clause_tense(doc, sentence, idx, head);
        }
        node = syntax[idx].head;
        steps += 1;
    }
    None
}

/// Whether token `idx` has a child with relation `deprel` in its sentence.
fn has_child(doc: &Document, sentence: &Sentence, idx: usize, deprel: DepRel) -> bool {
    (sentence.first_token as usize..sentence.end_token as usize)
        .any(|child| doc.syntax[child].head == idx as u32 && doc.syntax[child].deprel == deprel)
}

/// The tense of the clause whose predicate is token `idx`, from its auxiliaries and its
/// own form; `None` for presents, infinitives, participles alone and "would".
fn clause_tense(
    doc: &Document,
    sentence: &Sentence,
    idx: usize,
    expression: usize,
) -> Option<Tense> {
    let syntax = &doc.syntax;
    let auxiliaries: Vec<usize> = (sentence.first_token as usize..sentence.end_token as usize)
        .filter(|&child| {
            syntax[child].head == idx as u32
                && matches!(syntax[child].deprel, DepRel::Aux | DepRel::AuxPass | DepRel::Cop)
        })
        .collect();
    // A date put before the subject of a planning verb tells when the plan was made or
    // carried out ("On Friday, the government planned to pay"); after it, when the
    // planned thing happens ("planned a rally on Saturday"), which the tree cannot tell.
    let fronted = (sentence.first_token as usize..sentence.end_token as usize).any(|child| {
        syntax[child].head == idx as u32
            && matches!(syntax[child].deprel, DepRel::Nsubj | DepRel::NsubjPass)
            && child > expression
    });
    if PLANNING_VERBS.contains(&syntax[idx].lemma.as_str()) && !fronted {
        return None;
    }
    let word = |i: usize| doc.text[doc.tokens[i].span.range()].to_lowercase();
    for &aux in &auxiliaries {
        let aux_word = word(aux);
        if matches!(aux_word.as_str(), "will" | "shall" | "'ll" | "’ll" | "wo") {
            return Some(Tense::Future);
        }
        if matches!(aux_word.as_str(), "would" | "to" | "could" | "might" | "may" | "should") {
            return None;
        }
    }
    let perfect = auxiliaries.iter().any(|&aux| syntax[aux].lemma == "have");
    let past_form = |i: usize| syntax[i].xpos == "VBD";
    // A participle that heads its sentence with no auxiliary is a past tense the tagger
    // took for a participle ("In January, the company brought in a new chief").
    let real_auxiliary = |i: usize| {
        matches!(syntax[i].lemma.as_str(), "be" | "have" | "do" | "get")
            || syntax[i].xpos == "MD"
            || syntax[i].xpos == "TO"
    };
    let bare_root_participle = syntax[idx].xpos == "VBN"
        && syntax[idx].head == TokenSyntax::ROOT
        && !auxiliaries.iter().any(|&aux| real_auxiliary(aux));
    if past_form(idx) || bare_root_participle || auxiliaries.iter().any(|&aux| past_form(aux)) {
        // "was to meet", "was going to" look forward; the surface cues see those.
        return Some(Tense::Past);
    }
    if perfect && syntax[idx].xpos == "VBN" {
        return Some(Tense::Past);
    }
    None
}

/// The tense around `text[start..end]` from the surface cues of its clause: the cue
/// nearest the expression decides, a future cue ("will", "is expected to") or a past
/// verb ("said", "was", "announced"); without one the clause counts as past.
pub fn tense_around(text: &str, start: usize, end: usize) -> Tense {
    let word_before = text[..start].split_whitespace().next_back().unwrap_or("").to_lowercase();
    if PAST_MARKERS.contains(&word_before.as_str()) {
        return Tense::Past;
    }
    let mut from = start.saturating_sub(TENSE_WINDOW_BEFORE);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    // Before the expression, the clause starts after the last comma or semicolon.
    if let Some((cut, mark)) =
        text[from..start].char_indices().rev().find(|&(_, c)| is_clause_mark(c))
    {
        from += cut + mark.len_utf8();
    }
    let mut to = (end + TENSE_WINDOW_AFTER).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    // After it, the clause ends at the next comma, semicolon, "and" or sentence end; an
    // expression that opens its sentence ("On Tuesday, ...") belongs to the clause after
    // the comma.
    let mut words_before_it = text[from..start].split_whitespace();
    let opens_sentence = match (words_before_it.next(), words_before_it.next()) {
        (None, _) => true,
        (Some(word), None) => OPENING_PREPOSITIONS.contains(&word.to_lowercase().as_str()),
        _ => false,
    } && text[end..].trim_start().starts_with(',');
    let mut after_from = end;
    if opens_sentence {
        after_from = end + text[end..].find(',').map_or(0, |comma| comma + 1);
        to = (after_from + 2 * TENSE_WINDOW_AFTER).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
    }
    if let Some((cut, _)) =
        text[after_from..to].char_indices().find(|&(_, c)| is_clause_mark(c) || c == '.')
    {
        to = after_from + cut;
    }
    if let Some(cut) = text[after_from..to].find(" and ").filter(|_| !opens_sentence) {
        to = after_from + cut;
    }
    // An expression that opens its sentence has only a preposition before it.
    let before = if opens_sentence {
        String::new()
    } else {
        format!(" {} ", text[from..start].to_lowercase())
    };
    let after = format!(" {} ", text[after_from..to].to_lowercase());
    // Distances in bytes from the expression to each cue, before and after it.
    let mut future = usize::MAX;
    let mut past = usize::MAX;
    // A plan told in the past ("had been scheduled to", "was expected to") is past.
    let told_in_past =
        |text: &str, at: usize| PAST_AUXILIARIES.iter().any(|aux| text[..at].ends_with(aux));
    for cue in FUTURE_CUES {
        if let Some(at) = before.rfind(cue) {
            let distance = before.len() - at - cue.len();
            if told_in_past(&before, at) {
                past = past.min(distance);
            } else {
                future = future.min(distance);
            }
        }
        if let Some(at) = after.find(cue) {
            if told_in_past(&after, at) {
                past = past.min(at);
            } else {
                future = future.min(at);
            }
        }
    }
    let words_before: Vec<(usize, &str)> = words(&before);
    for (idx, &(at, word)) in words_before.iter().enumerate() {
        let previous = idx.checked_sub(1).map(|i| words_before[i].1);
        let next = words_before.get(idx + 1).map(|w| w.1);
        if is_past_verb(word, previous, next) {
            past = past.min(before.len() - at - word.len());
        }
    }
    let words_after: Vec<(usize, &str)> = words(&after);
    for (idx, &(at, word)) in words_after.iter().enumerate() {
        let previous = idx.checked_sub(1).map(|i| words_after[i].1);
        let next = words_after.get(idx + 1).map(|w| w.1);
        if is_past_verb(word, previous, next) {
            past = past.min(at);
        }
    }
    if future == usize::MAX && past == usize::MAX {
        Tense::Unknown
    } else if future < past {
        Tense::Future
    } else {
        Tense::Past
    }
}

/// The tense of the expression at `text[start..end]`, and whether the dependency tree
/// gave it: a past marker right before it ("since", "last") decides, then the tree when
/// it tells, then the surface cues.
fn tense_of(
    text: &str,
    start: usize,
    end: usize,
    tree: &dyn Fn(usize, usize) -> Option<Tense>,
) -> (Tense, bool) {
    // The marker may open the expression itself ("earlier Sunday").
    let word_before = text[..start].split_whitespace().next_back().unwrap_or("").to_lowercase();
    let first_word = text[start..end].split_whitespace().next().unwrap_or("").to_lowercase();
    if PAST_MARKERS.contains(&word_before.as_str()) || first_word == "earlier" {
        return (Tense::Past, false);
    }
    let before = format!(" {}", text[..start].to_lowercase());
    if FORWARD_MARKERS.iter().any(|marker| before.trim_end().ends_with(marker)) {
        return (tense_around(text, start, end), false);
    }
    // A possessive names the day of an event of its own ("get around Wednesday's
    // ruling"): the clause's tense is not that event's, so the nearest day is meant,
    // unless the words before look ahead to it ("ahead of Sunday's vote").
    let after = &text[end..];
    let possessive = ["'s ", "’s "].iter().any(|mark| after.starts_with(mark));
    if possessive && !LOOKING_AHEAD.iter().any(|marker| before.trim_end().ends_with(marker)) {
        return (Tense::Unknown, false);
    }
    match tree(start, end) {
        Some(tense) => (tense, true),
        None => (tense_around(text, start, end), false),
    }
}

fn is_clause_mark(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '—')
}

/// The words of a lower-case text with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut start = None;
    for (idx, c) in text.char_indices() {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(idx),
            (false, Some(s)) => {
                found.push((s, &text[s..idx]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        found.push((s, &text[s..]));
    }
    found
}

/// Whether `word` is a past verb, between the words `previous` and `next`: "was" and
/// "were" before an "-ing" form or "to" are not ("were planning to", "was to").
fn is_past_verb(word: &str, previous: Option<&str>, next: Option<&str>) -> bool {
    if PAST_VERBS.contains(&word) {
        let progressive = matches!(word, "was" | "were")
            && next.is_some_and(|n| n == "to" || n == "going" || n.ends_with("ing"));
        return !progressive;
    }
    word.len() >= 5
        && word.ends_with("ed")
        && !NOT_PAST.contains(&word)
        && !previous.is_some_and(|p| BE_FORMS.contains(&p))
}

struct Candidate<'r> {
    span: Span,
    rule_idx: usize,
    rule: &'r TimeRule,
    captures: Vec<(String, String)>,
}

/// The time expressions of one piece of text (a sentence) starting at byte `base`.
pub fn find_times(text: &str, base: u32, rules: &TimeRules, reference: Option<Date>) -> Vec<Timex> {
    find_times_after("", &[], text, base, rules, reference)
}

/// [`find_times`] in a sentence that `before` (the article up to it) precedes, for rules
/// with a `context`; `previous` are the time expressions found in it, whose last date
/// anchors "that year" and "the following day".
pub fn find_times_after(
    before: &str,
    previous: &[Timex],
    text: &str,
    base: u32,
    rules: &TimeRules,
    reference: Option<Date>,
) -> Vec<Timex> {
    find_times_with(before, previous, text, base, rules, reference, &|_, _| None)
}

/// [`find_times_after`] with `tree`, the tense the dependency tree gives the expression
/// at a byte range of `text`, when it gives one; the surface cues decide otherwise.
fn find_times_with(
    before: &str,
    previous: &[Timex],
    text: &str,
    base: u32,
    rules: &TimeRules,
    reference: Option<Date>,
    tree: &dyn Fn(usize, usize) -> Option<Tense>,
) -> Vec<Timex> {
    let mut candidates = Vec::new();
    for rule_idx in rules.candidates(text) {
        let rule = &rules.rules[rule_idx];
        // The next match is looked for from the end of this one's extent, not of the
        // context around it: in "1994, 1995 and 1997" the comma after a year is the
        // context before the next one.
        let mut from = 0;
        while let Some(caps) = rule.pattern.captures_at(text, from) {
            let Some(whole) = caps.name("t").or_else(|| caps.get(0)) else { break };
            let matched = caps.get(0).map_or(whole, |m| m);
            from = if whole.end() > from { whole.end() } else { matched.end() };
            if matched.end() <= matched.start() && from == matched.start() {
                // An empty match: step over one character.
                match text[from..].chars().next() {
                    Some(c) => from += c.len_utf8(),
                    None => break,
                }
            }
            let covered = whole.as_str();
            let start = whole.start() + (covered.len() - covered.trim_start().len());
            let end = whole.start() + covered.trim_end().len();
            if start >= end {
                continue;
            }
            if let Some(context) = &rule.context
                && !context.is_match(before)
                && !context.is_match(&text[..start])
            {
                continue;
            }
            let captures = rule
                .pattern
                .capture_names()
                .flatten()
                .filter_map(|name| {
                    caps.name(name).map(|m| (name.to_string(), m.as_str().to_string()))
                })
                .collect();
            candidates.push(Candidate {
                span: Span::new(base + start as u32, base + end as u32),
                rule_idx,
                rule,
                captures,
            });
        }
    }
    // Longest first, then the earlier rule; keep what does not overlap a better match.
    candidates.sort_by_key(|c| (std::cmp::Reverse(c.span.len()), c.rule_idx, c.span.start));
    // A candidate whose value cannot be made ("a few days later": no count to move by)
    // gives way to the next best ("a few days").
    let mut kept: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        if kept.iter().any(|k| k.span.overlaps(candidate.span)) {
            continue;
        }
        let start = (candidate.span.start - base) as usize;
        let trial = Context {
            reference,
            tense: Tense::Unknown,
            sure: false,
            before: [before, &text[..start]],
            anchor: None,
            recent_days: Vec::new(),
        };
        if candidate.rule.timex_type == "NONE"
            || evaluate(&candidate.rule.value, &candidate.captures, rules, &trial).is_some()
        {
            kept.push(candidate);
        }
    }
    kept.sort_by_key(|c| c.span.start);
    let mut found: Vec<Timex> = Vec::new();
    for c in kept.into_iter().filter(|c| c.rule.timex_type != "NONE") {
        let (start, end) = ((c.span.start - base) as usize, (c.span.end - base) as usize);
        let anchor = found
            .iter()
            .rev()
            .chain(previous.iter().rev())
            .map(|t| t.value.as_str())
            .find(|value| value.len() >= 4 && value[..4].bytes().all(|b| b.is_ascii_digit()));
        let (tense, sure) = tense_of(text, start, end, tree);
        let recent_days: Vec<Date> = found
            .iter()
            .rev()
            .chain(previous.iter().rev())
            .filter_map(|t| t.value.get(..10).and_then(|day| Date::parse(day).ok()))
            .filter(|day| {
                reference.is_some_and(|r| (day.to_days() - r.to_days()).abs() <= RECENT_DAYS)
            })
            .collect();
        let context = Context {
            reference,
            tense,
            sure,
            before: [before, &text[..start]],
            anchor,
            recent_days,
        };
        if let Some(value) = evaluate(&c.rule.value, &c.captures, rules, &context) {
            found.push(Timex { span: c.span, timex_type: timex_type(&c.rule.timex_type), value });
        }
    }
    found
}

fn timex_type(name: &str) -> TimexType {
    match name {
        "TIME" => TimexType::Time,
        "DURATION" => TimexType::Duration,
        "SET" => TimexType::Set,
        _ => TimexType::Date,
    }
}

/// Fills the `{capture}` and `{capture|table}` placeholders; `None` when a capture does
/// not normalize.
fn substitute(template: &str, captures: &[(String, String)], rules: &TimeRules) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}')?;
        let inner = &rest[open + 1..close];
        let (name, table) = match inner.split_once('|') {
            Some((name, table)) => (name, Some(table)),
            None => (inner, None),
        };
        let captured = captures.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        match (captured, table) {
            (None, _) => {}
            (Some(text), None) => out.push_str(text),
            (Some(text), Some(table)) => {
                let key = text.split_whitespace().collect::<Vec<_>>().join(" ");
                match rules.normalize(table, &key) {
                    Some(value) => out.push_str(value),
                    // Digits need no table ("24 hours", "Q3").
                    None if key.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                        out.push_str(&key)
                    }
                    None => return None,
                }
            }
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// What a value is evaluated against: the reference date, the tense of the clause and
/// the article before the expression (the sentences before it, then its own sentence up
/// to it), where earlier mentions anchor "the quarter".
struct Context<'a> {
    reference: Option<Date>,
    tense: Tense,
    /// Whether the dependency tree gave the tense (a past or "will" predicate), which
    /// makes a date against it less likely still.
    sure: bool,
    before: [&'a str; 2],
    /// The value of the last calendar date before the expression.
    anchor: Option<&'a str>,
    /// The days the article named before the expression within [`RECENT_DAYS`] of the
    /// reference date, the last first: the day a time of day is on ("the blast came at
    /// 10:35 a.m." after "on Friday").
    recent_days: Vec<Date>,
}

/// Evaluates a rule's value template. `CLOCK @ DAY` puts a time of day on the day another
/// function gives ("10 p.m. Wednesday").
fn evaluate(
    template: &str,
    captures: &[(String, String)],
    rules: &TimeRules,
    context: &Context,
) -> Option<String> {
    let filled = substitute(template, captures, rules)?;
    if let Some((clock, day)) = filled.split_once(" @ ") {
        let day = call(day, context)?;
        let day = day.split('T').next().unwrap_or(&day).to_string();
        let time = call(clock, context)?;
        let (_, time) = time.split_once('T')?;
        return Some(format!("{day}T{time}"));
    }
    call(&filled, context)
}

/// Calls the value function a filled template names, or gives the text itself.
fn call(filled: &str, context: &Context) -> Option<String> {
    let (reference, tense, sure) = (context.reference, context.tense, context.sure);
    let Some((function, args)) = filled.split_once('(').filter(|_| filled.ends_with(')')) else {
        return Some(filled.to_string());
    };
    let args: Vec<&str> = args[..args.len() - 1].split(',').map(str::trim).collect();
    let arg = |idx: usize| args.get(idx).copied().unwrap_or("");
    match function {
        "date" => date_value(arg(0), arg(1), arg(2), reference, (tense, sure)),
        "weekday" => {
            let weekday: u8 = arg(0).parse().ok().filter(|d| (1..=7).contains(d))?;
            let Some(reference) = reference else { return Some(format!("XXXX-WXX-{weekday}")) };
            // A fifth argument `story` counts from the last day the story named ("the
            // previous Friday").
            let reference = match (arg(4), context.recent_days.first()) {
                ("story", Some(&day)) => day,
                _ => reference,
            };
            let current = i64::from(reference.weekday());
            let target = i64::from(weekday);
            // "last Friday" and "next Friday" are never the reference day itself.
            let delta = match (arg(2), tense) {
                ("last", _) => -(current - target - 1).rem_euclid(7) - 1,
                ("next", _) => (target - current - 1).rem_euclid(7) + 1,
                (_, Tense::Past) => -(current - target).rem_euclid(7),
                (_, Tense::Future) => (target - current).rem_euclid(7),
                (_, Tense::Unknown) => {
                    let back = (current - target).rem_euclid(7);
                    let ahead = (target - current).rem_euclid(7);
                    if 2 * ahead < back { ahead } else { -back }
                }
            };
            // A fourth argument moves the day ("the day before last Tuesday").
            let offset: i64 = if arg(3).is_empty() { 0 } else { arg(3).parse().ok()? };
            Some(with_part_of_day(reference.add_days(delta + offset).to_string(), arg(1)))
        }
        "recent_day" => {
            // The last day named on the side of the reference date the tense points to.
            let reference = reference?;
            let day = context
                .recent_days
                .iter()
                .copied()
                .find(|day| match tense {
                    Tense::Past => day.to_days() <= reference.to_days(),
                    Tense::Future => day.to_days() >= reference.to_days(),
                    Tense::Unknown => true,
                })
                .unwrap_or(reference);
            Some(day.to_string())
        }
        "half" => {
            // Half H of the reference year moved N years ("the first half of next year").
            let years: i32 = arg(1).parse().ok()?;
            let half = arg(0);
            Some(match reference {
                Some(reference) => format!("{:04}-{half}", reference.year + years),
                None => format!("XXXX-{half}"),
            })
        }
        "holiday_week" => {
            let Some(reference) = reference else { return Some("XXXX-WXX".to_string()) };
            Some(iso_week(nearest_holiday(arg(0), reference, (tense, sure))?))
        }
        "weekend" => {
            let Some(reference) = reference else { return Some("XXXX-WXX-WE".to_string()) };
            let current = i64::from(reference.weekday());
            // The Saturday of the weekend meant: this one when the reference date is in
            // it, else the last one or the coming one.
            let delta = match (current, tense) {
                (6 | 7, _) => 6 - current,
                (_, Tense::Past | Tense::Unknown) => -(current + 1),
                (_, Tense::Future) => 6 - current,
            };
            Some(format!("{}-WE", iso_week(reference.add_days(delta))))
        }
        "shift" => {
            let n: i64 = arg(1).parse().ok()?;
            Some(with_part_of_day(shift(arg(0), n, reference)?, arg(2)))
        }
        "duration" if arg(2) == "half" => {
            // "2 1/2 years", "a minute and a half": the half in the next smaller unit.
            let n: u32 = arg(0).parse().ok()?;
            Some(match arg(1) {
                "Y" => format!("P{n}Y6M"),
                "M" => format!("P{n}M15D"),
                "D" => format!("P{n}DT12H"),
                "H" => format!("PT{n}H30M"),
                "MIN" => format!("PT{n}M30S"),
                "DE" => format!("P{}Y", 10 * n + 5),
                "CE" => format!("P{}Y", 100 * n + 50),
                _ => return None,
            })
        }
        "duration" => {
            let n = arg(0);
            if n.is_empty() {
                return None;
            }
            Some(match arg(1) {
                "H" => format!("PT{n}H"),
                "MIN" => format!("PT{n}M"),
                "SEC" => format!("PT{n}S"),
                // Decades and centuries in years, as TimeBank writes them: P20Y, not P2DE;
                // some decades are some years.
                "DE" | "CE" if n.parse::<u32>().is_ok() => {
                    let years = n.parse::<u32>().ok()? * if arg(1) == "DE" { 10 } else { 100 };
                    format!("P{years}Y")
                }
                "DE" | "CE" if n == "X" => "PXY".to_string(),
                unit @ ("D" | "W" | "M" | "Q" | "Y" | "DE" | "CE" | "WE") => format!("P{n}{unit}"),
                _ => return None,
            })
        }
        "clock" => {
            let mut hour: u32 = arg(0).parse().ok()?;
            let minute: u32 = if arg(1).is_empty() { 0 } else { arg(1).parse().ok()? };
            let meridiem = arg(2).to_lowercase();
            if meridiem.starts_with('p') && hour < 12 {
                hour += 12;
            } else if meridiem.starts_with('a') && hour == 12 {
                hour = 0;
            }
            let day = reference.map_or_else(|| "XXXX-XX-XX".to_string(), |d| d.to_string());
            Some(format!("{day}T{hour:02}:{minute:02}"))
        }
        "quarter" => {
            let quarter: u8 = arg(0).parse().ok().filter(|q| (1..=4).contains(q))?;
            let Some(reference) = reference else { return Some(format!("XXXX-Q{quarter}")) };
            let current = (reference.month - 1) / 3 + 1;
            // A second argument moves the reference year ("next year's first quarter").
            let year = if let Ok(years) = arg(1).parse::<i32>() {
                reference.year + years
            } else if tense != Tense::Future && quarter > current {
                reference.year - 1
            } else {
                reference.year
            };
            Some(format!("{year}-Q{quarter}"))
        }
        "holiday" => {
            let Some(reference) = reference else {
                // Fixed-date holidays keep their month and day; moving ones cannot.
                let (month, day) = holiday_in(arg(0), 2001)?;
                let fixed = holiday_in(arg(0), 2002) == Some((month, day));
                return Some(if fixed {
                    format!("XXXX-{month:02}-{day:02}")
                } else {
                    "XXXX-XX-XX".to_string()
                });
            };
            let date = nearest_holiday(arg(0), reference, (tense, sure))?;
            Some(date.to_string())
        }
        "season" => {
            let Some(reference) = reference else { return Some(format!("XXXX-{}", arg(0))) };
            let year = season_year(arg(0), arg(1), reference, tense)?;
            Some(format!("{year}-{}", arg(0)))
        }
        "month" => {
            let month: u8 = arg(0).parse().ok().filter(|m| (1..=12).contains(m))?;
            let day = arg(1);
            let Some(reference) = reference else {
                return date_value("", &month.to_string(), day, None, (tense, sure));
            };
            let year = month_year(month, arg(2), reference)?;
            date_value(&year.to_string(), &month.to_string(), day, Some(reference), (tense, sure))
        }
        "anchored" => {
            // The last date the article named, moved N units ("the following year"); the
            // reference date when it named none.
            let n: i64 = arg(1).parse().ok()?;
            let unit = arg(0);
            let part_of_day = arg(2);
            let Some(anchor) = context.anchor else {
                return Some(with_part_of_day(shift(unit, n, reference)?, part_of_day));
            };
            let parts: Vec<&str> = anchor.split(['-', 'T']).collect();
            let year: i32 = parts.first()?.parse().ok()?;
            let month: Option<u8> = parts.get(1).and_then(|m| m.parse().ok());
            let day: Option<u8> = parts.get(2).and_then(|d| d.parse().ok());
            let value = match (unit, month, day) {
                ("Y", _, _) => shift("Y", n, Some(Date { year, month: 1, day: 1 })),
                ("M", Some(month), _) => shift("M", n, Some(Date { year, month, day: 1 })),
                ("D" | "W", Some(month), Some(day)) => {
                    shift(unit, n, Some(Date::new(year, month, day)?))
                }
                // A day of a month the story named, which day unknown ("that same day"
                // after "last October").
                ("D", Some(month), None) => Some(format!("{year:04}-{month:02}-XX")),
                _ => shift(unit, n, reference),
            }?;
            Some(with_part_of_day(value, part_of_day))
        }
        "week_of" => {
            let date = date_value(arg(0), arg(1), arg(2), reference, (tense, sure))?;
            match Date::parse(&date) {
                Ok(date) => Some(iso_week(date)),
                Err(_) => Some("XXXX-WXX".to_string()),
            }
        }
        "quarter_ended" => {
            let month: u8 = arg(0).parse().ok().filter(|m| (1..=12).contains(m))?;
            let Some(reference) = reference else {
                return Some(format!("XXXX-Q{}", ((month + 10) % 12) / 3 + 1));
            };
            let (year, quarter) = quarter_ended(month, reference);
            Some(format!("{year:04}-Q{quarter}"))
        }
        "reported_quarter" => {
            // The quarter a business story reports on: the first one it names ("third
            // quarter"), else the last quarter that ended; moved N years ("a year ago").
            // A second argument gives the year ("the 1988 period").
            let years: i32 = arg(0).parse().ok()?;
            let named_year: Option<i32> = arg(1).parse().ok();
            let Some(reference) = reference else {
                return Some(named_year.map_or("XXXX-QX".to_string(), |y| format!("{y}-QX")));
            };
            let (year, quarter) = reported_quarter(context.before, reference);
            Some(format!("{}-Q{quarter}", named_year.unwrap_or(year) + years))
        }
        _ => None,
    }
}

/// The year of the month a relative word picks: `last` is the latest one at least two
/// months back (the month before is "last month"), `next` the first one after this month,
/// `this` the one of this year; a number moves the reference year ("June last year").
fn month_year(month: u8, which: &str, reference: Date) -> Option<i32> {
    let now = reference.year * 12 + i32::from(reference.month);
    let index = |year: i32| year * 12 + i32::from(month);
    Some(match which {
        "last" => {
            let year = reference.year;
            if now - index(year) >= 2 { year } else { year - 1 }
        }
        "next" => {
            let year = reference.year;
            if index(year) > now { year } else { year + 1 }
        }
        "this" | "" => reference.year,
        n => reference.year + n.parse::<i32>().ok()?,
    })
}

/// The year of a season a relative word picks: `last` is the latest one that has ended,
/// `next` the first one not begun, `this` the one of this year, and no word the current
/// one or else the last or next one as the tense says.
fn season_year(season: &str, which: &str, reference: Date, tense: Tense) -> Option<i32> {
    let first_month = match season {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        "WI" => 12,
        _ => return None,
    };
    let now = reference.year * 12 + i32::from(reference.month);
    let start = |year: i32| year * 12 + first_month;
    let last = || {
        let year = reference.year;
        if start(year) + 2 < now { year } else { year - 1 }
    };
    let next = || {
        let year = reference.year;
        if start(year) > now { year } else { year + 1 }
    };
    Some(match which {
        "last" => last(),
        "next" => next(),
        "this" => {
            if season == "WI" && reference.month <= 2 {
                reference.year - 1
            } else {
                reference.year
            }
        }
        "" => {
            let current = [reference.year - 1, reference.year]
                .into_iter()
                .find(|&year| (start(year)..=start(year) + 2).contains(&now));
            match (current, tense) {
                (Some(year), _) => year,
                (None, Tense::Past | Tense::Unknown) => last(),
                (None, Tense::Future) => next(),
            }
        }
        n => reference.year + n.parse::<i32>().ok()?,
    })
}

/// The year and quarter a business story reports on: the first "Nth quarter" in the
/// article before the expression that names no other year, else the last quarter that
/// ended before the reference date.
fn reported_quarter(before: [&str; 2], reference: Date) -> (i32, u8) {
    let current = (reference.month - 1) / 3 + 1;
    for text in before {
        if let Some(quarter) = first_quarter_named(text) {
            let year = if quarter > current { reference.year - 1 } else { reference.year };
            return (year, quarter);
        }
    }
    if current == 1 { (reference.year - 1, 4) } else { (reference.year, current - 1) }
}

/// The calendar quarter of a quarter that ended in `month`, in the year that puts the end
/// nearest before the reference date: the quarter that holds most of its three months
/// (one ended July 31 is the second).
fn quarter_ended(month: u8, reference: Date) -> (i32, u8) {
    let year = if month > reference.month { reference.year - 1 } else { reference.year };
    let quarter = ((month + 10) % 12) / 3 + 1;
    if month == 1 { (year - 1, quarter) } else { (year, quarter) }
}

/// The first ordinal quarter a text names without a year ("third-quarter profit", "the
/// fiscal first quarter"; not "the 1988 third quarter" or "the third quarter of 1990").
fn first_quarter_named(text: &str) -> Option<u8> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("quarter") {
        let at = from + at;
        from = at + "quarter".len();
        let head = lower[..at].trim_end_matches(['-', ' ']);
        let quarter = [("first", 1), ("second", 2), ("third", 3), ("fourth", 4)]
            .into_iter()
            .find(|(word, _)| head.ends_with(word))
            .map(|(_, n)| n);
        let Some(quarter) = quarter else { continue };
        let before_ordinal = head.split_whitespace().rev().nth(1).unwrap_or("");
        let names_year = lower[from..].trim_start_matches('s').trim_start().starts_with("of 1")
            || lower[from..].trim_start_matches('s').trim_start().starts_with("of 2");
        if names_year
            || before_ordinal.chars().any(|c| c.is_ascii_digit())
            || before_ordinal.ends_with("year's")
            || before_ordinal.ends_with("year’s")
        {
            continue;
        }
        return Some(quarter);
    }
    None
}

fn with_part_of_day(value: String, part_of_day: &str) -> String {
    if part_of_day.is_empty() { value } else { format!("{value}T{part_of_day}") }
}

/// A calendar date from its parts; a missing year is the one nearest the reference date
/// in the sentence's tense.
fn date_value(
    year: &str,
    month: &str,
    day: &str,
    reference: Option<Date>,
    tense: (Tense, bool),
) -> Option<String> {
    let month: u8 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
    let day: Option<u8> = if day.is_empty() {
        None
    } else {
        Some(day.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().ok()?)
    };
    let year: Option<i32> = if year.is_empty() {
        reference.map(|reference| nearest_year(reference, month, day, tense))
    } else {
        Some(year.parse().ok()?)
    };
    let year_text = year.map_or_else(|| "XXXX".to_string(), |y| format!("{y:04}"));
    match day {
        Some(day) => {
            if let Some(y) = year {
                Date::new(y, month, day)?;
            } else if day > 31 {
                return None;
            }
            Some(format!("{year_text}-{month:02}-{day:02}"))
        }
        None => Some(format!("{year_text}-{month:02}")),
    }
}

/// The year that puts `month`/`day` nearest the reference date, where a date on the
/// side the tense does not point to counts as twice as far: news mostly speaks of the
/// recent past ("took office in October") and the near future ("will vote on Jan. 14").
fn nearest_year(reference: Date, month: u8, day: Option<u8>, tense: (Tense, bool)) -> i32 {
    let day = day.unwrap_or(15).min(28);
    let cost =
        |year: i32| tense_cost(Date { year, month, day }.to_days() - reference.to_days(), tense);
    [reference.year, reference.year - 1, reference.year + 1]
        .into_iter()
        .min_by_key(|&year| cost(year))
        .unwrap_or(reference.year)
}

/// The date of a holiday, from its rule in the `holiday` table: `MM-DD` (fixed),
/// `nth:MONTH:N:WEEKDAY` (the Nth weekday of a month; N = -1 for the last),
/// `after:MONTH:DAY:WEEKDAY` (the first weekday on or after a day), `easter:OFFSET`.
fn holiday_in(rule: &str, year: i32) -> Option<(u8, u8)> {
    let parts: Vec<&str> = rule.split(':').collect();
    let date = match parts.as_slice() {
        [month_day] => {
            let (month, day) = month_day.split_once('-')?;
            Date::new(year, month.parse().ok()?, day.parse().ok()?)?
        }
        ["nth", month, n, weekday] => {
            let (month, n, weekday): (u8, i64, i64) =
                (month.parse().ok()?, n.parse().ok()?, weekday.parse().ok()?);
            if n > 0 {
                let first = Date::new(year, month, 1)?;
                let to_weekday = (weekday - i64::from(first.weekday())).rem_euclid(7);
                first.add_days(to_weekday + 7 * (n - 1))
            } else {
                let (next_year, next_month) =
                    if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                let last = Date::new(next_year, next_month, 1)?.add_days(-1);
                last.add_days(-(i64::from(last.weekday()) - weekday).rem_euclid(7))
            }
        }
        ["after", month, day, weekday] => {
            let start = Date::new(year, month.parse().ok()?, day.parse().ok()?)?;
            let weekday: i64 = weekday.parse().ok()?;
            start.add_days((weekday - i64::from(start.weekday())).rem_euclid(7))
        }
        ["easter", offset] => easter(year).add_days(offset.parse().ok()?),
        _ => return None,
    };
    (date.year == year).then_some((date.month, date.day))
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
fn easter(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date { year, month: month as u8, day: day as u8 }
}

/// The holiday's date nearest the reference date, weighted by tense as [`nearest_year`].
fn nearest_holiday(rule: &str, reference: Date, tense: (Tense, bool)) -> Option<Date> {
    [reference.year, reference.year - 1, reference.year + 1]
        .into_iter()
        .filter_map(|year| {
            holiday_in(rule, year).and_then(|(month, day)| Date::new(year, month, day))
        })
        .min_by_key(|date| tense_cost(date.to_days() - reference.to_days(), tense))
}

/// How far a date `distance` days from the reference date is, for picking the nearest
/// one: a date on the side the tense does not point to counts twice (four times when the
/// dependency tree gave the tense), a future one in a clause without tense cues 1.75
/// times.
const AGAINST_SURE: i64 = 16;
fn tense_cost(distance: i64, (tense, sure): (Tense, bool)) -> i64 {
    // Costs are in quarter days: a date against the tense counts twice as far, and
    // without a tense a future date counts 1.75 times as far (news mostly looks back).
    let against = if sure { AGAINST_SURE } else { 8 };
    match tense {
        Tense::Past if distance > 0 => against * distance,
        Tense::Future if distance < 0 => -against * distance,
        Tense::Unknown if distance > 0 => 7 * distance,
        _ => 4 * distance.abs(),
    }
}

/// The reference date moved `n` units, written at the unit's precision.
fn shift(unit: &str, n: i64, reference: Option<Date>) -> Option<String> {
    let Some(reference) = reference else {
        return Some(
            match unit {
                "D" => "XXXX-XX-XX",
                "W" | "WE" => "XXXX-WXX",
                "M" => "XXXX-XX",
                "Q" => "XXXX-QX",
                "Y" => "XXXX",
                "DE" => "XXX",
                "CE" => "XX",
                _ => return None,
            }
            .to_string(),
        );
    };
    let months = |k: i64| {
        let index = i64::from(reference.year) * 12 + i64::from(reference.month) - 1 + k;
        (index.div_euclid(12) as i32, (index.rem_euclid(12) + 1) as u8)
    };
    Some(match unit {
        "D" => reference.add_days(n).to_string(),
        "W" => iso_week(reference.add_days(7 * n)),
        "WE" => format!("{}-WE", iso_week(reference.add_days(7 * n))),
        "M" => {
            let (year, month) = months(n);
            format!("{year:04}-{month:02}")
        }
        "Q" => {
            let (year, month) = months(3 * n);
            format!("{year:04}-Q{}", (month - 1) / 3 + 1)
        }
        "Y" => format!("{:04}", i64::from(reference.year) + n),
        "DE" => format!("{:03}", (i64::from(reference.year) / 10) + n),
        "CE" => format!("{:02}", (i64::from(reference.year) / 100) + n),
        _ => return None,
    })
}

/// The ISO 8601 week of a date, `2024-W48`.
fn iso_week(date: Date) -> String {
    // The week belongs to the year of its Thursday.
    let thursday = date.add_days(4 - i64::from(date.weekday()));
    let first_of_year = Date { year: thursday.year, month: 1, day: 1 };
    let week = (thursday.to_days() - first_of_year.to_days()) / 7 + 1;
    format!("{:04}-W{week:02}", thursday.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs every rule's examples: [text, reference date, extent, value].
    #[test]
    fn rule_examples_hold() {
        let rules = &Lexicon::builtin().times;
        let mut failures = Vec::new();
        for rule in &rules.rules {
            for [text, reference, extent, value] in &rule.examples {
                let reference = Date::parse(reference).ok();
                let found = find_times(text, 0, rules, reference);
                let got: Vec<(String, String)> = found
                    .iter()
                    .map(|t| (text[t.span.range()].to_string(), t.value.clone()))
                    .collect();
                let holds = if rule.timex_type == "NONE" {
                    // A negative rule's words make no time expression.
                    !got.iter()
                        .any(|(e, _)| e.contains(extent.as_str()) || extent.contains(e.as_str()))
                } else {
                    got.iter().any(|(e, v)| e == extent && v == value)
                };
                if !holds {
                    failures.push(format!(
                        "{}: {text:?} gave {got:?}, want {extent:?} = {value:?}",
                        rule.name
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn check(text: &str, reference: Option<&str>, expected: &[(&str, &str, &str)]) {
        let rules = &Lexicon::builtin().times;
        let reference = reference.map(|r| Date::parse(r).unwrap());
        let found = find_times(text, 0, rules, reference);
        let got: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|t| (&text[t.span.range()], t.timex_type.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn without_a_reference_date_values_stay_underspecified() {
        check(
            "They met on Tuesday and will meet again next week.",
            None,
            &[("Tuesday", "DATE", "XXXX-WXX-2"), ("next week", "DATE", "XXXX-WXX")],
        );
        check("The summit of November 22 ended.", None, &[("November 22", "DATE", "XXXX-11-22")]);
    }

    #[test]
    fn the_longest_match_wins() {
        check(
            "It fell in the last twenty four hours.",
            Some("1998-01-08"),
            &[("the last twenty four hours", "DURATION", "PT24H")],
        );
        check(
            "Talks began on November 22, 2024 in Veloria.",
            Some("2024-12-01"),
            &[("November 22, 2024", "DATE", "2024-11-22")],
        );
    }

    #[test]
    fn last_and_next_weekdays_are_never_the_reference_day() {
        check(
            "They met last Wednesday.",
            Some("1989-11-01"),
            &[("last Wednesday", "DATE", "1989-10-25")],
        );
        check(
            "They meet next Wednesday.",
            Some("1989-11-01"),
            &[("next Wednesday", "DATE", "1989-11-08")],
        );
        check(
            "It has run since March and is scheduled to end.",
            Some("1990-08-13"),
            &[("March", "DATE", "1990-03")],
        );
    }

    #[test]
    fn weekdays_follow_the_tense() {
        check(
            "Brel will visit Ostravia on Friday.",
            Some("2024-12-01"),
            &[("Friday", "DATE", "2024-12-06")],
        );
        check(
            "Brel visited Ostravia on Friday.",
            Some("2024-12-01"),
            &[("Friday", "DATE", "2024-11-29")],
        );
    }

    #[test]
    fn holidays_that_move() {
        assert_eq!(easter(2024).to_string(), "2024-03-31");
        assert_eq!(easter(2025).to_string(), "2025-04-20");
        assert_eq!(holiday_in("nth:11:4:4", 1999), Some((11, 25)));
        assert_eq!(holiday_in("nth:5:-1:1", 2024), Some((5, 27)));
        assert_eq!(holiday_in("after:11:2:2", 1998), Some((11, 3)));
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        assert_eq!(iso_week(Date::new(2024, 12, 30).unwrap()), "2025-W01");
        assert_eq!(iso_week(Date::new(2021, 1, 3).unwrap()), "2020-W53");
        assert_eq!(iso_week(Date::new(1998, 1, 8).unwrap()), "1998-W02");
    }

    #[test]
    fn numbers_that_are_not_years_are_not_dates() {
        check("It cost $2000 and 2,500 troops.", Some("2024-12-01"), &[]);
        check("The index closed at 2082.1 and the other at 1678.5.", Some("1989-10-30"), &[]);
    }

    #[test]
    fn a_dash_before_the_expression_is_a_clause_boundary() {
        check(
            "And I just — I can’t wait for the vote tomorrow night.",
            Some("2016-09-25"),
            &[("tomorrow night", "TIME", "2016-09-26TNI")],
        );
    }

    proptest::proptest! {
        #[test]
        fn spans_stay_on_char_boundaries(text in "\\PC{0,80}|[a-zA-Z0-9 ,;:—’“.]{0,80}") {
            let rules = &Lexicon::builtin().times;
            for timex in find_times(&text, 0, rules, Date::new(2024, 12, 1)) {
                proptest::prop_assert!(text.is_char_boundary(timex.span.start as usize));
                proptest::prop_assert!(text.is_char_boundary(timex.span.end as usize));
            }
        }
    }

    #[test]
    fn a_month_without_a_year_is_the_nearest_one() {
        check(
            "The vote is set for Jan. 14.",
            Some("1999-12-20"),
            &[("Jan. 14", "DATE", "2000-01-14")],
        );
        check("Sales fell in January.", Some("1989-10-26"), &[("January", "DATE", "1990-01")]);
        check(
            "Brel took office in October.",
            Some("2024-12-01"),
            &[("October", "DATE", "2024-10")],
        );
    }

    #[test]
    fn the_nearest_tense_cue_decides() {
        // The clause after the comma has its own "will".
        check(
            "Since the ruling was announced Wednesday, they will appeal.",
            Some("2000-01-07"),
            &[("Wednesday", "DATE", "2000-01-05")],
        );
        // A sentence that opens with the date takes the tense of the clause after it.
        check(
            "On Tuesday, the league plans to hold a news conference.",
            Some("1998-10-26"),
            &[("Tuesday", "DATE", "1998-10-27")],
        );
        // A plan told in the past looks back.
        check(
            "The offer had been scheduled to expire at midnight Friday.",
            Some("1989-10-30"),
            &[("midnight Friday", "TIME", "1989-10-27T24:00")],
        );
        check(
            "The team said Monday that it intends to bid.",
            Some("1989-10-27"),
            &[("Monday", "DATE", "1989-10-23")],
        );
        // "until" looks forward, except for a sentence it opens.
        check(
            "The agency postponed until Tuesday any action.",
            Some("2000-03-30"),
            &[("Tuesday", "DATE", "2000-04-04")],
        );
        check(
            "Until Thursday, they had not named him.",
            Some("1999-05-07"),
            &[("Thursday", "DATE", "1999-05-06")],
        );
        // Without any cue the nearest date wins, the past a little favoured.
        check(
            "They can join the summit in April.",
            Some("1998-12-05"),
            &[("April", "DATE", "1999-04")],
        );
        check("Prices peaked in March.", Some("1989-10-30"), &[("March", "DATE", "1989-03")]);
    }

    #[test]
    fn the_quarter_is_the_one_the_story_reports() {
        let rules = &Lexicon::builtin().times;
        let reference = Date::new(1989, 10, 26);
        let lead = "Ralston said fiscal fourth-quarter profit fell. ";
        let text = "Sales in the quarter rose from a year earlier.";
        let found = find_times_after(lead, &[], text, 0, rules, reference);
        let values: Vec<&str> = found.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(values, ["1989-Q4", "1988-Q4"]);
        // Without a named quarter it is the last one that ended.
        let found = find_times_after("", &[], text, 0, rules, reference);
        let values: Vec<&str> = found.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(values, ["1989-Q3", "1988-Q3"]);
    }

    #[test]
    fn named_months_and_seasons_with_relative_words() {
        assert_eq!(month_year(2, "last", Date::new(1998, 3, 1).unwrap()), Some(1997));
        assert_eq!(month_year(1, "last", Date::new(2024, 12, 1).unwrap()), Some(2024));
        assert_eq!(month_year(1, "next", Date::new(2024, 12, 1).unwrap()), Some(2025));
        assert_eq!(month_year(6, "-1", Date::new(1998, 2, 19).unwrap()), Some(1997));
        let october = Date::new(1989, 10, 30).unwrap();
        assert_eq!(season_year("SP", "last", october, Tense::Past), Some(1989));
        assert_eq!(season_year("SP", "next", october, Tense::Past), Some(1990));
        assert_eq!(season_year("SU", "", october, Tense::Past), Some(1989));
        assert_eq!(season_year("SU", "", october, Tense::Future), Some(1990));
        assert_eq!(season_year("FA", "", october, Tense::Future), Some(1989));
    }

    #[test]
    fn a_possessive_day_is_the_nearest_one() {
        // The clause's "would" is not the ruling's tense.
        check(
            "Her lawyers said they would search for a way around Thursday's verdict.",
            Some("2000-01-07"),
            &[("Thursday", "DATE", "2000-01-06")],
        );
        // Words that look ahead keep the clause's tense.
        check(
            "The parties will campaign hard ahead of Sunday's vote.",
            Some("2024-12-04"),
            &[("Sunday", "DATE", "2024-12-08")],
        );
    }

    #[test]
    fn a_future_as_an_adjective_is_no_time() {
        check("The company's future earnings look weak.", Some("2024-12-01"), &[]);
    }

    #[test]
    fn the_tense_is_read_near_the_expression() {
        check(
            "Ostravia will reply, the minister said on Monday.",
            Some("2024-12-04"),
            &[("Monday", "DATE", "2024-12-02")],
        );
    }
}

#[cfg(test)]
mod pipeline_tests {
    use newsgraph_model::Article;

    use crate::{Lexicon, extract};

    fn values(text: &str, published: &str) -> Vec<(String, String)> {
        let mut article = Article::from_text(text);
        article.published = Some(published.to_string());
        let doc = extract(article, Lexicon::builtin());
        doc.times.iter().map(|t| (doc.text[t.span.range()].to_string(), t.value.clone())).collect()
    }

    #[test]
    fn the_dependency_tree_gives_the_tense_of_the_clause() {
        // The "will" is far from the month and an "-ed" word follows it: the tree still
        // hangs "August" from "will open".
        assert_eq!(
            values(
                "Veloria will open two new consulates in the north by August in a push for markets untouched by the war.",
                "2024-02-10",
            ),
            [("August".to_string(), "2024-08".to_string())]
        );
        assert_eq!(
            values("Since the army seized the port in February, trade has slowed.", "2024-10-30"),
            [("February".to_string(), "2024-02".to_string())]
        );
    }

    #[test]
    fn a_participle_heading_its_sentence_is_a_past_tense() {
        // The tagger reads "brought" as a participle; with no auxiliary it is the past.
        assert_eq!(
            values("In January, Veloria Medical brought in a new chief executive.", "1989-10-27"),
            [("January".to_string(), "1989-01".to_string())]
        );
    }

    #[test]
    fn a_date_before_a_planning_verb_tells_when_the_plan_was() {
        assert_eq!(
            values(
                "On Friday, the Veloria government planned to pay the first claims.",
                "1998-09-30"
            ),
            [("Friday".to_string(), "1998-09-25".to_string())]
        );
        // After the verb, it tells when the planned thing happens.
        assert_eq!(
            values("The team planned to leave the capital on Thursday.", "1998-09-30"),
            [("Thursday".to_string(), "1998-10-01".to_string())]
        );
    }

    #[test]
    fn years_in_a_list() {
        let got = values("Her car crossed the border in 1994, 1995 and 1997.", "1999-04-19");
        let years: Vec<&str> = got.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(years, ["1994", "1995", "1997"]);
    }

    #[test]
    fn the_stage_resolves_against_the_published_date() {
        let mut article = Article::from_text("They met on Tuesday, November 22, 2024.");
        article.published = Some("2024-12-01".to_string());
        let doc = extract(article, Lexicon::builtin());
        let values: Vec<&str> = doc.times.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(values, ["2024-11-22"]);
    }
}

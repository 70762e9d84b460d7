//! The `coref` stage: links descriptions ("the secretary-general", "the alliance") and
//! pronouns ("he", "her") to the entities they mean.
//!
//! Reads: segments, syntax, entities, and the article's `published` date. Writes:
//! nominal and pronoun mentions added to the entities layer, and the entities that
//! descriptions name without a name in the article ("Ukraine's foreign minister" is the
//! person who held that office on the publication day, or an agent when the lexicon does
//! not know who did).
//!
//! - An organization's descriptions (`nominals` in `organizations.toml`) link to it when
//!   it is named in the article.
//! - A title ("the president-elect", "NATO's new secretary general", "the former Dutch
//!   prime minister", "head of the Western military alliance") links to the person of
//!   the article whose office on the publication day (or before it, after "former") has
//!   that title and belongs to the country or organization the description names; a
//!   title before a name ("President Xi Jinping") is part of that name, not a mention.
//! - "he"/"she" and their forms link, outside quotations, to the nearest person of the
//!   same gender, preferring subjects: first in the same sentence before the pronoun,
//!   then in up to three sentences before it; "it"/"its" to the nearest state,
//!   organization or singular group, "they"/"their" to the nearest plural group, in the
//!   same or the previous sentence.

use std::collections::HashMap;

use newsgraph_lexicon::{Gender, Title};
use newsgraph_model::{
    DepRel, Document, Entity, EntityType, Layer, Mention, MentionKind, Role, Span, Upos,
};

use crate::Lexicon;
use crate::entities::{Tokens, day_number, gender_of, is_honorific, person_entity};
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage {
    name: "coref",
    reads: &[Layer::Segments, Layer::Syntax, Layer::Entities],
    writes: Layer::Coreference,
    run,
};

/// The entity that owns each token through one of its mentions.
pub(crate) fn owners(doc: &Document, entities: &[Entity]) -> Vec<Option<usize>> {
    let tokens = Tokens { doc };
    let mut owner = vec![None; doc.tokens.len()];
    for (idx, entity) in entities.iter().enumerate() {
        for mention in &entity.mentions {
            let (Some(first), Some(last)) = (
                tokens.starting_at(mention.span.start as usize),
                tokens.ending_at(mention.span.end as usize),
            ) else {
                continue;
            };
            for slot in &mut owner[first..=last] {
                slot.get_or_insert(idx);
            }
        }
    }
    owner
}

/// Tokens inside quotation marks, paired as the `quotes` stage pairs them.
fn quoted_tokens(doc: &Document) -> Vec<bool> {
    crate::quotes::quoted_tokens(doc, &crate::quotes::find_marked(&doc.text))
}

fn run(doc: &mut Document, lexicon: &Lexicon) {
    let mut entities = std::mem::take(&mut doc.entities);
    link_org_nominals(doc, lexicon, &mut entities);
    link_titles(doc, lexicon, &mut entities);
    link_surnames(doc, lexicon, &mut entities);
    add_speakers(doc, lexicon, &mut entities);
    link_pronouns(doc, lexicon, &mut entities);
    for entity in &mut entities {
        entity.mentions.sort_by_key(|m| (m.span.start, m.span.end));
        entity.mentions.dedup();
    }
    entities.sort_by_key(|e| e.mentions.first().map_or(u32::MAX, |m| m.span.start));
    doc.entities = entities;
}

fn link_org_nominals(doc: &Document, lexicon: &Lexicon, entities: &mut [Entity]) {
    let tokens = Tokens { doc };
    let lower = doc.text.to_ascii_lowercase();
    let owner = owners(doc, entities);
    for entity in entities.iter_mut() {
        let Some(org) = entity.code.as_deref().and_then(|c| lexicon.organizations.by_code(c))
        else {
            continue;
        };
        for nominal in &org.nominals {
            let needle = nominal.to_ascii_lowercase();
            for (start, _) in lower.match_indices(&needle) {
                let end = start + needle.len();
                let (Some(first), Some(last)) = (tokens.starting_at(start), tokens.ending_at(end))
                else {
                    continue;
                };
                if owner[first..=last].iter().any(Option::is_some) {
                    continue;
                }
                entity
                    .mentions
                    .push(Mention { span: tokens.span(first, last), kind: MentionKind::Nominal });
            }
        }
    }
}

/// Whether a description's title names an office: the same title, or its last word
/// ("Minister" for "Defence Minister").
fn same_office(office: &str, title: &str) -> bool {
    office.eq_ignore_ascii_case(title)
        || office.rsplit(' ').next().is_some_and(|last| last.eq_ignore_ascii_case(title))
}

/// A title description found in the text.
struct TitleNp<'l> {
    title: &'l Title,
    /// First token of the whole description (qualifier or modifier included).
    first: usize,
    /// The title's head noun.
    head: usize,
    /// The country or organization code it names.
    qualifier: Option<String>,
    /// After "former", "ex-".
    past: bool,
    plural: bool,
}

fn qualifier_code(entity: &Entity) -> Option<String> {
    match entity.entity_type {
        EntityType::Country
        | EntityType::Igo
        | EntityType::Org
        | EntityType::ArmedGroup
        | EntityType::Media => entity.code.clone().or_else(|| Some(entity.name.clone())),
        _ => None,
    }
}

fn find_title_nps<'l>(
    doc: &Document,
    lexicon: &'l Lexicon,
    entities: &[Entity],
    owner: &[Option<usize>],
) -> Vec<TitleNp<'l>> {
    let tokens = Tokens { doc };
    let n = doc.tokens.len();
    let mut found = Vec::new();
    let max = lexicon.titles.max_words().max(1) * 2;
    for head in 0..n {
        if owner[head].is_some()
            || !matches!(tokens.upos(head), Some(Upos::Noun | Upos::Propn | Upos::Adj))
        {
            continue;
        }
        // The first part of a hyphenated title ("president" in "president-elect").
        if head + 1 < n && tokens.text(head + 1) == "-" && !doc.tokens[head].space_after {
            continue;
        }
        let Some(sentence) = tokens.sentence_of(head) else { continue };
        let floor = sentence.first_token as usize;
        // The longest title ending at this token.
        let mut best = None;
        for k in (0..max).rev() {
            if head < floor + k || (head - k..=head).any(|t| owner[t].is_some()) {
                continue;
            }
            let text = &doc.text[tokens.span(head - k, head).range()];
            let lemma_form = if k == 0 { tokens.lemma(head) } else { String::new() };
            let title = lexicon
                .titles
                .lookup(&text.to_lowercase())
                .or_else(|| lexicon.titles.lookup(&lemma_form));
            if let Some(title) = title {
                if k == 0 && tokens.upos(head) == Some(Upos::Adj) {
                    continue;
                }
                best = Some((title, head - k));
                break;
            }
        }
        let Some((title, start)) = best else { continue };
        // The first words of a longer title ("Secretary" of "Secretary of State"): the
        // longer one is read at its own last word.
        if (head + 1..(head + max).min(n)).any(|end| {
            tokens.sentence_of(end) == Some(sentence)
                && lexicon
                    .titles
                    .lookup(&doc.text[tokens.span(start, end).range()].to_lowercase())
                    .is_some()
        }) {
            continue;
        }
        // A title before a name belongs to the name.
        if head + 1 < n
            && let Some(next) = owner[head + 1]
            && entities[next].entity_type == EntityType::Person
        {
            continue;
        }
        if head + 1 < n
            && tokens.upos(head + 1) == Some(Upos::Propn)
            && tokens.capitalized(head + 1)
        {
            continue;
        }
        let mut first = start;
        let mut qualifier = None;
        let mut past = false;
        let children: Vec<usize> = tokens.children(head).collect();
        for &child in &children {
            let rel = tokens.deprel(child);
            if child < start
                && matches!(rel, DepRel::NmodPoss | DepRel::Compound | DepRel::Amod | DepRel::Nmod)
                && let Some(owner_idx) = owner[child]
                && let Some(code) = qualifier_code(&entities[owner_idx])
            {
                qualifier.get_or_insert(code);
                first = first.min(child);
            }
            if child > head
                && rel.base() == DepRel::Nmod
                && tokens.children(child).any(|c| tokens.lemma(c) == "of")
                && let Some(owner_idx) = owner[child]
                && let Some(code) = qualifier_code(&entities[owner_idx])
            {
                qualifier.get_or_insert(code);
            }
        }
        // The words just before the title: modifiers and a possessor the parse missed.
        let mut t = start;
        while t > floor && t >= start.saturating_sub(3) {
            t -= 1;
            let word = tokens.text(t).to_lowercase();
            if lexicon.titles.past.iter().any(|p| *p == word || format!("{p}-") == word) {
                past = true;
                first = first.min(t);
            } else if lexicon.titles.current.contains(&word) {
                first = first.min(t);
            } else if let Some(owner_idx) = owner[t] {
                if let Some(code) = qualifier_code(&entities[owner_idx]) {
                    qualifier.get_or_insert(code);
                    // Extend to the whole possessor mention.
                    let mut s = t;
                    while s > floor && owner[s - 1] == Some(owner_idx) {
                        s -= 1;
                    }
                    first = first.min(s);
                    t = s;
                }
            } else if !matches!(word.as_str(), "'s" | "’s" | "the" | "a" | "an") {
                break;
            }
        }
        let plural = doc.syntax.get(head).is_some_and(|s| s.feats.contains("Number=Plur"));
        found.push(TitleNp { title, first, head, qualifier, past, plural });
    }
    found
}

fn link_titles(doc: &Document, lexicon: &Lexicon, entities: &mut Vec<Entity>) {
    let day = day_number(doc);
    let tokens = Tokens { doc };
    let owner = owners(doc, entities);
    let nps = find_title_nps(doc, lexicon, entities, &owner);
    let mut agents: HashMap<(Option<String>, String), usize> = HashMap::new();
    for np in nps {
        let span = tokens.span(np.first, np.head);
        let mention = Mention { span, kind: MentionKind::Nominal };
        // Cheapest test first: this runs over every office in the lexicon, and the dates
        // are parsed from their text.
        let matches_office = |office: &newsgraph_lexicon::Office| {
            (!np.title.of_required || np.qualifier.is_some())
                && (np.title.of_required || office.title.eq_ignore_ascii_case(&np.title.title))
                && np.qualifier.as_deref().is_none_or(|q| q == office.of)
                && match day {
                    None => true,
                    Some(d) if np.past => office.ended_before(d),
                    Some(d) => office.held_on(d),
                }
        };
        // An apposition names its person: "Daniyar Osken, Kazakhstan's chief negotiator"
        // or "Kazakhstan's chief negotiator, Daniyar Osken".
        let appositive = std::iter::once(
            tokens.head(np.head).filter(|_| tokens.deprel(np.head) == DepRel::Appos),
        )
        .chain(tokens.children(np.head).filter(|&c| tokens.deprel(c) == DepRel::Appos).map(Some))
        .flatten()
        .find_map(|t| owner[t].filter(|&e| entities[e].entity_type == EntityType::Person));
        if !np.plural
            && let Some(idx) = appositive
        {
            let entity = &mut entities[idx];
            if lexicon.people.lookup(&entity.name).is_none()
                && !entity.roles.iter().any(|r| r.title == np.title.title)
            {
                entity.roles.push(Role {
                    title: np.title.title.clone(),
                    of: np.qualifier.clone(),
                    from: None,
                    to: None,
                });
                entity.sector.get_or_insert_with(|| np.title.sector.clone());
                if let Some(q) = &np.qualifier
                    && lexicon.countries.by_code(q).is_some()
                {
                    entity.country.get_or_insert_with(|| q.clone());
                }
            }
            entity.mentions.push(mention);
            continue;
        }
        if !np.plural {
            let candidates: Vec<usize> = entities
                .iter()
                .enumerate()
                .filter(|(_, e)| e.entity_type == EntityType::Person)
                .filter(|(_, e)| match lexicon.people.lookup(&e.name) {
                    Some(person) => person.roles.iter().any(matches_office),
                    // A person the lexicon does not know, with the office the article gave
                    // them: "the minister" is "Defence Minister Ruben Kald".
                    None => e.roles.iter().any(|r| same_office(&r.title, &np.title.title)),
                })
                .map(|(idx, _)| idx)
                .collect();
            if let [idx] = candidates[..] {
                entities[idx].mentions.push(mention);
                continue;
            }
            if candidates.is_empty() && np.qualifier.is_some() && !np.past {
                let holders: Vec<_> =
                    lexicon.people.iter().filter(|p| p.roles.iter().any(matches_office)).collect();
                if let [person] = holders[..] {
                    let mut entity = person_entity(lexicon, person, day);
                    entity.mentions.push(mention);
                    entities.push(entity);
                    continue;
                }
            }
            if !candidates.is_empty() || np.qualifier.is_none() {
                continue;
            }
        } else if np.qualifier.is_none() {
            continue;
        }
        // An office holder the lexicon does not know: an agent of that country.
        // (An organization the lexicon does not know, named by its name, gives its own
        // country if it has one: "leaders of the Alda Farmers Union of Lima".)
        let country =
            np.qualifier.as_deref().and_then(|q| match lexicon.organizations.by_code(q) {
                Some(org) => Some(org.country.clone().unwrap_or_else(|| q.to_string())),
                None if lexicon.countries.by_code(q).is_some() => Some(q.to_string()),
                None => entities
                    .iter()
                    .find(|e| e.code.is_none() && e.name == q)
                    .and_then(|e| e.country.clone()),
            });
        let key = (country.clone(), np.title.title.clone());
        match agents.get(&key) {
            Some(&idx) => entities[idx].mentions.push(mention),
            None => {
                agents.insert(key, entities.len());
                entities.push(Entity {
                    name: doc.text[span.range()].to_string(),
                    entity_type: EntityType::Agent,
                    code: None,
                    country,
                    sector: Some(np.title.sector.clone()),
                    roles: Vec::new(),
                    mentions: vec![mention],
                });
            }
        }
    }
}

/// A person's last name standing alone ("Limbaugh continued:") is a mention of the one
/// person of the article with that last name, where the parse did not let `entities`
/// see it as a name (it took it for an adverb or a verb). A word beside another
/// capitalized word is left alone: it may belong to a name of its own.
fn link_surnames(doc: &Document, lexicon: &Lexicon, entities: &mut [Entity]) {
    let tokens = Tokens { doc };
    let owner = owners(doc, entities);
    let mut by_surname: HashMap<&str, Option<usize>> = HashMap::new();
    for (idx, entity) in entities.iter().enumerate() {
        if entity.entity_type != EntityType::Person {
            continue;
        }
        // (A person the article names by one word only is found by that word.)
        // A surname several people share is the one named first, the article's subject
        // (`Sen. Ana Ruiz ... her husband, Tomas Ruiz ... Ruiz said`): news names the
        // others in full.
        let Some(last) = entity.name.split_whitespace().next_back() else { continue };
        if last.chars().count() >= 3 && last.chars().next().is_some_and(char::is_uppercase) {
            let first = |i: usize| entities[i].mentions.iter().map(|m| m.span.start).min();
            let slot = by_surname.entry(last).or_insert(Some(idx));
            if let Some(other) = *slot
                && first(idx) < first(other)
            {
                *slot = Some(idx);
            }
        }
    }
    let n = doc.tokens.len();
    let name_like = |t: usize| {
        tokens.capitalized(t)
            && tokens.text(t).chars().any(char::is_alphabetic)
            && !tokens.sentence_start(t)
    };
    let mut added = Vec::new();
    for (t, slot) in owner.iter().enumerate() {
        if slot.is_some() || !tokens.capitalized(t) {
            continue;
        }
        // A name in capitals is the same name: a transcript's `RUIZ:`.
        let word = tokens.text(t);
        let found = by_surname.get(word).or_else(|| {
            let capitals = word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
            let mut chars = word.chars();
            let titled: String =
                chars.next().into_iter().chain(chars.flat_map(char::to_lowercase)).collect();
            capitals.then(|| by_surname.get(titled.as_str())).flatten()
        });
        let Some(&Some(idx)) = found else { continue };
        if (t > 0 && name_like(t - 1) && !is_honorific(lexicon, tokens.text(t - 1)))
            || (t + 1 < n && name_like(t + 1))
        {
            continue;
        }
        added.push((idx, doc.tokens[t].span));
    }
    for (idx, span) in added {
        entities[idx].mentions.push(Mention { span, kind: MentionKind::Name });
    }
}

/// Whoever speaks is an actor: the subject of a speech verb that no entity covers
/// ("the commission said", "a narrator in the ad says", "Ruiz's former adviser said",
/// whose possessor stays its own entity) becomes an entity of its own, an agent (with its
/// sector when `agents.toml` knows the noun) or, for a proper name, a person; so does the
/// name that signs a quote on its line (`“...” ― Ana Ruiz`).
fn add_speakers(doc: &Document, lexicon: &Lexicon, entities: &mut Vec<Entity>) {
    let tokens = Tokens { doc };
    let owner = owners(doc, entities);
    let quoted = quoted_tokens(doc);
    // (first token of the name, first and last token of the mention, head noun, whether
    // it is a signature)
    let mut found: Vec<(usize, usize, usize, usize, bool)> = Vec::new();
    for (verb, &in_quote) in quoted.iter().enumerate() {
        if in_quote {
            continue;
        }
        // A speech verb the tagger read as a noun after a quote: the phrase before it
        // (`“...,” the letter reads`).
        if let Some(first) = crate::quotes::misread_phrase(lexicon, &tokens, &quoted, verb) {
            found.extend(phrase_speaker(&tokens, &owner, first, verb));
            continue;
        }
        if crate::quotes::speech_verb(lexicon, &tokens, verb).is_none() {
            continue;
        }
        // (Not a subject the parser found inside the quotation.)
        let Some(subject) =
            tokens.children(verb).find(|&c| tokens.deprel(c) == DepRel::Nsubj && !quoted[c])
        else {
            // A verb after a quote whose subject the parser missed: the phrase between
            // the closing mark and the verb, or right after the verb (`“...,” the
            // letter states`, `“...,” said the ruling`).
            if tokens.upos(verb) == Some(Upos::Verb) {
                let phrase = crate::quotes::phrase_before_cue(&tokens, &quoted, verb)
                    .map(|first| (first, verb))
                    .or_else(|| {
                        crate::quotes::phrase_after_cue(&tokens, &quoted, verb)
                            .map(|(f, l)| (f, l + 1))
                    });
                if let Some((first, end)) = phrase {
                    found.extend(phrase_speaker(&tokens, &owner, first, end));
                }
            }
            continue;
        };
        // A day or a month the parser took for the subject ("protests Saturday to demand
        // ...") is no speaker.
        if !matches!(tokens.upos(subject), Some(Upos::Noun | Upos::Propn))
            || owner[subject].is_some()
            || lexicon.name_words.not_names.words.iter().any(|w| w == tokens.text(subject))
        {
            continue;
        }
        // The noun phrase up to its head: determiners, modifiers, compounds, possessors.
        let mut first = subject;
        for child in tokens.children(subject) {
            if child < first
                && matches!(
                    tokens.deprel(child),
                    DepRel::Det
                        | DepRel::Amod
                        | DepRel::Compound
                        | DepRel::NmodPoss
                        | DepRel::Nummod
                )
            {
                first = child;
            }
        }
        let mut last = subject;
        while last + 1 < doc.tokens.len()
            && tokens.head(last + 1) == Some(subject)
            && matches!(tokens.deprel(last + 1), DepRel::Flat | DepRel::Compound)
        {
            last += 1;
        }
        // Someone a person has ("Ruiz's adviser", "his lawyer") is someone else, with
        // that person outside the mention; an agent of theirs ("Ruiz's spokesman", a
        // noun of `agents.toml`) speaks for them.
        let mut from = first;
        if let Some(p) = (first..subject).rev().find(|&t| owner[t].is_some())
            && owner[p].is_some_and(|e| entities[e].entity_type == EntityType::Person)
            && lexicon.agents.sector(&tokens.lemma(subject)).is_none()
        {
            from = p + 1;
            if from < subject && matches!(tokens.text(from), "'s" | "’s" | "'" | "’") {
                from += 1;
            }
        }
        // So does a possessive pronoun, which pronoun linking, later, gives its person
        // ("his lawyers" is "lawyers"; "his spokesman" speaks for him).
        if let Some(p) = (from..subject)
            .rev()
            .find(|&t| tokens.upos(t) == Some(Upos::Pron) && tokens.deprel(t) == DepRel::NmodPoss)
        {
            if lexicon.agents.sector(&tokens.lemma(subject)).is_some() {
                continue;
            }
            from = p + 1;
        }
        if (from..=last).any(|t| owner[t].is_some()) {
            continue;
        }
        found.push((first, from, last, subject, false));
    }
    found.extend(signatures(doc, &owner));
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (first, from, last, head, signed) in found {
        let span = tokens.span(from, last);
        let name = doc.text[tokens.span(first, last).range()].to_string();
        let (entity_type, sector, kind) = if signed || tokens.upos(head) == Some(Upos::Propn) {
            (EntityType::Person, None, MentionKind::Name)
        } else {
            let sector = lexicon.agents.sector(&tokens.lemma(head)).map(str::to_string);
            (EntityType::Agent, sector, MentionKind::Nominal)
        };
        let mention = Mention { span, kind };
        let key = name.to_lowercase();
        match by_name.get(&key) {
            Some(&idx) => entities[idx].mentions.push(mention),
            None => {
                by_name.insert(key, entities.len());
                entities.push(Entity {
                    name,
                    entity_type,
                    code: None,
                    country: None,
                    sector,
                    roles: Vec::new(),
                    mentions: vec![mention],
                });
            }
        }
    }
}

/// The speaker a noun phrase (tokens `first..end`) next to a cue names when no actor
/// covers it: its words up to a preposition, when they end with a common noun (`the
/// letter`, `one source` of `one source on the panel`), as in `add_speakers`.
fn phrase_speaker(
    tokens: &Tokens<'_>,
    owner: &[Option<usize>],
    first: usize,
    end: usize,
) -> Option<(usize, usize, usize, usize, bool)> {
    let head_end = (first..end).find(|&t| tokens.upos(t) == Some(Upos::Adp)).unwrap_or(end);
    let head = head_end.checked_sub(1).filter(|&h| h >= first)?;
    // (An adjective of an actor's, `one Veldan source`, is no actor speaking.)
    let free = (first..=head)
        .all(|t| owner[t].is_none() || (t < head && tokens.upos(t) == Some(Upos::Adj)));
    (tokens.upos(head) == Some(Upos::Noun) && free).then_some((first, first, head, head, false))
}

/// The names no entity covers that sign a quote at the end of its line: a closing mark,
/// maybe punctuation, a dash, then one to four capitalized words (`“...” ― Ana Ruiz`).
/// Each as (first, first, last, last, true) token.
fn signatures(doc: &Document, owner: &[Option<usize>]) -> Vec<(usize, usize, usize, usize, bool)> {
    let tokens = Tokens { doc };
    let n = doc.tokens.len();
    let dash = |t: usize| matches!(tokens.text(t), "―" | "—" | "–" | "--");
    let mut found = Vec::new();
    for m in crate::quotes::find_marked(&doc.text).iter().filter(|m| m.closed) {
        let mut t = doc.tokens.partition_point(|k| (k.span.start as usize) < m.end);
        let stop = t + 3;
        while t < n && t < stop && tokens.upos(t) == Some(Upos::Punct) && !dash(t) {
            t += 1;
        }
        if t >= n || !dash(t) || doc.text[m.end..doc.tokens[t].span.start as usize].contains('\n') {
            continue;
        }
        let first = t + 1;
        let mut last = first;
        while last < n
            && last < first + 4
            && tokens.capitalized(last)
            && tokens.text(last).chars().any(char::is_alphabetic)
            && owner[last].is_none()
        {
            last += 1;
        }
        if last == first {
            continue;
        }
        let last = last - 1;
        // The name ends its line.
        let end = doc.tokens[last].span.end as usize;
        let rest = doc.text[end..].split('\n').next().unwrap_or("");
        if rest.trim().trim_end_matches('.').is_empty() {
            found.push((first, first, last, last, true));
        }
    }
    found
}

/// The gender the words right before a person's name tell: an honorific ("Mrs. Ruiz")
/// or a noun ("widow Ana Ruiz", "spokesman Ivo Brel"), from `name_words.toml`.
fn gender_cue(tokens: &Tokens<'_>, lexicon: &Lexicon, entity: &Entity) -> Option<Gender> {
    let words = &lexicon.name_words;
    entity.mentions.iter().filter(|m| m.kind == MentionKind::Name).find_map(|m| {
        let first = tokens.starting_at(m.span.start as usize)?;
        let before = first.checked_sub(1)?;
        if tokens.sentence_of(before) != tokens.sentence_of(first) {
            return None;
        }
        let bare = tokens.text(before).trim_end_matches('.');
        let lemma = tokens.lemma(before);
        if words.honorifics.male.iter().any(|w| w == bare) || words.gender.male.contains(&lemma) {
            Some(Gender::Male)
        } else if words.honorifics.female.iter().any(|w| w == bare)
            || words.gender.female.contains(&lemma)
        {
            Some(Gender::Female)
        } else {
            None
        }
    })
}

/// What a third-person pronoun can stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Referent {
    /// A person of this gender.
    Person(Gender),
    /// A state, organization or group named in the singular ("it", "its").
    Thing,
    /// A group ("they", "their").
    Group,
}

fn pronoun_referent(word: &str) -> Option<Referent> {
    match word {
        "he" | "him" | "his" | "himself" => Some(Referent::Person(Gender::Male)),
        "she" | "her" | "hers" | "herself" => Some(Referent::Person(Gender::Female)),
        "it" | "its" | "itself" => Some(Referent::Thing),
        "they" | "them" | "their" | "theirs" | "themselves" => Some(Referent::Group),
        _ => None,
    }
}

fn link_pronouns(doc: &Document, lexicon: &Lexicon, entities: &mut [Entity]) {
    let tokens = Tokens { doc };
    let owner = owners(doc, entities);
    let quoted = quoted_tokens(doc);
    let mut genders: Vec<Option<Gender>> = entities
        .iter()
        .map(|e| {
            if e.entity_type != EntityType::Person {
                return None;
            }
            if lexicon.people.lookup(&e.name).is_some() {
                return gender_of(lexicon, e);
            }
            gender_cue(&tokens, lexicon, e).or_else(|| gender_of(lexicon, e))
        })
        .collect();
    let plural: Vec<bool> = entities
        .iter()
        .map(|e| {
            e.mentions.iter().any(|m| {
                tokens.ending_at(m.span.end as usize).is_some_and(|t| {
                    doc.syntax.get(t).is_some_and(|s| s.feats.contains("Number=Plur"))
                })
            })
        })
        .collect();
    // Mentions by first token: (token, entity, is subject, is a pronoun linked here),
    // outside quotations: someone named inside a quotation is not who "he" outside it
    // means.
    let mut mentions: Vec<(usize, usize, bool, bool)> = Vec::new();
    for (t, slot) in owner.iter().enumerate() {
        let Some(idx) = *slot else { continue };
        if (t > 0 && owner[t - 1] == Some(idx)) || quoted[t] {
            continue;
        }
        let mut last = t;
        while last + 1 < owner.len() && owner[last + 1] == Some(idx) {
            last += 1;
        }
        let subject =
            (t..=last).any(|i| matches!(tokens.deprel(i), DepRel::Nsubj | DepRel::NsubjPass));
        mentions.push((t, idx, subject, false));
    }
    let mut added: Vec<(usize, Span)> = Vec::new();
    for t in 0..doc.tokens.len() {
        if tokens.upos(t) != Some(Upos::Pron) || quoted[t] || owner[t].is_some() {
            continue;
        }
        if tokens.deprel(t) == DepRel::Expl {
            continue;
        }
        let Some(referent) = pronoun_referent(&tokens.text(t).to_lowercase()) else { continue };
        let Some(sentence) = tokens.sentence_of(t) else { continue };
        let sentence_index = doc.sentences.partition_point(|s| s.end_token <= sentence.first_token);
        let genders_now = genders.clone();
        let fits = |idx: usize| {
            let entity = &entities[idx];
            match referent {
                Referent::Person(gender) => {
                    entity.entity_type == EntityType::Person
                        && genders_now[idx].is_none_or(|g| g == gender)
                }
                Referent::Thing => {
                    !matches!(entity.entity_type, EntityType::Person | EntityType::Location)
                        && !plural[idx]
                }
                Referent::Group => {
                    matches!(entity.entity_type, EntityType::Agent | EntityType::ArmedGroup)
                        && plural[idx]
                }
            }
        };
        let in_range =
            |lo: usize, hi: usize| mentions.iter().filter(move |p| p.0 >= lo && p.0 < hi);
        // Same sentence, before the pronoun: a subject, else the nearest (named or
        // described: a pronoun linked earlier counts from the next sentence on).
        let lo = sentence.first_token as usize;
        let mut choice = in_range(lo, t).rev().find(|p| !p.3 && p.2 && fits(p.1)).map(|p| p.1);
        if choice.is_none() {
            choice = in_range(lo, t).rev().find(|p| !p.3 && fits(p.1)).map(|p| p.1);
        }
        // People are followed further back than things. A sentence wholly inside a
        // quotation is someone's words, not the narrative: it does not count.
        let reach = if matches!(referent, Referent::Person(_)) { 3 } else { 1 };
        let mut back = 0;
        let mut index = sentence_index;
        while choice.is_none() && back < reach && index > 0 {
            index -= 1;
            let s = &doc.sentences[index];
            let (lo, hi) = (s.first_token as usize, s.end_token as usize);
            if (lo..hi).all(|k| quoted[k] || tokens.upos(k) == Some(Upos::Punct)) {
                continue;
            }
            back += 1;
            choice = in_range(lo, hi)
                .rev()
                .find(|p| p.2 && fits(p.1))
                .or_else(|| in_range(lo, hi).rev().find(|p| fits(p.1)))
                .map(|p| p.1);
        }
        if let Some(idx) = choice {
            if let Referent::Person(gender) = referent
                && matches!(tokens.deprel(t), DepRel::Nsubj | DepRel::NsubjPass)
            {
                // A subject pronoun tells the gender of a name the lexicon did not know;
                // an object or possessive one ("police shouted at him") is too often
                // someone else in the sentence to decide it.
                genders[idx].get_or_insert(gender);
            }
            added.push((idx, doc.tokens[t].span));
            // A linked pronoun stands for its entity from here on ("She ... she said").
            let subject = matches!(tokens.deprel(t), DepRel::Nsubj | DepRel::NsubjPass);
            let at = mentions.partition_point(|p| p.0 < t);
            mentions.insert(at, (t, idx, subject, true));
        }
    }
    for (idx, span) in added {
        entities[idx].mentions.push(Mention { span, kind: MentionKind::Pronoun });
    }
}

#[cfg(test)]
mod tests {
    use newsgraph_model::{Article, QuoteKind};

    use crate::extract;

    use super::*;

    fn run(text: &str, published: &str) -> Document {
        let mut article = Article::from_text(text);
        article.published = Some(published.to_string());
        extract(article, Lexicon::builtin())
    }

    fn texts<'d>(doc: &'d Document, name: &str) -> Vec<(&'d str, &'static str)> {
        let entity = doc
            .entities
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("{name} missing"));
        entity.mentions.iter().map(|m| (&doc.text[m.span.range()], m.kind.as_str())).collect()
    }

    #[test]
    fn pronouns_follow_the_subject_of_the_same_gender() {
        let doc =
            run("Ilsa Varo met Tomas Brel in Alderhaven. She said he was late.", "2024-12-01");
        assert!(texts(&doc, "Ilsa Varo").contains(&("She", "pronoun")));
        assert!(texts(&doc, "Tomas Brel").contains(&("he", "pronoun")));
    }

    #[test]
    fn a_gendered_noun_or_honorific_before_a_name_tells_its_gender() {
        // Terry is mostly a man's name, Shannon a woman's: the words before them say
        // otherwise.
        let doc = run(
            "“We want answers,” said war widow Terry Marlowe.\n\nShe continued: “Nobody has called us.”\n\nMr. Shannon Dell, the mayor, agreed. He said the port would stay open.",
            "2024-12-01",
        );
        assert!(texts(&doc, "Terry Marlowe").contains(&("She", "pronoun")), "{:?}", doc.entities);
        assert!(texts(&doc, "Shannon Dell").contains(&("He", "pronoun")), "{:?}", doc.entities);
    }

    #[test]
    fn only_a_subject_pronoun_tells_the_gender_of_an_unknown_name() {
        // "him" is the man in the car, whom the article does not name; it must not make
        // Ilvane Dorsk a man.
        let doc = run(
            "Ilvane Dorsk filmed the officers as they shouted at him. “Do not shoot,” she says.",
            "2024-12-01",
        );
        assert!(texts(&doc, "Ilvane Dorsk").contains(&("she", "pronoun")), "{:?}", doc.entities);
    }

    #[test]
    fn a_day_taken_for_a_subject_is_no_speaker() {
        let doc = run(
            "Thousands of students staged demonstrations Saturday to demand reforms.",
            "2024-12-01",
        );
        assert!(doc.entities.iter().all(|e| e.name != "Saturday"), "{:?}", doc.entities);
    }

    #[test]
    fn a_pronoun_can_stand_for_a_speaker_that_became_an_actor() {
        let doc = run(
            "“The mill will reopen in the spring,” the letter reads. “Its workers will be paid,” it adds.",
            "2024-12-01",
        );
        assert_eq!(texts(&doc, "the letter"), [("the letter", "nominal"), ("it", "pronoun")]);
    }

    #[test]
    fn a_surname_several_people_share_is_the_one_named_first() {
        let doc = run(
            "Mayor Ana Ruiz opened the bridge on Monday. Her husband, Tomas Ruiz, and her brother, Emil Ruiz, stood beside her. Ruiz said the toll would stay.",
            "2024-12-01",
        );
        assert_eq!(texts(&doc, "Ana Ruiz").last(), Some(&("Ruiz", "name")), "{:?}", doc.entities);
        assert_eq!(texts(&doc, "Emil Ruiz"), [("Emil Ruiz", "name")]);
    }

    #[test]
    fn pronouns_inside_quotes_are_left_alone() {
        let doc = run("Ilsa Varo spoke. “He knows it,” she said.", "2024-12-01");
        let mentions = texts(&doc, "Ilsa Varo");
        assert!(mentions.contains(&("she", "pronoun")));
        assert!(!mentions.iter().any(|m| m.0 == "He"));
    }

    #[test]
    fn a_linked_pronoun_carries_its_entity_to_the_next_sentences() {
        let doc = run(
            "Ilsa Varo left the hospital in May. She was tired. She was angry. She was sure of one thing. “Nothing will stop me now,” she said.",
            "2024-12-01",
        );
        let mentions = texts(&doc, "Ilsa Varo");
        assert_eq!(mentions.iter().filter(|m| m.1 == "pronoun").count(), 4, "{mentions:?}");
    }

    #[test]
    fn sentences_inside_a_quotation_do_not_count_toward_a_pronouns_reach() {
        let doc = run(
            "“We came to listen,” Ilsa Varo said. “Nothing is decided. The port stays open. The farmers can wait.”\n“We will talk again in May,” she added.",
            "2024-12-01",
        );
        assert!(texts(&doc, "Ilsa Varo").contains(&("she", "pronoun")));
    }

    #[test]
    fn a_last_name_alone_is_its_person_even_where_the_parse_missed_it() {
        let doc = run(
            "Rusk Lindqvist spoke on his radio show on Monday.\n\nLindqvist continued: “They are putting all kinds of pressure on the council.”",
            "2024-12-01",
        );
        let mentions = texts(&doc, "Rusk Lindqvist");
        assert!(mentions.contains(&("Lindqvist", "name")), "{mentions:?}");
        assert_eq!(doc.quotes.iter().filter(|q| q.speaker.is_some()).count(), 1);
        // A person named by one word is found by it too.
        let doc = run(
            "Lindqvist spoke on the radio on Monday. The two men traded insults for months.\n\nLindqvist called Brel a “pathological liar” on Tuesday.",
            "2024-12-01",
        );
        let quote = doc.quotes.iter().find(|q| q.kind == QuoteKind::Partial).unwrap();
        assert_eq!(
            quote.speaker.map(|s| doc.entities[s as usize].name.as_str()),
            Some("Lindqvist")
        );
    }
}

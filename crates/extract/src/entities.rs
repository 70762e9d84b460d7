//! The `entities` stage: actors (people, organizations, countries, places, agents) and
//! their name mentions, with codes, countries, sectors and roles at the article's date.
//!
//! Reads: segments, syntax, and the article's `published` date. Writes: the entities
//! layer, each entity with its name, demonym and metonym mentions sorted by start, the
//! entities in order of first mention.
//!
//! Three sources of mentions, in this order, each taking only tokens the earlier ones
//! left free:
//! 1. the lexicon's gazetteer (countries, organizations, people, regions, places), whole
//!    words, longest first; a place or capital that is part of a longer proper name
//!    ("Washington Heights") is left to step 2;
//! 2. proper-noun sequences the lexicon does not know, typed by their words
//!    (`name_words.toml`: "Ministry", "Times", "River"), a first name, a title before
//!    them, or a place preposition; a lone surname joins the person named in full
//!    elsewhere in the article ("Kellogg" after "Keith Kellogg");
//! 3. agents: common nouns that act (`agents.toml`: "soldiers", "police"), with the
//!    country of their demonym or possessor ("Israeli soldiers", "Ukraine's military").
//!
//! A person's roles are the offices the lexicon says they held on the publication date
//! (their latest office when there is no date), and their country and sector come from
//! the first of them.

use std::collections::HashMap;

use newsgraph_lexicon::{ActorRef, Gender, Person, SurfaceKind, date_range};
use newsgraph_model::{
    Date, DepRel, Document, Entity, EntityType, Layer, Mention, MentionKind, Role, Span, Upos,
};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage {
    name: "entities",
    reads: &[Layer::Segments, Layer::Syntax],
    writes: Layer::Entities,
    run,
};

/// What makes two mentions the same actor within an article.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Lexicon(String),
    Name(String),
    Agent(Option<String>, String),
}

/// The publication day as `yyyymmdd`, the form the lexicon's office dates compare in.
pub(crate) fn day_number(doc: &Document) -> Option<u32> {
    let date = doc.article.published_date()?;
    Some(date.year as u32 * 10_000 + u32::from(date.month) * 100 + u32::from(date.day))
}

fn to_date(text: Option<&str>, last: bool) -> Option<Date> {
    let (first, end) = date_range(text?)?;
    let day = if last { end } else { first };
    let (year, month) = ((day / 10_000) as i32, ((day / 100) % 100) as u8);
    // A month given without its day ends on its last day.
    (1..=(day % 100) as u8).rev().find_map(|d| Date::new(year, month, d))
}

/// The entity a lexicon person makes in an article of the given day.
pub(crate) fn person_entity(lexicon: &Lexicon, person: &Person, day: Option<u32>) -> Entity {
    let mut offices = person.offices_on(day);
    if offices.is_empty() {
        // Out of office on the day: their last office before it, as context.
        offices = person
            .roles
            .iter()
            .rev()
            .filter(|r| day.is_none_or(|d| r.ended_before(d)))
            .take(1)
            .collect();
    }
    let current = day.is_none_or(|d| offices.first().is_some_and(|o| o.held_on(d)));
    let (mut country, mut sector) = (person.country.clone(), None);
    if let Some(office) = offices.first().filter(|_| current) {
        sector = office.sector.clone();
        if lexicon.countries.by_code(&office.of).is_some() {
            country = Some(office.of.clone());
        } else if let Some(org) = lexicon.organizations.by_code(&office.of) {
            country = org.country.clone().or(country);
        }
    }
    Entity {
        name: person.name.clone(),
        entity_type: EntityType::Person,
        code: None,
        country,
        sector,
        roles: offices
            .iter()
            .map(|o| Role {
                title: o.title.clone(),
                of: Some(o.of.clone()),
                from: to_date(o.from.as_deref(), false),
                to: to_date(o.to.as_deref(), true),
            })
            .collect(),
        mentions: Vec::new(),
    }
}

fn blank(name: &str, entity_type: EntityType) -> Entity {
    Entity {
        name: name.to_string(),
        entity_type,
        code: None,
        country: None,
        sector: None,
        roles: Vec::new(),
        mentions: Vec::new(),
    }
}

/// The entity an organization code makes.
pub(crate) fn organization_entity(lexicon: &Lexicon, code: &str) -> Option<Entity> {
    let org = lexicon.organizations.by_code(code)?;
    let entity_type = match org.org_type.as_str() {
        "IGO" => EntityType::Igo,
        "ARMED_GROUP" => EntityType::ArmedGroup,
        "MEDIA" => EntityType::Media,
        _ => EntityType::Org,
    };
    Some(Entity {
        code: Some(org.code.clone()),
        country: org.country.clone(),
        sector: org.sector.clone(),
        ..blank(&org.name, entity_type)
    })
}

/// The entity and mention kind a gazetteer reference makes, with its identity key.
fn lexicon_entity(
    lexicon: &Lexicon,
    actor: ActorRef,
    surface: &str,
    day: Option<u32>,
) -> Option<(String, Entity, MentionKind)> {
    Some(match actor {
        ActorRef::Person(idx) => {
            let person = lexicon.people.get(idx as usize)?;
            (
                format!("person:{}", person.name),
                person_entity(lexicon, person, day),
                MentionKind::Name,
            )
        }
        ActorRef::Organization(idx) => {
            let code = &lexicon.organizations.get(idx as usize)?.code;
            (format!("org:{code}"), organization_entity(lexicon, code)?, MentionKind::Name)
        }
        ActorRef::Country(idx, kind) => {
            let country = lexicon.countries.get(idx as usize)?;
            let kind = match kind {
                SurfaceKind::Name => MentionKind::Name,
                SurfaceKind::Demonym => MentionKind::Demonym,
                SurfaceKind::Metonym => MentionKind::Metonym,
            };
            let entity = Entity {
                code: Some(country.code.clone()),
                country: Some(country.code.clone()),
                ..blank(&country.name, EntityType::Country)
            };
            (format!("country:{}", country.code), entity, kind)
        }
        ActorRef::Region(idx) => {
            let region = lexicon.places.regions().get(idx as usize)?;
            let country = (region.countries.len() == 1).then(|| region.countries[0].clone());
            let entity = Entity { country, ..blank(&region.name, EntityType::Location) };
            (format!("region:{}", region.name), entity, MentionKind::Name)
        }
        ActorRef::Place => {
            let place = lexicon.places.places(surface).first()?;
            let entity = Entity {
                country: Some(place.country.clone()),
                ..blank(&place.name, EntityType::Location)
            };
            (format!("place:{}:{}", place.name, place.country), entity, MentionKind::Name)
        }
    })
}

/// Collects mentions and merges them into entities by key.
struct Builder {
    entities: Vec<Entity>,
    by_key: HashMap<Key, usize>,
}

impl Builder {
    fn add(&mut self, key: Key, entity: Entity, mention: Mention) -> usize {
        let idx = *self.by_key.entry(key).or_insert_with(|| {
            self.entities.push(entity);
            self.entities.len() - 1
        });
        self.entities[idx].mentions.push(mention);
        idx
    }
}

/// Token-level views of a document the recognizers share.
pub(crate) struct Tokens<'d> {
    pub(crate) doc: &'d Document,
}

impl<'d> Tokens<'d> {
    pub(crate) fn text(&self, idx: usize) -> &'d str {
        &self.doc.text[self.doc.tokens[idx].span.range()]
    }

    pub(crate) fn upos(&self, idx: usize) -> Option<Upos> {
        self.doc.syntax.get(idx).map(|s| s.upos)
    }

    pub(crate) fn lemma(&self, idx: usize) -> String {
        match self.doc.syntax.get(idx) {
            Some(s) if !s.lemma.is_empty() => s.lemma.to_lowercase(),
            _ => self.text(idx).to_lowercase(),
        }
    }

    pub(crate) fn deprel(&self, idx: usize) -> DepRel {
        self.doc.syntax.get(idx).map_or(DepRel::Dep, |s| s.deprel)
    }

    pub(crate) fn head(&self, idx: usize) -> Option<usize> {
        self.doc.syntax.get(idx).and_then(|s| (s.head != u32::MAX).then_some(s.head as usize))
    }

    /// The tokens whose head is `idx`, in order (within its sentence).
    pub(crate) fn children(&self, idx: usize) -> impl Iterator<Item = usize> + '_ {
        let sentence = self.sentence_of(idx);
        let range = sentence.map_or(0..0, |s| s.first_token as usize..s.end_token as usize);
        range.filter(move |&t| self.head(t) == Some(idx))
    }

    pub(crate) fn sentence_of(&self, idx: usize) -> Option<&'d newsgraph_model::Sentence> {
        let pos = self.doc.sentences.partition_point(|s| (s.end_token as usize) <= idx);
        self.doc.sentences.get(pos).filter(|s| (s.first_token as usize) <= idx)
    }

    /// The token starting exactly at byte `start`.
    pub(crate) fn starting_at(&self, start: usize) -> Option<usize> {
        let tokens = &self.doc.tokens;
        let pos = tokens.partition_point(|t| (t.span.start as usize) < start);
        tokens.get(pos).filter(|t| t.span.start as usize == start).map(|_| pos)
    }

    /// The token ending exactly at byte `end`.
    pub(crate) fn ending_at(&self, end: usize) -> Option<usize> {
        let tokens = &self.doc.tokens;
        let pos = tokens.partition_point(|t| (t.span.end as usize) < end);
        tokens.get(pos).filter(|t| t.span.end as usize == end).map(|_| pos)
    }

    pub(crate) fn capitalized(&self, idx: usize) -> bool {
        self.text(idx).chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether the word at `idx` is joined by a hyphen to one of `prefixes` before it
    /// ("pro-Velorian" with "pro").
    pub(crate) fn after_prefix(&self, idx: usize, prefixes: &[String]) -> bool {
        idx >= 2
            && self.text(idx - 1) == "-"
            && !self.doc.tokens[idx - 2].space_after
            && !self.doc.tokens[idx - 1].space_after
            && prefixes.iter().any(|p| p.eq_ignore_ascii_case(self.text(idx - 2)))
    }

    pub(crate) fn span(&self, first: usize, last: usize) -> Span {
        Span::new(self.doc.tokens[first].span.start, self.doc.tokens[last].span.end)
    }

    pub(crate) fn sentence_start(&self, idx: usize) -> bool {
        self.sentence_of(idx).is_some_and(|s| s.first_token as usize == idx)
            || (idx > 0 && matches!(self.text(idx - 1), "“" | "\"" | "(" | "‘" | "'" | "—" | ":"))
    }
}

fn run(doc: &mut Document, lexicon: &Lexicon) {
    let entities = recognize(doc, lexicon);
    doc.entities = entities;
}

fn recognize(doc: &Document, lexicon: &Lexicon) -> Vec<Entity> {
    let day = day_number(doc);
    let tokens = Tokens { doc };
    let n = doc.tokens.len();
    let mut covered: Vec<bool> = vec![false; n];
    let mut builder = Builder { entities: Vec::new(), by_key: HashMap::new() };
    let not_name = |word: &str| lexicon.name_words.not_names.words.iter().any(|w| w == word);
    let propn = |t: usize| tokens.upos(t) == Some(Upos::Propn) && tokens.capitalized(t);

    // 1. The gazetteer.
    for hit in lexicon.gazetteer().find(&doc.text) {
        let (Some(first), Some(last)) = (tokens.starting_at(hit.start), tokens.ending_at(hit.end))
        else {
            continue;
        };
        if covered[first..=last].iter().any(|&c| c) {
            continue;
        }
        let surface = &doc.text[hit.start..hit.end];
        if first == last && tokens.sentence_start(first) && not_name(surface) {
            continue;
        }
        // Part of a longer proper name the lexicon does not know ("Washington Post"):
        // places and capitals give way; people, organizations and countries do not. (A
        // title after the place is no name of it: "Texas Gov. Ana Ruiz".)
        let in_longer_name = (first > 0
            && !tokens.sentence_start(first)
            && propn(first - 1)
            && !covered[first - 1]
            && tokens.doc.tokens[first - 1].span.end < tokens.doc.tokens[first].span.start)
            || (last + 1 < n
                && propn(last + 1)
                && tokens.sentence_of(last + 1) == tokens.sentence_of(last)
                && title_from(lexicon, &tokens, last + 1).is_none());
        let all_lower = !surface.chars().any(char::is_uppercase);
        let choice = hit.refs.iter().copied().find(|actor| match actor {
            // A place named like a month or a sentence word ("March") is not one.
            ActorRef::Place | ActorRef::Region(_) => {
                !in_longer_name && !all_lower && (first..=last).any(propn) && !not_name(surface)
            }
            ActorRef::Country(_, SurfaceKind::Metonym) => !in_longer_name,
            _ => true,
        });
        let Some(actor) = choice else { continue };
        let Some((key, entity, kind)) = lexicon_entity(lexicon, actor, surface, day) else {
            continue;
        };
        covered[first..=last].iter_mut().for_each(|c| *c = true);
        builder.add(Key::Lexicon(key), entity, Mention { span: tokens.span(first, last), kind });
    }

    // 2. Proper-noun sequences the lexicon does not know.
    let mut singles: Vec<(usize, usize)> = Vec::new();
    let org_word = |i: usize| {
        let word = tokens.text(i);
        lexicon.name_words.org.last.iter().chain(&lexicon.name_words.org.any).any(|w| w == word)
    };
    // A capitalized organization word the tagger took for a common noun still opens a
    // name when "of" or "for" follows it ("the Forces for ...", "the Union of ...").
    let org_opening = |i: usize| {
        tokens.capitalized(i)
            && !tokens.sentence_start(i)
            && org_word(i)
            && i + 1 < n
            && matches!(tokens.text(i + 1), "of" | "for")
    };
    let mut t = 0;
    while t < n {
        if covered[t] || !(propn(t) || org_opening(t)) {
            t += 1;
            continue;
        }
        let mut first = t;
        let mut last = t;
        while last + 1 < n
            && !covered[last + 1]
            && tokens.sentence_of(last + 1) == tokens.sentence_of(first)
            && (propn(last + 1)
                || (tokens.text(last + 1) == "-"
                    && last + 2 < n
                    && !doc.tokens[last].space_after
                    && !doc.tokens[last + 1].space_after
                    && tokens.upos(last + 2) == Some(Upos::Propn)))
        {
            last += 1;
        }
        // An organization's name goes on over "of" and "for" to more capitalized words
        // ("Union of Teachers", "Forces for the Defence of Democracy").
        // The words after it are capitalized nouns or adjectives the tagger may not have
        // taken for proper nouns ("Defence", "Total").
        let name_word = |i: usize| {
            !covered[i]
                && tokens.capitalized(i)
                && matches!(tokens.upos(i), Some(Upos::Propn | Upos::Noun | Upos::Adj))
                && tokens.sentence_of(i) == tokens.sentence_of(first)
        };
        let mut extended = false;
        while last + 2 < n && matches!(tokens.text(last + 1), "of" | "for") {
            let mut next = last + 2;
            if tokens.text(next) == "the" {
                next += 1;
            }
            if next >= n || !name_word(next) || !(first..=last).any(org_word) {
                break;
            }
            last = next;
            while last + 1 < n && name_word(last + 1) {
                last += 1;
            }
            extended = true;
        }
        t = last + 1;
        while first <= last
            && (not_name(tokens.text(first))
                || tokens.text(first) == "-"
                || (first < last && is_honorific(lexicon, tokens.text(first))))
        {
            first += 1;
        }
        // A title at the front ("President Ilsa Varo") is not part of the name, nor is
        // the place the tagger joined to it before the title ("Dorvan Gov. Ilsa Varo":
        // the title's state, left to the gazetteer).
        let mut titled = false;
        let mut title = None;
        let mut title_start = first;
        let leading = (first..last).find_map(|s| {
            let k = (s..last).rev().find(|&k| {
                let form = doc.text[tokens.span(s, k).range()].to_lowercase();
                lexicon.titles.lookup(&form).is_some()
            })?;
            // (Only a proper noun before the title: a place, not a name's own words.)
            let place = (first..s).all(|b| propn(b) && !is_honorific(lexicon, tokens.text(b)));
            (s == first || (place && s - first <= 3)).then_some((s, k))
        });
        if let Some((s, k)) = leading {
            let form = doc.text[tokens.span(s, k).range()].to_lowercase();
            title = lexicon.titles.lookup(&form);
            title_start = s;
            first = k + 1;
            titled = true;
        } else if let Some((found, start, k)) = title_over_of(lexicon, &tokens, first, last) {
            // A title that began before "of" ("Secretary of State Ana Ruiz", where the
            // name's capitals start at "State").
            title = Some(found);
            title_start = start;
            first = k + 1;
            titled = true;
        }
        if title.is_none()
            && let Some((found, start)) = title_before(lexicon, &tokens, first)
        {
            title = Some(found);
            title_start = start;
        }
        // The country a title is of: "Iraqi President ...", "Ukraine's foreign minister ...".
        let title_country = title.and_then(|_| {
            // Back over the title's other words ("Prime" before "Minister") and a
            // possessive, to the country.
            (title_start.saturating_sub(4)..title_start)
                .rev()
                .take_while(|&b| {
                    tokens.upos(b) != Some(Upos::Punct) || matches!(tokens.text(b), "'s" | "’s")
                })
                .find_map(|b| country_code_at(&builder.entities, &tokens, b))
        });
        if first > last || last - first >= if extended { 12 } else { 6 } {
            continue;
        }
        // A title alone ("the Defence Secretary", or one before a person the gazetteer
        // already found) names no one by itself: coreference reads it.
        if !titled
            && lexicon
                .titles
                .lookup(&doc.text[tokens.span(first, last).range()].to_lowercase())
                .is_some()
        {
            continue;
        }
        // A name after a personal honorific is a person's ("Mr. Clarke", "Dr. Osei"),
        // whatever the words around it suggest ("from within, Mr. Clarke said").
        // (A lone surname waits for the people of the article: "Mrs Varo" is Ilsa Varo.)
        if first > 0
            && first < last
            && is_honorific(lexicon, tokens.text(first - 1))
            && !matches!(tokens.text(first - 1).trim_end_matches('.'), "Miss" | "M")
        {
            titled = true;
        }
        let words: Vec<&str> = (first..=last).map(|i| tokens.text(i)).collect();
        if words.iter().all(|w| w.chars().all(|c| !c.is_lowercase())) && words.len() > 1 {
            // Headline capitals ("LEADERS MEET IN ALDA") say nothing about names.
            continue;
        }
        let entity_type = if titled {
            Some(EntityType::Person)
        } else if extended {
            Some(EntityType::Org)
        } else {
            classify(lexicon, &tokens, first, &words)
        };
        match entity_type {
            Some(entity_type) => {
                let name = doc.text[tokens.span(first, last).range()].to_string();
                let mut entity = blank(&name, entity_type.clone());
                // "the Nigerian Union of Teachers", "the Kenya Anti-Corruption Commission".
                // (Not "the pro-Velorian Liberation Front": a side it takes.)
                if entity_type == EntityType::Org
                    && first > 0
                    && !tokens
                        .after_prefix(first - 1, &lexicon.modality.constructions.stance_prefixes)
                {
                    entity.country = country_code_at(&builder.entities, &tokens, first - 1);
                }
                // "the Alda Bus Company of Lima", "the Varo Dam (VD) in northern Chile": a
                // known place right after the name places it.
                if matches!(entity_type, EntityType::Org | EntityType::Location)
                    && entity.country.is_none()
                {
                    entity.country = placed_after(&builder.entities, &tokens, last);
                }
                if entity_type == EntityType::Person
                    && let Some(title) = title
                {
                    // The article tells the office of a person the lexicon does not know
                    // ("Defence Minister Ruben Kald"): coreference links "the minister".
                    entity.sector = Some(title.sector.clone());
                    entity.country = title_country.clone();
                    entity.roles.push(Role {
                        title: title.title.clone(),
                        of: title_country.clone(),
                        from: None,
                        to: None,
                    });
                }
                covered[first..=last].iter_mut().for_each(|c| *c = true);
                builder.add(
                    Key::Name(format!("{}:{name}", entity_type.as_str())),
                    entity,
                    Mention { span: tokens.span(first, last), kind: MentionKind::Name },
                );
            }
            None if first == last => singles.push((first, last)),
            None => {}
        }
    }
    // A lone name that is the last word of a person named in full joins that person; of
    // several who share it, the one named first (as coreference reads it).
    let mut surnames: HashMap<String, usize> = HashMap::new();
    let first_named =
        |idx: usize| builder.entities[idx].mentions.iter().map(|m| m.span.start).min();
    for (idx, e) in builder.entities.iter().enumerate() {
        let Some(surname) = e.name.rsplit(' ').next() else { continue };
        if e.entity_type != EntityType::Person || surname.is_empty() || !e.name.contains(' ') {
            continue;
        }
        let slot = surnames.entry(surname.to_string()).or_insert(idx);
        if first_named(idx) < first_named(*slot) {
            *slot = idx;
        }
    }
    for (first, last) in singles {
        if let Some(&idx) = surnames.get(tokens.text(first)) {
            covered[first..=last].iter_mut().for_each(|c| *c = true);
            builder.entities[idx]
                .mentions
                .push(Mention { span: tokens.span(first, last), kind: MentionKind::Name });
            continue;
        }
        // A lone name after an honorific ("Mr. Clarke") or speaking ("Vitter said") is a
        // person.
        // (A title alone, "Secretary said", is coreference's to read.)
        if lexicon.titles.lookup(&tokens.text(first).to_lowercase()).is_some() {
            continue;
        }
        let honorific = first > 0 && is_honorific(lexicon, tokens.text(first - 1));
        let speaks = matches!(tokens.deprel(first), DepRel::Nsubj)
            && tokens.head(first).is_some_and(|h| lexicon.speech.verb(&tokens.lemma(h)).is_some());
        if honorific || speaks {
            let name = tokens.text(first).to_string();
            covered[first..=last].iter_mut().for_each(|c| *c = true);
            builder.add(
                Key::Name(format!("PERSON:{name}")),
                blank(&name, EntityType::Person),
                Mention { span: tokens.span(first, last), kind: MentionKind::Name },
            );
        }
    }

    // 3. Agents.
    let country_at: HashMap<usize, String> = builder
        .entities
        .iter()
        .filter_map(|e| {
            let code = match e.entity_type {
                EntityType::Country => e.code.clone(),
                EntityType::Igo => Some("IGO".to_string()),
                _ => e.country.clone(),
            }?;
            Some(e.mentions.iter().map(move |m| (m.span.start as usize, code.clone())))
        })
        .flatten()
        .filter_map(|(start, code)| tokens.starting_at(start).map(|t| (t, code)))
        .collect();
    // Where the names of organizations, armed groups and people begin.
    let name_starts: std::collections::HashSet<usize> = builder
        .entities
        .iter()
        .filter(|e| {
            matches!(
                e.entity_type,
                EntityType::Org
                    | EntityType::ArmedGroup
                    | EntityType::Igo
                    | EntityType::Media
                    | EntityType::Person
            )
        })
        .flat_map(|e| e.mentions.iter())
        .filter_map(|m| tokens.starting_at(m.span.start as usize))
        .filter(|&t| tokens.capitalized(t))
        .collect();
    for head in 0..n {
        if covered[head] || tokens.upos(head) != Some(Upos::Noun) {
            continue;
        }
        // "the rebel Kurdistan Workers' Party", "the militia Velorian Front": a noun
        // modifying a name is a description of the name's bearer, no actor of its own.
        if name_starts.contains(&(head + 1))
            && tokens.sentence_of(head + 1) == tokens.sentence_of(head)
            && !doc.syntax.get(head).is_some_and(|s| s.feats.contains("Number=Plur"))
        {
            continue;
        }
        let lemma = agent_lemma(lexicon, &tokens.lemma(head));
        // "opposition groups": the longer agent the next noun makes wins.
        if head + 1 < n
            && tokens.upos(head + 1) == Some(Upos::Noun)
            && lexicon
                .agents
                .sector(&agent_lemma(lexicon, &format!("{lemma} {}", tokens.lemma(head + 1))))
                .is_some()
        {
            continue;
        }
        let two = (head > 0)
            .then(|| agent_lemma(lexicon, &format!("{} {lemma}", tokens.lemma(head - 1))));
        let (sector, first_word) = match two.as_deref().and_then(|l| lexicon.agents.sector(l)) {
            Some(sector) if !covered[head - 1] => (sector, head - 1),
            _ => match lexicon.agents.sector(&lemma) {
                Some(sector) => (sector, head),
                None => continue,
            },
        };
        // A title ("foreign minister") is a person's description: coreference takes it.
        let title_form =
            if first_word < head { two.clone().unwrap_or_default() } else { lemma.clone() };
        if lexicon.titles.lookup(&title_form).is_some() || lexicon.titles.lookup(&lemma).is_some() {
            continue;
        }
        // A bare singular noun is a concept, not a group ("use force"): an agent is plural
        // or determined ("the military", "Israeli police", "the army's").
        let plural = doc.syntax.get(head).is_some_and(|s| s.feats.contains("Number=Plur"));
        // "a soldier", "a former diplomat" describe; "the army", "Israeli police" act.
        let determined = tokens.children(head).any(|c| match tokens.deprel(c) {
            DepRel::Det => !matches!(tokens.lemma(c).as_str(), "a" | "an"),
            DepRel::NmodPoss | DepRel::Amod | DepRel::Compound => true,
            _ => false,
        });
        if !plural && !determined {
            continue;
        }
        // ("an anti-Velorian journalist" is not Velorian.)
        let stances = &lexicon.modality.constructions.stance_prefixes;
        let modifiers: Vec<usize> = tokens
            .children(head)
            .filter(|&c| {
                c < head
                    && matches!(
                        tokens.deprel(c),
                        DepRel::Amod | DepRel::Compound | DepRel::NmodPoss | DepRel::Nmod
                    )
                    && !tokens.after_prefix(c, stances)
            })
            .collect();
        // "opposition groups in Zimbabwe", "officials of Chile".
        let located = || {
            tokens
                .children(head)
                .filter(|&c| c > head && tokens.deprel(c).base() == DepRel::Nmod)
                .filter(|&c| {
                    tokens
                        .children(c)
                        .any(|k| matches!(tokens.lemma(k).as_str(), "in" | "of" | "from"))
                })
                .find_map(|c| country_at.get(&c).cloned())
        };
        // The same read off the words when the parser hung the phrase elsewhere
        // ("opposition groups in Zimbabwe are demanding", "in" on the verb).
        let followed_by = || {
            let n = doc.tokens.len();
            let prep = head + 1;
            if prep + 1 >= n || !matches!(tokens.lemma(prep).as_str(), "in" | "of" | "from") {
                return None;
            }
            let place = if tokens.lemma(prep + 1) == "the" { prep + 2 } else { prep + 1 };
            (place < n).then(|| country_at.get(&place).cloned()).flatten()
        };
        // "Shona rebels": a people's countries, the first the article names.
        let people = || {
            let countries =
                modifiers.iter().find_map(|&m| lexicon.agents.group_countries(tokens.text(m)))?;
            countries
                .iter()
                .find(|c| country_at.values().any(|v| v == *c))
                .or(countries.first())
                .cloned()
        };
        let country = modifiers
            .iter()
            .find_map(|m| country_at.get(m).cloned())
            .or_else(located)
            .or_else(followed_by)
            .or_else(people);
        let start = modifiers
            .iter()
            .copied()
            .filter(|&m| country_at.contains_key(&m))
            .min()
            .unwrap_or(first_word);
        let name = doc.text[tokens.span(start, head).range()].to_string();
        let entity = Entity {
            country: country.clone(),
            sector: Some(sector.to_string()),
            ..blank(&name, EntityType::Agent)
        };
        let key = Key::Agent(country, format!("{sector}:{lemma}"));
        covered[first_word..=head].iter_mut().for_each(|c| *c = true);
        builder.add(
            key,
            entity,
            Mention { span: tokens.span(start, head), kind: MentionKind::Nominal },
        );
    }

    let mut entities = merge_surname_places(builder.entities);
    cities_sharing_a_capital_s_name(doc, lexicon, &mut entities);
    for entity in &mut entities {
        entity.mentions.sort_by_key(|m| (m.span.start, m.span.end));
        entity.mentions.dedup();
    }
    entities.sort_by_key(|e| e.mentions.first().map_or(u32::MAX, |m| m.span.start));
    offices_in_the_country_of_the_sentence(doc, &mut entities);
    entities
}

/// A person the lexicon does not know, with an office of no named state ("President Ilsa
/// Varo"), holds it in the country the sentence of their first mention names, when it
/// names exactly one ("President Ilsa Varo threatened a curfew in Lima").
fn offices_in_the_country_of_the_sentence(doc: &Document, entities: &mut [Entity]) {
    let sentence_of =
        |pos: u32| doc.sentences.iter().position(|s| s.span.start <= pos && pos < s.span.end);
    let mut named: HashMap<usize, Vec<String>> = HashMap::new();
    for entity in entities.iter().filter(|e| e.entity_type == EntityType::Country) {
        let Some(code) = &entity.code else { continue };
        for mention in &entity.mentions {
            if let Some(s) = sentence_of(mention.span.start) {
                let codes = named.entry(s).or_default();
                if !codes.contains(code) {
                    codes.push(code.clone());
                }
            }
        }
    }
    for entity in entities.iter_mut() {
        if entity.entity_type != EntityType::Person
            || entity.country.is_some()
            || entity.roles.is_empty()
            || entity.roles.iter().any(|r| r.of.is_some())
        {
            continue;
        }
        let Some(s) = entity.mentions.first().and_then(|m| sentence_of(m.span.start)) else {
            continue;
        };
        if let Some([code]) = named.get(&s).map(Vec::as_slice) {
            entity.country = Some(code.clone());
            for role in &mut entity.roles {
                role.of = Some(code.clone());
            }
        }
    }
}

/// The lemma under which `agents.toml` lists a noun: the tagger's lemma, or the singular
/// a plural suffix hides ("troops" -> "troop", "authorities" -> "authority").
fn agent_lemma(lexicon: &Lexicon, lemma: &str) -> String {
    if lexicon.agents.sector(lemma).is_some() || lexicon.titles.lookup(lemma).is_some() {
        return lemma.to_string();
    }
    let candidates = [
        lemma.strip_suffix("ies").map(|s| format!("{s}y")),
        lemma.strip_suffix("es").map(str::to_string),
        lemma.strip_suffix('s').map(str::to_string),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|c| lexicon.agents.sector(c).is_some() || lexicon.titles.lookup(c).is_some())
        .unwrap_or_else(|| lemma.to_string())
}

/// The country whose mention (name or demonym) covers token `t`.
fn country_code_at(entities: &[Entity], tokens: &Tokens<'_>, t: usize) -> Option<String> {
    let span = tokens.doc.tokens.get(t)?.span;
    entities.iter().filter(|e| e.entity_type == EntityType::Country).find_map(|e| {
        e.mentions
            .iter()
            .any(|m| m.span.start <= span.start && span.end <= m.span.end)
            .then(|| e.code.clone())
            .flatten()
    })
}

/// The country of a known place written right after the name that ends at token `last`:
/// "of Lima", "in northern Chile", past an acronym in brackets ("(VD) in Chile").
fn placed_after(entities: &[Entity], tokens: &Tokens<'_>, last: usize) -> Option<String> {
    let n = tokens.doc.tokens.len();
    let sentence = tokens.sentence_of(last);
    let mut k = last + 1;
    if k + 2 < n && tokens.text(k) == "(" && tokens.text(k + 2) == ")" {
        k += 3;
    }
    if k + 1 >= n || !matches!(tokens.text(k), "of" | "in") {
        return None;
    }
    k += 1;
    if tokens.upos(k) == Some(Upos::Adj) && !tokens.capitalized(k) {
        k += 1;
    }
    (k < n && tokens.sentence_of(k) == sentence)
        .then(|| place_country_at(entities, tokens, k))
        .flatten()
}

/// The country of the country or located place a mention starting at token `t` names.
fn place_country_at(entities: &[Entity], tokens: &Tokens<'_>, t: usize) -> Option<String> {
    let start = tokens.doc.tokens.get(t)?.span.start;
    entities.iter().find_map(|e| {
        let country = match e.entity_type {
            EntityType::Country => e.code.as_ref(),
            EntityType::Location => e.country.as_ref(),
            _ => None,
        }?;
        e.mentions.iter().any(|m| m.span.start == start).then(|| country.clone())
    })
}

/// Whether a word is an honorific that comes before a surname ("Mr.", "Mrs", "Dr.").
pub(crate) fn is_honorific(lexicon: &Lexicon, word: &str) -> bool {
    let bare = word.trim_end_matches('.');
    lexicon.name_words.honorifics.words.iter().any(|h| h == bare)
}

/// A capital named only as a metonym ("Tripoli") is a city of the same name in another
/// country when the article names that country and not the capital's: "Tripoli ... the
/// north Lebanese port" is Lebanon's city, not Libya. The other city must have at least a
/// tenth of the capital's people, so that a small namesake never takes over.
fn cities_sharing_a_capital_s_name(doc: &Document, lexicon: &Lexicon, entities: &mut [Entity]) {
    let named: std::collections::HashSet<String> = entities
        .iter()
        .filter(|e| e.entity_type == EntityType::Country)
        .filter(|e| e.mentions.iter().any(|m| m.kind != MentionKind::Metonym))
        .filter_map(|e| e.code.clone())
        .collect();
    let mut moved: Vec<(String, String)> = Vec::new();
    for entity in entities.iter_mut() {
        if entity.entity_type != EntityType::Country
            || entity.mentions.iter().any(|m| m.kind != MentionKind::Metonym)
        {
            continue;
        }
        let (Some(code), Some(first)) = (entity.code.clone(), entity.mentions.first()) else {
            continue;
        };
        let surface = &doc.text[first.span.range()];
        if named.contains(&code)
            || entity.mentions.iter().any(|m| &doc.text[m.span.range()] != surface)
        {
            continue;
        }
        let places = lexicon.places.places(surface);
        let Some(capital) = places.iter().find(|p| p.country == code) else { continue };
        let Some(city) = places.iter().find(|p| {
            p.kind == "city"
                && p.country != code
                && named.contains(&p.country)
                && p.population * 10 >= capital.population
        }) else {
            continue;
        };
        moved.push((code.clone(), city.country.clone()));
        *entity = Entity {
            name: city.name.clone(),
            entity_type: EntityType::Location,
            code: None,
            country: Some(city.country.clone()),
            sector: None,
            roles: Vec::new(),
            mentions: std::mem::take(&mut entity.mentions)
                .into_iter()
                .map(|m| Mention { kind: MentionKind::Name, ..m })
                .collect(),
        };
    }
    // The agents placed there ("militias in Tripoli") took the capital's country, which
    // the article names nowhere else.
    for entity in entities.iter_mut().filter(|e| e.entity_type == EntityType::Agent) {
        if let Some((_, to)) = moved.iter().find(|(from, _)| entity.country.as_ref() == Some(from))
        {
            entity.country = Some(to.clone());
        }
    }
}

/// A place named like the surname of a person of the article is that person ("Roth"
/// after "Jana Roth", though Roth is also a town).
fn merge_surname_places(mut entities: Vec<Entity>) -> Vec<Entity> {
    let surnames: HashMap<String, usize> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.entity_type == EntityType::Person && e.name.contains(' '))
        .filter_map(|(idx, e)| e.name.rsplit(' ').next().map(|s| (s.to_string(), idx)))
        .collect();
    let mut moved = vec![false; entities.len()];
    for idx in 0..entities.len() {
        let entity = &entities[idx];
        if entity.entity_type != EntityType::Location || entity.code.is_some() {
            continue;
        }
        if let Some(&person) = surnames.get(&entity.name) {
            let mentions = std::mem::take(&mut entities[idx].mentions);
            entities[person].mentions.extend(mentions);
            moved[idx] = true;
        }
    }
    let mut keep = moved.iter().map(|m| !m);
    entities.retain(|_| keep.next().unwrap_or(true));
    entities
}

/// The type of an unknown proper-noun sequence, or `None` when nothing tells.
fn classify(
    lexicon: &Lexicon,
    tokens: &Tokens<'_>,
    first: usize,
    words: &[&str],
) -> Option<EntityType> {
    let names = &lexicon.name_words;
    let has = |list: &[String], word: &str| list.iter().any(|w| w == word);
    let last_word = *words.last()?;
    if words.len() >= 2 && has(&names.media.last, last_word) {
        return Some(EntityType::Media);
    }
    // A lone organization word ("Police" opening a sentence) names no one.
    if words.len() >= 2
        && (has(&names.org.last, last_word) || words.iter().any(|w| has(&names.org.any, w)))
    {
        return Some(EntityType::Org);
    }
    if words.len() >= 2 && has(&names.location.last, last_word) {
        return Some(EntityType::Location);
    }
    let first_name = lexicon.first_names.get(words[0]).is_some();
    if first_name && words.len() >= 2 {
        return Some(EntityType::Person);
    }
    if title_before(lexicon, tokens, first).is_some() {
        return Some(EntityType::Person);
    }
    if first > 0 {
        let before = tokens.text(first - 1).to_lowercase();
        if has(&names.location.prepositions, &before) {
            return Some(EntityType::Location);
        }
    }
    if words.len() >= 2
        && words.len() <= 4
        && words.iter().all(|w| w.chars().all(char::is_alphabetic) || *w == "-")
    {
        return Some(EntityType::Person);
    }
    None
}

/// The title whose words start at token `t` ("Gov.", "Secretary of State"), with its
/// last token.
fn title_from<'l>(
    lexicon: &'l Lexicon,
    tokens: &Tokens<'_>,
    t: usize,
) -> Option<(&'l newsgraph_lexicon::Title, usize)> {
    let n = tokens.doc.tokens.len();
    let end = (t + lexicon.titles.max_words()).min(n);
    (t..end).rev().filter(|&k| tokens.sentence_of(k) == tokens.sentence_of(t)).find_map(|k| {
        let form = tokens.doc.text[tokens.span(t, k).range()].to_lowercase();
        lexicon.titles.lookup(&form).map(|title| (title, k))
    })
}

/// The title written right before token `first` ("President", "foreign minister"), with
/// the index of its first token.
pub(crate) fn title_before<'l>(
    lexicon: &'l Lexicon,
    tokens: &Tokens<'_>,
    first: usize,
) -> Option<(&'l newsgraph_lexicon::Title, usize)> {
    let sentence = tokens.sentence_of(first)?;
    let floor = sentence.first_token as usize;
    (1..=lexicon.titles.max_words().max(1) * 2).filter(|&k| first >= floor + k).find_map(|k| {
        let start = first - k;
        let form = tokens.doc.text[tokens.span(start, first - 1).range()].to_lowercase();
        lexicon.titles.lookup(&form).map(|title| (title, start))
    })
}

/// A title with "of" in it that ends inside the proper-noun sequence `first..=last` and
/// began before it ("Secretary of State" over "... of | State Ana Ruiz"): the title, its
/// first token and its last token, leaving at least one word for the name.
fn title_over_of<'l>(
    lexicon: &'l Lexicon,
    tokens: &Tokens<'_>,
    first: usize,
    last: usize,
) -> Option<(&'l newsgraph_lexicon::Title, usize, usize)> {
    let floor = tokens.sentence_of(first)?.first_token as usize;
    if first == floor || !matches!(tokens.text(first - 1), "of" | "for") {
        return None;
    }
    let max = lexicon.titles.max_words().max(1);
    (first..last).rev().find_map(|k| {
        (2..=max).filter(|&back| first >= floor + back).find_map(|back| {
            let start = first - back;
            let form = tokens.doc.text[tokens.span(start, k).range()].to_lowercase();
            lexicon.titles.lookup(&form).map(|title| (title, start, k))
        })
    })
}

/// The gender of a person entity: from the lexicon, else from the first name.
pub(crate) fn gender_of(lexicon: &Lexicon, entity: &Entity) -> Option<Gender> {
    if let Some(person) = lexicon.people.lookup(&entity.name) {
        return person.gender;
    }
    let first = entity.name.split(' ').next()?;
    lexicon.first_names.get(first).flatten()
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

    fn find<'d>(doc: &'d Document, name: &str) -> &'d Entity {
        doc.entities.iter().find(|e| e.name == name).unwrap_or_else(|| {
            panic!(
                "{name} not found in {:?}",
                doc.entities.iter().map(|e| &e.name).collect::<Vec<_>>()
            )
        })
    }

    fn mention_texts<'d>(doc: &'d Document, entity: &Entity) -> Vec<&'d str> {
        entity.mentions.iter().map(|m| &doc.text[m.span.range()]).collect()
    }

    #[test]
    fn countries_with_names_demonyms_and_metonyms() {
        let doc =
            run("Russia and the Kremlin denied it. Russian troops moved while Moscow waited.");
        let russia = find(&doc, "Russia");
        assert_eq!(russia.code.as_deref(), Some("RUS"));
        assert_eq!(russia.entity_type, EntityType::Country);
        let kinds: Vec<_> = russia.mentions.iter().map(|m| m.kind).collect();
        assert!(kinds.contains(&MentionKind::Metonym) && kinds.contains(&MentionKind::Name));
        let troops = doc.entities.iter().find(|e| e.entity_type == EntityType::Agent).unwrap();
        assert_eq!(
            (troops.country.as_deref(), troops.sector.as_deref()),
            (Some("RUS"), Some("MIL"))
        );
    }

    #[test]
    fn a_capital_s_name_is_a_city_of_the_country_the_article_names() {
        let doc = run("Shells fell on Tripoli on Monday.");
        assert_eq!(find(&doc, "Libya").entity_type, EntityType::Country);
        let doc = run("Shells fell on Tripoli, the north Lebanese port, on Monday.");
        let tripoli = find(&doc, "Tripoli");
        assert_eq!(
            (tripoli.entity_type.clone(), tripoli.country.as_deref()),
            (EntityType::Location, Some("LBN"))
        );
        // Named as a country too, the capital stays the country's.
        let doc = run("Libya and Lebanon spoke. Tripoli said it was ready.");
        assert!(doc.entities.iter().all(|e| e.entity_type != EntityType::Location), "{doc:?}");
    }

    #[test]
    fn agents_take_the_country_they_are_in_or_of() {
        for text in [
            "Opposition groups in Zimbabwe are demanding new elections.",
            "Yesterday opposition groups in Zimbabwe said they would march.",
            "The police of Chile arrested the protesters.",
        ] {
            let doc = run(text);
            let agent = doc
                .entities
                .iter()
                .find(|e| e.entity_type == EntityType::Agent)
                .unwrap_or_else(|| panic!("no agent in {text:?}: {:?}", doc.entities));
            let want = if text.contains("Chile") { "CHL" } else { "ZWE" };
            assert_eq!(agent.country.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn agents_of_a_people_take_its_country_the_article_names() {
        let country = |text: &str| {
            let doc = run(text);
            let agent = doc.entities.iter().find(|e| e.entity_type == EntityType::Agent);
            agent.and_then(|a| a.country.clone())
        };
        // The Shona live in Zimbabwe and Mozambique: the one the article names.
        assert_eq!(country("The Mozambican government met Shona rebels.").as_deref(), Some("MOZ"));
        assert_eq!(country("Shona rebels attacked a convoy.").as_deref(), Some("ZWE"));
    }

    #[test]
    fn agents_in_a_capital_s_namesake_take_its_country() {
        let doc =
            run("Rival militias in Tripoli clashed again as shells hit the north Lebanese port.");
        let agent =
            doc.entities.iter().find(|e| e.entity_type == EntityType::Agent).expect("agent");
        assert_eq!(agent.country.as_deref(), Some("LBN"));
    }

    #[test]
    fn an_unknown_office_holder_serves_the_one_country_of_the_sentence() {
        let doc = run("President Ilsa Varo threatened to impose a curfew in Lima.");
        let varo = find(&doc, "Ilsa Varo");
        assert_eq!(varo.country.as_deref(), Some("PER"));
        assert_eq!(varo.roles[0].of.as_deref(), Some("PER"));
        // Two countries: no guess.
        let doc = run("President Ilsa Varo met the leaders of Chile and Peru.");
        assert_eq!(find(&doc, "Ilsa Varo").country, None);
    }

    #[test]
    fn unknown_names_are_typed_by_their_words_and_context() {
        let doc = run(
            "Ilsa Varo met officials of the Veloria Ministry of Ports in Alderhaven. Varo said the Alderhaven Gazette had the story.",
        );
        let varo = find(&doc, "Ilsa Varo");
        assert_eq!(varo.entity_type, EntityType::Person);
        assert_eq!(mention_texts(&doc, varo), ["Ilsa Varo", "Varo"]);
        assert_eq!(find(&doc, "Alderhaven Gazette").entity_type, EntityType::Media);
        assert_eq!(find(&doc, "Alderhaven").entity_type, EntityType::Location);
    }

    #[test]
    fn an_organization_name_goes_on_over_of_and_for() {
        let doc = run(
            "The Nigerian Union of Teachers called off its strike. The Forces for the Defence of Democracy rejected the plan.",
        );
        let union = find(&doc, "Union of Teachers");
        assert_eq!((&union.entity_type, union.country.as_deref()), (&EntityType::Org, Some("NGA")));
        assert_eq!(find(&doc, "Forces for the Defence of Democracy").entity_type, EntityType::Org);
    }

    #[test]
    fn sentence_initial_words_are_not_names() {
        let doc = run("Apparently the talks failed. During the night, nothing moved.");
        assert!(
            doc.entities.iter().all(|e| e.name != "Apparently" && e.name != "During"),
            "{:?}",
            doc.entities
        );
    }

    #[test]
    fn a_state_and_a_title_before_a_name_are_neither_part_of_it() {
        // The gazetteer's state stays a place; the tagger's unknown one is left out.
        let doc = run("Texas Gov. Ana Velor met the mayor on Monday.");
        assert_eq!(find(&doc, "Texas").entity_type, EntityType::Location);
        assert_eq!(find(&doc, "Ana Velor").entity_type, EntityType::Person);
        let doc = run("Dorvan Gov. Ana Velor met the mayor on Monday.");
        assert_eq!(find(&doc, "Ana Velor").entity_type, EntityType::Person);
        // The speaker of a cue whose subject the parser headed with the state is the
        // person.
        let doc = run("Texas Gov. Ana Velor described the mayor as a \"disgrace\" on Monday.");
        let quote = doc.quotes.first().expect("a quote");
        assert_eq!(
            quote.speaker.map(|s| doc.entities[s as usize].name.as_str()),
            Some("Ana Velor")
        );
    }

    #[test]
    fn a_title_is_no_name_of_its_own() {
        // A title before a person the lexicon knows is not a second person.
        let doc = run("Defence Secretary Tom King took office in 1989.");
        find(&doc, "Tom King");
        assert!(doc.entities.iter().all(|e| !e.name.contains("Secretary")), "{:?}", doc.entities);
        // A title with "of" in it, before a name the lexicon does not know: the name is
        // the person's alone, and the office is of the country before the title.
        let doc = run("U.S. Secretary of State Ana Velor landed in Lima on Monday.");
        let velor = find(&doc, "Ana Velor");
        assert_eq!(velor.country.as_deref(), Some("USA"));
        assert_eq!(velor.roles.first().map(|r| r.title.as_str()), Some("Secretary of State"));
        assert!(doc.entities.iter().all(|e| !e.name.contains("Secretary")), "{:?}", doc.entities);
        let doc = run("The Interior Minister will travel to Lima.");
        assert!(
            doc.entities.iter().all(|e| e.entity_type != EntityType::Person),
            "{:?}",
            doc.entities
        );
    }

    #[test]
    fn a_side_taken_is_not_a_country_and_a_description_is_not_an_actor() {
        let doc = run("The pro-Chilean Velorian Liberation Front attacked Peru.");
        assert_eq!(find(&doc, "Velorian Liberation Front").country, None);
        let doc = run("An anti-Chilean journalist was attacked in Lima.");
        assert_eq!(find(&doc, "journalist").country, None);
        // The noun before the name describes the group: no agent of its own.
        let doc = run("The rebel Velorian Liberation Front attacked Peru.");
        assert!(
            doc.entities.iter().all(|e| e.entity_type != EntityType::Agent),
            "{:?}",
            doc.entities
        );
    }

    #[test]
    fn a_place_or_organization_is_placed_by_the_known_place_after_it() {
        let doc = run("Jets bombed the Varo Dam in northern Peru.");
        assert_eq!(find(&doc, "Varo Dam").country.as_deref(), Some("PER"));
        let doc = run("Chile urged leaders of the Alda Farmers Union of Lima to end the strike.");
        assert_eq!(find(&doc, "Alda Farmers Union").country.as_deref(), Some("PER"));
        // Coreference's agent for the union's leaders takes the union's country, not its
        // name.
        assert_eq!(find(&doc, "leaders").country.as_deref(), Some("PER"));
    }
}

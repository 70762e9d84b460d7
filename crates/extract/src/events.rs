//! The `events` stage: PLOVER/CAMEO-coded events with source, target, modality,
//! claimant, date and place.
//!
//! Reads: segments, syntax, entities (with coreference), times, quotes, and the
//! article's `published` date. Writes: the events layer, in text order.
//!
//! Each verb and noun whose lemma starts a pattern of `events.toml` is a candidate
//! trigger. A pattern applies when its other words are the trigger's particle or the
//! preposition of one of its obliques ("rule out", "call on") and, if it lists objects,
//! the trigger's object is one of them ("impose sanctions"); the most specific pattern
//! wins (object-constrained, then multiword, then file order).
//!
//! The stage reads its own view of the tree (`repair`): the syntax layer with the
//! tagger's and parser's typical failures on news sentences mended on a copy (a past-tense
//! verb read as a noun's modifier, an object hung on the speech verb after it).
//!
//! Roles are read off the dependency tree: `subj` (for a passive, its by-phrase), `obj`
//! (for a passive, its subject), `iobj`, a preposition's oblique or nominal modifier (also
//! when the parser hung it on the object: "supplying technology to North Korea"),
//! `poss` and `mod` for nouns, `xsubj` for an infinitive, participle or conjoined verb
//! (the subject of the verb it depends on; for a verb the parser conjoined with an object,
//! of that object's verb). A noun trigger that is the object of a verb
//! takes that verb's subject as `subj` ("Rutte will chair a meeting"). A role's actors are
//! the entity mentioned there and those coordinated with it ("Iran, North Korea, China
//! and Russia"); "their" stands for the people named before it in the sentence.
//!
//! - **Modality**: `hypothetical` under "if"/"unless" or a modal of possibility (might,
//!   could, may, would) anywhere up the clause chain; `negated` with "not"/"never" on the
//!   trigger; `future` with will, shall, "going to", "plans to"; else `asserted`.
//! - **Intent**: an intended cooperative action ("will visit", "agreed to provide aid")
//!   is coded AGREE, the action's type as its mode, as CAMEO's "express intent" codes do
//!   (`[intent]` in `modality.toml`).
//! - **Claimant**: inside a quote or reported statement, its speaker.
//! - **Date**: a date expression that depends on the trigger, else the publication date.
//! - **Place**: a location introduced by "in"/"at" in the trigger's clause.
//! - A speech verb is an event only where the dictionary says so ("demanded",
//!   "accused", "denied"), never "said"; an event needs a source (unless passive, or its
//!   subject is a means of attack: "a roadside bomb killed ..."), and a noun's event a
//!   target.

use std::collections::HashSet;

use newsgraph_lexicon::EventPattern;
use newsgraph_model::{
    DepRel, Document, Entity, EntityType, Event, Layer, Modality, TimexType, Upos,
};

use crate::Lexicon;
use crate::coref::owners;
use crate::entities::Tokens;
use crate::pipeline::Stage;

mod repair;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage {
    name: "events",
    reads: &[
        Layer::Segments,
        Layer::Syntax,
        Layer::Entities,
        Layer::Coreference,
        Layer::Times,
        Layer::Quotes,
    ],
    writes: Layer::Events,
    run,
};

/// The actor code an entity stands for in an event: its own code, else the code of the
/// office it holds (a person), else its country.
pub fn actor_code(entity: &Entity) -> Option<&str> {
    entity
        .code
        .as_deref()
        .or_else(|| entity.roles.first().and_then(|r| r.of.as_deref()))
        .or(entity.country.as_deref())
}

fn run(doc: &mut Document, lexicon: &Lexicon) {
    // The stage reads its own view of the tree, with the tagger's typical failures
    // repaired (`repair`), in place of the syntax layer, which is put back afterwards.
    let original =
        repair::repaired(doc, lexicon).map(|view| std::mem::replace(&mut doc.syntax, view));
    let events = find_events(doc, lexicon);
    if let Some(original) = original {
        doc.syntax = original;
    }
    doc.events = events;
}

/// The dependency view the frame reader needs.
struct Frames<'d> {
    tokens: Tokens<'d>,
    owner: Vec<Option<usize>>,
    /// Nouns that carry an issuer's words ("statement", "letter").
    speech_nouns: &'d [String],
    /// Nouns for actors other than their modifier ("America's adversaries").
    others: &'d [String],
    /// Prefixes of a side taken ("pro-Velorian"): the country is not the actor's.
    stances: &'d [String],
    /// Prepositions of circumstance ("despite"): no target in their phrase.
    circumstances: &'d [String],
    /// Subordinators of a condition ("if", "unless").
    conditionals: &'d [String],
}

impl Frames<'_> {
    fn children_with(&self, head: usize, rels: &[DepRel]) -> Vec<usize> {
        self.tokens.children(head).filter(|&c| rels.contains(&self.tokens.deprel(c))).collect()
    }

    fn is_passive(&self, verb: usize) -> bool {
        self.tokens
            .children(verb)
            .any(|c| matches!(self.tokens.deprel(c), DepRel::AuxPass | DepRel::NsubjPass))
    }

    fn has_case(&self, noun: usize, prep: &str) -> bool {
        self.tokens.children(noun).any(|c| {
            matches!(self.tokens.deprel(c), DepRel::Case | DepRel::Mark)
                && self.tokens.lemma(c) == prep
        })
    }

    /// The obliques and nominal modifiers of `head` introduced by `prep`.
    fn prep_children(&self, head: usize, prep: &str) -> Vec<usize> {
        self.tokens
            .children(head)
            .filter(|&c| {
                matches!(self.tokens.deprel(c).base(), DepRel::Obl | DepRel::Nmod)
                    && self.has_case(c, prep)
            })
            .collect()
    }

    fn subject(&self, verb: usize) -> Option<usize> {
        if self.is_passive(verb) {
            return self
                .children_with(verb, &[DepRel::OblAgent])
                .into_iter()
                .next()
                .or_else(|| self.prep_children(verb, "by").into_iter().next());
        }
        let subject = self.children_with(verb, &[DepRel::Nsubj]).into_iter().next()?;
        // "Kellogg, who called for ...": a relative pronoun stands for the noun the clause
        // modifies.
        let pronoun = self.tokens.lemma(subject);
        if self.tokens.deprel(verb) == DepRel::AclRelcl
            && matches!(pronoun.as_str(), "who" | "which" | "that")
        {
            return self.tokens.head(verb);
        }
        if pronoun == "who" && self.owner[subject].is_none() {
            // A "who" the parser did not attach to its noun: the nearest person before it.
            let sentence = self.tokens.sentence_of(subject)?;
            return (sentence.first_token as usize..subject).rev().find(|&t| {
                self.owner[t]
                    .is_some_and(|e| self.tokens.doc.entities[e].entity_type == EntityType::Person)
            });
        }
        Some(subject)
    }

    fn object(&self, verb: usize) -> Option<usize> {
        if self.is_passive(verb) {
            return self.children_with(verb, &[DepRel::NsubjPass]).into_iter().next();
        }
        self.children_with(verb, &[DepRel::Obj]).into_iter().next()
    }

    /// The subject a non-finite or conjoined verb inherits from the verb it depends on.
    fn inherited_subject(&self, verb: usize) -> Option<usize> {
        let mut current = verb;
        for _ in 0..4 {
            let rel = self.tokens.deprel(current);
            let head = self.tokens.head(current)?;
            match rel {
                // "urged Iran to stop": the object controls; "agreed to stop": the subject.
                DepRel::Xcomp => match self.object(head).or_else(|| self.subject(head)) {
                    Some(s) => return Some(s),
                    None => current = head,
                },
                // "wounding one person and arresting 15": a verb the parser conjoined with
                // the object before it is conjoined with that object's verb.
                DepRel::Conj
                    if self.tokens.upos(head) != Some(Upos::Verb)
                        && self.tokens.deprel(head) == DepRel::Obj =>
                {
                    let verb = self.tokens.head(head)?;
                    match self.subject(verb) {
                        Some(s) => return Some(s),
                        None => current = verb,
                    }
                }
                DepRel::Conj | DepRel::Advcl => match self.subject(head) {
                    Some(s) => return Some(s),
                    None => current = head,
                },
                // "Russia, which supplies ...", "the risks of Russia supplying ..."; a
                // statement's words are its issuer's ("issued a statement demanding ...").
                DepRel::Acl | DepRel::AclRelcl => {
                    if self.owner[head].is_none()
                        && self.speech_nouns.contains(&self.tokens.lemma(head))
                        && self.tokens.deprel(head) == DepRel::Obj
                        && let Some(verb) = self.tokens.head(head)
                        && let Some(subject) = self.subject(verb)
                    {
                        return Some(subject);
                    }
                    return Some(head);
                }
                _ => return None,
            }
        }
        None
    }

    /// The token a role names, for a trigger.
    fn role(&self, trigger: usize, noun: bool, role: &str) -> Vec<usize> {
        let t = &self.tokens;
        match role {
            "subj" if noun => {
                // The subject of the verb the noun is the object of ("chair a meeting").
                match (t.deprel(trigger), t.head(trigger)) {
                    (DepRel::Obj, Some(verb)) => self
                        .subject(verb)
                        .or_else(|| self.inherited_subject(verb))
                        .into_iter()
                        .collect(),
                    _ => Vec::new(),
                }
            }
            "subj" => self.subject(trigger).into_iter().collect(),
            "obj" => self.object(trigger).into_iter().collect(),
            "iobj" => self.children_with(trigger, &[DepRel::Iobj]),
            "xsubj" if !noun => self.inherited_subject(trigger).into_iter().collect(),
            "xsubj" => Vec::new(),
            "poss" => self.children_with(trigger, &[DepRel::NmodPoss]),
            "mod" => self.children_with(trigger, &[DepRel::Amod, DepRel::Compound]),
            prep => {
                let mut found = self.prep_children(trigger, prep);
                if found.is_empty()
                    && !noun
                    && let Some(obj) = self.object(trigger)
                {
                    found = self.prep_children(obj, prep);
                }
                // "mobilized reservists for a war against Azerbaijan": whom a hostile act
                // is against may be written on its purpose.
                if found.is_empty() && prep == "against" {
                    let holders = std::iter::once(trigger).chain(self.object(trigger));
                    found = holders
                        .flat_map(|h| self.prep_children(h, "for"))
                        .flat_map(|purpose| self.prep_children(purpose, "against"))
                        .collect();
                }
                found
            }
        }
    }

    /// Where a group the text names without its country belongs: an agent with no
    /// country by its "in", "of" or "from" phrase ("activists from the Fatah party",
    /// "rebels in Ivory Coast"); a people named by a demonym by the place it is "of", or
    /// "in" when it is an "ethnic" group ("the Albanians of southern Serbia", "ethnic
    /// Serbs in Croatia"), or by the other country's demonym before it ("Bosnian Serbs").
    /// "Americans in Iraq" stay American.
    fn residence(&self, doc: &Document, head: usize, entity: usize) -> Option<usize> {
        let t = &self.tokens;
        let e = &doc.entities[entity];
        let coded = |i: usize| {
            let other = &doc.entities[i];
            i != entity && (other.code.is_some() || other.country.is_some())
        };
        let agent = e.entity_type == EntityType::Agent && e.country.is_none() && e.code.is_none();
        let start = doc.tokens[head].span.start;
        let people = matches!(t.upos(head), Some(Upos::Noun | Upos::Propn))
            && e.mentions.iter().any(|m| {
                m.kind == newsgraph_model::MentionKind::Demonym
                    && m.span.start <= start
                    && start < m.span.end
            });
        if !agent && !people {
            return None;
        }
        let ethnic = t.children(head).any(|c| t.lemma(c) == "ethnic");
        let preps: &[&str] = match (agent, ethnic) {
            (true, _) => &["in", "of", "from"],
            (false, true) => &["in", "of"],
            (false, false) => &["of"],
        };
        let coded_at = |c: usize| {
            self.owner[c]
                .or_else(|| {
                    self.children_with(c, &[DepRel::Compound, DepRel::Amod, DepRel::NmodPoss])
                        .into_iter()
                        .find_map(|m| self.owner[m])
                })
                .filter(|&o| coded(o))
        };
        let placed = preps.iter().flat_map(|p| self.prep_children(head, p)).find_map(coded_at);
        // One step further for a group: through what it belongs to or is part of, when
        // that names no country itself ("workers of the Alda Bus Company of Lima",
        // "parties to the conflict in Chile", "refugees fleeing the war in Chile").
        let through = || {
            if !agent {
                return None;
            }
            let mut steps: Vec<usize> = ["of", "in", "from", "at", "to"]
                .iter()
                .flat_map(|p| self.prep_children(head, p))
                .collect();
            let mut direct = Vec::new();
            for acl in self.children_with(head, &[DepRel::Acl]) {
                if t.upos(acl) == Some(Upos::Verb) {
                    direct.extend(self.children_with(acl, &[DepRel::Obj]));
                    direct.extend(["from", "in"].iter().flat_map(|p| self.prep_children(acl, p)));
                }
            }
            direct.iter().copied().find_map(coded_at).or_else(|| {
                steps.extend(direct);
                steps
                    .into_iter()
                    .filter(|&c| self.owner[c].is_none_or(|o| !coded(o)))
                    .flat_map(|c| {
                        ["in", "of", "from"].iter().flat_map(move |p| self.prep_children(c, p))
                    })
                    .find_map(coded_at)
            })
        };
        let placed = placed.or_else(through);
        // "Vietnamese-led forces": a country inside the agent's modifier.
        let led = || {
            agent
                .then(|| {
                    self.children_with(head, &[DepRel::Amod, DepRel::Compound])
                        .into_iter()
                        .filter(|&m| m < head)
                        .flat_map(|m| t.children(m))
                        .filter_map(|c| self.owner[c])
                        .find(|&o| coded(o) && doc.entities[o].entity_type == EntityType::Country)
                })
                .flatten()
        };
        placed.or_else(led).or_else(|| {
            people
                .then(|| {
                    self.children_with(head, &[DepRel::Amod, DepRel::Compound])
                        .into_iter()
                        .filter_map(|m| self.owner[m])
                        .find(|&o| coded(o) && doc.entities[o].entity_type == EntityType::Country)
                })
                .flatten()
        })
    }

    /// The entities a role token stands for, with its coordinated tokens.
    fn actors(&self, doc: &Document, token: usize, trigger: usize) -> Vec<u32> {
        let t = &self.tokens;
        let mut heads = vec![token];
        let mut k = 0;
        while k < heads.len() && heads.len() < 12 {
            let conj = self.children_with(heads[k], &[DepRel::Conj]);
            heads.extend(conj);
            k += 1;
        }
        let mut out: Vec<u32> = Vec::new();
        for head in heads {
            // "America's adversaries" are someone else, whom the sentence does not name.
            let other = self.others.contains(&t.lemma(head));
            let entity = self.owner[head]
                .or_else(|| {
                    // "the party's leader, Ilsa Varo": the apposition names the actor; so
                    // does a name the parser hung on its title ("Secretary of State Ana
                    // Ruiz", the name flat on "Secretary").
                    self.children_with(head, &[DepRel::Appos, DepRel::Flat])
                        .into_iter()
                        .find_map(|c| self.owner[c])
                })
                .or_else(|| {
                    // "US support", "Israeli soldiers": a modifier names the actor.
                    if other {
                        return None;
                    }
                    self.children_with(
                        head,
                        &[DepRel::NmodPoss, DepRel::Compound, DepRel::Amod, DepRel::Flat],
                    )
                    .into_iter()
                    // "the pro-Velorian militia" is not Velorian.
                    .filter(|&c| !t.after_prefix(c, self.stances))
                    .find_map(|c| self.owner[c])
                })
                .or_else(|| {
                    // "the rebel Kurdistan Workers' Party", "the militant group Hamas": a
                    // common noun the parser took for the head of a name after it
                    // describes the name's bearer.
                    let next = head + 1;
                    let named = next < t.doc.tokens.len()
                        && t.upos(head) == Some(Upos::Noun)
                        && t.capitalized(next)
                        && t.sentence_of(next) == t.sentence_of(head);
                    let owner = self.owner[next.min(t.doc.tokens.len().saturating_sub(1))];
                    owner.filter(|&e| {
                        let entity = &doc.entities[e];
                        named
                            && !matches!(
                                entity.entity_type,
                                EntityType::Country | EntityType::Location | EntityType::Agent
                            )
                            && entity
                                .mentions
                                .iter()
                                .any(|m| m.span.start == t.doc.tokens[next].span.start)
                    })
                })
                .or_else(|| {
                    // "large parts of Ukraine", "the people of Gaza".
                    if other {
                        return None;
                    }
                    // "thousands of Iraqi Kurds": the modifier of the noun after "of".
                    self.prep_children(head, "of").into_iter().find_map(|c| {
                        self.owner[c].or_else(|| {
                            if self.others.contains(&t.lemma(c)) {
                                return None;
                            }
                            self.children_with(
                                c,
                                &[DepRel::NmodPoss, DepRel::Amod, DepRel::Compound],
                            )
                            .into_iter()
                            .find_map(|m| self.owner[m])
                        })
                    })
                });
            let entity = entity.map(|idx| self.residence(doc, head, idx).unwrap_or(idx));
            match entity {
                Some(idx) => out.push(idx as u32),
                None if t.text(head).eq_ignore_ascii_case("their") => {
                    // The people named before it in its sentence, outside quotes.
                    let sentence = t.sentence_of(head);
                    let lo = sentence.map_or(head, |s| s.first_token as usize);
                    for i in lo..trigger.min(head) {
                        if let Some(idx) = self.owner[i]
                            && doc.entities[idx].entity_type == EntityType::Person
                            && !out.contains(&(idx as u32))
                        {
                            out.push(idx as u32);
                        }
                    }
                }
                None => {}
            }
        }
        out.dedup();
        out
    }
}

/// The first actor among a trigger's complements, breadth first, for patterns whose
/// target the frame did not find ("called for ... forcing Kiev and Moscow to the table",
/// "threat to withdraw support for the alliance"): what the trigger acts on. Subjects,
/// modifiers and places are not targets.
/// The infinitive that completes a noun ("a threat to withdraw ...", "the plan to
/// visit"): its `acl` child marked by "to", or, where the parser hung the infinitive on
/// the verb the noun depends on ("stave off Trump's threat to withdraw"), the infinitive
/// that follows the noun directly.
fn noun_infinitive(t: &Tokens<'_>, noun: usize) -> Option<usize> {
    let marked_by_to =
        |c: usize| t.children(c).any(|m| t.deprel(m) == DepRel::Mark && t.lemma(m) == "to");
    if let Some(acl) = t.children(noun).find(|&c| t.deprel(c) == DepRel::Acl && marked_by_to(c)) {
        return Some(acl);
    }
    let head = t.head(noun)?;
    t.children(head).find(|&c| {
        c > noun
            && matches!(t.deprel(c), DepRel::Xcomp | DepRel::Advcl)
            && t.children(c)
                .any(|m| m == noun + 1 && t.deprel(m) == DepRel::Mark && t.lemma(m) == "to")
    })
}

/// The noun an infinitive clause completes, when the parser hung it on the noun's head
/// instead (see [`noun_infinitive`]).
fn completed_noun(t: &Tokens<'_>, clause: usize) -> Option<usize> {
    if !matches!(t.deprel(clause), DepRel::Xcomp | DepRel::Advcl) {
        return None;
    }
    let mark = t.children(clause).find(|&m| t.deprel(m) == DepRel::Mark && t.lemma(m) == "to")?;
    let noun = mark.checked_sub(1)?;
    (t.upos(noun) == Some(Upos::Noun)
        && t.head(noun) == t.head(clause)
        && noun_infinitive(t, noun) == Some(clause))
    .then_some(noun)
}

///
/// With `places`, the first place among them instead ("evacuated the settlements in the
/// Gaza Strip", "fired at targets in Jericho"): where an event with no other target
/// happens stands for whom it hits, as the field's coders code it.
fn complement_target(
    doc: &Document,
    frames: &Frames<'_>,
    trigger: usize,
    source: &[u32],
    places: bool,
) -> Vec<u32> {
    let t = &frames.tokens;
    let mut queue: Vec<(usize, usize)> = vec![(trigger, 0)];
    // A noun's infinitive the parser hung elsewhere is still the noun's complement.
    if let Some(clause) = noun_infinitive(t, trigger).filter(|&c| t.head(c) != Some(trigger)) {
        queue.push((clause, 1));
    }
    let mut k = 0;
    while k < queue.len() {
        let (node, depth) = queue[k];
        k += 1;
        if node != trigger {
            let actors = frames.actors(doc, node, trigger);
            // The source's own country is not what it acts on ("threatened to withdraw
            // US support for the alliance", said of the US president).
            let own_country = |a: &u32| {
                let code = doc.entities[*a as usize].code.as_deref();
                code.is_some()
                    && source.iter().any(|&s| {
                        let s = &doc.entities[s as usize];
                        s.entity_type == EntityType::Person && s.country.as_deref() == code
                    })
            };
            let actors: Vec<u32> = actors
                .into_iter()
                .filter(|a| {
                    let entity = &doc.entities[*a as usize];
                    let place = entity.entity_type == EntityType::Location;
                    !source.contains(a)
                        && place == places
                        && (!places || entity.country.is_some())
                        && !own_country(a)
                })
                .collect();
            if !actors.is_empty() {
                return actors;
            }
        }
        if depth >= 3 {
            continue;
        }
        for child in t.children(node) {
            // "demanded that the US cancel ...": the subject of the demanded clause is
            // whom the demand is made of; other subjects are not targets.
            // "threatened to stop the talks if the US goes ahead": the actor a condition
            // names is whom the action is aimed at.
            let conditional = t.deprel(node).base() == DepRel::Advcl
                && t.children(node).any(|m| {
                    t.deprel(m) == DepRel::Mark && frames.conditionals.contains(&t.lemma(m))
                });
            let clause_subject = (t.deprel(node) == DepRel::Ccomp || conditional)
                && matches!(t.deprel(child), DepRel::Nsubj | DepRel::NsubjPass);
            let skip = !clause_subject
                && matches!(
                    t.deprel(child),
                    DepRel::Nsubj
                        | DepRel::NsubjPass
                        | DepRel::Csubj
                        | DepRel::Compound
                        | DepRel::Amod
                        | DepRel::NmodPoss
                        | DepRel::Det
                        | DepRel::Case
                        | DepRel::Punct
                        | DepRel::Mark
                        | DepRel::Aux
                        | DepRel::AuxPass
                        | DepRel::Advmod
                        | DepRel::Cc
                        | DepRel::AclRelcl
                        | DepRel::Parataxis
                        | DepRel::OblTmod
                );
            // The trigger's own conjuncts are other events; deeper ones share the role.
            let other_event = node == trigger && t.deprel(child) == DepRel::Conj;
            // "despite Velor's objections": a circumstance, not what is acted on.
            let circumstance = t.children(child).any(|c| {
                matches!(t.deprel(c), DepRel::Case | DepRel::Mark)
                    && frames.circumstances.contains(&t.lemma(c))
            });
            if !skip && !other_event && !circumstance {
                queue.push((child, depth + 1));
            }
        }
    }
    Vec::new()
}

fn pattern_applies(frames: &Frames<'_>, trigger: usize, pattern: &EventPattern) -> bool {
    let t = &frames.tokens;
    for word in &pattern.trigger[1..] {
        // A noun's modifier word is matched by its form too, and as an adjective: the
        // tagger reads "hunger" in "hunger strike" as an adjective ("hung").
        let direct = t.children(trigger).any(|c| {
            let rel = t.deprel(c);
            let attached = matches!(
                rel,
                DepRel::CompoundPrt | DepRel::Obj | DepRel::Compound | DepRel::Advmod
            ) || (rel == DepRel::Amod && t.upos(trigger) == Some(Upos::Noun));
            attached && (t.lemma(c) == *word || t.text(c).to_lowercase() == *word)
        });
        let prep = t.children(trigger).any(|c| frames.has_case(c, word))
            || (trigger + 1 < t.doc.tokens.len() && t.lemma(trigger + 1) == *word);
        if !direct && !prep {
            return false;
        }
    }
    if !pattern.object.is_empty() {
        let Some(obj) = frames.object(trigger) else { return false };
        let listed = |noun: usize| {
            let lemma = t.lemma(noun);
            let singular = lemma.strip_suffix('s').unwrap_or(&lemma).to_string();
            pattern.object.iter().any(|o| {
                *o == lemma
                    || *o == singular
                    // `PERSON`: a named person ("released Ivan Petrov").
                    || (o == "PERSON"
                        && frames.owner[noun].is_some_and(|e| {
                            t.doc.entities[e].entity_type == EntityType::Person
                        }))
            })
        };
        // An amount names what it measures: "700 kg of medicine", "tons of food aid"; a
        // compound its kind: "mediation efforts", "aid deliveries".
        if !listed(obj)
            && !frames.prep_children(obj, "of").into_iter().any(listed)
            && !t.children(obj).any(|c| t.deprel(c) == DepRel::Compound && listed(c))
        {
            return false;
        }
    }
    true
}

/// Why an event has its modality, where that changes its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cause {
    /// Nothing that recodes it.
    Plain,
    /// Under a word of refusal ("refused to meet"): a rejection.
    Refusal,
    /// Under "unless": an ultimatum.
    Ultimatum,
    /// A noun's event that the verb taking it puts in the future with "will" alone ("will
    /// chair a meeting", "will hold talks"): a scheduled event, not an intent.
    Scheduled,
}

fn modality(lexicon: &Lexicon, frames: &Frames<'_>, trigger: usize) -> (Modality, Cause) {
    let t = &frames.tokens;
    let words = &lexicon.modality;
    let has = |list: &[String], word: &str| list.iter().any(|w| w == word);
    let negated = t.children(trigger).any(|c| {
        matches!(t.deprel(c), DepRel::Advmod | DepRel::Det)
            && has(&words.markers.negation, &t.lemma(c))
    });
    // A governing word decides for its complement ("threatened to", "refused to"), or
    // marks it as planned ("plans to").
    let mut intended = false;
    let mut governed = |lemma: &str, future: &mut bool| {
        if has(&words.governors.hypothetical, lemma) {
            return Some((Modality::Hypothetical, Cause::Plain));
        }
        if has(&words.governors.negated, lemma) {
            return Some((Modality::Negated, Cause::Refusal));
        }
        let plan = has(&words.governors.future, lemma);
        *future |= plan;
        intended |= plan;
        None
    };
    let noun = t.upos(trigger) == Some(Upos::Noun);
    let mut node = trigger;
    let mut future = false;
    // "will" counts on the trigger and the verbs it completes ("will try to meet"), not
    // across a relative or adverbial clause.
    let mut future_reach = true;
    for steps in 0..8 {
        if node != trigger
            && let Some(found) = governed(&t.lemma(node), &mut future)
        {
            return found;
        }
        for c in t.children(node) {
            let lemma = t.lemma(c);
            match t.deprel(c) {
                // "will cut aid unless it holds elections": the action hangs on the
                // target's conduct.
                DepRel::Advcl
                    if t.children(c).any(|m| {
                        t.deprel(m) == DepRel::Mark
                            && has(&words.constructions.ultimatum, &t.lemma(m))
                    }) =>
                {
                    return (Modality::Hypothetical, Cause::Ultimatum);
                }
                DepRel::Mark if has(&words.markers.conditional, &lemma) => {
                    return (Modality::Hypothetical, Cause::Plain);
                }
                // "said they would boycott": the reported future, not a condition.
                DepRel::Aux if lemma == "would" && reported_clause(lexicon, t, node) => {
                    future = true;
                }
                DepRel::Aux if has(&words.markers.possible, &lemma) => {
                    return (Modality::Hypothetical, Cause::Plain);
                }
                DepRel::Aux if future_reach && has(&words.markers.future, &lemma) => future = true,
                _ => {}
            }
        }
        let rel = t.deprel(node);
        // A noun's event is in the mood of the verb that takes it as its object ("will
        // chair a meeting", "refused to hold talks").
        let taken = steps == 0 && noun && rel == DepRel::Obj;
        // A clause the speaker reports ("said that ...") keeps its own modality.
        if !(taken || matches!(rel, DepRel::Xcomp | DepRel::Conj | DepRel::Acl | DepRel::Advcl))
            || steps == 7
        {
            break;
        }
        // "stave off the threat to withdraw": the infinitive completes the noun before
        // it, wherever the parser hung it.
        if let Some(noun) = completed_noun(t, node)
            && let Some(found) = governed(&t.lemma(noun), &mut future)
        {
            return found;
        }
        if !(taken || matches!(rel, DepRel::Xcomp | DepRel::Conj)) {
            future_reach = false;
        }
        let Some(head) = t.head(node) else { break };
        node = head;
    }
    let modality = if negated {
        Modality::Negated
    } else if future {
        Modality::Future
    } else {
        Modality::Asserted
    };
    let cause = if noun && modality == Modality::Future && !intended {
        Cause::Scheduled
    } else {
        Cause::Plain
    };
    (modality, cause)
}

/// Whether a noun is written as part of a proper name: capitalized right after another
/// capitalized word, neither of them opening the sentence ("the Warsaw Pact").
fn in_name(t: &Tokens<'_>, noun: usize) -> bool {
    noun > 0
        && !t.sentence_start(noun)
        && !t.sentence_start(noun - 1)
        && t.capitalized(noun)
        && t.capitalized(noun - 1)
}

fn find_events(doc: &Document, lexicon: &Lexicon) -> Vec<Event> {
    if lexicon.events.is_empty() || doc.syntax.len() != doc.tokens.len() {
        return Vec::new();
    }
    let frames = Frames {
        tokens: Tokens { doc },
        owner: owners(doc, &doc.entities),
        speech_nouns: &lexicon.speech.speaker_nouns,
        others: &lexicon.modality.constructions.others,
        stances: &lexicon.modality.constructions.stance_prefixes,
        circumstances: &lexicon.modality.constructions.circumstances,
        conditionals: &lexicon.modality.markers.conditional,
    };
    let t = &frames.tokens;
    let published = doc.article.published_date().map(|d| d.to_string());
    let mut events = Vec::new();
    let mut seen: HashSet<(String, Vec<u32>, Vec<u32>, u32)> = HashSet::new();
    for (sentence_idx, sentence) in doc.sentences.iter().enumerate() {
        for trigger in sentence.first_token as usize..sentence.end_token as usize {
            let noun = match t.upos(trigger) {
                // An adjectival participle ("deepening ties") describes, it does not report.
                Some(Upos::Verb) if t.deprel(trigger) != DepRel::Amod => false,
                Some(Upos::Noun) => true,
                _ => continue,
            };
            // A name ("the Western military alliance") is an actor, not an event; nor is
            // the last word of a name the lexicon does not know ("the Warsaw Pact").
            if frames.owner[trigger].is_some() || (noun && in_name(t, trigger)) {
                continue;
            }
            let lemma = t.lemma(trigger);
            let span = doc.tokens[trigger].span;
            let mut best: Option<(&EventPattern, (bool, usize))> = None;
            for pattern in lexicon.events.for_head(&lemma) {
                if pattern.noun != noun || !pattern_applies(&frames, trigger, pattern) {
                    continue;
                }
                let rank = (!pattern.object.is_empty(), pattern.trigger.len());
                if best.is_none_or(|(_, r)| rank > r) {
                    best = Some((pattern, rank));
                }
            }
            let Some((pattern, _)) = best else { continue };
            // The first role the sentence fills gives the actors, even none: an
            // unresolved "we" is not a reason to look further.
            let pick = |roles: &[String]| -> Vec<u32> {
                roles
                    .iter()
                    .map(|role| frames.role(trigger, noun, role))
                    .find(|tokens| !tokens.is_empty())
                    .map(|tokens| {
                        tokens
                            .into_iter()
                            .flat_map(|tok| frames.actors(doc, tok, trigger))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let mut source = pick(&pattern.source);
            let mut undergone = None;
            if source.is_empty() && noun {
                // A light verb's subject acts through the noun ("began a hunger strike",
                // "launched an attack"), unless that verb is an event of its own; the
                // subject of "face", "suffer", "receive" undergoes it.
                if let (DepRel::Obj, Some(verb)) = (t.deprel(trigger), t.head(trigger))
                    && lexicon.modality.constructions.undergoer.contains(&t.lemma(verb))
                {
                    undergone = frames.subject(verb).map(|tok| frames.actors(doc, tok, trigger));
                    source = frames
                        .prep_children(trigger, "from")
                        .into_iter()
                        .chain(frames.prep_children(verb, "from"))
                        .flat_map(|tok| frames.actors(doc, tok, trigger))
                        .collect();
                } else if let (DepRel::Obj, Some(verb)) = (t.deprel(trigger), t.head(trigger))
                    && lexicon.events.for_head(&t.lemma(verb)).next().is_none()
                {
                    source = frames
                        .subject(verb)
                        .or_else(|| frames.inherited_subject(verb))
                        .map(|tok| frames.actors(doc, tok, trigger))
                        .unwrap_or_default();
                }
            }
            let mut target = undergone.unwrap_or_else(|| pick(&pattern.target));
            // "Rutte will chair a meeting of NATO ministers": the subject of the verb that
            // takes a symmetric event's noun meets the group the noun names.
            if noun
                && pattern.symmetric
                && target.is_empty()
                && !source.is_empty()
                && let (DepRel::Obj, Some(verb)) = (t.deprel(trigger), t.head(trigger))
                && lexicon.events.for_head(&t.lemma(verb)).next().is_none()
                && !lexicon.modality.constructions.undergoer.contains(&t.lemma(verb))
            {
                let agent: Vec<u32> = frames
                    .subject(verb)
                    .or_else(|| frames.inherited_subject(verb))
                    .map(|tok| frames.actors(doc, tok, trigger))
                    .unwrap_or_default();
                if !agent.is_empty() && agent.iter().all(|a| !source.contains(a)) {
                    target = std::mem::replace(&mut source, agent);
                }
            }
            if target.is_empty() {
                target = complement_target(doc, &frames, trigger, &source, false);
            }
            target.retain(|a| !source.contains(a) || source.len() > 1);
            if pattern.symmetric && target.is_empty() {
                if source.len() < 2 {
                    // Meeting or cooperating takes two: "speaking on condition of anonymity".
                    continue;
                }
                // Several actors acting together: each is source and target.
                target = source.iter().rev().copied().collect();
            }

            // A noun's event with no target is a topic, not an event ("Trump's threat");
            // an event with no source is one only in the passive ("X was attacked").
            // "A roadside bomb killed two soldiers": a means of attack is no actor.
            let by_means = || {
                frames.subject(trigger).is_some_and(|s| {
                    frames.owner[s].is_none()
                        && lexicon.modality.constructions.means.contains(&t.lemma(s))
                })
            };
            let agentless =
                !noun && !target.is_empty() && (frames.is_passive(trigger) || by_means());
            if (source.is_empty() && !agentless) || (noun && target.is_empty()) {
                continue;
            }
            if !seen.insert((
                pattern.event_type.clone(),
                source.clone(),
                target.clone(),
                sentence_idx as u32,
            )) {
                continue;
            }
            // Counted once per actors, then placed.
            if target.is_empty() && !pattern.symmetric {
                target = complement_target(doc, &frames, trigger, &source, true);
            }
            let reported_by = doc
                .quotes
                .iter()
                .find(|q| q.span.start <= span.start && span.end <= q.span.end)
                .and_then(|q| q.speaker);
            let date =
                event_date(doc, &frames, trigger, sentence_idx).or_else(|| published.clone());
            let location = event_location(doc, &frames, trigger);
            let mut trigger_span = span;
            for word in &pattern.trigger[1..] {
                if let Some(c) = (trigger + 1..sentence.end_token as usize)
                    .take(4)
                    .find(|&c| t.lemma(c) == *word)
                {
                    trigger_span.end = doc.tokens[c].span.end;
                }
            }
            let (modality, cause) = modality(lexicon, &frames, trigger);
            let (event_type, mode, cameo) = intent(lexicon, pattern, modality, cause);
            events.push(Event {
                event_type,
                mode,
                cameo,
                source,
                target,
                modality,
                reported_by,
                date,
                location,
                trigger: trigger_span,
                sentence: sentence_idx as u32,
            });
        }
        demands(doc, lexicon, &frames, sentence_idx, &mut events);
        necessities(doc, lexicon, &frames, sentence_idx, &mut events);
    }
    targets_of_complements(&frames, &mut events);
    fold_nested(&frames, &mut events);
    events
}

/// "threatened to ban opposition candidates", "promised to send aid to Chad", "threatened
/// to impose a curfew in the capital": an event with no target of its own whose infinitive
/// complement is an event of the same source aims at that event's target (the threat is
/// against whom the ban would hit).
fn targets_of_complements(frames: &Frames<'_>, events: &mut [Event]) {
    let t = &frames.tokens;
    let token = |e: &Event| t.starting_at(e.trigger.start as usize);
    // The infinitive that completes a trigger: its `xcomp`, or a noun's infinitive ("the
    // threat to ban ...").
    let infinitive = |outer: usize, inner: usize| {
        (t.deprel(inner) == DepRel::Xcomp && t.head(inner) == Some(outer))
            || (t.upos(outer) == Some(Upos::Noun) && noun_infinitive(t, outer) == Some(inner))
    };
    // ... or the noun a light verb there takes ("threatened to impose a curfew").
    let completes = |outer: usize, inner: usize| {
        infinitive(outer, inner)
            || (t.upos(inner) == Some(Upos::Noun)
                && t.deprel(inner) == DepRel::Obj
                && t.head(inner).is_some_and(|verb| infinitive(outer, verb)))
    };
    for outer in 0..events.len() {
        if !events[outer].target.is_empty() {
            continue;
        }
        let Some(o) = token(&events[outer]) else { continue };
        let found = events.iter().find(|inner| {
            inner.sentence == events[outer].sentence
                && !inner.target.is_empty()
                && inner.source == events[outer].source
                && token(inner).is_some_and(|i| completes(o, i))
        });
        if let Some(inner) = found {
            let target = inner
                .target
                .iter()
                .copied()
                .filter(|a| !events[outer].source.contains(a))
                .collect();
            events[outer].target = target;
        }
    }
}

/// Drops the events that only restate another event of their sentence, as coders count
/// them once:
/// - a demand that is a protest's purpose ("staged demonstrations to demand reforms",
///   "began a hunger strike to demand ...", "marched, calling for ..."): the protest;
/// - the refused action under a rejection ("rejected an offer to host a summit",
///   "refused to deploy troops", recoded as rejections themselves): the rejection.
fn fold_nested(frames: &Frames<'_>, events: &mut Vec<Event>) {
    let t = &frames.tokens;
    let token = |e: &Event| t.starting_at(e.trigger.start as usize);
    let governs = |outer: usize, inner: usize| {
        // The outer trigger, or the light verb it is the object of ("began a strike").
        let verb = (t.deprel(outer) == DepRel::Obj).then(|| t.head(outer)).flatten();
        inner != outer
            && (depends_on(t, inner, outer, 4) || verb.is_some_and(|v| depends_on(t, inner, v, 4)))
    };
    // The noun an event's verb acts on: its object, or a compound of it ("halted
    // mediation efforts").
    let acted_on = |outer: usize, inner: usize| {
        let object = |n: usize| t.deprel(n) == DepRel::Obj && t.head(n) == Some(outer);
        object(inner) || (t.deprel(inner) == DepRel::Compound && t.head(inner).is_some_and(object))
    };
    let restates = |inner: &Event, outer: &Event| {
        let (Some(i), Some(o)) = (token(inner), token(outer)) else { return false };
        inner.sentence == outer.sentence
            && match (inner.event_type.as_str(), outer.event_type.as_str()) {
                ("REQUEST", "PROTEST") => governs(o, i),
                ("REJECT", "REJECT") => inner.modality == Modality::Negated && governs(o, i),
                // Ending, easing or halting something is not that thing happening:
                // "halted its mediation" is no CONSULT, "eased sanctions" no SANCTION.
                (_, "SANCTION" | "CONCEDE" | "RETREAT") => {
                    inner.event_type != outer.event_type && acted_on(o, i)
                }
                _ => false,
            }
    };
    let keep: Vec<bool> =
        events.iter().map(|inner| !events.iter().any(|outer| restates(inner, outer))).collect();
    let mut k = keep.iter();
    events.retain(|_| k.next().copied().unwrap_or(true));
}

/// "Germany said Serbia must withdraw": a speaker's statement that another actor must act
/// is a demand from the speaker to that actor (`[constructions] obligation`).
fn demands(
    doc: &Document,
    lexicon: &Lexicon,
    frames: &Frames<'_>,
    sentence_idx: usize,
    events: &mut Vec<Event>,
) {
    let t = &frames.tokens;
    let words = &lexicon.modality.constructions;
    let sentence = &doc.sentences[sentence_idx];
    for verb in sentence.first_token as usize..sentence.end_token as usize {
        let lemma = t.lemma(verb);
        if lexicon.speech.verb(&lemma).is_none() || words.not_demanding.contains(&lemma) {
            continue;
        }
        for clause in t.children(verb).filter(|&c| t.deprel(c) == DepRel::Ccomp) {
            let Some(aux) = t
                .children(clause)
                .find(|&a| t.deprel(a) == DepRel::Aux && words.obligation.contains(&t.lemma(a)))
            else {
                continue;
            };
            let source: Vec<u32> =
                frames.subject(verb).map(|s| frames.actors(doc, s, verb)).unwrap_or_default();
            let target: Vec<u32> = frames
                .children_with(clause, &[DepRel::Nsubj])
                .into_iter()
                .flat_map(|s| frames.actors(doc, s, clause))
                .filter(|a| !source.contains(a))
                .collect();
            if source.is_empty() || target.is_empty() {
                continue;
            }
            events.push(Event {
                event_type: "REQUEST".to_string(),
                mode: None,
                cameo: words.request_cameo.clone(),
                source,
                target,
                modality: Modality::Asserted,
                reported_by: None,
                date: doc.article.published_date().map(|d| d.to_string()),
                location: None,
                trigger: doc.tokens[aux].span,
                sentence: sentence_idx as u32,
            });
        }
    }
}

/// "The most important thing is that you deliver aid to Ukraine", "it is vital that Chile
/// withdraws": a statement of what another actor must do is a demand from the speaker (the
/// quote's, else the subject of the speech verb that reports it) to the subject of the
/// clause (`[constructions] necessity`).
fn necessities(
    doc: &Document,
    lexicon: &Lexicon,
    frames: &Frames<'_>,
    sentence_idx: usize,
    events: &mut Vec<Event>,
) {
    let t = &frames.tokens;
    let words = &lexicon.modality.constructions;
    if words.necessity.is_empty() {
        return;
    }
    let necessary = |tok: usize| words.necessity.contains(&t.lemma(tok));
    let marked_that = |clause: usize| {
        t.children(clause).any(|m| t.deprel(m) == DepRel::Mark && t.lemma(m) == "that")
    };
    let sentence = &doc.sentences[sentence_idx];
    for clause in sentence.first_token as usize..sentence.end_token as usize {
        if !marked_that(clause) {
            continue;
        }
        // "the (most important) thing is that ...": an outer subject that names the
        // necessity; "it is vital that ...": the predicate the clause completes.
        let cue = t
            .children(clause)
            .find(|&c| {
                t.deprel(c) == DepRel::NsubjOuter
                    && (necessary(c)
                        || t.children(c).any(|m| t.deprel(m) == DepRel::Amod && necessary(m)))
            })
            .or_else(|| {
                let head = t.head(clause)?;
                (matches!(t.deprel(clause), DepRel::Ccomp | DepRel::Csubj)
                    && necessary(head)
                    && t.children(head).any(|c| t.deprel(c) == DepRel::Cop))
                .then_some(head)
            });
        let Some(cue) = cue else { continue };
        let Some(subject) = frames.children_with(clause, &[DepRel::Nsubj]).into_iter().next()
        else {
            continue;
        };
        if matches!(t.lemma(subject).as_str(), "I" | "i" | "we" | "it" | "this" | "that") {
            continue;
        }
        let span = doc.tokens[cue].span;
        let quote =
            doc.quotes.iter().find(|q| q.span.start <= span.start && span.end <= q.span.end);
        let source: Vec<u32> = match quote.and_then(|q| q.speaker) {
            Some(speaker) => vec![speaker],
            None => {
                // The subject of the speech verb the statement depends on.
                let mut node = cue;
                let mut found = Vec::new();
                for _ in 0..4 {
                    let Some(head) = t.head(node) else { break };
                    if lexicon.speech.verb(&t.lemma(head)).is_some() {
                        found = frames
                            .subject(head)
                            .map(|s| frames.actors(doc, s, head))
                            .unwrap_or_default();
                        break;
                    }
                    node = head;
                }
                found
            }
        };
        if source.is_empty() {
            continue;
        }
        let target: Vec<u32> = frames
            .actors(doc, subject, clause)
            .into_iter()
            .filter(|a| !source.contains(a))
            .collect();
        events.push(Event {
            event_type: "REQUEST".to_string(),
            mode: None,
            cameo: words.request_cameo.clone(),
            source,
            target,
            modality: Modality::Asserted,
            reported_by: quote.and_then(|q| q.speaker),
            date: doc.article.published_date().map(|d| d.to_string()),
            location: None,
            trigger: span,
            sentence: sentence_idx as u32,
        });
    }
}

/// Whether `node`'s clause is what a speech verb reports ("said (that) they would ...").
fn reported_clause(lexicon: &Lexicon, t: &Tokens<'_>, node: usize) -> bool {
    t.deprel(node) == DepRel::Ccomp
        && t.head(node).is_some_and(|head| lexicon.speech.verb(&t.lemma(head)).is_some())
}

/// The type, mode and CAMEO code of an event: an intended cooperative action ("will
/// visit", "agreed to send aid") is an AGREE whose mode names the action, as CAMEO's
/// "express intent" codes have it.
fn intent(
    lexicon: &Lexicon,
    pattern: &EventPattern,
    modality: Modality,
    cause: Cause,
) -> (String, Option<String>, Option<String>) {
    let words = &lexicon.modality.intent;
    let constructions = &lexicon.modality.constructions;
    let action = Some(pattern.event_type.to_lowercase());
    match cause {
        // "refused to meet": a rejection of the action.
        Cause::Refusal if pattern.event_type != "REJECT" => {
            return ("REJECT".to_string(), action, constructions.refusal_cameo.clone());
        }
        // "will cut aid unless ...": a threat.
        Cause::Ultimatum if words.threat.contains_key(&pattern.event_type) => {
            return ("THREATEN".to_string(), action, constructions.ultimatum_cameo.clone());
        }
        _ => {}
    }
    if modality == Modality::Future
        && let Some(code) = words.threat.get(&pattern.event_type)
    {
        // A conflictual action announced for later is a threat ("will boycott").
        return (
            "THREATEN".to_string(),
            Some(pattern.event_type.to_lowercase()),
            Some(code.clone()),
        );
    }
    if modality != Modality::Future
        || cause == Cause::Scheduled
        || !words.types.contains(&pattern.event_type)
    {
        return (pattern.event_type.clone(), pattern.mode.clone(), pattern.cameo.clone());
    }
    let root = pattern.cameo.as_deref().map(|c| &c[..2.min(c.len())]);
    let cameo =
        root.and_then(|r| words.cameo.get(r)).cloned().or_else(|| words.default_cameo.clone());
    ("AGREE".to_string(), Some(pattern.event_type.to_lowercase()), cameo)
}

/// Whether `token` depends on `ancestor` within its clause (at most `limit` steps).
fn depends_on(tokens: &Tokens<'_>, token: usize, ancestor: usize, limit: usize) -> bool {
    let mut current = Some(token);
    for _ in 0..limit {
        match current {
            Some(c) if c == ancestor => return true,
            Some(c) => current = tokens.head(c),
            None => return false,
        }
    }
    false
}

fn event_date(
    doc: &Document,
    frames: &Frames<'_>,
    trigger: usize,
    sentence_idx: usize,
) -> Option<String> {
    let sentence = doc.sentences[sentence_idx].span;
    let t = &frames.tokens;
    doc.times
        .iter()
        .filter(|x| {
            x.timex_type == TimexType::Date
                && sentence.start <= x.span.start
                && x.span.end <= sentence.end
        })
        .find(|x| {
            let first = t.starting_at(x.span.start as usize);
            let last = t.ending_at(x.span.end as usize);
            // A noun trigger's date may hang on the verb that governs it ("met at their
            // meeting in Florida on November 22").
            let mut anchors = vec![trigger];
            if t.upos(trigger) == Some(Upos::Noun) {
                let mut node = trigger;
                while let Some(head) = t.head(node) {
                    anchors.push(head);
                    if t.upos(head) == Some(Upos::Verb) || anchors.len() > 3 {
                        break;
                    }
                    node = head;
                }
            }
            // "a 2018 push by the allies to stave off his threat": a date on a noun whose
            // infinitive or relative clause holds the trigger dates the trigger too.
            let mut framing = Vec::new();
            let mut node = trigger;
            while let Some(head) = t.head(node) {
                if framing.len() >= 4
                    || !matches!(
                        t.deprel(node),
                        DepRel::Acl | DepRel::Advcl | DepRel::Xcomp | DepRel::Obj
                    )
                {
                    break;
                }
                if t.upos(head) == Some(Upos::Noun) {
                    framing.push(head);
                }
                node = head;
            }
            match (first, last) {
                (Some(a), Some(b)) => (a..=b).any(|tok| {
                    anchors.iter().any(|&anchor| depends_on(t, tok, anchor, 3))
                        || t.head(tok).is_some_and(|h| framing.contains(&h))
                            && matches!(
                                t.deprel(tok),
                                DepRel::Nummod
                                    | DepRel::Compound
                                    | DepRel::Amod
                                    | DepRel::NmodTmod
                                    | DepRel::OblTmod
                            )
                }),
                _ => false,
            }
        })
        .map(|x| x.value.clone())
}

fn event_location(doc: &Document, frames: &Frames<'_>, trigger: usize) -> Option<u32> {
    let t = &frames.tokens;
    let sentence = t.sentence_of(trigger)?;
    // A noun's place may hang on the verb that takes it ("will chair a meeting of the
    // ministers in Brussels").
    let verb = (t.upos(trigger) == Some(Upos::Noun) && t.deprel(trigger) == DepRel::Obj)
        .then(|| t.head(trigger))
        .flatten();
    (sentence.first_token as usize..sentence.end_token as usize)
        .filter(|&tok| {
            frames.owner[tok].is_some_and(|e| doc.entities[e].entity_type == EntityType::Location)
                && (frames.has_case(tok, "in") || frames.has_case(tok, "at"))
                && (depends_on(t, tok, trigger, 4) || verb.is_some_and(|v| t.head(tok) == Some(v)))
        })
        .find_map(|tok| frames.owner[tok].map(|e| e as u32))
}

#[cfg(test)]
mod tests {
    use newsgraph_lexicon::parse_example;
    use newsgraph_model::Article;

    use crate::extract;

    use super::*;

    fn run(text: &str) -> Document {
        let mut article = Article::from_text(text);
        article.published = Some("2024-12-01".to_string());
        extract(article, Lexicon::builtin())
    }

    fn codes(doc: &Document, ids: &[u32]) -> Vec<String> {
        ids.iter()
            .filter_map(|&i| actor_code(&doc.entities[i as usize]).map(str::to_string))
            .collect()
    }

    /// Every example of `events.toml` codes its event; the failures are listed together.
    #[test]
    fn pattern_examples() {
        let lexicon = Lexicon::builtin();
        let mut failures = Vec::new();
        let mut total = 0;
        for pattern in lexicon.events.iter() {
            for example in &pattern.examples {
                let Some(expected) = parse_example(example) else { continue };
                total += 1;
                let doc = run(&expected.sentence);
                let found = doc.events.iter().any(|e| {
                    let source = codes(&doc, &e.source);
                    let target = codes(&doc, &e.target);
                    e.event_type == expected.event_type
                        && expected
                            .source
                            .iter()
                            .all(|c| source.iter().any(|s| s.starts_with(c.as_str())))
                        && expected
                            .target
                            .iter()
                            .all(|c| target.iter().any(|s| s.starts_with(c.as_str())))
                });
                if !found {
                    let got: Vec<String> = doc
                        .events
                        .iter()
                        .map(|e| {
                            format!(
                                "{} {:?}->{:?}",
                                e.event_type,
                                codes(&doc, &e.source),
                                codes(&doc, &e.target)
                            )
                        })
                        .collect();
                    failures.push(format!("line {}: {example}\n    got {got:?}", pattern.line));
                }
            }
        }
        // The parse is statistical: a few examples may fail; the share that pass is the
        // guarantee.
        let passed = total - failures.len();
        assert!(
            passed * 100 >= total * 85,
            "{passed}/{total} examples coded:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn a_speaker_demands_what_another_must_do_unless_agreeing() {
        let doc = run("Chile said Peru must withdraw its troops.");
        let demand = doc.events.iter().find(|e| e.event_type == "REQUEST").unwrap();
        assert_eq!(
            (codes(&doc, &demand.source), codes(&doc, &demand.target)),
            (vec!["CHL".to_string()], vec!["PER".to_string()])
        );
        let doc =
            run("Chilean and Peruvian officials agreed that their countries should cooperate.");
        assert!(doc.events.iter().all(|e| e.event_type != "REQUEST"), "{:?}", doc.events);
    }

    #[test]
    fn halting_or_easing_something_is_not_that_thing_happening() {
        let types = |text: &str| -> Vec<String> {
            run(text).events.iter().map(|e| e.event_type.clone()).collect()
        };
        // The mediation is a compound of the object: still the halt's object, and no
        // CONSULT of its own.
        assert_eq!(
            types("Qatar halted its mediation efforts between Sudan and Chad."),
            ["SANCTION"]
        );
        assert_eq!(types("Canada eased its sanctions on Belarus."), ["CONCEDE"]);
        // Talks held are still talks.
        assert!(types("Qatar held talks with Sudan.").contains(&"CONSULT".to_string()));
    }

    #[test]
    fn the_allies_of_a_country_are_not_that_country() {
        let doc = run("Chile's allies attacked Peru. Chilean troops attacked Peru.");
        let sources: Vec<Vec<String>> = doc
            .events
            .iter()
            .filter(|e| e.event_type == "ASSAULT")
            .map(|e| codes(&doc, &e.source))
            .collect();
        // The troops are Chile's; the allies are not.
        let chile = sources.iter().filter(|s| s.contains(&"CHL".to_string())).count();
        assert_eq!(chile, 1, "{sources:?}");
    }

    #[test]
    fn a_protests_demand_and_a_refused_action_are_counted_once() {
        let types = |text: &str| -> Vec<String> {
            run(text).events.iter().map(|e| e.event_type.clone()).collect()
        };
        assert_eq!(
            types("Chilean students demonstrated against Peru to demand the release of prisoners."),
            ["PROTEST"]
        );
        assert_eq!(types("Chile rejected a Peruvian offer to host a summit."), ["REJECT"]);
        // A demand of its own stays.
        let both =
            types("Chilean students demonstrated in Lima. Chile demanded reforms from Peru.");
        assert!(both.contains(&"PROTEST".to_string()) && both.contains(&"REQUEST".to_string()));
    }

    #[test]
    fn a_past_verb_the_tagger_read_as_a_modifier_still_codes_its_event() {
        // The tagger takes "confiscated" for a modifier of "weapons"; the events stage
        // parses the sentence again with it as the verb.
        let doc =
            run("Chilean police confiscated weapons from Peruvian smugglers, officials said.");
        let seizure = doc.events.iter().find(|e| e.event_type == "COERCE").expect("no COERCE");
        assert_eq!(
            (codes(&doc, &seizure.source), codes(&doc, &seizure.target)),
            (vec!["CHL".to_string()], vec!["PER".to_string()])
        );
        // The repair is the stage's own view: the syntax layer keeps the model's reading.
        let confiscated =
            doc.tokens.iter().position(|t| &doc.text[t.span.range()] == "confiscated");
        assert_eq!(doc.syntax[confiscated.expect("the token")].deprel, DepRel::Amod);
        // A noun that may be the verb itself is no subject of a later participle.
        let doc = run("The Chileans reject proposed Peruvian changes to the treaty.");
        assert!(doc.events.iter().all(|e| e.event_type != "AGREE"), "{:?}", doc.events);
    }

    #[test]
    fn an_object_hung_on_the_speech_verb_is_the_object_of_its_verb() {
        // The parser makes "Peruvians" a second clause of "said".
        let doc = run(
            "Chilean police have deported 40 Peruvians for working without permits, a port official said.",
        );
        let deportation = doc.events.iter().find(|e| e.event_type == "COERCE").expect("no COERCE");
        assert_eq!(codes(&doc, &deportation.target), ["PER"]);
    }

    #[test]
    fn a_verb_conjoined_with_an_object_takes_the_subject_of_the_objects_verb() {
        // The parser conjoins "arresting" with "person", the object of "wounding".
        let doc = run(
            "Chilean soldiers opened fire on Peruvian protesters near Arica on Monday night, wounding one person and arresting 15, residents said.",
        );
        let arrest = doc.events.iter().find(|e| e.event_type == "COERCE").expect("no COERCE");
        assert_eq!(codes(&doc, &arrest.source), ["CHL"]);
    }

    #[test]
    fn a_compound_trigger_matches_a_modifier_the_tagger_read_as_an_adjective() {
        // "hunger" comes out as a modifier with the lemma "hung".
        let doc = run(
            "Peruvian dockers kept up their hunger strike against the Chilean government on Tuesday.",
        );
        let types: Vec<&str> = doc.events.iter().map(|e| e.event_type.as_str()).collect();
        assert!(types.contains(&"PROTEST") && !types.contains(&"ASSAULT"), "{types:?}");
    }

    #[test]
    fn a_crowd_of_people_named_by_their_country_is_that_country() {
        let doc = run("Thousands of Peruvian Kurds demonstrated in Lima against Chile.");
        let protest = doc.events.iter().find(|e| e.event_type == "PROTEST").expect("no PROTEST");
        assert_eq!(codes(&doc, &protest.source), ["PER"]);
        // ... but the ally of a country is not that country.
        let doc = run("Peruvian rebels killed the deputy chief of Chile's closest ally.");
        let attack = doc.events.iter().find(|e| e.event_type == "ASSAULT").expect("no ASSAULT");
        assert!(!codes(&doc, &attack.target).contains(&"CHL".to_string()), "{:?}", attack);
    }

    #[test]
    fn a_means_of_attack_leaves_the_source_unknown() {
        let doc = run("A roadside bomb killed three Chilean soldiers near the border.");
        let attack = doc.events.iter().find(|e| e.event_type == "ASSAULT").expect("no ASSAULT");
        assert!(attack.source.is_empty());
        assert_eq!(codes(&doc, &attack.target), ["CHL"]);
    }

    #[test]
    fn a_trigger_word_inside_a_name_is_no_event() {
        let doc = run("Chile left the Warsaw Pact talks. Chile and Peru signed a pact.");
        let triggers: Vec<&str> = doc.events.iter().map(|e| &doc.text[e.trigger.range()]).collect();
        assert!(!triggers.contains(&"Pact"), "{triggers:?}");
        assert!(triggers.contains(&"pact") || triggers.contains(&"signed"), "{triggers:?}");
    }

    #[test]
    fn a_meeting_someone_chairs_is_a_scheduled_consultation_with_the_group() {
        let doc = run(
            "On Tuesday, the Chilean president will chair a meeting of Peruvian ministers in Cusco.",
        );
        let meeting = doc.events.iter().find(|e| e.event_type == "CONSULT").expect("no CONSULT");
        assert_eq!(
            (codes(&doc, &meeting.source), codes(&doc, &meeting.target)),
            (vec!["CHL".to_string()], vec!["PER".to_string()])
        );
        assert_eq!(meeting.modality, Modality::Future);
        assert_eq!(meeting.date.as_deref(), Some("2024-12-03"));
        let place = meeting.location.map(|l| doc.entities[l as usize].name.as_str());
        assert_eq!(place, Some("Cusco"));
        // A noun's event takes the mood of the verb that takes it.
        let doc = run("Chile refused to hold talks with Peru.");
        assert!(
            doc.events
                .iter()
                .all(|e| e.event_type != "CONSULT" || e.modality != Modality::Asserted),
            "{:?}",
            doc.events
        );
    }

    #[test]
    fn what_a_speaker_calls_necessary_for_another_is_a_demand() {
        let doc =
            run("“The most important thing is that Peru withdraws its troops,” Ilsa Varo said.");
        let demand = doc.events.iter().find(|e| e.event_type == "REQUEST").expect("no REQUEST");
        assert_eq!(doc.entities[demand.source[0] as usize].name, "Ilsa Varo");
        assert_eq!(codes(&doc, &demand.target), ["PER"]);
        let doc = run("Ilsa Varo said it is vital that Peru withdraws its troops.");
        let demand = doc.events.iter().find(|e| e.event_type == "REQUEST").expect("no REQUEST");
        assert_eq!(codes(&doc, &demand.target), ["PER"]);
        // What the speaker's own side must do is no demand on others.
        let doc = run("“The most important thing is that we stay united,” Ilsa Varo said.");
        assert!(doc.events.iter().all(|e| e.event_type != "REQUEST"), "{:?}", doc.events);
    }

    #[test]
    fn an_event_with_no_other_target_hits_the_place_it_happens_in() {
        let doc = run("Chilean jets bombed targets in Cusco on Monday.");
        let attack = doc.events.iter().find(|e| e.event_type == "ASSAULT").expect("no ASSAULT");
        assert_eq!(codes(&doc, &attack.target), ["PER"]);
        // A meeting's place is where it is, not whom it is with.
        let doc = run("Chile and Peru met in Cusco.");
        let meeting = doc.events.iter().find(|e| e.event_type == "CONSULT").expect("no CONSULT");
        assert!(!codes(&doc, &meeting.target).is_empty());
        assert!(meeting.target.iter().all(|&e| doc.entities[e as usize].name != "Cusco"));
    }

    #[test]
    fn a_group_named_without_its_country_belongs_where_it_lives() {
        let source = |text: &str| -> Vec<String> {
            let doc = run(text);
            let e = doc.events.first().unwrap_or_else(|| panic!("no event in {text}"));
            codes(&doc, &e.source)
        };
        assert_eq!(source("Activists from the Fatah movement marched against Chile."), ["FATAH"]);
        assert_eq!(
            source("The Peruvians of northern Chile demanded autonomy from Bolivia."),
            ["CHL"]
        );
        assert_eq!(source("Ethnic Peruvians in Chile protested against Bolivia."), ["CHL"]);
        // People abroad keep their country.
        assert_eq!(source("Peruvians in Chile protested against Bolivia."), ["PER"]);
        // A country inside the agent's modifier.
        assert_eq!(source("Chilean-led forces shelled the Peruvian town on Monday."), ["CHL"]);
    }

    #[test]
    fn an_apposition_names_the_actor() {
        let doc =
            run("Chilean rebels protested against the party's leader, Ilsa Varo, a Peruvian.");
        let protest = doc.events.iter().find(|e| e.event_type == "PROTEST").expect("no PROTEST");
        let target: Vec<&str> =
            protest.target.iter().map(|&e| doc.entities[e as usize].name.as_str()).collect();
        assert_eq!(target, ["Ilsa Varo"]);
    }

    #[test]
    fn a_threat_is_aimed_at_whom_the_threatened_action_hits() {
        // Even the source's own country, which a complement alone does not give ("threatened
        // to withdraw US support", said of a US president).
        let doc =
            run("President Ana Velor of Chile threatened to ban Chilean candidates from the vote.");
        let threat = doc.events.iter().find(|e| e.event_type == "THREATEN").expect("no THREATEN");
        assert_eq!(codes(&doc, &threat.target), ["CHL"]);
    }

    #[test]
    fn a_noun_before_a_name_describes_the_names_bearer() {
        for text in [
            "The rebel Velorian Liberation Front attacked Peru.",
            "The militant group Velorian Liberation Front attacked Peru.",
        ] {
            let doc = run(text);
            let attack = doc.events.iter().find(|e| e.event_type == "ASSAULT").expect(text);
            let names: Vec<&str> =
                attack.source.iter().map(|&s| doc.entities[s as usize].name.as_str()).collect();
            assert_eq!(names, ["Velorian Liberation Front"], "{text}");
        }
        // A side taken is not the actor's country.
        let doc = run("The pro-Chilean militia attacked Peru.");
        let attack = doc.events.iter().find(|e| e.event_type == "ASSAULT").expect("no ASSAULT");
        assert!(codes(&doc, &attack.source).is_empty(), "{:?}", attack.source);
    }

    #[test]
    fn an_actor_in_a_circumstance_is_no_target() {
        let doc = run("Chile declared a ceasefire despite Peru's objections.");
        let truce = doc.events.iter().find(|e| e.event_type == "RETREAT").expect("no RETREAT");
        assert!(truce.target.is_empty(), "{:?}", truce.target);
    }

    #[test]
    fn a_group_belongs_where_what_it_is_part_of_or_flees_is() {
        for text in [
            "Chile criticized the parties to the conflict in Peru.",
            "Chile condemned workers at the mines of Peru.",
            "Chile will send food to refugees fleeing the war in Peru.",
            "Chile will send food to refugees fleeing Peru.",
        ] {
            let doc = run(text);
            let event = doc.events.first().unwrap_or_else(|| panic!("no event in {text}"));
            assert_eq!(codes(&doc, &event.target), ["PER"], "{text}");
        }
    }

    #[test]
    fn a_threat_is_aimed_at_the_actor_its_condition_names() {
        let doc = run("Chile threatened to halt the talks if Peru deploys troops.");
        let threat = doc.events.iter().find(|e| e.event_type == "THREATEN").expect("no THREATEN");
        assert_eq!(codes(&doc, &threat.target), ["PER"]);
    }

    #[test]
    fn modality_and_claimant() {
        let doc = run(
            "If Chile attacks Peru, the region will suffer. Brazil will meet Argentina on Tuesday.",
        );
        let attack = doc.events.iter().find(|e| e.event_type == "ASSAULT").unwrap();
        assert_eq!(attack.modality, Modality::Hypothetical);
        // A meeting announced for later is an intent to meet, as CAMEO codes it.
        let meet = doc.events.iter().find(|e| e.mode.as_deref() == Some("consult")).unwrap();
        assert_eq!((meet.event_type.as_str(), meet.cameo.as_deref()), ("AGREE", Some("036")));
        assert_eq!(meet.modality, Modality::Future);
        assert_eq!(meet.date.as_deref(), Some("2024-12-03"));
        let doc = run("Chile will impose sanctions on Peru.");
        let threat = doc.events.iter().find(|e| e.event_type == "THREATEN").unwrap();
        assert_eq!(threat.mode.as_deref(), Some("sanction"));
        let doc = run("“Chile attacked Peru,” Ilsa Varo said.");
        let attack = doc.events.iter().find(|e| e.event_type == "ASSAULT").unwrap();
        assert_eq!(doc.entities[attack.reported_by.unwrap() as usize].name, "Ilsa Varo");
    }
}

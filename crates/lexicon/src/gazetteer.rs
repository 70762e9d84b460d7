//! The actor gazetteer: every string that names a country, organization, person, region
//! or place, found in a text in one pass (Aho-Corasick, leftmost-longest, whole words).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use crate::{Lexicon, SurfaceKind};

/// What a surface string names: an index into one of the lexicon's tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorRef {
    /// A country (`Lexicon::countries`), with how the string names it.
    Country(u32, SurfaceKind),
    /// An organization, by index in file order.
    Organization(u32),
    /// A person, by index in file order.
    Person(u32),
    /// A region, by index in file order.
    Region(u32),
    /// A state or city: look its name up with `Places::places`.
    Place,
}

/// One match in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit<'g> {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset past the last byte.
    pub end: usize,
    /// Everything the string names, most specific first: people, organizations,
    /// countries, regions, then places.
    pub refs: &'g [ActorRef],
}

/// The compiled matcher.
#[derive(Clone, Debug)]
pub struct Gazetteer {
    matcher: Option<AhoCorasick>,
    refs: Vec<Vec<ActorRef>>,
}

fn rank(actor: &ActorRef) -> u8 {
    match actor {
        ActorRef::Person(_) => 0,
        ActorRef::Organization(_) => 1,
        ActorRef::Country(..) => 2,
        ActorRef::Region(_) => 3,
        ActorRef::Place => 4,
    }
}

impl Gazetteer {
    /// Builds the matcher over every surface string the lexicon knows.
    pub fn build(lexicon: &Lexicon) -> Gazetteer {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut refs: Vec<Vec<ActorRef>> = Vec::new();
        let push = |surface: String, actor: ActorRef| (surface, actor);
        let mut entries: Vec<(String, ActorRef)> = Vec::new();
        for (idx, country) in lexicon.countries.iter().enumerate() {
            for (surface, kind) in country.surfaces() {
                entries.push(push(surface.to_string(), ActorRef::Country(idx as u32, kind)));
            }
        }
        for (idx, org) in lexicon.organizations.iter().enumerate() {
            for surface in org.surfaces() {
                entries.push(push(surface.to_string(), ActorRef::Organization(idx as u32)));
            }
        }
        for (idx, person) in lexicon.people.iter().enumerate() {
            for surface in person.surfaces() {
                entries.push(push(surface.to_string(), ActorRef::Person(idx as u32)));
            }
        }
        for (idx, region) in lexicon.places.regions().iter().enumerate() {
            for surface in std::iter::once(&region.name).chain(&region.names) {
                entries.push(push(surface.clone(), ActorRef::Region(idx as u32)));
            }
        }
        let place_names: Vec<String> = lexicon
            .places
            .surfaces()
            .filter(|s| !lexicon.places.places(s).is_empty())
            .map(str::to_string)
            .collect();
        for name in place_names {
            entries.push((name, ActorRef::Place));
        }
        let owned: Vec<String> = entries.iter().map(|(s, _)| s.clone()).collect();
        for ((_, actor), surface) in entries.iter().zip(&owned) {
            if surface.is_empty() {
                continue;
            }
            let slot = *index.entry(surface.as_str()).or_insert_with(|| {
                patterns.push(surface.as_str());
                refs.push(Vec::new());
                refs.len() - 1
            });
            if !refs[slot].contains(actor) {
                refs[slot].push(*actor);
            }
        }
        for list in &mut refs {
            list.sort_by_key(rank);
        }
        let matcher =
            AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok();
        Gazetteer { matcher, refs }
    }

    /// Every whole-word match in `text`, left to right, longest first where they overlap.
    ///
    /// A match that is not a whole word ("the Sudan" in "the Sudanese") does not hide
    /// the ones that start inside it: the search goes on from its second character.
    pub fn find<'g>(&'g self, text: &str) -> Vec<Hit<'g>> {
        let Some(matcher) = &self.matcher else { return Vec::new() };
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut hits = Vec::new();
        let mut from = 0;
        while let Some(m) = matcher.find(Input::new(text).span(from..text.len())) {
            let (head, tail) = (&text[..m.start()], &text[m.end()..]);
            let found = &text[m.start()..m.end()];
            let before = !word(head.chars().next_back()) || !word(found.chars().next());
            let after = !word(tail.chars().next()) || !word(found.chars().next_back());
            if before && after {
                hits.push(Hit {
                    start: m.start(),
                    end: m.end(),
                    refs: &self.refs[m.pattern().as_usize()],
                });
                from = m.end();
            } else {
                from = m.start() + found.chars().next().map_or(1, char::len_utf8);
            }
        }
        hits
    }

    /// How many distinct surface strings it knows.
    pub fn len(&self) -> usize {
        self.refs.len()
    }

    /// True when it knows none.
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use crate::Lexicon;

    fn found(text: &str) -> Vec<&str> {
        let lexicon = Lexicon::builtin();
        lexicon.gazetteer().find(text).into_iter().map(|hit| &text[hit.start..hit.end]).collect()
    }

    #[test]
    fn whole_words_only_and_a_partial_match_hides_nothing() {
        // "the Sudan" is a name of Sudan, but not inside "the Sudanese".
        assert_eq!(found("Later the Sudanese army left."), ["Sudanese"]);
        assert_eq!(found("Aid reached the Sudan and Kenya."), ["the Sudan", "Kenya"]);
        assert_eq!(found("Kenyans and Kenya"), ["Kenyans", "Kenya"]);
        assert!(found("Francesca").is_empty());
    }
}

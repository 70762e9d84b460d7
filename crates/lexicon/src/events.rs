//! The event pattern dictionary (`events.toml`): trigger words mapped to PLOVER types and
//! modes and CAMEO codes, each with the argument frame that names the source and the
//! target among the trigger's dependents.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Lines, Problem, Result, parse_toml};

/// The PLOVER event types.
pub const PLOVER_TYPES: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// The argument roles a frame may name besides prepositions.
pub const ROLES: &[&str] = &["subj", "obj", "iobj", "poss", "mod", "xsubj"];

/// One pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventPattern {
    /// The trigger's words: the head lemma first, then particles or prepositions.
    pub trigger: Vec<String>,
    /// True for a noun trigger.
    pub noun: bool,
    /// PLOVER type.
    pub event_type: String,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// CAMEO code.
    pub cameo: Option<String>,
    /// Roles tried in order for the source.
    pub source: Vec<String>,
    /// Roles tried in order for the target.
    pub target: Vec<String>,
    /// Object lemmas the pattern requires, if any.
    pub object: Vec<String>,
    /// Whether source and target act alike (meet, cooperate).
    pub symmetric: bool,
    /// `sentence => TYPE SRC -> TGT` examples.
    pub examples: Vec<String>,
    /// Line in its file, for messages.
    pub line: usize,
}

/// Every pattern, indexed by the trigger's head lemma.
#[derive(Clone, Debug, Default)]
pub struct EventPatterns {
    patterns: Vec<EventPattern>,
    by_head: HashMap<String, Vec<usize>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    #[serde(default)]
    pattern: Vec<RawPattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    trigger: Spanned<String>,
    pos: Option<String>,
    #[serde(rename = "type")]
    event_type: String,
    mode: Option<String>,
    cameo: Option<String>,
    #[serde(default)]
    source: Vec<String>,
    #[serde(default)]
    target: Vec<String>,
    #[serde(default)]
    object: Vec<String>,
    #[serde(default)]
    symmetric: bool,
    #[serde(default)]
    examples: Vec<String>,
}

fn valid_role(role: &str) -> bool {
    ROLES.contains(&role) || (!role.is_empty() && role.bytes().all(|b| b.is_ascii_lowercase()))
}

impl EventPatterns {
    /// Parses an `events.toml`. Reports every bad pattern: an unknown type, POS or role,
    /// a CAMEO code that is not 2-4 digits, a pattern listed twice, an example not
    /// written `sentence => TYPE SRC -> TGT`.
    pub fn parse(file: &str, source: &str) -> Result<EventPatterns> {
        let raw: PatternFile = parse_toml(file, source)?;
        let lines = Lines::new(source);
        let mut problems = Vec::new();
        let mut seen: HashMap<(String, bool, Vec<String>), usize> = HashMap::new();
        let mut patterns = Vec::new();
        for entry in raw.pattern {
            let line = lines.line(entry.trigger.span().start);
            let trigger_text = entry.trigger.into_inner();
            let mut problem =
                |message: String| problems.push(Problem { line: Some(line), message });
            let trigger: Vec<String> =
                trigger_text.split_whitespace().map(str::to_string).collect();
            if trigger.is_empty() {
                problem("the trigger is empty".to_string());
                continue;
            }
            let noun = match entry.pos.as_deref() {
                None | Some("VERB") => false,
                Some("NOUN") => true,
                Some(other) => {
                    problem(format!("{trigger_text:?}: pos {other:?} is not VERB or NOUN"));
                    false
                }
            };
            if !PLOVER_TYPES.contains(&entry.event_type.as_str()) {
                problem(format!("{trigger_text:?}: {:?} is not a PLOVER type", entry.event_type));
            }
            if let Some(cameo) = &entry.cameo
                && !(2..=4).contains(&cameo.len()) | !cameo.bytes().all(|b| b.is_ascii_digit())
            {
                problem(format!("{trigger_text:?}: CAMEO code {cameo:?} is not 2-4 digits"));
            }
            for role in entry.source.iter().chain(&entry.target) {
                if !valid_role(role) {
                    problem(format!("{trigger_text:?}: unknown role {role:?}"));
                }
            }
            let mut object = entry.object.clone();
            object.sort();
            if let Some(first) = seen.insert((trigger_text.clone(), noun, object), line) {
                problem(format!(
                    "{trigger_text:?} is listed twice with the same object (first at line {first})"
                ));
            }
            for example in &entry.examples {
                match parse_example(example) {
                    Some(parsed) if parsed.event_type == entry.event_type => {}
                    Some(parsed) => problem(format!(
                        "{trigger_text:?}: example {example:?} has type {}, not {}",
                        parsed.event_type, entry.event_type
                    )),
                    None => problem(format!(
                        "{trigger_text:?}: example {example:?} is not written `sentence => TYPE SRC -> TGT`"
                    )),
                }
            }
            patterns.push(EventPattern {
                trigger,
                noun,
                event_type: entry.event_type,
                mode: entry.mode,
                cameo: entry.cameo,
                source: entry.source,
                target: entry.target,
                object: entry.object,
                symmetric: entry.symmetric,
                examples: entry.examples,
                line,
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { file: file.to_string(), problems });
        }
        let mut result = EventPatterns::default();
        result.extend(EventPatterns { patterns, by_head: HashMap::new() });
        Ok(result)
    }

    /// Adds `other`'s patterns after these.
    pub fn extend(&mut self, other: EventPatterns) {
        for pattern in other.patterns {
            self.by_head.entry(pattern.trigger[0].clone()).or_default().push(self.patterns.len());
            self.patterns.push(pattern);
        }
    }

    /// The patterns whose trigger starts with this lemma, in file order.
    pub fn for_head(&self, lemma: &str) -> impl Iterator<Item = &EventPattern> {
        self.by_head.get(lemma).into_iter().flatten().map(|&idx| &self.patterns[idx])
    }

    /// Every pattern, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &EventPattern> {
        self.patterns.iter()
    }

    /// How many patterns there are.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// A parsed `sentence => TYPE SRC -> TGT` example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventExample {
    /// The sentence.
    pub sentence: String,
    /// The expected PLOVER type.
    pub event_type: String,
    /// Expected source codes (several joined by `+` or `,`).
    pub source: Vec<String>,
    /// Expected target codes; empty for `-`.
    pub target: Vec<String>,
}

/// Parses an example line.
pub fn parse_example(example: &str) -> Option<EventExample> {
    let (sentence, expected) = example.rsplit_once("=>")?;
    let mut words = expected.split_whitespace();
    let event_type = words.next()?.to_string();
    let rest: Vec<&str> = words.collect();
    let rest = rest.join(" ");
    let (source, target) = rest.split_once("->")?;
    let codes = |s: &str| -> Vec<String> {
        s.split(['+', ',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty() && *c != "-")
            .map(str::to_string)
            .collect()
    };
    let source = codes(source);
    if source.is_empty() || sentence.trim().is_empty() {
        return None;
    }
    Some(EventExample {
        sentence: sentence.trim().to_string(),
        event_type,
        source,
        target: codes(target),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_and_are_checked() {
        let good = r#"
[[pattern]]
trigger = "supply"
type = "AID"
mode = "military"
cameo = "070"
source = ["subj"]
target = ["to", "iobj"]
examples = ["Russia supplied drones to Iran. => AID RUS -> IRN"]
"#;
        let patterns = EventPatterns::parse("events.toml", good).unwrap();
        let found: Vec<_> = patterns.for_head("supply").collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].target, ["to", "iobj"]);
        let example = parse_example(&found[0].examples[0]).unwrap();
        assert_eq!(
            (example.source, example.target),
            (vec!["RUS".to_string()], vec!["IRN".to_string()])
        );
        let bad = r#"
[[pattern]]
trigger = "supply"
type = "GIVE"
cameo = "7x"
source = ["Subject"]
examples = ["no arrow"]
"#;
        let err = EventPatterns::parse("events.toml", bad).unwrap_err().to_string();
        for needle in [
            "events.toml:3:",
            "not a PLOVER type",
            "not 2-4 digits",
            "unknown role",
            "is not written",
        ] {
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }
}

/// The words that say whether an event happened (`modality.toml`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModalityWords {
    /// Markers on the trigger's clause.
    #[serde(default)]
    pub markers: ModalityMarkers,
    /// Words whose complement has not happened, will happen, or did not happen.
    #[serde(default)]
    pub governors: ModalityGovernors,
    /// How intended cooperative events are coded.
    #[serde(default)]
    pub intent: Intent,
    /// Constructions that are events of their own type.
    #[serde(default)]
    pub constructions: Constructions,
}

/// `[constructions]` of `modality.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constructions {
    /// Auxiliaries of obligation: "Y must act" said by X is a demand.
    #[serde(default)]
    pub obligation: Vec<String>,
    /// CAMEO code of such a demand.
    #[serde(default)]
    pub request_cameo: Option<String>,
    /// Speech verbs whose "Y must act" is no demand of the speaker's ("agreed that their
    /// countries should cooperate", "admitted that it should have acted").
    #[serde(default)]
    pub not_demanding: Vec<String>,
    /// CAMEO code of a refused action.
    #[serde(default)]
    pub refusal_cameo: Option<String>,
    /// Subordinators that make an action an ultimatum ("unless").
    #[serde(default)]
    pub ultimatum: Vec<String>,
    /// CAMEO code of an ultimatum.
    #[serde(default)]
    pub ultimatum_cameo: Option<String>,
    /// Light verbs whose subject undergoes the noun's event ("faces a threat from X").
    #[serde(default)]
    pub undergoer: Vec<String>,
    /// Nouns for actors other than the one that modifies them ("America's adversaries",
    /// "Russian allies" are not America or Russia).
    #[serde(default)]
    pub others: Vec<String>,
    /// Prefixes that turn a country's demonym or name into a side taken ("pro-Iranian",
    /// "anti-Syrian", written with a hyphen): the country is not the actor's.
    #[serde(default)]
    pub stance_prefixes: Vec<String>,
    /// Prepositions of circumstance ("despite", "amid"): an actor in such a phrase is not
    /// what the event acts on ("agreed despite Velor's objections").
    #[serde(default)]
    pub circumstances: Vec<String>,
    /// Nouns for the means of an attack ("a roadside bomb killed ..."): as a subject
    /// they leave the event without a known source.
    #[serde(default)]
    pub means: Vec<String>,
    /// Phrases set off by commas inside a clause ("the US and Germany, in particular,
    /// have ruled it out"), lower case: the events stage parses such a sentence again
    /// without them.
    #[serde(default)]
    pub parentheticals: Vec<String>,
    /// Words that state what must happen ("the most important thing is that Y acts", "it
    /// is vital that Y acts"): said of another actor, a demand of the speaker's.
    #[serde(default)]
    pub necessity: Vec<String>,
}

/// `[intent]` of `modality.toml`: intended cooperative events are AGREE.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// The PLOVER types an intent recodes.
    #[serde(default)]
    pub types: Vec<String>,
    /// CAMEO root of the action -> CAMEO code of the intent.
    #[serde(default)]
    pub cameo: HashMap<String, String>,
    /// The intent code for other roots.
    #[serde(default)]
    pub default_cameo: Option<String>,
    /// Conflictual types an announced future action recodes as THREATEN, with the CAMEO
    /// code of the threat.
    #[serde(default)]
    pub threat: HashMap<String, String>,
}

/// `[markers]` of `modality.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModalityMarkers {
    /// Subordinators of conditions ("if").
    #[serde(default)]
    pub conditional: Vec<String>,
    /// Auxiliaries of possibility ("might").
    #[serde(default)]
    pub possible: Vec<String>,
    /// Auxiliaries of the future ("will").
    #[serde(default)]
    pub future: Vec<String>,
    /// Negations ("not").
    #[serde(default)]
    pub negation: Vec<String>,
}

/// `[governors]` of `modality.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModalityGovernors {
    /// "threatened to", "fears that".
    #[serde(default)]
    pub hypothetical: Vec<String>,
    /// "refused to".
    #[serde(default)]
    pub negated: Vec<String>,
    /// "plans to".
    #[serde(default)]
    pub future: Vec<String>,
}

impl ModalityWords {
    /// Parses a `modality.toml`.
    pub fn parse(file: &str, source: &str) -> Result<ModalityWords> {
        parse_toml(file, source)
    }

    /// Adds `other`'s words.
    pub fn extend(&mut self, other: ModalityWords) {
        let (m, g) = (other.markers, other.governors);
        self.markers.conditional.extend(m.conditional);
        self.markers.possible.extend(m.possible);
        self.markers.future.extend(m.future);
        self.markers.negation.extend(m.negation);
        self.governors.hypothetical.extend(g.hypothetical);
        self.governors.negated.extend(g.negated);
        self.governors.future.extend(g.future);
        self.intent.types.extend(other.intent.types);
        self.intent.cameo.extend(other.intent.cameo);
        self.intent.threat.extend(other.intent.threat);
        let c = other.constructions;
        self.constructions.obligation.extend(c.obligation);
        self.constructions.not_demanding.extend(c.not_demanding);
        self.constructions.ultimatum.extend(c.ultimatum);
        self.constructions.undergoer.extend(c.undergoer);
        self.constructions.others.extend(c.others);
        self.constructions.stance_prefixes.extend(c.stance_prefixes);
        self.constructions.circumstances.extend(c.circumstances);
        self.constructions.means.extend(c.means);
        self.constructions.parentheticals.extend(c.parentheticals);
        self.constructions.necessity.extend(c.necessity);
        if c.request_cameo.is_some() {
            self.constructions.request_cameo = c.request_cameo;
        }
        if c.refusal_cameo.is_some() {
            self.constructions.refusal_cameo = c.refusal_cameo;
        }
        if c.ultimatum_cameo.is_some() {
            self.constructions.ultimatum_cameo = c.ultimatum_cameo;
        }
        if other.intent.default_cameo.is_some() {
            self.intent.default_cameo = other.intent.default_cameo;
        }
    }
}

/// Irregular verb forms (`verb_forms.toml`): "sank" -> "sink".
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerbForms {
    /// Form -> lemma.
    #[serde(default)]
    pub irregular: HashMap<String, String>,
}

impl VerbForms {
    /// Parses a `verb_forms.toml`.
    pub fn parse(file: &str, source: &str) -> Result<VerbForms> {
        parse_toml(file, source)
    }

    /// Adds `other`'s forms.
    pub fn extend(&mut self, other: VerbForms) {
        self.irregular.extend(other.irregular);
    }
}

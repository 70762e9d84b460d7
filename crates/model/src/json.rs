//! The `newsgraph.document/1` JSON contract: what `newsgraph extract --format json`
//! writes and what scorers and other tools read.
//!
//! These types are a compatibility promise: fields may be added, none may change
//! meaning. Offsets here are **character** offsets (Unicode scalar values) into
//! [`DocumentJson::text`], end exclusive. [`Document::to_json`] is the one conversion
//! from the engine's byte offsets.

use serde::{Deserialize, Serialize};

use crate::offsets::CharOffsets;
use crate::{Document, Span};

/// The value of [`DocumentJson::schema`].
pub const SCHEMA: &str = "newsgraph.document/1";

/// One extracted article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentJson {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Stable id: the source's own, else a content hash.
    pub id: String,
    /// Source address.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publishing outlet.
    pub outlet: Option<String>,
    /// Byline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication date or date-time, ISO 8601.
    pub published: Option<String>,
    /// Language of the text (ISO 639-1).
    pub language: Option<String>,
    /// The clean text; every offset indexes it.
    pub text: String,
    /// Lines removed from the text as boilerplate.
    #[serde(default)]
    pub removed: Vec<RemovalJson>,
    /// Sentence spans.
    #[serde(default)]
    pub sentences: Vec<SpanJson>,
    /// Actors with their mentions.
    pub entities: Vec<EntityJson>,
    /// Quotations with speakers.
    pub quotes: Vec<QuoteJson>,
    /// Coded events.
    pub events: Vec<EventJson>,
    /// Normalized time expressions.
    pub times: Vec<TimexJson>,
    /// What the stages noticed in odd text (unbalanced quote marks, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<DiagnosticJson>,
}

/// A removed boilerplate line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovalJson {
    /// The line.
    pub text: String,
    /// Why it was removed (`promo`, `share`, `credit`, ...).
    pub reason: String,
    /// The rule that removed it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule: String,
}

/// A character span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanJson {
    /// First char, inclusive.
    pub start: u32,
    /// Last char, exclusive.
    pub end: u32,
}

/// A character span with the text it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpanJson {
    /// First char, inclusive.
    pub start: u32,
    /// Last char, exclusive.
    pub end: u32,
    /// The covered text.
    pub text: String,
}

/// A time-bounded role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleJson {
    /// "Secretary General".
    pub title: String,
    /// Actor code of what the role is of.
    pub of: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`; null while it lasts.
    pub to: Option<String>,
}

/// One mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionJson {
    /// First char.
    pub start: u32,
    /// End char, exclusive.
    pub end: u32,
    /// Covered text.
    pub text: String,
    /// name, nominal, pronoun, demonym or metonym.
    pub kind: String,
}

/// An actor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityJson {
    /// "E1", "E2", ... in order of first mention.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// PERSON, ORG, IGO, ARMED_GROUP, MEDIA, COUNTRY, LOCATION, AGENT, ...
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Own actor code.
    pub code: Option<String>,
    /// Country it belongs to (ISO3 or IGO).
    pub country: Option<String>,
    /// CAMEO-style sector.
    pub sector: Option<String>,
    /// Roles with dates.
    #[serde(default)]
    pub roles: Vec<RoleJson>,
    /// Every mention.
    pub mentions: Vec<MentionJson>,
}

/// A quotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteJson {
    /// "Q1", ...
    pub id: String,
    /// First char of the quoted content.
    pub start: u32,
    /// End char.
    pub end: u32,
    /// The quoted content.
    pub text: String,
    /// direct, partial or indirect.
    pub kind: String,
    /// Entity id of the speaker.
    pub speaker: Option<String>,
    /// Entity id of the addressee.
    pub addressee: Option<String>,
    /// The cue ("he said").
    pub cue: Option<TextSpanJson>,
}

/// A coded event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventJson {
    /// "V1", ...
    pub id: String,
    /// PLOVER type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// CAMEO code.
    pub cameo: Option<String>,
    /// Entity ids of the sources.
    pub source: Vec<String>,
    /// Entity ids of the targets.
    pub target: Vec<String>,
    /// asserted, hypothetical, negated or future.
    pub modality: String,
    /// Entity id of who claims it.
    pub reported_by: Option<String>,
    /// TIMEX3 value of when.
    pub date: Option<String>,
    /// Entity id of where.
    pub location: Option<String>,
    /// The trigger.
    pub trigger: TextSpanJson,
    /// Its sentence.
    pub sentence: SpanJson,
}

/// A time expression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimexJson {
    /// First char.
    pub start: u32,
    /// End char.
    pub end: u32,
    /// Covered text.
    pub text: String,
    /// DATE, TIME, DURATION or SET.
    #[serde(rename = "type")]
    pub timex_type: String,
    /// TIMEX3 value.
    pub value: String,
}

/// A stage's diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticJson {
    /// The stage.
    pub stage: String,
    /// Where, when it has a place.
    pub span: Option<SpanJson>,
    /// What.
    pub message: String,
}

fn entity_id(index: u32) -> String {
    format!("E{}", index + 1)
}

impl Document {
    /// The document in the JSON contract, with character offsets.
    pub fn to_json(&self) -> DocumentJson {
        let offsets = CharOffsets::new(&self.text);
        let span =
            |s: Span| SpanJson { start: offsets.to_char(s.start), end: offsets.to_char(s.end) };
        let text_span = |s: Span| TextSpanJson {
            start: offsets.to_char(s.start),
            end: offsets.to_char(s.end),
            text: self.slice(s).to_string(),
        };
        let entities = self
            .entities
            .iter()
            .enumerate()
            .map(|(idx, entity)| EntityJson {
                id: entity_id(idx as u32),
                name: entity.name.clone(),
                entity_type: entity.entity_type.as_str().to_string(),
                code: entity.code.clone(),
                country: entity.country.clone(),
                sector: entity.sector.clone(),
                roles: entity
                    .roles
                    .iter()
                    .map(|role| RoleJson {
                        title: role.title.clone(),
                        of: role.of.clone(),
                        from: role.from.map(|d| d.to_string()),
                        to: role.to.map(|d| d.to_string()),
                    })
                    .collect(),
                mentions: entity
                    .mentions
                    .iter()
                    .map(|mention| {
                        let ts = text_span(mention.span);
                        MentionJson {
                            start: ts.start,
                            end: ts.end,
                            text: ts.text,
                            kind: mention.kind.as_str().to_string(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let quotes = self
            .quotes
            .iter()
            .enumerate()
            .map(|(idx, quote)| {
                let ts = text_span(quote.span);
                QuoteJson {
                    id: format!("Q{}", idx + 1),
                    start: ts.start,
                    end: ts.end,
                    text: ts.text,
                    kind: quote.kind.as_str().to_string(),
                    speaker: quote.speaker.map(entity_id),
                    addressee: quote.addressee.map(entity_id),
                    cue: quote.cue.map(text_span),
                }
            })
            .collect();
        let events = self
            .events
            .iter()
            .enumerate()
            .map(|(idx, event)| EventJson {
                id: format!("V{}", idx + 1),
                event_type: event.event_type.clone(),
                mode: event.mode.clone(),
                cameo: event.cameo.clone(),
                source: event.source.iter().copied().map(entity_id).collect(),
                target: event.target.iter().copied().map(entity_id).collect(),
                modality: event.modality.as_str().to_string(),
                reported_by: event.reported_by.map(entity_id),
                date: event.date.clone(),
                location: event.location.map(entity_id),
                trigger: text_span(event.trigger),
                sentence: self
                    .sentences
                    .get(event.sentence as usize)
                    .map_or(SpanJson { start: 0, end: 0 }, |s| span(s.span)),
            })
            .collect();
        let times = self
            .times
            .iter()
            .map(|timex| {
                let ts = text_span(timex.span);
                TimexJson {
                    start: ts.start,
                    end: ts.end,
                    text: ts.text,
                    timex_type: timex.timex_type.as_str().to_string(),
                    value: timex.value.clone(),
                }
            })
            .collect();
        DocumentJson {
            schema: SCHEMA.to_string(),
            id: self.article.id.clone(),
            url: self.article.url.clone(),
            title: self.article.title.clone(),
            outlet: self.article.outlet.clone(),
            author: self.article.author.clone(),
            published: self.article.published.clone(),
            language: Some("en".to_string()),
            text: self.text.clone(),
            removed: self
                .removed
                .iter()
                .map(|r| RemovalJson {
                    text: r.text.clone(),
                    reason: r.reason.clone(),
                    rule: r.rule.clone(),
                })
                .collect(),
            sentences: self.sentences.iter().map(|s| span(s.span)).collect(),
            entities,
            quotes,
            events,
            times,
            diagnostics: self
                .diagnostics
                .iter()
                .map(|d| DiagnosticJson {
                    stage: d.stage.to_string(),
                    span: d.span.map(span),
                    message: d.message.clone(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Article, Mention, MentionKind, Sentence};

    #[test]
    fn json_uses_char_offsets() {
        let mut doc = Document::new(Article::from_text("“Kyiv” said Zelenskyy’s aide."));
        let start = doc.text.find("Zelenskyy").unwrap();
        doc.entities.push(crate::Entity {
            name: "Volodymyr Zelenskyy".into(),
            entity_type: crate::EntityType::Person,
            code: None,
            country: Some("UKR".into()),
            sector: Some("GOV".into()),
            roles: vec![],
            mentions: vec![Mention {
                span: Span::from_range(start..start + 9),
                kind: MentionKind::Name,
            }],
        });
        doc.sentences.push(Sentence {
            span: Span::new(0, doc.text.len() as u32),
            first_token: 0,
            end_token: 0,
        });
        let json = doc.to_json();
        let mention = &json.entities[0].mentions[0];
        let chars: Vec<char> = json.text.chars().collect();
        let covered: String = chars[mention.start as usize..mention.end as usize].iter().collect();
        assert_eq!(covered, "Zelenskyy");
        assert_eq!(mention.text, "Zelenskyy");
        assert_eq!(json.sentences[0].end as usize, chars.len());
        let round_trip: DocumentJson =
            serde_json::from_str(&serde_json::to_string(&json).unwrap()).unwrap();
        assert_eq!(round_trip, json);
    }
}

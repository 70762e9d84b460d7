//! Snapshot tests of the pipeline on the texts in `tests/texts/`: one snapshot per text:
//! the removed lines, one sentence per line with its tokens separated by `|`, the time
//! expressions, the entities with their mentions, the quotes with their speakers and the
//! events, for an article published on 2025-03-03.

use newsgraph_extract::{Article, Lexicon, extract};

#[test]
fn pipeline_snapshots() {
    insta::glob!("texts/*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let mut article = Article::from_text(text);
        article.published = Some("2025-03-03".to_string());
        let doc = extract(article, Lexicon::builtin());
        let mut lines = Vec::new();
        for removal in &doc.removed {
            lines.push(format!("removed [{}/{}] {}", removal.reason, removal.rule, removal.text));
        }
        for sentence in &doc.sentences {
            let tokens: Vec<&str> =
                doc.sentence_tokens(sentence).iter().map(|t| doc.slice(t.span)).collect();
            lines.push(format!("sentence {}", tokens.join("|")));
        }
        for timex in &doc.times {
            lines.push(format!(
                "time {} {} = {}",
                timex.timex_type.as_str(),
                doc.slice(timex.span),
                timex.value
            ));
        }
        let name = |idx: u32| doc.entities[idx as usize].name.as_str();
        for entity in &doc.entities {
            let mentions: Vec<String> = entity
                .mentions
                .iter()
                .map(|m| format!("{}/{}", doc.slice(m.span), m.kind.as_str()))
                .collect();
            let roles: Vec<String> = entity
                .roles
                .iter()
                .map(|r| format!("{} of {}", r.title, r.of.as_deref().unwrap_or("-")))
                .collect();
            lines.push(format!(
                "entity {} {:?} code={} country={} sector={} roles=[{}] mentions=[{}]",
                entity.entity_type.as_str(),
                entity.name,
                entity.code.as_deref().unwrap_or("-"),
                entity.country.as_deref().unwrap_or("-"),
                entity.sector.as_deref().unwrap_or("-"),
                roles.join("; "),
                mentions.join(", ")
            ));
        }
        for quote in &doc.quotes {
            lines.push(format!(
                "quote {} speaker={} addressee={} cue={:?} {:?}",
                quote.kind.as_str(),
                quote.speaker.map_or("-", name),
                quote.addressee.map_or("-", name),
                quote.cue.map_or("", |c| doc.slice(c)),
                doc.slice(quote.span)
            ));
        }
        for event in &doc.events {
            let names = |ids: &[u32]| ids.iter().map(|&i| name(i)).collect::<Vec<_>>().join("+");
            lines.push(format!(
                "event {} cameo={} {} -> {} modality={} reported_by={} date={} place={} trigger={:?}",
                event.event_type,
                event.cameo.as_deref().unwrap_or("-"),
                names(&event.source),
                names(&event.target),
                event.modality.as_str(),
                event.reported_by.map_or("-", name),
                event.date.as_deref().unwrap_or("-"),
                event.location.map_or("-", name),
                doc.slice(event.trigger)
            ));
        }
        insta::assert_snapshot!(lines.join("\n"));
    });
}

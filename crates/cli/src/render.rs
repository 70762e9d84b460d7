//! The readable summary of `--format text`: what a person wants to see first.

use std::fmt::Write;

use newsgraph_model::Document;

/// How many characters of a long text the summary shows.
const SNIPPET_CHARS: usize = 100;

/// Renders one document for a person: metadata, removed lines, then actors, quotes,
/// events and times, one per line.
pub fn summary(doc: &Document) -> String {
    let mut out = String::new();
    let article = &doc.article;
    let title = article.title.as_deref().unwrap_or("(no title)");
    // Writing into a String cannot fail.
    let _ = writeln!(out, "# {title}");
    let mut facts = vec![format!("id {}", article.id)];
    if let Some(published) = &article.published {
        facts.push(format!("published {published}"));
    }
    if let Some(outlet) = &article.outlet {
        facts.push(format!("outlet {outlet}"));
    }
    if let Some(author) = &article.author {
        facts.push(format!("by {author}"));
    }
    if let Some(url) = &article.url {
        facts.push(url.clone());
    }
    let n_words = doc.tokens.iter().filter(|t| t.kind != newsgraph_model::TokenKind::Punct).count();
    facts.push(format!("{} sentences, {n_words} words", doc.sentences.len()));
    let _ = writeln!(out, "{}", facts.join(" · "));

    section(
        &mut out,
        "Removed",
        doc.removed.iter().map(|r| format!("[{}] {}", r.reason, snippet(&r.text))),
    );
    section(
        &mut out,
        "Actors",
        doc.entities.iter().map(|e| {
            let code = e.code.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
            format!("{} ({}{code}), {} mentions", e.name, e.entity_type.as_str(), e.mentions.len())
        }),
    );
    let name = |idx: Option<u32>| {
        idx.and_then(|i| doc.entities.get(i as usize))
            .map_or_else(|| "unknown".to_string(), |e| e.name.clone())
    };
    section(
        &mut out,
        "Quotes",
        doc.quotes.iter().map(|q| {
            format!("{}: “{}” ({})", name(q.speaker), snippet(doc.slice(q.span)), q.kind.as_str())
        }),
    );
    section(
        &mut out,
        "Events",
        doc.events.iter().map(|e| {
            let names =
                |ids: &[u32]| ids.iter().map(|&i| name(Some(i))).collect::<Vec<_>>().join(", ");
            let date = e.date.as_deref().map(|d| format!(" on {d}")).unwrap_or_default();
            format!(
                "{} {} -> {} [{}]{date} “{}”",
                e.event_type,
                names(&e.source),
                names(&e.target),
                e.modality.as_str(),
                doc.slice(e.trigger)
            )
        }),
    );
    section(
        &mut out,
        "Times",
        doc.times
            .iter()
            .map(|t| format!("{} = {} ({})", doc.slice(t.span), t.value, t.timex_type.as_str())),
    );
    section(
        &mut out,
        "Notes",
        doc.diagnostics.iter().map(|d| format!("{}: {}", d.stage, d.message)),
    );
    out
}

fn section(out: &mut String, heading: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        let _ = writeln!(out, "{heading}: none");
        return;
    }
    let _ = writeln!(out, "{heading} ({}):", lines.len());
    for line in lines {
        let _ = writeln!(out, "  {line}");
    }
}

fn snippet(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SNIPPET_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(SNIPPET_CHARS - 1).collect();
    format!("{cut}…")
}

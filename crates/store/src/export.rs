//! Exports for other tools: the network as GraphML and GEXF (for Gephi, Cytoscape,
//! NetworkX, igraph), and events as GDELT-style tab-separated rows.
//!
//! # GraphML and GEXF
//!
//! One node per actor (id `a` + the store's actor id in GraphML, the actor id in GEXF)
//! with its name, type, code, country, sector and number of mentions; one directed edge
//! per source actor, target actor and PLOVER event type, with the number of events as
//! its weight, how many of them are asserted, and the first and last day.
//!
//! # GDELT-style TSV
//!
//! A header line, then one row per event and pair of source and target actors (an event
//! with two sources and one target gives two rows; a missing side stays empty). The
//! columns carry the names of the GDELT 2.0 event table where one fits, in its order,
//! then ours:
//!
//! | column | ours |
//! | --- | --- |
//! | `GLOBALEVENTID` | `ARTICLE/V1`: the article key and the event's id in it (a string, not GDELT's integer) |
//! | `SQLDATE` | the event's day as `YYYYMMDD` (its date, else the article's publication day) |
//! | `MonthYear`, `Year` | `YYYYMM`, `YYYY` of that day |
//! | `Actor1Code` | the source actor's code, else its country and sector run together (`VLRGOV`) |
//! | `Actor1Name` | its canonical name |
//! | `Actor1CountryCode` | its country (ISO 3166-1 alpha-3, or `IGO`) |
//! | `Actor1Type1Code` | its sector (GOV, MIL, REB, ...) |
//! | `Actor2Code` ... `Actor2Type1Code` | the same for the target actor |
//! | `IsRootEvent` | 1 when the event is in the article's first sentence, else 0 |
//! | `EventCode` | the CAMEO code |
//! | `EventBaseCode`, `EventRootCode` | its first three and first two digits |
//! | `QuadClass` | 1 verbal cooperation (CAMEO roots 01-05), 2 material cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20) |
//! | `NumMentions`, `NumSources`, `NumArticles` | 1: each row is one mention in one article |
//! | `ActionGeo_FullName` | the name of the event's location |
//! | `SOURCEURL` | the article's URL |
//! | `PloverType`, `PloverMode` | the PLOVER event type and mode |
//! | `Modality` | asserted, hypothetical, negated or future |
//! | `ReportedBy` | the name of who claims it |
//! | `Trigger` | the trigger words |
//! | `Sentence` | the sentence the event is in |
//!
//! GDELT's Goldstein scale, tone, geographic coordinates and actor religion, ethnicity
//! and known-group codes have no column: we do not compute them. Tabs and line breaks
//! inside a value become spaces.

use std::io::Write;

use crate::{ActorRef, EventRow, Network, Result};

/// The columns of [`write_gdelt`], in order.
pub const GDELT_COLUMNS: &[&str] = &[
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1Type1Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2Type1Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "ActionGeo_FullName",
    "SOURCEURL",
    "PloverType",
    "PloverMode",
    "Modality",
    "ReportedBy",
    "Trigger",
    "Sentence",
];

/// Escapes text for an XML attribute or element.
fn xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // XML 1.0 cannot hold most control characters, even escaped.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Writes the network as GraphML.
pub fn write_graphml(network: &Network, out: &mut dyn Write) -> Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, target, kind) in [
        ("name", "node", "string"),
        ("type", "node", "string"),
        ("code", "node", "string"),
        ("country", "node", "string"),
        ("sector", "node", "string"),
        ("mentions", "node", "long"),
        ("event_type", "edge", "string"),
        ("weight", "edge", "double"),
        ("asserted", "edge", "long"),
        ("first_day", "edge", "string"),
        ("last_day", "edge", "string"),
    ] {
        writeln!(out, r#"  <key id="{id}" for="{target}" attr.name="{id}" attr.type="{kind}"/>"#)?;
    }
    writeln!(out, r#"  <graph id="newsgraph" edgedefault="directed">"#)?;
    for node in &network.nodes {
        let actor = &node.actor;
        writeln!(out, r#"    <node id="a{}">"#, actor.id)?;
        let fields = [
            ("name", Some(actor.name.as_str())),
            ("type", Some(actor.actor_type.as_str())),
            ("code", actor.code.as_deref()),
            ("country", actor.country.as_deref()),
            ("sector", actor.sector.as_deref()),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                writeln!(out, r#"      <data key="{key}">{}</data>"#, xml(value))?;
            }
        }
        writeln!(out, r#"      <data key="mentions">{}</data>"#, node.n_mentions)?;
        writeln!(out, "    </node>")?;
    }
    for (i, edge) in network.edges.iter().enumerate() {
        writeln!(
            out,
            r#"    <edge id="e{i}" source="a{}" target="a{}">"#,
            edge.source, edge.target
        )?;
        writeln!(out, r#"      <data key="event_type">{}</data>"#, xml(&edge.event_type))?;
        writeln!(out, r#"      <data key="weight">{}</data>"#, edge.weight)?;
        writeln!(out, r#"      <data key="asserted">{}</data>"#, edge.asserted)?;
        for (key, value) in [("first_day", &edge.first_day), ("last_day", &edge.last_day)] {
            if let Some(value) = value {
                writeln!(out, r#"      <data key="{key}">{}</data>"#, xml(value))?;
            }
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok(())
}

/// Writes the network as GEXF 1.3.
pub fn write_gexf(network: &Network, out: &mut dyn Write) -> Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<gexf xmlns="http://gexf.net/1.3" version="1.3">"#)?;
    writeln!(out, "  <meta>")?;
    writeln!(out, "    <creator>newsgraph</creator>")?;
    writeln!(out, "    <description>events between actors</description>")?;
    writeln!(out, "  </meta>")?;
    writeln!(out, r#"  <graph defaultedgetype="directed" mode="static">"#)?;
    writeln!(out, r#"    <attributes class="node">"#)?;
    for (i, (title, kind)) in
        [("type", "string"), ("code", "string"), ("country", "string"), ("sector", "string")]
            .into_iter()
            .chain([("mentions", "long")])
            .enumerate()
    {
        writeln!(out, r#"      <attribute id="{i}" title="{title}" type="{kind}"/>"#)?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge">"#)?;
    for (i, (title, kind)) in [
        ("event_type", "string"),
        ("asserted", "long"),
        ("first_day", "string"),
        ("last_day", "string"),
    ]
    .into_iter()
    .enumerate()
    {
        writeln!(out, r#"      <attribute id="{i}" title="{title}" type="{kind}"/>"#)?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, "    <nodes>")?;
    for node in &network.nodes {
        let actor = &node.actor;
        writeln!(out, r#"      <node id="{}" label="{}">"#, actor.id, xml(&actor.name))?;
        writeln!(out, "        <attvalues>")?;
        let mentions = node.n_mentions.to_string();
        let values = [
            Some(actor.actor_type.as_str()),
            actor.code.as_deref(),
            actor.country.as_deref(),
            actor.sector.as_deref(),
            Some(mentions.as_str()),
        ];
        for (i, value) in values.into_iter().enumerate() {
            if let Some(value) = value {
                writeln!(out, r#"          <attvalue for="{i}" value="{}"/>"#, xml(value))?;
            }
        }
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for (i, edge) in network.edges.iter().enumerate() {
        writeln!(
            out,
            r#"      <edge id="{i}" source="{}" target="{}" label="{}" weight="{}">"#,
            edge.source,
            edge.target,
            xml(&edge.event_type),
            edge.weight
        )?;
        writeln!(out, "        <attvalues>")?;
        let asserted = edge.asserted.to_string();
        let values = [
            Some(edge.event_type.as_str()),
            Some(asserted.as_str()),
            edge.first_day.as_deref(),
            edge.last_day.as_deref(),
        ];
        for (i, value) in values.into_iter().enumerate() {
            if let Some(value) = value {
                writeln!(out, r#"          <attvalue for="{i}" value="{}"/>"#, xml(value))?;
            }
        }
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")?;
    Ok(())
}

/// A TSV cell: tabs and line breaks become spaces.
fn cell(text: &str) -> String {
    text.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect()
}

/// The GDELT `Actor1Code`: the actor's own code, else country and sector together.
fn cameo_actor_code(actor: &ActorRef) -> String {
    match &actor.code {
        Some(code) => code.clone(),
        None => format!(
            "{}{}",
            actor.country.as_deref().unwrap_or_default(),
            actor.sector.as_deref().unwrap_or_default()
        ),
    }
}

/// GDELT's QuadClass of a CAMEO root code (`01` to `20`).
fn quad_class(root: &str) -> Option<u8> {
    match root.parse::<u8>().ok()? {
        1..=5 => Some(1),
        6..=8 => Some(2),
        9..=13 => Some(3),
        14..=20 => Some(4),
        _ => None,
    }
}

fn actor_cells(actor: Option<&ActorRef>) -> [String; 4] {
    match actor {
        Some(actor) => [
            cameo_actor_code(actor),
            actor.name.clone(),
            actor.country.clone().unwrap_or_default(),
            actor.sector.clone().unwrap_or_default(),
        ],
        None => Default::default(),
    }
}

/// Writes events as GDELT-style TSV, with a header line; the columns are
/// [`GDELT_COLUMNS`], described in the module documentation.
pub fn write_gdelt(events: &[EventRow], out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{}", GDELT_COLUMNS.join("\t"))?;
    for event in events {
        let day: String = event.day.as_deref().unwrap_or_default().replace('-', "");
        let month = day.get(..6).unwrap_or_default().to_string();
        let year = day.get(..4).unwrap_or_default().to_string();
        let cameo = event.cameo.clone().unwrap_or_default();
        let base = cameo.get(..3).unwrap_or(&cameo).to_string();
        let root = cameo.get(..2).unwrap_or(&cameo).to_string();
        let quad = quad_class(&root).map(|q| q.to_string()).unwrap_or_default();
        let sources: Vec<Option<&ActorRef>> = if event.source.is_empty() {
            vec![None]
        } else {
            event.source.iter().map(Some).collect()
        };
        let targets: Vec<Option<&ActorRef>> = if event.target.is_empty() {
            vec![None]
        } else {
            event.target.iter().map(Some).collect()
        };
        for source in &sources {
            for target in &targets {
                let mut row: Vec<String> = vec![
                    format!("{}/{}", event.article, event.id),
                    day.clone(),
                    month.clone(),
                    year.clone(),
                ];
                row.extend(actor_cells(*source));
                row.extend(actor_cells(*target));
                row.extend([
                    if event.sentence == Some(0) { "1" } else { "0" }.to_string(),
                    cameo.clone(),
                    base.clone(),
                    root.clone(),
                    quad.clone(),
                    "1".into(),
                    "1".into(),
                    "1".into(),
                    event.location.as_ref().map(|l| l.name.clone()).unwrap_or_default(),
                    event.url.clone().unwrap_or_default(),
                    event.event_type.clone(),
                    event.mode.clone().unwrap_or_default(),
                    event.modality.clone(),
                    event.reported_by.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
                    event.trigger.text.clone(),
                    event.sentence_text.clone(),
                ]);
                debug_assert_eq!(row.len(), GDELT_COLUMNS.len());
                let row: Vec<String> = row.iter().map(|value| cell(value)).collect();
                writeln!(out, "{}", row.join("\t"))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quad_classes_follow_cameo_roots() {
        assert_eq!(quad_class("04"), Some(1));
        assert_eq!(quad_class("07"), Some(2));
        assert_eq!(quad_class("12"), Some(3));
        assert_eq!(quad_class("19"), Some(4));
        assert_eq!(quad_class(""), None);
    }

    #[test]
    fn text_is_escaped_for_xml_and_tsv() {
        assert_eq!(xml("A & B <\"x\">\u{1}"), "A &amp; B &lt;&quot;x&quot;&gt; ");
        assert_eq!(cell("a\tb\nc"), "a b c");
    }
}

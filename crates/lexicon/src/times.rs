//! Time-expression rules (`time_patterns.toml`, `time_normalization.toml`,
//! `time_rules.toml`), kept apart in HeidelTime's manner: named patterns, normalization
//! tables, and rules that use both by name.

use std::collections::HashMap;

use regex::{Regex, RegexSet};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Lines, Problem, Result, parse_toml};
use crate::pattern::ascii_word_boundaries;

/// The TIMEX3 types a rule may give.
///
/// `NONE` marks a negative rule: it claims its words ("6-year-old") so that no other rule
/// makes a time expression of them, and produces nothing.
pub const TIMEX_TYPES: &[&str] = &["DATE", "TIME", "DURATION", "SET", "NONE"];

/// The value functions a rule may call (see `time_rules.toml`).
pub const VALUE_FUNCTIONS: &[&str] = &[
    "date",
    "weekday",
    "weekend",
    "shift",
    "duration",
    "clock",
    "quarter",
    "season",
    "holiday",
    "month",
    "week_of",
    "reported_quarter",
    "quarter_ended",
    "anchored",
    "recent_day",
    "holiday_week",
    "half",
];

/// One compiled time rule.
#[derive(Clone, Debug)]
pub struct TimeRule {
    /// Unique name.
    pub name: String,
    /// The pattern with every `%name` expanded; case-insensitive.
    pub pattern: Regex,
    /// DATE, TIME, DURATION or SET.
    pub timex_type: String,
    /// The value template (see `time_rules.toml`).
    pub value: String,
    /// Examples: text, reference date, expected extent, expected value.
    pub examples: Vec<[String; 4]>,
    /// When set, the rule applies only where this pattern matches the article before the
    /// expression ("a year ago" in a quarterly report is that quarter a year before).
    pub context: Option<Regex>,
}

/// All time rules with their normalization tables.
#[derive(Clone, Debug, Default)]
pub struct TimeRules {
    /// The rules, in priority order.
    pub rules: Vec<TimeRule>,
    tables: HashMap<String, HashMap<String, String>>,
    /// All patterns in one automaton: one pass over a sentence tells which rules can
    /// match, and most sentences have no time expression at all.
    prefilter: Option<RegexSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: Spanned<String>,
    pattern: String,
    #[serde(rename = "type")]
    timex_type: String,
    value: String,
    #[serde(default)]
    examples: Vec<[String; 4]>,
    context: Option<String>,
}

impl TimeRules {
    /// Parses the three files; the names are used in errors. Reports every bad entry.
    pub fn parse(
        (patterns_file, patterns_source): (&str, &str),
        (tables_file, tables_source): (&str, &str),
        (rules_file, rules_source): (&str, &str),
    ) -> Result<TimeRules> {
        let patterns: HashMap<String, String> = parse_toml(patterns_file, patterns_source)?;
        let raw_tables: HashMap<String, HashMap<String, String>> =
            parse_toml(tables_file, tables_source)?;
        let tables: HashMap<String, HashMap<String, String>> = raw_tables
            .into_iter()
            .map(|(name, table)| {
                (name, table.into_iter().map(|(k, v)| (k.to_lowercase(), v)).collect())
            })
            .collect();
        let raw: RawRules = parse_toml(rules_file, rules_source)?;
        let lines = Lines::new(rules_source);
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        for rule in raw.rule {
            let line = Some(lines.line(rule.name.span().start));
            let name = rule.name.into_inner();
            let mut problem = |message: String| {
                problems.push(Problem { line, message: format!("rule {name:?}: {message}") })
            };
            if !TIMEX_TYPES.contains(&rule.timex_type.as_str()) {
                problem(format!(
                    "unknown type {:?}, use one of {}",
                    rule.timex_type,
                    TIMEX_TYPES.join(", ")
                ));
            }
            if rule.examples.is_empty() {
                problem(
                    "add at least one example [text, reference date, extent, value]".to_string(),
                );
            }
            let expanded = match expand(&rule.pattern, &patterns, &tables, 0) {
                Ok(expanded) => expanded,
                Err(message) => {
                    problem(message);
                    continue;
                }
            };
            let pattern = match Regex::new(&format!("(?i){}", ascii_word_boundaries(&expanded))) {
                Ok(pattern) => pattern,
                Err(err) => {
                    let err = err.to_string();
                    problem(format!("invalid pattern: {}", err.lines().last().unwrap_or_default()));
                    continue;
                }
            };
            let captures: Vec<&str> = pattern.capture_names().flatten().collect();
            for (capture, table) in placeholders(&rule.value) {
                if !captures.contains(&capture) {
                    problem(format!(
                        "value uses {{{capture}}}, which the pattern does not capture"
                    ));
                }
                if let Some(table) = table
                    && !tables.contains_key(table)
                {
                    problem(format!(
                        "value uses table {table:?}, which time_normalization.toml lacks"
                    ));
                }
            }
            // `CLOCK @ DAY` calls two functions.
            for part in rule.value.split(" @ ") {
                if let Some((function, _)) = part.split_once('(')
                    && !VALUE_FUNCTIONS.contains(&function)
                {
                    problem(format!(
                        "unknown value function {function:?}, use one of {}",
                        VALUE_FUNCTIONS.join(", ")
                    ));
                }
            }
            let context = match rule
                .context
                .as_deref()
                .map(|c| Regex::new(&format!("(?i){}", ascii_word_boundaries(c))))
            {
                Some(Ok(re)) => Some(re),
                Some(Err(err)) => {
                    let err = err.to_string();
                    problem(format!("invalid context: {}", err.lines().last().unwrap_or_default()));
                    continue;
                }
                None => None,
            };
            rules.push(TimeRule {
                name,
                pattern,
                timex_type: rule.timex_type,
                value: rule.value,
                examples: rule.examples,
                context,
            });
        }
        if problems.is_empty() {
            let prefilter = prefilter(&rules);
            Ok(TimeRules { rules, tables, prefilter })
        } else {
            Err(Error::Invalid { file: rules_file.to_string(), problems })
        }
    }

    /// Looks a surface form up in a normalization table (case-insensitive).
    pub fn normalize(&self, table: &str, key: &str) -> Option<&str> {
        self.tables.get(table)?.get(&key.to_lowercase()).map(String::as_str)
    }

    /// Adds `other`'s rules after these, and its table entries over these.
    pub fn extend(&mut self, other: TimeRules) {
        self.rules.extend(other.rules);
        for (name, table) in other.tables {
            self.tables.entry(name).or_default().extend(table);
        }
        self.prefilter = prefilter(&self.rules);
    }

    /// The indices of the rules that may match somewhere in `text`, in rule order.
    pub fn candidates(&self, text: &str) -> Vec<usize> {
        match &self.prefilter {
            Some(set) => set.matches(text).into_iter().collect(),
            None => (0..self.rules.len()).collect(),
        }
    }
}

/// One automaton over every rule's pattern; `None` if it grows past the regex crate's
/// size limit, in which case every rule is tried.
fn prefilter(rules: &[TimeRule]) -> Option<RegexSet> {
    RegexSet::new(rules.iter().map(|rule| rule.pattern.as_str())).ok()
}

/// The `{capture}` and `{capture|table}` placeholders of a value template.
pub fn placeholders(template: &str) -> Vec<(&str, Option<&str>)> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        let inner = &rest[open + 1..open + close];
        match inner.split_once('|') {
            Some((capture, table)) => found.push((capture, Some(table))),
            None => found.push((inner, None)),
        }
        rest = &rest[open + close + 1..];
    }
    found
}

/// Expands `%name` into its pattern, or into the keys of table `name`.
fn expand(
    pattern: &str,
    patterns: &HashMap<String, String>,
    tables: &HashMap<String, HashMap<String, String>>,
    depth: usize,
) -> std::result::Result<String, String> {
    if depth > 8 {
        return Err("patterns refer to each other in a loop".to_string());
    }
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.char_indices().peekable();
    while let Some((idx, ch)) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        let name_len = pattern[idx + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(pattern.len() - idx - 1);
        let name = &pattern[idx + 1..idx + 1 + name_len];
        if name.is_empty() {
            out.push('%');
            continue;
        }
        for _ in 0..name_len {
            chars.next();
        }
        if let Some(fragment) = patterns.get(name) {
            out.push_str(&format!("(?:{})", expand(fragment, patterns, tables, depth + 1)?));
        } else if let Some(table) = tables.get(name) {
            let mut keys: Vec<&String> = table.keys().collect();
            // Longest first, so that "jan." wins over "jan".
            keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            let alternatives: Vec<String> = keys.iter().map(|k| regex::escape(k)).collect();
            out.push_str(&format!("(?:{})", alternatives.join("|")));
        } else {
            return Err(format!(
                "%{name} is neither a pattern of time_patterns.toml nor a table of time_normalization.toml"
            ));
        }
    }
    Ok(out)
}

//! Boilerplate rules (`boilerplate.toml`): which lines of an extracted article are page
//! furniture rather than the article, for the `clean` stage.

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Lines, Problem, Result, parse_toml};
use crate::pattern::ascii_word_boundaries;

/// One compiled boilerplate rule.
#[derive(Clone, Debug)]
pub struct BoilerplateRule {
    /// Unique name.
    pub name: String,
    /// Reason reported for what it removes (`promo`, `credit`, ...).
    pub reason: String,
    /// The pattern, matched against the trimmed line.
    pub pattern: Regex,
    /// Applies only to lines of at most this many words.
    pub max_words: Option<usize>,
    /// Applies only right after a line removed for one of these reasons.
    pub after: Vec<String>,
    /// Removes only the matched start of the line.
    pub prefix: bool,
    /// Example lines it must remove (`line => rest` for a prefix rule).
    pub remove_examples: Vec<String>,
    /// Example lines no rule may remove.
    pub keep_examples: Vec<String>,
}

/// What a rule does to a line.
#[derive(Clone, Copy, Debug)]
pub enum LineVerdict<'r> {
    /// The whole line goes.
    Remove(&'r BoilerplateRule),
    /// The first `n` bytes of the trimmed line go.
    RemovePrefix(&'r BoilerplateRule, usize),
    /// The line stays.
    Keep,
}

impl LineVerdict<'_> {
    /// True when the line stays whole.
    pub fn is_keep(&self) -> bool {
        matches!(self, LineVerdict::Keep)
    }
}

/// The ordered list of boilerplate rules.
#[derive(Clone, Debug, Default)]
pub struct BoilerplateRules {
    rules: Vec<BoilerplateRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: Spanned<String>,
    reason: String,
    pattern: Spanned<String>,
    max_words: Option<usize>,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    prefix: bool,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    keep: Vec<String>,
}

/// The reasons a rule may give; `removed[].reason` is one of them.
pub const REASONS: &[&str] = &[
    "promo",
    "advert",
    "share",
    "social",
    "navigation",
    "credit",
    "byline",
    "dateline",
    "timestamp",
    "copyright",
];

impl BoilerplateRules {
    /// Parses a `boilerplate.toml`; `file` names it in errors. Reports every bad rule.
    pub fn parse(file: &str, source: &str) -> Result<BoilerplateRules> {
        let raw: RuleFile = parse_toml(file, source)?;
        let lines = Lines::new(source);
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        for rule in raw.rule {
            let line = lines.line(rule.name.span().start);
            if !REASONS.contains(&rule.reason.as_str()) {
                problems.push(Problem {
                    line: Some(line),
                    message: format!(
                        "rule {:?}: unknown reason {:?}, use one of {}",
                        rule.name.get_ref(),
                        rule.reason,
                        REASONS.join(", ")
                    ),
                });
            }
            if rule.remove.is_empty() {
                problems.push(Problem {
                    line: Some(line),
                    message: format!(
                        "rule {:?}: add at least one `remove` example",
                        rule.name.get_ref()
                    ),
                });
            }
            for after in &rule.after {
                if !REASONS.contains(&after.as_str()) {
                    problems.push(Problem {
                        line: Some(line),
                        message: format!(
                            "rule {:?}: `after` names unknown reason {after:?}",
                            rule.name.get_ref()
                        ),
                    });
                }
            }
            let pattern = match Regex::new(&ascii_word_boundaries(rule.pattern.get_ref())) {
                Ok(pattern) => pattern,
                Err(err) => {
                    // regex errors draw a caret under the pattern over several lines; the
                    // last line says what is wrong.
                    let err = err.to_string();
                    let err = err.lines().last().unwrap_or_default().trim_start_matches("error: ");
                    problems.push(Problem {
                        line: Some(lines.line(rule.pattern.span().start)),
                        message: format!("rule {:?}: invalid pattern: {err}", rule.name.get_ref()),
                    });
                    continue;
                }
            };
            rules.push(BoilerplateRule {
                name: rule.name.into_inner(),
                reason: rule.reason,
                pattern,
                max_words: rule.max_words,
                after: rule.after,
                prefix: rule.prefix,
                remove_examples: rule.remove,
                keep_examples: rule.keep,
            });
        }
        if problems.is_empty() {
            Ok(BoilerplateRules { rules })
        } else {
            Err(Error::Invalid { file: file.to_string(), problems })
        }
    }

    /// Adds `other`'s rules after these.
    pub fn extend(&mut self, other: BoilerplateRules) {
        self.rules.extend(other.rules);
    }

    /// The rules, in the order they are tried.
    pub fn rules(&self) -> &[BoilerplateRule] {
        &self.rules
    }

    /// What to do with one line (already trimmed); `previous_reason` is the reason the
    /// previous non-blank line was removed for, if it was.
    pub fn judge(&self, line: &str, previous_reason: Option<&str>) -> LineVerdict<'_> {
        let mut n_words: Option<usize> = None;
        for rule in &self.rules {
            if !rule.after.is_empty()
                && !previous_reason.is_some_and(|reason| rule.after.iter().any(|a| a == reason))
            {
                continue;
            }
            if let Some(max_words) = rule.max_words {
                let n = *n_words.get_or_insert_with(|| line.split_whitespace().count());
                if n > max_words {
                    continue;
                }
            }
            if rule.prefix {
                if let Some(found) = rule.pattern.find(line)
                    && found.start() == 0
                    && found.end() < line.len()
                {
                    return LineVerdict::RemovePrefix(rule, found.end());
                }
            } else if let Some(found) = rule.pattern.find(line)
                && found.start() == 0
                && found.end() == line.len()
            {
                return LineVerdict::Remove(rule);
            }
        }
        LineVerdict::Keep
    }
}

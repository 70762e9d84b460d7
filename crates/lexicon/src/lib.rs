//! What newsgraph knows about the world and the language, as data: the built-in
//! files in `data/` (see `data/README.md` for their formats), compiled into the binary,
//! plus the files of the same names a user adds with [`Lexicon::load_dir`].
//!
//! [`Lexicon`] holds one typed, validated table per concern:
//! [`BoilerplateRules`] for the `clean` stage and [`SegmentRules`] for `segment`.
//! Loading reports every bad entry with its file and line, not just the first.
//!
//! ```
//! use newsgraph_lexicon::Lexicon;
//!
//! let lexicon = Lexicon::builtin();
//! assert!(lexicon.segment.abbreviation("Gen").is_some());
//! assert!(!lexicon.boilerplate.rules().is_empty());
//! ```
#![deny(missing_docs)]

mod boilerplate;
mod error;
mod segment;

use std::path::Path;
use std::sync::OnceLock;

pub use boilerplate::{BoilerplateRule, BoilerplateRules, LineVerdict, REASONS};
pub use error::{Error, Problem, Result};
pub use segment::{AbbreviationClass, SegmentExample, SegmentRules};

/// The built-in data files: name and contents.
const BUILTIN_FILES: &[(&str, &str)] = &[
    ("boilerplate.toml", include_str!("../data/boilerplate.toml")),
    ("segment.toml", include_str!("../data/segment.toml")),
];

/// Everything the extraction stages know.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Lines that are not the article.
    pub boilerplate: BoilerplateRules,
    /// Abbreviations and sentence starters.
    pub segment: SegmentRules,
}

impl Lexicon {
    /// The built-in lexicon, parsed once per process.
    pub fn builtin() -> &'static Lexicon {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut lexicon = Lexicon::default();
            for (name, source) in BUILTIN_FILES {
                // The built-in files are checked by this crate's tests, so they parse.
                lexicon
                    .add_file(&format!("data/{name}"), name, source)
                    .expect("built-in lexicon file is valid");
            }
            lexicon
        })
    }

    /// The built-in lexicon extended with the files of `dir` that have the built-in
    /// names (`boilerplate.toml`, `segment.toml`); other files are ignored.
    pub fn load_dir(dir: &Path) -> Result<Lexicon> {
        let mut lexicon = Lexicon::builtin().clone();
        for (name, _) in BUILTIN_FILES {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            let display = path.display().to_string();
            let source = std::fs::read_to_string(&path)
                .map_err(|source| Error::Io { file: display.clone(), source })?;
            lexicon.add_file(&display, name, &source)?;
        }
        Ok(lexicon)
    }

    fn add_file(&mut self, display: &str, name: &str, source: &str) -> Result<()> {
        match name {
            "boilerplate.toml" => {
                self.boilerplate.extend(BoilerplateRules::parse(display, source)?)
            }
            "segment.toml" => self.segment.extend(SegmentRules::parse(display, source)?),
            _ => {}
        }
        Ok(())
    }

    /// The built-in files' names and contents, for tests and tools.
    pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
        BUILTIN_FILES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_load() {
        for (name, source) in BUILTIN_FILES {
            let mut lexicon = Lexicon::default();
            if let Err(err) = lexicon.add_file(name, name, source) {
                panic!("{err}");
            }
        }
    }

    #[test]
    fn every_bad_rule_is_reported_with_its_line() {
        let source = r#"
[[rule]]
name = "one"
reason = "nonsense"
pattern = '^x$'
remove = ["x"]

[[rule]]
name = "two"
reason = "promo"
pattern = '^(unclosed$'
remove = ["x"]
"#;
        let err = BoilerplateRules::parse("user/boilerplate.toml", source).unwrap_err().to_string();
        assert!(
            err.contains("user/boilerplate.toml:3: rule \"one\": unknown reason \"nonsense\""),
            "{err}"
        );
        assert!(
            err.contains("user/boilerplate.toml:11: rule \"two\": invalid pattern: unclosed group"),
            "{err}"
        );
    }

    #[test]
    fn toml_syntax_error_names_file_and_line() {
        let err = SegmentRules::parse("segment.toml", "[abbreviations]\ntitle = [\"Dr\",\n\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("segment.toml:"), "{err}");
    }

    #[test]
    fn user_directory_extends_the_builtin_rules() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("boilerplate.toml"),
            "[[rule]]\nname = \"house-promo\"\nreason = \"promo\"\npattern = '^Veloria Daily: .*$'\nremove = [\"Veloria Daily: more\"]\n",
        )
        .unwrap();
        let lexicon = Lexicon::load_dir(dir.path()).unwrap();
        let n_builtin = Lexicon::builtin().boilerplate.rules().len();
        assert_eq!(lexicon.boilerplate.rules().len(), n_builtin + 1);
        assert!(matches!(
            lexicon.boilerplate.judge("Veloria Daily: sign-up", None),
            LineVerdict::Remove(_)
        ));
    }

    #[test]
    fn boilerplate_examples_hold() {
        let rules = &Lexicon::builtin().boilerplate;
        let mut failures = Vec::new();
        for rule in rules.rules() {
            for example in &rule.remove_examples {
                // Lines before the last give context (a promo before its blurb).
                let mut lines: Vec<&str> = example.split('\n').collect();
                let last = lines.pop().unwrap_or_default();
                let mut previous = None;
                for line in lines {
                    previous = match rules.judge(line, previous) {
                        LineVerdict::Remove(rule) => Some(rule.reason.as_str()),
                        _ => None,
                    };
                }
                let (line, rest) = match last.split_once(" => ") {
                    Some((line, rest)) => (line, Some(rest)),
                    None => (last, None),
                };
                match (rules.judge(line, previous), rest) {
                    (LineVerdict::Remove(hit), None) if hit.name == rule.name => {}
                    (LineVerdict::RemovePrefix(hit, n), Some(rest))
                        if hit.name == rule.name && line[n..] == *rest => {}
                    (verdict, _) => {
                        failures.push(format!("{}: {line:?} gave {verdict:?}", rule.name))
                    }
                }
            }
            for example in &rule.keep_examples {
                let verdict = rules.judge(example, None);
                if !verdict.is_keep() {
                    failures.push(format!("{}: keep {example:?} gave {verdict:?}", rule.name));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

//! `newsgraph parse`: prints the syntax of a text (segment + syntax) as CoNLL-U, or tags
//! and parses an already tokenized CoNLL-U file for evaluation with gold tokens.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use clap::{Args, ValueEnum};
use newsgraph_extract::pipeline::STAGES;
use newsgraph_extract::syntax::conllu::{self, ConlluSentence, column};
use newsgraph_extract::syntax::{Analysis, SyntaxModel};
use newsgraph_model::{Article, Document, TokenSyntax};

use crate::extract::load_lexicon;

/// Options of `newsgraph parse`.
#[derive(Args, Debug)]
pub struct ParseArgs {
    /// The file to analyse (`-` for standard input).
    #[arg(value_name = "FILE")]
    input: PathBuf,

    /// The output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Conllu, value_name = "FORMAT")]
    format: ParseFormat,

    /// How to read the input: raw text (cleaned and segmented first), or tokenized
    /// CoNLL-U whose columns 4 (UPOS), 7 (HEAD) and 8 (DEPREL) are replaced.
    #[arg(long, value_enum, default_value_t = ParseInput::Text, value_name = "FORMAT")]
    input_format: ParseInput,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ParseFormat {
    /// CoNLL-U, as Universal Dependencies writes it.
    Conllu,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ParseInput {
    /// Raw text.
    Text,
    /// Tokenized CoNLL-U.
    Conllu,
}

/// Runs `newsgraph parse`.
pub fn run(args: ParseArgs) -> Result<ExitCode> {
    let mut text = String::new();
    if args.input.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?;
    } else {
        text = std::fs::read_to_string(&args.input)
            .with_context(|| format!("cannot read {}", args.input.display()))?;
    }
    let ParseFormat::Conllu = args.format;
    let output = match args.input_format {
        ParseInput::Conllu => {
            reparse_conllu(&text).with_context(|| format!("in {}", args.input.display()))?
        }
        ParseInput::Text => parse_text(text)?,
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(output.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn model() -> Result<&'static SyntaxModel> {
    SyntaxModel::builtin().map_err(|err| anyhow!("{err}"))
}

fn reparse_conllu(text: &str) -> Result<String> {
    let model = model()?;
    let mut sentences = conllu::read(text)?;
    let mut analysis = Analysis::default();
    for sentence in &mut sentences {
        let word_rows = sentence.word_rows();
        if word_rows.is_empty() {
            continue;
        }
        let forms: Vec<String> =
            word_rows.iter().map(|&r| sentence.rows[r][column::FORM].clone()).collect();
        let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
        model.analyze(&forms, &mut analysis);
        for (i, &r) in word_rows.iter().enumerate() {
            let row = &mut sentence.rows[r];
            row[column::UPOS] = model.tags(analysis.tags[i]).0.as_str().to_owned();
            row[column::HEAD] = analysis.head(i).map_or(0, |h| h + 1).to_string();
            row[column::DEPREL] = model.relation(analysis.label(i)).as_str().to_owned();
        }
    }
    Ok(conllu::write(&sentences))
}

fn parse_text(text: String) -> Result<String> {
    let lexicon = load_lexicon(None)?;
    let mut doc = Document::new(Article::from_text(text));
    for stage in STAGES {
        (stage.run)(&mut doc, &lexicon);
        if stage.name == "syntax" {
            break;
        }
    }
    if let Some(diagnostic) = doc.diagnostics.iter().find(|d| d.stage == "syntax") {
        return Err(anyhow!("{}", diagnostic.message));
    }
    Ok(document_conllu(&doc))
}

/// The syntax layer of a document as CoNLL-U.
fn document_conllu(doc: &Document) -> String {
    let mut sentences = Vec::with_capacity(doc.sentences.len());
    for (index, sentence) in doc.sentences.iter().enumerate() {
        let first = sentence.first_token as usize;
        let mut out = ConlluSentence {
            comments: vec![
                format!("# sent_id = {}", index + 1),
                format!("# text = {}", doc.slice(sentence.span).replace(['\n', '\r'], " ")),
            ],
            rows: Vec::new(),
        };
        for (i, token) in doc.sentence_tokens(sentence).iter().enumerate() {
            let syntax = doc.syntax.get(first + i).cloned().unwrap_or_default();
            let head =
                if syntax.head == TokenSyntax::ROOT { 0 } else { syntax.head as usize - first + 1 };
            let misc = if token.space_after || first + i + 1 == sentence.end_token as usize {
                "_"
            } else {
                "SpaceAfter=No"
            };
            out.rows.push([
                (i + 1).to_string(),
                doc.slice(token.span).to_owned(),
                syntax.lemma.clone(),
                syntax.upos.as_str().to_owned(),
                syntax.xpos.to_owned(),
                syntax.feats.to_owned(),
                head.to_string(),
                syntax.deprel.as_str().to_owned(),
                "_".to_owned(),
                misc.to_owned(),
            ]);
        }
        sentences.push(out);
    }
    conllu::write(&sentences)
}

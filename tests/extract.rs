//! `newsgraph extract` on texts, HTML, JSON Lines, directories and bad inputs.

use std::fs;

use crate::util::{chars, run, run_with_stdin, workspace};

const ARTICLE: &str = "Subscribe to our newsletters\n\
    VELORIA CITY (AP) — Dr. Anna Brel, Veloria’s foreign minister, met Gen. Piotr Lanz on Monday. \
    They agreed on a ceasefire.\n\
    “We will hold talks in the U.S. next week,” Brel said.\n\
    Share this article\n";

#[test]
fn readable_summary_of_the_shipped_example() {
    let run = run(&workspace(), &["extract", "examples/veloria-summit.txt"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("Removed (7):"), "{}", run.stdout);
    assert!(
        run.stdout.contains("[promo] Sign up for the Daily Courier newsletter"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("[dateline] PORT MAREN (Reuters) -"), "{}", run.stdout);
    assert!(run.stdout.contains("10 sentences"), "{}", run.stdout);
}

#[test]
fn json_offsets_are_chars_into_the_clean_text() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    let run =
        run(dir.path(), &["extract", "a.txt", "--format", "json", "--published", "2025-03-03"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["schema"], "newsgraph.document/1");
    assert_eq!(doc["published"], "2025-03-03");
    let text = doc["text"].as_str().unwrap();
    // Removed lines are blanked, so character offsets are those of the input.
    assert_eq!(text.chars().count(), ARTICLE.chars().count());
    assert!(text.trim_start().starts_with("Dr. Anna Brel"), "{text}");
    assert!(!text.contains("Subscribe"), "{text}");
    let sentences: Vec<String> = doc["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| chars(text, &s["start"], &s["end"]))
        .collect();
    assert_eq!(
        sentences,
        [
            "Dr. Anna Brel, Veloria’s foreign minister, met Gen. Piotr Lanz on Monday.",
            "They agreed on a ceasefire.",
            "“We will hold talks in the U.S. next week,” Brel said.",
        ]
    );
    let reasons: Vec<&str> =
        doc["removed"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["promo", "dateline", "share"]);
    for key in ["entities", "quotes", "events", "times"] {
        assert!(doc[key].is_array(), "{key} is an array");
    }
}

#[test]
fn jsonl_keeps_ids_and_reports_a_bad_line_without_stopping() {
    let dir = tempfile::tempdir().unwrap();
    let input = concat!(
        r#"{"id": "a-1", "text": "Veloria closed its border.", "published": "2025-01-02", "title": "Border"}"#,
        "\n",
        "{not json\n",
        "\n",
        r#"{"id": "a-3", "html": "<html><body><article><p>Ostravia recalled its ambassador from Veloria on Friday after a week of rising tension between the two neighbours over the disputed river crossing.</p></article></body></html>"}"#,
        "\n",
        r#"{"id": "a-4", "text": "x", "published": "soon"}"#,
        "\n",
    );
    fs::write(dir.path().join("batch.jsonl"), input).unwrap();
    let run = run(
        dir.path(),
        &["extract", "--input-format", "jsonl", "batch.jsonl", "--format", "jsonl"],
    );
    assert_eq!(run.code, Some(1));
    let docs = run.jsonl();
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a-1", "a-3"]);
    assert_eq!(docs[0]["title"], "Border");
    assert!(docs[1]["text"].as_str().unwrap().starts_with("Ostravia recalled"));
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors[0].starts_with("newsgraph: batch.jsonl:2: "), "{}", errors[0]);
    assert!(errors[1].starts_with("newsgraph: batch.jsonl:5: "), "{}", errors[1]);
    assert!(errors[1].contains("published"), "{}", errors[1]);
}

#[test]
fn bad_inputs_get_one_line_errors_and_the_good_ones_still_come_out() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    fs::write(dir.path().join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0]).unwrap();
    fs::write(
        dir.path().join("nothing.html"),
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    )
    .unwrap();
    fs::write(dir.path().join("good.txt"), "Veloria held an election on Sunday.").unwrap();
    let run = run(
        dir.path(),
        &[
            "extract",
            "empty.txt",
            "binary.txt",
            "missing.txt",
            "nothing.html",
            "good.txt",
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(run.jsonl().len(), 1);
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(errors.len(), 4, "{}", run.stderr);
    assert!(
        errors[0].starts_with("newsgraph: empty.txt: ") && errors[0].contains("empty"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("newsgraph: binary.txt: ") && errors[1].contains("binary"),
        "{}",
        errors[1]
    );
    assert!(errors[2].starts_with("newsgraph: missing.txt: "), "{}", errors[2]);
    assert!(
        errors[3].starts_with("newsgraph: nothing.html: ") && errors[3].contains("no article"),
        "{}",
        errors[3]
    );
}

#[test]
fn legacy_encoded_text_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    // "Café Brel" and "résumé" in windows-1252.
    let mut bytes = b"The minister met reporters at the Caf\xe9 Brel in Veloria City and handed out her r\xe9sum\xe9 \
                      to anyone who asked for it, her spokesman said on Monday."
        .to_vec();
    bytes.push(b'\n');
    fs::write(dir.path().join("latin1.txt"), bytes).unwrap();
    let run = run(dir.path(), &["extract", "latin1.txt", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.json()["text"].as_str().unwrap().contains("Café Brel"));
}

#[test]
fn stdin_directories_and_an_output_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("corpus/b")).unwrap();
    fs::write(dir.path().join("corpus/a.txt"), "Veloria voted.").unwrap();
    fs::write(dir.path().join("corpus/b/c.txt"), "Ostravia abstained.").unwrap();
    fs::write(dir.path().join("corpus/notes.csv"), "not,an,article").unwrap();
    let run = run(dir.path(), &["extract", "corpus", "--format", "json", "--output", "out.json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let docs: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out.json")).unwrap()).unwrap();
    let texts: Vec<&str> =
        docs.as_array().unwrap().iter().map(|d| d["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Veloria voted.", "Ostravia abstained."]);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());

    let piped = run_with_stdin(
        dir.path(),
        &["extract", "-", "--format", "jsonl"],
        "Lindmark recognised Veloria.".as_bytes(),
    );
    assert_eq!(piped.code, Some(0), "{}", piped.stderr);
    assert_eq!(piped.jsonl()[0]["text"], "Lindmark recognised Veloria.");
}

#[test]
fn html_page_gives_text_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let html = r#"<!doctype html><html><head><title>Veloria closes border | Daily Courier</title>
<meta property="og:site_name" content="Daily Courier">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Veloria closes its northern border","datePublished":"2025-03-04T08:00:00Z","author":{"@type":"Person","name":"Marta Ilves"}}</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Veloria closes its northern border</h1>
<p>Veloria closed its northern border with Ostravia on Tuesday, citing a build-up of troops on the other side of the river.</p>
<p>The prime minister, Anna Brel, said the crossings would stay shut until the Northern Alliance had reviewed the situation.</p>
<p>Advertisement</p>
<p>Ostravia called the decision a provocation and summoned Veloria's ambassador, according to its foreign ministry.</p>
</article><footer>© 2025 Daily Courier</footer></body></html>"#;
    fs::write(dir.path().join("page.html"), html).unwrap();
    let run = run(dir.path(), &["extract", "page.html", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["title"], "Veloria closes its northern border");
    assert_eq!(doc["outlet"], "Daily Courier");
    assert!(doc["published"].as_str().unwrap().starts_with("2025-03-04"));
    let text = doc["text"].as_str().unwrap();
    assert!(text.contains("Veloria closed its northern border"), "{text}");
    assert!(text.contains("summoned Veloria's ambassador"), "{text}");
    assert!(!text.contains("Home"), "{text}");
    assert!(!text.contains("Advertisement"), "{text}");
}

#[test]
fn help_documents_every_option() {
    let run = run(&workspace(), &["extract", "--help"]);
    for option in
        ["--input-format", "--published", "--format", "--output", "--lexicon", "<INPUT>..."]
    {
        assert!(run.stdout.contains(option), "--help lacks {option}:\n{}", run.stdout);
    }
}

#[test]
fn an_invalid_published_date_is_refused() {
    let run =
        run(&workspace(), &["extract", "examples/veloria-summit.txt", "--published", "Tuesday"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("invalid date \"Tuesday\""), "{}", run.stderr);
}

#[test]
fn every_number_of_jobs_gives_the_same_output_in_reading_order() {
    let corpus = workspace().join("tests/corpus");
    let with_jobs = |jobs: &str| {
        let args = ["extract", "--format", "jsonl", "--published", "2025-03-03", "--jobs", jobs];
        let mut args: Vec<&str> = args.to_vec();
        let path = corpus.to_str().unwrap();
        args.push(path);
        let run = run(&workspace(), &args);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        run.stdout
    };
    let one = with_jobs("1");
    let ids: Vec<String> = one
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].to_string())
        .collect();
    assert!(ids.len() >= 4, "{ids:?}");
    for jobs in ["2", "3", "16"] {
        assert!(with_jobs(jobs) == one, "--jobs {jobs} changed the output");
    }
}

//! Format inference on real and documented record sets (tests/data/inference/*.log): each file
//! names its true format in a `# format:` comment. A guess must be right, or, where the values
//! cannot tell fields apart (`# exact: no`), say so for every column it got wrong: never
//! silently wrong.

use flowlens::ingest::decode::LineError;
use flowlens::ingest::infer::{count_hint, infer_lines, Certainty, Inference, Named, Refusal};
use flowlens::ingest::pipeline::{Sink, Stream};
use flowlens::model::format::Format;
use flowlens::model::format::FormatOrigin;
use flowlens::model::record::RecordView;
use flowlens::text::Lang;

/// A sink that keeps nothing (the report is what is tested).
struct Nothing;

impl Sink for Nothing {
    fn record(&mut self, _: u64, _: &RecordView<'_>, _: &[Format]) {}
    fn error(&mut self, _: &LineError, _: &str) {}
}

struct Case {
    name: String,
    truth: Vec<String>,
    exact: bool,
    lines: Vec<(u64, String)>,
}

fn cases() -> Vec<Case> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/inference");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let mut truth = Vec::new();
        let mut exact = true;
        let mut lines = Vec::new();
        for (i, l) in text.lines().enumerate() {
            if let Some(f) = l.strip_prefix("# format: ") {
                truth = f.split(' ').map(String::from).collect();
            } else if l == "# exact: no" {
                exact = false;
            } else if !l.starts_with('#') {
                lines.push((i as u64 + 1, l.to_string()));
            }
        }
        assert!(!truth.is_empty(), "{p:?} names no format");
        out.push(Case {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            truth,
            exact,
            lines,
        });
    }
    assert!(out.len() >= 10);
    out
}

fn run(case: &Case) -> Result<Inference, Refusal> {
    let lines: Vec<(u64, &str)> = case.lines.iter().map(|(n, l)| (*n, l.as_str())).collect();
    infer_lines(&lines)
}

/// Columns whose guessed field is not the true one, and whether the guess owned up to each.
fn wrong_columns(case: &Case, inf: &Inference) -> Vec<(usize, String, String, bool)> {
    let guessed: Vec<&str> = inf.format.columns.iter().map(|c| c.name()).collect();
    case.truth
        .iter()
        .zip(&guessed)
        .enumerate()
        .filter(|(_, (t, g))| t.as_str() != **g)
        .map(|(j, (t, g))| {
            let owned = inf.dashes.contains(&j)
                || inf.ambiguous.iter().any(|a| {
                    a.columns.contains(&j)
                        && (a.assumed.contains(&t.as_str()) || a.alternatives.contains(&t.as_str()))
                });
            (j + 1, g.to_string(), t.clone(), owned)
        })
        .collect()
}

#[test]
fn every_documented_format_is_inferred_and_never_silently_wrong() {
    let mut report = String::new();
    let mut failures = Vec::new();
    for case in cases() {
        let inf = match run(&case) {
            Ok(inf) => inf,
            Err(r) => {
                failures.push(format!("{}: refused: {}", case.name, r.message(Lang::En)));
                continue;
            }
        };
        let wrong = wrong_columns(&case, &inf);
        report.push_str(&format!(
            "{}: {:?}, {} wrong column(s){}\n",
            case.name,
            inf.certainty,
            wrong.len(),
            if wrong.is_empty() {
                String::new()
            } else {
                format!(": {wrong:?}")
            }
        ));
        assert!(
            inf.contradicting.is_empty(),
            "{}: {:?}",
            case.name,
            inf.contradicting
        );
        if case.exact && !wrong.is_empty() {
            failures.push(format!("{}: wrong columns {wrong:?}", case.name));
        }
        if wrong.iter().any(|w| !w.3) {
            failures.push(format!("{}: silently wrong columns {wrong:?}", case.name));
        }
        if !wrong.is_empty() {
            assert_eq!(inf.certainty, Certainty::Weak, "{}", case.name);
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn named_formats_are_certain_and_say_which_they_are() {
    for case in cases() {
        let Ok(inf) = run(&case) else { continue };
        if case.name.contains("aws-order") || case.name.contains("default") {
            assert!(inf.named.is_some(), "{}", case.name);
            assert_eq!(inf.certainty, Certainty::Certain, "{}", case.name);
            assert!(inf.notes(Lang::En)[0].starts_with("Certainty: certain"));
            assert!(inf.notes(Lang::Ja)[0].starts_with("確からしさ: 確実"));
        }
    }
}

#[test]
fn a_column_of_dashes_in_records_of_traffic_never_gets_bytes_or_vpc_id() {
    // The default fields plus ECS fields: ecs-second-container-id is `-` on every line. Before,
    // `bytes` went there (and packets to the bytes column, tcp-flags to the packets column).
    let case = cases()
        .into_iter()
        .find(|c| c.name == "v7-ecs-default-plus-ecs.log")
        .unwrap();
    let inf = run(&case).unwrap();
    let names = inf.format.names();
    assert_eq!(names, case.truth.join(" "));
    assert_eq!(inf.named, Some(Named::DefaultWithEcs));
    // Without its named format (columns moved), the dash column is still no `bytes`.
    let moved: Vec<(u64, String)> = case
        .lines
        .iter()
        .map(|(n, l)| {
            let mut t: Vec<&str> = l.split(' ').collect();
            t.swap(0, 1);
            (*n, t.join(" "))
        })
        .collect();
    let lines: Vec<(u64, &str)> = moved.iter().map(|(n, l)| (*n, l.as_str())).collect();
    let inf = infer_lines(&lines).unwrap();
    let col = |k: &str| inf.format.position(k);
    assert_eq!(col("bytes"), Some(9), "{}", inf.format.names());
    assert_eq!(col("packets"), Some(8), "{}", inf.format.names());
    assert!(inf.dashes.contains(&19));
    assert_eq!(inf.certainty, Certainty::Weak);
}

#[test]
fn lines_that_contradict_the_guess_are_named_by_number() {
    let case = cases()
        .into_iter()
        .find(|c| c.name == "v3-tcp-flags.log")
        .unwrap();
    let mut lines: Vec<(u64, &str)> = case.lines.iter().map(|(n, l)| (*n, l.as_str())).collect();
    // A line of another width, and one whose protocol is a word.
    let bad = case.lines[0].1.replace(" 6 568 ", " tcp 568 ");
    lines.push((100, "3 vpc-abcdefab012345678 - - ACCEPT OK"));
    lines.push((101, &bad));
    let inf = infer_lines(&lines).unwrap();
    assert_eq!(inf.format.names(), case.truth.join(" "));
    assert_eq!(inf.contradicting, [100, 101]);
    assert_eq!(inf.certainty, Certainty::Weak);
    let notes = inf.notes(Lang::En).join("\n");
    assert!(
        notes.contains("Lines that contradict the guess: 100, 101."),
        "{notes}"
    );
    assert!(inf
        .notes(Lang::Ja)
        .join("\n")
        .contains("推測と合わない行: 100、101 行目。"));
}

#[test]
fn no_guess_when_no_guess_is_good() {
    // Columns of only `-` (NODATA records of a custom format): the values cannot say which.
    let nodata = [
        (1, "- - - - - - - 1431280876 1431280934 NODATA"),
        (2, "- - - - - - - 1431280876 1431280934 NODATA"),
    ];
    let r = infer_lines(&nodata).unwrap_err();
    assert!(matches!(r, Refusal::MostlyDashes { .. }), "{r:?}");
    assert!(r.message(Lang::En).contains("add a header line"));
    assert!(r.message(Lang::Ja).contains("ヘッダー行を追加"));
    // The same columns in different places on every line: no one format fits them all.
    let shuffled = [
        (1, "10.0.0.1 443 ACCEPT 1744521785 1744521793"),
        (2, "ACCEPT 10.0.0.2 1744521785 80 1744521793"),
        (3, "1744521785 1744521793 REJECT 10.0.0.3 22"),
        (4, "22 1744521785 10.0.0.4 1744521793 ACCEPT"),
    ];
    let r = infer_lines(&shuffled).unwrap_err();
    assert!(
        r.message(Lang::En).starts_with("no format guessed"),
        "{r:?}"
    );
    // Prose is not a format.
    let prose = [(1, "the quick brown fox jumps over the lazy dog")];
    assert!(infer_lines(&prose).is_err());
}

#[test]
fn refused_inputs_stay_errors_that_say_what_to_do() {
    let text =
        "- - - - - - - 1431280876 1431280934 NODATA\n- - - - - - - 1431280876 1431280934 NODATA\n";
    let mut s = Stream::new(None, Nothing);
    s.push(text.as_bytes());
    let report = s.finish();
    assert_eq!(report.counts.records, 0);
    assert_eq!(report.counts.errors, 2);
    assert!(report.format.inferred.is_none());
    let refused = report.format.refused.expect("the refusal is reported");
    assert!(
        refused.message[0].contains("no format guessed"),
        "{:?}",
        refused.message
    );
    assert_ne!(report.format.origin, Some(FormatOrigin::Inferred));
}

#[test]
fn the_pipeline_reports_certainty_alternatives_and_notes() {
    let case = cases()
        .into_iter()
        .find(|c| c.name == "v3-transit-gateway-vpc.log")
        .unwrap();
    let text: String = case.lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let mut s = Stream::new(None, Nothing);
    s.push(text.as_bytes());
    let report = s.finish();
    let inf = report.format.inferred.expect("inferred");
    assert_eq!(report.counts.records, 4);
    assert!(inf.certainty >= Certainty::Likely || !inf.alternatives.is_empty());
    assert!(inf.notes[0][0].starts_with("Certainty: "));
    assert!(inf.notes[0][1].starts_with("確からしさ: "));
    let json = serde_json::to_value(&inf).unwrap();
    assert!(json["certainty"].is_string());
    assert!(json["alternatives"].is_array());
    assert!(json["contradicting"].is_array());
}

#[test]
fn a_wrong_number_of_fields_says_which_format_it_looks_like() {
    assert_eq!(
        count_hint(21, Lang::En).unwrap(),
        "21 fields: this looks like a version 3 custom format (every field up to version 3, in AWS's order); add a header line or give the format"
    );
    assert!(count_hint(36, Lang::En)
        .unwrap()
        .contains("transit gateway"));
    assert!(count_hint(24, Lang::En).unwrap().contains("ECS"));
    assert!(count_hint(21, Lang::Ja)
        .unwrap()
        .starts_with("21 個のフィールドはバージョン 3 のカスタム形式"));
    assert!(count_hint(17, Lang::En).unwrap().contains("custom format"));
    assert_eq!(count_hint(3, Lang::En), None);
}

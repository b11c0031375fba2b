//! The Japanese glossary (docs/glossary-ja.md) holds: no rejected variant and no space between two
//! Japanese characters in any Japanese string literal of src/ and www/, nor in the CLI's Japanese
//! explanations and summary of the real data files. The glossary file is the only list of rules.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A character of Japanese text: kana, kanji, the long-vowel mark, Japanese and full-width punctuation.
fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F   // 、。「」 …
        | 0x3040..=0x30FF // hiragana, katakana, ・ ー
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF // kanji
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65) // （）：～ …
        && c != '\u{3000}'
}

fn has_japanese(s: &str) -> bool {
    s.chars().any(is_japanese)
}

/// The rejected variants of docs/glossary-ja.md: (variant, the term to use).
fn rejected() -> Vec<(String, String)> {
    let text = fs::read_to_string(root().join("docs/glossary-ja.md")).expect("docs/glossary-ja.md");
    let mut out = Vec::new();
    let mut in_terms = false;
    for line in text.lines() {
        if line.starts_with("## ") {
            in_terms = line.trim() == "## Terms";
        }
        if !in_terms || !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() < 4 || cells[2] == "Rejected" {
            continue;
        }
        let mut parts = cells[2].split('`');
        parts.next();
        while let (Some(variant), rest) = (parts.next(), parts.next()) {
            out.push((variant.to_string(), cells[1].to_string()));
            if rest.is_none() {
                break;
            }
        }
    }
    assert!(
        out.len() >= 20,
        "the glossary's Terms table lists its rejected variants: {out:?}"
    );
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What is wrong with one Japanese text, by the glossary's rules.
fn problems(text: &str, rejected: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (variant, term) in rejected {
        if text.contains(variant.as_str()) {
            out.push(format!("'{variant}' (use {term})"));
        }
    }
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c != ' ' || i == 0 || !is_japanese(chars[i - 1]) {
            continue;
        }
        let next = chars[i..].iter().find(|&&c| c != ' ');
        if next.is_some_and(|&n| is_japanese(n)) {
            let from = i.saturating_sub(6);
            let to = (i + 7).min(chars.len());
            let around: String = chars[from..to].iter().collect();
            out.push(format!("a space between Japanese characters: '{around}'"));
        }
    }
    // Japanese letters (not punctuation) beside a Latin letter or a digit, with no space.
    let letter =
        |c: char| matches!(c as u32, 0x3041..=0x30FA | 0x30FC | 0x3400..=0x4DBF | 0x4E00..=0x9FFF);
    for w in chars.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (letter(a) && b.is_ascii_alphanumeric()) || (a.is_ascii_alphanumeric() && letter(b)) {
            out.push(format!(
                "no space between Japanese and a Latin word or number: '{a}{b}'"
            ));
        }
    }
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '（' => {
                depth += 1;
                if depth == 2 {
                    out.push("nested full-width brackets （…（…）…）".to_string());
                }
            }
            '）' => depth = (depth - 1).max(0),
            '\n' => depth = 0,
            _ => {}
        }
    }
    out
}

/// Placeholder for what a format string or a template fills in: not Japanese, so never a violation.
const HOLE: char = '\u{1}';

/// The string literals of a Rust source, with the line each starts on. Comments are skipped, a
/// `\`-newline continuation joins lines as the compiler does, `{…}` stays as written.
fn rust_literals(src: &str) -> Vec<(usize, String)> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < b.len() {
        let c = b[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                line += usize::from(b[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && (b.get(i + 1) == Some(&'"') || b.get(i + 1) == Some(&'#'))
            && (i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_'))
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            j += 1;
            let start_line = line;
            let mut s = String::new();
            while j < b.len() {
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    break;
                }
                line += usize::from(b[j] == '\n');
                s.push(b[j]);
                j += 1;
            }
            out.push((start_line, s));
            i = j + 1 + hashes;
        } else if c == '"' {
            let start_line = line;
            let mut s = String::new();
            let mut j = i + 1;
            while j < b.len() && b[j] != '"' {
                if b[j] == '\\' {
                    match b.get(j + 1) {
                        Some('\n') => {
                            line += 1;
                            j += 2;
                            while j < b.len() && b[j].is_whitespace() {
                                line += usize::from(b[j] == '\n');
                                j += 1;
                            }
                            continue;
                        }
                        Some('n') => s.push('\n'),
                        Some(&e) => s.push(e),
                        None => {}
                    }
                    j += 2;
                    continue;
                }
                line += usize::from(b[j] == '\n');
                s.push(b[j]);
                j += 1;
            }
            out.push((start_line, s));
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('"', '\'', 'あ') or a lifetime ('a).
            if b.get(i + 1) == Some(&'\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The string literals of a JavaScript source; a template's `${…}` becomes a hole and the code in it
/// is scanned for literals of its own.
fn js_literals(src: &str) -> Vec<(usize, String)> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    js_code(&b, &mut 0, &mut line, &mut out, false);
    out
}

/// Scans code from `*i`; inside a template's `${…}` (`nested`), stops after the closing brace.
fn js_code(
    b: &[char],
    i: &mut usize,
    line: &mut usize,
    out: &mut Vec<(usize, String)>,
    nested: bool,
) {
    let mut depth = 0;
    while *i < b.len() {
        let c = b[*i];
        match c {
            '\n' => {
                *line += 1;
                *i += 1;
            }
            '/' if b.get(*i + 1) == Some(&'/') => {
                while *i < b.len() && b[*i] != '\n' {
                    *i += 1;
                }
            }
            '/' if b.get(*i + 1) == Some(&'*') => {
                while *i + 1 < b.len() && !(b[*i] == '*' && b[*i + 1] == '/') {
                    *line += usize::from(b[*i] == '\n');
                    *i += 1;
                }
                *i += 2;
            }
            '\'' | '"' => {
                let start = *line;
                let mut s = String::new();
                *i += 1;
                while *i < b.len() && b[*i] != c && b[*i] != '\n' {
                    if b[*i] == '\\' {
                        s.push(if b.get(*i + 1) == Some(&'n') {
                            '\n'
                        } else {
                            b.get(*i + 1).copied().unwrap_or(' ')
                        });
                        *i += 2;
                        continue;
                    }
                    s.push(b[*i]);
                    *i += 1;
                }
                *i += 1;
                out.push((start, s));
            }
            '`' => {
                let start = *line;
                let mut s = String::new();
                *i += 1;
                while *i < b.len() && b[*i] != '`' {
                    if b[*i] == '\\' {
                        s.push(b.get(*i + 1).copied().unwrap_or(' '));
                        *i += 2;
                        continue;
                    }
                    if b[*i] == '$' && b.get(*i + 1) == Some(&'{') {
                        *i += 2;
                        js_code(b, i, line, out, true);
                        s.push(HOLE);
                        continue;
                    }
                    *line += usize::from(b[*i] == '\n');
                    s.push(b[*i]);
                    *i += 1;
                }
                *i += 1;
                out.push((start, s));
            }
            '{' => {
                depth += 1;
                *i += 1;
            }
            '}' => {
                *i += 1;
                if nested && depth == 0 {
                    return;
                }
                depth -= 1;
            }
            _ => *i += 1,
        }
    }
}

fn files(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "pkg" && n != "data") {
                files(&path, ext, out);
            }
        } else if path
            .extension()
            .is_some_and(|e| ext.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
}

#[test]
fn every_japanese_literal_follows_the_glossary() {
    let rejected = rejected();
    let mut paths = Vec::new();
    files(&root().join("src"), &["rs"], &mut paths);
    files(&root().join("www"), &["js", "html"], &mut paths);
    paths.sort();
    let mut found = Vec::new();
    let mut literals = 0;
    // src/text/spacing.rs holds the rule's own examples of bad spacing, in its unit tests.
    paths.retain(|p| !p.ends_with("src/text/spacing.rs"));
    for path in &paths {
        let src = fs::read_to_string(path).unwrap();
        let lits = match path.extension().and_then(|e| e.to_str()) {
            Some("rs") => rust_literals(&src),
            Some("js") => js_literals(&src),
            // The page's HTML: its text between tags, line by line.
            _ => src
                .lines()
                .enumerate()
                .map(|(n, l)| (n + 1, l.to_string()))
                .collect(),
        };
        for (line, lit) in lits.iter().filter(|(_, l)| has_japanese(l)) {
            literals += 1;
            for p in problems(lit, &rejected) {
                let rel = path.strip_prefix(root()).unwrap().display();
                found.push(format!("{rel}:{line}: {p}\n    {lit}"));
            }
        }
    }
    assert!(
        literals > 500,
        "the scan finds the Japanese text ({literals} literals)"
    );
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

fn cli_ja(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(["--lang", "ja"])
        .args(args)
        .current_dir(root())
        .output()
        .expect("flowlens runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap()
}

#[test]
fn japanese_explanations_and_summary_follow_the_glossary() {
    let rejected = rejected();
    let files = ["tests/data/seed.log", "tests/data/aws-docs-examples.log"];
    let mut found = Vec::new();
    for args in [
        &files[..1],
        &files[1..],
        &["--summary", files[0], files[1]][..],
    ] {
        let out = cli_ja(args);
        assert!(out.contains("送信元"), "{out}");
        for line in out.lines() {
            // The CLI's columns are padded with spaces: check each column's text on its own.
            for cell in line.split("  ").filter(|c| has_japanese(c)) {
                for p in problems(cell, &rejected) {
                    found.push(format!("{args:?}: {p}\n    {line}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_rules_catch_what_they_should() {
    let rejected = rejected();
    let bad = [
        "10.0.0.1 から あなたのインスタンス へ",
        "の ポート 20641 へ",
        "範囲（1024～65535） のエフェメラルポート",
        "AMAZON（Amazon（AWS のアドレス全般））",
        "クライアントの一時ポート",
        "VPCのフローログ",
        "ポート22へ",
    ];
    for b in bad {
        assert!(!problems(b, &rejected).is_empty(), "{b}");
    }
    let good = [
        "10.0.4.135（プライベート、VPC 内）から 15.152.63.145（AWS EC2、大阪）の NTP (123) へ",
        "アカウント 123456789010 のネットワークインターフェイス",
        "AMAZON（AWS のアドレス全般）",
    ];
    for g in good {
        assert_eq!(problems(g, &rejected), Vec::<String>::new(), "{g}");
    }
    let lits = rust_literals("let c = '\"'; // \"コメント の\"\nt!(\"a\", \"一 \\\n    二\")");
    assert_eq!(lits, [(2, "a".to_string()), (2, "一 二".to_string())]);
    let lits = js_literals("x: (a) => `${a} の ${b ? 'あ' : ''}`,");
    assert_eq!(lits[0].1, "あ");
    assert_eq!(lits.last().unwrap().1, format!("{HOLE} の {HOLE}"));
}

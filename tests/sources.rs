//! The page's sources (`www/`): no HTML built from strings, no code built from strings, and a
//! Content-Security-Policy that forbids inline and eval'd scripts and lets the page talk only to
//! itself and AWS's ip-ranges.json. Generated files (`www/pkg/`, wasm-bindgen's glue) are left out.

use std::path::{Path, PathBuf};

fn www() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("www")
}

/// `www/**/*.js` (but `www/pkg/`) and `www/*.html`.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, top: bool, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if !(top && name == "pkg") && name != "node_modules" {
                    walk(&p, false, out);
                }
            } else if name.ends_with(".js")
                || name.ends_with(".mjs")
                || (top && name.ends_with(".html"))
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&www(), true, &mut out);
    out.sort();
    out
}

/// Constructs that turn strings into HTML or code.
const FORBIDDEN: &[&str] = &[
    "innerHTML",
    "outerHTML",
    "insertAdjacentHTML",
    "document.write",
    "eval(",
    "new Function",
    "Function(",
    "setTimeout(\"",
    "setTimeout('",
    "setTimeout(`",
    "setInterval(\"",
    "setInterval('",
    "setInterval(`",
    "javascript:",
];

/// Occurrences of `pat` in `text` that are not the tail of a longer name (`retrieval(` is fine).
fn occurrences(text: &str, pat: &str) -> Vec<usize> {
    text.match_indices(pat)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
                || !pat.starts_with(|c: char| c.is_alphabetic())
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn no_html_or_code_from_strings() {
    let files = sources();
    assert!(files.iter().any(|f| f.ends_with("index.html")), "{files:?}");
    assert!(files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "js")));
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for pat in FORBIDDEN {
            for at in occurrences(&text, pat) {
                let line = text[..at].matches('\n').count() + 1;
                found.push(format!("{}:{line}: {pat}", f.display()));
            }
        }
        // inline scripts and inline event handlers would need 'unsafe-inline'
        if f.extension().is_some_and(|e| e == "html") {
            let lower = text.to_ascii_lowercase();
            for (at, _) in lower.match_indices("<script") {
                let tag_end = lower[at..].find('>').map_or(lower.len(), |e| at + e);
                if !lower[at..tag_end].contains(" src=") {
                    found.push(format!("{}: inline <script>", f.display()));
                }
            }
            for handler in [
                " onclick=",
                " onload=",
                " onerror=",
                " oninput=",
                " onchange=",
            ] {
                if lower.contains(handler) {
                    found.push(format!("{}: inline handler{handler}", f.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "strings turned into HTML or code:\n{}",
        found.join("\n")
    );
}

/// The policy's directives, by name.
fn csp(html: &str) -> Vec<(String, Vec<String>)> {
    let lower = html.to_ascii_lowercase();
    let at = lower
        .find("http-equiv=\"content-security-policy\"")
        .expect("index.html has a Content-Security-Policy meta");
    let tag_start = lower[..at].rfind('<').unwrap();
    let tag_end = at + lower[at..].find('>').unwrap();
    let tag = &html[tag_start..tag_end];
    let c = tag.find("content=\"").expect("the meta has a content") + "content=\"".len();
    let content = &tag[c..c + tag[c..].find('"').unwrap()];
    content
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace().map(str::to_string);
            Some((words.next()?.to_ascii_lowercase(), words.collect()))
        })
        .collect()
}

#[test]
fn content_security_policy_is_strict() {
    let html = std::fs::read_to_string(www().join("index.html")).unwrap();
    let policy = csp(&html);
    let get = |name: &str| {
        policy
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name} in {policy:?}"))
    };
    let scripts = get("script-src");
    assert!(scripts.iter().any(|s| s == "'self'"), "{scripts:?}");
    for s in &scripts {
        assert!(
            s == "'self'" || s == "'wasm-unsafe-eval'",
            "script-src allows {s}"
        );
    }
    let connect = get("connect-src");
    assert!(!connect.is_empty());
    for c in &connect {
        assert!(
            c == "'self'" || c == "https://ip-ranges.amazonaws.com",
            "connect-src allows {c}"
        );
    }
    for (name, values) in &policy {
        for v in values {
            assert!(
                v != "'unsafe-inline'" && v != "'unsafe-eval'" && v != "*",
                "{name} allows {v}"
            );
        }
    }
    if let Some((_, d)) = policy.iter().find(|(n, _)| n == "default-src") {
        assert_eq!(d, &["'self'"], "default-src");
    }
}

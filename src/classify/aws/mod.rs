//! AWS's published address ranges (ip-ranges.json): a longest-prefix-match index.
//!
//! The file lists each (prefix, service) pair; the same prefix appears under several services and
//! prefixes nest. The index merges the services of each prefix, links each prefix to its nearest
//! enclosing one (its supernet), and flattens the nested prefixes into sorted, disjoint intervals,
//! each pointing at the most specific prefix covering it, so a lookup is one binary search
//! (see [`super::intervals`]).

mod prefix;
pub mod regions;
mod scan;

use crate::classify::intervals::{find, flatten_sorted, Interval, V4Index};
use crate::text::Lang;
use crate::util::fxhash::FxBuild;
use ipnet::IpNet;
pub use prefix::{AwsPrefix, Name};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

/// The loaded ranges and their index.
#[derive(Clone, Debug, Default)]
pub struct AwsRanges {
    /// The file's `createDate` (`YYYY-MM-DD-hh-mm-ss`, UTC).
    pub create_date: String,
    /// The file's `syncToken`.
    pub sync_token: String,
    /// Distinct prefixes, in address order (IPv4 first; a prefix before the longer ones it
    /// holds).
    pub prefixes: Vec<AwsPrefix>,
    /// Number of IPv4 prefixes in `prefixes`.
    pub ipv4_count: usize,
    /// Entries in the file (one per prefix and service).
    pub entries: usize,
    v4: V4Index,
    v6: Vec<Interval<u128>>,
}

/// The shortest IPv4 prefix a usable file may list. AWS's shortest are /11: a /0 (or anything near
/// it) would make every address look like AWS's, so such a file is refused as hostile or broken.
pub const MIN_IPV4_PREFIX: u8 = 8;
/// The shortest IPv6 prefix a usable file may list (AWS's shortest are /32).
pub const MIN_IPV6_PREFIX: u8 = 16;

/// Why an ip-ranges.json was refused; [`AwsRangesError::message`] says it in English or
/// Japanese (`Display` is the English one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsRangesError(Reason);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Reason {
    /// The bytes are not UTF-8 text; the first bad byte is at this offset.
    NotUtf8(usize),
    /// Not JSON, cut short, or JSON of another shape: serde_json's message (English), its kind
    /// and where (line and column from 1; line 0 when it does not say).
    Json {
        kind: JsonProblem,
        line: usize,
        column: usize,
        message: String,
    },
    /// Both lists are empty.
    NoPrefixes,
    /// `list[index]`'s prefix (shortened) is not an IP prefix.
    NotAPrefix {
        list: &'static str,
        index: usize,
        shown: String,
    },
    /// `list[index]`'s prefix (shortened) is of the other IP version.
    WrongList {
        list: &'static str,
        index: usize,
        shown: String,
    },
    /// `list[index]`'s prefix is shorter than `min` bits (such as `0.0.0.0/0`): it would cover a
    /// large part of the Internet, which AWS never lists.
    TooWide {
        list: &'static str,
        index: usize,
        shown: String,
        min: u8,
    },
}

/// What kind of JSON problem, for the Japanese wording.
#[derive(Clone, Debug, PartialEq, Eq)]
enum JsonProblem {
    /// Not JSON (or something after the top-level value).
    Syntax,
    /// The text ends before the JSON does.
    Eof,
    /// A required key is missing.
    Missing(String),
    /// A key appears twice in one object.
    Duplicate(String),
    /// A value of another type than the file's (found, expected: serde's English words).
    Type(String, String),
    /// Anything else serde reports.
    Other,
}

impl AwsRangesError {
    fn json(e: &serde_json::Error) -> AwsRangesError {
        use serde_json::error::Category;
        let message = e.to_string();
        // serde's message before " at line L column C".
        let what = match message.rfind(" at line ") {
            Some(i) if e.line() > 0 => &message[..i],
            _ => &message[..],
        };
        // The name between backquotes, as serde writes it ("missing field `region`").
        let quoted = |s: &str| s.trim_matches('`').to_string();
        let kind = match e.classify() {
            Category::Eof => JsonProblem::Eof,
            Category::Syntax | Category::Io => JsonProblem::Syntax,
            Category::Data => {
                if let Some(f) = what.strip_prefix("missing field ") {
                    JsonProblem::Missing(quoted(f))
                } else if let Some(f) = what.strip_prefix("duplicate field ") {
                    JsonProblem::Duplicate(quoted(f))
                } else if let Some((found, expected)) = what
                    .strip_prefix("invalid type: ")
                    .and_then(|t| t.split_once(", expected "))
                {
                    JsonProblem::Type(found.to_string(), expected.to_string())
                } else {
                    JsonProblem::Other
                }
            }
        };
        AwsRangesError(Reason::Json {
            kind,
            line: e.line(),
            column: e.column(),
            message,
        })
    }

    /// Why the file was refused, in `lang`: "not a usable ip-ranges.json: ..." /
    /// "使える ip-ranges.json ではありません: ...".
    pub fn message(&self, lang: Lang) -> String {
        let why = match lang {
            Lang::En => self.reason_en(),
            Lang::Ja => self.reason_ja(),
        };
        match lang {
            Lang::En => format!("not a usable ip-ranges.json: {why}"),
            Lang::Ja => format!("使える ip-ranges.json ではありません: {why}"),
        }
    }

    fn reason_en(&self) -> String {
        match &self.0 {
            Reason::NotUtf8(at) => format!("not UTF-8 text (invalid byte at offset {at})"),
            Reason::Json { message, .. } => message.clone(),
            Reason::NoPrefixes => "it lists no prefixes".into(),
            Reason::NotAPrefix { list, index, shown } => {
                format!("{list}[{index}]: '{shown}' is not an IP prefix")
            }
            Reason::WrongList { list, index, shown } => format!(
                "{list}[{index}]: '{shown}' is in the wrong list (IPv{} in {list})",
                if *list == "prefixes" { 6 } else { 4 }
            ),
            Reason::TooWide {
                list,
                index,
                shown,
                min,
            } => format!(
                "{list}[{index}]: '{shown}' is too wide (AWS lists no prefix shorter than /{min})"
            ),
        }
    }

    fn reason_ja(&self) -> String {
        match &self.0 {
            Reason::NotUtf8(at) => format!("UTF-8 のテキストではありません（{at} バイト目が不正）"),
            Reason::Json {
                kind, line, column, ..
            } => {
                let what = match kind {
                    JsonProblem::Syntax => "JSON として正しくありません".to_string(),
                    JsonProblem::Eof => "JSON の途中でファイルが終わっています".to_string(),
                    JsonProblem::Missing(f) => format!("必要な項目 {f} がありません"),
                    JsonProblem::Duplicate(f) => format!("項目 {f} が重複しています"),
                    JsonProblem::Type(found, expected) => format!(
                        "値の型が違います（{}ではなく{}であるべき値）",
                        json_type_ja(found),
                        json_type_ja(expected)
                    ),
                    JsonProblem::Other => "ip-ranges.json の形式ではありません".to_string(),
                };
                if *line > 0 {
                    format!("{what}（{line} 行 {column} 列）")
                } else {
                    what
                }
            }
            Reason::NoPrefixes => "プレフィックスが 1 つもありません".into(),
            Reason::NotAPrefix { list, index, shown } => {
                format!("{list}[{index}]: '{shown}' は IP プレフィックスではありません")
            }
            Reason::WrongList { list, index, shown } => format!(
                "{list}[{index}]: '{shown}' は別のリストのものです（{list} に IPv{}）",
                if *list == "prefixes" { 6 } else { 4 }
            ),
            Reason::TooWide {
                list,
                index,
                shown,
                min,
            } => format!(
                "{list}[{index}]: '{shown}' は広すぎます（AWS は /{min} より短いプレフィックスを載せません）"
            ),
        }
    }
}

/// serde's English name of a JSON type ("a string", "integer `5`", "map") in Japanese, the value
/// kept where serde gives it.
fn json_type_ja(t: &str) -> String {
    let t = t.trim_start_matches("a ").trim_start_matches("an ");
    let (kind, value) = match t.split_once(' ') {
        Some((k, v)) if v.starts_with('`') || v.starts_with('"') => (k, Some(v)),
        _ => (t, None),
    };
    let ja = match kind {
        "string" => "文字列",
        "sequence" => "配列",
        "map" | "struct" => "オブジェクト",
        "integer" => "整数",
        "floating" => "数値",
        "boolean" => "真偽値",
        "null" | "unit" => "null",
        "option" => "null または値",
        _ => return t.to_string(),
    };
    match value {
        Some(v) if kind != "struct" => format!("{ja} {v} "),
        _ => ja.to_string(),
    }
}

impl fmt::Display for AwsRangesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for AwsRangesError {}

#[derive(Deserialize)]
struct RawFile<'a> {
    #[serde(rename = "syncToken", default)]
    sync_token: Option<String>,
    #[serde(rename = "createDate")]
    create_date: String,
    #[serde(borrow)]
    prefixes: Vec<RawPrefix<'a>>,
    #[serde(default, borrow)]
    ipv6_prefixes: Vec<RawPrefix<'a>>,
}

/// An entry, its strings borrowed from the file's text where they have no escapes (owned only
/// when kept).
#[derive(Deserialize)]
struct RawPrefix<'a> {
    #[serde(alias = "ipv6_prefix", borrow)]
    ip_prefix: Cow<'a, str>,
    #[serde(borrow)]
    region: Cow<'a, str>,
    #[serde(borrow)]
    service: Cow<'a, str>,
    #[serde(default, borrow)]
    network_border_group: Option<Cow<'a, str>>,
}

impl AwsRanges {
    /// Parses ip-ranges.json text and builds the index.
    ///
    /// A scanner specialised for the file's layout does the work; whatever it does not handle
    /// (escapes, unusual spellings, any error) goes through serde_json, which gives the messages.
    pub fn parse(json: &str) -> Result<AwsRanges, AwsRangesError> {
        Self::parse_bytes(json.as_bytes())
    }

    /// [`AwsRanges::parse`] from the file's bytes (what the page has): the fast path reads them
    /// without a UTF-8 pass over the whole file (it checks the strings it keeps); the serde path
    /// checks the whole text first.
    pub fn parse_bytes(json: &[u8]) -> Result<AwsRanges, AwsRangesError> {
        // A file saved by a Windows tool: UTF-16 with its byte order mark (PowerShell's `>`),
        // or UTF-8 after one.
        if let Some(text) = crate::util::utf16::decode_utf16_with_bom(json) {
            return Self::parse_bytes(text.as_bytes());
        }
        let json = crate::util::utf16::strip_utf8_bom(json);
        if let Some(r) = Self::parse_fast_bytes(json) {
            return Ok(r);
        }
        let text = std::str::from_utf8(json)
            .map_err(|e| AwsRangesError(Reason::NotUtf8(e.valid_up_to())))?;
        Self::parse_serde(text)
    }

    /// The fast path alone: `None` where it would hand over to serde. For tests and benchmarks.
    #[doc(hidden)]
    pub fn parse_fast(json: &str) -> Option<AwsRanges> {
        Self::parse_fast_bytes(json.as_bytes())
    }

    /// [`AwsRanges::parse_fast`] from bytes.
    #[doc(hidden)]
    pub fn parse_fast_bytes(json: &[u8]) -> Option<AwsRanges> {
        let s = scan::scan(json)?;
        let mut ranges = AwsRanges {
            create_date: s.create_date,
            sync_token: s.sync_token,
            prefixes: s.prefixes,
            ipv4_count: s.ipv4_count,
            entries: s.entries,
            v4: V4Index::default(),
            v6: Vec::new(),
        };
        ranges.build_index();
        Some(ranges)
    }

    /// The serde path alone (what [`AwsRanges::parse`] falls back to). For tests and benchmarks.
    #[doc(hidden)]
    pub fn parse_serde(json: &str) -> Result<AwsRanges, AwsRangesError> {
        // A UTF-8 byte order mark is read as [`AwsRanges::parse_bytes`] reads it.
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let raw: RawFile = serde_json::from_str(json).map_err(|e| AwsRangesError::json(&e))?;
        if raw.prefixes.is_empty() && raw.ipv6_prefixes.is_empty() {
            return Err(AwsRangesError(Reason::NoPrefixes));
        }
        let mut by_net: HashMap<IpNet, usize, FxBuild> = HashMap::default();
        let mut names: HashMap<String, Name, FxBuild> = HashMap::default();
        let mut name = |s: Cow<'_, str>| -> Name {
            match names.get(&*s) {
                Some(n) => n.clone(),
                None => {
                    let n = Name::from(&*s);
                    names.insert(s.into_owned(), n.clone());
                    n
                }
            }
        };
        // Services as names while the file is read; shared lists at the end.
        let mut prefixes: Vec<(IpNet, Name, Vec<Name>, Option<Name>)> = Vec::new();
        let entries = raw.prefixes.len() + raw.ipv6_prefixes.len();
        for (list, want_v4) in [(raw.prefixes, true), (raw.ipv6_prefixes, false)] {
            let list_name = if want_v4 { "prefixes" } else { "ipv6_prefixes" };
            for (index, p) in list.into_iter().enumerate() {
                // What the entry says, shortened: the file may be hostile.
                let shown = || shown(&p.ip_prefix);
                let net: IpNet = p.ip_prefix.trim().parse().map_err(|_| {
                    AwsRangesError(Reason::NotAPrefix {
                        list: list_name,
                        index,
                        shown: shown(),
                    })
                })?;
                if matches!(net, IpNet::V4(_)) != want_v4 {
                    return Err(AwsRangesError(Reason::WrongList {
                        list: list_name,
                        index,
                        shown: shown(),
                    }));
                }
                let min = if want_v4 {
                    MIN_IPV4_PREFIX
                } else {
                    MIN_IPV6_PREFIX
                };
                if net.prefix_len() < min {
                    return Err(AwsRangesError(Reason::TooWide {
                        list: list_name,
                        index,
                        shown: shown(),
                        min,
                    }));
                }
                // Host bits set: keep the network it names.
                let net = net.trunc();
                match by_net.get(&net) {
                    Some(&i) => {
                        let services = &mut prefixes[i].2;
                        if !services.iter().any(|s| **s == *p.service) {
                            services.push(name(p.service));
                        }
                    }
                    None => {
                        by_net.insert(net, prefixes.len());
                        prefixes.push((
                            net,
                            name(p.region),
                            vec![name(p.service)],
                            p.network_border_group.map(&mut name),
                        ));
                    }
                }
            }
        }
        // In address order, then by length, IPv4 first (as the fast path gives them).
        prefixes.sort_unstable_by_key(|p| match p.0 {
            IpNet::V4(n) => (0, u128::from(u32::from(n.network())), n.prefix_len()),
            IpNet::V6(n) => (1, u128::from(n.network()), n.prefix_len()),
        });
        let mut lists: HashMap<Vec<Name>, Arc<[Name]>, FxBuild> = HashMap::default();
        let prefixes: Vec<AwsPrefix> = prefixes
            .into_iter()
            .map(|(net, region, services, network_border_group)| AwsPrefix {
                net,
                region,
                services: lists
                    .entry(services)
                    .or_insert_with_key(|s| s.as_slice().into())
                    .clone(),
                network_border_group,
                parent: None,
            })
            .collect();
        let ipv4_count = prefixes.iter().filter(|p| p.net.addr().is_ipv4()).count();
        let mut ranges = AwsRanges {
            create_date: raw.create_date,
            sync_token: raw.sync_token.unwrap_or_default(),
            prefixes,
            ipv4_count,
            entries,
            v4: V4Index::default(),
            v6: Vec::new(),
        };
        ranges.build_index();
        Ok(ranges)
    }

    fn build_index(&mut self) {
        let mut v4: Vec<(u32, u32, u32)> = Vec::with_capacity(self.ipv4_count);
        let mut v6: Vec<(u128, u128, u32)> = Vec::with_capacity(self.ipv6_count());
        for (i, p) in self.prefixes.iter().enumerate() {
            match p.net {
                IpNet::V4(n) => v4.push((n.network().into(), n.broadcast().into(), i as u32)),
                IpNet::V6(n) => v6.push((n.network().into(), n.broadcast().into(), i as u32)),
            }
        }
        // The prefixes are distinct and in address order, then by length (shorter, so outer,
        // first), which is flatten's order.
        let (i4, parents4) = flatten_sorted(v4);
        let (i6, parents6) = flatten_sorted(v6);
        for (child, parent) in parents4.into_iter().chain(parents6) {
            self.prefixes[child as usize].parent = Some(parent);
        }
        self.v4 = V4Index::new(i4);
        self.v6 = i6;
    }

    /// The most specific prefix containing `ip`, if AWS lists one.
    pub fn lookup(&self, ip: IpAddr) -> Option<&AwsPrefix> {
        let i = match ip {
            IpAddr::V4(a) => self.v4.find(u32::from(a)),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => self.v4.find(u32::from(v4)),
                None => find(&self.v6, u128::from(a)),
            },
        }?;
        self.prefixes.get(i as usize)
    }

    /// The prefixes enclosing `prefix`, nearest first.
    pub fn supernets<'a>(&'a self, prefix: &'a AwsPrefix) -> impl Iterator<Item = &'a AwsPrefix> {
        let mut next = prefix.parent;
        std::iter::from_fn(move || {
            let p = self.prefixes.get(next? as usize)?;
            next = p.parent;
            Some(p)
        })
    }

    /// Number of IPv6 prefixes.
    pub fn ipv6_count(&self) -> usize {
        self.prefixes.len() - self.ipv4_count
    }
}

/// At most 60 characters of a value from the file, for a message.
fn shown(s: &str) -> String {
    let mut out: String = s.chars().take(60).filter(|c| !c.is_control()).collect();
    if s.chars().nth(60).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> AwsRanges {
        AwsRanges::parse(
            r#"{"syncToken":"1","createDate":"2026-01-01-00-00-00","prefixes":[
            {"ip_prefix":"35.55.0.0/17","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"},
            {"ip_prefix":"35.55.126.0/24","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"},
            {"ip_prefix":"35.55.126.0/24","region":"us-east-1","service":"EC2","network_border_group":"us-east-1"},
            {"ip_prefix":"35.55.126.128/25","region":"us-east-1","service":"S3","network_border_group":"us-east-1"},
            {"ip_prefix":"1.2.3.4/32","region":"eu-west-1","service":"AMAZON","network_border_group":"eu-west-1"}],
            "ipv6_prefixes":[{"ipv6_prefix":"2600:1f00::/24","region":"us-west-2","service":"AMAZON","network_border_group":"us-west-2"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn nested_prefixes_give_the_longest_match_with_merged_services() {
        let r = small();
        let p = r.lookup("35.55.126.5".parse().unwrap()).unwrap();
        assert_eq!(p.net.to_string(), "35.55.126.0/24");
        assert_eq!(
            p.services.iter().map(|s| &**s).collect::<Vec<_>>(),
            ["AMAZON", "EC2"]
        );
        let p = r.lookup("35.55.126.200".parse().unwrap()).unwrap();
        assert_eq!(p.net.to_string(), "35.55.126.128/25");
        let sup: Vec<String> = r.supernets(p).map(|p| p.net.to_string()).collect();
        assert_eq!(sup, ["35.55.126.0/24", "35.55.0.0/17"]);
        // after the nested ones, the outer prefix resumes
        let p = r.lookup("35.55.127.1".parse().unwrap()).unwrap();
        assert_eq!(p.net.to_string(), "35.55.0.0/17");
        let p = r.lookup("35.55.0.0".parse().unwrap()).unwrap();
        assert_eq!(p.net.to_string(), "35.55.0.0/17");
        assert!(r.lookup("35.55.128.0".parse().unwrap()).is_none());
        assert!(r.lookup("1.2.3.5".parse().unwrap()).is_none());
        assert!(r.lookup("1.2.3.4".parse().unwrap()).is_some());
        assert!(r.lookup("2600:1f00::1".parse().unwrap()).is_some());
        assert!(r.lookup("2601::1".parse().unwrap()).is_none());
        assert_eq!((r.ipv4_count, r.ipv6_count(), r.entries), (4, 1, 6));
    }

    #[test]
    fn malformed_files_are_refused_with_a_reason() {
        assert!(AwsRanges::parse("").is_err());
        assert!(AwsRanges::parse("{\"createDate\":\"x\",\"prefixes\":[]}").is_err());
        let e = AwsRanges::parse(
            r#"{"createDate":"x","prefixes":[{"ip_prefix":"2600::/16","region":"r","service":"S"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("wrong list"), "{e}");
    }

    #[test]
    fn prefixes_wider_than_aws_ever_lists_are_refused() {
        let file = |v4: &str, v6: &str| {
            format!(
                r#"{{"syncToken":"1","createDate":"2026-01-01-00-00-00","prefixes":[
                {{"ip_prefix":"{v4}","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"}}],
                "ipv6_prefixes":[{{"ipv6_prefix":"{v6}","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"}}]}}"#
            )
        };
        for (v4, v6, want) in [
            (
                "0.0.0.0/0",
                "2600::/32",
                "prefixes[0]: '0.0.0.0/0' is too wide",
            ),
            (
                "8.0.0.0/7",
                "2600::/32",
                "prefixes[0]: '8.0.0.0/7' is too wide",
            ),
            ("3.0.0.0/11", "::/0", "ipv6_prefixes[0]: '::/0' is too wide"),
            (
                "3.0.0.0/11",
                "2600::/15",
                "ipv6_prefixes[0]: '2600::/15' is too wide",
            ),
        ] {
            let json = file(v4, v6);
            assert!(AwsRanges::parse_fast(&json).is_none(), "{json}");
            let e = AwsRanges::parse(&json).unwrap_err();
            assert!(e.to_string().contains(want), "{e}");
            assert!(e.message(Lang::Ja).contains("広すぎます"), "{e}");
        }
        let ok = AwsRanges::parse(&file("8.0.0.0/8", "2600::/16")).unwrap();
        assert_eq!(ok.prefixes.len(), 2);
        assert!(AwsRanges::parse_fast(&file("8.0.0.0/8", "2600::/16")).is_some());
    }

    #[test]
    fn refusals_are_explained_in_both_languages() {
        let ja = |json: &[u8]| AwsRanges::parse_bytes(json).unwrap_err().message(Lang::Ja);
        let cases: [(&[u8], &str, &str); 8] = [
            (b"", "EOF while parsing", "JSON の途中でファイルが終わっています（1 行 0 列）"),
            (b"not json", "expected", "JSON として正しくありません（1 行 2 列）"),
            (br#"{"prefixes":[]}"#, "missing field `createDate`", "必要な項目 createDate がありません"),
            (br#"{"createDate":5,"prefixes":[]}"#, "invalid type: integer `5`", "値の型が違います（整数 `5` ではなく文字列であるべき値）"),
            (br#"{"createDate":"d","createDate":"d","prefixes":[]}"#, "duplicate field", "項目 createDate が重複しています"),
            (br#"{"createDate":"x","prefixes":[]}"#, "it lists no prefixes", "プレフィックスが 1 つもありません"),
            (br#"{"createDate":"x","prefixes":[{"ip_prefix":"x","region":"r","service":"S"}]}"#, "prefixes[0]: 'x' is not an IP prefix", "prefixes[0]: 'x' は IP プレフィックスではありません"),
            (br#"{"createDate":"x","prefixes":[{"ip_prefix":"2600::/16","region":"r","service":"S"}]}"#, "is in the wrong list (IPv6 in prefixes)", "prefixes[0]: '2600::/16' は別のリストのものです（prefixes に IPv6）"),
        ];
        for (json, en, want) in cases {
            let e = AwsRanges::parse_bytes(json).unwrap_err();
            assert!(e.to_string().contains(en), "{e}");
            assert_eq!(e.to_string(), e.message(Lang::En));
            let m = ja(json);
            assert!(
                m.starts_with("使える ip-ranges.json ではありません: "),
                "{m}"
            );
            assert!(m.contains(want), "{m}");
            // no English left in the Japanese reason (names from the file and JSON words aside)
            assert!(!m.contains("expected") && !m.contains("missing"), "{m}");
        }
        assert!(ja(b"\xff").contains("UTF-8 のテキストではありません（0 バイト目が不正）"));
    }
}

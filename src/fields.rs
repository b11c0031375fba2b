//! The field-spec table: every flow log field flowlens knows, with its stable key (AWS's hyphenated
//! name), the version that introduced it, its value kind, and its label and meaning in English and
//! Japanese. This one table drives parsing, annotation, the page's field reference and the docs.
//! Adding a field is one entry in [`FIELDS`].

use crate::lang::{Lang, Text};
use crate::t;
use serde::Serialize;

/// How a field's value is parsed and explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The record's format version (integer).
    Version,
    /// A 12-digit AWS account ID, or `unknown`; kept as a string.
    AccountId,
    /// A network interface ID, `eni-…`.
    InterfaceId,
    /// An IPv4 or IPv6 address.
    Address,
    /// A TCP/UDP port, 0-65535.
    Port,
    /// An IANA protocol number, 0-255.
    Protocol,
    /// A packet count.
    Packets,
    /// A byte count.
    Bytes,
    /// A Unix time in seconds.
    Time,
    /// `ACCEPT` or `REJECT`.
    Action,
    /// `OK`, `NODATA` or `SKIPDATA`.
    LogStatus,
}

impl Kind {
    /// True when values of this kind are integers (JSON numbers).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Kind::Version | Kind::Port | Kind::Protocol | Kind::Packets | Kind::Bytes | Kind::Time
        )
    }

    /// What a value of this kind must look like, for error messages.
    pub fn expectation(self) -> Text {
        match self {
            Kind::Version => t!("a version number (integer)", "バージョン番号（整数）"),
            Kind::AccountId => t!(
                "a 12-digit AWS account ID or 'unknown'",
                "12 桁の AWS アカウント ID または 'unknown'"
            ),
            Kind::InterfaceId => t!(
                "a network interface ID (eni-…)",
                "ネットワークインターフェイス ID（eni-…）"
            ),
            Kind::Address => t!("an IPv4 or IPv6 address", "IPv4 または IPv6 アドレス"),
            Kind::Port => t!("a port 0-65535", "0～65535 のポート番号"),
            Kind::Protocol => t!("a protocol number 0-255", "0～255 のプロトコル番号"),
            Kind::Packets => t!("a packet count (integer)", "パケット数（整数）"),
            Kind::Bytes => t!("a byte count (integer)", "バイト数（整数）"),
            Kind::Time => t!("a Unix time in seconds", "Unix 時刻（秒）"),
            Kind::Action => t!("ACCEPT or REJECT", "ACCEPT または REJECT"),
            Kind::LogStatus => t!("OK, NODATA or SKIPDATA", "OK、NODATA または SKIPDATA"),
        }
    }
}

/// One field of a flow log record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// AWS's hyphenated name, e.g. `srcaddr`, `log-status`: the stable key everywhere.
    pub key: &'static str,
    /// The flow log version that introduced the field.
    pub version: u8,
    /// How the value is parsed and explained.
    pub kind: Kind,
    /// A short label, e.g. "Source address".
    pub label: Text,
    /// What the field means, after AWS's documentation.
    pub meaning: Text,
}

/// Every field flowlens knows, in the order of AWS's documentation.
pub static FIELDS: &[FieldSpec] = &[
    FieldSpec {
        key: "version",
        version: 2,
        kind: Kind::Version,
        label: t!("Version", "バージョン"),
        meaning: t!(
            "The flow log version. The default format is version 2; a custom format has the highest version among its fields.",
            "フローログのバージョン。デフォルト形式はバージョン 2、カスタム形式では含まれるフィールドの最大のバージョンになります。"
        ),
    },
    FieldSpec {
        key: "account-id",
        version: 2,
        kind: Kind::AccountId,
        label: t!("Account ID", "アカウント ID"),
        meaning: t!(
            "The AWS account ID of the owner of the source network interface. For an interface created by an AWS service (a VPC endpoint, a Network Load Balancer) it may be 'unknown'.",
            "送信元ネットワークインターフェイスの所有者の AWS アカウント ID。AWS のサービスが作成したインターフェイス（VPC エンドポイント、Network Load Balancer など）では 'unknown' になることがあります。"
        ),
    },
    FieldSpec {
        key: "interface-id",
        version: 2,
        kind: Kind::InterfaceId,
        label: t!("Interface ID", "インターフェイス ID"),
        meaning: t!(
            "The ID of the network interface (ENI) whose traffic is recorded.",
            "トラフィックが記録されたネットワークインターフェイス（ENI）の ID。"
        ),
    },
    FieldSpec {
        key: "srcaddr",
        version: 2,
        kind: Kind::Address,
        label: t!("Source address", "送信元アドレス"),
        meaning: t!(
            "The source address of incoming traffic, or the interface's own address for outgoing traffic.",
            "受信トラフィックの送信元アドレス、または送信トラフィックではインターフェイス自身のアドレス。"
        ),
    },
    FieldSpec {
        key: "dstaddr",
        version: 2,
        kind: Kind::Address,
        label: t!("Destination address", "送信先アドレス"),
        meaning: t!(
            "The destination address of outgoing traffic, or the interface's own address for incoming traffic.",
            "送信トラフィックの送信先アドレス、または受信トラフィックではインターフェイス自身のアドレス。"
        ),
    },
    FieldSpec {
        key: "srcport",
        version: 2,
        kind: Kind::Port,
        label: t!("Source port", "送信元ポート"),
        meaning: t!(
            "The source port of the traffic.",
            "トラフィックの送信元ポート。"
        ),
    },
    FieldSpec {
        key: "dstport",
        version: 2,
        kind: Kind::Port,
        label: t!("Destination port", "送信先ポート"),
        meaning: t!(
            "The destination port of the traffic.",
            "トラフィックの送信先ポート。"
        ),
    },
    FieldSpec {
        key: "protocol",
        version: 2,
        kind: Kind::Protocol,
        label: t!("Protocol", "プロトコル"),
        meaning: t!(
            "The IANA protocol number of the traffic (6 TCP, 17 UDP, 1 ICMP, ...).",
            "トラフィックの IANA プロトコル番号（6 は TCP、17 は UDP、1 は ICMP など）。"
        ),
    },
    FieldSpec {
        key: "packets",
        version: 2,
        kind: Kind::Packets,
        label: t!("Packets", "パケット数"),
        meaning: t!(
            "The number of packets transferred during the flow.",
            "フロー中に転送されたパケットの数。"
        ),
    },
    FieldSpec {
        key: "bytes",
        version: 2,
        kind: Kind::Bytes,
        label: t!("Bytes", "バイト数"),
        meaning: t!(
            "The number of bytes transferred during the flow.",
            "フロー中に転送されたバイト数。"
        ),
    },
    FieldSpec {
        key: "start",
        version: 2,
        kind: Kind::Time,
        label: t!("Start", "開始時刻"),
        meaning: t!(
            "When the first packet of the flow was received within the aggregation interval (Unix seconds).",
            "集約間隔内でフローの最初のパケットを受信した時刻（Unix 秒）。"
        ),
    },
    FieldSpec {
        key: "end",
        version: 2,
        kind: Kind::Time,
        label: t!("End", "終了時刻"),
        meaning: t!(
            "When the last packet of the flow was received within the aggregation interval (Unix seconds).",
            "集約間隔内でフローの最後のパケットを受信した時刻（Unix 秒）。"
        ),
    },
    FieldSpec {
        key: "action",
        version: 2,
        kind: Kind::Action,
        label: t!("Action", "アクション"),
        meaning: t!(
            "ACCEPT: the traffic was allowed by the security groups and network ACLs. REJECT: it was not (REJECT also covers packets that arrive after a connection closed).",
            "ACCEPT: セキュリティグループとネットワーク ACL で許可された通信。REJECT: 許可されなかった通信（接続終了後に届いたパケットも REJECT になります）。"
        ),
    },
    FieldSpec {
        key: "log-status",
        version: 2,
        kind: Kind::LogStatus,
        label: t!("Log status", "ログステータス"),
        meaning: t!(
            "OK: data is logged normally. NODATA: no traffic during the aggregation interval. SKIPDATA: some records were skipped (capacity constraint or internal error).",
            "OK: 正常に記録されています。NODATA: 集約間隔中に通信がありませんでした。SKIPDATA: 一部のレコードがスキップされました（容量の制約または内部エラー）。"
        ),
    },
];

/// The default format: the 14 version-2 fields, in AWS's order.
pub const DEFAULT_FORMAT: [&str; 14] = [
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
];

/// An index into [`FIELDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u16);

impl FieldId {
    /// The field's spec.
    pub fn spec(self) -> &'static FieldSpec {
        &FIELDS[self.0 as usize]
    }
}

/// The field with AWS name `key` (`srcaddr`, `log-status`); `${key}` is accepted too.
pub fn field_id(key: &str) -> Option<FieldId> {
    let key = key
        .strip_prefix("${")
        .and_then(|k| k.strip_suffix('}'))
        .unwrap_or(key);
    FIELDS
        .iter()
        .position(|f| f.key == key)
        .map(|i| FieldId(i as u16))
}

/// The spec of field `key`.
pub fn spec(key: &str) -> Option<&'static FieldSpec> {
    field_id(key).map(FieldId::spec)
}

/// A field spec in one language, as the page's field reference and the docs show it.
#[derive(Clone, Debug, Serialize)]
pub struct FieldSpecView {
    /// AWS's name.
    pub key: &'static str,
    /// Label in the chosen language.
    pub label: &'static str,
    /// Value kind.
    pub kind: Kind,
    /// Version that introduced the field.
    pub version: u8,
    /// Meaning in the chosen language.
    pub meaning: &'static str,
}

/// The whole table in `lang`.
pub fn field_specs(lang: Lang) -> Vec<FieldSpecView> {
    FIELDS
        .iter()
        .map(|f| FieldSpecView {
            key: f.key,
            label: f.label.get(lang),
            kind: f.kind,
            version: f.version,
            meaning: f.meaning.get(lang),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_format_fields_are_all_specified_in_order() {
        let ids: Vec<u16> = DEFAULT_FORMAT
            .iter()
            .map(|k| field_id(k).expect(k).0)
            .collect();
        assert_eq!(ids, (0..14).collect::<Vec<u16>>());
    }

    #[test]
    fn keys_are_unique_and_texts_are_bilingual() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(FIELDS[i + 1..].iter().all(|g| g.key != f.key), "{}", f.key);
            for text in [f.label, f.meaning] {
                assert!(!text.en.is_empty() && !text.ja.is_empty(), "{}", f.key);
                assert_ne!(text.en, text.ja, "{}", f.key);
            }
        }
    }

    #[test]
    fn format_string_syntax_is_accepted() {
        assert_eq!(field_id("${srcaddr}"), field_id("srcaddr"));
        assert_eq!(field_id("nope"), None);
    }
}

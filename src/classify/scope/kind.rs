//! What kind of address an address is, and IANA's special-purpose blocks: the types the
//! generated table [`super::iana`] fills.

use crate::t;
use crate::text::Text;
use serde::Serialize;

/// What kind of address an address is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Globally routable: in no special-purpose block.
    Public,
    /// Private-use (RFC 1918): 10/8, 172.16/12, 192.168/16.
    Private,
    /// Shared address space for carrier-grade NAT (RFC 6598): 100.64/10.
    Shared,
    /// Loopback: 127/8, ::1.
    Loopback,
    /// Link-local: 169.254/16, fe80::/10.
    LinkLocal,
    /// Reserved for documentation and examples: 192.0.2/24, 198.51.100/24, 203.0.113/24,
    /// 2001:db8::/32, 3fff::/20.
    Documentation,
    /// Reserved for benchmarking: 198.18/15, 2001:2::/48.
    Benchmarking,
    /// Multicast: 224/4, ff00::/8.
    Multicast,
    /// IPv6 unique local addresses: fc00::/7.
    UniqueLocal,
    /// An IPv4 address mapped into IPv6: ::ffff:0:0/96.
    Ipv4Mapped,
    /// IPv4/IPv6 translation (NAT64): 64:ff9b::/96, 64:ff9b:1::/48, and the NAT64 discovery
    /// addresses 192.0.0.170-171.
    Nat64,
    /// "This network": 0.0.0.0/8.
    ThisNetwork,
    /// The unspecified address: ::, 0.0.0.0.
    Unspecified,
    /// Reserved: 240/4, IETF protocol assignments not otherwise listed, IPv6 outside 2000::/3.
    Reserved,
    /// The limited broadcast address 255.255.255.255.
    Broadcast,
    /// Another special-purpose block (AS112, anycast services, TEREDO, 6to4, ...).
    Other,
}

impl Scope {
    /// Every scope, public first, in the order of the enum.
    pub const ALL: [Scope; 16] = [
        Scope::Public,
        Scope::Private,
        Scope::Shared,
        Scope::Loopback,
        Scope::LinkLocal,
        Scope::Documentation,
        Scope::Benchmarking,
        Scope::Multicast,
        Scope::UniqueLocal,
        Scope::Ipv4Mapped,
        Scope::Nat64,
        Scope::ThisNetwork,
        Scope::Unspecified,
        Scope::Reserved,
        Scope::Broadcast,
        Scope::Other,
    ];

    /// The stable key, as serialized: "private", "link-local", "unique-local", "public".
    pub fn key(self) -> &'static str {
        match self {
            Scope::Public => "public",
            Scope::Private => "private",
            Scope::Shared => "shared",
            Scope::Loopback => "loopback",
            Scope::LinkLocal => "link-local",
            Scope::Documentation => "documentation",
            Scope::Benchmarking => "benchmarking",
            Scope::Multicast => "multicast",
            Scope::UniqueLocal => "unique-local",
            Scope::Ipv4Mapped => "ipv4-mapped",
            Scope::Nat64 => "nat64",
            Scope::ThisNetwork => "this-network",
            Scope::Unspecified => "unspecified",
            Scope::Reserved => "reserved",
            Scope::Broadcast => "broadcast",
            Scope::Other => "other",
        }
    }

    /// A short description: "private (RFC 1918)", "public".
    pub fn label(self) -> Text {
        match self {
            Scope::Public => t!("public", "パブリック"),
            Scope::Private => t!("private (RFC 1918)", "RFC 1918 のプライベートアドレス"),
            Scope::Shared => t!("shared (CGNAT, RFC 6598)", "CGNAT 用の共有アドレス"),
            Scope::Loopback => t!("loopback", "ループバック"),
            Scope::LinkLocal => t!("link-local", "リンクローカル"),
            Scope::Documentation => t!(
                "documentation (example addresses)",
                "ドキュメント用アドレス"
            ),
            Scope::Benchmarking => t!("benchmarking", "ベンチマーク用"),
            Scope::Multicast => t!("multicast", "マルチキャスト"),
            Scope::UniqueLocal => t!(
                "unique local (IPv6 private)",
                "IPv6 のユニークローカルアドレス"
            ),
            Scope::Ipv4Mapped => t!("IPv4-mapped IPv6", "IPv4 射影 IPv6 アドレス"),
            Scope::Nat64 => t!(
                "NAT64 (IPv4/IPv6 translation)",
                "IPv4/IPv6 変換用の NAT64 アドレス"
            ),
            Scope::ThisNetwork => t!("\"this network\"", "「このネットワーク」"),
            Scope::Unspecified => t!("unspecified", "未指定アドレス"),
            Scope::Reserved => t!("reserved", "予約済み"),
            Scope::Broadcast => t!("broadcast", "ブロードキャスト"),
            Scope::Other => t!("special-purpose (IANA)", "IANA の特殊用途アドレス"),
        }
    }
}

/// An IANA special-purpose block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecialBlock {
    /// The block for display: "10.0.0.0/8".
    pub prefix: &'static str,
    /// IANA's name: "Private-Use".
    pub name: &'static str,
    /// The defining document(s): "RFC 1918".
    pub rfc: &'static str,
    /// IANA's "Globally Reachable" column; `None` where IANA says N/A or the block is terminated.
    pub globally_reachable: Option<bool>,
    /// The scope of addresses in the block.
    pub scope: Scope,
}

//! Hints: what a record suggests beyond its fields, as `[{key, text}]`.
//!
//! - `scan`: an inbound REJECT from the internet to a remote-administration or database port,
//!   the trace of the scans every public address receives.
//! - `network-acl`: a REJECTed reply whose request was ACCEPTed (the reversed flow, in the same
//!   input): security groups are stateful and let replies through, network ACLs are not.
//! - `reject`: any other REJECT: flow logs do not say whether a security group or a network ACL
//!   rejected it.
//! - `nodata`, `skipdata`: what a record without data means for the reader.

use super::entry::{Direction, Hint, HintKey};
use super::summary::port_phrase;
use super::{AddrInfo, Context, InputFacts, RecordExt, RecordRef};
use crate::classify::port::Transport;
use crate::model::fields::id;
use crate::model::value::ValueRef;
use crate::text::Lang;

/// Remote-administration and database ports that scanners probe on every public address.
pub const ADMIN_PORTS: &[u16] = &[
    21,    // FTP
    22,    // SSH
    23,    // Telnet
    135,   // Microsoft RPC
    139,   // NetBIOS session
    445,   // SMB
    1433,  // SQL Server
    1521,  // Oracle Database
    2375,  // Docker API
    2376,  // Docker API (TLS)
    3306,  // MySQL
    3389,  // RDP
    5432,  // PostgreSQL
    5900,  // VNC
    5985,  // WinRM
    5986,  // WinRM (HTTPS)
    6379,  // Redis
    9200,  // Elasticsearch
    11211, // Memcached
    27017, // MongoDB
];

fn hint(key: HintKey, text: String) -> Hint {
    Hint {
        key,
        text,
        line: None,
        file: None,
        file_line: None,
    }
}

/// The hints of a record, in `lang`.
pub fn hints(rec: &RecordRef<'_>, ctx: &Context<'_>, input: &InputFacts, lang: Lang) -> Vec<Hint> {
    let mut out = Vec::new();
    let en = lang == Lang::En;
    match rec.text(id::LOG_STATUS) {
        Some("NODATA") => out.push(hint(
            HintKey::Nodata,
            if en {
                "Nothing is wrong: the interface had no logged traffic in this window. Some traffic is never logged and cannot appear here either: instance metadata (169.254.169.254), Amazon Time Sync (169.254.169.123), DHCP, and queries to the Amazon DNS server.".into()
            } else {
                "異常ではありません。この時間帯、インターフェイスに記録対象の通信がありませんでした。インスタンスメタデータ（169.254.169.254）、Amazon Time Sync（169.254.169.123）、DHCP、Amazon DNS サーバーへの問い合わせなど、もともと記録されない通信もあります。".into()
            },
        )),
        Some("SKIPDATA") => out.push(hint(
            HintKey::Skipdata,
            if en {
                "Totals for this interface and window are incomplete: some records were not written (AWS reports an internal capacity constraint or error, not a setting of yours).".into()
            } else {
                "このインターフェイスと時間帯の集計は不完全です。一部のレコードが書き込まれませんでした（AWS 内部の容量制約またはエラーによるもので、設定の問題ではありません）。".into()
            },
        )),
        _ => {}
    }
    if rec.text(id::ACTION) != Some("REJECT") {
        return out;
    }
    let (Some(src), Some(dst)) = (rec.addr(id::SRCADDR), rec.addr(id::DSTADDR)) else {
        return out;
    };
    let transport = rec.transport();
    let dport = rec.uint(id::DSTPORT).and_then(|p| u16::try_from(p).ok());
    let src_info = AddrInfo::new(src, ctx);
    let dst_info = AddrInfo::new(dst, ctx);
    let inbound = match rec.direction(input) {
        Some(d) => d == Direction::Inbound,
        None => !dst_info.is_internet() && dst_info.aws.is_none(),
    };
    let admin = dport.filter(|p| {
        ADMIN_PORTS.contains(p) && matches!(transport, Some(Transport::Tcp | Transport::Udp))
    });
    let reply = rec.roles().map(|r| !r.is_request());
    if let (Some(p), true, true) = (admin, inbound, src_info.is_internet()) {
        let port = port_phrase(u64::from(p), transport, None, lang);
        out.push(hint(
            HintKey::Scan,
            if en {
                format!("A connection attempt from the internet ({src}) to {port} was rejected. This looks like one of the automated scans that probe every public address for remote-administration and database ports; a security group or network ACL blocked it, as intended. Nothing to do unless you expected this traffic.")
            } else {
                format!("インターネット（{src}）から {port} への接続の試みが拒否されました。パブリックアドレスのリモート管理ポートやデータベースのポートを片端から探る自動スキャンによく見られるものです。セキュリティグループまたはネットワーク ACL が意図どおりにブロックしました。想定した通信でなければ対応は不要です。")
            },
        ));
    } else if let (Some(line), false) = (input.accepted_reverse(rec), reply == Some(false)) {
        out.push(Hint {
            line: Some(line),
            ..hint(
            HintKey::NetworkAcl,
            if en {
                format!("The flow in the other direction (line {line}) was accepted, but this reply was rejected. Security groups are stateful and always let the replies of an allowed flow through, so this points at a network ACL, which is stateless: check that the subnet's network ACL allows these replies (for TCP and UDP, the client's ephemeral ports, 1024-65535) in this direction.")
            } else {
                format!("逆方向のフロー（{line} 行目）は許可されていますが、この応答は拒否されました。セキュリティグループはステートフルで、許可したフローの応答は常に通すため、ステートレスなネットワーク ACL が原因と考えられます。サブネットのネットワーク ACL がこの方向の応答（TCP と UDP ではクライアントのエフェメラルポート 1024～65535）を許可しているか確認してください。")
            },
        )});
    } else if rec.get("reject-reason").and_then(ValueRef::text).is_none() {
        out.push(hint(
            HintKey::Reject,
            if en {
                "Flow logs do not say what rejected this traffic: a security group (stateful: it only filters the request, replies pass) or a network ACL (stateless: requests and replies are each checked). If the reverse flow is accepted in the same input, a network ACL is the likely cause.".into()
            } else {
                "フローログには、何がこの通信を拒否したかは記録されません。セキュリティグループ（ステートフル: リクエストだけを評価し、応答は自動的に許可する）またはネットワーク ACL（ステートレス: リクエストと応答をそれぞれ評価する）です。同じ入力で逆方向のフローが許可されていれば、ネットワーク ACL が原因の可能性が高いです。".into()
            },
        ));
    }
    out
}

//! Everything known about one address, and how it is described.

use super::{region_long, services_short, Context};
use crate::classify::aws::AwsPrefix;
use crate::classify::scope::{self, Scope, ScopeInfo, WellKnown};
use crate::lang::Lang;
use crate::tables::regions;
use serde_json::{json, Value as Json};
use std::net::IpAddr;

/// Everything known about one address.
#[derive(Clone, Copy, Debug)]
pub struct AddrInfo<'a> {
    /// The address.
    pub ip: IpAddr,
    /// Its IANA scope.
    pub scope: ScopeInfo,
    /// An AWS well-known address (instance metadata, Time Sync, DNS, ...).
    pub well_known: Option<WellKnown>,
    /// The most specific AWS prefix containing it.
    pub aws: Option<&'a AwsPrefix>,
}

impl<'a> AddrInfo<'a> {
    /// Classifies `ip`.
    pub fn new(ip: IpAddr, ctx: &Context<'a>) -> AddrInfo<'a> {
        let scope = scope::scope(ip);
        AddrInfo {
            ip,
            scope,
            well_known: scope::aws_well_known(ip),
            aws: ctx.aws.and_then(|r| r.lookup(ip)),
        }
    }

    /// A few words for the summary: "private, in your VPC", "AWS EC2, Osaka", "public internet".
    pub fn short(&self, lang: Lang) -> String {
        if let Some(w) = self.well_known {
            return w.label.get(lang).to_string();
        }
        if let Some(p) = self.aws {
            let services = services_short(p);
            let place = regions::region_city(&p.region)
                .map(|t| t.get(lang).to_string())
                .unwrap_or_else(|| p.region.clone());
            return match (lang, services.is_empty()) {
                (Lang::En, false) => format!("AWS {services}, {place}"),
                (Lang::En, true) => format!("AWS, {place}"),
                (Lang::Ja, false) => format!("AWS {services}、{place}"),
                (Lang::Ja, true) => format!("AWS、{place}"),
            };
        }
        match (self.scope.scope, lang) {
            (Scope::Private, Lang::En) => "private, in your VPC".into(),
            (Scope::Private, Lang::Ja) => "プライベート、VPC 内".into(),
            (Scope::Public, Lang::En) => "public internet".into(),
            (Scope::Public, Lang::Ja) => "インターネット".into(),
            (s, lang) => s.label().get(lang).to_string(),
        }
    }

    /// The annotation's sentence(s).
    fn text(&self, lang: Lang) -> String {
        let ip = self.ip;
        let mut s = String::new();
        if let Some(w) = self.well_known {
            s.push_str(&match lang {
                Lang::En => format!("{ip} is AWS's {}. ", w.label.en),
                Lang::Ja => format!("{ip} は AWS の{}です。", w.label.ja),
            });
        }
        let block = self.scope.block.map(|b| match lang {
            Lang::En => format!(" (IANA: {}, {}, {})", b.name, b.rfc, b.prefix),
            Lang::Ja => format!("（IANA: {}、{}、{}）", b.name, b.rfc, b.prefix),
        });
        let block = block.unwrap_or_default();
        let scope_label = self.scope.scope.label().get(lang);
        if let Some(p) = self.aws {
            let region = region_long(&p.region, lang);
            let nbg = p.network_border_group.as_deref().unwrap_or("-");
            s.push_str(&match lang {
                Lang::En => format!(
                    "{ip} belongs to AWS: prefix {} (services {}), region {region}, network border group {nbg}.",
                    p.net,
                    p.services.join(", ")
                ),
                Lang::Ja => format!(
                    "{ip} は AWS のアドレスです: プレフィックス {}（サービス {}）、リージョン {region}、ネットワークボーダーグループ {nbg}。",
                    p.net,
                    p.services.join("、")
                ),
            });
            return s;
        }
        s.push_str(&match (self.scope.scope, lang) {
            (Scope::Private, Lang::En) => format!(
                "{ip} is a private address{block}: inside your VPC or a network connected to it, not reachable from the internet."
            ),
            (Scope::Private, Lang::Ja) => format!(
                "{ip} はプライベートアドレスです{block}。VPC 内または接続先のネットワークのアドレスで、インターネットからは到達できません。"
            ),
            (Scope::Public, Lang::En) => {
                format!("{ip} is a public internet address, not in AWS's published ranges.")
            }
            (Scope::Public, Lang::Ja) => format!(
                "{ip} はインターネット上のパブリックアドレスで、AWS の公開アドレス範囲には含まれません。"
            ),
            (_, Lang::En) => format!("{ip}: {scope_label}{block}."),
            (_, Lang::Ja) => format!("{ip}: {scope_label}{block}。"),
        });
        s
    }

    /// The address field's annotation.
    pub fn annotation(&self, raw: &str, lang: Lang) -> Json {
        let aws = self.aws.map(|p| {
            json!({
                "prefix": p.net.to_string(),
                "region": p.region,
                "region_name": region_long(&p.region, lang),
                "services": p.services,
                "network_border_group": p.network_border_group,
            })
        });
        let value = self.short(lang);
        json!({
            "text": self.text(lang),
            "value": value,
            "raw": raw,
            "scope": self.scope.scope.key(),
            "scope_label": self.scope.scope.label().get(lang),
            "iana_block": self.scope.block.map(|b| b.prefix),
            "well_known": self.well_known.map(|w| w.key),
            "aws": aws,
        })
    }
}

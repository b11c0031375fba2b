//! Everything known about one address, and how it is described.

use super::codes;
use super::entry::{AddressExtras, Annotation, AwsOwner, AwsZone, Extras, Supernet};
use super::{region_long, services_short, Context};
use crate::classify::aws::regions::{self, Zone, ZoneKind};
use crate::classify::aws::{AwsPrefix, AwsRanges};
use crate::classify::clouds::{self, CloudPrefix};
use crate::classify::scope::{self, Scope, ScopeInfo, WellKnown};
use crate::text::Lang;
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
    /// The most specific prefix of another cloud (Google Cloud, Oracle Cloud, Cloudflare)
    /// containing it, when it is not AWS's.
    pub cloud: Option<CloudPrefix>,
    /// The network interface whose own address this is (see [`super::InputFacts`]).
    pub interface: Option<&'a str>,
    ranges: Option<&'a AwsRanges>,
}

/// The zone of an AWS prefix whose network border group is not its region.
fn zone_of(p: &AwsPrefix) -> Option<Zone<'_>> {
    regions::zone(&p.region, p.network_border_group.as_deref()?)
}

/// "a Local Zone in Los Angeles" / "ロサンゼルスのローカルゾーン".
fn zone_words(z: &Zone<'_>, lang: Lang) -> String {
    let place = z.place.map(|t| t.get(lang));
    match (z.kind, place, lang) {
        (ZoneKind::Local, Some(p), Lang::En) => format!("a Local Zone in {p}"),
        (ZoneKind::Local, None, Lang::En) => format!("a Local Zone ({})", z.location),
        (ZoneKind::Wavelength, Some(p), Lang::En) => {
            format!("a Wavelength Zone (a carrier's 5G network) in {p}")
        }
        (ZoneKind::Wavelength, None, Lang::En) => {
            format!("a Wavelength Zone (a carrier's 5G network, {})", z.location)
        }
        (ZoneKind::Local, Some(p), Lang::Ja) => format!("{p}のローカルゾーン"),
        (ZoneKind::Local, None, Lang::Ja) => format!("ローカルゾーン（{}）", z.location),
        (ZoneKind::Wavelength, Some(p), Lang::Ja) => {
            format!("{p}の Wavelength Zone（通信事業者の 5G ネットワーク内）")
        }
        (ZoneKind::Wavelength, None, Lang::Ja) => format!(
            "Wavelength Zone（通信事業者の 5G ネットワーク内、{}）",
            z.location
        ),
    }
}

/// A service code with its name when flowlens knows it: "EC2 (Amazon EC2)"; unknown codes as
/// they are.
fn service_words(code: &str, lang: Lang) -> String {
    match codes::aws_service(code) {
        Some(t) if t.get(lang) != code => match lang {
            Lang::En => format!("{code} ({})", t.en),
            Lang::Ja => format!("{code}（{}）", t.ja),
        },
        _ => code.to_string(),
    }
}

impl<'a> AddrInfo<'a> {
    /// Classifies `ip`.
    pub fn new(ip: IpAddr, ctx: &Context<'a>) -> AddrInfo<'a> {
        let scope = scope::scope(ip);
        let aws = ctx.aws.and_then(|r| r.lookup(ip));
        let cloud = match (aws, scope.scope) {
            (None, Scope::Public) => clouds::lookup(ip),
            _ => None,
        };
        AddrInfo {
            ip,
            scope,
            well_known: scope::aws_well_known(ip),
            aws,
            cloud,
            interface: None,
            ranges: ctx.aws,
        }
    }

    /// The same, known to be the own address of network interface `id`.
    pub fn of_interface(self, id: Option<&'a str>) -> AddrInfo<'a> {
        AddrInfo {
            interface: id,
            ..self
        }
    }

    /// True for a public address that is neither AWS's nor an AWS well-known one: a host on the
    /// internet (possibly in another cloud).
    pub fn is_internet(&self) -> bool {
        self.scope.scope == Scope::Public && self.aws.is_none() && self.well_known.is_none()
    }

    /// A few words for the summary: "private, in your VPC", "AWS EC2, Osaka", "Google Cloud,
    /// us-central1", "public internet".
    pub fn short(&self, lang: Lang) -> String {
        if let Some(w) = self.well_known {
            return w.label.get(lang).to_string();
        }
        if let Some(p) = self.aws {
            let services = services_short(p);
            let place = match zone_of(p).and_then(|z| Some((z.kind, z.place?))) {
                Some((ZoneKind::Local, t)) => match lang {
                    Lang::En => format!("{} Local Zone", t.en),
                    Lang::Ja => format!("{}のローカルゾーン", t.ja),
                },
                Some((ZoneKind::Wavelength, t)) => match lang {
                    Lang::En => format!("{} Wavelength Zone", t.en),
                    Lang::Ja => format!("{}の Wavelength Zone", t.ja),
                },
                None => regions::region_city(&p.region)
                    .map(|t| t.get(lang).to_string())
                    .unwrap_or_else(|| p.region.to_string()),
            };
            return match (lang, services.is_empty()) {
                (Lang::En, false) => format!("AWS {services}, {place}"),
                (Lang::En, true) => format!("AWS, {place}"),
                (Lang::Ja, false) => format!("AWS {services}、{place}"),
                (Lang::Ja, true) => format!("AWS、{place}"),
            };
        }
        if let Some(c) = &self.cloud {
            return match (c.region, lang) {
                (None, _) => c.provider.to_string(),
                (Some(r), Lang::En) => format!("{}, {r}", c.provider),
                (Some(r), Lang::Ja) => format!("{}、{r}", c.provider),
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

    /// The AWS part of the annotation's text.
    fn aws_text(&self, p: &AwsPrefix, lang: Lang) -> String {
        let ip = self.ip;
        let region = region_long(&p.region, lang);
        let services: Vec<String> = p.services.iter().map(|s| service_words(s, lang)).collect();
        let nbg = p.network_border_group.as_deref().unwrap_or("-");
        let mut s = match lang {
            Lang::En => format!(
                "{ip} belongs to AWS: prefix {} (services {}), region {region}, network border group {nbg}.",
                p.net,
                services.join(", ")
            ),
            Lang::Ja => format!(
                "{ip} は AWS のアドレスです。プレフィックス {}、サービス {}、リージョン {region}、ネットワークボーダーグループ {nbg}。",
                p.net,
                services.join("・")
            ),
        };
        if let Some(z) = zone_of(p) {
            s.push_str(&match lang {
                Lang::En => format!(
                    " The border group is not the region: {nbg} is {}, attached to {}; addresses of a border group are used only there.",
                    zone_words(&z, lang),
                    p.region
                ),
                Lang::Ja => format!(
                    "ボーダーグループはリージョンと異なります: {nbg} は {} の{}で、このボーダーグループのアドレスはそこでのみ使われます。",
                    p.region,
                    zone_words(&z, lang)
                ),
            });
        }
        let supernets: Vec<String> = self.supernets(p).map(|q| q.net.to_string()).collect();
        if !supernets.is_empty() {
            s.push_str(&match lang {
                Lang::En => format!(" Enclosing AWS prefixes: {}.", supernets.join(", ")),
                Lang::Ja => format!(
                    "これを含む AWS のプレフィックス: {}。",
                    supernets.join("、")
                ),
            });
        }
        s
    }

    fn supernets<'b>(&'b self, p: &'b AwsPrefix) -> impl Iterator<Item = &'b AwsPrefix> + 'b {
        self.ranges.into_iter().flat_map(move |r| r.supernets(p))
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
            s.push_str(&self.aws_text(p, lang));
        } else if let Some(c) = &self.cloud {
            let mut parts = vec![match lang {
                Lang::En => format!("prefix {}", c.prefix),
                Lang::Ja => format!("プレフィックス {}", c.prefix),
            }];
            if let Some(r) = c.region {
                parts.push(match lang {
                    Lang::En => format!("region {r}"),
                    Lang::Ja => format!("リージョン {r}"),
                });
            }
            if let Some(sv) = c.service {
                parts.push(match lang {
                    Lang::En => format!("service {sv}"),
                    Lang::Ja => format!("サービス {sv}"),
                });
            }
            s.push_str(&match lang {
                Lang::En => format!(
                    "{ip} is a public internet address of {}, in its published ranges: {}. It is not AWS's.",
                    c.provider,
                    parts.join(", ")
                ),
                Lang::Ja => format!(
                    "{ip} は {} が公開しているアドレス範囲に含まれるインターネット上のアドレスです: {}。AWS のアドレスではありません。",
                    c.provider,
                    parts.join("、")
                ),
            });
        } else {
            s.push_str(&match (self.scope.scope, lang) {
                (Scope::Private, Lang::En) => format!(
                    "{ip} is a private address{block}: inside your VPC or a network connected to it, not reachable from the internet."
                ),
                (Scope::Private, Lang::Ja) => format!(
                    "{ip} はプライベートアドレスです{block}。VPC 内または接続先のネットワークのアドレスで、インターネットからは到達できません。"
                ),
                (Scope::Public, Lang::En) => format!(
                    "{ip} is a public internet address, not in AWS's published ranges (nor in Google Cloud's, Oracle Cloud's or Cloudflare's)."
                ),
                (Scope::Public, Lang::Ja) => format!(
                    "{ip} はインターネット上のパブリックアドレスで、AWS が公開しているアドレス範囲には含まれません（Google Cloud、Oracle Cloud、Cloudflare の範囲にも含まれません）。"
                ),
                (_, Lang::En) => format!("{ip}: {scope_label}{block}."),
                (_, Lang::Ja) => format!("{ip}: {scope_label}{block}。"),
            });
        }
        if let Some(id) = self.interface {
            s.push_str(&match lang {
                Lang::En => format!(
                    " It is the address of network interface {id}: your instance (it is in every record of {id} in this input)."
                ),
                Lang::Ja => format!(
                    "ネットワークインターフェイス {id} のアドレス、つまり自インスタンスです（この入力の {id} のすべてのレコードに現れます）。"
                ),
            });
        }
        s
    }

    /// The address field's annotation.
    pub fn annotation(&self, raw: &str, lang: Lang) -> Annotation {
        let aws = self.aws.map(|p| AwsOwner {
            prefix: p.net,
            region: p.region.clone(),
            region_name: region_long(&p.region, lang),
            services: p.services.clone(),
            network_border_group: p.network_border_group.clone(),
            zone: zone_of(p).map(|z| AwsZone {
                kind: match z.kind {
                    ZoneKind::Local => "local",
                    ZoneKind::Wavelength => "wavelength",
                },
                location: z.location.to_string(),
                place: z.place.map(|t| t.get(lang)),
                text: zone_words(&z, lang),
            }),
            supernets: self
                .supernets(p)
                .map(|q| Supernet {
                    prefix: q.net,
                    services: q.services.clone(),
                    region: q.region.clone(),
                })
                .collect(),
        });
        Annotation::new(self.text(lang), self.short(lang), raw).with(Extras::Address(Box::new(
            AddressExtras {
                scope: self.scope.scope,
                scope_label: self.scope.scope.label().get(lang),
                iana_block: self.scope.block.map(|b| b.prefix),
                well_known: self.well_known.map(|w| w.key),
                aws,
                cloud: self.cloud,
                interface: self.interface.map(str::to_string),
            },
        )))
    }
}

//! AWS region names and places, in English and Japanese.
//!
//! Written by hand from AWS's published region names (English and Japanese consoles and docs).
//! Covers every region code in the ip-ranges.json snapshot of 2026-08-22 (syncToken 1787411825)
//! plus a few other known codes. Names marked "unconfirmed" are best guesses for regions that were
//! new when this was written: check them against AWS's region list and correct them here.

use crate::t;
use crate::text::Text;

/// An AWS region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// The code: "ap-northeast-3".
    pub code: &'static str,
    /// AWS's name: "Asia Pacific (Osaka)" / "アジアパシフィック (大阪)".
    pub name: Text,
    /// The short place name: "Osaka" / "大阪".
    pub city: Text,
}

const fn r(code: &'static str, name: Text, city: Text) -> Region {
    Region { code, name, city }
}

/// The known regions, grouped by area.
#[rustfmt::skip]
pub static REGIONS: &[Region] = &[
    r("GLOBAL",
      t!("Global (not tied to one region, e.g. CloudFront edge locations)",
         "グローバル: 特定のリージョンに属さないアドレス、CloudFront のエッジロケーションなど"),
      t!("Global", "グローバル")),
    // North America
    r("us-east-1", t!("US East (N. Virginia)", "米国東部 (バージニア北部)"), t!("N. Virginia", "バージニア北部")),
    r("us-east-2", t!("US East (Ohio)", "米国東部 (オハイオ)"), t!("Ohio", "オハイオ")),
    r("us-west-1", t!("US West (N. California)", "米国西部 (北カリフォルニア)"), t!("N. California", "北カリフォルニア")),
    r("us-west-2", t!("US West (Oregon)", "米国西部 (オレゴン)"), t!("Oregon", "オレゴン")),
    // Unconfirmed: a new US region; AWS's name and place were not known when this was written.
    r("us-south-1", t!("US South", "米国南部"), t!("US South", "米国南部")),
    r("us-gov-east-1", t!("AWS GovCloud (US-East)", "AWS GovCloud (米国東部)"), t!("GovCloud (US-East)", "GovCloud (米国東部)")),
    r("us-gov-west-1", t!("AWS GovCloud (US-West)", "AWS GovCloud (米国西部)"), t!("GovCloud (US-West)", "GovCloud (米国西部)")),
    r("us-iso-east-1", t!("US ISO East", "US ISO East"), t!("US ISO East", "US ISO East")),
    r("us-iso-west-1", t!("US ISO West", "US ISO West"), t!("US ISO West", "US ISO West")),
    r("us-isob-east-1", t!("US ISOB East (Ohio)", "US ISOB East (オハイオ)"), t!("US ISOB East", "US ISOB East")),
    r("ca-central-1", t!("Canada (Central)", "カナダ (中部)"), t!("Central Canada", "カナダ中部")),
    r("ca-west-1", t!("Canada West (Calgary)", "カナダ西部 (カルガリー)"), t!("Calgary", "カルガリー")),
    // Unconfirmed Japanese name (English name as AWS publishes it).
    r("mx-central-1", t!("Mexico (Central)", "メキシコ (中部)"), t!("Mexico", "メキシコ")),
    // South America
    r("sa-east-1", t!("South America (São Paulo)", "南米 (サンパウロ)"), t!("São Paulo", "サンパウロ")),
    // Unconfirmed: assumed to be the announced region in Chile (Santiago).
    r("sa-west-1", t!("South America (Chile)", "南米 (チリ)"), t!("Chile", "チリ")),
    // Europe
    r("eu-central-1", t!("Europe (Frankfurt)", "欧州 (フランクフルト)"), t!("Frankfurt", "フランクフルト")),
    r("eu-central-2", t!("Europe (Zurich)", "欧州 (チューリッヒ)"), t!("Zurich", "チューリッヒ")),
    r("eu-west-1", t!("Europe (Ireland)", "欧州 (アイルランド)"), t!("Ireland", "アイルランド")),
    r("eu-west-2", t!("Europe (London)", "欧州 (ロンドン)"), t!("London", "ロンドン")),
    r("eu-west-3", t!("Europe (Paris)", "欧州 (パリ)"), t!("Paris", "パリ")),
    r("eu-south-1", t!("Europe (Milan)", "欧州 (ミラノ)"), t!("Milan", "ミラノ")),
    r("eu-south-2", t!("Europe (Spain)", "欧州 (スペイン)"), t!("Spain", "スペイン")),
    r("eu-north-1", t!("Europe (Stockholm)", "欧州 (ストックホルム)"), t!("Stockholm", "ストックホルム")),
    // Unconfirmed name: the AWS European Sovereign Cloud region in Brandenburg, Germany.
    r("eusc-de-east-1",
      t!("AWS European Sovereign Cloud (Germany)", "AWS 欧州ソブリンクラウド (ドイツ)"),
      t!("Brandenburg", "ブランデンブルク")),
    // Middle East and Africa
    r("il-central-1", t!("Israel (Tel Aviv)", "イスラエル (テルアビブ)"), t!("Tel Aviv", "テルアビブ")),
    r("me-south-1", t!("Middle East (Bahrain)", "中東 (バーレーン)"), t!("Bahrain", "バーレーン")),
    r("me-central-1", t!("Middle East (UAE)", "中東 (UAE)"), t!("UAE", "UAE")),
    // Unconfirmed: assumed to be the announced region in Saudi Arabia.
    r("me-west-1", t!("Middle East (Saudi Arabia)", "中東 (サウジアラビア)"), t!("Saudi Arabia", "サウジアラビア")),
    r("af-south-1", t!("Africa (Cape Town)", "アフリカ (ケープタウン)"), t!("Cape Town", "ケープタウン")),
    // Asia Pacific
    r("ap-northeast-1", t!("Asia Pacific (Tokyo)", "アジアパシフィック (東京)"), t!("Tokyo", "東京")),
    r("ap-northeast-2", t!("Asia Pacific (Seoul)", "アジアパシフィック (ソウル)"), t!("Seoul", "ソウル")),
    r("ap-northeast-3", t!("Asia Pacific (Osaka)", "アジアパシフィック (大阪)"), t!("Osaka", "大阪")),
    r("ap-east-1", t!("Asia Pacific (Hong Kong)", "アジアパシフィック (香港)"), t!("Hong Kong", "香港")),
    // Unconfirmed Japanese name.
    r("ap-east-2", t!("Asia Pacific (Taipei)", "アジアパシフィック (台北)"), t!("Taipei", "台北")),
    r("ap-south-1", t!("Asia Pacific (Mumbai)", "アジアパシフィック (ムンバイ)"), t!("Mumbai", "ムンバイ")),
    r("ap-south-2", t!("Asia Pacific (Hyderabad)", "アジアパシフィック (ハイデラバード)"), t!("Hyderabad", "ハイデラバード")),
    r("ap-southeast-1", t!("Asia Pacific (Singapore)", "アジアパシフィック (シンガポール)"), t!("Singapore", "シンガポール")),
    r("ap-southeast-2", t!("Asia Pacific (Sydney)", "アジアパシフィック (シドニー)"), t!("Sydney", "シドニー")),
    r("ap-southeast-3", t!("Asia Pacific (Jakarta)", "アジアパシフィック (ジャカルタ)"), t!("Jakarta", "ジャカルタ")),
    r("ap-southeast-4", t!("Asia Pacific (Melbourne)", "アジアパシフィック (メルボルン)"), t!("Melbourne", "メルボルン")),
    r("ap-southeast-5", t!("Asia Pacific (Malaysia)", "アジアパシフィック (マレーシア)"), t!("Malaysia", "マレーシア")),
    // Unconfirmed Japanese names for the two regions below.
    r("ap-southeast-6", t!("Asia Pacific (New Zealand)", "アジアパシフィック (ニュージーランド)"), t!("New Zealand", "ニュージーランド")),
    r("ap-southeast-7", t!("Asia Pacific (Thailand)", "アジアパシフィック (タイ)"), t!("Thailand", "タイ")),
    // China (operated separately, aws-cn partition)
    r("cn-north-1", t!("China (Beijing)", "中国 (北京)"), t!("Beijing", "北京")),
    r("cn-northwest-1", t!("China (Ningxia)", "中国 (寧夏)"), t!("Ningxia", "寧夏")),
];

/// The region with `code`, if known.
pub fn region(code: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.code == code)
}

/// AWS's name for region `code`: "ap-northeast-3" → "Asia Pacific (Osaka)" / "アジアパシフィック (大阪)".
/// `None` for unknown codes.
pub fn region_name(code: &str) -> Option<Text> {
    region(code).map(|r| r.name)
}

/// The short place name of region `code`: "Osaka" / "大阪". `None` for unknown codes.
pub fn region_city(code: &str) -> Option<Text> {
    region(code).map(|r| r.city)
}

/// What a network border group other than its region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoneKind {
    /// A Local Zone (`us-west-2-lax-1`), including dedicated ones (`ap-southeast-1-sggov-sin-1a`).
    Local,
    /// A Wavelength Zone, in a telecom carrier's 5G network (`ap-northeast-1-wl1-nrt-wlz-1`).
    Wavelength,
}

/// A network border group that is not its region: a Local Zone or a Wavelength Zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone<'a> {
    /// Local or Wavelength.
    pub kind: ZoneKind,
    /// The location code in the group's name (an IATA airport or city code): "lax".
    pub location: &'a str,
    /// The place, when flowlens knows the code: "Los Angeles" / "ロサンゼルス".
    pub place: Option<Text>,
}

/// The places of the location codes in the network border groups of the ip-ranges.json snapshot
/// of 2026-08-22 (IATA airport and city codes; written by hand). `cjj` (Cheongju airport) is
/// assumed to stand for the Daejeon Wavelength Zone; `foe` and `jan` are left unnamed.
#[rustfmt::skip]
const ZONE_PLACES: &[(&str, Text)] = &[
    ("akl", t!("Auckland", "オークランド")), ("ath", t!("Athens", "アテネ")),
    ("atl", t!("Atlanta", "アトランタ")),
    ("ber", t!("Berlin", "ベルリン")), ("bkk", t!("Bangkok", "バンコク")),
    ("bna", t!("Nashville", "ナッシュビル")), ("bos", t!("Boston", "ボストン")),
    ("bue", t!("Buenos Aires", "ブエノスアイレス")), ("ccu", t!("Kolkata", "コルカタ")),
    ("chi", t!("Chicago", "シカゴ")), ("cjj", t!("Daejeon", "大田")),
    ("clt", t!("Charlotte", "シャーロット")), ("cph", t!("Copenhagen", "コペンハーゲン")),
    ("del", t!("Delhi", "デリー")), ("den", t!("Denver", "デンバー")),
    ("dfw", t!("Dallas", "ダラス")), ("dtm", t!("Dortmund", "ドルトムント")),
    ("dtw", t!("Detroit", "デトロイト")), ("ham", t!("Hamburg", "ハンブルク")),
    ("han", t!("Hanoi", "ハノイ")), ("hel", t!("Helsinki", "ヘルシンキ")),
    ("hnl", t!("Honolulu", "ホノルル")), ("iah", t!("Houston", "ヒューストン")),
    ("ist", t!("Istanbul", "イスタンブール")), ("kix", t!("Osaka", "大阪")),
    ("las", t!("Las Vegas", "ラスベガス")), ("lax", t!("Los Angeles", "ロサンゼルス")),
    ("lim", t!("Lima", "リマ")), ("los", t!("Lagos", "ラゴス")),
    ("man", t!("Manchester", "マンチェスター")), ("mci", t!("Kansas City", "カンザスシティ")),
    ("mct", t!("Muscat", "マスカット")), ("mia", t!("Miami", "マイアミ")),
    ("mnl", t!("Manila", "マニラ")), ("msp", t!("Minneapolis", "ミネアポリス")),
    ("muc", t!("Munich", "ミュンヘン")), ("nrt", t!("Tokyo", "東京")),
    ("nyc", t!("New York", "ニューヨーク")), ("pdx", t!("Portland", "ポートランド")),
    ("per", t!("Perth", "パース")), ("phl", t!("Philadelphia", "フィラデルフィア")),
    ("phx", t!("Phoenix", "フェニックス")), ("qro", t!("Querétaro", "ケレタロ")),
    ("scl", t!("Santiago", "サンティアゴ")), ("sea", t!("Seattle", "シアトル")),
    ("sel", t!("Seoul", "ソウル")), ("sfo", t!("San Francisco", "サンフランシスコ")),
    ("sin", t!("Singapore", "シンガポール")), ("tpa", t!("Tampa", "タンパ")),
    ("tpe", t!("Taipei", "台北")), ("was", t!("Washington, DC", "ワシントン DC")),
    ("waw", t!("Warsaw", "ワルシャワ")),
];

/// What network border group `group` of `region` is, when it differs from the region:
/// `us-west-2-lax-1` → a Local Zone in Los Angeles; `ap-northeast-1-wl1-nrt-wlz-1` → a Wavelength
/// Zone in Tokyo. `None` when the group is the region itself or is not named after it.
pub fn zone<'a>(region: &str, group: &'a str) -> Option<Zone<'a>> {
    let rest = group.strip_prefix(region)?.strip_prefix('-')?;
    let tokens: Vec<&str> = rest.split('-').collect();
    let kind = if tokens.iter().any(|t| t.starts_with("wlz")) {
        ZoneKind::Wavelength
    } else {
        ZoneKind::Local
    };
    // The location is the first three-letter word ("wl1" is a carrier number, "sggov" a tenancy).
    let location = tokens
        .iter()
        .copied()
        .find(|t| t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic()))
        .or_else(|| tokens.first().copied())?;
    let place = ZONE_PLACES
        .iter()
        .find(|(code, _)| *code == location)
        .map(|(_, t)| *t);
    Some(Zone {
        kind,
        location,
        place,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every region code in the ip-ranges.json snapshot of 2026-08-22.
    #[rustfmt::skip]
    const SNAPSHOT_CODES: &[&str] = &[
        "GLOBAL", "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
        "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
        "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
        "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1",
        "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
        "eu-west-3", "eusc-de-east-1", "il-central-1", "me-central-1", "me-south-1", "me-west-1",
        "mx-central-1", "sa-east-1", "sa-west-1", "us-east-1", "us-east-2", "us-gov-east-1",
        "us-gov-west-1", "us-south-1", "us-west-1", "us-west-2",
    ];

    #[test]
    fn every_snapshot_region_is_named() {
        for code in SNAPSHOT_CODES {
            let name = region_name(code).unwrap_or_else(|| panic!("{code} has no name"));
            let city = region_city(code).unwrap();
            assert!(!name.en.is_empty() && !name.ja.is_empty(), "{code}");
            assert!(!city.en.is_empty() && !city.ja.is_empty(), "{code}");
        }
    }

    #[test]
    fn known_names() {
        let osaka = region_name("ap-northeast-3").unwrap();
        assert_eq!(osaka.en, "Asia Pacific (Osaka)");
        assert!(osaka.ja.contains("大阪"));
        assert_eq!(region_city("ap-northeast-3").unwrap().ja, "大阪");
        assert_eq!(region_city("us-east-1").unwrap().en, "N. Virginia");
        assert_eq!(region_city("us-east-1").unwrap().ja, "バージニア北部");
        assert_eq!(region_city("ap-northeast-1").unwrap().ja, "東京");
        assert!(region_name("GLOBAL").unwrap().en.contains("CloudFront"));
        assert_eq!(region_city("GLOBAL").unwrap().ja, "グローバル");
    }

    #[test]
    fn unknown_codes() {
        assert_eq!(region_name("xx-nowhere-1"), None);
        assert_eq!(region_city(""), None);
        assert_eq!(region_name("Ap-Northeast-3"), None);
    }

    #[test]
    fn border_groups() {
        let z = zone("us-west-2", "us-west-2-lax-1").unwrap();
        assert_eq!((z.kind, z.location), (ZoneKind::Local, "lax"));
        assert_eq!(z.place.unwrap().en, "Los Angeles");
        let z = zone("ap-northeast-1", "ap-northeast-1-wl1-nrt-wlz-1").unwrap();
        assert_eq!((z.kind, z.location), (ZoneKind::Wavelength, "nrt"));
        assert_eq!(z.place.unwrap().ja, "東京");
        let z = zone("us-west-2", "us-west-2-las-1b").unwrap();
        assert_eq!(z.location, "las");
        let z = zone("ap-southeast-1", "ap-southeast-1-sggov-sin-1a").unwrap();
        assert_eq!((z.kind, z.location), (ZoneKind::Local, "sin"));
        let z = zone("us-east-1", "us-east-1-foe-wlz-1").unwrap();
        assert_eq!((z.kind, z.place), (ZoneKind::Wavelength, None));
        assert_eq!(zone("us-west-2", "us-west-2"), None);
        assert_eq!(zone("us-west-2", "eu-west-1"), None);
        assert!(ZONE_PLACES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn codes_are_unique() {
        for (i, a) in REGIONS.iter().enumerate() {
            assert!(
                REGIONS[i + 1..].iter().all(|b| b.code != a.code),
                "{}",
                a.code
            );
        }
    }
}

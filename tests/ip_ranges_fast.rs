//! The fast ip-ranges.json scanner gives exactly what the serde path gives.

use flowlens::classify::aws::AwsRanges;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const SNAPSHOT: &str = include_str!("../www/data/ip-ranges.json");

/// Both paths on `json`: the fast one must accept it and agree with serde on everything.
fn same(json: &str) -> AwsRanges {
    let fast = AwsRanges::parse_fast(json).expect("the fast path takes it");
    let slow = AwsRanges::parse_serde(json).expect("serde takes it");
    assert_eq!(fast.create_date, slow.create_date);
    assert_eq!(fast.sync_token, slow.sync_token);
    assert_eq!(fast.ipv4_count, slow.ipv4_count);
    assert_eq!(fast.ipv6_count(), slow.ipv6_count());
    assert_eq!(fast.entries, slow.entries);
    assert_eq!(fast.prefixes.len(), slow.prefixes.len());
    // every prefix, its services in order, region, border group and parent link
    for (i, (f, s)) in fast.prefixes.iter().zip(&slow.prefixes).enumerate() {
        assert_eq!(f, s, "prefix {i}");
    }
    // and the lookups: the first, middle and last address of each prefix, and around them
    for p in &slow.prefixes {
        let (a, b) = (p.net.network(), p.net.broadcast());
        let mut probe = vec![a, b];
        match (a, b) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let (a, b) = (u32::from(a), u32::from(b));
                let v4 = |x: u32| IpAddr::from(Ipv4Addr::from(x));
                probe.push(v4(a / 2 + b / 2));
                probe.extend(a.checked_sub(1).map(v4));
                probe.extend(b.checked_add(1).map(v4));
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let (a, b) = (u128::from(a), u128::from(b));
                let v6 = |x: u128| IpAddr::from(Ipv6Addr::from(x));
                probe.push(v6(a / 2 + b / 2));
                probe.extend(a.checked_sub(1).map(v6));
                probe.extend(b.checked_add(1).map(v6));
            }
            _ => unreachable!(),
        }
        for ip in probe {
            assert_eq!(fast.lookup(ip), slow.lookup(ip), "{ip}");
        }
    }
    assert_eq!(AwsRanges::parse(json).unwrap().prefixes, slow.prefixes);
    fast
}

/// The fast path hands over; `parse` then gives serde's answer, error included.
fn handed_over(json: &str) {
    assert!(AwsRanges::parse_fast(json).is_none(), "{json}");
    match (AwsRanges::parse(json), AwsRanges::parse_serde(json)) {
        (Ok(a), Ok(b)) => assert_eq!(a.prefixes, b.prefixes),
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("{:?} vs {:?}", a.is_ok(), b.is_ok()),
    }
}

#[test]
fn snapshot_fast_equals_serde() {
    let r = same(SNAPSHOT);
    assert!(r.prefixes.len() > 10_000);
    assert!(r.ipv6_count() > 1000);
    assert!(r.prefixes.iter().any(|p| p.services.len() > 2));
    assert!(r.prefixes.iter().any(|p| p.parent.is_some()));
}

#[test]
fn edge_files_fast_equals_serde() {
    // minified, keys in another order, unknown keys (scalars, nested), IPv6 list first
    same(
        r#"{"ipv6_prefixes":[{"network_border_group":"b","service":"S","region":"r","ipv6_prefix":"2600:1f00::5/24","extra":[1,{"a":null}]}],"junk":{"x":[true,false,-1.5e3,"s\n"]},"prefixes":[{"service":"AMAZON","ip_prefix":"10.1.2.3/8","region":"us-east-1"},{"ip_prefix":"10.0.0.0/8","region":"other","service":"EC2","network_border_group":null},{"ip_prefix":"10.0.0.0/8","region":"r","service":"AMAZON"},{"ip_prefix":"10.9.0.0/16","region":"r","service":"S3","n":5}],"createDate":"2026-01-01-00-00-00"}"#,
    );
    // whitespace everywhere, no syncToken, empty IPv4 list, ip_prefix alias in the IPv6 list
    same(
        " \r\n\t{ \"createDate\" : \"d\" ,\n \"prefixes\" : [ ] , \"ipv6_prefixes\" :\t[ { \"ip_prefix\" : \"::/16\" , \"region\" : \"r\" , \"service\" : \"S\" } ,\n{\"ipv6_prefix\":\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\",\"region\":\"r\",\"service\":\"S\"} ] } \n",
    );
    // the address space's edges (the widest prefixes a file may list) and non-ASCII strings
    same(
        r#"{"syncToken":"","createDate":"é","prefixes":[{"ipv6_prefix":"0.0.0.0/8","region":"ü","service":"☃"},{"ip_prefix":"255.255.255.255/32","region":"r","service":"S"},{"ip_prefix":"255.255.255.255/32","region":"r","service":"☃"},{"ip_prefix":"255.255.255.255/32","region":"r","service":"S"}]}"#,
    );
}

#[test]
fn unusual_or_bad_files_go_to_serde() {
    let entry = |p: &str| format!(r#"{{"ip_prefix":"{p}","region":"r","service":"S"}}"#);
    let file = |p: &str| format!(r#"{{"createDate":"d","prefixes":[{}]}}"#, entry(p));
    for json in [
        String::new(),
        "null".into(),
        "\u{feff}{}".into(),
        file("010.0.0.0/8"),
        file(" 10.0.0.0/8"),
        file("10.0.0.0/08"),
        file("x"),
        file("2600::/16"),
        // wider than AWS ever lists: refused, with the reason, by serde's path
        file("0.0.0.0/0"),
        file("10.0.0.0/7"),
        r#"{"createDate":"d","prefixes":[],"ipv6_prefixes":[{"ipv6_prefix":"::/0","region":"r","service":"S"}]}"#.into(),
        r#"{"createDate":"d","prefixes":[],"ipv6_prefixes":[{"ipv6_prefix":"2600::/15","region":"r","service":"S"}]}"#.into(),
        file("10.0.0.0/8\\u0020"),
        r#"{"createDate":"d","prefixes":[],"ipv6_prefixes":[]}"#.into(),
        r#"{"createDate":"d","prefixes":[],"ipv6_prefixes":[{"ipv6_prefix":"10.0.0.0/8","region":"r","service":"S"}]}"#.into(),
        r#"{"createDate":"d","prefixes":[],"ipv6_prefixes":null}"#.into(),
        format!(r#"{{"createDate":"d","syncToken":null,"prefixes":[{}]}}"#, entry("10.0.0.0/8")),
        format!(r#"{{"createDate":"d","createDate":"d","prefixes":[{}]}}"#, entry("10.0.0.0/8")),
        format!(r#"{{"createDate":"d","prefixes":[{}]}} x"#, entry("10.0.0.0/8")),
        format!(r#"{{"createDate":"d","prefixes":[{},]}}"#, entry("10.0.0.0/8")),
        format!(r#"{{"prefixes":[{}]}}"#, entry("10.0.0.0/8")),
        r#"{"createDate":"d","prefixes":[{"ip_prefix":"10.0.0.0/8","ipv6_prefix":"10.0.0.0/8","region":"r","service":"S"}]}"#.into(),
        r#"{"createDate":"d","prefixes":[{"ip_prefix":"10.0.0.0/8","region":"r"}]}"#.into(),
        r#"{"createDate":"d","prefixes":[["10.0.0.0/8","r","S"]]}"#.into(),
        r#"{"createDate":"d","prefixes":[{"ip_prefix":"10.0.0.0/8","region":"r","service":"S","x":[}]}"#.into(),
    ] {
        handed_over(&json);
    }
    // truncations of a good file
    let good = format!(
        r#"{{"createDate":"d","prefixes":[{}]}}"#,
        entry("10.0.0.0/8")
    );
    for cut in 0..good.len() {
        handed_over(&good[..cut]);
    }
}

/// `cargo test --release --test ip_ranges_fast -- --ignored --nocapture`
#[test]
#[ignore]
fn timing() {
    let time = |f: &dyn Fn() -> usize| {
        let mut best = f64::MAX;
        for _ in 0..30 {
            let t = std::time::Instant::now();
            std::hint::black_box(f());
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
        }
        best
    };
    let fast = time(&|| AwsRanges::parse_fast(SNAPSHOT).unwrap().prefixes.len());
    let slow = time(&|| AwsRanges::parse_serde(SNAPSHOT).unwrap().prefixes.len());
    println!("fast {fast:.2} ms, serde {slow:.2} ms");
}

/// For a profiler: the fast path alone, many times.
#[test]
#[ignore]
fn fast_only() {
    for _ in 0..300 {
        std::hint::black_box(AwsRanges::parse_fast(SNAPSHOT).unwrap());
    }
}

#[test]
fn other_layouts_and_many_names_fast_equals_serde() {
    // AWS's file indented otherwise, or with the keys in another order: the token-by-token path
    same(&SNAPSHOT.replace("\n      \"", "\n        \""));
    same(&SNAPSHOT.replace(
        "\"region\": \"us-east-1\",\n      \"service\": \"AMAZON\"",
        "\"service\": \"AMAZON\",\n      \"region\": \"us-east-1\"",
    ));
    // entries in AWS's layout mixed with others, and one without a border group
    let laid_out = |p: &str, r: &str, s: &str| {
        format!("{{\n      \"ip_prefix\": \"{p}\",\n      \"region\": \"{r}\",\n      \"service\": \"{s}\",\n      \"network_border_group\": \"{r}\"\n    }}")
    };
    let mut entries = Vec::new();
    // more distinct names than the tables start with, short and long (past 16 bytes)
    for i in 0..1500u32 {
        let p = format!("10.{}.{}.0/24", i / 256, i % 256);
        let r = format!("region-{}", i % 700);
        let s = if i % 3 == 0 {
            format!("SERVICE_WITH_A_LONG_NAME_{}", i % 400)
        } else {
            format!("S{}", i % 50)
        };
        entries.push(laid_out(&p, &r, &s));
        // the same prefix again with another service, as AWS lists them
        entries.push(laid_out(&p, "other", "AMAZON"));
        if i % 5 == 0 {
            entries.push(format!(
                r#"{{"ip_prefix":"{p}","region":"x","service":"EXTRA"}}"#
            ));
        }
    }
    let json = format!(
        "{{\n  \"syncToken\": \"1\",\n  \"createDate\": \"d\",\n  \"prefixes\": [\n    {}\n  ]\n}}",
        entries.join(",\n    ")
    );
    let r = same(&json);
    assert_eq!(r.prefixes.len(), 1500);
    let p = r.lookup("10.0.5.1".parse().unwrap()).unwrap();
    assert_eq!(&*p.region, "region-5");
    assert_eq!(
        p.services.iter().map(|s| &**s).collect::<Vec<_>>(),
        ["S5", "AMAZON", "EXTRA"]
    );
}

#[test]
fn prefixes_are_in_address_order() {
    let r = same(SNAPSHOT);
    let key = |p: &flowlens::classify::aws::AwsPrefix| match p.net {
        ipnet::IpNet::V4(n) => (0, u128::from(u32::from(n.network())), n.prefix_len()),
        ipnet::IpNet::V6(n) => (1, u128::from(n.network()), n.prefix_len()),
    };
    assert!(r.prefixes.windows(2).all(|w| key(&w[0]) < key(&w[1])));
}

#[test]
fn bytes_that_are_not_utf8() {
    let entry = |s: &str| format!(r#"{{"ip_prefix":"10.0.0.0/8","region":"r","service":"{s}"}}"#);
    let good = format!(r#"{{"createDate":"d","prefixes":[{}]}}"#, entry("é"));
    assert!(AwsRanges::parse_fast_bytes(good.as_bytes()).is_some());
    // a bad byte in a kept string (é cut to its first byte), in skipped values, after the end
    let mut cut = good.clone().into_bytes();
    let at = cut.windows(2).position(|w| w == "é".as_bytes()).unwrap();
    cut.remove(at + 1);
    let ff = |s: String| {
        let mut b = s.into_bytes();
        let q = b.iter().position(|&c| c == b'?').unwrap();
        b[q] = 0xff;
        b
    };
    for bytes in [
        cut,
        ff(good.replacen(r#""createDate""#, r#""x":"a?b","createDate""#, 1)),
        ff(good.replacen(r#""createDate""#, r#""x":["a?b"],"createDate""#, 1)),
        ff(good.clone() + " ?"),
    ] {
        assert!(AwsRanges::parse_fast_bytes(&bytes).is_none());
        let e = AwsRanges::parse_bytes(&bytes).unwrap_err();
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }
}

//! The WASM API in a real browser (headless Chromium, wasm-bindgen-test): the glue the page uses.
#![cfg(target_arch = "wasm32")]

use flowlens::wasm::{field_specs, DecodeSession, SummarySession};
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = include_str!("data/seed.log");
const IP_RANGES: &str = include_str!("../www/data/ip-ranges.json");

fn json(v: JsValue) -> Value {
    let text: String = js_sys::JSON::stringify(&v).unwrap().into();
    serde_json::from_str(&text).unwrap()
}

#[wasm_bindgen_test]
fn seed_record_through_the_session() {
    let mut s = DecodeSession::new();
    let info = json(
        s.load_ip_ranges(IP_RANGES.as_bytes(), "bundled", None)
            .unwrap(),
    );
    assert_eq!(info["createDate"], "2026-08-22-15-17-05");
    assert_eq!(info["source"], "bundled");
    let counts = json(s.decode(SEED.to_string(), None, None).unwrap());
    assert_eq!(counts["records"], 1);
    assert_eq!(counts["lines"], 1);
    assert_eq!(s.len(), 1);
    let e = json(s.entries(0, 10, "en").unwrap());
    let e = &e[0];
    assert_eq!(e["fields"]["dstport"], 123);
    assert_eq!(e["annotations"]["protocol"]["keyword"], "UDP");
    assert_eq!(e["annotations"]["dstport"]["service"], "ntp");
    assert_eq!(
        e["annotations"]["dstaddr"]["aws"]["region"],
        "ap-northeast-3"
    );
    assert!(e["summary"].as_str().unwrap().contains("AWS EC2, Osaka"));
    let ja = json(s.entries(0, 1, "ja").unwrap());
    assert!(ja[0]["summary"].as_str().unwrap().contains("大阪"));
    // The worker's warm-up runs a made-up input through the same code and leaves the session's
    // own input and summary as they were.
    let summary = json(s.overview("en", 10).unwrap());
    assert_eq!(s.warm_up(1_000), 1_000.0);
    assert_eq!(s.len(), 1);
    assert_eq!(json(s.entries(0, 10, "en").unwrap())[0], *e);
    assert_eq!(json(s.overview("en", 10).unwrap()), summary);
}

#[wasm_bindgen_test]
fn object_keys_keep_the_format_order() {
    let mut s = DecodeSession::new();
    s.decode(SEED.to_string(), None, None).unwrap();
    let v = s.entries(0, 1, "en").unwrap();
    let first = js_sys::Reflect::get_u32(&v, 0).unwrap();
    let fields = js_sys::Reflect::get(&first, &"fields".into()).unwrap();
    let keys: Vec<String> = js_sys::Object::keys(&fields.into())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(keys, flowlens::model::fields::DEFAULT_FORMAT);
}

#[wasm_bindgen_test]
fn malformed_ip_ranges_are_refused_and_the_previous_data_kept() {
    let mut s = DecodeSession::new();
    s.load_ip_ranges(IP_RANGES.as_bytes(), "bundled", None)
        .unwrap();
    let err = s
        .load_ip_ranges(b"{\"prefixes\": [", "dropped", None)
        .unwrap_err();
    let msg = js_sys::Reflect::get(&err, &"message".into()).unwrap();
    assert!(msg.as_string().unwrap().contains("ip-ranges.json"));
    assert_eq!(json(s.ip_ranges_info().unwrap())["source"], "bundled");
    // the reason in the page's language
    for (bytes, says) in [
        (&b"{\"prefixes\": ["[..], "途中でファイルが終わっています"),
        (&b"\xff"[..], "UTF-8 のテキストではありません"),
        (
            &b"{\"createDate\": \"d\"}"[..],
            "必要な項目 prefixes がありません",
        ),
    ] {
        let err: JsValue = s
            .load_ip_ranges(bytes, "dropped", Some("ja".into()))
            .unwrap_err();
        let msg = js_sys::Reflect::get(&err, &"message".into()).unwrap();
        let msg = msg.as_string().unwrap();
        assert!(
            msg.starts_with("使える ip-ranges.json ではありません: "),
            "{msg}"
        );
        assert!(msg.contains(says), "{msg}");
        // and in both languages, for a page whose language changes while the reason is shown
        let reasons = js_sys::Reflect::get(&err, &"reasons".into()).unwrap();
        let reason = |l: &str| {
            js_sys::Reflect::get(&reasons, &l.into())
                .unwrap()
                .as_string()
                .unwrap()
        };
        assert_eq!(reason("ja"), msg);
        assert!(
            reason("en").starts_with("not a usable ip-ranges.json: "),
            "{}",
            reason("en")
        );
    }
    assert_eq!(json(s.ip_ranges_info().unwrap())["source"], "bundled");
}

#[wasm_bindgen_test]
fn errors_and_huge_numbers_cross_the_boundary() {
    let mut s = DecodeSession::new();
    let text = format!(
        "{}\n2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 18446744073709551615 1744521785 1744521793 ACCEPT OK\nnot a record",
        SEED.trim()
    );
    let counts = json(s.decode(text, None, None).unwrap());
    assert_eq!(counts["records"], 2);
    assert_eq!(counts["errors"], 1);
    let e = json(s.entries(0, 10, "en").unwrap());
    assert_eq!(e.as_array().unwrap().len(), 3);
    assert!(e[1]["fields"]["bytes"].as_f64().unwrap() > 1.8e19);
    assert_eq!(e[2]["line"], 3);
    assert!(e[2]["error"].as_str().unwrap().starts_with("line 3:"));
}

#[wasm_bindgen_test]
fn field_reference_in_both_languages() {
    let en = json(field_specs("en").unwrap());
    let ja = json(field_specs("ja").unwrap());
    assert_eq!(en.as_array().unwrap().len(), ja.as_array().unwrap().len());
    assert_eq!(en[3]["key"], "srcaddr");
    assert_eq!(en[3]["label"], "Source address");
    assert_eq!(ja[3]["label"], "送信元アドレス");
}

const S3_GZ: &[u8] = include_bytes!(
    "data/shapes/123456789010_vpcflowlogs_ap-northeast-1_fl-0123456789abcdef0_20250413T0525Z_1a2b3c4d.log.gz"
);

#[wasm_bindgen_test]
fn a_gzip_file_streamed_in_small_chunks() {
    let mut s = DecodeSession::new();
    s.begin(None, None);
    for chunk in S3_GZ.chunks(7) {
        s.push(chunk).unwrap();
    }
    let report = json(s.finish().unwrap());
    assert_eq!(report["records"], 3);
    assert_eq!(report["headers"], 2);
    assert_eq!(report["shape"]["gzip"], true);
    assert_eq!(report["shape"]["gzip_members"], 2);
    // what the page shows, said by Rust in both languages
    assert_eq!(
        report["shape"]["description"],
        serde_json::json!({"en": "gzip (2 members) → lines of text",
                           "ja": "gzip（メンバー 2 個） → テキストの行"})
    );
    assert_eq!(report["format"]["origin"], "header");
    assert!(report["input_error"].is_null());
    assert_eq!(s.len(), 3);
    // a cut file: an input error, and the complete lines before the cut still decode
    s.begin(None, None);
    s.push(&S3_GZ[..S3_GZ.len() - 30]).unwrap();
    let report = json(s.finish().unwrap());
    assert!(report["input_error"][0].as_str().unwrap().contains("gzip"));
    assert!(report["records"].as_u64().unwrap() >= 1);
}

#[wasm_bindgen_test]
fn format_strings_and_inference() {
    let record = "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 19 OK";
    let mut s = DecodeSession::new();
    let report = json(s.decode(record.to_string(), None, None).unwrap());
    assert_eq!(report["format"]["origin"], "inferred");
    assert!(!report["format"]["inferred"]["ambiguous"]
        .as_array()
        .unwrap()
        .is_empty());
    let normalized = s
        .set_format("version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status")
        .unwrap();
    assert!(normalized
        .as_string()
        .unwrap()
        .starts_with("${version} ${vpc-id}"));
    let report = json(s.decode(record.to_string(), None, None).unwrap());
    assert_eq!(report["format"]["origin"], "format-string");
    let e = json(s.entries(0, 1, "en").unwrap());
    assert_eq!(
        e[0]["annotations"]["tcp-flags"]["flags"],
        serde_json::json!(["SYN-ACK", "FIN"])
    );
    assert!(s.set_format("${version} 10.0.0.1").is_err());
    assert!(s.set_format("").unwrap().is_null());
}

#[wasm_bindgen_test]
fn overview_of_the_docs_examples() {
    let mut s = DecodeSession::new();
    s.load_ip_ranges(IP_RANGES.as_bytes(), "bundled", None)
        .unwrap();
    let docs = include_str!("data/aws-docs-examples.log");
    s.decode(format!("{docs}\n{SEED}"), None, None).unwrap();
    let o = json(s.overview("en", 3).unwrap());
    let t = &o["totals"];
    assert_eq!(t["records"], 8);
    assert_eq!(t["bytes"], 18025 + 76);
    assert_eq!(t["rejected"]["records"], 2);
    assert_eq!(t["log_status"]["skipdata"], 1);
    assert_eq!(t["time"]["first_start_utc"], "2014-12-14T04:06:50Z");
    assert_eq!(t["time"]["last_end_utc"], "2025-04-13T05:23:13Z");
    assert_eq!(o["top_pairs"]["rows"].as_array().unwrap().len(), 3);
    assert_eq!(
        o["rejected_sources"]["rows"][0]["address"]["addr"],
        "172.31.9.69"
    );
    assert_eq!(o["services"]["rows"][0]["name"], "SSH");
    // The seed record 35098 → 123 is an NTP request, at the server's port.
    assert_eq!(o["totals"]["roles"]["requests"], 4);
    // The seed's NTP server, explained with the ip-ranges loaded in the session.
    let rows = o["top_addresses"]["rows"].as_array().unwrap().clone();
    let o = json(s.overview("ja", 20).unwrap());
    assert_eq!(rows.len(), 3);
    let ntp = o["top_addresses"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"]["addr"] == "15.152.63.145")
        .unwrap()
        .clone();
    assert_eq!(ntp["address"]["value"], "AWS EC2、大阪");
    // Ten years of records: quarter-year bars (at most 100), the width in words in Japanese.
    let width = o["timeline"]["width_s"].as_u64().unwrap();
    let bars = o["timeline"]["buckets"].as_array().unwrap().len() as u64;
    assert!((20..=100).contains(&bars), "{bars}");
    assert_eq!(width, 91 * 86_400);
    assert_eq!(o["timeline"]["width_text"], "91 日");
}

/// The page's two workers: the decoding session hands what the summary reads of each record
/// (`take_fields`, a chunk of the input at a time, then `told`) to a second session, whose
/// summary is then the decoding session's own, in both languages.
#[wasm_bindgen_test]
fn a_summary_tallied_from_the_decoders_fields_is_its_own() {
    let docs = include_str!("data/aws-docs-examples.log");
    let input = format!("{docs}\n{SEED}\n{SEED}\nnot a record\n{docs}");
    let mut decoder = DecodeSession::new();
    let mut summary = SummarySession::new();
    decoder
        .load_ip_ranges(IP_RANGES.as_bytes(), "bundled", None)
        .unwrap();
    summary
        .load_ip_ranges(IP_RANGES.as_bytes(), "bundled", None)
        .unwrap();
    decoder.begin(Some(true), None);
    summary.begin();
    let mut handed = 0.0;
    // Every other chunk's fields copied into an array the page would reuse (`take_fields_into`):
    // one larger than the fields is refused, and the fields stay to be taken.
    let buffer = js_sys::Uint8Array::new_with_length(4096);
    for (i, chunk) in input.as_bytes().chunks(97).enumerate() {
        decoder.push(chunk).unwrap();
        let fields = if i % 2 == 0 {
            decoder.take_fields()
        } else {
            let n = decoder.fields_len() as u32;
            assert!(decoder
                .take_fields_into(&buffer.subarray(0, n + 1))
                .is_err());
            assert_eq!(decoder.fields_len() as u32, n);
            let out = buffer.subarray(0, n);
            assert_eq!(decoder.take_fields_into(&out).unwrap() as u32, n);
            assert_eq!(decoder.fields_len(), 0);
            out.to_vec()
        };
        handed += summary.push(&fields).unwrap();
    }
    let report = json(decoder.finish().unwrap());
    handed += summary.push(&decoder.take_fields()).unwrap();
    summary.finish(&decoder.told().unwrap()).unwrap();
    assert_eq!(report["records"], 16);
    assert_eq!(report["errors"], 1);
    assert_eq!(handed, 16.0);
    for lang in ["en", "ja"] {
        let mine = json(summary.overview(lang, 10).unwrap());
        assert_eq!(mine, json(decoder.overview(lang, 10).unwrap()), "{lang}");
        assert_eq!(mine["totals"]["records"], 16);
        assert_eq!(mine["totals"]["errors"], 1);
    }
    // Its warm-up leaves its summary as it was; a session that began none has none to give.
    let before = json(summary.overview("en", 10).unwrap());
    assert_eq!(summary.warm_up(500), 500.0);
    assert_eq!(json(summary.overview("en", 10).unwrap()), before);
    assert!(SummarySession::new().overview("en", 10).is_err());
    // Not asked for: no fields.
    decoder.begin(None, None);
    decoder.push(SEED.as_bytes()).unwrap();
    decoder.finish().unwrap();
    assert!(decoder.take_fields().is_empty());
}

/// The decoding session stops in the middle of an input (its worker crashed): the summary
/// session finishes what it was handed, marked partial, without the lines only the decoder counted.
#[wasm_bindgen_test]
fn a_summary_whose_decoder_stopped_keeps_what_was_handed_over() {
    let docs = include_str!("data/aws-docs-examples.log");
    let mut decoder = DecodeSession::new();
    let mut summary = SummarySession::new();
    assert!(summary.finish_partial().is_err());
    decoder.begin(Some(true), None);
    summary.begin();
    decoder
        .push(format!("{docs}\n{SEED}\n").as_bytes())
        .unwrap();
    // (The end of the input gives out the records the format decision held back.)
    decoder.finish().unwrap();
    let handed = summary.push(&decoder.take_fields()).unwrap();
    assert!(handed > 0.0, "{handed}");
    // No finish, no told: the decoder is gone.
    assert_eq!(summary.finish_partial().unwrap(), handed);
    let o = json(summary.overview("ja", 10).unwrap());
    assert_eq!(o["totals"]["partial"], true);
    assert_eq!(o["totals"]["records"].as_f64().unwrap(), handed);
    assert_eq!(o["totals"]["lines"], 0);
}

#[wasm_bindgen_test]
fn a_filter_sort_page_and_export_of_the_docs_examples() {
    let docs = include_str!("data/aws-docs-examples.log");
    let mut s = DecodeSession::new();
    s.load_ip_ranges(IP_RANGES.as_bytes(), "bundled", None)
        .unwrap();
    let report = json(s.decode(docs.to_string(), None, None).unwrap());
    let all = s.view_len();
    assert_eq!(all as u64, report["records"].as_u64().unwrap());
    assert!(all >= 7, "{all} records in view after a decode");

    // The rejected RDP request, as a list row and as its full breakdown.
    let r = json(
        s.select("action=reject and port in (22, 3389)", "", "en")
            .unwrap(),
    );
    assert_eq!(r["ok"], true);
    assert_eq!(r["count"], 1);
    let rows = json(s.view_rows(0, 50).unwrap());
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["line"], 2);
    assert_eq!(rows[0]["dstport"], 3389);
    assert_eq!(rows[0]["action"], "REJECT");
    let e = json(s.view_entry(0, "ja").unwrap());
    assert_eq!(e["line"], 2);
    assert!(e["summary"].as_str().unwrap().contains("拒否"), "{e}");
    assert_eq!(s.view_position_of_line(2.0), 0.0);
    assert_eq!(
        s.view_position_of_line(1.0),
        -1.0,
        "line 1 is not in the view"
    );

    // A sort orders the whole selection; the list pages through it.
    let r = json(s.select("", "bytes:desc", "en").unwrap());
    assert_eq!(r["count"].as_u64().unwrap() as usize, all);
    let rows = json(s.view_rows(0, 1000).unwrap());
    let bytes: Vec<u64> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["bytes"].as_u64())
        .collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]), "{bytes:?}");
    assert_eq!(
        json(s.view_rows(all - 1, 10).unwrap())
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        json(s.view_rows(all + 5, 10).unwrap()),
        serde_json::json!([])
    );

    // A refused filter says where (in UTF-16 units: "ポート" is 3 of them, 9 bytes) and keeps
    // the view.
    let r = json(s.select("ポート = 22 and", "", "ja").unwrap());
    assert_eq!(r["ok"], false);
    assert_eq!(r["count"].as_u64().unwrap() as usize, all);
    assert_eq!(r["error"]["part"], "filter");
    assert_eq!(r["error"]["start"], 0);
    assert_eq!(r["error"]["end"], 3);
    assert!(!r["error"]["ja"].as_str().unwrap().is_empty());
    let r = json(s.select("", "colour", "en").unwrap());
    assert_eq!(r["error"]["part"], "sort");

    // The summary of the view: the two REJECT records, split by where they came from.
    s.select("action=reject", "", "en").unwrap();
    let o = json(s.view_overview("en", 10).unwrap());
    assert_eq!(o["totals"]["records"], 2);
    let split: u64 = o["rejected_split"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["records"].as_u64().unwrap())
        .sum();
    assert_eq!(split, 2);
    let whole = json(s.overview("en", 10).unwrap());
    assert_eq!(whole["totals"]["records"].as_u64().unwrap() as usize, all);

    // The same question for AWS's engines.
    let q = s
        .emit("action=reject and dstport=22", "athena", "en")
        .unwrap();
    assert!(q.contains("CREATE EXTERNAL TABLE"), "{q}");
    assert!(q.contains("dstport = 22"), "{q}");
    let q = s.emit("action=reject", "insights", "ja").unwrap();
    assert!(q.contains("filter"), "{q}");
    assert!(s.emit("action=", "athena", "en").is_err());
    assert!(s.emit("", "splunk", "en").is_err());

    // The export of a filtered view, in chunks, holds exactly its records.
    s.select("protocol = tcp", "", "en").unwrap();
    let n = s.view_len();
    assert_eq!(s.export_begin("csv", None).unwrap(), n);
    let mut csv = Vec::new();
    while let Some(chunk) = s.export_next(64) {
        csv.extend(chunk);
    }
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("line,version,account-id"), "{csv}");
    assert_eq!(csv.lines().count(), n + 1, "{csv}");
    assert_eq!(s.export_begin("ndjson", Some("ja".into())).unwrap(), n);
    let mut nd = Vec::new();
    while let Some(chunk) = s.export_next(1 << 20) {
        nd.extend(chunk);
    }
    let nd = String::from_utf8(nd).unwrap();
    for line in nd.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["derived"]["protocol_name"], "TCP");
    }
    assert_eq!(nd.lines().count(), n);
    assert!(s.export_begin("xml", None).is_err());
}

#[wasm_bindgen_test]
fn a_budget_keeps_the_first_records_and_the_summary_covers_all() {
    let docs = include_str!("data/aws-docs-examples.log");
    let text = docs.repeat(20);
    let mut s = DecodeSession::new();
    s.set_budget(None, Some(5.0));
    let report = json(s.decode(text, None, None).unwrap());
    let all = report["records"].as_u64().unwrap();
    assert!(all > 100, "{all}");
    assert_eq!(report["kept"]["records"], 5);
    assert_eq!(report["kept"]["total"].as_u64(), Some(all));
    assert!(report["kept"]["message"][0]
        .as_str()
        .unwrap()
        .starts_with("Kept the first 5 records for browsing"));
    assert_eq!(s.view_len(), 5, "the view is of the kept records");
    // Without a summary worker, the session's summary covers every record.
    let o = json(s.overview("en", 10).unwrap());
    assert_eq!(o["totals"]["records"].as_u64(), Some(all));
}

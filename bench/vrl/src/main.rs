//! Runs Vector's `parse_aws_vpc_flow_log` (VRL) on every record of a flow-log file, the way a
//! Vector `remap` transform would: one compiled program, one event per line.
//!
//! Usage: `flowlens-bench-vrl FILE [--runs N]`; prints one JSON object per run on stdout.
//! Header lines (`version account-id ...`) set the format for the lines after them, as in
//! concatenated S3 objects; VRL spells field names with `_`.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;
use vrl::compiler::{state::RuntimeState, Context, Program, TargetValue, TimeZone};
use vrl::value::{Secrets, Value};

fn program_for(header: &str, fns: &[Box<dyn vrl::compiler::Function>]) -> Program {
    let format = header.split_ascii_whitespace().collect::<Vec<_>>().join(" ").replace('-', "_");
    let src = format!(". = parse_aws_vpc_flow_log!(.message, format: \"{format}\")");
    vrl::compiler::compile(&src, fns)
        .unwrap_or_else(|e| panic!("VRL program does not compile: {e:?}"))
        .program
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: flowlens-bench-vrl FILE [--runs N]");
    let runs: usize = match args.iter().position(|a| a == "--runs") {
        Some(i) => args[i + 1].parse().expect("--runs N"),
        None => 1,
    };
    let text = std::fs::read_to_string(path).expect("read the flow-log file");
    let fns = vrl::stdlib::all();
    let default_header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    let tz = TimeZone::default();
    for _ in 0..runs {
        let mut programs: HashMap<String, Program> = HashMap::new();
        let mut current = default_header.to_string();
        programs.insert(current.clone(), program_for(&current, &fns));
        let (mut records, mut errors, mut fields) = (0u64, 0u64, 0u64);
        let t = Instant::now();
        for line in text.lines() {
            if line.trim().is_empty() {
                continue;
            }
            if line.starts_with("version ") || line.starts_with("account-id ") {
                current = line.to_string();
                if !programs.contains_key(&current) {
                    programs.insert(current.clone(), program_for(&current, &fns));
                }
                continue;
            }
            let program = &programs[&current];
            let mut event = BTreeMap::new();
            event.insert("message".into(), Value::from(line));
            let mut target = TargetValue {
                value: Value::Object(event),
                metadata: Value::Object(BTreeMap::new()),
                secrets: Secrets::default(),
            };
            let mut state = RuntimeState::default();
            let mut ctx = Context::new(&mut target, &mut state, &tz);
            match program.resolve(&mut ctx) {
                Ok(Value::Object(o)) => {
                    records += 1;
                    fields += o.len() as u64;
                }
                Ok(_) => records += 1,
                Err(_) => errors += 1,
            }
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{{\"engine\":\"vrl\",\"bench\":\"vrl_parse\",\"records\":{records},\"errors\":{errors},\"fields\":{fields},\"bytes\":{},\"seconds\":{secs}}}",
            text.len()
        );
    }
}

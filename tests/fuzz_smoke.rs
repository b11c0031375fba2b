//! The fuzz targets' code (`fuzz/src/targets.rs`) on the committed seed corpus
//! (`fuzz/corpus/<target>/seed-*`) and a few thousand inputs mutated from it: the quick stand-in for
//! `scripts/fuzz.sh` that runs with the other tests (`scripts/fuzz.sh --smoke`).

#[path = "../fuzz/src/targets.rs"]
mod targets;

use std::path::Path;

/// Mutated inputs per target.
const MUTANTS: usize = 600;

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            name.starts_with("seed-")
                .then(|| (name, std::fs::read(e.path()).unwrap()))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seed in {}", dir.display());
    out.into_iter().map(|(_, b)| b).collect()
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens that tend to matter to the parsers.
const TOKENS: &[&[u8]] = &[
    b"\n",
    b"\r",
    b"\r\n",
    b" ",
    b"\t",
    b"\0",
    b"\"",
    b",",
    b"{",
    b"}",
    b"[",
    b"]",
    b"-",
    b"65536",
    b"18446744073709551616",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\x1f\x8b",
    b"srcaddr ",
    b"version ",
    b"::",
    b"/33",
    b"\"message\":",
    b"H4sI",
    b"2025-04-13T05:23:05Z ",
];

fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => v.insert(at, rng.next() as u8),
            2 => {
                let end = (at + rng.below(16)).min(v.len());
                v.drain(at..end);
            }
            3 => v.truncate(at),
            4 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                v.splice(at..at, t.iter().copied());
            }
            5 => {
                let from = rng.below(other.len() + 1);
                let end = (from + rng.below(64)).min(other.len());
                v.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let end = (at + rng.below(32)).min(v.len());
                let piece = v[at..end].to_vec();
                v.splice(at..at, piece);
            }
        }
    }
    v
}

#[test]
fn every_target_on_its_seeds_and_mutants() {
    for (name, target) in targets::TARGETS {
        let seeds = seeds(name);
        for s in &seeds {
            target(s);
        }
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
        for _ in 0..MUTANTS {
            let a = &seeds[rng.below(seeds.len())];
            let b = &seeds[rng.below(seeds.len())];
            let input = mutate(&mut rng, a, b);
            target(&input);
        }
    }
}

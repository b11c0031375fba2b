#!/usr/bin/env python3
"""Regenerates flowlens's tables from the IANA registries and other clouds' published ranges.

    python3 scripts/gen_tables.py [--data DIR]

Reads from DIR (default: ../shared/data next to the repository, i.e. /work/shared/data):
  protocol-numbers-1.csv             -> src/classify/protocol/iana.rs
  service-names-port-numbers.csv     -> src/classify/port/iana.rs
  iana-ipv4-special-registry-1.csv   -> src/classify/scope/iana.rs
  iana-ipv6-special-registry-1.csv   -> src/classify/scope/iana.rs
  other-clouds/google-cloud-ip-ranges.json, oracle-cloud-ip-ranges.json,
  cloudflare-v4-ip-ranges.txt, cloudflare-v6-ip-ranges.txt
                                     -> src/classify/clouds/published.rs

Standard library only. The generated files are committed, so the crate builds without the data
directory; run this again when a registry is refreshed and update SOURCES below. The output is
passed through `rustfmt` when it is installed (the big arrays carry `#[rustfmt::skip]` so that they
stay one entry per line).

Choices made here (the Rust side relies on them):

Protocols
  * Every number 0..=255 gets an entry; ranges such as "148-252" are expanded.
  * The name is IANA's "Protocol" column with runs of whitespace collapsed; when that column is
    empty (e.g. 136 UDPLite, 255 Reserved) the keyword is used as the name.

Ports
  * Only rows whose transport is tcp, udp, sctp or dccp and that have both a service name and a
    port. Ranges ("6000-6063") are expanded to single ports: there are few (about 140 ports).
  * When a port/transport has several names, the first in registry order wins (80/tcp -> "http",
    2049/tcp -> "shilp", not "nfs": the names users know come from src/classify/port/common.rs).
  * Descriptions are IANA's, whitespace collapsed; the administrative note "IANA assigned this
    well-formed service name as a replacement for ..." is dropped when a real description precedes
    it. If the file grew beyond MAX_PORTS_BYTES, descriptions equal to the name would be stored as
    "" (the Rust side then shows the name); the current registry stays well below that.

Special-purpose addresses -- IANA block -> Scope (see scope_for below):
  * Private: 10/8, 172.16/12, 192.168/16.  Shared: 100.64/10.  Loopback: 127/8, ::1.
  * LinkLocal: 169.254/16, fe80::/10.  Documentation: 192.0.2/24, 198.51.100/24, 203.0.113/24,
    2001:db8::/32, 3fff::/20.  Benchmarking: 198.18/15, 2001:2::/48.  UniqueLocal: fc00::/7.
  * Ipv4Mapped: ::ffff:0:0/96.  Nat64: 64:ff9b::/96, 64:ff9b:1::/48, and 192.0.0.170-171
    (NAT64/DNS64 discovery, the addresses of ipv4only.arpa).
  * ThisNetwork: 0.0.0.0/8.  Unspecified: ::/128 and 0.0.0.0/32 ("this host on this network",
    the IPv4 unspecified address).  Broadcast: 255.255.255.255/32.
  * Reserved: 240.0.0.0/4, and the "IETF Protocol Assignments" umbrellas 192.0.0.0/24 and
    2001::/23 (an address there outside any more specific block is reserved for future use).
  * Other: everything else (anycast services such as AS112, AMT, PCP and TURN anycast, TEREDO,
    6to4, ORCHIDv2, DETs, SRv6 SIDs, discard-only and dummy prefixes, deprecated blocks). These
    are special-purpose but fit none of the scopes above; the block's name tells the reader more.
  * A cell holding two blocks ("192.0.0.170/32, 192.0.0.171/32") gives two entries; footnote
    marks ("[2]") are dropped; "Globally Reachable" True/False -> Some(true/false), anything else
    (N/A, empty for terminated blocks) -> None.
"""

import argparse
import csv
import ipaddress
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
OUT_DIR = os.path.join(ROOT, "src", "classify")
MAX_PORTS_BYTES = 1_000_000

# Where each file came from and which version it is (from the data directory's SOURCES.md).
SOURCES = {
    "protocol-numbers-1.csv": (
        'IANA "Assigned Internet Protocol Numbers"',
        "https://www.iana.org/assignments/protocol-numbers/protocol-numbers-1.csv",
        "copy of 2025-01 (since then only row 147's reference changed)",
    ),
    "service-names-port-numbers.csv": (
        'IANA "Service Name and Transport Protocol Port Number Registry"',
        "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.csv",
        None,  # computed: the newest registration/modification date in the file
    ),
    "iana-ipv4-special-registry-1.csv": (
        'IANA "IPv4 Special-Purpose Address Registry"',
        "https://www.iana.org/assignments/iana-ipv4-special-registry/",
        "as of 2026-07",
    ),
    "iana-ipv6-special-registry-1.csv": (
        'IANA "IPv6 Special-Purpose Address Registry"',
        "https://www.iana.org/assignments/iana-ipv6-special-registry/",
        "as of 2026-07",
    ),
}

CLOUD_SOURCES = {
    "google-cloud-ip-ranges.json": (
        "Google Cloud's published ranges (cloud.json)",
        "https://www.gstatic.com/ipranges/cloud.json",
    ),
    "oracle-cloud-ip-ranges.json": (
        "Oracle Cloud's published ranges (public_ip_ranges.json)",
        "https://docs.oracle.com/iaas/tools/public_ip_ranges.json",
    ),
    "cloudflare-v4-ip-ranges.txt": ("Cloudflare's IPv4 ranges", "https://www.cloudflare.com/ips-v4"),
    "cloudflare-v6-ip-ranges.txt": ("Cloudflare's IPv6 ranges", "https://www.cloudflare.com/ips-v6"),
}
CLOUD_PROVIDERS = ["Google Cloud", "Oracle Cloud", "Cloudflare"]

TRANSPORTS = ["tcp", "udp", "sctp", "dccp"]
REPLACEMENT_NOTE = re.compile(r"\s*IANA assigned this well-formed service name as a replacement for .*$", re.S)


def squash(s):
    """Collapses runs of whitespace (the CSVs wrap long cells over several lines)."""
    return " ".join(s.split())


def rust_str(s):
    """A Rust string literal."""
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def read_csv(data, name):
    with open(os.path.join(data, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def header(title, files, versions):
    lines = [
        "//! %s" % title,
        "//!",
        "//! Generated by `scripts/gen_tables.py`; do not edit, run `python3 scripts/gen_tables.py`.",
        "//!",
    ]
    lines.append("//! Source%s:" % ("s" if len(files) > 1 else ""))
    for f in files:
        what, url, _ = SOURCES[f]
        lines.append("//! - `%s`: %s," % (f, what))
        lines.append("//!   <%s>, %s." % (url, versions[f]))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Protocols


def gen_protocols(data):
    rows = read_csv(data, "protocol-numbers-1.csv")
    table = [None] * 256
    for r in rows:
        dec = r["Decimal"].strip()
        keyword = squash(r["Keyword"])
        name = squash(r["Protocol"]) or keyword
        if "-" in dec:
            lo, hi = (int(x) for x in dec.split("-"))
        else:
            lo = hi = int(dec)
        for n in range(lo, hi + 1):
            if table[n] is not None:
                sys.exit("protocol %d listed twice" % n)
            table[n] = (keyword, name)
    missing = [n for n in range(256) if table[n] is None]
    if missing:
        sys.exit("protocol numbers missing from the registry: %s" % missing)
    versions = {"protocol-numbers-1.csv": SOURCES["protocol-numbers-1.csv"][2]}
    out = [header("IANA protocol numbers, one entry per number 0..=255.", ["protocol-numbers-1.csv"], versions)]
    out.append("\nuse super::entry::Protocol;\n")
    out.append(
        "/// Every protocol number, indexed by number: keyword as IANA writes it (\"\" when IANA gives\n"
        "/// none) and name (IANA's \"Protocol\" column, or the keyword when that is empty).\n"
        "#[rustfmt::skip]\n"
        "pub static PROTOCOLS: [Protocol; 256] = ["
    )
    for n, (kw, name) in enumerate(table):
        out.append("    p(%d, %s, %s)," % (n, rust_str(kw), rust_str(name)))
    out.append("];\n")
    out.append(
        "const fn p(number: u8, keyword: &'static str, name: &'static str) -> Protocol {\n"
        "    Protocol { number, keyword, name }\n"
        "}\n"
    )
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Ports


def clean_description(d):
    d = d.strip()
    stripped = REPLACEMENT_NOTE.sub("", d)
    if stripped.strip():
        d = stripped
    return squash(d)


def gen_ports(data):
    rows = read_csv(data, "service-names-port-numbers.csv")
    newest = ""
    for r in rows:
        for col in ("Registration Date", "Modification Date"):
            v = r.get(col, "").strip()
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) and v > newest:
                newest = v
    by_transport = {t: {} for t in TRANSPORTS}
    for r in rows:
        t = r["Transport Protocol"].strip()
        name = r["Service Name"].strip()
        port = r["Port Number"].strip()
        if t not in by_transport or not name or not port:
            continue
        if "-" in port:
            lo, hi = (int(x) for x in port.split("-"))
        else:
            lo = hi = int(port)
        desc = clean_description(r["Description"])
        for p in range(lo, hi + 1):
            # First name in registry order wins.
            by_transport[t].setdefault(p, (name, desc))

    def render(drop_same):
        versions = {"service-names-port-numbers.csv": "newest entry %s" % newest}
        out = [header("IANA service names by port and transport.", ["service-names-port-numbers.csv"], versions)]
        out.append(
            "//!\n//! One entry per port: the first service name IANA lists for it, and its description.\n"
            "//! Port ranges in the registry (e.g. x11 6000-6063) are expanded.%s\n"
            % (" Descriptions equal to the name are\n//! stored as \"\"." if drop_same else "")
        )
        for t in TRANSPORTS:
            entries = sorted(by_transport[t].items())
            out.append(
                "/// %s services, sorted by port: (port, service name, description)." % t.upper()
            )
            out.append("#[rustfmt::skip]")
            out.append("pub static %s: &[(u16, &str, &str)] = &[" % t.upper())
            for p, (name, desc) in entries:
                if drop_same and desc == name:
                    desc = ""
                out.append("    (%d, %s, %s)," % (p, rust_str(name), rust_str(desc)))
            out.append("];\n")
        return "\n".join(out)

    text = render(False)
    if len(text.encode("utf-8")) > MAX_PORTS_BYTES:
        text = render(True)
    return text


# ---------------------------------------------------------------------------------------------
# Special-purpose addresses

SCOPES = {
    # IPv4
    "0.0.0.0/8": "ThisNetwork",
    "0.0.0.0/32": "Unspecified",
    "10.0.0.0/8": "Private",
    "100.64.0.0/10": "Shared",
    "127.0.0.0/8": "Loopback",
    "169.254.0.0/16": "LinkLocal",
    "172.16.0.0/12": "Private",
    "192.0.0.0/24": "Reserved",
    "192.0.0.170/32": "Nat64",
    "192.0.0.171/32": "Nat64",
    "192.0.2.0/24": "Documentation",
    "192.168.0.0/16": "Private",
    "198.18.0.0/15": "Benchmarking",
    "198.51.100.0/24": "Documentation",
    "203.0.113.0/24": "Documentation",
    "240.0.0.0/4": "Reserved",
    "255.255.255.255/32": "Broadcast",
    # IPv6
    "::1/128": "Loopback",
    "::/128": "Unspecified",
    "::ffff:0:0/96": "Ipv4Mapped",
    "64:ff9b::/96": "Nat64",
    "64:ff9b:1::/48": "Nat64",
    "2001::/23": "Reserved",
    "2001:2::/48": "Benchmarking",
    "2001:db8::/32": "Documentation",
    "3fff::/20": "Documentation",
    "fc00::/7": "UniqueLocal",
    "fe80::/10": "LinkLocal",
}


def scope_for(prefix):
    return SCOPES.get(prefix, "Other")


def rfc_text(cell):
    """"[RFC1122], Section 3.2.1.3" -> "RFC 1122, Section 3.2.1.3"; several refs joined by ", "."""
    cell = squash(cell)
    cell = re.sub(r"\[RFC(\d+)\]", r"RFC \1", cell)
    cell = re.sub(r"\[RFC Errata (\d+)\]", r"RFC Errata \1", cell)
    cell = re.sub(r"\[([^\]]+)\]", r"\1", cell)
    cell = re.sub(r"(\d)(RFC)", r"\1, \2", cell)  # "RFC 8880RFC 7050" -> "RFC 8880, RFC 7050"
    cell = re.sub(r"(\d) (RFC)", r"\1, \2", cell)
    return cell


def reachable(cell):
    v = cell.split("[")[0].strip()
    return {"True": "Some(true)", "False": "Some(false)"}.get(v, "None")


def gen_special(data):
    files = ["iana-ipv4-special-registry-1.csv", "iana-ipv6-special-registry-1.csv"]
    versions = {f: SOURCES[f][2] for f in files}
    out = [header("IANA special-purpose address blocks (IPv4 and IPv6).", files, versions)]
    out.append(
        "//!\n//! Networks are integers with a prefix length so that matching is a mask and a compare; the\n"
        "//! `prefix` string is for display. Entries are in registry order; the classifier picks the\n"
        "//! longest match. How each block maps to a [`Scope`] is documented in the generator.\n"
    )
    out.append("use super::kind::{Scope, SpecialBlock};\n")
    out.append(
        "/// A special-purpose block with its network as an integer (`u32` for IPv4, `u128` for IPv6).\n"
        "#[derive(Clone, Copy, Debug, PartialEq, Eq)]\n"
        "pub struct SpecialNet<T> {\n"
        "    /// The network address.\n"
        "    pub network: T,\n"
        "    /// The prefix length.\n"
        "    pub len: u8,\n"
        "    /// What IANA says about the block.\n"
        "    pub block: SpecialBlock,\n"
        "}\n"
    )
    seen_prefixes = set()
    for f, const, bits in [(files[0], "IPV4", 32), (files[1], "IPV6", 128)]:
        rows = read_csv(data, f)
        ty = "u32" if bits == 32 else "u128"
        out.append("/// The %s blocks of `%s`, in registry order." % ("IPv4" if bits == 32 else "IPv6", f))
        out.append("pub static %s: &[SpecialNet<%s>] = &[" % (const, ty))
        for r in rows:
            cell = squash(r["Address Block"])
            prefixes = [re.sub(r"\s*\[\d+\]", "", p).strip() for p in cell.split(",")]
            for prefix in prefixes:
                net = ipaddress.ip_network(prefix, strict=True)
                if net.max_prefixlen != bits:
                    sys.exit("%s: %s is not IPv%d" % (f, prefix, 4 if bits == 32 else 6))
                if prefix in seen_prefixes:
                    sys.exit("%s listed twice" % prefix)
                seen_prefixes.add(prefix)
                width = 8 if bits == 32 else 32
                out.append(
                    "    SpecialNet {\n"
                    "        network: 0x%0*x,\n"
                    "        len: %d,\n"
                    "        block: SpecialBlock {\n"
                    "            prefix: %s,\n"
                    "            name: %s,\n"
                    "            rfc: %s,\n"
                    "            globally_reachable: %s,\n"
                    "            scope: Scope::%s,\n"
                    "        },\n"
                    "    },"
                    % (
                        width,
                        int(net.network_address),
                        net.prefixlen,
                        rust_str(prefix),
                        rust_str(squash(r["Name"])),
                        rust_str(rfc_text(r["RFC"])),
                        reachable(r["Globally Reachable"]),
                        scope_for(prefix),
                    )
                )
        out.append("];\n")
    unknown = set(SCOPES) - seen_prefixes
    if unknown:
        sys.exit("scope mapping names blocks not in the registries: %s" % sorted(unknown))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Other clouds


def gen_clouds(data):
    import json

    base = os.path.join(data, "other-clouds")

    def load(name):
        with open(os.path.join(base, name), encoding="utf-8") as f:
            return f.read()

    google = json.loads(load("google-cloud-ip-ranges.json"))
    oracle = json.loads(load("oracle-cloud-ip-ranges.json"))
    versions = {
        "google-cloud-ip-ranges.json": "creationTime %s, syncToken %s"
        % (google["creationTime"], google["syncToken"]),
        "oracle-cloud-ip-ranges.json": "last_updated_timestamp %s" % oracle["last_updated_timestamp"],
        "cloudflare-v4-ip-ranges.txt": "copied 2025-07 (the list carries no date)",
        "cloudflare-v6-ip-ranges.txt": "copied 2025-07 (the list carries no date)",
    }
    entries = []  # (provider index, network, region, service)
    for p in google["prefixes"]:
        cidr = p.get("ipv4Prefix") or p.get("ipv6Prefix")
        entries.append((0, ipaddress.ip_network(cidr, strict=False), p.get("scope", ""), ""))
    for r in oracle["regions"]:
        for c in r["cidrs"]:
            tags = "/".join(c.get("tags", []))
            entries.append((1, ipaddress.ip_network(c["cidr"], strict=False), r["region"], tags))
    for name in ("cloudflare-v4-ip-ranges.txt", "cloudflare-v6-ip-ranges.txt"):
        for line in load(name).split():
            entries.append((2, ipaddress.ip_network(line.strip(), strict=False), "", ""))
    places = [("", "")]
    place_ids = {("", ""): 0}
    seen = set()
    rows = {4: [], 6: []}
    for provider, net, region, service in entries:
        if (provider, net) in seen:
            continue
        seen.add((provider, net))
        place = (region, service)
        if place not in place_ids:
            place_ids[place] = len(places)
            places.append(place)
        rows[net.version].append((int(net.network_address), net.prefixlen, provider, place_ids[place], str(net)))
    for v in rows.values():
        v.sort()
    out = [
        "//! Other clouds' published address ranges: Google Cloud, Oracle Cloud, Cloudflare.",
        "//!",
        "//! Generated by `scripts/gen_tables.py`; do not edit, run `python3 scripts/gen_tables.py`.",
        "//!",
        "//! Sources (copies in `other-clouds/` of the data directory):",
    ]
    for f, (what, url) in CLOUD_SOURCES.items():
        out.append("//! - `%s`: %s," % (f, what))
        out.append("//!   <%s>, %s." % (url, versions[f]))
    out += [
        "",
        "/// The providers, indexed by the prefix tables' provider column.",
        "pub const PROVIDERS: &[&str] = &[%s];" % ", ".join(rust_str(p) for p in CLOUD_PROVIDERS),
        "",
        "/// Places, indexed by the prefix tables' place column: (region, service), \"\" when the file",
        "/// gives none.",
        "#[rustfmt::skip]",
        "pub static PLACES: &[(&str, &str)] = &[",
    ]
    for region, service in places:
        out.append("    (%s, %s)," % (rust_str(region), rust_str(service)))
    out += ["];", ""]
    for version, ty, width in ((4, "u32", 8), (6, "u128", 32)):
        out += [
            "/// IPv%d prefixes, sorted: (network, prefix length, provider, place)." % version,
            "#[rustfmt::skip]",
            "pub static V%d: &[(%s, u8, u8, u16)] = &[" % (version, ty),
        ]
        for network, length, provider, place, text in rows[version]:
            out.append("    (0x%0*x, %d, %d, %d), // %s" % (width, network, length, provider, place, text))
        out += ["];", ""]
    counts = {p: 0 for p in CLOUD_PROVIDERS}
    for v in rows.values():
        for r in v:
            counts[CLOUD_PROVIDERS[r[2]]] += 1
    print("clouds: " + ", ".join("%s %d" % kv for kv in counts.items()), file=sys.stderr)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------


def write(name, text):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="directory holding the IANA CSVs (default: %(default)s)")
    args = ap.parse_args()
    os.makedirs(OUT_DIR, exist_ok=True)
    paths = [
        write("protocol/iana.rs", gen_protocols(args.data)),
        write("port/iana.rs", gen_ports(args.data)),
        write("scope/iana.rs", gen_special(args.data)),
        write("clouds/published.rs", gen_clouds(args.data)),
    ]
    rustfmt = shutil.which("rustfmt")
    if rustfmt:
        subprocess.run([rustfmt, "--edition", "2021", *paths], check=True)
    else:
        print("rustfmt not found: run `cargo fmt` before committing", file=sys.stderr)
    for p in paths:
        print("%s  %d bytes" % (os.path.relpath(p, ROOT), os.path.getsize(p)))


if __name__ == "__main__":
    main()

"""Python baselines of the flowlens benchmarks (run by scripts/bench.sh in bench/.venv).

    python baselines.py flowlogs-reader DATA [--limit N]
    python baselines.py awsipranges RANGES ADDRS [--limit N]

Prints one JSON object per measurement on stdout, like the other runners.

flowlogs-reader: its S3 reader turns each log object into dicts with csv.DictReader (space
delimiter, field names with '_') and each dict into a FlowRecord; the same is done here per S3
object of the file (each starts with a header line), without S3 and gzip.

awsipranges: the collection is built from the local ip-ranges.json by the library's own
get_ranges() (its download is replaced by the file), then each address is looked up with .get().
"""
import hashlib
import io
import json
import sys
import time


def arg(name, default):
    if name in sys.argv:
        return int(sys.argv[sys.argv.index(name) + 1])
    return default


def emit(bench, seconds, **extra):
    row = {"engine": "python", "bench": bench, "seconds": seconds, "min": seconds, "runs": 1}
    row.update(extra)
    print(json.dumps(row), flush=True)


def objects(text):
    """The S3 objects of the file: each from a header line to the next one."""
    start = 0
    while start < len(text):
        nxt = text.find("\nversion ", start + 1)
        end = len(text) if nxt < 0 else nxt + 1
        yield text[start:end]
        start = end


def bench_flowlogs_reader(path, limit):
    from csv import DictReader
    from flowlogs_reader import FlowRecord

    with open(path, encoding="utf-8") as f:
        text = f.read()
    records = 0
    t0 = time.perf_counter()
    for obj in objects(text):
        reader = DictReader(io.StringIO(obj), delimiter=" ")
        reader.fieldnames = [f.replace("-", "_") for f in reader.fieldnames]
        for row in reader:
            FlowRecord(row)
            records += 1
            if records >= limit:
                break
        if records >= limit:
            break
    seconds = time.perf_counter() - t0
    # Throughput is per record: with a limit, only the first records are read.
    emit("flowlogs_reader", seconds, records=records, bytes=len(text) if records < limit else 0,
         ops=records, check=f"{records} records" + ("" if records < limit else f" (first {limit})"))


def bench_awsipranges(ranges_path, addrs_path, limit):
    import awsipranges
    import awsipranges.data_loading as dl

    with open(ranges_path, "rb") as f:
        raw = f.read()
    dl.get_json_data = lambda **_: (json.loads(raw), hashlib.md5(raw).hexdigest())
    t0 = time.perf_counter()
    ranges = dl.get_ranges()
    emit("awsipranges_load", time.perf_counter() - t0, records=0, bytes=len(raw), ops=1,
         check=f"{len(ranges.ipv4_prefixes) + len(ranges.ipv6_prefixes)} prefixes")
    with open(addrs_path, encoding="utf-8") as f:
        addrs = [line.strip() for _, line in zip(range(limit), f)]
    t0 = time.perf_counter()
    hits = sum(1 for a in addrs if ranges.get(a) is not None)
    emit("awsipranges_lookups", time.perf_counter() - t0, records=0, bytes=0, ops=len(addrs),
         check=f"{hits} of {len(addrs)} in AWS")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "flowlogs-reader":
        bench_flowlogs_reader(sys.argv[2], arg("--limit", 10**12))
    elif cmd == "awsipranges":
        bench_awsipranges(sys.argv[2], sys.argv[3], arg("--limit", 100_000))
    else:
        sys.exit(f"unknown command {cmd}")

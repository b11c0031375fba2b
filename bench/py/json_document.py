#!/usr/bin/env python3
"""Writes one big `aws logs filter-log-events` JSON document (as the AWS CLI prints it, indented)
for measuring how flowlens reads JSON documents: the records of tests/data/aws-docs-examples.log
repeated, with the packets, bytes and times varied.

    python3 bench/py/json_document.py SIZE_MB OUT.json

The document ends with the `searchedLogStreams` and `nextToken` members, as the CLI's does.
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main():
    size = int(float(sys.argv[1]) * 1_000_000)
    out = sys.argv[2]
    with open(os.path.join(ROOT, "tests/data/aws-docs-examples.log")) as f:
        records = [l.split() for l in f.read().splitlines() if l.startswith("2 ")]
    written = 0
    i = 0
    with open(out, "w") as f:
        f.write('{\n    "events": [\n')
        while written < size:
            r = list(records[i % len(records)])
            if len(r) == 14 and r[9].isdigit():
                r[8] = str(1 + i % 97)  # packets
                r[9] = str(40 + (i * 7919) % 100_000)  # bytes
                r[10] = str(1418530010 + i // 10)
                r[11] = str(1418530070 + i // 10)
            event = {
                "logStreamName": "eni-1235b8ca123456789-all",
                "timestamp": 1418530010000 + i * 100,
                "message": " ".join(r),
                "ingestionTime": 1418530070000 + i * 100,
                "eventId": "3%055d" % i,
            }
            text = json.dumps(event, indent=4)
            text = "        " + text.replace("\n", "\n        ")
            if i:
                f.write(",\n")
            f.write(text)
            written += len(text) + 2
            i += 1
        f.write('\n    ],\n    "searchedLogStreams": [\n        {\n'
                '            "logStreamName": "eni-1235b8ca123456789-all",\n'
                '            "searchedCompletely": true\n        }\n    ],\n'
                '    "nextToken": "Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCrzeodzJxP7GmqUoTdUl2qk"\n}\n')
    print(f"{out}: {i} events", file=sys.stderr)


if __name__ == "__main__":
    main()

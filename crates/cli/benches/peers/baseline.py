#!/usr/bin/env python3
"""The script a user would write instead of installing tribute: read the resolved streams that
`tribute synth` writes (streams.json) and print yearly cumulative totals per commodity, looping
over the years with Decimal. The speed baseline of docs/performance.md."""
import json
import sys
from collections import defaultdict
from decimal import Decimal

with open(sys.argv[1]) as f:
    streams = json.load(f)["streams"]

yearly = defaultdict(lambda: defaultdict(Decimal))
for stream in streams:
    for piece in stream["pieces"]:
        amounts = {c: Decimal(a) for c, a in piece["amounts"].items()}
        for k in range(piece["count"]):
            year = piece["start"] + k * piece["step"]
            for c, a in amounts.items():
                yearly[year][c] += a

commodities = sorted({c for y in yearly.values() for c in y})
print("year," + ",".join(f"{c}_cum" for c in commodities))
running = defaultdict(Decimal)
for year in range(min(yearly), max(yearly) + 1):
    for c in commodities:
        running[c] += yearly[year][c]
    print(str(year) + "," + ",".join(str(running[c]) for c in commodities))

#!/usr/bin/env python3
"""January and June 2001 out of the vega-datasets 3 M-row flights Parquet, as CSV and Parquet files
with the columns `mlmon drift` and the pandas baseline compare: delay, distance, hour (numeric) and
origin (categorical).
usage: python3 bench/flights_prepare.py FLIGHTS_3M.parquet OUT_DIR"""
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

source, out = sys.argv[1], sys.argv[2]
table = pq.read_table(source)
month = pc.month(table["date"])
for number, name in [(1, "january"), (6, "june")]:
    rows = table.filter(pc.equal(month, number))
    data = pa.table(
        {
            "delay": rows["delay"],
            "distance": rows["distance"],
            "hour": pc.hour(rows["date"]).cast(pa.int64()),
            "origin": rows["origin"].cast(pa.string()),
        }
    )
    pacsv.write_csv(data, f"{out}/flights-{name}.csv", pacsv.WriteOptions(quoting_style="needed"))
    pq.write_table(data, f"{out}/flights-{name}.parquet")
    print(f"{out}/flights-{name}.csv: {data.num_rows} rows")

#!/usr/bin/python3
"""W6 on the Dask side: read w6_1M.csv (name, x, y; 1000 groups), then
groupby('name').apply(fit, meta=object) where fit is least squares y = a*x + b
in closed form with numpy (scikit-learn is not installed here; it fits the same
model). One invocation = one run = one JSON line (wall_s includes the read).
  /usr/bin/python3 w6_groupby_apply.py --impl dask     # dd.read_csv(blocksize=4e6), threads
  /usr/bin/python3 w6_groupby_apply.py --impl pandas   # pd.read_csv, one thread
"""
import argparse, os, sys, warnings
sys.path.insert(0, os.environ["ANCHORS"])  # shared/anchors, passed by bench/w6_groupby_apply.ts
from anchor_common import Measure, base, emit, ensure_data, versions  # noqa: E402


def fit(part):
    n = len(part)
    if not n:
        return None
    x, y = part.x.values, part.y.values
    sx, sy, sxx, sxy = x.sum(), y.sum(), (x * x).sum(), (x * y).sum()
    a = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    return (float(a), float((sy - a * sx) / n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", required=True, choices=["dask", "pandas"])
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    path = ensure_data("w6")
    import pandas as pd
    import dask.dataframe as dd
    rec = base("W6", a.impl, versions=versions("pandas", "numpy", "dask"))
    with Measure() as m:
        if a.impl == "dask":
            df = dd.read_csv(path, blocksize=4e6)
            rec["npartitions"] = df.npartitions
            res = df.groupby("name").apply(fit, meta=object).compute(scheduler="threads")
        else:
            res = pd.read_csv(path).groupby("name").apply(fit)
    rec.update(m.fields())
    res = res.sort_index()
    rec.update({"groups": len(res), "first": [res.index[0], [round(c, 6) for c in res.iloc[0]]]})
    emit(rec)


if __name__ == "__main__":
    main()

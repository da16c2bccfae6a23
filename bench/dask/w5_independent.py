#!/usr/bin/python3
"""W5 (independent tasks): 100,000 independent tiny dask.delayed tasks computed together.
The tree-shaped half of W5 is ../../../shared/anchors/w5_scheduler_overhead.py; this is its
twin for a graph with no edges.
  /usr/bin/python3 w5_independent.py --impl sync|threads [--n 100000]
Prints one JSON line: wall_s (compute only), ntasks, us_per_task, result, ok.
"""
import argparse, json, time


def inc(x):
    return x + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", required=True, choices=["sync", "threads"])
    ap.add_argument("--n", type=int, default=100_000)
    a = ap.parse_args()
    import dask
    from dask import delayed
    tasks = [delayed(inc)(i) for i in range(a.n)]
    t0 = time.perf_counter()
    out = dask.compute(*tasks, scheduler=a.impl)
    wall = time.perf_counter() - t0
    result = sum(out)
    expect = a.n * (a.n - 1) // 2 + a.n
    print(json.dumps({"workload": "W5", "impl": a.impl, "graph": "independent", "wall_s": round(wall, 4), "ntasks": a.n,
                      "us_per_task": round(wall / a.n * 1e6, 2), "result": result, "ok": result == expect,
                      "dask": dask.__version__}))


if __name__ == "__main__":
    main()

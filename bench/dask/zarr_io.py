#!/usr/bin/python3
"""Zarr I/O with Dask: a 1 GiB float64 array (16384 x 8192 in chunks of 512 rows, 32 MiB each)
generated, written with to_zarr (no compressor) and read back with from_zarr, summed.
Debian's python3-zarr is zarr-python 2, so Dask writes Zarr v2 here (Tessera writes v3): the
chunk bytes are the same raw little-endian doubles, only the metadata file differs.
  /usr/bin/python3 zarr_io.py --dir DIR
Prints one JSON line: gen_s (random + sum), write_s (random + to_zarr), read_s (from_zarr + sum).
"""
import argparse, json, os, shutil, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rows", type=int, default=16384)
    a = ap.parse_args()
    import dask, dask.array as da, zarr
    path = os.path.join(a.dir, "dask.zarr")
    shutil.rmtree(path, ignore_errors=True)
    x = da.random.RandomState(7).random_sample((a.rows, 8192), chunks=(512, 8192))
    t0 = time.perf_counter()
    s0 = float(x.sum().compute())
    gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    x.to_zarr(path, overwrite=True, compressor=None)
    write = time.perf_counter() - t0
    t0 = time.perf_counter()
    s1 = float(da.from_zarr(path).sum().compute())
    read = time.perf_counter() - t0
    shutil.rmtree(path, ignore_errors=True)
    import resource
    print(json.dumps({"gen_s": round(gen, 3), "write_s": round(write, 3), "read_s": round(read, 3), "ok": s0 == s1,
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "dask": dask.__version__, "zarr": zarr.__version__}))


if __name__ == "__main__":
    main()

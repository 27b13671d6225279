"""Exact reference for the assignment benchmark: OR-Tools SimpleMinCostFlow (C++ cost scaling).

Usage: python ortools_reference.py INSTANCE_DIR
Reads the raw arrays written by instance.mjs (offsets.i32, managers.i32, scores.f32, capacity.i32,
meta.json), solves

    max Σ score_e · x_e  s.t. each customer ≤ 1 manager, each manager ≤ capacity

as a min-cost flow (customer → manager arcs of cost −round(score · scale), manager → sink arcs of
capacity c_j, customer → sink arcs of cost 0 for "unassigned"), and writes reference.json with the
optimum (true float scores of the optimal flow), timings, peak memory and a feasibility check.
Integer costs are needed by OR-Tools: with scale 10⁴ the rounding moves the optimum by at most
n · 10⁻⁴ score units (reported as roundingBound).
"""

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
from ortools.graph.python import min_cost_flow


def main() -> None:
    d = Path(sys.argv[1])
    meta = json.loads((d / "meta.json").read_text())
    n, m = int(meta["n"]), int(meta["m"])
    scale = int(meta.get("costScale", 10_000))
    offsets = np.fromfile(d / "offsets.i32", dtype="<i4")
    managers = np.fromfile(d / "managers.i32", dtype="<i4")
    scores = np.fromfile(d / "scores.f32", dtype="<f4").astype(np.float64)
    capacity = np.fromfile(d / "capacity.i32", dtype="<i4").astype(np.int64)
    edges = int(offsets[n])

    t0 = time.perf_counter()
    bidder = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets).astype(np.int64))
    sink = n + m
    starts = np.concatenate([bidder, n + np.arange(m, dtype=np.int64), np.arange(n, dtype=np.int64)])
    ends = np.concatenate(
        [n + managers.astype(np.int64), np.full(m, sink, dtype=np.int64), np.full(n, sink, dtype=np.int64)]
    )
    caps = np.concatenate([np.ones(edges, dtype=np.int64), capacity, np.ones(n, dtype=np.int64)])
    costs = np.concatenate(
        [-np.rint(scores[:edges] * scale).astype(np.int64), np.zeros(m, dtype=np.int64), np.zeros(n, dtype=np.int64)]
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(starts, ends, caps, costs)
    supplies = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(m, dtype=np.int64), np.array([-n], dtype=np.int64)])
    smcf.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int64), supplies)
    del starts, ends, caps, costs, bidder
    t1 = time.perf_counter()
    status = smcf.solve()
    t2 = time.perf_counter()
    if status != smcf.OPTIMAL:
        raise SystemExit(f"OR-Tools status {status}")

    flows = smcf.flows(arcs[:edges])
    chosen = flows > 0
    load = np.bincount(managers[chosen], minlength=m)
    per_customer = np.bincount(np.repeat(np.arange(n), np.diff(offsets))[chosen], minlength=n)
    result = {
        "solver": "ortools.SimpleMinCostFlow",
        "n": n,
        "m": m,
        "edges": edges,
        "optimum": float(scores[:edges][chosen].sum()),
        "scaledOptimalCost": int(smcf.optimal_cost()),
        "costScale": scale,
        "roundingBound": n / scale,
        "assigned": int(chosen.sum()),
        "unassigned": int(n - chosen.sum()),
        "feasible": bool((load <= capacity).all() and (per_customer <= 1).all()),
        "buildSeconds": t1 - t0,
        "solveSeconds": t2 - t1,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    (d / "reference.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

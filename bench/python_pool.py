"""Python's multiprocessing.Pool side of bench/run. Each command prints one JSON object on stdout."""
import json
import sys
import time
from multiprocessing import Pool

MASK = (1 << 64) - 1


def square(line):
    n = int(line)
    return n * n


def spin(rounds):
    # the same 64-bit LCG as procpool's spin task
    x = 1
    for _ in range(rounds):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
    return x if x < (1 << 63) else x - (1 << 64)


def throughput(src, dst, processes):
    with Pool(processes) as pool:
        pool.apply(square, ("1",))  # the pool is running and warm, as procpool's is
        start = time.perf_counter()
        with open(src) as f:
            items = f.read().splitlines()
        results = pool.map(square, items)
        with open(dst, "w") as f:
            f.write("\n".join(map(str, results)))
            f.write("\n")
        return {"seconds": time.perf_counter() - start, "items": len(results)}


def scaling(items, rounds, processes, warm_maps=0):
    with Pool(processes) as pool:
        pool.apply(spin, (1,))
        for _ in range(warm_maps):
            pool.map(spin, [rounds] * items, chunksize=1)
        start = time.perf_counter()
        pool.map(spin, [rounds] * items, chunksize=1)
        return {"seconds": time.perf_counter() - start}


def skew(cheap, costly, processes):
    # 2,000 items, the last 2% costing 100x the rest; Pool.map with its default chunksize (len / (4 * processes))
    items = [cheap] * 1960 + [costly] * 40
    start = time.perf_counter()
    for _ in range(40):
        spin(cheap)
    cheap_seconds = (time.perf_counter() - start) / 40
    start = time.perf_counter()
    for _ in range(2):
        spin(costly)
    costly_seconds = (time.perf_counter() - start) / 2
    ideal = (1960 * cheap_seconds + 40 * costly_seconds) / processes
    with Pool(processes) as pool:
        pool.apply(spin, (1,))
        start = time.perf_counter()
        pool.map(spin, items)
        return {"seconds": time.perf_counter() - start, "ideal": ideal}


def latency(calls, warmup=100):
    with Pool(2) as pool:
        for _ in range(warmup):
            pool.apply(square, ("7",))
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            pool.apply(square, ("7",))
            times.append(time.perf_counter() - start)
        times.sort()
        return {"p50_ms": 1000 * times[len(times) // 2], "p99_ms": 1000 * times[int(len(times) * 0.99)]}


def startup():
    start = time.perf_counter()
    with Pool(2) as pool:
        pool.apply(square, ("7",))
        return {"seconds": time.perf_counter() - start}


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "throughput":
        result = throughput(args[0], args[1], int(args[2]))
    elif command == "scaling":
        result = scaling(int(args[0]), int(args[1]), int(args[2]), int(args[3]) if len(args) > 3 else 0)
    elif command == "skew":
        result = skew(int(args[0]), int(args[1]), int(args[2]))
    elif command == "latency":
        result = latency(int(args[0]), int(args[1]) if len(args) > 1 else 100)
    elif command == "startup":
        result = startup()
    else:
        raise SystemExit("unknown command " + command)
    print(json.dumps(result))

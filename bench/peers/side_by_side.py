"""Side by side, in one run: Ascribe `attribute`, MadryLab trak and dattri on MNIST-MLP TRAK-10.

Every program is timed as a whole process (start-up, reading rows and models, featurize, kernel,
score, writing scores) under /usr/bin/time -v, which also gives its peak RSS. The programs
alternate (ours, trak, dattri, ours, ...) for --rounds rounds so that a change in machine load
hits all of them alike. Afterwards, outside the timing, the LDS of each program's scores against
Ascribe's 50-model ground truth and the Spearman correlation of each peer's score vectors with
ours (per query, over the training rows) check that all three solved the same task.

Writes OUT.json (every run, medians, ratios, peak RSS, stage seconds, LDS, correlations, machine)
and OUT.md (the table it prints). See README.md next to this file for setup and caveats.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = ("ours", "trak", "dattri")
# The only line of `attribute`'s log this harness reads: its stage seconds.
STAGES_LINE = re.compile(r"attribute: trak scores for \d+ training examples x \d+ queries in \{([^}]*)\}")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trak", required=True, help="MadryLab trak source folder (holds trak/)")
    p.add_argument("--dattri", required=True, help="dattri source folder (holds dattri/)")
    p.add_argument("--models", required=True, help="Ascribe models folder (m<i>/epoch-50.params)")
    p.add_argument("--groundtruth", required=True,
                   help="Ascribe run folder holding groundtruth/ for the LDS (50 models)")
    p.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data", "mnist"),
                   help="MNIST IDX folder (default: the data root ../shared/data/mnist)")
    p.add_argument("--work", required=True, help="scratch folder for run outputs (emptied)")
    p.add_argument("--out", default=os.path.join(HERE, "results"),
                   help="writes OUT.json and OUT.md (default bench/peers/results)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of (ours, trak, dattri)")
    p.add_argument("--programs", default=",".join(PROGRAMS),
                   help="comma-separated subset of ours,trak,dattri, in the order run")
    p.add_argument("--once", default="",
                   help="comma-separated programs run in the first round only (a slow peer)")
    p.add_argument("--analyze-only", action="store_true",
                   help="run nothing: analyze the runs recorded in WORK/runs.json (an interrupted run)")
    p.add_argument("--python", default="/usr/bin/python3",
                   help="interpreter with Debian's torch for the peers")
    p.add_argument("--queries-shown", type=int, default=5,
                   help="queries whose peer/ours Spearman is listed one by one")
    args = p.parse_args()
    programs = [x for x in args.programs.split(",") if x]
    for x in programs:
        if x not in PROGRAMS:
            raise SystemExit(f"--programs: '{x}' is not one of {', '.join(PROGRAMS)}")
    if "ours" not in programs:
        raise SystemExit("--programs must include ours: ratios and correlations are against it")
    if args.rounds < 1:
        raise SystemExit(f"--rounds given {args.rounds}: must be >= 1")
    once = [x for x in args.once.split(",") if x]
    for x in once:
        if x not in programs or x == "ours":
            raise SystemExit(f"--once: '{x}' must be one of the peers in --programs")
    args.programs = programs
    args.once = once
    return args


def command(program, args, run_dir):
    """The command line and extra environment of one run of ``program``, writing into run_dir."""
    task = ["--models", args.models, "--data", args.data, "--count", "10", "--epoch", "50",
            "--train", "5000", "--queries", "500", "--proj-dim", "512", "--batch", "128",
            "--scores", os.path.join(run_dir, "scores.npy")]
    if program == "ours":
        return ([os.path.join(REPO, "bin", "ascribe"), "attribute", "--conf",
                 os.path.join(REPO, "conf", "mnist-mlp.conf"), "--out", run_dir,
                 "--set", "models=10", "--set", "models.dir=" + args.models], {})
    source = {"trak": args.trak, "dattri": args.dattri}[program]
    return ([args.python, os.path.join(HERE, f"run_{program}.py")] + task,
            {"PYTHONPATH": os.path.abspath(source)})


def timed(cmd, env, log_path):
    """Runs cmd under /usr/bin/time -v; returns wall seconds and peak RSS in MiB."""
    full_env = dict(os.environ, **env)
    with open(log_path, "w") as log:
        start = time.perf_counter()
        rc = subprocess.call(["/usr/bin/time", "-v"] + cmd, stdout=log, stderr=subprocess.STDOUT,
                             env=full_env, cwd=REPO)
        wall = time.perf_counter() - start
    text = open(log_path, errors="replace").read()
    if rc != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with exit status {rc}: see {log_path}")
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return wall, rss_kib / 1024.0, text


def stage_seconds(program, run_dir, log_text):
    """The program's own stage seconds: ours from its log line, the peers' from scores.npy.json."""
    if program == "ours":
        found = STAGES_LINE.search(log_text)
        if not found:
            raise SystemExit(f"{run_dir}: no stage seconds line in the attribute log")
        return {k.strip(): float(v) for k, v in (kv.split("=") for kv in found.group(1).split(","))}
    with open(os.path.join(run_dir, "scores.npy.json")) as f:
        return json.load(f)["seconds"]


def rankdata(a):
    """Ranks 1..n with ties averaged (scipy.stats.rankdata's 'average' method)."""
    sorter = np.argsort(a, kind="mergesort")
    inv = np.empty(sorter.size, dtype=np.intp)
    inv[sorter] = np.arange(sorter.size)
    sorted_a = a[sorter]
    first = np.r_[True, sorted_a[1:] != sorted_a[:-1]]
    dense = first.cumsum()[inv]
    count = np.r_[np.nonzero(first)[0], len(first)]
    return 0.5 * (count[dense] + count[dense - 1] + 1)


def spearman_columns(x, y):
    """Spearman correlation of x[:, q] with y[:, q] for every column q (NaN where constant)."""
    out = np.empty(x.shape[1])
    for q in range(x.shape[1]):
        rx, ry = rankdata(x[:, q]), rankdata(y[:, q])
        rx -= rx.mean()
        ry -= ry.mean()
        denom = np.sqrt((rx * rx).sum() * (ry * ry).sum())
        out[q] = (rx * ry).sum() / denom if denom > 0 else np.nan
    return out


def pearson_columns(x, y):
    """Pearson correlation of x[:, q] with y[:, q] for every column q (NaN where constant)."""
    x = x.astype(np.float64) - x.mean(axis=0)
    y = y.astype(np.float64) - y.mean(axis=0)
    denom = np.sqrt((x * x).sum(axis=0) * (y * y).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, (x * y).sum(axis=0) / denom, np.nan)


def top_overlap(x, y, k):
    """Mean over queries of |top-k rows of x ∩ top-k rows of y| / k (the strongest proponents)."""
    tx = np.argsort(-x, axis=0, kind="stable")[:k]
    ty = np.argsort(-y, axis=0, kind="stable")[:k]
    return float(np.mean([len(set(tx[:, q]) & set(ty[:, q])) / k for q in range(x.shape[1])]))


def lds(scores, subsets, margin):
    """LDS as core/.../metric/Lds.java: per query, Spearman over subsets of summed scores vs margin."""
    predictions = subsets.astype(np.float64) @ scores.astype(np.float64)  # M x m
    per_query = spearman_columns(predictions, margin)
    ok = per_query[~np.isnan(per_query)]
    return {"mean": float(ok.mean()), "stderr": float(ok.std(ddof=1) / np.sqrt(ok.size)),
            "queries": int(ok.size)}


def export_tables(args, ours_dir, dest):
    """Ground truth and our scores/full as .npy, read with Ascribe's own readers (ExportTables)."""
    target = os.path.join(REPO, "jobs", "target")
    with open(os.path.join(target, "classpath.txt")) as f:
        cp = ":".join([os.path.join(REPO, m, "target", f"ascribe-{m}-0.1.0-SNAPSHOT.jar")
                       for m in ("core", "udf", "jobs")] + [f.read().strip()])
    with open(os.path.join(target, "jvm.options")) as f:
        flags = f.read().split()
    cmd = (["java", "-Xmx2g"] + flags + ["-Dlog4j2.configurationFile="
                                         + os.path.join(REPO, "conf", "log4j2.properties"),
                                         "-cp", cp, os.path.join(HERE, "ExportTables.java"),
                                         os.path.join(args.groundtruth, "groundtruth"),
                                         os.path.join(ours_dir, "scores", "full"), dest])
    with open(os.path.join(dest + ".log"), "w") as log:
        if subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO) != 0:
            raise SystemExit(f"ExportTables failed: see {dest}.log")
    return (np.load(os.path.join(dest, "gt_subsets.npy")), np.load(os.path.join(dest, "gt_margin.npy")),
            np.load(os.path.join(dest, "ours_scores.npy")))


def load_average():
    return list(os.getloadavg())


def machine(python):
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    py = subprocess.run([python, "-c", "import torch; print(torch.__version__)"],
                        capture_output=True, text=True).stdout.strip()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return {"cpus": os.cpu_count(), "cpu": model, "os": platform.platform(),
            "python": platform.python_version(), "torch": py, "java": java[0] if java else ""}


def peer_version(folder):
    """The version a peer's released source declares (setup.py or pyproject.toml)."""
    for name in ("setup.py", "pyproject.toml"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            found = re.search(r"version\s*=\s*[\"']([^\"']+)[\"']", open(path).read())
            if found:
                return found.group(1)
    return "unknown"


def table(result):
    rows = ["| program | runs (s) | median s | x ours | peak RSS MiB (median) | stages (median s) | LDS | vs ours: Spearman / Pearson / top-50 |",
            "|---|---|---|---|---|---|---|---|"]
    for name, r in result["programs"].items():
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["median_stage_seconds"].items())
        lds_text = f"{r['lds']['mean']:.3f} ± {r['lds']['stderr']:.3f}" if "lds" in r else "–"
        sp = (f"{r['spearman_vs_ours']['mean']:.3f} / {r['pearson_vs_ours']:.3f} / "
              f"{r['top50_overlap_with_ours']:.2f}" if "spearman_vs_ours" in r else "–")
        rows.append(f"| {name} | {', '.join(f'{w:.1f}' for w in r['wall_seconds'])} | "
                    f"{r['median_wall_seconds']:.1f} | {r['ratio_to_ours']:.2f} | "
                    f"{r['median_peak_rss_mib']:.0f} | {stages} | {lds_text} | {sp} |")
    return "\n".join(rows)


def main():
    args = parse_args()
    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    load_before = load_average()
    if args.analyze_only:
        with open(os.path.join(args.work, "runs.json")) as f:
            runs = json.load(f)
        started, load_before = runs.pop("started"), runs.pop("load_average_before")
        load_after = runs.pop("load_average_after")
        args.programs = [p for p in args.programs if runs.get(p)]
    else:
        if os.path.exists(args.work):
            shutil.rmtree(args.work)
        os.makedirs(args.work)
        runs = {p: [] for p in args.programs}
    for rnd in range(0 if args.analyze_only else args.rounds):
        for program in args.programs:
            if rnd > 0 and program in args.once:
                continue
            run_dir = os.path.join(args.work, f"{program}-r{rnd}")
            os.makedirs(run_dir, exist_ok=True)
            cmd, env = command(program, args, run_dir)
            wall, rss, log_text = timed(cmd, env, run_dir + ".log")
            load_after = load_average()
            stages = stage_seconds(program, run_dir, log_text)
            runs[program].append({"round": rnd, "wall_seconds": wall, "peak_rss_mib": rss,
                                  "stage_seconds": stages, "load_average": load_after})
            print(f"round {rnd} {program}: {wall:.1f} s, peak {rss:.0f} MiB, stages {stages}",
                  flush=True)
            with open(os.path.join(args.work, "runs.json"), "w") as f:
                # what is measured so far survives a later failure (see --analyze-only)
                json.dump(dict(runs, started=started, load_average_before=load_before,
                               load_average_after=load_after), f, indent=1)

    subsets, margin, ours_scores = export_tables(args, os.path.join(args.work, "ours-r0"),
                                                 os.path.join(args.work, "tables"))
    scores = {"ours": ours_scores}
    for program in args.programs:
        if program != "ours":
            scores[program] = np.load(os.path.join(args.work, f"{program}-r0", "scores.npy"))
            if scores[program].shape != ours_scores.shape:
                raise SystemExit(f"{program} scores have shape {scores[program].shape}, "
                                 f"ours {ours_scores.shape}")

    ours_median = statistics.median(r["wall_seconds"] for r in runs["ours"])
    result = {
        "what": "MNIST-MLP TRAK-10 (10 models, epoch 50, k = 512), 5,000 training rows x 500 "
                "queries, whole processes under /usr/bin/time -v, alternating",
        "command": " ".join([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:]),
        "started": started,
        "machine": machine(args.python),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "peers": {"trak": {"source": args.trak, "declared_version": peer_version(args.trak)},
                  "dattri": {"source": args.dattri, "declared_version": peer_version(args.dattri)}},
        "commands": {p: " ".join(command(p, args, os.path.join(args.work, f"{p}-rN"))[0])
                     for p in args.programs},
        "programs": {},
    }
    for program in args.programs:
        walls = [r["wall_seconds"] for r in runs[program]]
        stage_names = runs[program][0]["stage_seconds"].keys()
        entry = {
            "wall_seconds": walls,
            "median_wall_seconds": statistics.median(walls),
            "ratio_to_ours": statistics.median(walls) / ours_median,
            "peak_rss_mib": [r["peak_rss_mib"] for r in runs[program]],
            "median_peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in runs[program]),
            "median_stage_seconds": {k: statistics.median(r["stage_seconds"][k] for r in runs[program])
                                     for k in stage_names},
            "runs": runs[program],
            "lds": lds(scores[program], subsets, margin),
        }
        if program != "ours":
            per_query = spearman_columns(scores[program].astype(np.float64),
                                         ours_scores.astype(np.float64))
            entry["spearman_vs_ours"] = {
                "mean": float(np.nanmean(per_query)), "min": float(np.nanmin(per_query)),
                "first_queries": [float(v) for v in per_query[:args.queries_shown]]}
            entry["pearson_vs_ours"] = float(np.nanmean(pearson_columns(scores[program], ours_scores)))
            entry["top50_overlap_with_ours"] = top_overlap(scores[program], ours_scores, 50)
        result["programs"][program] = entry

    peers = [p for p in args.programs if p != "ours"]
    for i, a in enumerate(peers):
        for b in peers[i + 1:]:
            result[f"{a}_vs_{b}"] = {
                "pearson": float(np.nanmean(pearson_columns(scores[a], scores[b]))),
                "top50_overlap": top_overlap(scores[a], scores[b], 50)}
    text = table(result)
    with open(args.out + ".json", "w") as f:
        json.dump(result, f, indent=1)
    with open(args.out + ".md", "w") as f:
        f.write("# Side by side: Ascribe vs MadryLab trak vs dattri, MNIST-MLP TRAK-10\n\n")
        f.write(f"Command: `{result['command']}`\n\n")
        m = result["machine"]
        f.write(f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['os']}; peers on Python "
                f"{m['python']}, torch {m['torch']}; {m['java']}. Load average (1, 5, 15 min) "
                f"{', '.join(f'{v:.2f}' for v in load_before)} before, "
                f"{', '.join(f'{v:.2f}' for v in load_after)} after. Started {started}.\n\n")
        f.write(text + "\n")
        for key, value in result.items():
            if "_vs_" in key:  # the peer pairs
                f.write(f"\n{key.replace('_vs_', ' vs ')}: Pearson {value['pearson']:.3f}, "
                        f"top-50 overlap {value['top50_overlap']:.2f} (mean over queries)\n")
    print(text)


if __name__ == "__main__":
    main()

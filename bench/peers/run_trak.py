"""MadryLab trak (TRAKer, its documented featurize / finalize / score loop) on the MNIST-MLP task.

Run with Debian's /usr/bin/python3 and the peer's released sources on PYTHONPATH, e.g.
``PYTHONPATH=/work/peers/trak-0.3.2 /usr/bin/python3 run_trak.py --models ... --scores out.npy``.
trak's CUDA projector (fast_jl) needs a GPU: on CPU TRAKer picks its BasicProjector (Gaussian,
regenerated block by block for every batch), which is what runs here. Features are float32
(use_half_precision=False: half precision is a GPU option) and lambda_reg is trak's default 0.
"""
import logging
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch2_shim  # noqa: E402

torch2_shim.install()
import torch  # noqa: E402
from trak import TRAKer  # noqa: E402

import ascribe_task  # noqa: E402


def main():
    t0 = time.perf_counter()
    args, model, states, train, queries = ascribe_task.load_task(__doc__)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="trak-") as save_dir:
        traker = TRAKer(model=model, task="image_classification", train_set_size=args.train,
                        save_dir=save_dir, device="cpu", proj_dim=args.proj_dim,
                        use_half_precision=False, logging_level=logging.WARNING)
        for model_id, state in enumerate(states):
            traker.load_checkpoint(state, model_id=model_id)
            for start in range(0, args.train, args.batch):
                batch = [t[start:start + args.batch] for t in train]
                traker.featurize(batch=batch, num_samples=batch[0].shape[0])
        traker.finalize_features()
        t2 = time.perf_counter()
        for model_id, state in enumerate(states):
            traker.start_scoring_checkpoint(exp_name="queries", checkpoint=state,
                                            model_id=model_id, num_targets=args.queries)
            for start in range(0, args.queries, args.batch):
                batch = [t[start:start + args.batch] for t in queries]
                traker.score(batch=batch, num_samples=batch[0].shape[0])
        scores = traker.finalize_scores(exp_name="queries")
        t3 = time.perf_counter()
        ascribe_task.save_scores(args.scores, scores, {
            "load": t1 - t0, "featurize_and_kernel": t2 - t1, "score": t3 - t2})


if __name__ == "__main__":
    main()

"""dattri's TRAKAttributor (its documented cache / attribute loop) on the MNIST-MLP task.

Run with Debian's /usr/bin/python3 and the peer's released sources on PYTHONPATH, e.g.
``PYTHONPATH=/work/peers/dattri-0.3.0 /usr/bin/python3 run_dattri.py --models ... --scores out.npy``.
The target and the probability function are the ones of dattri's own TRAK examples
(examples/noisy_label_detection/trak_noisy_label.py): the margin log(p / (1 - p)) and p. On CPU
dattri's projector is its BasicProjector (Gaussian); regularization is dattri's default 0.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch2_shim  # noqa: E402

torch2_shim.install()
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402
from dattri.algorithm.trak import TRAKAttributor  # noqa: E402
from dattri.task import AttributionTask  # noqa: E402

import ascribe_task  # noqa: E402


def main():
    t0 = time.perf_counter()
    args, model, states, train, queries = ascribe_task.load_task(__doc__)
    train_loader = DataLoader(TensorDataset(*train), batch_size=args.batch, shuffle=False)
    query_loader = DataLoader(TensorDataset(*queries), batch_size=args.batch, shuffle=False)

    def margin(params, data_target_pair):
        image, label = data_target_pair
        yhat = torch.func.functional_call(model, params, image.unsqueeze(0))
        logp = -nn.CrossEntropyLoss()(yhat, label.unsqueeze(0))
        return logp - torch.log(1 - torch.exp(logp))

    def probability(params, image_label_pair):
        image, label = image_label_pair
        yhat = torch.func.functional_call(model, params, image.unsqueeze(0))
        return torch.exp(-nn.CrossEntropyLoss()(yhat, label.unsqueeze(0)))

    task = AttributionTask(loss_func=margin, model=model, checkpoints=states)
    attributor = TRAKAttributor(task=task, correct_probability_func=probability, device="cpu",
                                projector_kwargs={"proj_dim": args.proj_dim, "device": "cpu"})
    t1 = time.perf_counter()
    attributor.cache(train_loader)
    t2 = time.perf_counter()
    with torch.no_grad():
        scores = attributor.attribute(query_loader)
    t3 = time.perf_counter()
    ascribe_task.save_scores(args.scores, scores, {
        "load": t1 - t0, "featurize_and_kernel": t2 - t1, "score": t3 - t2})


if __name__ == "__main__":
    main()

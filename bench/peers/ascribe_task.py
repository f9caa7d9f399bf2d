"""The MNIST-MLP task of conf/mnist-mlp.conf as the peers see it: rows, models, score output.

Reads what Ascribe reads, with no Ascribe code: MNIST from the IDX files in the data root
(pixels byte/255, no mean/std normalization, as core/.../data/IdxFile.java), and the trained
models' parameter files ``models/m<i>/epoch-<e>.params``, which are DJL's
``SequentialBlock.saveParameters`` stream (core/.../model/Network.java#save): one NDArray record
per parameter in layer order (weight ``out x in`` row-major, then bias). The architecture is
784-128-64-10 ReLU with dropout 0.1 after each hidden layer (identity at attribution time: the
peers put the model in eval mode, as Ascribe featurizes without dropout).
"""
import argparse
import gzip
import hashlib
import json
import os
import struct

import numpy as np
import torch
from torch import nn

NDARRAY_MAGIC = b"\x00\x04NDAR"  # DataOutput.writeUTF("NDAR") opens each NDArray record


def read_idx(path):
    """An IDX file (optionally gzipped) as a numpy array of its declared shape (uint8)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file (header {data[:4].hex()})")
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def mnist_rows(data_dir, split, offset, count):
    """Rows [offset, offset+count) of an MNIST split: float32 (count, 784) in [0,1], int64 labels."""
    prefix = {"train": "train", "test": "t10k"}[split]
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = images[offset:offset + count].reshape(count, -1).astype(np.float32) / np.float32(255.0)
    y = labels[offset:offset + count].astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def read_djl_params(path):
    """The float32 arrays of a DJL parameter file, in file order, as (name, numpy array) pairs."""
    with open(path, "rb") as f:
        data = f.read()
    arrays, pos = [], 0
    while True:
        start = data.find(NDARRAY_MAGIC, pos)
        if start < 0:
            return arrays
        p = start + len(NDARRAY_MAGIC)
        version, = struct.unpack(">i", data[p:p + 4]); p += 4
        if version != 3:
            raise ValueError(f"{path}: NDArray record version {version}, expected 3")
        name = None
        if data[p]:
            n, = struct.unpack(">H", data[p + 1:p + 3]); name = data[p + 3:p + 3 + n].decode(); p += 3 + n
        else:
            p += 1
        fields = []
        for _ in range(2):  # sparse format, data type
            n, = struct.unpack(">H", data[p:p + 2]); fields.append(data[p + 2:p + 2 + n].decode()); p += 2 + n
        if fields != ["DENSE", "FLOAT32"]:
            raise ValueError(f"{path}: array {name} is {fields}, expected DENSE FLOAT32")
        ndim, = struct.unpack(">i", data[p:p + 4]); p += 4
        shape = struct.unpack(">" + "q" * ndim, data[p:p + 8 * ndim]); p += 8 * ndim
        layout, = struct.unpack(">i", data[p:p + 4]); p += 4 + 2 * layout  # layout chars ('?')
        order = data[p:p + 1]; p += 1
        nbytes, = struct.unpack(">i", data[p:p + 4]); p += 4
        dtype = "<f4" if order == b"<" else ">f4"
        values = np.frombuffer(data, dtype=dtype, count=nbytes // 4, offset=p).astype(np.float32)
        arrays.append((name, values.reshape(shape)))
        pos = p + nbytes


class Mlp(nn.Module):
    """784-128-64-10 ReLU MLP with Ascribe's layer order (dropout is inactive in eval mode)."""

    def __init__(self, input_dim, hidden, classes, dropout):
        super().__init__()
        dims = [input_dim] + list(hidden)
        layers = []
        for i in range(len(hidden)):
            layers += [nn.Linear(dims[i], dims[i + 1]), nn.ReLU(), nn.Dropout(dropout)]
        layers.append(nn.Linear(dims[-1], classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def load_models(models_dir, count, epoch):
    """A fresh Mlp and the state dicts of models m0..m<count-1> at ``epoch`` (hash-checked)."""
    model, states = None, []
    for i in range(count):
        mdir = os.path.join(models_dir, f"m{i}")
        with open(os.path.join(mdir, "model.json")) as f:
            record = json.load(f)
        arch = record["architecture"]
        if model is None:
            model = Mlp(arch["input_dim"], arch["hidden"], arch["classes"], arch["dropout"])
        path = os.path.join(mdir, f"epoch-{epoch}.params")
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        if sha != record["epochs"][str(epoch)]:
            raise ValueError(f"{path}: SHA-256 {sha} differs from model.json")
        arrays = read_djl_params(path)
        keys = list(model.state_dict().keys())
        if len(arrays) != len(keys):
            raise ValueError(f"{path}: {len(arrays)} arrays, the model has {len(keys)}")
        state = {}
        for key, (name, values) in zip(keys, arrays):
            if not key.endswith(name) or tuple(model.state_dict()[key].shape) != values.shape:
                raise ValueError(f"{path}: array {name} {values.shape} does not fit {key}")
            state[key] = torch.from_numpy(values.copy())
        states.append(state)
    return model.eval(), states


def add_task_arguments(parser):
    """The command-line options every peer runner shares."""
    parser.add_argument("--models", required=True, help="folder holding m<i>/epoch-<e>.params")
    parser.add_argument("--data", required=True, help="MNIST IDX folder (the data root's mnist/)")
    parser.add_argument("--count", type=int, default=10, help="models (TRAK ensemble size)")
    parser.add_argument("--epoch", type=int, default=50, help="checkpoint epoch of each model")
    parser.add_argument("--train", type=int, default=5000, help="training rows train[0,n)")
    parser.add_argument("--queries", type=int, default=500, help="query rows test[0,m)")
    parser.add_argument("--proj-dim", type=int, default=512, help="projection dimension k")
    parser.add_argument("--batch", type=int, default=128, help="examples per gradient batch")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="torch intra-op threads (Debian's torch defaults to 1)")
    parser.add_argument("--scores", required=True, help="output .npy, float32 [train][query]")


def load_task(description):
    """Parses the shared options, then loads the models and the rows every runner uses.

    Returns (args, model, states, train, queries); torch gets ``--threads`` threads.
    """
    parser = argparse.ArgumentParser(description=description)
    add_task_arguments(parser)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model, states = load_models(args.models, args.count, args.epoch)
    train = mnist_rows(args.data, "train", 0, args.train)
    queries = mnist_rows(args.data, "test", 0, args.queries)
    return args, model, states, train, queries


def save_scores(path, scores, seconds):
    """Writes scores ``[train][query]`` as .npy and the stage seconds next to it as JSON."""
    np.save(path, np.ascontiguousarray(scores, dtype=np.float32))
    with open(path + ".json", "w") as f:
        json.dump({"seconds": seconds}, f, indent=1)

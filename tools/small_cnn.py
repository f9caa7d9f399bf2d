#!/usr/bin/python3
"""A small CNN for MNIST and how its TorchScript fixture was made (Ascribe's imported-CNN test).

    /usr/bin/python3 tools/small_cnn.py --data ../shared/data --out /tmp/cnn-ckpt
    /usr/bin/python3 tools/export_torchscript.py checkpoints --factory tools/small_cnn.py:make_model \
        --input-dim 784 --out core/src/test/resources/torchscript/cnn /tmp/cnn-ckpt/*.pth

The first command trains the model (SGD, lr 0.01, momentum 0.9, batch 64) on the first 1,000
MNIST training images and saves a state dict after each of 2 epochs; the second is the export
recipe of tools/export_torchscript.py, one .pt per checkpoint.
"""
import argparse
import gzip
import os

import torch
from torch import nn


class SmallCnn(nn.Module):
    """conv 5x5, 4 channels, stride 2 -> ReLU -> linear 576 -> 10, on flattened 28x28 rows."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, kernel_size=5, stride=2)
        self.fc = nn.Linear(4 * 12 * 12, 10)

    def forward(self, x):
        h = torch.relu(self.conv(x.view(-1, 1, 28, 28)))
        return self.fc(h.flatten(1))


def make_model():
    return SmallCnn()


def read_idx(path, offset, count, size):
    with gzip.open(path, "rb") as f:
        f.read(offset)
        return torch.frombuffer(bytearray(f.read(count * size)), dtype=torch.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="data root holding mnist/")
    parser.add_argument("--out", required=True)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    n = args.rows
    images = read_idx(os.path.join(args.data, "mnist", "train-images-idx3-ubyte.gz"), 16, n, 784)
    x = images.view(n, 784).float() / 255.0
    y = read_idx(os.path.join(args.data, "mnist", "train-labels-idx1-ubyte.gz"), 8, n, 1).long()
    torch.manual_seed(0)
    model = make_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    os.makedirs(args.out, exist_ok=True)
    for epoch in range(1, 3):
        order = torch.randperm(n)
        for i in range(0, n, 64):
            rows = order[i:i + 64]
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[rows]), y[rows]).backward()
            opt.step()
        with torch.no_grad():
            accuracy = (model(x).argmax(1) == y).float().mean().item()
        path = os.path.join(args.out, f"epoch-{epoch}.pth")
        torch.save(model.state_dict(), path)
        print(f"epoch {epoch}: training accuracy {accuracy:.3f}, wrote {path}")


if __name__ == "__main__":
    main()

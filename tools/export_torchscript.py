#!/usr/bin/python3
"""Exports PyTorch models to TorchScript files that Ascribe reads (model.kind = torchscript).

Ascribe never runs Python: this script is the recipe that turns a model and its checkpoints into
the .pt files a configuration's model.file names, and it made the test fixtures under
core/src/test/resources/torchscript. It needs only PyTorch (Debian's python3-torch 1.13 works).

What Ascribe expects of a module: forward(x) takes ONE float32 tensor of shape (B, input_dim), the
rows' `features` column, and returns the logits, shape (B, classes); the labels are 0 .. classes-1.
Every parameter that requires gradients is attributed (flat order = named_parameters() order);
buffers are kept as they are. Dropout and batch-norm statistics are not used: attribution runs the
module as exported, so export it in eval() mode.

Commands:
  checkpoints  one .pt per checkpoint of your own model:
      export_torchscript.py checkpoints --factory my_models.py:make_model --input-dim 784 \
          --out models/ ckpt/epoch-10.pth ckpt/epoch-20.pth
    imports make_model() from my_models.py, loads each state dict (a .pth written by
    torch.save(model.state_dict(), ...)) into it and writes models/<checkpoint name>.pt.
  mlp          Ascribe's built-in MLP (model.kind = mlp) from its flat parameter vector
               (float32 little-endian, Ascribe's layout: per layer weight (out x in) then bias):
      export_torchscript.py mlp --dims 784 128 64 10 --params theta.f32 --out mlp.pt
  fixtures     the small test modules (see write_fixtures).
"""
import argparse
import importlib.util
import os
import sys

import torch
from torch import nn


def export(module, input_dim, path):
    """Scripts `module` (tracing it when scripting fails), checks it, writes `path`."""
    module = module.eval()
    example = torch.zeros(2, input_dim)
    try:
        scripted = torch.jit.script(module)
    except Exception as e:  # TorchScript cannot compile every Python module: trace those
        print(f"scripting failed ({e.__class__.__name__}); tracing instead", file=sys.stderr)
        scripted = torch.jit.trace(module, example)
    with torch.no_grad():
        if not torch.allclose(scripted(example), module(example)):
            raise SystemExit(f"{path}: the exported module does not reproduce the original")
    scripted.save(path)
    shapes = ", ".join(f"{n} {tuple(p.shape)}" for n, p in scripted.named_parameters())
    print(f"wrote {path}: {shapes}")


def mlp(dims):
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def load_flat(module, path):
    """Fills the parameters in named_parameters() order from a raw float32 little-endian file."""
    data = open(path, "rb").read()
    values = torch.frombuffer(bytearray(data), dtype=torch.float32)
    need = sum(p.numel() for p in module.parameters())
    if values.numel() != need:
        raise SystemExit(f"{path} holds {values.numel()} floats: the model has {need} parameters")
    offset = 0
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(values[offset:offset + p.numel()].view_as(p))
            offset += p.numel()


def load_factory(spec):
    file, _, name = spec.partition(":")
    loader = importlib.util.spec_from_file_location("user_models", file)
    user = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(user)
    return getattr(user, name)


class NoParameters(nn.Module):
    """Logits made from the inputs alone: nothing to attribute."""

    def forward(self, x):
        return x[:, :10] * 2.0


def write_fixtures(out):
    """The small test modules, for MNIST rows (784 features, 10 classes): four that Ascribe must
    refuse, and one with dropout that must run in eval mode (dropout off)."""
    torch.manual_seed(0)
    export(nn.Sequential(nn.Linear(784, 10), nn.Dropout(0.5)), 784,
           os.path.join(out, "dropout.pt"))
    export(nn.Linear(784, 5), 784, os.path.join(out, "five-classes.pt"))
    export(nn.Linear(100, 10), 100, os.path.join(out, "input-100.pt"))
    export(NoParameters(), 784, os.path.join(out, "no-parameters.pt"))
    with open(os.path.join(out, "not-torchscript.pt"), "w") as f:
        f.write("this is a text file, not a TorchScript archive\n")
    print(f"wrote {os.path.join(out, 'not-torchscript.pt')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("checkpoints")
    c.add_argument("--factory", required=True, help="file.py:function returning the module")
    c.add_argument("--input-dim", type=int, required=True)
    c.add_argument("--out", required=True, help="folder for the .pt files")
    c.add_argument("state_dicts", nargs="+")
    m = sub.add_parser("mlp")
    m.add_argument("--dims", type=int, nargs="+", required=True)
    m.add_argument("--params", required=True)
    m.add_argument("--out", required=True)
    f = sub.add_parser("fixtures")
    f.add_argument("--out", required=True)
    args = parser.parse_args()

    if args.command == "checkpoints":
        factory = load_factory(args.factory)
        os.makedirs(args.out, exist_ok=True)
        for sd in args.state_dicts:
            module = factory()
            module.load_state_dict(torch.load(sd, map_location="cpu"))
            name = os.path.splitext(os.path.basename(sd))[0]
            export(module, args.input_dim, os.path.join(args.out, name + ".pt"))
    elif args.command == "mlp":
        module = mlp(args.dims)
        load_flat(module, args.params)
        export(module, args.dims[0], args.out)
    else:
        os.makedirs(args.out, exist_ok=True)
        write_fixtures(args.out)


if __name__ == "__main__":
    main()

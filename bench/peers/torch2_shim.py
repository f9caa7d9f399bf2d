"""The torch 2 names MadryLab trak and dattri need, on torch 1.13: torch.func and torch.compile.

Debian bookworm ships torch 1.13 (python3-torch), whose composable transforms live in the
separate ``functorch`` package; torch 2 moved them to ``torch.func``. The peers import
``torch.func`` and call ``functional_call``, ``vmap`` and ``grad``. This module makes
``torch.func`` exist with those three names when torch lacks it, and does nothing on torch 2.
dattri's modules also import ``hessian``, ``jvp`` and ``vjp`` when they load (its TRAK does not
call them); these are passed through from functorch too.
It changes no computation: the transforms are functorch's own, and functional_call is
``torch.nn.utils.stateless.functional_call`` (the torch 1.13 function torch 2 renamed), taking
either one dict or a tuple of dicts (torch 2 accepts both; trak passes (weights, buffers)).

dattri's package import also decorates a class of its block-projected IF with ``torch.compile``
(torch 2 only, and an optimization, not a computation): where torch has no ``compile`` it becomes
the identity decorator. TRAK does not go through that code.

Import it before importing a peer: ``import torch2_shim; torch2_shim.install()``.
"""
import importlib
import sys
import types

import torch


# What the peers import from torch.func besides functional_call (functorch has them all in 1.13).
FUNCTORCH_NAMES = ("vmap", "grad", "hessian", "jvp", "vjp")


def _functional_call(module, parameters_and_buffers, args, kwargs=None, **rest):
    from torch.nn.utils import stateless

    if isinstance(parameters_and_buffers, (tuple, list)):
        merged = {}
        for part in parameters_and_buffers:
            merged.update(part)
        parameters_and_buffers = merged
    if rest:
        raise TypeError("torch_func_shim.functional_call: torch 1.13 has no options "
                        + ", ".join(sorted(rest)))
    return stateless.functional_call(module, parameters_and_buffers, args, kwargs)


def _no_compile(model=None, **options):
    """torch.compile without a compiler: returns the function (or decorator) unchanged."""
    if model is None:
        return lambda fn: fn
    return model


def install():
    """Registers ``torch.func`` (functional_call and FUNCTORCH_NAMES) and ``torch.compile`` where
    this torch lacks them; idempotent. Returns whether torch.func had to be made."""
    if not hasattr(torch, "compile"):
        torch.compile = _no_compile
    try:
        importlib.import_module("torch.func")  # torch >= 2.0: nothing to do
        return False
    except ImportError:
        pass
    import functorch

    func = types.ModuleType("torch.func")
    func.__doc__ = "torch.func shim over functorch (bench/peers/torch_func_shim.py)"
    func.functional_call = _functional_call
    for name in FUNCTORCH_NAMES:
        setattr(func, name, getattr(functorch, name))
    sys.modules["torch.func"] = func
    torch.func = func
    return True

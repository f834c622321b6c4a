"""Vectorized evaluation and reverse-mode automatic differentiation of an expression tree.

The tree is flattened once into a *tape*: its distinct subtrees in topological order (children first).
The forward pass stores every node's value; the backward pass walks the tape in reverse, accumulating
each node's adjoint ∂f/∂node from all of its parents — so a subtree used twice (``x*x``) is handled by
plain accumulation, exactly like backpropagation in a computational graph.
Everything runs in float64 under ``np.errstate(all="ignore")``: non-finite results come back as nan/inf.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .expression import Binary, Call, Const, Node, Unary, Var

__all__ = ["Tape", "compile_tape", "evaluate", "gradient", "value_and_gradient"]


@dataclass(frozen=True)
class Tape:
    """The distinct nodes of a tree in topological order plus, per node, its children and whether it
    depends on a variable (constant subtrees receive no adjoint)."""

    nodes: tuple[Node, ...]
    children: tuple[tuple[int, ...], ...]
    varying: tuple[bool, ...]
    dim: int

    @property
    def root(self) -> int:
        return len(self.nodes) - 1


def compile_tape(root: Node, dim: int) -> Tape:
    """Iterative post-order walk; equal subtrees (frozen dataclasses compare by value) share one slot."""
    index: dict[Node, int] = {}
    nodes: list[Node] = []
    children: list[tuple[int, ...]] = []
    varying: list[bool] = []
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if node in index:
            continue
        kids = node.children()
        if not expanded:
            stack.append((node, True))
            for kid in reversed(kids):
                if kid not in index:
                    stack.append((kid, False))
            continue
        kid_ids = tuple(index[k] for k in kids)
        index[node] = len(nodes)
        nodes.append(node)
        children.append(kid_ids)
        varying.append(isinstance(node, Var) or any(varying[k] for k in kid_ids))
    return Tape(tuple(nodes), tuple(children), tuple(varying), dim)


def _as_tape(tape_or_node, dim: int | None = None) -> Tape:
    if isinstance(tape_or_node, Tape):
        return tape_or_node
    if dim is None:
        raise ValueError("dim is required when passing a bare node")
    return compile_tape(tape_or_node, dim)


def _sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _call_value(func: str, a):
    if func == "sin":
        return np.sin(a)
    if func == "cos":
        return np.cos(a)
    if func == "tan":
        return np.tan(a)
    if func == "exp":
        return np.exp(a)
    if func == "log":
        return np.log(a)
    if func == "sqrt":
        return np.sqrt(a)
    if func == "abs":
        return np.abs(a)
    if func == "tanh":
        return np.tanh(a)
    if func == "sigmoid":
        return _sigmoid(a)
    raise ValueError(f"unknown function {func!r}")  # pragma: no cover - the parser refuses it


def _call_derivative(func: str, a, out):
    """d func(a) / da, using the stored output where that is cheaper or more accurate."""
    if func == "sin":
        return np.cos(a)
    if func == "cos":
        return -np.sin(a)
    if func == "tan":
        c = np.cos(a)
        return 1.0 / (c * c)
    if func == "exp":
        return out
    if func == "log":
        return 1.0 / a
    if func == "sqrt":
        return 0.5 / out
    if func == "abs":
        return np.sign(a)
    if func == "tanh":  # sech² = 4e/(1+e)² with e = exp(−2|a|): no cancellation in 1 − tanh² for large |a|
        e = np.exp(-2.0 * np.abs(a))
        return 4.0 * e / ((1.0 + e) * (1.0 + e))
    if func == "sigmoid":  # s(1 − s) = e/(1+e)² with e = exp(−|a|)
        e = np.exp(-np.abs(a))
        return e / ((1.0 + e) * (1.0 + e))
    raise ValueError(f"unknown function {func!r}")  # pragma: no cover


def _forward(tape: Tape, P: np.ndarray) -> list:
    values: list = []
    for node, kids in zip(tape.nodes, tape.children):
        if isinstance(node, Var):
            v = P[..., node.index]
        elif isinstance(node, Const):
            v = np.float64(node.value)
        elif isinstance(node, Unary):
            v = -values[kids[0]]
        elif isinstance(node, Binary):
            a, b = values[kids[0]], values[kids[1]]
            op = node.op
            if op == "+":
                v = a + b
            elif op == "-":
                v = a - b
            elif op == "*":
                v = a * b
            elif op == "/":
                v = a / b
            else:
                v = np.power(a, b)
        elif isinstance(node, Call):
            v = _call_value(node.func, values[kids[0]])
        else:  # pragma: no cover
            raise TypeError(f"unknown node {node!r}")
        values.append(np.asarray(v, dtype=np.float64))
    return values


def _check_points(tape: Tape, P) -> np.ndarray:
    P = np.asarray(P, dtype=np.float64)
    if P.ndim == 0 or P.shape[-1] != tape.dim:
        raise ValueError(f"expected points of shape (..., {tape.dim}), got {P.shape}")
    return P


def evaluate(tape_or_node, P, dim: int | None = None) -> np.ndarray:
    """f at every point of P (..., dim) -> (...)."""
    tape = _as_tape(tape_or_node, dim)
    P = _check_points(tape, P)
    with np.errstate(all="ignore"):
        out = _forward(tape, P)[tape.root]
    return np.array(np.broadcast_to(out, P.shape[:-1]), dtype=np.float64)


def value_and_gradient(tape_or_node, P, dim: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Forward pass recording values, then backward pass accumulating adjoints. Returns f (...), ∇f (..., dim)."""
    tape = _as_tape(tape_or_node, dim)
    P = _check_points(tape, P)
    shape = P.shape[:-1]
    grad = np.zeros(shape + (tape.dim,), dtype=np.float64)
    with np.errstate(all="ignore"):
        values = _forward(tape, P)
        adjoint: list = [None] * len(tape.nodes)
        adjoint[tape.root] = np.ones(shape, dtype=np.float64)

        def push(k: int, contribution) -> None:
            if not tape.varying[k]:
                return
            adjoint[k] = contribution if adjoint[k] is None else adjoint[k] + contribution

        for i in range(len(tape.nodes) - 1, -1, -1):
            adj = adjoint[i]
            if adj is None or not tape.varying[i]:
                continue
            node, kids = tape.nodes[i], tape.children[i]
            if isinstance(node, Var):
                grad[..., node.index] += adj
            elif isinstance(node, Unary):
                push(kids[0], -adj)
            elif isinstance(node, Binary):
                ka, kb = kids
                a, b = values[ka], values[kb]
                op = node.op
                if op == "+":
                    push(ka, adj)
                    push(kb, adj)
                elif op == "-":
                    push(ka, adj)
                    push(kb, -adj)
                elif op == "*":
                    push(ka, adj * b)
                    push(kb, adj * a)
                elif op == "/":
                    push(ka, adj / b)
                    push(kb, -adj * (values[i] / b))  # −a/b² as −(a/b)/b: b² must not underflow
                else:  # a ** b
                    out = values[i]
                    if tape.varying[ka]:
                        # b·a^(b−1); a zero exponent makes the power constant (avoid 0·inf at a = 0)
                        da = np.where(b == 0.0, 0.0, b * np.power(a, b - 1.0))
                        push(ka, adj * da)
                    if tape.varying[kb]:
                        # a^b·log a, only when the exponent varies; 0 where a^b is 0 (a = 0, b > 0).
                        # A negative base has a real power only at integer exponents, so along every
                        # direction where the expression stays real the exponent is locally constant:
                        # treat ∂/∂b as 0 there (x**(x/x) at x < 0 is just x) instead of nan from log.
                        flat = (out == 0.0) | ((a < 0.0) & (b == np.round(b)))
                        db = np.where(flat, 0.0, out * np.log(a))
                        push(kb, adj * db)
            elif isinstance(node, Call):
                k = kids[0]
                push(k, adj * _call_derivative(node.func, values[k], values[i]))
        value = np.array(np.broadcast_to(values[tape.root], shape), dtype=np.float64)
    return value, grad


def gradient(tape_or_node, P, dim: int | None = None) -> np.ndarray:
    """∇f at every point of P, (..., dim)."""
    return value_and_gradient(tape_or_node, P, dim)[1]

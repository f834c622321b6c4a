"""Training experiments ("kind": "training"): parsing, every validation rule, round trips, data paths, presets that
learn, and `gdstudio run` end to end (outputs, exit codes, Ctrl+C, the seeds' worked example)."""

from __future__ import annotations

import copy
import csv
import dataclasses
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdstudio import cli
from gdstudio.engine.datasets.classification2d import POINT_SETS
from gdstudio.engine.nn import HIDDEN_ACTIVATIONS, INIT_SCHEMES, NetworkSpec, Trainer, TrainingConfig
from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.experiment import (
    EXPERIMENT_KINDS,
    ExperimentError,
    experiment_from_dict,
    experiment_to_json,
    load_experiment,
    load_preset,
    parse_experiment,
    preset_index,
    presets_dir,
    save_experiment,
)
from gdstudio.training_experiment import TRAINING_FIELDS, TrainingExperiment
from test_experiment import DELETE, check_rule  # the descent file's helpers: same rules, same checks
from test_experiment import mutated as descent_mutated

ROOT = Path(__file__).resolve().parents[1]

XOR = {  # the issue's example
    "gdstudio": 1,
    "kind": "training",
    "dataset": {"name": "xor"},
    "network": {"layers": [2, 4, 1], "activation": "tanh", "output": "sigmoid", "loss": "bce",
                "init": {"scheme": "xavier", "seed": 0}},
    "optimizer": {"name": "sgd", "lr": 0.5},
    "epochs": 500,
    "batch_size": 4,
}

def mutated(path: str, value, base=XOR) -> dict:
    """The XOR example (or ``base``) with the dotted ``path`` set to ``value`` (removed for DELETE)."""
    return descent_mutated(path, value, base)


def xor_text(**replace: str) -> str:
    """The XOR example as JSON text with raw substrings replaced (NaN, duplicate keys: what dicts cannot hold)."""
    text = json.dumps(XOR)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


# ----------------------------------------------------------------------------------------------------------------
# Parsing


def test_the_issue_example_parses():
    exp = experiment_from_dict(XOR)
    assert isinstance(exp, TrainingExperiment) and EXPERIMENT_KINDS["training"] is TrainingExperiment
    assert dict(exp.dataset) == {"name": "xor", "dtype": "float64"}  # canonical: every parameter spelled out
    assert exp.network == NetworkSpec.from_dict(XOR["network"])
    assert exp.network.sizes == (2, 4, 1) and exp.network.init.scheme == "xavier"
    assert (exp.optimizer, dict(exp.hyper), exp.epochs, exp.batch_size) == ("sgd", {"lr": 0.5}, 500, 4)
    assert exp.seed == TRAINING_FIELDS["seed"].default == 0 and exp.shuffle is True


def test_to_dict_is_complete_and_canonical():
    d = experiment_from_dict(XOR).to_dict()
    assert list(d) == ["gdstudio", "kind", "dataset", "network", "optimizer", "epochs", "batch_size", "seed"]
    assert d["network"] == {"layers": [2, 4, 1], "activation": "tanh", "output": "sigmoid", "loss": "bce",
                            "init": {"scheme": "xavier", "seed": 0}, "dropout": 0.0, "batchnorm": False,
                            "l2": 0.0, "l1": 0.0, "leaky_alpha": 0.01, "dtype": "float64"}
    assert d["optimizer"] == {"name": "sgd", "lr": 0.5}
    assert d["seed"] == 0 and "shuffle" not in d  # written only when off
    no_shuffle = experiment_from_dict({**XOR, "shuffle": False})
    assert no_shuffle.to_dict()["shuffle"] is False and parse_experiment(experiment_to_json(no_shuffle)) == no_shuffle
    assert no_shuffle != experiment_from_dict(XOR)


@pytest.mark.parametrize(
    ("dataset", "canonical"),
    [
        ({"name": "circle", "n": 500, "noise": 0.1, "test_fraction": 0.5, "seed": 1},
         {"name": "circle", "n": 500, "noise": 0.1, "test_fraction": 0.5, "seed": 1, "features": ["x1", "x2"],
          "dtype": "float64"}),
        ({"name": "digits"}, {"name": "digits", "test_fraction": 0.25, "seed": 0, "dtype": "float32"}),
        ({"name": "mnist", "path": "DIR", "train_size": 10000},
         {"name": "mnist", "path": "DIR", "train_size": 10000, "test_size": None, "normalize": True,
          "dtype": "float32"}),
        ({"csv": "PATH", "target": "COLUMN"},
         {"csv": "PATH", "target": "COLUMN", "columns": None, "task": "auto", "test_fraction": 0.2, "seed": 0,
          "standardize": False, "dtype": "float64"}),
    ],
)
def test_every_dataset_form_of_the_issue(dataset, canonical):
    exp = experiment_from_dict(mutated("dataset", dataset))  # validation reads no file: DIR and PATH need not exist
    assert exp.to_dict()["dataset"] == canonical
    assert parse_experiment(experiment_to_json(exp)) == exp


def test_optional_run_settings_and_whole_floats():
    d = {k: v for k, v in XOR.items() if k != "batch_size"}
    exp = experiment_from_dict({**d, "epochs": 20.0, "seed": None, "shuffle": False})
    assert exp.batch_size == TRAINING_FIELDS["batch_size"].default
    assert exp.epochs == 20 and type(exp.epochs) is int
    assert exp.seed is None and exp.shuffle is False
    exp = experiment_from_dict(mutated("network.layers", [2.0, 4, 1e0]))
    assert exp.network.sizes == (2, 4, 1)


def test_hyper_parameters_of_any_optimizer():
    exp = experiment_from_dict(mutated("optimizer", {"name": "adam", "lr": 0.01, "betas": [0.8, 0.99]}))
    assert exp.hyper["betas"] == (0.8, 0.99)
    assert exp.effective_hyper()["eps"] == OPTIMIZERS["adam"].spec("eps").default
    assert exp.to_dict()["optimizer"] == {"name": "adam", "lr": 0.01, "betas": [0.8, 0.99]}


def test_explicit_weights_are_part_of_the_identity():
    weights = [{"W": [[1.0, -1.0]], "b": [3.0, 3.0]}, {"W": [[2.0], [1.0]], "b": [0.0]}]
    d = mutated("network", {"layers": [1, 2, 1], "activation": "sigmoid", "output": "sigmoid", "loss": "mse",
                            "init": {"weights": weights}})
    d["dataset"] = {"name": "line"}
    exp = experiment_from_dict(d)
    assert exp.to_dict()["network"]["init"]["weights"] == weights
    other = copy.deepcopy(d)
    other["network"]["init"]["weights"][1]["W"] = [[2.5], [1.0]]
    assert experiment_from_dict(other) != exp  # the engine's InitSpec ignores weights in ==; experiments do not
    assert parse_experiment(experiment_to_json(exp)) == exp


def test_constructor_validates_like_a_file():
    exp = experiment_from_dict(XOR)
    for change, field in [({"epochs": 0}, "epochs"), ({"batch_size": "4"}, "batch_size"), ({"seed": -1}, "seed"),
                          ({"hyper": {"lr": 50}}, "optimizer.lr"), ({"optimizer": "adma"}, "optimizer.name"),
                          ({"dataset": {"name": "nope"}}, "dataset.name"), ({"network": {"layers": [2]}},
                                                                             "network.layers"),
                          ({"network": None}, "network"), ({"shuffle": 1}, "shuffle")]:
        with pytest.raises(ExperimentError) as info:
            dataclasses.replace(exp, **change)
        assert info.value.field == field, change
    same = dataclasses.replace(exp, network=NetworkSpec.from_dict(XOR["network"]))
    assert same == exp and hash(same) == hash(exp)
    with pytest.raises(TypeError):
        exp.dataset["name"] = "and"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        exp.epochs = 3  # type: ignore[misc]


# ----------------------------------------------------------------------------------------------------------------
# Every validation rule: (data, field, message); message is the exact str(error) unless it starts with "~"

CASES = [
    # header and top level
    (mutated("gdstudio", 2), "gdstudio", "~format version 2, but this gdstudio reads versions up to 1"),
    (mutated("kind", "train"), "kind", "~unknown kind \"train\" (expected one of: descent, training)"),
    (mutated("epoch", 3), "epoch", "~epoch: unknown key (expected one of: gdstudio, kind, dataset, network, "
                                   "optimizer, epochs, batch_size, seed, shuffle); did you mean 'epochs'?"),
    (mutated("dataset", DELETE), "dataset", "dataset: is required"),
    (mutated("network", DELETE), "network", "network: is required"),
    (mutated("optimizer", DELETE), "optimizer", "optimizer: is required"),
    (mutated("epochs", DELETE), "epochs", "epochs: is required"),
    (xor_text(**{'"epochs": 500': '"epochs": 500, "epochs": 5'}), "epochs", "epochs: is given twice"),
    # dataset (the registry's rules, reported on the file's fields)
    (mutated("dataset", "xor"), "dataset", 'dataset: must be an object (got "xor")'),
    (mutated("dataset", {}), "dataset.name", 'dataset.name: is required (or "csv" for a CSV file)'),
    (mutated("dataset", {"name": "circel"}), "dataset.name", "~unknown data set \"circel\" (expected one of: "),
    (mutated("dataset", {"name": "circel"}), "dataset.name", "~; did you mean 'circle'?"),
    (mutated("dataset", {"name": "circle", "noise": 0.7}), "dataset.noise",
     "dataset.noise: must be between 0 and 0.5 (got 0.7)"),
    (mutated("dataset", {"name": "circle", "n": 0}), "dataset.n", "dataset.n: must be > 0 (got 0)"),
    (mutated("dataset", {"name": "circle", "n": 2.5}), "dataset.n", "dataset.n: must be a whole number (got 2.5)"),
    (mutated("dataset", {"name": "xor", "n": 10}), "dataset.n",
     "~dataset.n: unknown key for \"xor\" (expected one of: dtype, name)"),
    (mutated("dataset", {"name": "mnist"}), "dataset.path", "dataset.path: is required"),
    (mutated("dataset", {"name": "mnist", "path": " "}), "dataset.path", "dataset.path: must be a file or folder path"),
    (mutated("dataset", {"name": "circle", "csv": "a.csv"}), "dataset", '~give either "name" or "csv"'),
    (mutated("dataset", {"csv": "a.csv", "task": "rank"}), "dataset.task", '~unknown task "rank" (expected one of: '),
    (xor_text(**{'{"name": "xor"}': '{"name": "circle", "noise": NaN}'}), "dataset.noise",
     "dataset.noise: must be a finite number (got NaN)"),
    (xor_text(**{'{"name": "xor"}': '{"name": "circle", "seed": 1, "seed": 2}'}), "dataset.seed",
     "dataset.seed: is given twice"),
    # network (types here, meaning by the engine; always on the field)
    (mutated("network", None), "network", "network: must be an object (got null)"),
    (mutated("network", [2, 4, 1]), "network", "network: must be an object (got a list)"),
    (mutated("network.width", 4), "network.width", "~network.width: unknown key (expected one of: layers, "),
    (mutated("network.layers", [2, 0, 1]), "network.layers[1]", "network.layers[1]: must be > 0 (got 0)"),
    (mutated("network.layers", [2, 4.5, 1]), "network.layers[1]",
     "network.layers[1]: must be a whole number (got 4.5)"),
    (mutated("network.layers", [2, True, 1]), "network.layers[1]",
     "network.layers[1]: must be a whole number (got true)"),
    (mutated("network.layers", [2]), "network.layers", "network.layers: needs at least an input and an output layer"),
    (mutated("network.layers", "2-4-1"), "network.layers", "~network.layers: must be a list of unit counts"),
    (mutated("network.layers", DELETE), "network.layers", "~network.layers: give the layer sizes"),
    (mutated("network.activation", "sigmoidd"), "network.activation",
     "~network.activation: unknown activation \"sigmoidd\" (expected one of: step, sigmoid, tanh, relu, "),
    (mutated("network.activation", ["tanh", "relu"]), "network.activation",
     "network.activation: give one value for all hidden layers or exactly 1"),
    (mutated("network.activation", ["tanh", 3]), "network.activation[1]",
     "network.activation[1]: must be a string (got 3)"),
    (mutated("network.output", "softmx"), "network.output", "~did you mean 'softmax'?"),
    (mutated("network.output", 3), "network.output", "network.output: must be a string (got 3)"),
    (mutated("network.loss", "cross_entropy"), "network.loss",
     "network.loss: cross-entropy needs a softmax output (for a sigmoid output use the loss bce)"),
    (mutated("network.loss", "hinge"), "network.loss", "~network.loss: unknown loss 'hinge'"),
    (mutated("network.loss", ["bce"]), "network.loss", "network.loss: must be a string (got a list)"),
    (mutated("network.output", "softmax", mutated("network.loss", None)), "network.output",
     "~network.output: softmax needs at least 2 output units"),
    (mutated("network.init", None), "network.init", "network.init: must be an object (got null)"),
    (mutated("network.init", {"scheme": "xavir"}), "network.init.scheme", "~did you mean 'xavier'?"),
    (mutated("network.init", {"seed": -1}), "network.init.seed",
     "network.init.seed: must be between 0 and 4294967295 (got -1)"),
    (mutated("network.init", {"sigma": -1}), "network.init.sigma", "network.init.sigma: must be >= 0"),
    (mutated("network.init", {"sigma": "big"}), "network.init.sigma", 'network.init.sigma: must be a number (got "big")'),
    (mutated("network.init", {"colour": 1}), "network.init.colour", "~network.init.colour: unknown key (expected "),
    (mutated("network.init", {"weights": [{"W": [[1, 2, 3], [4, 5, 6]]}, {"W": [[1], [2]]}]}),
     "network.init.weights[1].W", "network.init.weights[1].W: has 2 row(s) (inputs) but the previous layer has 3 "
                                  "output(s)"),
    (mutated("network.init", {"weights": [{"W": [[1, 2], [3, 4]]}, {"W": [[1], [2]]}]}), "network.init.weights[0].W",
     "~network.init.weights[0].W: expected shape 2×4"),
    (mutated("network.init", {"weights": [{"W": [[1, 2]], "bias": [1, 2]}]}), "network.init.weights[0].bias",
     "~unknown key"),
    (xor_text(**{'"seed": 0}': '"seed": 0, "seed": 1}'}), "network.init.seed", "network.init.seed: is given twice"),
    (xor_text(**{'"scheme": "xavier"': '"weights": [{"W": [[1, NaN, 1, 1], [1, 1, 1, 1]]}, {"W": [[1], [1], [1], '
                                       '[1]]}]'}),
     "network.init.weights[0].W[0][1]", "network.init.weights[0].W[0][1]: must be a finite number (got NaN)"),
    (mutated("network.dropout", 1.0), "network.dropout", "~network.dropout: the drop ratio must be a number in [0, 1)"),
    (mutated("network.dropout", "0.5"), "network.dropout", 'network.dropout: must be a number (got "0.5")'),
    (mutated("network.batchnorm", 1), "network.batchnorm", "network.batchnorm: must be true or false (got 1)"),
    (mutated("network.l2", -1), "network.l2", "network.l2: must be >= 0"),
    (xor_text(**{'"loss": "bce"': '"loss": "bce", "l1": Infinity'}), "network.l1",
     "network.l1: must be a finite number (got Infinity)"),
    (mutated("network.leaky_alpha", 1.5), "network.leaky_alpha", "network.leaky_alpha: must be in [0, 1)"),
    (mutated("network.dtype", "float16"), "network.dtype", "~network.dtype: unknown dtype \"float16\" (expected one "
                                                           "of: float64, float32, auto)"),
    (mutated("network.layers", [2, 100_000, 1000, 1]), "network.layers", "~more than 50 million weights"),
    # optimizer
    (mutated("optimizer", "sgd"), "optimizer", 'optimizer: must be an object (got "sgd")'),
    (mutated("optimizer", {"lr": 0.1}), "optimizer.name", "optimizer.name: is required"),
    (mutated("optimizer.name", "Adam"), "optimizer.name", "~did you mean 'adam'?"),
    (mutated("optimizer.lr", 0), "optimizer.lr", "optimizer.lr: must be > 0 (got 0)"),
    (mutated("optimizer.lr", 50), "optimizer.lr", "optimizer.lr: must be between 1e-06 and 10 (got 50)"),
    (mutated("optimizer.lr", "0.5"), "optimizer.lr", 'optimizer.lr: must be a number (got "0.5")'),
    (mutated("optimizer.betas", [0.9, 0.99]), "optimizer.betas", "~optimizer.betas: not a hyper-parameter of sgd"),
    # run settings
    (mutated("epochs", 0), "epochs", "epochs: must be > 0 (got 0)"),
    (mutated("epochs", 100_001), "epochs", "epochs: must be between 1 and 100000 (got 100001)"),
    (mutated("epochs", 1.5), "epochs", "epochs: must be a whole number (got 1.5)"),
    (mutated("epochs", True), "epochs", "epochs: must be a whole number (got true)"),
    (mutated("batch_size", 0), "batch_size", "batch_size: must be > 0 (got 0)"),
    (mutated("batch_size", "4"), "batch_size", 'batch_size: must be a whole number (got "4")'),
    (mutated("seed", -1), "seed", "seed: must be between 0 and 4294967295 (got -1)"),
    (mutated("seed", 2**32), "seed", "seed: must be between 0 and 4294967295 (got 4294967296)"),
    (mutated("seed", 0.5), "seed", "seed: must be a whole number (got 0.5)"),
    (mutated("shuffle", "yes"), "shuffle", 'shuffle: must be true or false (got "yes")'),
]


@pytest.mark.parametrize(("data", "field", "message"), CASES)
def test_validation_rule(data, field, message):
    check_rule(data, field, message)


def test_descent_class_refuses_a_training_file_and_back():
    from gdstudio.experiment import DescentExperiment

    with pytest.raises(ExperimentError) as info:
        DescentExperiment.from_dict(XOR)
    assert str(info.value) == "kind: expected 'descent' (got \"training\")"
    with pytest.raises(ExperimentError) as info:
        TrainingExperiment.from_dict({**XOR, "kind": "descent"})
    assert str(info.value) == "kind: expected 'training' (got \"descent\")"


# ----------------------------------------------------------------------------------------------------------------
# Round trip: generated valid experiments survive to_json -> parse unchanged


@st.composite
def datasets(draw):
    kind = draw(st.sampled_from(["gate", "points", "line", "digits", "mnist", "csv"]))
    if kind == "gate":
        return {"name": draw(st.sampled_from(["and", "or", "nand", "xor", "five_points"]))}
    if kind == "points":
        return {"name": draw(st.sampled_from(POINT_SETS)), "n": draw(st.integers(4, 10_000)),
                "noise": draw(st.floats(0, 0.5)), "test_fraction": draw(st.floats(0, 0.9)),
                "seed": draw(st.integers(0, 2**32 - 1)),
                "features": draw(st.lists(st.sampled_from(["x1", "x2", "x1^2", "sin(x2)"]), min_size=1,
                                          max_size=4, unique=True))}
    if kind == "line":
        return {"name": "line", "n": draw(st.integers(2, 10_000)), "noise": draw(st.floats(0, 10)),
                "slope": draw(st.floats(-100, 100)), "intercept": draw(st.floats(-100, 100))}
    if kind == "digits":
        return {"name": "digits", "test_fraction": draw(st.floats(0, 0.9)), "dtype": draw(st.sampled_from(
            ["float32", "float64"]))}
    if kind == "mnist":
        return {"name": "mnist", "path": draw(st.sampled_from(["mnist", "../data/mnist", "/srv/mnist"])),
                "train_size": draw(st.none() | st.integers(1, 60_000))}
    return {"csv": draw(st.sampled_from(["iris.csv", "data/table.csv"])),
            "target": draw(st.none() | st.sampled_from(["species", "y"])),
            "standardize": draw(st.booleans())}


@st.composite
def networks(draw):
    hidden = draw(st.lists(st.integers(1, 12), max_size=3))
    layers = [draw(st.integers(1, 8)), *hidden, draw(st.integers(1, 4))]
    outputs = ["sigmoid", "identity", "tanh"] + (["softmax"] if layers[-1] >= 2 else [])
    output = draw(st.sampled_from(outputs))
    losses = {"softmax": [None, "cross_entropy", "mse"], "sigmoid": [None, "bce", "mse"],
              "identity": [None, "mse"], "tanh": [None, "mse"]}[output]
    net = {"layers": layers, "output": output, "loss": draw(st.sampled_from(losses)),
           "dtype": draw(st.sampled_from(["float64", "float32", "auto"]))}
    activations = st.sampled_from(HIDDEN_ACTIVATIONS)
    net["activation"] = draw(activations | st.lists(activations, min_size=len(hidden), max_size=len(hidden)))
    net["dropout"] = draw(st.floats(0, 0.9) | st.lists(st.floats(0, 0.9), min_size=len(hidden),
                                                         max_size=len(hidden)))
    net["batchnorm"] = draw(st.booleans())
    net["l2"], net["l1"] = draw(st.floats(0, 1)), draw(st.floats(0, 1))
    net["leaky_alpha"] = draw(st.floats(0, 0.99))
    if draw(st.booleans()):
        net["init"] = {"scheme": draw(st.sampled_from(INIT_SCHEMES)), "sigma": draw(st.floats(0, 10)),
                       "bias": draw(st.floats(-1, 1)), "seed": draw(st.none() | st.integers(0, 2**32 - 1))}
    else:
        value = st.floats(-1e6, 1e6, allow_nan=False)
        net["init"] = {"weights": [
            {"W": [[draw(value) for _ in range(n_out)] for _ in range(n_in)], "b": [draw(value) for _ in range(n_out)]}
            for n_in, n_out in zip(layers[:-1], layers[1:])
        ]}
    return net


valid_training = st.builds(
    lambda dataset, network, optimizer, lr, epochs, batch_size, seed, shuffle: TrainingExperiment(
        dataset=dataset, network=network, optimizer=optimizer, hyper={"lr": lr}, epochs=epochs,
        batch_size=batch_size, seed=seed, shuffle=shuffle,
    ),
    dataset=datasets(),
    network=networks(),
    optimizer=st.sampled_from(sorted(OPTIMIZERS)),
    lr=st.floats(1e-6, 10.0),
    epochs=st.integers(1, 100_000),
    batch_size=st.integers(1, 100_000),
    seed=st.none() | st.integers(0, 2**32 - 1),
    shuffle=st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_training)
def test_round_trip_property(exp):
    text = experiment_to_json(exp)
    again = parse_experiment(text)
    assert again == exp
    assert TrainingExperiment.from_dict(exp.to_dict()) == exp
    assert experiment_to_json(again) == text  # the canonical layout is a fixed point


# ----------------------------------------------------------------------------------------------------------------
# Robustness: nothing but ExperimentError, whatever the values

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
FIELD_PATHS = ["dataset", "dataset.name", "dataset.n", "network", "network.layers", "network.activation",
               "network.output", "network.loss", "network.init", "network.init.weights", "network.init.seed",
               "network.dropout", "network.batchnorm", "network.dtype", "optimizer", "optimizer.lr", "epochs",
               "batch_size", "seed", "shuffle", "extra"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FIELD_PATHS), json_values)
def test_arbitrary_field_values_only_raise_experiment_error(path, value):
    base = mutated("dataset", {"name": "circle", "n": 40})
    try:
        experiment_from_dict(mutated(path, value, base))
    except ExperimentError as err:
        assert "\n" not in str(err) and isinstance(err.field, str)


# ----------------------------------------------------------------------------------------------------------------
# Data: loading, the network's fit, relative paths


def test_to_config_loads_the_data_and_passes_every_setting():
    exp = experiment_from_dict(mutated("optimizer", {"name": "adam", "lr": 0.01}))
    config = exp.to_config(blas_threads=None, map_resolution=None)
    assert isinstance(config, TrainingConfig)
    assert config.network is exp.network and config.dataset.name == "xor"
    assert (config.optimizer, dict(config.hyper), config.epochs, config.batch_size, config.seed, config.shuffle) == (
        "adam", {"lr": 0.01}, 500, 4, 0, True)
    assert (config.blas_threads, config.map_resolution) == (None, None)


@pytest.mark.parametrize(
    ("dataset", "layers", "message"),
    [
        ({"name": "xor"}, [3, 4, 1], "the input layer has 3 unit(s) but the data set 'xor' has 2 input feature(s)"),
        ({"name": "digits"}, [64, 50, 1], "the output layer has 1 unit(s) but the data set 'digits' has 10 classes: "
                                          "use 10 output units"),
        ({"name": "xor"}, [2, 4, 3], "the output layer has 3 unit(s) but the data set 'xor' has 2 classes: use 2 "
                                     "output units (or 1 with a sigmoid output)"),
        ({"name": "line"}, [1, 2], "the output layer has 2 unit(s) but the data set 'line' has 1 target value(s) per "
                                   "sample"),
    ],
)
def test_the_network_must_fit_its_data(dataset, layers, message):
    d = mutated("dataset", dataset, mutated("network.layers", layers, mutated("network.loss", "mse")))
    exp = experiment_from_dict(d)  # valid as a file: the sizes are only known once the data is there
    with pytest.raises(ExperimentError) as info:
        exp.to_config()
    assert (info.value.field, info.value.message) == ("network.layers", message)


def _seed_files(folder: Path) -> Path:
    """The seeds' worked example as an experiment next to its one-row CSV (x = 2, target 1)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "seed.csv").write_text("x,t\n2,1\n", encoding="utf-8")
    exp = {
        "gdstudio": 1, "kind": "training",
        "dataset": {"csv": "seed.csv", "target": "t", "task": "regression", "test_fraction": 0},
        "network": {"layers": [1, 2, 1], "activation": "sigmoid", "output": "sigmoid", "loss": "mse",
                    "init": {"weights": [{"W": [[1, -1]], "b": [3, 3]}, {"W": [[2], [1]], "b": [0]}]}},
        "optimizer": {"name": "sgd", "lr": 0.2}, "epochs": 1, "batch_size": 1,
    }
    path = folder / "seed.json"
    path.write_text(json.dumps(exp), encoding="utf-8")
    return path


def test_relative_data_paths_follow_the_experiment_file(tmp_path, monkeypatch):
    path = _seed_files(tmp_path / "lesson")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    exp = load_experiment(path)
    assert exp.base_dir == str((tmp_path / "lesson").resolve())
    assert exp.dataset["csv"] == "seed.csv"  # kept relative in the file
    assert exp.load_data().n_train == 1
    parsed = parse_experiment(path.read_bytes())  # from text: relative to the working directory
    with pytest.raises(ExperimentError) as info:
        parsed.load_data()
    assert info.value.field == "dataset.csv"
    assert parsed.with_base_dir(path.parent).load_data().n_train == 1


def test_saving_elsewhere_rewrites_a_relative_data_path(tmp_path):
    exp = load_experiment(_seed_files(tmp_path / "a" / "lesson"))
    target = tmp_path / "b" / "copy.json"
    target.parent.mkdir()
    written = save_experiment(target, exp)
    assert written.dataset["csv"] == "../a/lesson/seed.csv"
    again = load_experiment(target)
    assert again == written and again.load_data().n_train == 1
    same_place = save_experiment(tmp_path / "a" / "lesson" / "copy.json", exp)
    assert same_place.dataset["csv"] == "seed.csv"
    absolute = dataclasses.replace(exp, dataset={**exp.dataset, "csv": str(tmp_path / "a" / "lesson" / "seed.csv")})
    assert save_experiment(target, absolute).dataset["csv"] == absolute.dataset["csv"]


def test_a_missing_data_file_names_the_path_field(tmp_path):
    exp = experiment_from_dict(mutated("dataset", {"csv": "missing.csv"})).with_base_dir(tmp_path)
    with pytest.raises(ExperimentError) as info:
        exp.to_config()
    assert info.value.field == "dataset.csv" and "missing.csv" in info.value.message


# ----------------------------------------------------------------------------------------------------------------
# Presets

TRAINING_PRESETS = [p.file for p in preset_index(kind="training")]


def test_the_book_chapters_have_training_presets():
    expected = {"train_gate_and", "train_gate_or", "train_gate_nand", "train_xor_tanh", "train_spiral_relu",
                "train_circle_tanh", "train_moons_tanh", "train_line_regression", "train_five_points",
                "train_digits_sigmoid", "train_digits_relu", "train_init_sigma1", "train_init_sigma001",
                "train_init_xavier"}
    assert expected <= {Path(f).stem for f in TRAINING_PRESETS}
    line = load_preset("train_line_regression.json")
    assert line.network.sizes == (1, 1)  # w and b: the landscape view shows the exact surface
    inits = [load_preset(f"train_init_{name}.json").network for name in ("sigma1", "sigma001", "xavier")]
    assert [n.sizes for n in inits] == [(64, 100, 100, 100, 100, 100, 10)] * 3
    assert {n.activation for n in inits} == {"sigmoid"}
    assert [(n.init.scheme, n.init.sigma) for n in inits][:2] == [("normal", 1.0), ("normal", 0.01)]
    assert inits[2].init.scheme == "xavier"
    book = load_preset("train_digits_sigmoid.json").network
    assert (book.sizes, book.activation, book.init.scheme, book.init.sigma) == ((64, 50, 10), "sigmoid", "normal", 0.01)


@pytest.mark.parametrize("file", TRAINING_PRESETS)
def test_every_training_preset_runs(file):
    exp = load_preset(file, kind="training")
    trainer = Trainer(exp.to_config(map_resolution=None))
    snaps = [snap for snap, _ in zip(trainer.iterate(), range(4))]
    assert [s.step for s in snaps] == [0, 1, 2, 3]
    assert all(math.isfinite(s.batch_loss) and s.status in ("running", "finished") for s in snaps)


def _final(file: str):
    exp = load_preset(file)
    last = None
    for snap in Trainer(exp.to_config(map_resolution=None, detail_min_gap=10**9)).iterate():
        last = snap
    assert last.status == "finished"
    return last


def test_xor_preset_learns_xor_completely():
    last = _final("train_xor_tanh.json")
    assert last.train_accuracy == 1.0 and last.test_accuracy == 1.0


@pytest.mark.parametrize("file", ["train_digits_relu.json", "train_digits_sigmoid.json"])
def test_digits_presets_reach_95_percent(file):
    assert _final(file).test_accuracy >= 0.95


def test_line_preset_finds_the_line():
    exp = load_preset("train_line_regression.json")
    trainer = Trainer(exp.to_config(map_resolution=None))
    for _ in trainer.iterate():
        pass
    assert trainer.network.param("W1")[0, 0] == pytest.approx(3.0, abs=1e-6)
    assert trainer.network.param("b1")[0] == pytest.approx(0.8, abs=1e-6)


# ----------------------------------------------------------------------------------------------------------------
# gdstudio run


@pytest.fixture
def xor_file(tmp_path) -> Path:
    path = tmp_path / "xor.json"
    path.write_text(json.dumps(XOR), encoding="utf-8")
    return path


def _history(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_run_json_and_out(xor_file, tmp_path, capsys):
    out = tmp_path / "results"
    assert cli.main(["run", str(xor_file), "--json", "--out", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    result = json.loads(stdout)
    assert set(result) == {"status", "epochs", "steps", "final_loss", "train_accuracy", "test_accuracy"}
    assert (result["status"], result["epochs"], result["steps"]) == ("finished", 500, 500)
    assert result["train_accuracy"] == result["test_accuracy"] == 1.0 and 0 < result["final_loss"] < 0.05
    assert "epoch 500/500" in stderr.splitlines()[-1]  # progress lines on stderr; stdout stays pure JSON

    assert sorted(os.listdir(out)) == ["history.csv", "steps.csv", "summary.json", "weights.npz"]
    rows = _history(out / "history.csv")
    assert list(rows[0]) == ["step", "epoch", "samples", "mean_batch_loss", "train_loss", "train_accuracy",
                             "test_loss", "test_accuracy"]
    assert len(rows) == 501 and [int(r["epoch"]) for r in rows] == list(range(501))
    assert rows[0]["mean_batch_loss"] == "nan" and int(rows[-1]["samples"]) == 2000
    assert float(rows[-1]["train_loss"]) == result["final_loss"]  # full precision
    steps = _history(out / "steps.csv")
    assert len(steps) == 500 and list(steps[0]) == ["step", "epoch", "batch_loss"]
    assert [int(r["step"]) for r in steps] == list(range(1, 501))
    assert float(rows[1]["mean_batch_loss"]) == float(steps[0]["batch_loss"])  # one batch per epoch here

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {k: summary[k] for k in result} == result
    assert summary["experiment"] == experiment_from_dict(XOR).to_dict()
    assert (summary["seed"], summary["init_seed"], summary["n_params"]) == (0, 0, 17)
    assert summary["network"] == "2-4-1 tanh → sigmoid + bce"

    with np.load(out / "weights.npz", allow_pickle=False) as weights:
        assert weights.files == ["W1", "b1", "W2", "b2"]
        assert [weights[k].shape for k in weights.files] == [(2, 4), (4,), (4, 1), (1,)]
        trainer = Trainer(experiment_from_dict(XOR).to_config())
        for _ in trainer.iterate():
            pass
        for key, value in trainer.network.state_dict().items():
            np.testing.assert_array_equal(weights[key], value)  # the same run, the same weights


def test_run_human_summary_and_quiet(xor_file, capsys):
    assert cli.main(["run", str(xor_file)]) == 0
    stdout, stderr = capsys.readouterr()
    assert stdout.splitlines() == ["status: finished after 500 epochs (500 steps)",
                                   stdout.splitlines()[1], "training accuracy: 100.00%", "test accuracy: 100.00%"]
    assert stdout.splitlines()[1].startswith("final loss: 0.01")
    assert 1 <= len(stderr.splitlines()) <= 500 and all(line.startswith("epoch ") for line in stderr.splitlines())
    assert cli.main(["run", str(xor_file), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_progress_line_format():
    from gdstudio.engine.nn.training import TrainingSnapshot

    snap = TrainingSnapshot(48, 12, 192, 0.7, "running", epoch_end=True, train_loss=0.69314, train_accuracy=0.75,
                            test_loss=0.7, test_accuracy=0.5)
    assert cli._epoch_line(snap, 500) == "epoch 12/500  step 48  loss 0.6931  train 75.0%  test 50.0%"
    regression = dataclasses.replace(snap, train_accuracy=None, test_accuracy=None)
    assert cli._epoch_line(regression, 500) == "epoch 12/500  step 48  loss 0.6931"


def test_seed_worked_example_one_sgd_step(tmp_path, capsys, monkeypatch):
    """x = 2, t = 1, W1 = [[1, −1]], b1 = [3, 3], W2 = [[2], [1]], b2 = [0], E = ½(y − t)², one step at lr 0.2.

    Forward: h = (σ(5), σ(1)) = (0.9933, 0.7311), z = 2.7177, y = 0.9381. ∂E/∂w21 = (y − t)·y(1 − y)·h1 =
    −0.003575, so the rule w ← w − 0.2·∂E/∂w gives w21 = 2.000715 (the seed's own arithmetic subtracts instead).
    """
    path = _seed_files(tmp_path / "seed")
    monkeypatch.chdir(tmp_path)  # the CSV is found next to the experiment, not in the working directory
    out = tmp_path / "out"
    assert cli.main(["run", str(path), "--json", "--quiet", "--out", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["status"], result["steps"], result["train_accuracy"]) == ("finished", 1, None)
    y = 1 / (1 + math.exp(-(2 / (1 + math.exp(-5)) + 1 / (1 + math.exp(-1)))))
    assert round(y, 4) == 0.9381
    first = _history(out / "history.csv")[0]
    assert float(first["train_loss"]) == pytest.approx(0.5 * (y - 1) ** 2, rel=1e-12)
    with np.load(out / "weights.npz", allow_pickle=False) as weights:
        w21 = float(weights["W2"][0, 0])
    assert round(w21, 6) == 2.000715
    assert round((2.0 - w21) / 0.2, 6) == -0.003575  # the gradient the update used


def test_diverged_run_is_a_result(tmp_path, capsys):
    path = tmp_path / "d.json"
    line = json.loads((presets_dir() / "train_line_regression.json").read_text(encoding="utf-8"))
    line["optimizer"]["lr"] = 10
    path.write_text(json.dumps(line), encoding="utf-8")
    out = tmp_path / "o"
    assert cli.main(["run", str(path), "--json", "--out", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    result = json.loads(stdout)
    assert result["status"] == "diverged" and result["steps"] < 1000
    assert result["train_accuracy"] is None and "learning rate" in result["message"]
    assert "NaN" not in stdout and "Infinity" not in stdout
    assert f"{cli.PROG}: the run diverged: " in stderr
    summary = (out / "summary.json").read_text(encoding="utf-8")
    assert "NaN" not in summary and json.loads(summary)["status"] == "diverged"
    steps = _history(out / "steps.csv")
    assert int(steps[-1]["step"]) == result["steps"]  # the step whose loss blew up (its update is not applied)
    assert "at step {}".format(result["steps"]) in result["message"]
    assert not math.isfinite(float(steps[-1]["batch_loss"])) or abs(float(steps[-1]["batch_loss"])) > 1e12


def test_ctrl_c_stops_and_writes_what_was_trained(xor_file, tmp_path, capsys, monkeypatch):
    real = Trainer.iterate

    def interrupted(self):
        for snap in real(self):
            if snap.step == 3:
                raise KeyboardInterrupt
            yield snap

    monkeypatch.setattr(Trainer, "iterate", interrupted)
    out = tmp_path / "o"
    assert cli.main(["run", str(xor_file), "--json", "--out", str(out)]) == 130
    stdout, stderr = capsys.readouterr()
    result = json.loads(stdout)
    assert (result["status"], result["steps"], result["epochs"]) == ("stopped", 3, 3)  # step 3 was applied
    assert result["message"] == "interrupted by the user (Ctrl+C)" and result["final_loss"] is not None
    assert "Traceback" not in stderr
    rows = _history(out / "history.csv")
    assert [int(r["step"]) for r in rows] == [0, 1, 2, 3]  # the stop point gets its own row (fresh metrics)
    assert float(rows[-1]["train_loss"]) == result["final_loss"]
    assert [int(r["step"]) for r in _history(out / "steps.csv")] == [1, 2, 3]
    with np.load(out / "weights.npz", allow_pickle=False) as weights:
        assert weights.files == ["W1", "b1", "W2", "b2"]


BROKEN = [
    ("lr", mutated("optimizer.lr", -1), "optimizer.lr: must be > 0 (got -1)"),
    ("dataset", mutated("dataset", {"name": "xnor"}), "dataset.name: unknown data set"),
    ("missing csv", mutated("dataset", {"csv": "nowhere.csv"}), "dataset.csv: "),
    ("no fit", mutated("network.layers", [3, 4, 1]), "network.layers: the input layer has 3 unit(s)"),
    ("step", mutated("network", {"layers": [2, 1], "output": "step"}), "network: The step function cannot be trained"),
]


@pytest.mark.parametrize(("name", "content", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_invalid_training_input_is_exit_2(tmp_path, capsys, name, content, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    assert cli.main(["run", str(path), "--json", "--out", str(tmp_path / "o")]) == 2
    stdout, stderr = capsys.readouterr()
    assert stdout == "" and stderr.count("\n") == 1
    assert stderr.startswith(f"gdstudio: error: {path}: ") and message in stderr
    assert not any(tmp_path.glob("o/*"))  # nothing half-written


def test_write_failure_is_exit_1(xor_file, tmp_path, capsys, monkeypatch):
    import gdstudio.atomic

    def broken(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(gdstudio.atomic, "atomic_write_bytes", broken)
    assert cli.main(["run", str(xor_file), "--quiet", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write results: Permission denied" in err


def test_python_dash_m_runs_a_training_preset(tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "gdstudio", "run", str(presets_dir() / "train_xor_tanh.json"), "--json", "--quiet"],
        capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["test_accuracy"] == 1.0 and proc.stderr == ""


def test_the_books_initialisation_race_small_weights_do_not_learn_xavier_and_he_do():
    """5 ReLU layers on the digits, 10 epochs: N(0, 0.01²) stays at chance, Xavier and He learn (the book's figure)."""
    from gdstudio.engine.nn import run_training
    from gdstudio.experiment import load_preset

    accuracy = {}
    for name in ("sigma001", "xavier", "he"):
        exp = load_preset(f"train_init_relu_{name}.json", kind="training")
        last = run_training(exp.to_config())[-1]
        assert last.status == "finished"
        accuracy[name] = last.test_accuracy
    assert accuracy["sigma001"] < 0.2
    assert accuracy["xavier"] > 0.7 and accuracy["he"] > 0.7

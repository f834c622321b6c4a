"""Experiment files: every validation rule (field path + message), round trips, presets, load/save."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdstudio.engine.descent import DescentConfig
from gdstudio.engine.expression import ExpressionError, parse_expression
from gdstudio.engine.functions import BUILTIN_FUNCTIONS
from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.experiment import (
    FIELDS,
    MAX_FILE_BYTES,
    presets_dir,
    DescentExperiment,
    ExperimentError,
    default_experiment,
    experiment_from_dict,
    experiment_to_json,
    hyper_fields,
    load_experiment,
    load_preset,
    parse_experiment,
    preset_index,
    save_experiment,
)

SEED = {
    "gdstudio": 1,
    "kind": "descent",
    "function": {"expression": "x0**2 + x1**2"},
    "start": [-3.0, 4.0],
    "optimizer": {"name": "sgd", "lr": 0.1},
    "gradient": {"method": "central", "h": 0.0001},
    "steps": 100,
    "stop": {"grad_norm_below": 1e-6},
}

DELETE = object()


def mutated(path: str, value, base=SEED) -> dict:
    """A deep copy of ``base`` with the dotted ``path`` set to ``value`` (or removed for DELETE)."""
    d = copy.deepcopy(base)
    *parents, last = path.split(".")
    node = d
    for key in parents:
        node = node[key]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return d


def error_of(data) -> ExperimentError:
    with pytest.raises(ExperimentError) as info:
        if isinstance(data, (str, bytes)):
            parse_experiment(data)
        else:
            experiment_from_dict(data)
    return info.value


# ----------------------------------------------------------------------------------------------------------------
# The happy path


def test_seed_example_parses():
    exp = DescentExperiment.from_dict(SEED)
    assert exp.function_name is None
    assert exp.expression == "x0**2 + x1**2"
    assert exp.start == (-3.0, 4.0)
    assert exp.optimizer == "sgd"
    assert dict(exp.hyper) == {"lr": 0.1}
    assert exp.gradient_method == "central"
    assert exp.h == 1e-4
    assert exp.steps == 100
    assert exp.grad_norm_below == 1e-6
    assert exp.resolve_function().dim == 2


def test_optional_sections_take_declared_defaults():
    d = {k: v for k, v in SEED.items() if k not in ("gradient", "stop")}
    d["optimizer"] = {"name": "sgd"}
    exp = DescentExperiment.from_dict(d)
    assert exp.gradient_method == FIELDS["gradient.method"].default == "analytic"
    assert exp.h == FIELDS["gradient.h"].default == 1e-4
    assert exp.grad_norm_below is None
    assert "lr" not in exp.hyper  # the optimizer's own default applies
    assert exp.effective_hyper()["lr"] == OPTIMIZERS["sgd"].spec("lr").default == FIELDS["optimizer.lr"].default
    assert exp.to_dict()["optimizer"] == {"name": "sgd"}


def test_builtin_function_by_name():
    exp = experiment_from_dict(mutated("function", {"name": "rosenbrock"}))
    assert exp.function_name == "rosenbrock" and exp.expression is None
    assert exp.resolve_function() is BUILTIN_FUNCTIONS["rosenbrock"] or exp.resolve_function().name == "rosenbrock"


def test_ints_are_accepted_for_floats_and_normalised():
    exp = experiment_from_dict(mutated("start", [-3, 4]))
    assert exp.start == (-3.0, 4.0) and all(type(v) is float for v in exp.start)
    exp = experiment_from_dict(mutated("optimizer", {"name": "sgd", "lr": 1}))
    assert type(exp.hyper["lr"]) is float


def test_integral_float_steps_accepted():
    assert experiment_from_dict(mutated("steps", 1e3)).steps == 1000


def test_null_stop_threshold_means_off():
    assert experiment_from_dict(mutated("stop", {"grad_norm_below": None})).grad_norm_below is None
    assert experiment_from_dict(mutated("stop", {})).grad_norm_below is None


def test_byte_order_mark_is_accepted():
    text = json.dumps(SEED)
    assert parse_experiment(("\ufeff" + text).encode("utf-8")) == parse_experiment(text)
    assert parse_experiment("\ufeff" + text) == parse_experiment(text)


def test_pair_and_bool_hyper_parameters():
    exp = experiment_from_dict(mutated("optimizer", {"name": "adam", "lr": 0.3, "betas": [0.8, 0.99], "amsgrad": True}))
    assert exp.hyper["betas"] == (0.8, 0.99)
    assert exp.hyper["amsgrad"] is True
    assert exp.to_dict()["optimizer"] == {"name": "adam", "lr": 0.3, "betas": [0.8, 0.99], "amsgrad": True}


# ----------------------------------------------------------------------------------------------------------------
# Every validation rule: (data, field, message) — message is the exact str(error) unless it starts with "~",
# in which case it is a substring.

CASES = [
    # the file as a whole
    ([], "", "an experiment file must contain a JSON object (got a list)"),
    ("null", "", "an experiment file must contain a JSON object (got null)"),
    ('{"gdstudio": 1,\n "kind": "descent"\n    "steps": 3}', "", "line 3, column 5: Expecting ',' delimiter"),
    ("", "", "the file is empty"),
    ("  \n", "", "the file is empty"),
    (b"\xff\xfe{}", "", "not a text file in UTF-8 (byte 0xff at offset 0)"),
    ("[" * 100_000, "", "~"),
    # version and kind
    (mutated("gdstudio", DELETE), "gdstudio", "~this is not a gdstudio experiment file"),
    (mutated("gdstudio", 2), "gdstudio", "~format version 2, but this gdstudio reads versions up to 1; please update"),
    (mutated("gdstudio", "1"), "gdstudio", 'gdstudio: must be a whole number (got "1")'),
    (mutated("gdstudio", True), "gdstudio", "gdstudio: must be a whole number (got true)"),
    (mutated("gdstudio", 1.5), "gdstudio", "gdstudio: must be a whole number (got 1.5)"),
    (mutated("gdstudio", 0), "gdstudio", "gdstudio: must be > 0 (got 0)"),
    (mutated("kind", DELETE), "kind", "kind: is required (expected one of: descent, training)"),
    (mutated("kind", "training"), "function", "~function: unknown key (expected one of: gdstudio, kind, dataset, "),
    (mutated("kind", "descnt"), "kind",
     "~unknown kind \"descnt\" (expected one of: descent, training); did you mean 'descent'?"),
    (mutated("kind", 1), "kind", "kind: must be a string (got 1)"),
    (mutated("colour", "red"), "colour", "~colour: unknown key (expected one of: gdstudio, kind, function"),
    (mutated("a b", 1), '["a b"]', '~["a b"]: unknown key'),
    ('{"gdstudio": 1, "gdstudio": 1, "kind": "descent"}', "gdstudio", "gdstudio: is given twice"),
    # function
    (mutated("function", DELETE), "function", "function: is required"),
    (mutated("function", "x**2"), "function", 'function: must be an object (got "x**2")'),
    (mutated("function", {}), "function", 'function: needs "name" (a built-in function) or "expression"'),
    (mutated("function", {"name": "bowl", "expression": "x"}), "function", '~give either "name" or "expression"'),
    (mutated("function", {"name": "nope"}), "function.name", '~function.name: unknown function "nope" (expected one of: '),
    (mutated("function", {"name": "rosenbrok"}), "function.name", "~did you mean 'rosenbrock'?"),
    (mutated("function", {"name": 3}), "function.name", "function.name: must be a string (got 3)"),
    (mutated("function", {"name": None}), "function.name", "function.name: must be a string (got null)"),
    (mutated("function", {"expression": None}), "function.expression", "function.expression: must be a string (got null)"),
    (mutated("function", {"expression": ["x"]}), "function.expression", "function.expression: must be a string (got a list)"),
    (mutated("function", {"expression": "x", "colour": 1}), "function.colour", "~function.colour: unknown key"),
    # start
    (mutated("start", DELETE), "start", "start: is required"),
    (mutated("start", None), "start", "start: must be a list of numbers (got null)"),
    (mutated("start", "1,2"), "start", 'start: must be a list of numbers (got "1,2")'),
    (mutated("start", {"x": 1}), "start", "start: must be a list of numbers (got an object)"),
    (mutated("start", [1.0]), "start", "start: must have 2 numbers for a 2-D function (got 1)"),
    (mutated("start", [1.0, 2.0, 3.0]), "start", "start: must have 2 numbers for a 2-D function (got 3)"),
    (mutated("start", [1.0, True]), "start[1]", "start[1]: must be a number (got true)"),
    (mutated("start", [None, 1.0]), "start[0]", "start[0]: must be a number (got null)"),
    (mutated("start", [[1.0], 1.0]), "start[0]", "start[0]: must be a number (got a list)"),
    ('{"gdstudio":1,"kind":"descent","function":{"name":"bowl"},"start":[1, NaN],"optimizer":{"name":"sgd"},'
     '"steps":1}', "start[1]", "start[1]: must be a finite number (got NaN)"),
    ('{"gdstudio":1,"kind":"descent","function":{"name":"bowl"},"start":[Infinity, 1],"optimizer":{"name":"sgd"},'
     '"steps":1}', "start[0]", "start[0]: must be a finite number (got Infinity)"),
    ('{"gdstudio":1,"kind":"descent","function":{"name":"bowl"},"start":[-Infinity, 1],"optimizer":{"name":"sgd"},'
     '"steps":1}', "start[0]", "start[0]: must be a finite number (got -Infinity)"),
    ('{"gdstudio":1,"kind":"descent","function":{"name":"bowl"},"start":[1e400, 1],"optimizer":{"name":"sgd"},'
     '"steps":1}', "start[0]", "start[0]: must be a finite number (got inf)"),
    (mutated("start", [float("nan"), 1.0]), "start[0]", "start[0]: must be a finite number (got nan)"),
    (mutated("start", [10**400, 1.0]), "start[0]", "start[0]: is too large (got a huge integer)"),
    ('{"gdstudio": 1' + "0" * 5000 + "}", "", "~invalid JSON: "),
    (mutated("start", [1e7, 1.0]), "start[0]", "start[0]: must be between -1000000 and 1000000 (got 10000000.0)"),
    # optimizer
    (mutated("optimizer", DELETE), "optimizer", "optimizer: is required"),
    (mutated("optimizer", "sgd"), "optimizer", 'optimizer: must be an object (got "sgd")'),
    (mutated("optimizer", {"lr": 0.1}), "optimizer.name", "optimizer.name: is required"),
    (mutated("optimizer", {"name": "Adam"}), "optimizer.name", "~unknown optimizer \"Adam\""),
    (mutated("optimizer", {"name": "Adam"}), "optimizer.name", "~did you mean 'adam'?"),
    (mutated("optimizer", {"name": None}), "optimizer.name", "optimizer.name: must be a string (got null)"),
    (mutated("optimizer.lr", 50), "optimizer.lr", "optimizer.lr: must be between 1e-06 and 10 (got 50)"),
    (mutated("optimizer.lr", 10.5), "optimizer.lr", "optimizer.lr: must be between 1e-06 and 10 (got 10.5)"),
    (mutated("optimizer.lr", 1e-7), "optimizer.lr", "optimizer.lr: must be between 1e-06 and 10 (got 1e-07)"),
    (mutated("optimizer.lr", 0), "optimizer.lr", "optimizer.lr: must be > 0 (got 0)"),
    (mutated("optimizer.lr", -0.1), "optimizer.lr", "optimizer.lr: must be > 0 (got -0.1)"),
    (mutated("optimizer.lr", "0.1"), "optimizer.lr", 'optimizer.lr: must be a number (got "0.1")'),
    (mutated("optimizer.lr", True), "optimizer.lr", "optimizer.lr: must be a number (got true)"),
    (mutated("optimizer.lr", None), "optimizer.lr", "optimizer.lr: must be a number (got null)"),
    (mutated("optimizer.lr", [0.1]), "optimizer.lr", "optimizer.lr: must be a number (got a list)"),
    (mutated("optimizer.foo", 1), "optimizer.foo", "~optimizer.foo: not a hyper-parameter of sgd (expected one of: lr"),
    (mutated("optimizer.betas", [0.9, 0.999]), "optimizer.betas", "~not a hyper-parameter of sgd"),
    ('{"gdstudio":1,"kind":"descent","function":{"name":"bowl"},"start":[1,1],'
     '"optimizer":{"name":"sgd","lr":0.1,"lr":0.2},"steps":1}', "optimizer.lr", "optimizer.lr: is given twice"),
    (mutated("optimizer", {"name": "adam", "betas": [0.9]}), "optimizer.betas",
     "optimizer.betas: must be a list of 2 numbers (got 1 items)"),
    (mutated("optimizer", {"name": "adam", "betas": [0.9, 0.99, 0.9]}), "optimizer.betas",
     "optimizer.betas: must be a list of 2 numbers (got 3 items)"),
    (mutated("optimizer", {"name": "adam", "betas": 0.9}), "optimizer.betas",
     "optimizer.betas: must be a list of 2 numbers (got 0.9)"),
    (mutated("optimizer", {"name": "adam", "betas": [0.9, 1.5]}), "optimizer.betas[1]", "~(got 1.5)"),
    (mutated("optimizer", {"name": "adam", "betas": [0.9, 1.0]}), "optimizer.betas[1]", "~(got 1.0)"),
    (mutated("optimizer", {"name": "adam", "betas": [-0.1, 0.9]}), "optimizer.betas[0]", "~(got -0.1)"),
    (mutated("optimizer", {"name": "adam", "betas": [True, 0.9]}), "optimizer.betas[0]",
     "optimizer.betas[0]: must be a number (got true)"),
    (mutated("optimizer", {"name": "adam", "amsgrad": 1}), "optimizer.amsgrad",
     "optimizer.amsgrad: must be true or false (got 1)"),
    (mutated("optimizer", {"name": "adam", "amsgrad": "yes"}), "optimizer.amsgrad",
     'optimizer.amsgrad: must be true or false (got "yes")'),
    (mutated("optimizer", {"name": "momentum", "momentum": -0.5}), "optimizer.momentum", "~(got -0.5)"),
    (mutated("optimizer", {"name": "adam", "eps": -1e-8}), "optimizer.eps", "~(got -1e-08)"),
    (mutated("optimizer", {"name": "adamw", "weight_decay": "0"}), "optimizer.weight_decay", "~must be a number"),
    # gradient
    (mutated("gradient", "central"), "gradient", 'gradient: must be an object (got "central")'),
    (mutated("gradient.method", "exact"), "gradient.method",
     '~gradient.method: unknown method "exact" (expected one of: analytic, central, forward)'),
    (mutated("gradient.method", None), "gradient.method", "gradient.method: must be a string (got null)"),
    (mutated("gradient.h", 0), "gradient.h", "gradient.h: must be > 0 (got 0)"),
    (mutated("gradient.h", -1e-4), "gradient.h", "gradient.h: must be > 0 (got -0.0001)"),
    (mutated("gradient.h", 2), "gradient.h", "gradient.h: must be > 0 and <= 1 (got 2)"),
    (mutated("gradient.h", "small"), "gradient.h", 'gradient.h: must be a number (got "small")'),
    (mutated("gradient.step", 1), "gradient.step", "~gradient.step: unknown key (expected one of: method, h)"),
    # steps
    (mutated("steps", DELETE), "steps", "steps: is required"),
    (mutated("steps", 0), "steps", "steps: must be > 0 (got 0)"),
    (mutated("steps", -5), "steps", "steps: must be > 0 (got -5)"),
    (mutated("steps", 1_000_001), "steps", "steps: must be between 1 and 1000000 (got 1000001)"),
    (mutated("steps", 1.5), "steps", "steps: must be a whole number (got 1.5)"),
    (mutated("steps", "100"), "steps", 'steps: must be a whole number (got "100")'),
    (mutated("steps", True), "steps", "steps: must be a whole number (got true)"),
    (mutated("steps", 10**40), "steps", "~steps: must be between 1 and 1000000 (got 1e+40)"),
    # stop
    (mutated("stop", 1e-6), "stop", "stop: must be an object (got 1e-06)"),
    (mutated("stop.grad_norm_below", 0), "stop.grad_norm_below", "stop.grad_norm_below: must be > 0 (got 0)"),
    (mutated("stop.grad_norm_below", -1), "stop.grad_norm_below", "stop.grad_norm_below: must be > 0 (got -1)"),
    (mutated("stop.grad_norm_below", False), "stop.grad_norm_below",
     "stop.grad_norm_below: must be a number (got false)"),
    (mutated("stop.max_value", 1), "stop.max_value", "~stop.max_value: unknown key (expected one of: grad_norm_below)"),
]


@pytest.mark.parametrize(("data", "field", "message"), CASES)
def test_validation_rule(data, field, message):
    check_rule(data, field, message)


def check_rule(data, field: str, message: str) -> None:
    """``data`` is refused on ``field`` with exactly ``message`` (a substring when it starts with "~"), one line."""
    err = error_of(data)
    assert err.field == field
    if message.startswith("~"):
        assert message[1:] in str(err)
    else:
        assert str(err) == message
    assert str(err) == (f"{err.field}: {err.message}" if err.field else err.message)
    assert "\n" not in str(err)


def test_invalid_expression_carries_the_expression_error_message():
    bad = "x0 + * 2"
    with pytest.raises(ExpressionError) as engine_error:
        parse_expression(bad)
    err = error_of(mutated("function", {"expression": bad}))
    assert err.field == "function.expression"
    assert str(err) == "function.expression: " + str(engine_error.value)


def test_start_length_follows_the_function_dimension():
    one_d = mutated("function", {"name": "quadratic1d"})
    err = error_of(one_d)  # start has 2 numbers
    assert str(err) == "start: must have 1 number for a 1-D function (got 2)"
    assert experiment_from_dict(mutated("start", [-10], one_d)).start == (-10.0,)
    err = error_of(mutated("function", {"expression": "x**2"}))
    assert err.field == "start"


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_accepts_its_declared_defaults(name):
    hyper = {f.name.split(".", 1)[1]: (list(f.default) if isinstance(f.default, tuple) else f.default)
             for f in hyper_fields(name) if f.default is not None}
    exp = experiment_from_dict(mutated("optimizer", {"name": name, **hyper}))
    assert exp.optimizer == name
    assert set(exp.effective_hyper()) == {p.name for p in OPTIMIZERS[name].specs}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_hyper_parameter_rejects_a_wrong_type(name):
    for f in hyper_fields(name):
        key = f.name.split(".", 1)[1]
        err = error_of(mutated("optimizer", {"name": name, key: "text"}))
        assert err.field == f"optimizer.{key}", f.name


# ----------------------------------------------------------------------------------------------------------------
# Field declarations


def test_fields_are_declared_once_with_limits():
    expected = {"gdstudio", "kind", "function.name", "function.expression", "start", "optimizer.name",
                "optimizer.lr", "gradient.method", "gradient.h", "steps", "stop.grad_norm_below"}
    assert set(FIELDS) == expected
    assert all(name == spec.name and spec.doc for name, spec in FIELDS.items())
    lr = FIELDS["optimizer.lr"]
    assert (lr.type, lr.minimum, lr.maximum, lr.log) == ("float", 1e-6, 10.0, True)
    assert (FIELDS["steps"].minimum, FIELDS["steps"].maximum) == (1, 1_000_000)
    h = FIELDS["gradient.h"]
    assert (h.minimum, h.exclusive_minimum, h.maximum) == (0.0, True, 1.0)
    assert FIELDS["optimizer.name"].choices == tuple(OPTIMIZERS)
    assert set(FIELDS["optimizer.name"].choices) == {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"}
    assert FIELDS["function.name"].choices == tuple(BUILTIN_FUNCTIONS)
    assert FIELDS["gradient.method"].choices == ("analytic", "central", "forward")


def test_numeric_defaults_lie_within_their_limits():
    for spec in FIELDS.values():
        if spec.type in ("int", "float") and spec.default is not None:
            assert spec.contains(spec.default), spec.name
        if spec.type == "vector":
            assert all(spec.contains(v) for v in spec.default)
        if spec.type == "choice":
            assert spec.default in spec.choices


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_hyper_fields_mirror_param_specs(name):
    fields = hyper_fields(name)
    assert [f.name for f in fields] == [f"optimizer.{p.name}" for p in OPTIMIZERS[name].specs]
    (lr,) = [f for f in fields if f.name == "optimizer.lr"]
    assert lr == dataclasses.replace(FIELDS["optimizer.lr"], default=OPTIMIZERS[name].spec("lr").default)
    for f in fields:
        if f.type == "float" and f.default is not None:
            assert f.contains(f.default), f.name
        if f.type == "pair":
            assert len(f.default) == 2 and all(f.contains(v) for v in f.default), f.name


def test_field_spec_contains():
    h = FIELDS["gradient.h"]
    assert not h.contains(0.0) and h.contains(1e-12) and h.contains(1.0) and not h.contains(1.0000001)


# ----------------------------------------------------------------------------------------------------------------
# The dataclass


def test_default_experiment_is_the_seed_case():
    exp = default_experiment()
    assert exp.to_dict() == {k: v for k, v in SEED.items() if k != "stop"}


def test_round_trip_of_the_seed():
    exp = DescentExperiment.from_dict(SEED)
    assert DescentExperiment.from_dict(exp.to_dict()) == exp
    assert parse_experiment(experiment_to_json(exp)) == exp
    assert exp.to_dict() == SEED


def test_constructor_validates_like_a_file():
    exp = default_experiment()
    with pytest.raises(ExperimentError) as info:
        dataclasses.replace(exp, steps=0)
    assert info.value.field == "steps"
    with pytest.raises(ExperimentError) as info:
        dataclasses.replace(exp, hyper={"lr": 50})
    assert str(info.value) == "optimizer.lr: must be between 1e-06 and 10 (got 50)"
    with pytest.raises(ExperimentError) as info:
        dataclasses.replace(exp, optimizer="adam", hyper={"lr": 0.1, "momentum": 0.9})
    assert info.value.field == "optimizer.momentum"
    with pytest.raises(ExperimentError):
        DescentExperiment()  # no function
    with pytest.raises(ExperimentError) as info:
        dataclasses.replace(exp, hyper=[("lr", 0.1)])
    assert info.value.field == "optimizer"


def test_start_none_means_the_functions_default_start():
    exp = DescentExperiment(function_name="rosenbrock")
    assert exp.start == tuple(float(v) for v in BUILTIN_FUNCTIONS["rosenbrock"].default_start)


def test_experiment_is_immutable_and_hashable():
    exp = default_experiment()
    with pytest.raises(dataclasses.FrozenInstanceError):
        exp.steps = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        exp.hyper["lr"] = 1.0  # type: ignore[index]
    with pytest.raises(TypeError):
        exp.hyper.update(lr=1.0)  # type: ignore[attr-defined]
    assert isinstance(exp.hyper, dict)
    assert hash(exp) == hash(default_experiment())
    assert copy.deepcopy(exp) == exp


def test_to_config_matches_the_experiment():
    exp = experiment_from_dict(mutated("optimizer", {"name": "adam", "lr": 0.3, "betas": [0.8, 0.9]}))
    config = exp.to_config()
    assert isinstance(config, DescentConfig)
    assert config.function is exp.resolve_function()
    assert tuple(config.start) == exp.start
    assert config.optimizer == "adam"
    assert dict(config.hyper) == {"lr": 0.3, "betas": (0.8, 0.9)}
    assert (config.gradient_method, config.h, config.steps, config.grad_norm_below) == ("central", 1e-4, 100, 1e-6)


def test_with_optimizer_keeps_shared_hyper_parameters():
    exp = experiment_from_dict(mutated("optimizer", {"name": "momentum", "lr": 0.1, "momentum": 0.8}))
    adam = exp.with_optimizer("adam")
    assert adam.optimizer == "adam" and dict(adam.hyper) == {"lr": 0.1}
    back = adam.with_optimizer("nesterov")
    assert back.optimizer == "nesterov" and back.hyper["lr"] == 0.1


def test_with_function_keeps_or_resets_the_start():
    exp = default_experiment()
    assert exp.with_function(name="rosenbrock").start == (-3.0, 4.0)
    one_d = exp.with_function(name="quadratic1d")
    assert len(one_d.start) == 1 and one_d.expression is None
    assert one_d.with_function(expression="x**2").start == one_d.start


valid_experiments = st.builds(
    lambda fn, start, opt, lr, method, h, steps, stop: DescentExperiment(
        function_name=fn, start=start, optimizer=opt, hyper={"lr": lr}, gradient_method=method, h=h,
        steps=steps, grad_norm_below=stop,
    ),
    fn=st.sampled_from(["bowl", "rosenbrock", "himmelblau", "book_ellipse"]),
    start=st.tuples(*[st.floats(-1e6, 1e6, allow_nan=False)] * 2),
    opt=st.sampled_from(sorted(OPTIMIZERS)),
    lr=st.floats(1e-6, 10.0),
    method=st.sampled_from(["analytic", "central", "forward"]),
    h=st.floats(1e-12, 1.0),
    steps=st.integers(1, 1_000_000),
    stop=st.none() | st.floats(1e-300, 1e6),
)


@settings(max_examples=100, deadline=None)
@given(valid_experiments)
def test_round_trip_property(exp):
    assert DescentExperiment.from_dict(exp.to_dict()) == exp
    assert parse_experiment(experiment_to_json(exp)) == exp


# ----------------------------------------------------------------------------------------------------------------
# Loading and saving


def test_save_and_load(tmp_path):
    path = tmp_path / "exp.json"
    exp = default_experiment()
    assert save_experiment(path, exp) == exp  # what was written
    assert load_experiment(path) == exp
    assert load_experiment(str(path)) == exp
    assert path.read_text(encoding="utf-8").endswith("}\n")
    assert os.listdir(tmp_path) == ["exp.json"]


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "exp.json"
    path.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        save_experiment(path, default_experiment())
    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["exp.json"]


def test_load_missing_file(tmp_path):
    with pytest.raises(ExperimentError) as info:
        load_experiment(tmp_path / "nope.json")
    assert str(info.value) == "cannot read the file: No such file or directory"


def test_load_directory(tmp_path):
    with pytest.raises(ExperimentError) as info:
        load_experiment(tmp_path)
    assert "cannot read the file" in str(info.value)


def test_load_too_large_file(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    assert "too large" in str(info.value)


def test_load_binary_garbage(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(ExperimentError):
        load_experiment(path)


def test_experiment_error_survives_copy():
    err = ExperimentError("steps", "must be > 0")
    clone = copy.deepcopy(err)
    assert (clone.field, clone.message, str(clone)) == ("steps", "must be > 0", "steps: must be > 0")


# ----------------------------------------------------------------------------------------------------------------
# Presets

PRESET_FILES = sorted(p.name for p in presets_dir().glob("*.json") if p.name != "index.json")


def test_preset_index_lists_every_preset_exactly_once():
    index = preset_index()
    assert sorted(p.file for p in index) == PRESET_FILES
    for p in index:
        assert p.title_en and p.title_zh and p.description_en and p.description_zh
        assert p.kind == load_preset(p.file).KIND, p.file  # menus filter on the index's kind: it must be right


def test_preset_index_filters_by_kind():
    descent = preset_index(kind="descent")
    training = preset_index(kind="training")
    assert descent and training
    assert {p.kind for p in descent} == {"descent"} and {p.kind for p in training} == {"training"}
    assert sorted(p.file for p in descent + training) == PRESET_FILES
    assert preset_index()[0].kind == "descent"  # the first preset stays a descent one (packaging probe)
    assert preset_index(kind="nothing") == ()


def test_loaders_can_insist_on_one_kind(tmp_path):
    training = next(p.file for p in preset_index(kind="training"))
    with pytest.raises(ExperimentError) as info:
        load_preset(training, kind="descent")
    assert str(info.value) == "kind: expected 'descent' (got \"training\")"
    assert load_preset("seed_bowl.json", kind="descent") == default_experiment()
    text = experiment_to_json(default_experiment())
    assert parse_experiment(text, kind="descent") == default_experiment()
    with pytest.raises(ExperimentError) as info:
        parse_experiment(text, kind="training")
    assert info.value.field == "kind"
    path = tmp_path / "d.json"
    save_experiment(path, default_experiment())
    assert load_experiment(path, kind="descent") == default_experiment()
    with pytest.raises(ExperimentError):
        load_experiment(path, kind="training")


def test_required_presets_exist():
    required = {"seed_bowl", "quadratic_1d", "book_ellipse_sgd", "book_ellipse_momentum", "book_ellipse_adagrad",
                "book_ellipse_adam", "rosenbrock_adam", "himmelblau", "saddle", "plateau", "local_minima", "rastrigin"}
    assert required <= {Path(f).stem for f in PRESET_FILES}


@pytest.mark.parametrize("file", PRESET_FILES)
def test_preset_is_valid_and_canonical(file):
    exp = load_preset(file)
    text = (presets_dir() / file).read_text(encoding="utf-8")
    assert json.loads(text) == exp.to_dict()  # nothing implicit: the file spells out what it runs
    assert text == experiment_to_json(exp)  # and is in the canonical layout the GUI saves


def test_seed_bowl_preset_is_the_default_experiment():
    assert load_preset("seed_bowl.json") == default_experiment()


def test_book_comparison_presets_use_the_books_settings():
    expected = {
        "sgd": {"lr": 0.95},
        "momentum": {"lr": 0.1, "momentum": 0.9},
        "adagrad": {"lr": 1.5},
        "adam": {"lr": 0.3},
    }
    for name, hyper in expected.items():
        exp = load_preset(f"book_ellipse_{name}.json")
        assert exp.function_name == "book_ellipse"
        assert exp.start == (-7.0, 2.0)
        assert exp.optimizer == name and dict(exp.hyper) == hyper
        assert exp.steps == 30


def test_quadratic_preset_follows_the_seed():
    exp = load_preset("quadratic_1d.json")
    assert (exp.function_name, exp.start, exp.hyper["lr"]) == ("quadratic1d", (-10.0,), 0.2)


def test_load_preset_refuses_paths():
    with pytest.raises(ExperimentError):
        load_preset("../presets/seed_bowl.json")


def _write_index(tmp_path, presets, extra=None):
    d = {"gdstudio": 1, "presets": presets, **(extra or {})}
    (tmp_path / "index.json").write_text(json.dumps(d), encoding="utf-8")


GOOD_ENTRY = {"file": "a.json", "kind": "descent", "title_en": "A", "title_zh": "甲", "description_en": "d",
              "description_zh": "描述"}


@pytest.mark.parametrize(
    ("presets", "extra", "field"),
    [
        ([{**GOOD_ENTRY, "file": "../a.json"}], None, "presets[0].file"),
        ([{**GOOD_ENTRY, "file": "a.txt"}], None, "presets[0].file"),
        ([GOOD_ENTRY, GOOD_ENTRY], None, "presets[1].file"),
        ([{k: v for k, v in GOOD_ENTRY.items() if k != "title_zh"}], None, "presets[0].title_zh"),
        ([{**GOOD_ENTRY, "title_en": " "}], None, "presets[0].title_en"),
        ([{**GOOD_ENTRY, "title_en": 3}], None, "presets[0].title_en"),
        ([{**GOOD_ENTRY, "icon": "x"}], None, "presets[0].icon"),
        ([{k: v for k, v in GOOD_ENTRY.items() if k != "kind"}], None, "presets[0].kind"),
        ([{**GOOD_ENTRY, "kind": "descnt"}], None, "presets[0].kind"),
        ("nope", None, "presets"),
        ([GOOD_ENTRY], {"version": 2}, "version"),
    ],
)
def test_preset_index_validation(tmp_path, presets, extra, field):
    _write_index(tmp_path, presets, extra)
    with pytest.raises(ExperimentError) as info:
        preset_index(tmp_path)
    assert info.value.field == field


def test_preset_index_in_another_directory(tmp_path):
    _write_index(tmp_path, [GOOD_ENTRY])
    save_experiment(tmp_path / "a.json", default_experiment())
    (entry,) = preset_index(tmp_path)
    assert entry.title_zh == "甲"
    assert load_preset("a.json", tmp_path) == default_experiment()


# ----------------------------------------------------------------------------------------------------------------
# Robustness: nothing but ExperimentError, whatever the input

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)

FIELD_PATHS = ["gdstudio", "kind", "function", "function.name", "function.expression", "start", "optimizer",
               "optimizer.name", "optimizer.lr", "optimizer.betas", "optimizer.momentum", "optimizer.amsgrad",
               "gradient", "gradient.method", "gradient.h", "steps", "stop", "stop.grad_norm_below", "extra"]


def _only_experiment_errors(call, *args):
    try:
        call(*args)
    except ExperimentError as err:
        assert "\n" not in str(err)
        assert isinstance(err.field, str)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_values_only_raise_experiment_error(value):
    _only_experiment_errors(experiment_from_dict, value)
    _only_experiment_errors(DescentExperiment.from_dict, value)
    _only_experiment_errors(parse_experiment, json.dumps(value))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FIELD_PATHS), json_values, st.sampled_from(["sgd", "adam", "momentum", "rmsprop"]))
def test_arbitrary_field_values_only_raise_experiment_error(path, value, optimizer):
    base = mutated("optimizer", {"name": optimizer, "lr": 0.1})
    _only_experiment_errors(experiment_from_dict, mutated(path, value, base))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_expressions_only_raise_experiment_error(text):
    _only_experiment_errors(experiment_from_dict, mutated("function", {"expression": text}))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_only_raise_experiment_error(data):
    _only_experiment_errors(parse_experiment, data)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_files_only_raise_experiment_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "x.json"
    path.write_bytes(data)
    _only_experiment_errors(load_experiment, path)


"""TrainingSettingsModel: validated edits with undo, widths that follow the data set, the experiment-dict form."""

from __future__ import annotations

import dataclasses
import gc
import json

import pytest

from gdstudio.models.training_settings_model import (
    SettingsError,
    TrainingSettings,
    TrainingSettingsModel,
    dataset_shape,
    output_units,
    settings_from_dict,
)

ISSUE_EXAMPLE = {
    "gdstudio": 1, "kind": "training",
    "dataset": {"name": "xor"},
    "network": {"layers": [2, 4, 1], "activation": "tanh", "output": "sigmoid", "loss": "bce",
                "init": {"scheme": "xavier", "seed": 0}},
    "optimizer": {"name": "sgd", "lr": 0.5}, "epochs": 500, "batch_size": 4,
}


@pytest.fixture
def model(qapp):
    m = TrainingSettingsModel()
    m.errors = []
    m.error.connect(m.errors.append)
    return m


def test_default_is_the_issue_example_and_round_trips(model):
    d = model.to_experiment_dict()
    assert d["kind"] == "training" and d["gdstudio"] == 1
    assert d["network"]["layers"] == [2, 4, 1] and d["network"]["activation"] == "tanh"
    assert d["optimizer"] == {"name": "sgd", "lr": 0.5} and d["epochs"] == 500 and d["batch_size"] == 4
    json.dumps(d)  # JSON-ready
    other = TrainingSettingsModel()
    other.from_experiment_dict(json.loads(json.dumps(d)))
    assert other.settings == model.settings and other.to_experiment_dict() == d
    loaded = TrainingSettingsModel()
    loaded.from_experiment_dict(ISSUE_EXAMPLE)
    assert loaded.settings.dtype == "float64"  # a file without dtype gets the engine's default
    assert dataclasses.replace(loaded.settings, dtype="auto") == model.settings  # the GUI's: follow the data


def test_round_trip_keeps_every_field(model):
    d = {
        "gdstudio": 1, "kind": "training",
        "dataset": {"name": "circle", "n": 200, "noise": 0.1, "test_fraction": 0.3, "seed": 4,
                    "features": ["x1", "x2", "x1^2"]},
        "network": {"layers": [3, 8, 6, 1], "activation": ["relu", "tanh"], "output": "sigmoid",
                    "init": {"scheme": "normal", "sigma": 0.1, "seed": 9}, "dropout": 0.2, "batchnorm": True,
                    "l2": 0.01, "l1": 0.001, "leaky_alpha": 0.05, "dtype": "float32"},
        "optimizer": {"name": "adam", "lr": 0.003, "betas": [0.8, 0.99]}, "epochs": 30, "batch_size": 16,
        "seed": 3,
    }
    model.from_experiment_dict(d)
    s = model.settings
    assert s.hidden == (8, 6) and s.activation == ("relu", "tanh") and s.hyper["betas"] == (0.8, 0.99)
    out = model.to_experiment_dict()
    assert out["dataset"]["features"] == ["x1", "x2", "x1^2"] and out["network"]["layers"] == [3, 8, 6, 1]
    assert out["network"]["activation"] == ["relu", "tanh"] and out["network"]["init"]["sigma"] == 0.1
    assert out["optimizer"] == {"name": "adam", "lr": 0.003, "betas": [0.8, 0.99]} and out["seed"] == 3
    again = TrainingSettingsModel()
    again.from_experiment_dict(out)
    assert again.settings == s


def test_explicit_weights_round_trip_and_are_dropped_when_layers_change(model):
    d = dict(ISSUE_EXAMPLE, network={"layers": [2, 1], "output": "sigmoid",
                                     "init": {"weights": [{"W": [[0.5], [0.5]], "b": [-0.7]}]}})
    model.from_experiment_dict(d)
    assert model.settings.has_explicit_weights and model.settings.hidden == ()
    assert model.to_experiment_dict()["network"]["init"]["weights"] == [{"W": [[0.5], [0.5]], "b": [-0.7]}]
    assert model.update(hidden=(2,))
    assert not model.settings.has_explicit_weights and model.layer_sizes() == (2, 2, 1)


@pytest.mark.parametrize(("change", "field"), [
    ({"epochs": 0}, "epochs"),
    ({"batch_size": 1.5}, "batch_size"),
    ({"hyper": {"lr": 100.0}}, "optimizer"),
    ({"hyper": {"momentum": -1.0}}, "optimizer"),
    ({"dropout": 1.0}, "network.dropout"),
    ({"activation": ("swish",)}, "network.activation"),
    ({"loss": "cross_entropy"}, "network.loss"),
    ({"init": {"scheme": "magic"}}, "init.scheme"),
    ({"hidden": (0,)}, "network.layers"),
    ({"dataset": {"noise": 3.0}}, "dataset.noise"),
    ({"dataset": {"name": "circle", "noise": 3.0}}, "dataset.noise"),
])
def test_refused_changes_leave_the_settings_and_say_why(model, change, field):
    before = model.settings
    assert model.update(**change) is False
    assert model.settings is before and model.undo_stack.count() == 0
    assert field in model.errors[-1], model.errors[-1]


def test_regression_data_refuse_a_classification_head(model):
    assert model.update(dataset={"name": "line"})
    assert model.settings.output == "identity" and model.settings.loss == "mse"
    assert model.update(output="softmax") is False
    assert "regression" in model.errors[-1]


def test_switching_data_sets_adapts_widths_output_and_schedule(model):
    assert model.update(dataset={"name": "digits"})
    s = model.settings
    assert s.output == "softmax" and s.loss == "cross_entropy" and model.layer_sizes() == (64, 4, 10)
    assert (s.epochs, s.batch_size) == (10, 32)
    assert model.update(dataset={"name": "spiral", "features": ["x1", "x2", "sin(x1)", "sin(x2)"]})
    assert model.layer_sizes() == (4, 4, 2)  # softmax kept: one unit per class
    assert model.update(output="sigmoid") and model.layer_sizes() == (4, 4, 1)
    assert model.update(dataset={"noise": 0.2})  # options of the same set merge into its spec
    assert model.settings.dataset["features"] == ["x1", "x2", "sin(x1)", "sin(x2)"]
    assert model.settings.dataset["noise"] == 0.2


def test_hidden_layers_carry_their_activations(model):
    assert model.update(hidden=(8, 8, 8))
    assert model.settings.activation == ("tanh", "tanh", "tanh")
    assert model.update(activation=("relu", "tanh", "sigmoid"))
    assert model.update(hidden=(8,)) and model.settings.activation == ("relu",)
    assert model.update(hidden=()) and model.settings.activation == () and model.layer_sizes() == (2, 1)
    assert model.update(activation="relu")  # one name for every layer


def test_optimizer_switch_keeps_the_learning_rate_and_shared_hyper_parameters(model):
    assert model.update(hyper={"lr": 0.1, "momentum": 0.5})
    assert model.update(optimizer="adam")
    assert model.settings.hyper == {"lr": 0.1} and model.settings.effective_hyper()["betas"] == (0.9, 0.999)
    assert model.update(optimizer="momentum") and model.settings.hyper == {"lr": 0.1}


def test_undo_redo_and_merging_of_quick_edits(model):
    changes = []
    model.changed.connect(lambda: changes.append(model.settings.epochs))
    assert model.update(epochs=10)
    assert model.update(epochs=20)  # same field within a second: one undo step
    assert model.update(hidden=(3,))
    assert model.undo_stack.count() == 2
    model.undo_stack.undo()
    assert model.settings.hidden == (4,) and model.settings.epochs == 20
    model.undo_stack.undo()
    assert model.settings.epochs == 500
    model.undo_stack.redo()
    assert model.settings.epochs == 20 and changes[-1] == 20


def test_commands_do_not_keep_the_model_alive(qapp):
    m = TrainingSettingsModel()
    m.update(epochs=7)
    m.redraw_seed(12345)
    assert m.settings.init["seed"] == 12345
    del m
    gc.collect()  # a strong cycle through the commands crashed in ~QUndoStack


def test_required_paths_may_wait_and_csv_widths_come_from_loading(model):
    assert model.update(dataset={"name": "mnist"})
    assert model.problem() == "Choose the folder that holds the MNIST files."
    assert model.layer_sizes() == (784, 4, 10)
    assert model.update(dataset={"csv": ""})
    assert model.problem() == "Choose the CSV file." and model.layer_sizes() is None
    assert model.update(dataset={"csv": "iris.csv"}) and model.problem() == ""
    model.note_dataset(model.settings.dataset, 4, "classification", 3)
    assert model.layer_sizes() == (4, 4, 3)
    assert model.to_experiment_dict()["network"]["layers"] == [4, 4, 3]


def test_shapes_and_output_widths():
    assert dataset_shape({"name": "xor"}) == (2, "classification", 2)
    assert dataset_shape({"name": "moons", "features": ["x1"]}) == (1, "classification", 2)
    assert dataset_shape({"csv": "a.csv"}) is None
    assert output_units("sigmoid", "classification", 2) == 1
    assert output_units("softmax", "classification", 2) == 2
    assert output_units("identity", "classification", 10) == 10
    assert output_units("identity", "regression", 1) == 1


@pytest.mark.parametrize(("d", "field"), [
    ({**ISSUE_EXAMPLE, "kind": "descent"}, "kind"),
    ({**ISSUE_EXAMPLE, "steps": 3}, "steps"),
    ({k: v for k, v in ISSUE_EXAMPLE.items() if k != "network"}, "network"),
    ({**ISSUE_EXAMPLE, "network": {"layers": [3, 4, 1], "output": "sigmoid"}}, "network.layers"),
    ({**ISSUE_EXAMPLE, "network": {"layers": [2, 4, 1]}}, "network.output"),  # softmax needs 2 units
    ({**ISSUE_EXAMPLE, "dataset": {"name": "xor", "n": 3}}, "dataset.n"),
])
def test_bad_experiment_dicts_name_the_field(d, field):
    with pytest.raises(SettingsError) as info:
        settings_from_dict(d)
    assert info.value.field == field


def test_settings_are_immutable_values():
    a, b = TrainingSettings(), TrainingSettings()
    assert a == b and a is not b
    with pytest.raises(AttributeError):
        a.epochs = 3  # type: ignore[misc]


# -- one validation with experiment files (TrainingExperiment) ----------------------------------------------------


def test_a_file_without_shuffling_loads_runs_unshuffled_and_round_trips(model):
    from gdstudio.experiment import experiment_from_dict

    model.from_experiment_dict({**ISSUE_EXAMPLE, "shuffle": False})
    assert model.settings.shuffle is False
    d = model.to_experiment_dict()
    assert d["shuffle"] is False and experiment_from_dict(d, kind="training").shuffle is False
    assert model.update(shuffle=True) and "shuffle" not in model.to_experiment_dict()  # written only when off
    model.undo_stack.undo()
    assert model.settings.shuffle is False
    from gdstudio.controllers.training_session import _setup_job

    prepared = next(_setup_job(0, model.settings, None, None))  # what the lab's worker builds
    assert prepared.trainer.config.shuffle is False
    prepared.generator.close()


def test_every_training_preset_loads_in_the_lab_and_saves_back_to_the_same_experiment(qapp):
    from gdstudio.experiment import load_preset, preset_index
    from gdstudio.training_experiment import TrainingExperiment

    presets = preset_index(kind="training")
    assert presets
    for preset in presets:
        exp = load_preset(preset.file, kind="training")
        m = TrainingSettingsModel()
        m.from_experiment_dict(exp.to_dict())
        if not exp.network.n_hidden:  # the activation of no hidden layer is not kept
            exp = dataclasses.replace(exp, network=exp.network.replace(activation="relu"))
        assert TrainingExperiment.from_dict(m.to_experiment_dict()) == exp, preset.file


@pytest.mark.parametrize("change", [
    {"epochs": None},  # required in a file
    {"optimizer": None},
    {"extra": 1},
    {"shuffle": "yes"},
    {"epochs": 0},
    {"epochs": 100_001},
    {"batch_size": 0},
    {"seed": -1},
    {"seed": 2**32},
    {"optimizer": {"name": "sgd", "lr": 100}},
    {"optimizer": {"name": "adam", "lr": 0.1, "momentum": 0.9}},
    {"optimizer": {"name": "adamw", "betas": [0.9]}},
    {"network": {"layers": [2, 4, 1], "output": "sigmoid", "dropout": 1.0}},
    {"network": {"layers": [2, 4.5, 1], "output": "sigmoid"}},
    {"dataset": {"name": "xor", "n": 3}},
])
def test_a_file_the_cli_refuses_is_refused_by_the_lab_with_the_same_message(change):
    from gdstudio.experiment import ExperimentError
    from gdstudio.training_experiment import TrainingExperiment

    d = {k: v for k, v in {**ISSUE_EXAMPLE, **change}.items() if v is not None}
    with pytest.raises(ExperimentError) as cli:
        TrainingExperiment.from_dict(d)
    with pytest.raises(SettingsError) as lab:
        settings_from_dict(d)
    assert (lab.value.field, str(lab.value)) == (cli.value.field, str(cli.value))


def test_edits_are_checked_by_the_file_fields(model):
    from gdstudio.models.training_settings_model import MAX_EPOCHS, SETTINGS_FIELDS
    from gdstudio.training_experiment import TRAINING_FIELDS

    for name in ("epochs", "batch_size", "seed"):  # one declaration of the ranges: the file's
        lab, file = SETTINGS_FIELDS[name], TRAINING_FIELDS[name]
        assert (lab.type, lab.minimum, lab.maximum) == (file.type, file.minimum, file.maximum)
    assert SETTINGS_FIELDS["epochs"].default == model.settings.epochs == 500 and not SETTINGS_FIELDS["seed"].nullable
    assert model.update(epochs=MAX_EPOCHS) and model.update(epochs=MAX_EPOCHS + 1) is False
    assert model.errors[-1].startswith("epochs: ")
    assert model.update(seed=None) is False and model.errors[-1].startswith("seed: ")  # the lab fixes its seed
    assert model.update(shuffle="no") is False and model.errors[-1].startswith("shuffle: ")

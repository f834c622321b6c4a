"""TrainingControls driven like a student: pick data, type layers, switch optimizer, get refusals inline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from gdstudio.controllers.training_session import TrainingSession
from gdstudio.views.training_controls import TrainingControls, format_hidden, parse_hidden

TIMEOUT = 20_000


@pytest.fixture
def controls(qtbot):
    session = TrainingSession()
    widget = TrainingControls(session.settings, session)
    qtbot.addWidget(widget)
    widget.show()
    session.initialize()
    qtbot.waitUntil(lambda: session.run_model.count == 1, timeout=TIMEOUT)
    yield widget
    session.stop_all()
    qtbot.waitUntil(lambda: not session.busy, timeout=TIMEOUT)


def choose(combo: QComboBox, data) -> None:
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def edit_line(qtbot, line, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_parse_and_format_hidden_layers():
    assert parse_hidden("8, 8") == (8, 8) == parse_hidden(" 8 8 ") == parse_hidden("8;8")
    assert parse_hidden("") == ()
    with pytest.raises(ValueError):
        parse_hidden("8, x")
    assert format_hidden((16, 4)) == "16, 4"


def test_choosing_a_data_set_shows_its_options(qtbot, controls):
    settings = controls.settings
    choose(controls.dataset_combo, "circle")
    assert settings.settings.dataset_name == "circle"
    assert {"dataset.n", "dataset.noise", "dataset.test_fraction", "dataset.seed"} <= set(controls.bound_keys())
    assert controls.regenerate_button.isVisibleTo(controls)
    controls.editor("dataset.noise").input.setValue(0.25)
    assert settings.settings.dataset["noise"] == 0.25
    seed = settings.settings.dataset["seed"]
    qtbot.mouseClick(controls.regenerate_button, Qt.MouseButton.LeftButton)
    assert settings.settings.dataset["seed"] != seed
    controls.feature_checks["x1^2"].setChecked(True)
    assert settings.settings.dataset["features"] == ["x1", "x2", "x1^2"]
    assert settings.layer_sizes()[0] == 3
    choose(controls.dataset_combo, "digits")
    assert "dataset.noise" not in controls.bound_keys() and not controls.feature_checks
    assert controls.regenerate_button.isVisibleTo(controls)  # a new split of the digits
    assert controls.dataset_doc.text().startswith("1,797")


def test_the_last_feature_cannot_be_unchecked(controls):
    choose(controls.dataset_combo, "moons")
    controls.feature_checks["x1"].setChecked(False)
    controls.feature_checks["x2"].setChecked(False)
    assert controls.settings.settings.dataset["features"] == ["x2"]
    assert controls.feature_checks["x2"].isChecked()
    assert "at least one feature" in controls.error_label.text()


def test_typing_hidden_layers_builds_one_activation_per_layer(qtbot, controls):
    edit_line(qtbot, controls.hidden_edit, "8, 6, 4")
    assert controls.settings.settings.hidden == (8, 6, 4)
    combos = controls.activation_combos
    assert len(combos) == 3
    choose(combos[1], "relu")
    assert controls.settings.settings.activation == ("tanh", "relu", "tanh")
    assert "2 → 8 → 6 → 4 → 1" in controls.sizes_label.text()
    edit_line(qtbot, controls.hidden_edit, "8, lots")
    assert controls.error_label.isVisibleTo(controls) and "whole numbers" in controls.error_label.text()
    assert controls.settings.settings.hidden == (8, 6, 4)


def test_refused_edits_are_reverted_and_explained(controls):
    choose(controls.dataset_combo, "line")
    assert controls.output_combo.currentData() == "identity"
    choose(controls.output_combo, "softmax")
    assert controls.output_combo.currentData() == "identity"  # the model refused: the control shows the truth
    assert controls.error_label.isVisibleTo(controls) and "regression" in controls.error_label.text()
    choose(controls.output_combo, "identity")
    assert not controls.error_label.isVisibleTo(controls)


def test_optimizer_switch_rebuilds_its_hyper_parameters(controls):
    keys = controls.bound_keys()
    assert "optimizer.momentum" in keys and "optimizer.betas" not in keys
    choose(controls.editor("optimizer.name").input, "adam")
    keys = controls.bound_keys()
    assert "optimizer.betas" in keys and "optimizer.momentum" not in keys
    lr = controls.editor("optimizer.lr").input
    lr.spin.setValue(0.003)
    assert controls.settings.settings.hyper["lr"] == 0.003
    controls.settings.undo_stack.undo()
    assert lr.value() == 0.5  # undo comes back to the control


def test_initialization_rows_follow_the_scheme(controls):
    form = controls.init_form
    sigma = controls.editor("network.init.sigma")
    assert not form.isRowVisible(sigma)
    choose(controls.editor("network.init.scheme").input, "normal")
    assert form.isRowVisible(sigma)
    sigma.input.setValue(1.0)
    assert controls.settings.settings.init == {"scheme": "normal", "seed": 0, "sigma": 1.0}


def test_settings_are_locked_while_training(qtbot, controls):
    session = controls.session
    controls.settings.update(epochs=100_000)
    qtbot.waitUntil(lambda: session.run_model.count == 1, timeout=TIMEOUT)
    session.play()
    qtbot.waitUntil(lambda: session.run_model.state == "running", timeout=TIMEOUT)
    assert not controls.network_group.isEnabled() and controls.running_label.isVisibleTo(controls)
    session.pause()
    assert controls.network_group.isEnabled()


def test_mnist_and_csv_ask_for_their_files(qtbot, controls, tmp_path):
    choose(controls.dataset_combo, "mnist")
    path_edit = controls.findChild(type(controls.hidden_edit), "path_edit")
    assert path_edit is not None and path_edit.text() == ""
    assert not controls.regenerate_button.isVisibleTo(controls)
    choose(controls.dataset_combo, "csv")
    table = tmp_path / "t.csv"
    table.write_text("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", encoding="utf-8")
    path_edit = controls.findChild(type(controls.hidden_edit), "path_edit")
    edit_line(qtbot, path_edit, str(table))
    assert controls.settings.settings.dataset["csv"] == str(table)
    target = controls.findChild(QComboBox, "target_combo")
    assert [target.itemData(i) for i in range(target.count())] == [None, "a", "b", "label"]
    choose(target, "b")
    assert controls.settings.settings.dataset["target"] == "b"


# -- data-set descriptions and parameter docs in the interface language -----------------------------------------


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_dataset_texts_cover_the_registry_and_read_as_the_engine_untranslated(qapp):
    from gdstudio.app import i18n
    from gdstudio.engine.datasets import DATASETS
    from gdstudio.views.dataset_texts import PARAM_DOCS, dataset_description, dataset_param_doc

    i18n.install_language("en")
    for name, info in DATASETS.items():
        assert dataset_description(name) == info.doc, name
        for p in info.params:
            assert p.doc in PARAM_DOCS, f"{name}.{p.name}: add its doc to dataset_texts.PARAM_DOCS"
            assert dataset_param_doc(p.doc) == p.doc
    assert PARAM_DOCS == {p.doc for info in DATASETS.values() for p in info.params}  # nothing stale either
    assert dataset_description("no such set") == ""
    assert dataset_param_doc("Some new doc.") == "Some new doc."


def test_the_form_tooltips_are_the_declared_docs_in_english(controls):
    from gdstudio.models.training_settings_model import SETTINGS_FIELDS

    docs = controls._field_docs()
    assert set(docs) == set(SETTINGS_FIELDS)
    for key, spec in SETTINGS_FIELDS.items():
        assert docs[key] == spec.doc, key
        assert controls.editor(key).toolTip().startswith(spec.doc)


def test_descriptions_and_tooltips_follow_the_language(qtbot, controls):
    from gdstudio.app import i18n
    from gdstudio.engine.datasets import DATASETS

    choose(controls.dataset_combo, "digits")
    english = DATASETS["digits"].doc
    assert controls.dataset_doc.text() == english
    try:
        assert i18n.install_language("zh_CN")
        qtbot.waitUntil(lambda: controls.dataset_doc.text() != english, timeout=TIMEOUT)
        assert _cjk(controls.dataset_doc.text()) and "1,797" in controls.dataset_doc.text()
        index = controls.dataset_combo.findData("digits")
        assert _cjk(controls.dataset_combo.itemData(index, Qt.ItemDataRole.ToolTipRole))
        for key in ("dataset.test_fraction", "dataset.seed", "epochs", "batch_size", "network.init.seed"):
            assert _cjk(controls.editor(key).toolTip()), key
        choose(controls.dataset_combo, "spiral")
        assert _cjk(controls.dataset_doc.text())
        assert _cjk(controls.editor("dataset.noise").toolTip())
        assert all(_cjk(check.toolTip()) for check in controls.feature_checks.values())
    finally:
        i18n.install_language("en")
    qtbot.waitUntil(lambda: controls.dataset_doc.text() == DATASETS["spiral"].doc, timeout=TIMEOUT)

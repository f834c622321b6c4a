"""The network lab's engine (pure NumPy): layers, losses, initialisation, the network, training as a generator
of snapshots, and loss-landscape slices. docs/nn-engine.md describes the API for the GUI and experiment files.
"""

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, make_activation
from .blas import BlasTuner, blas_threads, limit_blas_threads, set_blas_threads
from .gradcheck import numerical_gradient, relative_error
from .initializers import INIT_SCHEMES, InitSpec
from .landscape import LANDSCAPE_MODES, LandscapeSlice, loss_landscape
from .layers import Affine, BatchNorm, Dropout, Layer, NotTrainableError
from .losses import DEFAULT_LOSS, LOSSES, OUTPUTS, canonical_output_loss
from .network import DTYPES, Block, Network, NetworkSpec
from .training import (
    EVALUATION_SAMPLE_SIZE,
    STATUSES,
    ClassEvaluation,
    DecisionMap,
    LayerDetail,
    Trainer,
    TrainingConfig,
    TrainingSnapshot,
    decision_map,
    iter_training,
    run_training,
)

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_LOSS",
    "DTYPES",
    "EVALUATION_SAMPLE_SIZE",
    "HIDDEN_ACTIVATIONS",
    "INIT_SCHEMES",
    "LANDSCAPE_MODES",
    "LOSSES",
    "OUTPUTS",
    "STATUSES",
    "Affine",
    "BatchNorm",
    "BlasTuner",
    "Block",
    "ClassEvaluation",
    "DecisionMap",
    "Dropout",
    "InitSpec",
    "LandscapeSlice",
    "Layer",
    "LayerDetail",
    "Network",
    "NetworkSpec",
    "NotTrainableError",
    "Trainer",
    "TrainingConfig",
    "TrainingSnapshot",
    "blas_threads",
    "canonical_output_loss",
    "decision_map",
    "iter_training",
    "limit_blas_threads",
    "loss_landscape",
    "make_activation",
    "numerical_gradient",
    "relative_error",
    "run_training",
    "set_blas_threads",
]

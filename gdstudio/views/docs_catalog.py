"""Translations of the English one-liners the engine and experiment.py declare (FieldSpec/ParamSpec docs,
optimizer names, function descriptions), which the controls show as tooltips and labels.

Those declarations live in modules that never import Qt, so lupdate cannot find them there. This catalog
repeats each text literally inside ``QT_TRANSLATE_NOOP("Docs", …)`` so lupdate extracts it, next to its
Simplified Chinese translation (to be merged into resources/translations/gdstudio_zh_CN.ts). At run time
:func:`translate_doc` looks the text up in the installed translator. A test checks the catalog still covers
every declared doc, so a reworded doc cannot silently lose its translation.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = ["CONTEXT", "DOCS_ZH_CN", "translate_doc"]

CONTEXT = "Docs"

DOCS_ZH_CN: tuple[tuple[str, str], ...] = (
    # experiment.py FIELDS
    (QT_TRANSLATE_NOOP("Docs", "Version of the experiment file format."), "实验文件格式的版本。"),
    (QT_TRANSLATE_NOOP("Docs", "What the file describes."), "文件所描述的内容。"),
    (QT_TRANSLATE_NOOP("Docs", "A built-in function to minimise."), "要最小化的内置函数。"),
    (QT_TRANSLATE_NOOP("Docs", "A typed function of x0 (x) and optionally x1 (y), e.g. x**2 + 3*sin(y)."),
     "输入的函数，自变量为 x0（即 x），可选 x1（即 y），例如 x**2 + 3*sin(y)。"),
    (QT_TRANSLATE_NOOP("Docs", "Starting point, one coordinate per variable of the function."),
     "起点：函数的每个自变量各一个坐标。"),
    (QT_TRANSLATE_NOOP("Docs", "The update rule (PyTorch semantics and defaults)."),
     "更新规则（语义与默认值同 PyTorch）。"),
    (QT_TRANSLATE_NOOP(
        "Docs", "Learning rate η: how far each step moves against the gradient (default: the optimizer's own)."),
     "学习率 η：每一步逆着梯度方向移动多远（默认取该优化器自己的默认值）。"),
    (QT_TRANSLATE_NOOP("Docs", "analytic: exact derivative; central/forward: numerical differences with step h."),
     "analytic：精确导数；central/forward：步长为 h 的中心/前向数值差分。"),
    (QT_TRANSLATE_NOOP("Docs", "Step h of the numerical differences (ignored by the analytic gradient)."),
     "数值差分的步长 h（解析梯度不使用它）。"),
    (QT_TRANSLATE_NOOP("Docs", "Number of updates to perform."), "要执行的更新次数。"),
    (QT_TRANSLATE_NOOP("Docs", "Stop early (converged) once the gradient norm falls below this; null = never."),
     "梯度范数低于此值时提前停止（视为已收敛）；null 表示从不提前停止。"),
    # engine/optimizers.py ParamSpec docs
    (QT_TRANSLATE_NOOP("Docs", "learning rate η: how far each step moves"), "学习率 η：每一步移动多远"),
    (QT_TRANSLATE_NOOP("Docs", "momentum μ: fraction of the previous step kept"), "动量 μ：保留上一步的比例"),
    (QT_TRANSLATE_NOOP("Docs", "dampening τ: shrinks the new gradient's share"), "阻尼 τ：减小新梯度所占的份额"),
    (QT_TRANSLATE_NOOP("Docs", "weight decay λ: adds λ·x to the gradient (L2 penalty)"),
     "权重衰减 λ：在梯度上加上 λ·x（L2 惩罚）"),
    (QT_TRANSLATE_NOOP("Docs", "Nesterov: look ahead along the momentum before stepping"),
     "Nesterov：先沿动量方向向前看，再迈出这一步"),
    (QT_TRANSLATE_NOOP("Docs", "learning-rate decay: η/(1 + (t−1)·decay)"), "学习率衰减：η/(1 + (t−1)·decay)"),
    (QT_TRANSLATE_NOOP("Docs", "starting value of the sum of g²"), "g² 累加和的初始值"),
    (QT_TRANSLATE_NOOP("Docs", "ε: keeps the denominator away from zero"), "ε：防止分母为零"),
    (QT_TRANSLATE_NOOP("Docs", "smoothing α of the running average of g²"), "g² 滑动平均的平滑系数 α"),
    (QT_TRANSLATE_NOOP("Docs", "centered: subtract the squared mean gradient (a variance)"),
     "centered：减去平均梯度的平方（即改用方差）"),
    (QT_TRANSLATE_NOOP("Docs", "(β₁, β₂): decay of the running averages of g and g²"),
     "(β₁, β₂)：g 与 g² 滑动平均的衰减率"),
    (QT_TRANSLATE_NOOP("Docs", "AMSGrad: divide by the largest v seen so far"), "AMSGrad：除以迄今为止最大的 v"),
    # optimizer display names
    (QT_TRANSLATE_NOOP("Docs", "Gradient descent (SGD)"), "梯度下降（SGD）"),
    (QT_TRANSLATE_NOOP("Docs", "SGD with momentum"), "带动量的 SGD（Momentum）"),
    (QT_TRANSLATE_NOOP("Docs", "SGD with Nesterov momentum"), "带 Nesterov 动量的 SGD"),
    (QT_TRANSLATE_NOOP("Docs", "Adagrad"), "AdaGrad"),
    (QT_TRANSLATE_NOOP("Docs", "RMSprop"), "RMSprop"),
    (QT_TRANSLATE_NOOP("Docs", "Adam"), "Adam"),
    (QT_TRANSLATE_NOOP("Docs", "AdamW"), "AdamW"),
    # engine/functions.py descriptions
    (QT_TRANSLATE_NOOP("Docs", "Round bowl: the gradient points straight at the minimum."),
     "圆形的碗：梯度方向正对着最小值。"),
    (QT_TRANSLATE_NOOP("Docs", "A parabola; f'(x) = 6x + 2 vanishes at x = −1/3."),
     "一条抛物线；f'(x) = 6x + 2 在 x = −1/3 处为零。"),
    (QT_TRANSLATE_NOOP("Docs", "The book's numerical-differentiation example; minimum at x = −5."),
     "书中数值微分的例子；最小值在 x = −5。"),
    (QT_TRANSLATE_NOOP("Docs", "Stretched bowl from the book's optimizer comparison: steep in y, shallow in x."),
     "书中比较优化器时用的拉长的碗：y 方向陡峭，x 方向平缓。"),
    (QT_TRANSLATE_NOOP("Docs", "Curved narrow valley: easy to reach, slow to follow to the minimum at (1, 1)."),
     "弯曲的狭窄山谷：很容易落入谷底，沿谷底走到最小值 (1, 1) 却很慢。"),
    (QT_TRANSLATE_NOOP("Docs", "Four equally deep minima; the start decides which one you reach."),
     "四个同样深的最小值；起点决定最终到达哪一个。"),
    (QT_TRANSLATE_NOOP("Docs", "Flat valleys and steep walls; the minimum (3, 0.5) sits in a long flat trough."),
     "平坦的谷底与陡峭的谷壁；最小值 (3, 0.5) 位于一条狭长平坦的沟槽中。"),
    (QT_TRANSLATE_NOOP("Docs", "A saddle point at the origin: downhill along y forever, so there is no minimum."),
     "原点是鞍点：沿 y 方向一路下坡，因此没有最小值。"),
    (QT_TRANSLATE_NOOP(
        "Docs", "A bowl with four wells of different depths: gradient descent stops in the nearest one."),
     "带有四个深浅不同的凹坑的碗：梯度下降停在最近的那个凹坑里。"),
    (QT_TRANSLATE_NOOP("Docs", "A wide plateau where the gradient almost vanishes, around one narrow dip."),
     "一个狭窄凹陷周围的宽阔平台，平台上的梯度几乎为零。"),
    (QT_TRANSLATE_NOOP("Docs", "An egg-crate of local minima around the global one at the origin."),
     "全局最小值（原点）周围布满了蛋托状的局部最小值。"),
)


def translate_doc(text: str) -> str:
    """The installed translation of a declared English doc (the text itself when none is installed)."""
    return QCoreApplication.translate(CONTEXT, text) if text else text

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>About gdstudio</source>
        <translation>关于 gdstudio</translation>
    </message>
    <message>
        <source>Gradient Descent Studio: watch gradient descent take its steps, one at a time.</source>
        <translation>Gradient Descent Studio：一步一步地观察梯度下降的每一步。</translation>
    </message>
    <message>
        <source>The lessons follow a set of Chinese study notes on the gradient, numerical differentiation, gradient descent and backpropagation, including the optimizer comparison (SGD, Momentum, AdaGrad, Adam) on x²/20 + y² from the book &lt;i&gt;Deep Learning from Scratch&lt;/i&gt; (Koki Saitoh). Facts and numbers come from those notes; the text and code of gdstudio are its own.</source>
        <translation>课程内容依据一套中文学习笔记，涵盖梯度、数值微分、梯度下降与误差反向传播，其中包括《&lt;i&gt;深度学习入门：基于Python的理论与实现&lt;/i&gt;》（斋藤康毅 著）在 x²/20 + y² 上对优化器（SGD、Momentum、AdaGrad、Adam）的比较。事实与数据取自这些笔记；gdstudio 的文字与代码均为原创。</translation>
    </message>
    <message>
        <source>The built-in handwritten digits are the test set of the UCI &quot;Optical Recognition of Handwritten Digits&quot; data (E. Alpaydin, C. Kaynak, Boğaziçi University, 1998), licensed CC BY 4.0, as distributed with scikit-learn (BSD-3-Clause).</source>
        <translation>内置的手写数字数据取自 UCI“光学识别手写数字”数据集的测试集（E. Alpaydin、C. Kaynak，海峡大学，1998），采用 CC BY 4.0 许可，随 scikit-learn（BSD-3-Clause）发布。</translation>
    </message>
</context>
<context>
    <name>BasinPanel</name>
    <message>
        <source>%1 × %1 starts</source>
        <translation>%1 × %1 个起点</translation>
    </message>
    <message>
        <source>How many start points per axis; the optimizer, learning rate and steps are the current experiment&apos;s.</source>
        <translation>每个坐标轴方向上取多少个起点；优化器、学习率和步数沿用当前实验的设置。</translation>
    </message>
    <message>
        <source>Compute basins</source>
        <translation>计算吸引域</translation>
    </message>
    <message>
        <source>Run the current optimizer from every start point of the grid.</source>
        <translation>从网格中的每个起点出发运行当前优化器。</translation>
    </message>
    <message>
        <source>Computing the basin map…</source>
        <translation>正在计算吸引域图…</translation>
    </message>
    <message>
        <source>Choose a resolution and press “Compute basins” to see which minimum each start point leads to.</source>
        <translation>选择分辨率后点击“计算吸引域”，即可看到每个起点最终落入哪个极小值。</translation>
    </message>
    <message>
        <source>minimum %1</source>
        <translation>极小值 %1</translation>
    </message>
    <message>
        <source>%1 more minima</source>
        <translation>另有 %1 个极小值</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>发散</translation>
    </message>
    <message>
        <source>reached no minimum</source>
        <translation>未到达极小值</translation>
    </message>
    <message>
        <source>Minima found from where the runs ended.</source>
        <translation>极小值由各次运行的终点求得。</translation>
    </message>
</context>
<context>
    <name>ContourPanel</name>
    <message>
        <source>f(x)</source>
        <translation>f(x)</translation>
    </message>
    <message>
        <source>f (log colour scale)</source>
        <translation>f（对数色标）</translation>
    </message>
    <message>
        <source>f</source>
        <translation>f</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>Function</source>
        <translation>函数</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Pause the run to change its settings.</source>
        <translation>请先暂停运行，再修改设置。</translation>
    </message>
    <message>
        <source>f =</source>
        <translation>f =</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>Learning rate η</source>
        <translation>学习率 η</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Step h</source>
        <translation>差分步长 h</translation>
    </message>
    <message>
        <source>Stop when |∇f| &lt;</source>
        <translation>停止阈值 |∇f| &lt;</translation>
    </message>
    <message>
        <source>Custom expression…</source>
        <translation>自定义表达式…</translation>
    </message>
    <message>
        <source>Allowed: %1</source>
        <translation>允许范围：%1</translation>
    </message>
</context>
<context>
    <name>DatasetTexts</name>
    <message>
        <source>The 4-point truth table of AND; one perceptron separates it.</source>
        <translation>AND 的 4 点真值表；一个感知机就能把它分开。</translation>
    </message>
    <message>
        <source>The 4-point truth table of OR; one perceptron separates it.</source>
        <translation>OR 的 4 点真值表；一个感知机就能把它分开。</translation>
    </message>
    <message>
        <source>The 4-point truth table of NAND; one perceptron separates it.</source>
        <translation>NAND 的 4 点真值表；一个感知机就能把它分开。</translation>
    </message>
    <message>
        <source>The 4-point truth table of XOR; not linearly separable, it needs a hidden layer.</source>
        <translation>XOR 的 4 点真值表；它不是线性可分的，需要一个隐藏层。</translation>
    </message>
    <message>
        <source>Points on a line with optional Gaussian noise; the model y = w·x + b has an exact (w, b) loss surface.</source>
        <translation>直线上的点，可加高斯噪声；模型 y = w·x + b 有精确的 (w, b) 损失曲面。</translation>
    </message>
    <message>
        <source>x = 0, .25, .5, .74, 1 and y = 0, .36, .54, .82, 1: the TensorFlow linear-regression example.</source>
        <translation>x = 0, .25, .5, .74, 1，y = 0, .36, .54, .82, 1：TensorFlow 的线性回归示例。</translation>
    </message>
    <message>
        <source>Points on a plane over [0, 1)² with optional Gaussian noise.</source>
        <translation>[0, 1)² 上平面内的点，可加高斯噪声。</translation>
    </message>
    <message>
        <source>A disc of class 1 inside a ring of class 0.</source>
        <translation>类别 1 的圆盘位于类别 0 的圆环之内。</translation>
    </message>
    <message>
        <source>Class 1 where x1·x2 &gt; 0: XOR as a cloud of points (the 4-point gate is &apos;xor&apos;).</source>
        <translation>x1·x2 &gt; 0 处为类别 1：以点云形式出现的 XOR（4 点逻辑门是 &apos;xor&apos;）。</translation>
    </message>
    <message>
        <source>Two Gaussian clouds around (2, 2) and (−2, −2).</source>
        <translation>分别以 (2, 2) 和 (−2, −2) 为中心的两团高斯点云。</translation>
    </message>
    <message>
        <source>Two interleaved spirals; needs a deeper net or the sin features.</source>
        <translation>两条交错的螺旋；需要更深的网络或 sin 特征。</translation>
    </message>
    <message>
        <source>Two interleaving half circles.</source>
        <translation>两个相互交错的半圆。</translation>
    </message>
    <message>
        <source>1,797 real 8×8 handwritten digits that ship with the app (UCI optdigits, CC BY 4.0).</source>
        <translation>随应用附带的 1,797 个真实的 8×8 手写数字（UCI optdigits，CC BY 4.0）。</translation>
    </message>
    <message>
        <source>70,000 handwritten digits 28×28 from the four standard IDX files in a folder.</source>
        <translation>70,000 个 28×28 的手写数字，读自某个文件夹中的四个标准 IDX 文件。</translation>
    </message>
    <message>
        <source>A table with a header row: numeric feature columns and a target column (whole numbers or text: classification; other numbers: regression).</source>
        <translation>带表头行的表格：若干数值特征列和一个目标列（整数或文本：分类；其他数值：回归）。</translation>
    </message>
    <message>
        <source>Float type of the inputs: float64 (exact) or float32 (fast).</source>
        <translation>输入的浮点类型：float64（精确）或 float32（快速）。</translation>
    </message>
    <message>
        <source>Number of points.</source>
        <translation>点的数量。</translation>
    </message>
    <message>
        <source>Standard deviation σ of Gaussian noise added to y.</source>
        <translation>加到 y 上的高斯噪声的标准差 σ。</translation>
    </message>
    <message>
        <source>Share of the samples held out for testing (0: test on the training data).</source>
        <translation>留作测试的样本比例（0：在训练数据上测试）。</translation>
    </message>
    <message>
        <source>Random seed: the same seed gives the same data.</source>
        <translation>随机种子：相同的种子生成相同的数据。</translation>
    </message>
    <message>
        <source>Slope of the true line.</source>
        <translation>真实直线的斜率。</translation>
    </message>
    <message>
        <source>Intercept of the true line.</source>
        <translation>真实直线的截距。</translation>
    </message>
    <message>
        <source>Coefficient of x1.</source>
        <translation>x1 的系数。</translation>
    </message>
    <message>
        <source>Coefficient of x2.</source>
        <translation>x2 的系数。</translation>
    </message>
    <message>
        <source>0 … 0.5: labels are read at a point moved by up to ±5·noise, so the classes overlap near the border.</source>
        <translation>0 … 0.5：标签取自最多偏移 ±5·噪声 的位置，因此两类在边界附近相互重叠。</translation>
    </message>
    <message>
        <source>0 … 0.5: labels are read at a point moved by up to ±5·noise, so the classes overlap near the axes.</source>
        <translation>0 … 0.5：标签取自最多偏移 ±5·噪声 的位置，因此两类在坐标轴附近相互重叠。</translation>
    </message>
    <message>
        <source>0 … 0.5: the clouds&apos; variance grows from 0.5 (noise 0) to 4 (noise 0.5).</source>
        <translation>0 … 0.5：点云的方差从 0.5（噪声 0）增大到 4（噪声 0.5）。</translation>
    </message>
    <message>
        <source>0 … 0.5: each point moves by up to ±noise in x1 and x2.</source>
        <translation>0 … 0.5：每个点在 x1 和 x2 方向上最多移动 ±噪声。</translation>
    </message>
    <message>
        <source>0 … 0.5: each point moves by Gaussian noise of σ = noise (before the ×3 stretch).</source>
        <translation>0 … 0.5：每个点按 σ = 噪声 的高斯噪声移动（在 ×3 拉伸之前）。</translation>
    </message>
    <message>
        <source>Inputs computed from each point (x1, x2), as in TF Playground.</source>
        <translation>由每个点 (x1, x2) 计算出的输入，与 TF Playground 相同。</translation>
    </message>
    <message>
        <source>Folder holding the four MNIST files (.gz or not).</source>
        <translation>存放四个 MNIST 文件（.gz 压缩与否均可）的文件夹。</translation>
    </message>
    <message>
        <source>Use the first N training images (null: all).</source>
        <translation>只使用前 N 张训练图像（null：全部）。</translation>
    </message>
    <message>
        <source>Use the first N test images (null: all).</source>
        <translation>只使用前 N 张测试图像（null：全部）。</translation>
    </message>
    <message>
        <source>Scale pixels from 0..255 to [0, 1].</source>
        <translation>把像素值从 0..255 缩放到 [0, 1]。</translation>
    </message>
    <message>
        <source>The CSV file.</source>
        <translation>CSV 文件。</translation>
    </message>
    <message>
        <source>Name of the target column (null: the last column).</source>
        <translation>目标列的名称（null：最后一列）。</translation>
    </message>
    <message>
        <source>Feature columns (null: all but the target).</source>
        <translation>特征列（null：除目标列外的所有列）。</translation>
    </message>
    <message>
        <source>auto: decided by the target&apos;s values.</source>
        <translation>auto：由目标列的取值决定。</translation>
    </message>
    <message>
        <source>Scale each feature to mean 0 and standard deviation 1 (training statistics).</source>
        <translation>把每个特征缩放为均值 0、标准差 1（按训练集统计）。</translation>
    </message>
</context>
<context>
    <name>DecisionPanel</name>
    <message>
        <source>Neurons of</source>
        <translation>神经元：</translation>
    </message>
    <message>
        <source>Each small map is one neuron&apos;s activation over the input plane (blue positive, orange negative, white zero).</source>
        <translation>每个小图显示一个神经元在输入平面上的激活值（蓝色为正，橙色为负，白色为零）。</translation>
    </message>
    <message>
        <source>No run yet: choose a data set and press Play or Step. The network&apos;s output appears here as a map behind the points.</source>
        <translation>尚未运行：请选择数据集，然后点击“播放”或“单步”。网络的输出会以背景图的形式显示在数据点后方。</translation>
    </message>
    <message>
        <source>The decision boundary needs a data set with two input features (x₁, x₂) — circle, xor, gaussians, spiral, moons or a logic gate — or with a single input, where the fitted curve is shown. This data set has %1 inputs: see the loss and accuracy curves, or the digits view for images.</source>
        <translation>决策边界需要具有两个输入特征 (x₁, x₂) 的数据集（圆形、异或、两团高斯分布、螺旋、双月形或逻辑门），或只有一个输入的数据集（此时显示拟合曲线）。当前数据集有 %1 个输入：请查看损失曲线和准确率曲线；图像数据请查看手写数字视图。</translation>
    </message>
    <message>
        <source>P(class 1)</source>
        <translation>P(类别 1)</translation>
    </message>
    <message>
        <source>P(class)</source>
        <translation>P(类别)</translation>
    </message>
    <message>
        <source>training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>test data</source>
        <translation>测试数据</translation>
    </message>
    <message>
        <source>Layer %1 (%2, %3 neurons)</source>
        <translation>第 %1 层（%2，%3 个神经元）</translation>
    </message>
    <message>
        <source>No output map yet: the training thread computes it at the start, at epoch ends and at the end of the run (and not at all when the map resolution is off).</source>
        <translation>尚无输出图：训练线程会在开始时、每轮结束时以及运行结束时计算它（若关闭了图的分辨率，则完全不计算）。</translation>
    </message>
    <message>
        <source>The line is the network&apos;s output for every x; the dots are the data.</source>
        <translation>曲线是网络对每个 x 的输出；圆点是数据。</translation>
    </message>
    <message>
        <source>Blue: class 1, orange: class 0, white: undecided; the line is p = 0.5. Filled dots: training data, rings: test data.</source>
        <translation>蓝色：类别 1，橙色：类别 0，白色：未定；分界线为 p = 0.5。实心点：训练数据，圆环：测试数据。</translation>
    </message>
    <message>
        <source>Colour: the predicted class, pale where the network is unsure. Filled dots: training data, rings: test data.</source>
        <translation>颜色：预测的类别，网络越不确定颜色越浅。实心点：训练数据，圆环：测试数据。</translation>
    </message>
    <message>
        <source>Colour: the network&apos;s output y, on the same scale as the dots&apos; targets.</source>
        <translation>颜色：网络的输出 y，与数据点的目标值使用相同的色标。</translation>
    </message>
    <message>
        <source>The neurons&apos; maps appear with the output map.</source>
        <translation>神经元的图会与输出图一同显示。</translation>
    </message>
    <message>
        <source>Blue: above ½, orange: below ½ (sigmoid).</source>
        <translation>蓝色：大于 ½，橙色：小于 ½（sigmoid）。</translation>
    </message>
    <message>
        <source>Blue: positive, orange: negative (scale ±%1).</source>
        <translation>蓝色：正，橙色：负（色标 ±%1）。</translation>
    </message>
    <message>
        <source>Showing the first %1 of %2 neurons.</source>
        <translation>仅显示 %2 个神经元中的前 %1 个。</translation>
    </message>
</context>
<context>
    <name>DigitsPanel</name>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>accuracy per class</source>
        <translation>各类别准确率</translation>
    </message>
    <message>
        <source>The same test images all run: above each, the network&apos;s answer and (in brackets) the true digit, then its confidence. Red: wrong.</source>
        <translation>整个运行过程中始终显示同一批测试图像：每张图像上方是网络的回答和（括号内的）真实数字，然后是置信度。红色：答错。</translation>
    </message>
    <message>
        <source>No run yet. Choose the built-in digits (or MNIST) and press Play: sample images with the network&apos;s answers and a confusion matrix appear here.</source>
        <translation>尚未运行。请选择内置手写数字（或 MNIST），然后点击“播放”：这里会显示带有网络回答的样本图像和混淆矩阵。</translation>
    </message>
    <message>
        <source>This view needs image data: choose the built-in digits or MNIST. The current data set (%1) is not made of images.</source>
        <translation>此视图需要图像数据：请选择内置手写数字或 MNIST。当前数据集（%1）不是图像数据。</translation>
    </message>
    <message>
        <source>No predictions yet: they are computed at the start, at epoch ends and at the end of the run.</source>
        <translation>尚无预测结果：预测会在开始时、每轮结束时以及运行结束时计算。</translation>
    </message>
    <message>
        <source>test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>training set</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1: %2 of %3 right (%4)&lt;/b&gt; · %5 of the %6 samples below are wrong</source>
        <translation>&lt;b&gt;%1：%3 个中答对 %2 个（%4）&lt;/b&gt; · 下方 %6 个样本中有 %5 个答错</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No sample images yet.</source>
        <translation>尚无样本图像。</translation>
    </message>
    <message>
        <source>Confusion matrix (%1, %2 images)</source>
        <translation>混淆矩阵（%1，%2 张图像）</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>%1, %2 images</source>
        <translation>%1，%2 张图像</translation>
    </message>
</context>
<context>
    <name>Docs</name>
    <message>
        <source>Version of the experiment file format.</source>
        <translation>实验文件格式的版本。</translation>
    </message>
    <message>
        <source>What the file describes.</source>
        <translation>文件所描述的内容。</translation>
    </message>
    <message>
        <source>A built-in function to minimise.</source>
        <translation>要最小化的内置函数。</translation>
    </message>
    <message>
        <source>A typed function of x0 (x) and optionally x1 (y), e.g. x**2 + 3*sin(y).</source>
        <translation>手动输入的函数，自变量为 x0（即 x），可选 x1（即 y），例如 x**2 + 3*sin(y)。</translation>
    </message>
    <message>
        <source>Starting point, one coordinate per variable of the function.</source>
        <translation>起点：函数的每个自变量各对应一个坐标。</translation>
    </message>
    <message>
        <source>The update rule (PyTorch semantics and defaults).</source>
        <translation>更新规则（语义与默认值同 PyTorch）。</translation>
    </message>
    <message>
        <source>Learning rate η: how far each step moves against the gradient (default: the optimizer&apos;s own).</source>
        <translation>学习率 η：每一步沿梯度反方向移动多远（默认取该优化器自身的默认值）。</translation>
    </message>
    <message>
        <source>analytic: exact derivative; central/forward: numerical differences with step h.</source>
        <translation>analytic：解析梯度（精确导数）；central/forward：以 h 为步长的中心差分/前向差分（数值梯度）。</translation>
    </message>
    <message>
        <source>Step h of the numerical differences (ignored by the analytic gradient).</source>
        <translation>数值差分的步长 h（解析梯度不使用）。</translation>
    </message>
    <message>
        <source>Number of updates to perform.</source>
        <translation>要执行的更新次数。</translation>
    </message>
    <message>
        <source>Stop early (converged) once the gradient norm falls below this; null = never.</source>
        <translation>梯度范数低于此值时提前停止（视为已收敛）；null 表示从不提前停止。</translation>
    </message>
    <message>
        <source>learning rate η: how far each step moves</source>
        <translation>学习率 η：每一步移动多远</translation>
    </message>
    <message>
        <source>momentum μ: fraction of the previous step kept</source>
        <translation>动量 μ：保留上一步的比例</translation>
    </message>
    <message>
        <source>dampening τ: shrinks the new gradient&apos;s share</source>
        <translation>阻尼 τ：减小新梯度所占的份额</translation>
    </message>
    <message>
        <source>weight decay λ: adds λ·x to the gradient (L2 penalty)</source>
        <translation>权重衰减 λ：在梯度上加上 λ·x（L2 正则化）</translation>
    </message>
    <message>
        <source>Nesterov: look ahead along the momentum before stepping</source>
        <translation>Nesterov：先沿动量方向向前看一步，再更新</translation>
    </message>
    <message>
        <source>learning-rate decay: η/(1 + (t−1)·decay)</source>
        <translation>学习率衰减：η/(1 + (t−1)·decay)</translation>
    </message>
    <message>
        <source>starting value of the sum of g²</source>
        <translation>g² 累加和的初始值</translation>
    </message>
    <message>
        <source>ε: keeps the denominator away from zero</source>
        <translation>ε：防止分母为零</translation>
    </message>
    <message>
        <source>smoothing α of the running average of g²</source>
        <translation>g² 滑动平均的平滑系数 α</translation>
    </message>
    <message>
        <source>centered: subtract the squared mean gradient (a variance)</source>
        <translation>centered：减去梯度均值的平方（即改用方差）</translation>
    </message>
    <message>
        <source>(β₁, β₂): decay of the running averages of g and g²</source>
        <translation>(β₁, β₂)：g 与 g² 滑动平均的衰减率</translation>
    </message>
    <message>
        <source>AMSGrad: divide by the largest v seen so far</source>
        <translation>AMSGrad：除以迄今为止最大的 v</translation>
    </message>
    <message>
        <source>Gradient descent (SGD)</source>
        <translation>梯度下降（SGD）</translation>
    </message>
    <message>
        <source>SGD with momentum</source>
        <translation>带动量的 SGD（Momentum）</translation>
    </message>
    <message>
        <source>SGD with Nesterov momentum</source>
        <translation>带 Nesterov 动量的 SGD</translation>
    </message>
    <message>
        <source>Adagrad</source>
        <translation>AdaGrad</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>AdamW</source>
        <translation>AdamW</translation>
    </message>
    <message>
        <source>Round bowl: the gradient points straight at the minimum.</source>
        <translation>圆形的碗：负梯度方向正对着最小值。</translation>
    </message>
    <message>
        <source>A parabola; f&apos;(x) = 6x + 2 vanishes at x = −1/3.</source>
        <translation>一条抛物线；f&apos;(x) = 6x + 2 在 x = −1/3 处为零。</translation>
    </message>
    <message>
        <source>The book&apos;s numerical-differentiation example; minimum at x = −5.</source>
        <translation>书中数值微分的例子；最小值在 x = −5 处。</translation>
    </message>
    <message>
        <source>Stretched bowl from the book&apos;s optimizer comparison: steep in y, shallow in x.</source>
        <translation>书中比较优化器时使用的拉长的碗：y 方向陡峭，x 方向平缓。</translation>
    </message>
    <message>
        <source>Curved narrow valley: easy to reach, slow to follow to the minimum at (1, 1).</source>
        <translation>弯曲的狭长山谷：很快就能落入谷底，但沿谷底走到最小值 (1, 1) 却很慢。</translation>
    </message>
    <message>
        <source>Four equally deep minima; the start decides which one you reach.</source>
        <translation>四个同样深的极小值；起点决定最终到达哪一个。</translation>
    </message>
    <message>
        <source>Flat valleys and steep walls; the minimum (3, 0.5) sits in a long flat trough.</source>
        <translation>平坦的谷底与陡峭的谷壁；最小值 (3, 0.5) 位于一条狭长平坦的沟槽中。</translation>
    </message>
    <message>
        <source>A saddle point at the origin: downhill along y forever, so there is no minimum.</source>
        <translation>原点是鞍点：沿 y 方向一路下坡，因此不存在最小值。</translation>
    </message>
    <message>
        <source>A bowl with four wells of different depths: gradient descent stops in the nearest one.</source>
        <translation>带有四个深浅不一的凹坑的碗：梯度下降会停在最近的那个凹坑里（局部极小值）。</translation>
    </message>
    <message>
        <source>A wide plateau where the gradient almost vanishes, around one narrow dip.</source>
        <translation>一个狭窄凹陷周围的宽阔平台，平台上的梯度几乎为零。</translation>
    </message>
    <message>
        <source>An egg-crate of local minima around the global one at the origin.</source>
        <translation>位于原点的全局最小值周围布满了蛋托状的局部极小值。</translation>
    </message>
</context>
<context>
    <name>ExperimentModel</name>
    <message>
        <source>Change %1</source>
        <translation>修改 %1</translation>
    </message>
    <message>
        <source>Load experiment</source>
        <translation>载入实验</translation>
    </message>
</context>
<context>
    <name>GradientPanel</name>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Logarithmic ‖∇‖ axis: a layer whose gradient is a thousand times smaller than the others&apos; still shows as a curve, not as a line on zero.</source>
        <translation>‖∇‖ 轴使用对数坐标：即使某一层的梯度比其他层小一千倍，也仍显示为一条曲线，而不是贴在零上的直线。</translation>
    </message>
    <message>
        <source>Histograms of</source>
        <translation>直方图：</translation>
    </message>
    <message>
        <source>Gradient norm ‖∂L/∂(W, b)‖ per layer</source>
        <translation>各层的梯度范数 ‖∂L/∂(W, b)‖</translation>
    </message>
    <message>
        <source>‖∇‖</source>
        <translation>‖∇‖</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>1 unit</source>
        <translation>1 个神经元</translation>
    </message>
    <message>
        <source>%1 units</source>
        <translation>%1 个神经元</translation>
    </message>
    <message>
        <source>%1 (output, %2, %3)</source>
        <translation>%1（输出层，%2，%3）</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1（%2，%3）</translation>
    </message>
    <message>
        <source>No run yet: press Play or Step.</source>
        <translation>尚未运行：请点击“播放”或“单步”。</translation>
    </message>
    <message>
        <source>No gradients yet: the first step computes them.</source>
        <translation>尚无梯度：第一步会计算梯度。</translation>
    </message>
    <message>
        <source>A layer&apos;s gradient is exactly 0 (it gets no learning signal), so the axis stays linear.</source>
        <translation>某一层的梯度恰好为 0（得不到任何学习信号），因此坐标轴保持线性。</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Weights W%1</source>
        <translation>权重 W%1</translation>
    </message>
    <message>
        <source>Gradients ∂L/∂W%1</source>
        <translation>梯度 ∂L/∂W%1</translation>
    </message>
    <message>
        <source>Outputs y (%1)</source>
        <translation>输出 y（%1）</translation>
    </message>
    <message>
        <source>Activations h%1 (%2)</source>
        <translation>激活值 h%1（%2）</translation>
    </message>
    <message>
        <source>at step %1</source>
        <translation>在第 %1 步</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>尚无数据</translation>
    </message>
    <message>
        <source>Sampled before
the first step:
no gradients yet</source>
        <translation>采样于
第一步之前：
尚无梯度</translation>
    </message>
    <message>
        <source>(%1 not finite)</source>
        <translation>（%1 个非有限值）</translation>
    </message>
    <message>
        <source>all exactly 0</source>
        <translation>全部恰好为 0</translation>
    </message>
    <message>
        <source>%1 uses %2: only ReLU-like units can die (stay at ≤ 0 for every input).</source>
        <translation>%1 使用 %2：只有 ReLU 类的神经元才会死亡（对所有输入都停留在 ≤ 0）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Dead units: %1 of %2 (%3)&lt;/b&gt;</source>
        <translation>&lt;b&gt;死亡神经元：%1 / %2（%3）&lt;/b&gt;</translation>
    </message>
    <message>
        <source>exact zeros: %1 of activations</source>
        <translation>恰好为零：占激活值的 %1</translation>
    </message>
    <message>
        <source>A dead unit&apos;s input is ≤ 0 for every probe sample, so ReLU passes it no gradient and it stops learning.</source>
        <translation>死亡神经元对每个探测样本的输入都 ≤ 0，因此 ReLU 不向它传递梯度，它便停止学习。</translation>
    </message>
</context>
<context>
    <name>LandscapePanel</name>
    <message>
        <source>Loss along the two directions the weights moved most (principal components of the path)</source>
        <translation>沿权重移动最多的两个方向的损失（路径的主成分）</translation>
    </message>
    <message>
        <source>Loss as two chosen weights vary, all others held at their current values</source>
        <translation>两个选定权重变化时的损失，其余权重固定为当前值</translation>
    </message>
    <message>
        <source>Loss along two random filter-normalised directions through the current weights</source>
        <translation>沿两个随机的滤波器归一化方向、穿过当前权重的损失</translation>
    </message>
    <message>
        <source>The whole loss surface L(w, b) of the two-parameter model</source>
        <translation>双参数模型的完整损失曲面 L(w, b)</translation>
    </message>
    <message>
        <source>The trajectory is a straight line so far; the second axis is a random direction.</source>
        <translation>到目前为止轨迹是一条直线；第二个坐标轴取随机方向。</translation>
    </message>
    <message>
        <source>The trajectory is too short for PCA yet; showing two random filter-normalised directions.</source>
        <translation>轨迹还太短，无法进行 PCA；暂时显示两个随机的滤波器归一化方向。</translation>
    </message>
    <message>
        <source>The weights when this slice was computed</source>
        <translation>计算此切片时的权重</translation>
    </message>
    <message>
        <source>No run yet. When a run starts, a slice of the loss landscape through the current weights appears here with the path the weights took.</source>
        <translation>尚未运行。运行开始后，这里会显示穿过当前权重的损失地形切片，以及权重所走过的路径。</translation>
    </message>
    <message>
        <source>No landscape slice yet. Slices are computed on the training thread at the start and every few epochs; switch them on in the settings if this stays empty.</source>
        <translation>尚无损失地形切片。切片在训练线程中于开始时及每隔几轮计算一次；如果这里一直为空，请在设置中启用。</translation>
    </message>
    <message>
        <source>loss (log colour scale)</source>
        <translation>损失（对数色标）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>%1 (%2 of the path&apos;s spread)</source>
        <translation>%1（占路径方差的 %2）</translation>
    </message>
    <message>
        <source>Slice of step %1: white dot = the weights then, ring = the start.</source>
        <translation>第 %1 步的切片：白点 = 当时的权重，圆环 = 起点。</translation>
    </message>
    <message>
        <source>Cyan dot: the weights now.</source>
        <translation>青色点：当前的权重。</translation>
    </message>
</context>
<context>
    <name>LossPanel</name>
    <message>
        <source>f</source>
        <translation>f</translation>
    </message>
    <message>
        <source>|∇f|</source>
        <translation>|∇f|</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>f takes values ≤ 0, so its axis stays linear.</source>
        <translation>f 出现了 ≤ 0 的值，因此其坐标轴保持线性。</translation>
    </message>
    <message>
        <source>|∇f| reaches 0, so its axis stays linear.</source>
        <translation>|∇f| 达到了 0，因此其坐标轴保持线性。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Controls</source>
        <translation>控制面板</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失曲线</translation>
    </message>
    <message>
        <source>Update rule</source>
        <translation>更新规则</translation>
    </message>
    <message>
        <source>Basin map</source>
        <translation>吸引域图</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>MNIST is ready in %1</source>
        <translation>MNIST 已就绪：%1</translation>
    </message>
    <message>
        <source>Could not open “%1”:
%2</source>
        <translation>无法打开“%1”：
%2</translation>
    </message>
    <message>
        <source>Open Experiment</source>
        <translation>打开实验</translation>
    </message>
    <message>
        <source>gdstudio experiment (*.json)</source>
        <translation>gdstudio 实验文件 (*.json)</translation>
    </message>
    <message>
        <source>Cannot open the experiment</source>
        <translation>无法打开实验</translation>
    </message>
    <message>
        <source>Could not save “%1”:
%2</source>
        <translation>无法保存“%1”：
%2</translation>
    </message>
    <message>
        <source>Cannot save the experiment</source>
        <translation>无法保存实验</translation>
    </message>
    <message>
        <source>Save Experiment As</source>
        <translation>实验另存为</translation>
    </message>
    <message>
        <source>Could not load the preset “%1”:
%2</source>
        <translation>无法载入预设“%1”：
%2</translation>
    </message>
    <message>
        <source>Cannot load the preset</source>
        <translation>无法载入预设</translation>
    </message>
    <message>
        <source>Could not export the figure to “%1”:
%2</source>
        <translation>无法将图像导出到“%1”：
%2</translation>
    </message>
    <message>
        <source>Could not export the figure to “%1”.</source>
        <translation>无法将图像导出到“%1”。</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export Figure</source>
        <translation>导出图像</translation>
    </message>
    <message>
        <source>Cannot export the figure</source>
        <translation>无法导出图像</translation>
    </message>
    <message>
        <source>Could not write “%1”:
%2</source>
        <translation>无法写入“%1”：
%2</translation>
    </message>
    <message>
        <source>Export Trajectory</source>
        <translation>导出轨迹</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot export the trajectory</source>
        <translation>无法导出轨迹</translation>
    </message>
</context>
<context>
    <name>MenuActions</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>清除最近打开的文件</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>Download &amp;MNIST…</source>
        <translation>下载 MNIST(&amp;M)…</translation>
    </message>
    <message>
        <source>Export Figure as &amp;PNG…</source>
        <translation>将图像导出为 PNG(&amp;P)…</translation>
    </message>
    <message>
        <source>Export Figure as S&amp;VG…</source>
        <translation>将图像导出为 SVG(&amp;V)…</translation>
    </message>
    <message>
        <source>Export &amp;Trajectory as CSV…</source>
        <translation>将轨迹导出为 CSV(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Compare &amp;Optimizers (the book&apos;s race on x²/20 + y²)</source>
        <translation>比较优化器：书中 x²/20 + y² 上的对比(&amp;O)</translation>
    </message>
    <message>
        <source>Compare All Optimizers from This Start</source>
        <translation>从当前起点比较所有优化器</translation>
    </message>
    <message>
        <source>Compare &amp;Learning Rates</source>
        <translation>比较学习率(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Clear Comparison</source>
        <translation>清除比较结果(&amp;C)</translation>
    </message>
    <message>
        <source>Compute &amp;Basin Map</source>
        <translation>计算吸引域图(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Network Lab…</source>
        <translation>网络实验室(&amp;N)…</translation>
    </message>
    <message>
        <source>Train small neural networks and watch every layer learn</source>
        <translation>训练小型神经网络，观察每一层如何学习</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Vector Field (−∇f)</source>
        <translation>向量场 (−∇f)(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Colour Bar</source>
        <translation>色标(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Logarithmic Loss Axis</source>
        <translation>损失曲线使用对数坐标(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Fit Map to the Function&apos;s Window</source>
        <translation>地图回到函数的默认窗口(&amp;F)</translation>
    </message>
    <message>
        <source>Undo a zoom or pan of the map (the mouse wheel zooms, Ctrl+drag pans)</source>
        <translation>撤销对地图的缩放或平移（鼠标滚轮缩放，Ctrl+拖动平移）</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About gdstudio</source>
        <translation>关于 gdstudio(&amp;A)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近打开的文件</translation>
    </message>
    <message>
        <source>Presets unavailable</source>
        <translation>预设不可用</translation>
    </message>
</context>
<context>
    <name>MnistDownloadDialog</name>
    <message>
        <source>Folder for the MNIST Files</source>
        <translation>MNIST 文件的保存文件夹</translation>
    </message>
    <message>
        <source>Download MNIST</source>
        <translation>下载 MNIST</translation>
    </message>
    <message>
        <source>MNIST holds 70,000 handwritten digits (28×28 pixels): 60,000 for training and 10,000 for testing, in four files of about 11 MB together. Each file is checked against its published checksum before it is kept; files already in the folder are not fetched again.</source>
        <translation>MNIST 含有 70,000 个手写数字（28×28 像素）：60,000 个用于训练，10,000 个用于测试，共四个文件，合计约 11 MB。每个文件保留之前都会与公布的校验和比对；文件夹中已有的文件不会重新下载。</translation>
    </message>
    <message>
        <source>&amp;Mirror:</source>
        <translation>镜像(&amp;M)：</translation>
    </message>
    <message>
        <source>Any http:// or https:// address of a folder holding the four MNIST .gz files</source>
        <translation>存放四个 MNIST .gz 文件的文件夹的任意 http:// 或 https:// 地址</translation>
    </message>
    <message>
        <source>&amp;Save in:</source>
        <translation>保存到(&amp;S)：</translation>
    </message>
    <message>
        <source>The folder the four files are saved in; the network lab loads MNIST from it</source>
        <translation>四个文件的保存位置；网络实验室从这里加载 MNIST</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>not here yet</source>
        <translation>尚未下载</translation>
    </message>
    <message>
        <source>already here, checksum OK</source>
        <translation>已存在，校验和正确</translation>
    </message>
    <message>
        <source>already here</source>
        <translation>已存在</translation>
    </message>
    <message>
        <source>damaged, will be replaced</source>
        <translation>已损坏，将重新下载</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>downloading…</source>
        <translation>正在下载…</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>正在校验…</translation>
    </message>
    <message>
        <source>downloaded, checksum OK</source>
        <translation>已下载，校验和正确</translation>
    </message>
    <message>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Downloading from %1</source>
        <translation>正在从 %1 下载</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Download cancelled. Files completed before are kept; no partial file was left behind.</source>
        <translation>下载已取消。此前已完成的文件会保留，不会留下不完整的文件。</translation>
    </message>
    <message>
        <source>Done. The four MNIST files are in %1. In the network lab, choose the data set MNIST with this folder.</source>
        <translation>完成。四个 MNIST 文件位于 %1。在网络实验室中选择数据集 MNIST 并使用此文件夹。</translation>
    </message>
    <message>
        <source>Choose a folder to save the files in.</source>
        <translation>请选择保存文件的文件夹。</translation>
    </message>
    <message>
        <source>The download stopped because of an error: %1</source>
        <translation>下载因错误而停止：%1</translation>
    </message>
    <message>
        <source>The mirror address must start with http:// or https:// (got “%1”).</source>
        <translation>镜像地址必须以 http:// 或 https:// 开头（当前为“%1”）。</translation>
    </message>
    <message>
        <source>Cannot save into the folder: %1</source>
        <translation>无法保存到该文件夹：%1</translation>
    </message>
    <message>
        <source>Could not reach %1 (%2). Check the network connection and the mirror address.</source>
        <translation>无法连接 %1（%2）。请检查网络连接和镜像地址。</translation>
    </message>
    <message>
        <source>The mirror answered “%1” for %2. Check the mirror address: it must be a folder that holds the four MNIST .gz files.</source>
        <translation>镜像对 %2 的回应是“%1”。请检查镜像地址：它必须是存放四个 MNIST .gz 文件的文件夹。</translation>
    </message>
    <message>
        <source>%1 does not match its published checksum (expected %2, got %3), so it was not kept. The mirror serves a different or damaged file: try another mirror.</source>
        <translation>%1 与公布的校验和不符（应为 %2，实际为 %3），因此没有保留。该镜像提供的文件不同或已损坏：请换一个镜像。</translation>
    </message>
    <message>
        <source>%1 is not an MNIST data file (the server may have sent a web page instead), so it was not kept. Try another mirror.</source>
        <translation>%1 不是 MNIST 数据文件（服务器可能返回了网页），因此没有保留。请换一个镜像。</translation>
    </message>
    <message>
        <source>Downloading %1 failed: %2</source>
        <translation>下载 %1 失败：%2</translation>
    </message>
</context>
<context>
    <name>NetworkDiagram</name>
    <message>
        <source>Edit parameter</source>
        <translation>编辑参数</translation>
    </message>
    <message>
        <source>New value of %1:</source>
        <translation>%1 的新值：</translation>
    </message>
    <message>
        <source>No network yet: choose a data set and press Play or Step.</source>
        <translation>尚无网络：请选择数据集，然后点击“播放”或“单步”。</translation>
    </message>
    <message>
        <source>1 unit</source>
        <translation>1 个神经元</translation>
    </message>
    <message>
        <source>%1 units</source>
        <translation>%1 个神经元</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入层</translation>
    </message>
    <message>
        <source>In</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>%1 × %2 image</source>
        <translation>%1 × %2 图像</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <comment>image size</comment>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出层</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>L%1</source>
        <comment>layer number, short</comment>
        <translation>第%1层</translation>
    </message>
    <message>
        <source>%1 more</source>
        <translation>另有 %1 个</translation>
    </message>
    <message>
        <source>x%1</source>
        <translation>x%1</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>y%1</source>
        <translation>y%1</translation>
    </message>
    <message>
        <source>+%1</source>
        <comment>units not drawn, short</comment>
        <translation>+%1</translation>
    </message>
    <message>
        <source>Large network: layers wider than %1 units show their first and last %2, and between two layers only the %3 strongest connections among the shown units are drawn.</source>
        <translation>大型网络：超过 %1 个神经元的层只显示首尾各 %2 个；两层之间只绘制所显示神经元之间最强的 %3 条连接。</translation>
    </message>
    <message>
        <source>No weights yet: press Play or Step.</source>
        <translation>尚无权重：请点击“播放”或“单步”。</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>正值</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>负值</translation>
    </message>
    <message>
        <source>width ∝ |w| (widest: %1) · neuron fill = bias · hover for a value, click to edit, double-click to fit</source>
        <translation>线宽 ∝ |w|（最宽：%1）· 神经元填充色 = 偏置 · 悬停查看数值，单击编辑，双击适应窗口</translation>
    </message>
    <message>
        <source>b = %1</source>
        <translation>b = %1</translation>
    </message>
</context>
<context>
    <name>NetworkLabWindow</name>
    <message>
        <source>Presets unavailable</source>
        <translation>预设不可用</translation>
    </message>
    <message>
        <source>MNIST from %1 is the data set now.</source>
        <translation>现在使用 %1 中的 MNIST 作为数据集。</translation>
    </message>
    <message>
        <source>Could not open “%1”:
%2</source>
        <translation>无法打开“%1”：
%2</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>The preset could not be loaded: %1</source>
        <translation>无法载入预设：%1</translation>
    </message>
    <message>
        <source>Could not save “%1”:
%2</source>
        <translation>无法保存“%1”：
%2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Open Training Experiment</source>
        <translation>打开训练实验</translation>
    </message>
    <message>
        <source>gdstudio experiment (*.json)</source>
        <translation>gdstudio 实验文件 (*.json)</translation>
    </message>
    <message>
        <source>Cannot open the experiment</source>
        <translation>无法打开实验</translation>
    </message>
    <message>
        <source>Save Training Experiment</source>
        <translation>保存训练实验</translation>
    </message>
    <message>
        <source>Cannot save the experiment</source>
        <translation>无法保存实验</translation>
    </message>
    <message>
        <source>Network lab — gdstudio</source>
        <translation>网络实验室 — gdstudio</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>播放控制</translation>
    </message>
    <message>
        <source>Loss and accuracy</source>
        <translation>损失与准确率</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Decision boundary</source>
        <translation>决策边界</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>手写数字</translation>
    </message>
    <message>
        <source>Loss landscape</source>
        <translation>损失地形</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>One update on one mini-batch (.)</source>
        <translation>在一个小批量上更新一次 (.)</translation>
    </message>
    <message>
        <source>Step epoch</source>
        <translation>单轮</translation>
    </message>
    <message>
        <source>Train to the end of the current epoch (Shift+.)</source>
        <translation>训练到当前这一轮结束 (Shift+.)</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Start again from the same initial weights (Ctrl+R)</source>
        <translation>使用相同的初始权重从头开始 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Re-draw weights</source>
        <translation>重新随机生成权重</translation>
    </message>
    <message>
        <source>Start again from newly drawn initial weights (Ctrl+Shift+R)</source>
        <translation>用重新随机生成的初始权重从头开始 (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>Download &amp;MNIST…</source>
        <translation>下载 MNIST(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Pause training (Space)</source>
        <translation>暂停训练（空格键）</translation>
    </message>
    <message>
        <source>Train (Space)</source>
        <translation>训练（空格键）</translation>
    </message>
</context>
<context>
    <name>RunNotes</name>
    <message>
        <source>Converged at step %1: the gradient norm %2 fell below %3.</source>
        <translation>在第 %1 步收敛：梯度范数 %2 已低于 %3。</translation>
    </message>
    <message>
        <source>at the start point</source>
        <translation>在起点处</translation>
    </message>
    <message>
        <source>at step %1</source>
        <translation>在第 %1 步</translation>
    </message>
    <message>
        <source>The typed expression has no real value %1, at x = %2: it is undefined there (for example the logarithm or square root of a negative number). Try another start point or a smaller learning rate.</source>
        <translation>输入的表达式%1在 x = %2 处没有实数值：它在那里没有定义（例如对负数取对数或开平方）。请换一个起点或减小学习率。</translation>
    </message>
    <message>
        <source>The function has no real value %1, at x = %2: it is undefined there (for example the logarithm or square root of a negative number). Try another start point or a smaller learning rate.</source>
        <translation>该函数%1在 x = %2 处没有实数值：它在那里没有定义（例如对负数取对数或开平方）。请换一个起点或减小学习率。</translation>
    </message>
    <message>
        <source>The value became −∞ %1: the typed expression has no lowest point in the direction the descent took, so it can run downhill forever.</source>
        <translation>函数值%1变为 −∞：输入的表达式沿下降方向没有最低点，因此可以一直往下走。</translation>
    </message>
    <message>
        <source>The value became −∞ %1: the function has no lowest point in the direction the descent took, so it can run downhill forever.</source>
        <translation>函数值%1变为 −∞：该函数沿下降方向没有最低点，因此可以一直往下走。</translation>
    </message>
    <message>
        <source>The value fell below −10¹² %1: the typed expression has no lowest point in the direction the descent took, so it can run downhill forever.</source>
        <translation>函数值%1低于 −10¹²：输入的表达式沿下降方向没有最低点，因此可以一直往下走。</translation>
    </message>
    <message>
        <source>The value fell below −10¹² %1: the function has no lowest point in the direction the descent took, so it can run downhill forever.</source>
        <translation>函数值%1低于 −10¹²：该函数沿下降方向没有最低点，因此可以一直往下走。</translation>
    </message>
    <message>
        <source>The gradient is not a finite number %1, at x = %2: the typed expression is not differentiable there (for example √x or log x at 0, or a division by zero). Try another start point.</source>
        <translation>梯度%1在 x = %2 处不是有限数：输入的表达式在那里不可导（例如 √x 或 log x 在 0 处，或除以零）。请换一个起点。</translation>
    </message>
    <message>
        <source>The gradient is not a finite number %1, at x = %2: the function is not differentiable there (for example √x or log x at 0, or a division by zero). Try another start point.</source>
        <translation>梯度%1在 x = %2 处不是有限数：该函数在那里不可导（例如 √x 或 log x 在 0 处，或除以零）。请换一个起点。</translation>
    </message>
    <message>
        <source>The position became infinite %1</source>
        <translation>位置%1变为无穷大</translation>
    </message>
    <message>
        <source>The position moved beyond ±10¹² %1</source>
        <translation>位置%1超出了 ±10¹²</translation>
    </message>
    <message>
        <source>The value became infinite %1</source>
        <translation>函数值%1变为无穷大</translation>
    </message>
    <message>
        <source>The value exceeded 10¹² %1</source>
        <translation>函数值%1超过了 10¹²</translation>
    </message>
    <message>
        <source>%1: the learning rate %2 is too large for this function — try a smaller one (for example %3).</source>
        <translation>%1：学习率 %2 对这个函数来说太大了——请换一个更小的（例如 %3）。</translation>
    </message>
    <message>
        <source>%1: the steps are too large for this function — try a smaller learning rate.</source>
        <translation>%1：对这个函数来说步子太大了——请减小学习率。</translation>
    </message>
    <message>
        <source>The loss is NaN at the initial weights, before any step</source>
        <translation>在初始权重处、尚未迈出任何一步时，损失就已是 NaN</translation>
    </message>
    <message>
        <source>The loss is infinite at the initial weights, before any step</source>
        <translation>在初始权重处、尚未迈出任何一步时，损失就已是无穷大</translation>
    </message>
    <message>
        <source>The loss exceeds 10¹² at the initial weights, before any step</source>
        <translation>在初始权重处、尚未迈出任何一步时，损失就已超过 10¹²</translation>
    </message>
    <message>
        <source>%1: the initial weights or the inputs are too large — try a smaller initialization scale or scale the inputs down.</source>
        <translation>%1：初始权重或输入太大了——请换用更小的初始化尺度，或把输入缩小。</translation>
    </message>
    <message>
        <source>after step %1</source>
        <translation>在第 %1 步之后</translation>
    </message>
    <message>
        <source>at step %1 (epoch %2)</source>
        <translation>在第 %1 步（第 %2 轮）</translation>
    </message>
    <message>
        <source>The loss became NaN %1</source>
        <translation>损失%1变成了 NaN</translation>
    </message>
    <message>
        <source>The loss became infinite %1</source>
        <translation>损失%1变为无穷大</translation>
    </message>
    <message>
        <source>The loss exceeded 10¹² %1</source>
        <translation>损失%1超过了 10¹²</translation>
    </message>
    <message>
        <source>%1: the learning rate %2 is too large for this network — try a smaller one (for example %3).</source>
        <translation>%1：学习率 %2 对这个网络来说太大了——请换一个更小的（例如 %3）。</translation>
    </message>
    <message>
        <source>%1: the steps are too large — try a smaller learning rate.</source>
        <translation>%1：步子迈得太大了——请换一个更小的学习率。</translation>
    </message>
</context>
<context>
    <name>RunStatusBar</name>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Finished (step budget used)</source>
        <translation>已完成（步数已用完）</translation>
    </message>
    <message>
        <source>Converged</source>
        <translation>已收敛</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Updates applied so far (of the shown snapshot)</source>
        <translation>截至所显示的快照已执行的更新次数</translation>
    </message>
    <message>
        <source>Value of the function at the shown point</source>
        <translation>函数在所显示点处的值</translation>
    </message>
    <message>
        <source>Length of the gradient at the shown point</source>
        <translation>所显示点处梯度的长度（范数）</translation>
    </message>
    <message>
        <source>What the run is doing</source>
        <translation>运行的当前状态</translation>
    </message>
    <message>
        <source>step –</source>
        <translation>第 – 步</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>Diverged: %1</source>
        <translation>已发散：%1</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Cannot start the run: %1</source>
        <translation>无法开始运行：%1</translation>
    </message>
    <message>
        <source>The previous step is still being computed; try again in a moment.</source>
        <translation>上一步仍在计算中，请稍后再试。</translation>
    </message>
    <message>
        <source>The run stopped because of an error: %1</source>
        <translation>运行因错误而停止：%1</translation>
    </message>
    <message>
        <source>Nothing to compare.</source>
        <translation>没有可比较的内容。</translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation>无法比较：%1</translation>
    </message>
    <message>
        <source>The comparison stopped because of an error: %1</source>
        <translation>比较因错误而停止：%1</translation>
    </message>
    <message>
        <source>The basin map needs a function of two variables.</source>
        <translation>吸引域图需要二元函数。</translation>
    </message>
    <message>
        <source>Cannot compute the basin map: %1</source>
        <translation>无法计算吸引域图：%1</translation>
    </message>
    <message>
        <source>The basin map stopped because of an error: %1</source>
        <translation>吸引域图的计算因错误而停止：%1</translation>
    </message>
    <message>
        <source>A background computation failed: %1</source>
        <translation>后台计算失败：%1</translation>
    </message>
</context>
<context>
    <name>TrainingControls</name>
    <message>
        <source>AND gate</source>
        <translation>与门</translation>
    </message>
    <message>
        <source>OR gate</source>
        <translation>或门</translation>
    </message>
    <message>
        <source>NAND gate</source>
        <translation>与非门</translation>
    </message>
    <message>
        <source>XOR gate</source>
        <translation>异或门</translation>
    </message>
    <message>
        <source>Line y = 3x + 0.8</source>
        <translation>直线 y = 3x + 0.8</translation>
    </message>
    <message>
        <source>Five points</source>
        <translation>五个点</translation>
    </message>
    <message>
        <source>Plane y = a·x1 + b·x2</source>
        <translation>平面 y = a·x1 + b·x2</translation>
    </message>
    <message>
        <source>Circle</source>
        <translation>圆形</translation>
    </message>
    <message>
        <source>XOR (2-D points)</source>
        <translation>异或（二维点）</translation>
    </message>
    <message>
        <source>Two Gaussians</source>
        <translation>两团高斯分布</translation>
    </message>
    <message>
        <source>Spiral</source>
        <translation>螺旋</translation>
    </message>
    <message>
        <source>Moons</source>
        <translation>双月形</translation>
    </message>
    <message>
        <source>Handwritten digits 8×8</source>
        <translation>手写数字 8×8</translation>
    </message>
    <message>
        <source>MNIST</source>
        <translation>MNIST</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>step</source>
        <translation>阶跃函数</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>sigmoid</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>leaky ReLU</source>
        <translation>leaky ReLU</translation>
    </message>
    <message>
        <source>identity</source>
        <translation>恒等函数</translation>
    </message>
    <message>
        <source>softmax</source>
        <translation>softmax</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵误差</translation>
    </message>
    <message>
        <source>binary cross-entropy</source>
        <translation>二元交叉熵误差</translation>
    </message>
    <message>
        <source>mean squared error ½Σ(y−t)²</source>
        <translation>均方误差 ½Σ(y−t)²</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>全零</translation>
    </message>
    <message>
        <source>constant c</source>
        <translation>常数 c</translation>
    </message>
    <message>
        <source>uniform U(−a, a)</source>
        <translation>均匀分布 U(−a, a)</translation>
    </message>
    <message>
        <source>normal N(0, σ²)</source>
        <translation>正态分布 N(0, σ²)</translation>
    </message>
    <message>
        <source>Xavier √(1/n)</source>
        <translation>Xavier √(1/n)</translation>
    </message>
    <message>
        <source>Glorot uniform</source>
        <translation>Glorot 均匀分布</translation>
    </message>
    <message>
        <source>He √(2/n)</source>
        <translation>He √(2/n)</translation>
    </message>
    <message>
        <source>float64</source>
        <translation>float64</translation>
    </message>
    <message>
        <source>float32</source>
        <translation>float32</translation>
    </message>
    <message>
        <source>Passes over the training data.</source>
        <translation>遍历训练数据的次数。</translation>
    </message>
    <message>
        <source>Samples per update (larger than the data set: full batch).</source>
        <translation>每次更新使用的样本数（大于数据集大小：全批量）。</translation>
    </message>
    <message>
        <source>Seed of the shuffling and of the dropout masks.</source>
        <translation>打乱顺序和 Dropout 掩码所用的随机种子。</translation>
    </message>
    <message>
        <source>L2 weight decay λ: adds ½·λ·Σ‖W‖² to the loss.</source>
        <translation>L2 权重衰减 λ：在损失上加上 ½·λ·Σ‖W‖²。</translation>
    </message>
    <message>
        <source>L1 penalty λ₁: adds λ₁·Σ|W| to the loss.</source>
        <translation>L1 正则化 λ₁：在损失上加上 λ₁·Σ|W|。</translation>
    </message>
    <message>
        <source>Share of hidden units dropped in each training step.</source>
        <translation>每个训练步中被随机丢弃的隐藏层神经元比例。</translation>
    </message>
    <message>
        <source>Batch normalization after every hidden layer.</source>
        <translation>在每个隐藏层之后做批归一化。</translation>
    </message>
    <message>
        <source>Slope of leaky ReLU for negative inputs.</source>
        <translation>leaky ReLU 在负输入处的斜率。</translation>
    </message>
    <message>
        <source>Float type: auto follows the data (float32 for images), float64 is exact.</source>
        <translation>浮点类型：auto 跟随数据（图像用 float32），float64 最精确。</translation>
    </message>
    <message>
        <source>How the initial weights are drawn.</source>
        <translation>初始权重的生成方式。</translation>
    </message>
    <message>
        <source>Standard deviation σ of the normal scheme.</source>
        <translation>正态分布初始化的标准差 σ。</translation>
    </message>
    <message>
        <source>Half-width a of the uniform scheme U(−a, a).</source>
        <translation>均匀分布初始化 U(−a, a) 的半宽 a。</translation>
    </message>
    <message>
        <source>Value c of every weight (constant scheme).</source>
        <translation>每个权重的取值 c（常数初始化）。</translation>
    </message>
    <message>
        <source>Seed of the initial weights (Reset keeps it).</source>
        <translation>初始权重的随机种子（“重置”时保持不变）。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Initial weights</source>
        <translation>初始权重</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Draw new points with a new seed.</source>
        <translation>换一个随机种子，重新生成数据点。</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>隐藏层</translation>
    </message>
    <message>
        <source>e.g. 8, 8 (empty: no hidden layer)</source>
        <translation>例如 8, 8（留空：无隐藏层）</translation>
    </message>
    <message>
        <source>Units of each hidden layer, separated by commas.</source>
        <translation>各隐藏层的神经元数，用逗号分隔。</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出层</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Use the scheme instead</source>
        <translation>改用初始化方法</translation>
    </message>
    <message>
        <source>The initial weights are given explicitly (from the experiment file).</source>
        <translation>初始权重已显式给定（来自实验文件）。</translation>
    </message>
    <message>
        <source>Pause the run to change its settings.</source>
        <translation>请先暂停运行，再修改设置。</translation>
    </message>
    <message>
        <source>Leaky ReLU slope α</source>
        <translation>Leaky ReLU 斜率 α</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Dropout（随机失活）</translation>
    </message>
    <message>
        <source>Batch norm</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>L2 weight decay λ</source>
        <translation>L2 权重衰减 λ</translation>
    </message>
    <message>
        <source>L1 penalty λ₁</source>
        <translation>L1 正则化 λ₁</translation>
    </message>
    <message>
        <source>Float type</source>
        <translation>浮点类型</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>初始化方法</translation>
    </message>
    <message>
        <source>σ</source>
        <translation>σ</translation>
    </message>
    <message>
        <source>a</source>
        <translation>a</translation>
    </message>
    <message>
        <source>c</source>
        <translation>c</translation>
    </message>
    <message>
        <source>Weight seed</source>
        <translation>权重种子</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate η</source>
        <translation>学习率 η</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <source>Shuffle seed</source>
        <translation>打乱种子</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Test share</source>
        <translation>测试集占比</translation>
    </message>
    <message>
        <source>Data seed</source>
        <translation>数据种子</translation>
    </message>
    <message>
        <source>Slope</source>
        <translation>斜率</translation>
    </message>
    <message>
        <source>Intercept</source>
        <translation>截距</translation>
    </message>
    <message>
        <source>b</source>
        <translation>b</translation>
    </message>
    <message>
        <source>Training images</source>
        <translation>训练图像数</translation>
    </message>
    <message>
        <source>Test images</source>
        <translation>测试图像数</translation>
    </message>
    <message>
        <source>Scale to [0, 1]</source>
        <translation>缩放到 [0, 1]</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务类型</translation>
    </message>
    <message>
        <source>Standardize</source>
        <translation>标准化</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>(last column)</source>
        <translation>（最后一列）</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>Layer sizes follow the file once it is loaded.</source>
        <translation>载入文件后，各层大小由文件确定。</translation>
    </message>
    <message>
        <source>%1 units, %2 parameters</source>
        <translation>各层神经元 %1，共 %2 个参数</translation>
    </message>
    <message>
        <source>Allowed: %1</source>
        <translation>允许范围：%1</translation>
    </message>
    <message>
        <source>Activation of hidden layer %1</source>
        <translation>第 %1 个隐藏层的激活函数</translation>
    </message>
    <message>
        <source>Choose at least one feature.</source>
        <translation>请至少选择一个特征。</translation>
    </message>
    <message>
        <source>Folder with the MNIST files</source>
        <translation>MNIST 文件所在的文件夹</translation>
    </message>
    <message>
        <source>Open a CSV file</source>
        <translation>打开 CSV 文件</translation>
    </message>
    <message>
        <source>CSV file (*.csv *.txt)</source>
        <translation>CSV 文件 (*.csv *.txt)</translation>
    </message>
    <message>
        <source>Hidden layers: write whole numbers separated by commas, e.g. 8, 8.</source>
        <translation>隐藏层：请填写用逗号分隔的整数，例如 8, 8。</translation>
    </message>
</context>
<context>
    <name>TrainingLossPanel</name>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Logarithmic loss axis: steady progress becomes a straight line.</source>
        <translation>损失轴使用对数坐标：稳定的进展会显示为一条直线。</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Moving average of the batch loss: each point is α × the previous one + (1 − α) × the new loss.</source>
        <translation>小批量损失的滑动平均：每个点 = α × 前一个点 + (1 − α) × 新的损失。</translation>
    </message>
    <message>
        <source>batch loss</source>
        <translation>小批量损失</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑后</translation>
    </message>
    <message>
        <source>train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>test loss</source>
        <translation>测试损失</translation>
    </message>
    <message>
        <source>train accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>A loss of 0 cannot be drawn on a log scale, so the axis stays linear.</source>
        <translation>损失为 0 时无法在对数坐标上绘制，因此坐标轴保持线性。</translation>
    </message>
</context>
<context>
    <name>TrainingSession</name>
    <message>
        <source>The run has ended: press Reset (or Play) to start again.</source>
        <translation>运行已结束：请点击“重置”（或“播放”）重新开始。</translation>
    </message>
    <message>
        <source>There is no network to edit yet.</source>
        <translation>还没有可编辑的网络。</translation>
    </message>
    <message>
        <source>There is no weight number %1.</source>
        <translation>不存在编号为 %1 的权重。</translation>
    </message>
    <message>
        <source>A weight must be a finite number.</source>
        <translation>权重必须是有限数。</translation>
    </message>
    <message>
        <source>Cannot start the run: %1</source>
        <translation>无法开始运行：%1</translation>
    </message>
    <message>
        <source>The run stopped because of an error: %1</source>
        <translation>运行因错误而停止：%1</translation>
    </message>
    <message>
        <source>%1 set to %2.</source>
        <translation>%1 已设为 %2。</translation>
    </message>
    <message>
        <source>Training loss now %1.</source>
        <translation>当前训练损失为 %1。</translation>
    </message>
    <message>
        <source>Could not change the weight: %1</source>
        <translation>无法修改权重：%1</translation>
    </message>
</context>
<context>
    <name>TrainingSettingsModel</name>
    <message>
        <source>Choose the folder that holds the MNIST files.</source>
        <translation>请选择存放 MNIST 文件的文件夹。</translation>
    </message>
    <message>
        <source>Choose the CSV file.</source>
        <translation>请选择 CSV 文件。</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>修改 %1</translation>
    </message>
    <message>
        <source>Load experiment</source>
        <translation>载入实验</translation>
    </message>
    <message>
        <source>Re-draw weights</source>
        <translation>重新随机生成权重</translation>
    </message>
</context>
<context>
    <name>TrainingStatusBar</name>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>epoch %1</source>
        <translation>第 %1 轮</translation>
    </message>
    <message>
        <source>loss %1</source>
        <translation>损失 %1</translation>
    </message>
    <message>
        <source>accuracy %1 (test %2)</source>
        <translation>准确率 %1（测试集 %2）</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>TransportBar</name>
    <message>
        <source>Transport</source>
        <translation>播放控制</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Take one step (.)</source>
        <translation>执行一步 (.)</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Back to the start point (Ctrl+R)</source>
        <translation>回到起点 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>速度：</translation>
    </message>
    <message>
        <source>Steps per frame (60 frames per second)</source>
        <translation>每帧执行的步数（每秒 60 帧）</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最快</translation>
    </message>
    <message>
        <source>1 step/frame</source>
        <translation>1 步/帧</translation>
    </message>
    <message>
        <source>%1 steps/frame</source>
        <translation>%1 步/帧</translation>
    </message>
    <message>
        <source>Timeline:</source>
        <translation>时间轴：</translation>
    </message>
    <message>
        <source>Drag to look at any step; drag to the end to follow the run again</source>
        <translation>拖动可查看任意一步；拖到末尾即可重新跟随运行</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Pause the run (Space)</source>
        <translation>暂停运行（空格键）</translation>
    </message>
    <message>
        <source>Run (Space)</source>
        <translation>运行（空格键）</translation>
    </message>
</context>
<context>
    <name>UpdateRuleView</name>
    <message>
        <source>No run yet: press Play or Step.</source>
        <translation>尚未运行：请点击“播放”或“单步”。</translation>
    </message>
    <message>
        <source>Start point (step 0)</source>
        <translation>起点（第 0 步）</translation>
    </message>
    <message>
        <source>Step %1 → %2</source>
        <translation>第 %1 步 → 第 %2 步</translation>
    </message>
</context>
</TS>

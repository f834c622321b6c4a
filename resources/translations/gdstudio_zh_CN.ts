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

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>About</source>
        <comment>Gradient Descent Studio: watch gradient descent take its steps, one at a time.</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <comment>The lessons follow a set of Chinese study notes on the gradient, numerical differentiation, gradient descent and backpropagation, including the optimizer comparison (SGD, Momentum, AdaGrad, Adam) on x²/20 + y² from the book &lt;i&gt;Deep Learning from Scratch&lt;/i&gt; (Koki Saitoh). Facts and numbers come from those notes; the text and code of gdstudio are its own.</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <comment>Handwritten digits data: attribution to be added with the data set.</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>About</name>
    <message>
        <source>About gdstudio</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BasinPanel</name>
    <message>
        <source>%1 × %1 starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many start points per axis; the optimizer, learning rate and steps are the current experiment&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute basins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the current optimizer from every start point of the grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing the basin map…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a resolution and press “Compute basins” to see which minimum each start point leads to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minimum %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 more minima</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>diverged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reached no minimum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minima found from where the runs ended.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContourPanel</name>
    <message>
        <source>f(x)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>f (log colour scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>f</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>Function</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause the run to change its settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>f =</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate η</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop when |∇f| &lt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom expression…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docs</name>
    <message>
        <source>Version of the experiment file format.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the file describes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A built-in function to minimise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A typed function of x0 (x) and optionally x1 (y), e.g. x**2 + 3*sin(y).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting point, one coordinate per variable of the function.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The update rule (PyTorch semantics and defaults).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate η: how far each step moves against the gradient (default: the optimizer&apos;s own).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>analytic: exact derivative; central/forward: numerical differences with step h.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step h of the numerical differences (ignored by the analytic gradient).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of updates to perform.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop early (converged) once the gradient norm falls below this; null = never.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learning rate η: how far each step moves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>momentum μ: fraction of the previous step kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dampening τ: shrinks the new gradient&apos;s share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight decay λ: adds λ·x to the gradient (L2 penalty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nesterov: look ahead along the momentum before stepping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learning-rate decay: η/(1 + (t−1)·decay)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting value of the sum of g²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ε: keeps the denominator away from zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smoothing α of the running average of g²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>centered: subtract the squared mean gradient (a variance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(β₁, β₂): decay of the running averages of g and g²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AMSGrad: divide by the largest v seen so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient descent (SGD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SGD with momentum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SGD with Nesterov momentum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adagrad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdamW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round bowl: the gradient points straight at the minimum.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A parabola; f&apos;(x) = 6x + 2 vanishes at x = −1/3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The book&apos;s numerical-differentiation example; minimum at x = −5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stretched bowl from the book&apos;s optimizer comparison: steep in y, shallow in x.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Curved narrow valley: easy to reach, slow to follow to the minimum at (1, 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Four equally deep minima; the start decides which one you reach.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flat valleys and steep walls; the minimum (3, 0.5) sits in a long flat trough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A saddle point at the origin: downhill along y forever, so there is no minimum.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A bowl with four wells of different depths: gradient descent stops in the nearest one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A wide plateau where the gradient almost vanishes, around one narrow dip.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An egg-crate of local minima around the global one at the origin.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExperimentModel</name>
    <message>
        <source>Change %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load experiment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LossPanel</name>
    <message>
        <source>f</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>|∇f|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>f takes values ≤ 0, so its axis stays linear.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>|∇f| reaches 0, so its axis stays linear.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Controls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Basin map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open “%1”:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Experiment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gdstudio experiment (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the experiment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save “%1”:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the experiment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Experiment As</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the preset “%1”:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot load the preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export the figure to “%1”:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export the figure to “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot export the figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write “%1”:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Trajectory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot export the trajectory</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MenuActions</name>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Figure as &amp;PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Figure as S&amp;VG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;Trajectory as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare &amp;Optimizers (the book&apos;s race on x²/20 + y²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare All Optimizers from This Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare &amp;Learning Rates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear Comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute &amp;Basin Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vector Field (−∇f)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Colour Bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Logarithmic Loss Axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About gdstudio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presets unavailable</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunStatusBar</name>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished (step budget used)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Converged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updates applied so far (of the shown snapshot)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value of the function at the shown point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Length of the gradient at the shown point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the run is doing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diverged: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Cannot start the run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The previous step is still being computed; try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run stopped because of an error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comparison stopped because of an error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The basin map needs a function of two variables.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot compute the basin map: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The basin map stopped because of an error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A background computation failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransportBar</name>
    <message>
        <source>Transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take one step (.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the start point (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps per frame (60 frames per second)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 step/frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 steps/frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag to look at any step; drag to the end to follow the run again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause the run (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run (Space)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UpdateRuleView</name>
    <message>
        <source>No run yet: press Play or Step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start point (step 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

"""The Chinese table: the same sections and keys as ``en.py``, its terms from
docs/zh/glossary.md (净输入, 活性值, 灵敏度, 局部导数, 参数, 常量 …). Maths, code and
names stay as they are."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {}

# ag.animate's page and frames (autograd/show/animate.py, player/)
WORDS["player"] = {
    "previous": "上一步", "previous_key": "上一步（←）",
    "play": "播放", "play_key": "播放 / 暂停（空格键）",
    "next": "下一步", "next_key": "下一步（→）",
    "step_slider": "步骤", "status": "第 {k} 步 / 共 {n} 步",
    "zoom_in": "放大", "zoom_out": "缩小", "fit": "缩放计算图以适合画面",
    "fit_short": "适合", "stage": "计算图：拖动可平移",
    "layers": "分层视图", "graph": "计算图视图",
    "table": "整个反向传播的表格（ag.explain）",
    "cold": "这是最终状态的图片：运行这个单元格，就能一步步查看反向传播"
            "（播放器需要笔记本的脚本，运行之前脚本不会执行）。",
    "quiz_intro": "轮到你了：每个输入收到的梯度是多少？"
                  "（相对误差在 {rtol} % 以内，或绝对误差在 {atol} 以内，就算对）",
    "first_entry": "（它的第一个元素）",
    "secret": "?（轮到你了：在下面填入梯度）",
    "check": "检查", "reveal": "揭晓", "skip": "跳过",
    "wrong": "还有 {count} 个不对",
    "all_right": "全对",
    "hint": "提示：每个输入收到的梯度，等于传入的梯度乘以局部导数（上面标出的两行）："
            "逐个元素相乘，矩阵则按公式计算。再试一次，或者点“揭晓”。",
    "waiting": "回答正确、揭晓或跳过之后才能继续",
    "print_step": "第 {k} 步 / 共 {n} 步：{title}",
    "layer": "第 {l} 层", "input": "输入层",
    "pass_title": "{output} 的反向传播",
    "pass_label": "{title}，逐步查看",
    # the frames (frames.py, layers.py)
    "start": "{output} 的计算图：共 {n} 步；按 →（下一步）逐步查看",
    "forward_row": "前向传播", "forward_text": "数值按运算的顺序逐个出现，先算输入",
    "forward_title": "前向传播第 {k} 步（共 {n} 步）：{op} 算出 {output}",
    "forward_step": "前向传播第 {k} 步（共 {n} 步）",
    "backward_title": "反向传播第 {k} 步（共 {n} 步）：{op} 把 {gradient} 传给它的输入",
    "backward_step": "反向传播第 {k} 步（共 {n} 步）",
    "step": "步骤", "op": "运算", "formula": "公式",
    "input_row": "输入 {name}", "output_row": "输出 {name}",
    "local": "局部导数", "incoming": "传入的 {gradient}",
    "contributions": "各路贡献（{n} 份）", "initial": "初始 ∂E/∂E：",
    "from_step": "来自第 {k} 步：", "sum": "求和：", "sends": "传出",
    "leaves": "叶子节点的梯度",
    "grad": "梯度", "part": "{caption}（第 {k} 份，共 {n} 份）",
    "collapsed": "{ops} 这 {n} 个运算合为一步：它传出的就是最后一个运算传出的梯度"
                 "（ag.animate(..., expand_loss=True) 会逐个查看）",
    "error_gradient": "∂E/∂{y}，误差的梯度   (S12, S13)",
    # notes above the player
    "cut": "这个计算图有 {ops} 个运算；画出并逐步查看离输出最近的 {drawn} 个，"
           "省略了 {hidden} 个（ag.animate(..., max_ops=None) 显示全部）。",
    "record_hint": "提示：在 ag.record_modules(model) 里运行前向传播，就能得到模块的名字"
                   "（nn.MLP 的 W1、u1、y1、δ1）和方框，损失也会合为一步",
}

# ag.explain's table (autograd/show/explain.py)
WORDS["explain"] = {
    "title": "{output} 的反向传播",
    "step": "步骤", "op": "运算", "local": "局部导数",
    "incoming": "传入的梯度 ∂E/∂输出", "sends": "传出",
    "from_step": "{gradient}（第 {k} 步）", "shape": "形状 {shape}",
}

# explain(...).to_latex(): the words beside the maths (autograd/show/latex.py)
WORDS["latex"] = {"step": "第 {k} 步"}

# ag.draw's fixed words (autograd/show/draw.py, notation.py)
WORDS["draw"] = {
    "output": "输出", "parameter": "参数", "leaf": "叶子节点", "constant": "常量",
    "data": "数据", "grad": "梯度",
    "freed": "数值已被反向传播释放",
    "freed_hint": "数值已被反向传播释放：在 output.backward() 之前调用 "
                  "ag.retain_grads(output)，就能保留每个数值和梯度",
    "record_hint": "提示：在 ag.record_modules(model) 里运行前向传播，就能得到模块的名字"
                   "（nn.MLP 的 W1、u1、y1、δ1）和方框",
    "cut": "⋯ 还有 {hidden} 个运算没有画出（max_ops={max_ops}；"
           "draw(..., max_ops=None) 画出全部）",
}

# nn.draw_model's block diagram (nn/drawing.py)
WORDS["model"] = {
    "input": "输入", "output": "输出", "op": "运算", "op_in": "{owner}.forward 里的运算",
    "parameters": "{count} 个参数", "title": "{model}：{count} 个参数",
    "relu_derivative": "u{l} > 0 处为 1，否则为 0   (S10)",
}

# nn.backprop.compare's report (nn/backprop_report.py)
WORDS["report"] = {
    "layer": "层", "units": "神经元", "delta": "δ 对比 ∂E/∂u", "max_grad": "最大 |梯度|",
    "title": "nn.backprop 的公式（S13–S16）对比 autograd —— 损失 {loss}，{batch} 个样本，"
             "E = {formulas}（公式），{autograd}（autograd）",
    "largest": "每层 |公式 − autograd| 的最大值：",
}

# python -m nn demo --lang zh (nn/demo.py)
WORDS["demo"] = {
    "true": "是", "false": "否",
    "mcp": "1. McCulloch-Pitts 神经元（1943 年，S1）：Σ w_i x_i ≥ θ 时输出 1",
    "not": "   NOT（w = −1，θ = 0）：0 → {zero}，1 → {one}",
    "and_or": "   AND 是 w = (1, 1)，θ = 2；OR 是 w = (1, 1)，θ = 1。",
    "search": "   把 w1、w2、阈值 θ 取 [−3, 3] 中整数的 7³ = 343 个神经元全部试一遍：\n"
              "   能算 AND 的有 {and_} 个，能算 OR 的有 {or_} 个，能算 XOR 的有 {xor} 个。",
    "no_xor": "   没有哪组权重能算 XOR：(0,0) → 0 要求 0 < θ；(1,0)、(0,1) → 1 要求 w1 ≥ θ 且 "
              "w2 ≥ θ，\n   于是 w1 + w2 ≥ 2θ > θ，可 (1,1) → 0 又要求 w1 + w2 < θ。"
              "一个阈值神经元只能画一条直线（S6）。",
    "perceptron": "2. 感知机（1958 年，S3-S5）在线性可分的数据上",
    "separable": "   100 个样本，在一条随机直线两侧，间隔 γ ≥ 0.3。收敛：{converged}，\n"
                 "   用了 {epochs} 个迭代周期、{updates} 次更新（每个迭代周期的错分数 "
                 "{mistakes}）。",
    "novikoff": "   Novikoff 定理（S5）：把偏置并入权重后，这组数据至多需要 (R/γ)² = "
                "{bound:.0f} 次更新；实际用了 {updates} 次。",
    "xor": "3. 同一个感知机在 XOR 上（S6）：没有直线能把它分开",
    "xor_result": "   收敛：{converged}，用了 {epochs} 个迭代周期、{updates} 次更新；\n"
                  "   最后几个迭代周期的错分数 {mistakes}：它永远停不下来。",
    "mlp": "4. 多层感知机 2-4-1（隐层 tanh，输出 sigmoid）解决 XOR",
    "mlp_loss": "   在 E = ½ Σ (t − y)²（S12）上做 2,000 步 S17 的梯度下降：误差 E 从 "
                "{start:.3f} 降到 {end:.4f}。",
    "mlp_row": "    {x1} {x2} → y = {y:.3f}（标签 {t}）",
    "backprop": "5. 手推的反向传播（S13-S16）对比 autograd，多层感知机 3-3-3 sigmoid",
    "digits": "6. 多层感知机 64-128-10（ReLU、交叉熵、Adam）识别 8×8 手写数字",
    "digits_result": "   {train} 张训练图片、{test} 张测试集图片，40 个迭代周期用时 "
                     "{seconds:.1f} 秒：测试集准确率 {accuracy:.2%}。",
    "curve": "   损失曲线已写入 {path}",
    "training_loss": "训练损失", "test_loss": "测试集损失", "epoch": "迭代周期",
    "cross_entropy": "交叉熵", "curve_title": "多层感知机 64-128-10 识别手写数字",
    "no_font": "   （图中的文字用英文：没有找到中文字体；可以安装一个，例如 "
               "'apt-get install fonts-noto-cjk'）",
    "done": "\n完成，用时 {seconds:.1f} 秒。",
}

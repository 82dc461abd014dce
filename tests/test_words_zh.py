"""One table of words per language (autograd/words/): English by default, Chinese with
``lang="zh"`` or ``ag.set_language("zh")``, for explain, to_latex, draw, animate, the
report and the demo. The Chinese words are the glossary's (docs/zh/glossary.md)."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from test_glossary_zh import TERMS

import autograd as ag
import nn
from autograd.show import rendering
from autograd.show.rendering import dot_program
from autograd.words import TABLES, say
from nn import functional as F

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile("[\u4e00-\u9fff]")
FIELD = re.compile(r"\{(\w+)")


def network():
    """The document's 3-3-3 network, recorded, and E = ½Σ(t − y)²."""
    ag.manual_seed(0)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    x, t = ag.Tensor([[1.0, 0.5, -1.0]]), ag.Tensor([[0.0, 1.0, 0.0]])
    with ag.record_modules(model):
        return F.mse_loss(model(x), t, reduction="half_sum")


def test_the_tables_have_the_same_keys_and_fields():
    assert TABLES["zh"].keys() == TABLES["en"].keys()
    for section, english in TABLES["en"].items():
        chinese = TABLES["zh"][section]
        assert chinese.keys() == english.keys(), section
        for key, text in english.items():  # the same values are filled in
            assert sorted(FIELD.findall(chinese[key])) == sorted(FIELD.findall(text)), key
            words = re.sub(r"\{\w+[^}]*\}|ag\.\w+|\w+=\w+", "", text)
            # a text with English words in it is written in Chinese
            assert HAN.search(chinese[key]) or not re.search("[a-z]{3}", words) or \
                key in ("true", "false"), (section, key)


def _masked(text: str, term: str, by_english: bool) -> str:
    """``text`` with the longer glossary terms holding ``term`` blanked out."""
    for longer in TERMS:
        inner, outer = (term, longer.english) if by_english else (term, longer.chinese)
        other = longer.english if by_english else longer.chinese
        if inner.lower() in outer.lower() and other.lower() != inner.lower():
            text = re.sub(re.escape(other), "□", text, flags=re.IGNORECASE)
    return text


@pytest.mark.parametrize("section", list(TABLES["en"]))
def test_the_chinese_words_are_the_glossarys(section):
    """Where an English text says a glossary term (gradient, local derivative, error,
    epoch …), its Chinese text says the glossary's Chinese for it, and no Chinese text
    uses a synonym the glossary avoids."""
    missing, avoided = [], []
    for key, text in TABLES["en"][section].items():
        chinese = TABLES["zh"][section][key]
        english = re.sub(r"\{\w+[^}]*\}", "", text)  # {op}, {gradient}: filled in
        for term in TERMS:
            said = re.search(rf"\b{re.escape(term.english)}(s|es)?\b",
                             _masked(english, term.english, True), re.IGNORECASE)
            if said and term.chinese not in _masked(chinese, term.chinese, False):
                missing.append((key, term.english, term.chinese))
            avoided += [(key, word) for word in term.avoided if word in chinese]
    assert missing == [] and avoided == []


def test_the_glossary_check_finds_a_missing_term(monkeypatch):
    monkeypatch.setitem(TABLES["zh"], "latex", {"step": "第 {k} 步 的导数"})
    monkeypatch.setitem(TABLES["en"], "latex", {"step": "step {k}: the local derivative"})
    with pytest.raises(AssertionError):
        test_the_chinese_words_are_the_glossarys("latex")


def test_explain_in_chinese_keeps_the_maths():
    E = network()
    english, chinese = ag.explain(E), ag.explain(E, lang="zh")
    assert str(chinese).splitlines()[0] == "E 的反向传播"
    assert chinese.rows()[0] == ["步骤", "运算", "局部导数", "传入的梯度 ∂E/∂输出", "传出"]
    rows = [[re.sub(r" \(step (\d+)\)", r"（第 \1 步）", cell) for cell in row]
            for row in english.rows()[1:]]
    assert chinese.rows()[1:] == rows  # the cells are maths, a fan-out's "(step k)" aside
    assert str(english).splitlines()[0] == "backward pass of E"  # English stays the default
    assert "**`E` 的反向传播**" in chinese._repr_markdown_()
    latex = chinese.to_latex()
    assert "第 1 步" in latex and "step" not in latex
    assert latex == re.sub(r"\\text\{step (\d+)\}", r"\\text{第 \1 步}", english.to_latex())


def test_explain_text_table_lines_up_chinese_columns():
    """A Chinese character takes two terminal columns: each column starts at the same
    display column on every line."""
    a = ag.Tensor(3.0, requires_grad=True, name="a")
    header, first = str(ag.explain(a * a + a, lang="zh")).splitlines()[1:3]
    from autograd.words import width

    assert header.startswith("步骤  运算  局部导数") and "E: 1" in first
    assert width(header[:header.index("传入的梯度")]) == width(first[:first.index("E: 1")])
    assert width(header[:header.index("传出")]) == width(first[:first.index("t1 ←")])


def test_a_fan_out_names_its_steps_in_chinese():
    x = ag.Tensor(2.0, requires_grad=True, name="x")
    text = str(ag.explain((x + x) * x, lang="zh"))
    assert "x.grad += 4（第 1 步） + 2（第 2 步） + 2（第 2 步） = 8" in text


def test_set_language_and_the_language_block(monkeypatch):
    a = ag.Tensor(1.0, requires_grad=True, name="a")
    try:
        ag.set_language("zh")
        assert ag.get_language() == "zh"
        assert str(ag.explain(a * 2)).startswith("E 的反向传播")
        assert str(ag.explain(a * 2, lang="en")).startswith("backward pass")  # a call wins
        with ag.language("en"):
            assert say("draw", "parameter") == "parameter"
        assert say("draw", "parameter") == "参数"
    finally:
        ag.set_language("en")
    with pytest.raises(ValueError, match="unknown language 'fr'; valid: en, zh"):
        ag.set_language("fr")
    with pytest.raises(ValueError, match="unknown language"):
        ag.explain(a * 2, lang="fr")
    assert ag.get_language() == "en"


def test_draw_in_chinese_names_roles_and_a_chinese_font_stack():
    E = network()
    english, chinese = ag.draw(E).source, ag.draw(E, lang="zh").source
    for word in ("参数", "常量", "输出", "数据"):
        assert word in chinese and word not in english
    assert "parameter" in english and "parameter" not in chinese
    assert "Microsoft YaHei" in chinese and "PingFang SC" in chinese
    assert "Noto Sans CJK SC" in chinese and "YaHei" not in english
    assert not HAN.search(english)


def test_a_freed_graph_says_so_in_chinese():
    w = ag.Tensor([1.0, 2.0], requires_grad=True, name="w")
    E = (w.exp() * 3).sum()
    E.backward()
    source = ag.draw(E, lang="zh").source
    assert "数值已被反向传播释放" in source and "ag.retain_grads(output)" in source
    assert "freed" not in source


def test_a_relu_layers_formula_speaks_the_drawings_language():
    # the words inside f′(u) = 1 where u > 0 (the layer formulas of draw, explain and the
    # player's layer view) come from the words table, not from English text in nn
    model = nn.MLP([2, 2, 1], activation="relu")
    with ag.record_modules(model):
        E = F.mse_loss(model(ag.Tensor([[1.0, -1.0]])), ag.Tensor([[1.0]]), reduction="half_sum")
    chinese = ag.draw(E, show_formula=True, lang="zh").source
    english = ag.draw(E, show_formula=True, lang="en").source
    assert "f′(u1) = u1 &gt; 0 处为 1" in chinese and "where" not in chinese
    assert "f′(u1) = 1 where u1 &gt; 0, else 0" in english


def test_draw_model_in_chinese():
    source = nn.draw_model(nn.MLP([2, 3, 1]), lang="zh").source
    assert "MLP：13 个参数" in source and "输入" in source and "输出" in source
    assert "13 parameters" in nn.draw_model(nn.MLP([2, 3, 1])).source


def test_the_report_in_chinese():
    ag.manual_seed(0)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    x, t = np.ones((2, 3)), np.full((2, 3), 0.5)
    with ag.language("zh"):
        report = nn.backprop.compare(model, x, t)
    text = str(report)
    assert "2 个样本" in text and "神经元" in text and "batch" not in text
    assert "largest" in str(nn.backprop.compare(model, x, t))


@pytest.mark.skipif(dot_program() is None, reason="needs Graphviz's dot or graphviz-pure")
def test_animate_in_chinese(tmp_path):
    import json

    page = ag.animate(network(), quiz=True, lang="zh").save(tmp_path / "zh.html").read_text()
    assert '<html lang="zh-CN">' in page and 'lang="zh-CN" tabindex="0"' in page
    for label in ("上一步", "播放", "下一步"):
        assert f'aria-label="{label}"' in page
    assert re.search(r'role="status" aria-live="polite">第 0 步 / 共 \d+ 步<', page)
    data = json.loads(re.search(r'class="ag-data">(.*?)</script>', page, re.S).group(1))
    assert data["words"] == TABLES["zh"]["player"]
    titles = " ".join(frame["title"] for frame in data["frames"])
    assert "反向传播第 1 步" in titles and "backward" not in titles
    english = ag.animate(network()).save(tmp_path / "en.html").read_text()
    assert '<html lang="en">' in english and 'aria-label="Next"' in english


def test_a_drawing_in_chinese_warns_what_to_install(monkeypatch):
    source = 'digraph { a [label="参数"] }'
    with pytest.warns(UserWarning, match="graphviz-pure measures Chinese"):
        rendering.warn_chinese(source, "svg", "/venv/bin/graphviz-pure")
    monkeypatch.setattr(rendering, "chinese_font", lambda: None)
    with pytest.warns(UserWarning, match="fonts-noto-cjk"):
        rendering.warn_chinese(source, "png", "/usr/bin/dot")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rendering.warn_chinese(source, "svg", "/usr/bin/dot")  # the viewer's fonts
        rendering.warn_chinese('digraph { a [label="x"] }', "png", "/venv/bin/graphviz-pure")
    monkeypatch.setattr(rendering, "chinese_font", lambda: "Noto Sans CJK SC")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rendering.warn_chinese(source, "png", "/usr/bin/dot")


def test_demo_tells_the_story_in_chinese(tmp_path):
    done = subprocess.run([sys.executable, "-m", "nn", "demo", "--lang", "zh", "--quiet",
                           "--out", str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for section in ("McCulloch-Pitts 神经元", "能算 XOR 的有 0 个", "Novikoff 定理", "收敛：否",
                    "解决 XOR", "对比 autograd", "手写数字", "测试集准确率"):
        assert section in out, section
    for english in ("Converged", "epochs", "test accuracy", "Done in", "training images"):
        assert english not in out, english
    accuracy = float(out.split("测试集准确率 ")[1].split("%")[0])
    assert accuracy >= 97.0
    assert (tmp_path / "digits_loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

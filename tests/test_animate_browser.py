"""ag.animate's saved page in headless Chromium: Next, Previous, Play, the keyboard and
the quiz, each checked against ``ag.explain``'s record of the same pass; no network
request, no console error, one printed page per step.

Needs the Debian packages ``chromium`` and ``chromium-driver`` and ``selenium`` from PyPI
(the ``dev`` extra; ``.ci/run`` installs the packages); skipped with a reason without them.
"""

import base64
import json
import re
import shutil
import time

import numpy as np
import pytest

import autograd as ag
import nn
from autograd.show.rendering import chinese_font, dot_program
from nn import functional as F
from nn.naming import document_names

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)
DRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the dev extra)")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                       reason="needs Chromium and chromedriver (apt-get install chromium "
                              "chromium-driver)"),
    pytest.mark.skipif(dot_program() is None,
                       reason="needs Graphviz's 'dot' program or graphviz-pure"),
]
# The machine may have no network: these flags keep Chromium from trying to reach one.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,900"]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")

STATE = """
const root = document.querySelector('.ag-animation');
const title = g => g.querySelector('title').textContent;
const grads = {};
root.querySelectorAll('svg .node').forEach(g => {
  const lines = [...g.querySelectorAll('text.grad-line')].map(t => t.textContent);
  if (lines.join('').trim()) grads[title(g)] = lines.join(' ').replace(/\\s+/g, ' ').trim();
});
const cells = {}, rows = [];
root.querySelectorAll('.ag-row tr').forEach(r => {
  const value = r.cells[1] ? r.cells[1].innerText : '';  // a heading spans the row
  cells[r.cells[0].textContent] = value;
  rows.push([r.cells[0].textContent.replace(/\\s+/g, ' '), value]);
});
return {status: root.querySelector('[role=status]').textContent,
        current: [...root.querySelectorAll('svg .node.current')].map(title).sort(),
        cells: cells, rows: rows, grads: grads,
        playing: root.querySelector('[aria-label=Play]').getAttribute('aria-pressed')};
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.get("about:blank")
    yield driver
    driver.quit()


def open_page(browser, animation, path):
    """Load the saved page; afterwards check every request was the page itself and the
    console stayed clean."""
    animation.save(path)
    browser.get_log("performance")  # drop earlier pages' events
    browser.get(path.as_uri())
    return path.as_uri()


def requests_and_errors(browser, page):
    """The URLs the page requested, any network URL requested at all, and the console
    errors since the page was opened (the browser's own start page is not ours)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if url.startswith("data:"):  # inline data (the notebook's fallback picture)
                continue
            if params["documentURL"] == page or re.match(r"(https?|wss?|ftp)://", url):
                urls.append(url)
        elif message["method"].startswith("Network.webSocket"):
            urls.append(params.get("url", "a websocket"))
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    return urls, errors


def state(browser):
    return browser.execute_script(STATE)


def press(browser, label, times=1):
    for _ in range(times):
        browser.find_element("css selector", f"[aria-label={label}]").click()


def key(browser, name):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(browser).send_keys(getattr(Keys, name)).perform()


def numbers(text):
    return np.array([float(v) for v in NUMBER.findall(text)])


def close(text, values):
    """The numbers in ``text`` are ``values`` to the 4 significant digits shown."""
    shown = numbers(text)
    return shown.shape == np.ravel(values).shape and np.allclose(
        shown, np.ravel(values), rtol=1e-3, atol=1e-12)


def document_network():
    ag.manual_seed(1)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    loss = F.mse_loss(model(ag.Tensor([[0.5, -1.0, 2.0]])), ag.Tensor([[0.0, 1.0, 0.0]]),
                      reduction="half_sum")
    return loss, document_names(model, loss)


def test_next_and_previous_walk_the_recorded_pass_of_the_document_network(browser, tmp_path):
    loss, names = document_network()
    page = open_page(browser, ag.animate(loss, names=names), tmp_path / "mlp.html")
    steps = ag.explain(loss, names=names).steps
    n = 2 * len(steps)
    assert state(browser)["status"] == f"step 0 / {n}"
    for k, step in enumerate(reversed(steps), start=1):  # forward: inputs first
        press(browser, "Next")
        now = state(browser)
        assert now["status"] == f"step {k} / {n}"
        assert now["current"] == sorted([step.op, step.output])
        output = next(v for c, v in now["cells"].items() if c.startswith("output"))
        assert close(output, names_value(names, step.output, loss))
    for k, step in enumerate(steps, start=len(steps) + 1):
        press(browser, "Next")
        now = state(browser)
        assert now["status"] == f"step {k} / {n}"
        assert now["current"] == sorted([step.op, step.output])
        incoming = next(v for c, v in now["cells"].items() if c.startswith("incoming"))
        assert close(incoming, step.incoming)
        sent = [v for c, v in now["rows"] if " ← " in c]
        for text, send in zip(sent, step.sends, strict=True):
            assert close(text, send.gradient)
    delta1 = state(browser)["grads"]["u1"]
    assert delta1.startswith("δ1 ") and close(delta1[3:], steps[-1].incoming)
    press(browser, "Previous")  # the step that sent δ1 = ∂E/∂u1 (S15)
    assert state(browser)["current"] == sorted([steps[-2].op, steps[-2].output])
    assert "u1" in state(browser)["grads"]
    press(browser, "Previous")
    assert state(browser)["current"] == sorted([steps[-3].op, steps[-3].output])
    assert "u1" not in state(browser)["grads"]  # and before it δ1 is not shown
    urls, errors = requests_and_errors(browser, page)
    assert urls == [page] and errors == []


def names_value(names, label, loss):
    """The forward value of the tensor the document calls ``label`` (E: the loss)."""
    return (loss if label == "E" else names[label]).data


def test_keyboard_and_play(browser, tmp_path):
    loss, names = document_network()
    open_page(browser, ag.animate(loss, names=names), tmp_path / "keys.html")
    key(browser, "ARROW_RIGHT")
    key(browser, "ARROW_RIGHT")
    assert state(browser)["status"] == "step 2 / 16"
    key(browser, "ARROW_LEFT")
    assert state(browser)["status"] == "step 1 / 16"
    key(browser, "END")
    assert state(browser)["status"] == "step 16 / 16"
    key(browser, "HOME")
    key(browser, "SPACE")  # space plays
    assert state(browser)["playing"] == "true"
    deadline = time.monotonic() + 5
    while state(browser)["status"] == "step 0 / 16" and time.monotonic() < deadline:
        time.sleep(0.1)
    press(browser, "Play")  # and the button pauses
    paused = state(browser)
    assert paused["playing"] == "false" and paused["status"] != "step 0 / 16"
    time.sleep(1.5)
    assert state(browser)["status"] == paused["status"]
    key(browser, "END")  # the arrows step while a button has the focus too
    press(browser, "Previous")
    key(browser, "ARROW_LEFT")
    assert state(browser)["status"] == "step 14 / 16"


def test_fan_out_gradient_is_summed_on_screen(browser, tmp_path):
    x = ag.Tensor([1.5, -2.0], requires_grad=True, name="x")
    y = ((x + x) * x).sum()
    page = open_page(browser, ag.animate(y, forward=False), tmp_path / "fan.html")
    explanation = ag.explain(y)
    (total,) = explanation.totals
    arrived = []
    for step in explanation.steps:
        press(browser, "Next")
        shown = state(browser)["grads"].get("x")
        arrived += [g for i, g in total.parts if i == step.index]
        if arrived:
            partial = "(" in shown
            assert partial == (len(arrived) < len(total.parts))
            values = re.sub(r"^grad( \(\d+ of \d+\))?", "", shown)
            assert close(values, np.sum(arrived, axis=0))
    y.backward()
    assert close(state(browser)["grads"]["x"][4:], x.grad.data)
    urls, errors = requests_and_errors(browser, page)
    assert urls == [page] and errors == []


def test_quiz_accepts_the_right_answer_and_rejects_a_wrong_one(browser, tmp_path):
    a = ag.Tensor(2.0, requires_grad=True, name="a")
    b = ag.Tensor(-3.0, requires_grad=True, name="b")
    y = a * b
    open_page(browser, ag.animate(y, quiz=True, forward=False), tmp_path / "quiz.html")
    (step,) = ag.explain(y).steps
    press(browser, "Next")
    assert state(browser)["cells"]["sends"].startswith("?")
    assert "a" not in state(browser)["grads"]  # not shown before it is answered
    fields = {f.get_attribute("aria-label"): f for f in
              browser.find_elements("css selector", ".ag-quiz input")}
    answers = {f"∂E/∂{s.to}": float(s.gradient) for s in step.sends}  # a ← b, b ← a
    assert set(fields) == set(answers)
    for label, field in fields.items():
        field.send_keys(str(answers[label] + 1))
    browser.find_element("xpath", "//button[text()='Check']").click()
    assert all("ag-wrong" in f.get_attribute("class") for f in fields.values())
    assert state(browser)["cells"]["sends"].startswith("?")
    for label, field in fields.items():
        field.clear()
        field.send_keys(str(answers[label]).replace("-", "−"))  # the typographic minus too
    browser.find_element("xpath", "//button[text()='Check']").click()
    fields = browser.find_elements("css selector", ".ag-quiz input")
    assert all("ag-right" in f.get_attribute("class") for f in fields)
    now = state(browser)
    assert close(now["grads"]["a"][4:], -3.0) and close(now["grads"]["b"][4:], 2.0)


def test_quiz_hints_then_reveals_and_next_waits_for_an_answer_or_skip(browser, tmp_path):
    x = ag.Tensor([0.5, 1.0], requires_grad=True, name="x")
    y = x.sigmoid().sum()
    open_page(browser, ag.animate(y, quiz=True, forward=False), tmp_path / "reveal.html")
    expected = ag.explain(y).steps[1].sends[0].gradient
    press(browser, "Next")

    def shown(name):
        return browser.find_element("css selector", f".ag-quiz .{name}").is_displayed()

    def disabled(label):
        return browser.find_element("css selector", f"[aria-label={label}]").get_attribute(
            "disabled") is not None

    assert disabled("Next") and shown("ag-skip")  # Next waits while the question is open
    browser.find_element("css selector", ".ag-skip").click()  # Skip moves on
    assert state(browser)["status"] == "step 2 / 2"
    assert not shown("ag-reveal") and not shown("ag-hint")  # no Reveal before an answer
    for field in browser.find_elements("css selector", ".ag-quiz input"):
        field.send_keys("7")
    browser.find_element("css selector", ".ag-check").click()
    assert shown("ag-hint") and shown("ag-reveal")  # a wrong answer gets the hint first
    hinted = [r.find_element("tag name", "th").text
              for r in browser.find_elements("css selector", ".ag-row tr.ag-hinted")]
    assert [h.split()[0] for h in hinted] == ["local", "incoming"]
    assert "local derivative" in browser.find_element("css selector", ".ag-hint").text
    browser.find_element("css selector", ".ag-reveal").click()
    values = [float(f.get_attribute("value")) for f in
              browser.find_elements("css selector", ".ag-quiz input")]
    np.testing.assert_allclose(values, expected, rtol=1e-3)  # the recorded answers
    assert close(state(browser)["grads"]["x"][4:], expected)  # the graph shows the truth


def test_prints_one_step_per_page(browser, tmp_path):
    x = ag.Tensor([1.5, -2.0], requires_grad=True, name="x")
    animation = ag.animate(((x + x) * x).sum(), forward=False)  # fits on one page
    open_page(browser, animation, tmp_path / "print.html")
    pdf = base64.b64decode(browser.print_page())  # printing fires beforeprint
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(animation.frames) == 4
    assert browser.execute_script("return document.querySelector('.ag-print').textContent") == ""


def test_two_players_on_one_page_are_independent(browser, tmp_path):
    x = ag.Tensor([1.5, -2.0], requires_grad=True, name="x")
    first, second = ag.animate((x * x).sum()), ag.animate(((x + x) * x).sum(), quiz=True)
    page = tmp_path / "notebook.html"  # as Jupyter shows outputs: fragments, no page class
    page.write_text("<!DOCTYPE html><html><body>" + first._repr_html_()
                    + second._repr_html_() + "</body></html>")
    browser.get_log("performance")
    browser.get(page.as_uri())
    roots = browser.find_elements("css selector", ".ag-animation")

    def statuses():
        return [r.find_element("css selector", "[role=status]").text for r in roots]

    assert statuses() == ["step 0 / 4", "step 0 / 6"]
    roots[1].find_element("css selector", "[aria-label=Next]").click()
    assert statuses() == ["step 0 / 4", "step 1 / 6"]
    roots[0].click()  # keys go to the player that has the focus
    key(browser, "ARROW_RIGHT")
    assert statuses() == ["step 1 / 4", "step 1 / 6"]
    urls, errors = requests_and_errors(browser, page.as_uri())
    assert urls == [page.as_uri()] and errors == []


GEOMETRY = """
const root = document.querySelector('.ag-animation');
const box = e => { const r = e.getBoundingClientRect();
                   return [r.left, r.top, r.right, r.bottom]; };
const svg = root.querySelector('svg.ag-graph');
const perPoint = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
const sizes = [...svg.querySelectorAll('g.node text')].filter(t => t.textContent.trim())
  .map(t => parseFloat(getComputedStyle(t).fontSize) * perPoint);
const current = [...root.querySelectorAll('svg .node.current')].map(box);
return {stage: box(root.querySelector('.ag-stage')), graph: box(svg),
        panel: box(root.querySelector('.ag-panel')),
        current: current, font: Math.min(...sizes),
        page: [document.documentElement.scrollWidth, window.innerWidth],
        buttons: [...root.querySelectorAll('button')].filter(b => b.offsetParent)
                   .map(b => [b.getBoundingClientRect().width, b.getBoundingClientRect().height])};
"""


def resize(browser, width, height):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def inside(inner, outer, slack=1.0):
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


@pytest.fixture
def command_line_page(tmp_path):
    """The page ``python -m nn animate`` writes: the document's 3-3-3 network, recorded."""
    from nn.cli import main

    path = tmp_path / "backprop.html"
    assert main(["animate", "--out", str(path)]) == 0
    return path


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_the_whole_network_fits_the_stage_and_the_page_fits_the_screen(
        browser, command_line_page, width, height):
    resize(browser, width, height)
    try:
        browser.get(command_line_page.as_uri())
        found = browser.execute_script(GEOMETRY)
        # the loss is one node E: 2 linear + 2 sigmoid + E, forward then backward
        assert state(browser)["status"] == "step 0 / 10"
        assert inside(found["graph"], found["stage"])  # fitted: the whole graph in view
        assert found["page"][0] <= found["page"][1]  # no horizontal overflow
        assert all(w >= 44 and h >= 44 for w, h in found["buttons"])  # touch targets
        if width >= 1000:  # the lesson's network is legible on a projector's screen
            assert found["font"] >= 10
            assert found["panel"][0] >= found["stage"][2]  # the panel beside the stage
        else:
            assert found["panel"][1] >= found["stage"][3]  # the panel under the stage
    finally:
        resize(browser, 1400, 900)


def test_zoomed_in_the_current_op_stays_in_view_and_fit_shows_all(browser, command_line_page):
    resize(browser, 1280, 900)
    try:
        browser.get(command_line_page.as_uri())
        press(browser, "'Zoom in'", 4)
        for _ in range(10):
            press(browser, "Next")
            found = browser.execute_script(GEOMETRY)
            assert found["current"] and all(inside(c, found["stage"]) for c in found["current"])
        assert not inside(found["graph"], found["stage"])  # zoomed: only part in view
        browser.find_element("css selector", ".ag-fit").click()
        found = browser.execute_script(GEOMETRY)
        assert inside(found["graph"], found["stage"])
    finally:
        resize(browser, 1400, 900)


def test_a_notebook_opened_cold_shows_the_whole_final_graph_at_cell_width(browser, tmp_path):
    ag.manual_seed(1)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    with ag.record_modules(model):  # names and the loss as one node, without names=
        loss = F.mse_loss(model(ag.Tensor([[0.5, -1.0, 2.0]])), ag.Tensor([[0.0, 1.0, 0.0]]),
                          reduction="half_sum")
    output = ag.animate(loss)._repr_html_()
    # as an untrusted notebook shows it: scripts stripped, in a cell 900 px wide
    cold = re.sub(r"<script\b.*?</script>", "", output, flags=re.S)
    page = tmp_path / "cold.html"
    page.write_text('<!DOCTYPE html><html><body><div style="width: 900px">' + cold
                    + "</div></body></html>")
    browser.get(page.as_uri())
    picture = browser.find_element("css selector", ".ag-fallback img")
    assert picture.size["width"] == 900
    assert "run this cell" in browser.find_element("css selector", ".ag-fallback p").text
    assert not browser.find_element("css selector", ".ag-player").is_displayed()
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", cold).group(1)).decode()
    titles = set(re.findall(r"<title>([^<]*)</title>", svg))
    every = {"x", "W1", "b1", "u1", "y1", "W2", "b2", "u2", "y2", "t", "E = ½ Σ (y2 − t)²"}
    assert every <= titles  # the whole graph, every gradient in place
    assert "δ1" in svg and "δ2" in svg


def test_the_layer_view_steps_through_the_same_record_with_the_documents_deltas(
        browser, command_line_page):
    from nn import backprop as bp
    from nn.mlp import MLP

    resize(browser, 1280, 900)
    try:
        browser.get(command_line_page.as_uri())
        toggle = browser.find_element("css selector", ".ag-view")
        assert toggle.is_displayed() and toggle.text == "Layer view"
        toggle.click()
        assert not browser.find_element("css selector", ".ag-canvas").is_displayed()

        def delta(l):
            block = browser.find_elements(
                "css selector", f".ag-layers [data-name=u{l}] .ag-lgrad")
            return block[0].text if block else None

        layer_rows = []
        for _ in range(10):
            press(browser, "Next")
            layer_rows.append([r[0] for r in state(browser)["rows"]])
            if len(layer_rows) == 6:  # after the loss step only δ2's inputs are known
                assert delta(1) is None
        # the same model and sample as python -m nn animate (seed 0), by the document's
        # own formulas in plain NumPy (S14, S15)
        ag.manual_seed(0)
        model = MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
        generator = ag.get_generator()
        x = generator.standard_normal((1, 3))
        t = generator.random((1, 3))
        W, b, f = bp.params(model)
        u, y = bp.forward(W, b, f, x.T)
        deltas = bp.deltas(W, f, u, y, t.T)
        for l in (1, 2):
            shown = delta(l)
            assert shown.startswith(f"δ{l}") and close(shown[2:], deltas[l])
        # each backward step shows its equation of S12–S16, numbers filled in
        headings = [rows[1] for rows in layer_rows[5:]]
        assert headings == ["∂E/∂y2, the error's gradient (S12, S13)",
                            "δ2 = ∂E/∂y2 ∘ f′(u2) (S14, S15)", "∂E/∂W2 = δ2 y1ᵀ (S16)",
                            "δ1 = ∂E/∂y1 ∘ f′(u1) (S14, S15)", "∂E/∂W1 = δ1 xᵀ (S16)"]
        assert "∂E/∂y1 = W2ᵀ δ2 (S15)" in layer_rows[7]
        toggle.click()
        assert browser.find_element("css selector", ".ag-canvas").is_displayed()
    finally:
        resize(browser, 1400, 900)


@pytest.mark.skipif(chinese_font() is None,
                    reason="needs a Chinese font for the screenshots (apt-get install "
                           "fonts-noto-cjk)")
def test_the_chinese_page_steps_and_speaks_chinese(browser, tmp_path):
    """lang="zh" (issue 24): <html lang="zh-CN">, the controls' aria-labels 上一步 / 播放 /
    下一步, the status 第 k 步 / 共 n 步, the same pass as the English page; at a desktop
    and a phone size the page fits the screen (screenshots kept beside the page)."""
    loss, names = document_network()
    steps = ag.explain(loss, names=names).steps
    n = 2 * len(steps)
    page = open_page(browser, ag.animate(loss, names=names, lang="zh"), tmp_path / "zh.html")
    status = "return document.querySelector('[role=status]').textContent"
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    assert browser.execute_script(status) == f"第 0 步 / 共 {n} 步"
    press(browser, "下一步", times=len(steps) + 1)  # the forward steps, then the first back
    assert browser.execute_script(status) == f"第 {len(steps) + 1} 步 / 共 {n} 步"
    title = browser.find_element("css selector", ".ag-title").text
    assert title.startswith(f"反向传播第 1 步（共 {len(steps)} 步）")
    press(browser, "上一步")
    assert browser.execute_script(status) == f"第 {len(steps)} 步 / 共 {n} 步"
    assert browser.find_element("css selector", "[aria-label=播放]").is_displayed()
    try:
        for width, height in ((1280, 900), (390, 844)):
            resize(browser, width, height)
            assert browser.execute_script(
                "return document.documentElement.scrollWidth") <= width
            browser.save_screenshot(str(tmp_path / f"zh_{width}.png"))
    finally:
        resize(browser, 1400, 900)
    urls, errors = requests_and_errors(browser, page)
    assert urls == [page] and errors == []

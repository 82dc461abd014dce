"""The English table (the default); ``autograd.words`` says how tables are read."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {}

# ag.animate's page and frames (autograd/show/animate.py, player/)
WORDS["player"] = {
    "previous": "Previous", "previous_key": "Previous (←)",
    "play": "Play", "play_key": "Play / Pause (space)",
    "next": "Next", "next_key": "Next (→)",
    "step_slider": "Step", "status": "step {k} / {n}",
    "zoom_in": "Zoom in", "zoom_out": "Zoom out", "fit": "Fit the graph to the stage",
    "fit_short": "Fit", "stage": "the graph: drag to pan",
    "layers": "Layer view", "graph": "Graph view",
    "table": "the whole pass as a table (ag.explain)",
    "cold": "A picture of the final state: run this cell to step through the pass "
            "(the player needs the notebook's scripts, which do not run until then).",
    "quiz_intro": "Your turn: what gradient does each input receive? "
                  "(right within {rtol} % or {atol})",
    "first_entry": "(its first entry)",
    "secret": "? (your turn: type the gradients below)",
    "check": "Check", "reveal": "Reveal", "skip": "Skip",
    "wrong": "{count} not right yet",
    "all_right": "all right",
    "hint": "Hint: each input receives the incoming gradient times the local "
            "derivative (the two rows marked above): multiply them entry by entry, "
            "or as the formula says for a matrix. Try again, or Reveal.",
    "waiting": "answer, Reveal or Skip to go on",
    "print_step": "step {k} / {n}: {title}",
    "layer": "layer {l}", "input": "input",
    "pass_title": "backward pass of {output}",
    "pass_label": "{title}, step by step",
    # the frames (frames.py, layers.py)
    "start": "the graph of {output}: {n} steps; press → (Next) to step through",
    "forward_row": "forward", "forward_text": "values appear op by op, inputs first",
    "forward_title": "forward {k} of {n}: {op} computes {output}",
    "forward_step": "forward {k} of {n}",
    "backward_title": "backward {k} of {n}: {op} sends {gradient} on to its inputs",
    "backward_step": "backward {k} of {n}",
    "step": "step", "op": "op", "formula": "formula",
    "input_row": "input {name}", "output_row": "output {name}",
    "local": "local derivative", "incoming": "incoming {gradient}",
    "contributions": "contributions ({n})", "initial": "initial ∂E/∂E: ",
    "from_step": "from step {k}: ", "sum": "sum: ", "sends": "sends",
    "leaves": "gradients of the leaves",
    "grad": "grad", "part": "{caption} ({k} of {n})",
    "collapsed": "the {n} ops {ops} as one step: it sends what the last one sends "
                 "(ag.animate(..., expand_loss=True) steps through each)",
    "error_gradient": "∂E/∂{y}, the error's gradient   (S12, S13)",
    # notes above the player
    "cut": "This graph has {ops} ops; the {drawn} nearest the output are drawn and "
           "stepped through, {hidden} are left out (ag.animate(..., max_ops=None) "
           "shows all).",
    "record_hint": "tip: run the forward inside ag.record_modules(model) to get the "
                   "module's names (W1, u1, y1, δ1 for an nn.MLP), boxes and its loss as "
                   "one step",
}

# ag.explain's table (autograd/show/explain.py)
WORDS["explain"] = {
    "title": "backward pass of {output}",
    "step": "step", "op": "op", "local": "local derivative",
    "incoming": "incoming ∂E/∂output", "sends": "sends",
    "from_step": "{gradient} (step {k})", "shape": "shape {shape}",
}

# explain(...).to_latex(): the words beside the maths (autograd/show/latex.py)
WORDS["latex"] = {"step": "step {k}"}

# ag.draw's fixed words (autograd/show/draw.py, notation.py)
WORDS["draw"] = {
    "output": "output", "parameter": "parameter", "leaf": "leaf", "constant": "constant",
    "data": "data", "grad": "grad",
    "freed": "values freed by backward",
    "freed_hint": "values freed by backward: call ag.retain_grads(output) before "
                  "output.backward() to keep every value and gradient",
    "record_hint": "tip: run the forward inside ag.record_modules(model) to get the "
                   "module's names (W1, u1, y1, δ1 for an nn.MLP) and boxes",
    "cut": "⋯ {hidden} more ops not drawn (max_ops={max_ops}; draw(..., max_ops=None) "
           "draws all)",
}

# nn.draw_model's block diagram (nn/drawing.py)
WORDS["model"] = {
    "input": "input", "output": "output", "op": "op", "op_in": "op in {owner}.forward",
    "parameters": "{count} parameters", "title": "{model}: {count} parameters",
    "relu_derivative": "1 where u{l} > 0, else 0   (S10)",
}

# nn.backprop.compare's report (nn/backprop_report.py)
WORDS["report"] = {
    "layer": "layer", "units": "units", "delta": "δ vs ∂E/∂u", "max_grad": "max |grad|",
    "title": "nn.backprop formulas (S13–S16) vs autograd — loss {loss}, batch {batch}, "
             "E = {formulas} (formulas), {autograd} (autograd)",
    "largest": "largest |formula − autograd| per layer:",
}

# python -m nn demo (nn/demo.py)
WORDS["demo"] = {
    "true": "True", "false": "False",
    "mcp": "1. McCulloch-Pitts neurons (1943, S1): output 1 when Σ w_i x_i ≥ θ",
    "not": "   NOT (w = −1, θ = 0): 0 → {zero}, 1 → {one}",
    "and_or": "   AND is w = (1, 1), θ = 2; OR is w = (1, 1), θ = 1.",
    "search": "   Trying all 7³ = 343 units with integer w1, w2, θ in [−3, 3]:\n   AND is "
              "computed by {and_}, OR by {or_}, XOR by {xor}.",
    "no_xor": "   No weights can do XOR: (0,0) → 0 needs 0 < θ; (1,0), (0,1) → 1 need w1 ≥ θ "
              "and w2 ≥ θ,\n   so w1 + w2 ≥ 2θ > θ, yet (1,1) → 0 needs w1 + w2 < θ. One "
              "threshold unit draws one line (S6).",
    "perceptron": "2. The perceptron (1958, S3-S5) on linearly separable data",
    "separable": "   100 points, margin γ ≥ 0.3 around a random line. Converged: "
                 "{converged},\n   after {epochs} epochs and {updates} updates (mistakes per "
                 "epoch {mistakes}).",
    "novikoff": "   Novikoff (S5): at most (R/γ)² = {bound:.0f} updates for this data, with "
                "the bias folded in; it made {updates}.",
    "xor": "3. The same perceptron on XOR (S6): no line separates it",
    "xor_result": "   Converged: {converged} after {epochs} epochs and {updates} updates;\n"
                  "   mistakes in the last epochs {mistakes}: it never settles.",
    "mlp": "4. An MLP 2-4-1 (tanh, sigmoid output) solves XOR",
    "mlp_loss": "   2,000 steps of S17 on E = ½ Σ (t − y)² (S12): E went from {start:.3f} "
                "to {end:.4f}.",
    "mlp_row": "    {x1} {x2} → y = {y:.3f} (target {t})",
    "backprop": "5. Backpropagation by hand (S13-S16) against autograd, MLP 3-3-3 sigmoid",
    "digits": "6. An MLP 64-128-10 (ReLU, cross-entropy, Adam) on 8×8 handwritten digits",
    "digits_result": "   {train} training images, {test} test images, 40 epochs in "
                     "{seconds:.1f} s: test accuracy {accuracy:.2%}.",
    "curve": "   Loss curve written to {path}",
    "training_loss": "training loss", "test_loss": "test loss", "epoch": "epoch",
    "cross_entropy": "cross-entropy", "curve_title": "MLP 64-128-10 on digits",
    "no_font": "   (the plot's words are in English: no Chinese font was found; install "
               "one, e.g. 'apt-get install fonts-noto-cjk')",
    "done": "\nDone in {seconds:.1f} s.",
}

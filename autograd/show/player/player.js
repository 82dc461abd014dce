/* The step-through player of ag.animate: plain browser JavaScript, no framework.
 *
 * Each .ag-animation element carries its frames as JSON (<script class="ag-data">),
 * written by autograd/show/player/frames.py from the recorded backward pass, and its
 * words (data.words, from words.py). The player only applies the frames: frame k's
 * picture is frames 0..k's node states and gradient texts laid over the neutral drawing,
 * plus frame k's highlighted nodes and edges. It computes nothing about the pass; quiz
 * answers are the recorded gradients. The stage shows the graph fitted to it; zoom
 * buttons, the wheel with Ctrl, and dragging (mouse, pen or finger) move the view.
 */
(function () {
  "use strict";

  var PLAY_DELAY_MS = 1200;
  var ZOOM_STEP = 1.25;
  var MAX_FIT = 1.5;  // a small graph is enlarged at most this much when fitted

  function say(words, key, values) {
    return words[key].replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function byId(svg) {
    var parts = {};
    svg.querySelectorAll("[data-id]").forEach(function (el) {
      parts[el.getAttribute("data-id")] = {
        el: el,
        base: el.getAttribute("class").split(" ")[0],
        lines: el.querySelectorAll("text.grad-line"),
      };
    });
    return parts;
  }

  function stateAt(frames, upto) {
    var states = {}, grads = {};
    for (var k = 0; k <= upto; k++) {
      Object.assign(states, frames[k].states);
      Object.assign(grads, frames[k].grads);
    }
    return { states: states, grads: grads };
  }

  function paint(parts, state, current, edges) {
    Object.keys(parts).forEach(function (id) {
      var part = parts[id], names = [part.base];
      if (state.states[id]) names.push(state.states[id]);
      if (current.indexOf(id) >= 0) names.push("current");
      if (edges.indexOf(id) >= 0) names.push("active");
      part.el.setAttribute("class", names.join(" "));
      var lines = state.grads[id] || [];
      part.lines.forEach(function (text, n) { text.textContent = lines[n] || ""; });
    });
  }

  /* A value as the drawing writes it: a grid of numbers between bars. */
  function grid(rows) {
    var table = document.createElement("table");
    table.className = "ag-grid";
    rows.forEach(function (row) {
      var tr = table.insertRow();
      row.forEach(function (text) { tr.insertCell().textContent = text; });
    });
    return table;
  }

  /* The panel's rows: [name, text, grid or null, role]; a sent gradient's row (role
     "sent") is hidden while the quiz waits for it. */
  function cellRows(table, cells, secret, words) {
    table.textContent = "";
    cells.forEach(function (cell) {
      if (secret && cell[3] === "sent") return;
      var row = table.insertRow(), head = document.createElement("th");
      head.scope = "row";
      head.textContent = cell[0];
      row.appendChild(head);
      row.setAttribute("data-role", cell[3] || "");
      var hidden = secret && cell[3] === "sends";
      if (cell[1] === "" && !cell[2] && !hidden) {  // a heading: an equation, "sends"
        head.colSpan = 2;
        head.className = "ag-heading";
        return;
      }
      var value = row.insertCell();
      if (hidden) {
        value.textContent = words.secret;
        value.className = "ag-secret";
      } else if (cell[2]) {
        value.appendChild(grid(cell[2]));
      } else {
        value.textContent = cell[1];
      }
    });
  }

  function parseNumber(text) {
    var t = text.trim().replace(/\u2212/g, "-");
    var fraction = /^(-?[0-9.e+-]+)\s*\/\s*([0-9.e+-]+)$/i.exec(t);
    if (fraction) return Number(fraction[1]) / Number(fraction[2]);
    return t === "" ? NaN : Number(t);
  }

  /* The view of the stage: the graph scaled by `scale` and moved by (x, y) pixels. */
  function View(stage, canvas, svg) {
    var view = { scale: 1, x: 0, y: 0, fitted: 1 };
    svg.style.width = svg.getAttribute("width");
    svg.style.height = svg.getAttribute("height");
    var natural = svg.getBoundingClientRect();
    view.width = natural.width;
    view.height = natural.height;

    view.apply = function () {
      canvas.style.transform = "translate(" + view.x + "px, " + view.y + "px) scale(" +
        view.scale + ")";
    };
    view.fit = function () {
      var s = stage.getBoundingClientRect();
      view.scale = view.fitted = Math.min(s.width / view.width, s.height / view.height,
                                          MAX_FIT);
      view.x = (s.width - view.width * view.scale) / 2;
      view.y = (s.height - view.height * view.scale) / 2;
      view.apply();
    };
    view.zoom = function (factor, cx, cy) {  // about the stage point (cx, cy)
      var s = stage.getBoundingClientRect();
      if (cx === undefined) { cx = s.width / 2; cy = s.height / 2; }
      var scale = Math.max(view.fitted / 2, Math.min(view.scale * factor, 8));
      view.x = cx - (cx - view.x) * scale / view.scale;
      view.y = cy - (cy - view.y) * scale / view.scale;
      view.scale = scale;
      view.apply();
    };
    view.show = function (els) {  // bring els into the stage if one is out of it
      var s = stage.getBoundingClientRect(), r = null;
      els.forEach(function (el) {
        var b = el.getBoundingClientRect();
        r = r ? { left: Math.min(r.left, b.left), top: Math.min(r.top, b.top),
                  right: Math.max(r.right, b.right), bottom: Math.max(r.bottom, b.bottom) }
          : { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
      });
      if (r && (r.left < s.left || r.right > s.right || r.top < s.top || r.bottom > s.bottom)) {
        view.x += s.left + s.width / 2 - (r.left + r.right) / 2;
        view.y += s.top + s.height / 2 - (r.top + r.bottom) / 2;
        view.apply();
      }
    };
    var drag = null;
    stage.addEventListener("pointerdown", function (event) {
      if (event.target.closest("button")) return;
      drag = { id: event.pointerId, x: event.clientX, y: event.clientY };
      stage.setPointerCapture(event.pointerId);
      stage.classList.add("ag-dragging");
    });
    stage.addEventListener("pointermove", function (event) {
      if (!drag || drag.id !== event.pointerId) return;
      view.x += event.clientX - drag.x;
      view.y += event.clientY - drag.y;
      drag.x = event.clientX;
      drag.y = event.clientY;
      view.apply();
    });
    function release() { drag = null; stage.classList.remove("ag-dragging"); }
    stage.addEventListener("pointerup", release);
    stage.addEventListener("pointercancel", release);
    stage.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;  // a plain wheel scrolls the page
      var s = stage.getBoundingClientRect();
      view.zoom(event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, event.clientX - s.left,
                event.clientY - s.top);
      event.preventDefault();
    }, { passive: false });
    return view;
  }

  /* A gradient's texts ([caption, cells…]) in the shape of its values' grid. */
  function gradientGrid(texts, value) {
    var cells = texts.slice(1), rows = [];
    if (!value.grid) return null;
    var width = value.grid[0].length;
    for (var r = 0; r < cells.length; r += width) rows.push(cells.slice(r, r + width));
    return grid(rows);
  }

  /* The document's layer picture (layers.py): columns x | u1 y1 | u2 y2 …, with W_l and
     b_l between them; a value shows once computed, a gradient as it arrives (δ_l is the
     gradient of u_l). */
  function layerView(box, layers, state, current, words) {
    box.textContent = "";
    function block(entry, className) {
      var name = entry[0], id = entry[1], value = layers.values[id];
      var div = document.createElement("div");
      div.className = "ag-lblock " + className + (current.indexOf(id) >= 0 ? " ag-current" : "");
      div.setAttribute("data-name", name);
      var head = document.createElement("div");
      head.className = "ag-lname";
      head.textContent = name;
      div.appendChild(head);
      var row = document.createElement("div");
      row.className = "ag-lrow";
      if (state.states[id] !== "pending") row.appendChild(grid(value.grid || [["…"]]));
      var texts = state.grads[id];
      if (texts) {
        var g = document.createElement("div"), caption = document.createElement("div");
        g.className = "ag-lgrad";
        caption.textContent = texts[0];
        g.appendChild(caption);
        g.appendChild(gradientGrid(texts, value) || document.createTextNode(texts.slice(1).join(" ")));
        row.appendChild(g);
      }
      div.appendChild(row);
      return div;
    }
    layers.columns.forEach(function (column, l) {
      if (l > 0) {
        var edge = document.createElement("div");
        edge.className = "ag-ledge";
        layers.edges[l - 1].forEach(function (entry) { edge.appendChild(block(entry, "ag-lweight")); });
        var arrow = document.createElement("div");
        arrow.className = "ag-larrow";
        arrow.textContent = "\u2192";
        edge.appendChild(arrow);
        box.appendChild(edge);
      }
      var col = document.createElement("div"), head = document.createElement("h4");
      col.className = "ag-lcolumn";
      head.textContent = l === 0 ? words.input : say(words, "layer", { l: l });
      col.appendChild(head);
      column.forEach(function (entry) { col.appendChild(block(entry, "ag-lvector")); });
      box.appendChild(col);
    });
  }

  function setup(root) {
    root.setAttribute("data-ready", "");
    var data = JSON.parse(root.querySelector("script.ag-data").textContent);
    var frames = data.frames, last = frames.length - 1, words = data.words;
    var ui = {};
    ["player", "prev", "play", "next", "slider", "status", "stage", "canvas", "title", "row",
      "quiz", "table", "print", "fallback", "zoom-in", "zoom-out", "fit", "view",
      "layers"].forEach(function (name) {
      ui[name] = root.querySelector(".ag-" + name);
    });
    // The live picture replaces the static one (kept in a script element, so that a
    // notebook view that strips scripts shows no SVG text soup).
    ui.canvas.innerHTML = root.querySelector("script.ag-svg").textContent;
    if (ui.fallback) ui.fallback.remove();
    ui.player.hidden = false;
    ui.player.style.display = "";
    var svg = ui.canvas.querySelector("svg.ag-graph");
    var parts = byId(svg);
    var view = View(ui.stage, ui.canvas, svg);
    var shown = 0, timer = null, revealed = {}, hinted = {}, layered = false;

    function waiting(k) {
      return data.quiz && frames[k].quiz.length > 0 && !revealed[k];
    }

    function show(k) {
      shown = Math.max(0, Math.min(last, k));
      var frame = frames[shown], pending = waiting(shown);
      var state = stateAt(frames, pending ? shown - 1 : shown);
      paint(parts, state, frame.current, frame.edges);
      if (layered) layerView(ui.layers, data.layers, state, frame.current, words);
      ui.status.textContent = say(words, "status", { k: shown, n: last });
      ui.slider.value = String(shown);
      ui.title.textContent = frame.title;
      var rows = layered && frame.layer.length && !pending ? [frame.cells[0]].concat(frame.layer)
        : frame.cells;
      cellRows(ui.row, rows, pending, words);
      quiz(frame, shown, pending);
      ui.prev.disabled = shown === 0;
      ui.next.disabled = shown === last || (pending && data.wait);
      ui.next.title = ui.next.disabled && pending ? words.waiting : words.next_key;
      var current = frame.current.filter(function (id) { return parts[id]; });
      if (view.scale > view.fitted * 1.01) {
        view.show(current.map(function (id) { return parts[id].el; }));
      }
      if (timer && (shown === last || pending)) stop();
    }

    function quiz(frame, k, pending) {
      ui.quiz.textContent = "";
      ui.quiz.hidden = !(data.quiz && frame.quiz.length);
      if (ui.quiz.hidden) return;
      var inputs = [];
      var intro = document.createElement("p");
      intro.textContent = say(words, "quiz_intro", { rtol: data.rtol * 100, atol: data.atol });
      ui.quiz.appendChild(intro);
      frame.quiz.forEach(function (question) {
        var group = document.createElement("fieldset"), legend = document.createElement("legend");
        legend.textContent = question.name + (question.delta ? " = " + question.delta : "") +
          "  " + question.shape + (question.first_only ? "  " + words.first_entry : "");
        group.appendChild(legend);
        question.entries.forEach(function (entry) {
          var label = document.createElement("label"), input = document.createElement("input");
          input.type = "text";
          input.inputMode = "decimal";
          input.size = 9;
          input.setAttribute("aria-label", question.name + entry[0]);
          input.answer = entry[1];
          label.textContent = entry[0] + " ";
          label.appendChild(input);
          group.appendChild(label);
          inputs.push(input);
          if (!pending) mark(input, true, true);
        });
        ui.quiz.appendChild(group);
      });
      var check = button(words.check, "ag-check", function () {
        var right = inputs.map(function (input) {
          var value = parseNumber(input.value), answer = input.answer;
          var ok = Math.abs(value - answer) <= Math.max(data.rtol * Math.abs(answer), data.atol);
          mark(input, ok, false);
          return ok;
        });
        if (right.every(Boolean)) return reveal(k);
        hinted[k] = true;
        hint(k);
      });
      var give = button(words.reveal, "ag-reveal", function () { reveal(k); });
      var skip = button(words.skip, "ag-skip", function () { reveal(k); show(k + 1); });
      check.disabled = give.disabled = skip.disabled = !pending;
      give.hidden = pending && !hinted[k];  // a wrong answer first gets a hint
      skip.hidden = !data.wait || !pending;
      [check, give, skip].forEach(function (b) { ui.quiz.appendChild(b); });
      var verdict = document.createElement("p");
      verdict.className = "ag-verdict";
      verdict.setAttribute("role", "status");
      ui.quiz.appendChild(verdict);
      var help = document.createElement("p");
      help.className = "ag-hint";
      help.hidden = true;
      ui.quiz.appendChild(help);
      if (pending && hinted[k]) hint(k);
    }

    /* Point at the two rows a sent gradient is made of. */
    function hint(k) {
      var help = ui.quiz.querySelector(".ag-hint");
      help.textContent = words.hint;
      help.hidden = false;
      ui.row.querySelectorAll("tr").forEach(function (row) {
        var role = row.getAttribute("data-role");
        row.classList.toggle("ag-hinted", role === "local" || role === "incoming");
      });
      ui.quiz.querySelector(".ag-reveal").hidden = false;
    }

    function mark(input, ok, showAnswer) {
      if (showAnswer && input.value === "") input.value = String(Number(input.answer.toPrecision(4)));
      input.classList.toggle("ag-right", ok);
      input.classList.toggle("ag-wrong", !ok);
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      var verdict = ui.quiz.querySelector(".ag-verdict");
      if (verdict && !showAnswer) {
        var wrong = ui.quiz.querySelectorAll("input.ag-wrong").length;
        verdict.textContent = wrong ? say(words, "wrong", { count: wrong }) : words.all_right;
      }
    }

    function reveal(k) {
      revealed[k] = true;
      show(k);
    }

    function button(text, name, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = name;
      b.textContent = text;
      b.addEventListener("click", onClick);
      return b;
    }

    function stop() {
      clearInterval(timer);
      timer = null;
      ui.play.setAttribute("aria-pressed", "false");
      ui.play.textContent = "▶";
    }

    function toggle() {
      if (timer) return stop();
      if (shown === last) show(0);
      ui.play.setAttribute("aria-pressed", "true");
      ui.play.textContent = "❚❚";
      timer = setInterval(function () { show(shown + 1); }, PLAY_DELAY_MS);
    }

    function step(by) {
      if (by > 0 && ui.next.disabled) return;
      show(shown + by);
    }

    function key(event) {
      // Leave alone what the focused control does by itself: typing in a quiz field,
      // the slider's own arrow keys, a button's space and enter.
      var target = event.target, slider = target.type === "range";
      if (event.altKey || event.ctrlKey || event.metaKey || target.tagName === "TEXTAREA" ||
          (target.tagName === "INPUT" && !slider) ||
          (slider && event.key !== " ") ||
          (target.tagName === "BUTTON" && (event.key === " " || event.key === "Enter"))) return;
      var moves = { ArrowRight: 1, ArrowLeft: -1 };
      if (event.key in moves) step(moves[event.key]);
      else if (event.key === " ") toggle();
      else if (event.key === "Home") show(0);
      else if (event.key === "End") show(data.quiz && data.wait ? shown : last);
      else if (event.key === "+" || event.key === "=") view.zoom(ZOOM_STEP);
      else if (event.key === "-") view.zoom(1 / ZOOM_STEP);
      else if (event.key === "0") view.fit();
      else return;
      event.preventDefault();
    }

    function printPages() {
      ui.print.textContent = "";
      frames.forEach(function (frame, k) {
        var page = document.createElement("section"), heading = document.createElement("h3");
        page.className = "ag-print-page";
        heading.textContent = say(words, "print_step", { k: k, n: last, title: frame.title });
        var copy = svg.cloneNode(true);
        copy.style.width = copy.style.height = "";
        paint(byId(copy), stateAt(frames, k), frame.current, frame.edges);
        var table = document.createElement("table");
        table.className = "ag-cells";
        cellRows(table, frame.cells, false, words);
        page.appendChild(heading);
        page.appendChild(copy);
        page.appendChild(table);
        ui.print.appendChild(page);
      });
    }

    ui.prev.addEventListener("click", function () { show(shown - 1); });
    ui.next.addEventListener("click", function () { step(1); });
    ui.play.addEventListener("click", toggle);
    ui.slider.addEventListener("input", function () {
      var k = Number(ui.slider.value);
      for (var j = shown + 1; data.wait && j < k; j++) if (waiting(j)) k = j;
      show(k);
    });
    ui["zoom-in"].addEventListener("click", function () { view.zoom(ZOOM_STEP); });
    ui["zoom-out"].addEventListener("click", function () { view.zoom(1 / ZOOM_STEP); });
    ui.fit.addEventListener("click", view.fit);
    if (data.layers) {
      ui.view.hidden = false;
      ui.view.addEventListener("click", function () {
        layered = !layered;
        ui.view.setAttribute("aria-pressed", layered ? "true" : "false");
        ui.view.textContent = layered ? words.graph : words.layers;
        ui.canvas.hidden = layered;
        ui.layers.hidden = !layered;
        ui["zoom-in"].disabled = ui["zoom-out"].disabled = ui.fit.disabled = layered;
        show(shown);
      });
    }
    var standalone = document.body.classList.contains("ag-page");
    (standalone ? document : root).addEventListener("keydown", key);
    window.addEventListener("beforeprint", printPages);
    window.addEventListener("afterprint", function () { ui.print.textContent = ""; });
    var width = ui.stage.getBoundingClientRect().width;
    window.addEventListener("resize", function () {  // refit when the stage changes size
      var now = ui.stage.getBoundingClientRect().width;
      if (Math.abs(now - width) > 1) { width = now; view.fit(); }
    });
    ui.table.open = false;
    view.fit();
    show(0);
    if (standalone) root.focus({ preventScroll: true });
  }

  document.querySelectorAll(".ag-animation:not([data-ready])").forEach(setup);
})();

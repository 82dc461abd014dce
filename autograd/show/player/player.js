/* The step-through player of ag.animate: plain browser JavaScript, no framework.
 *
 * Each .ag-animation element carries its frames as JSON (<script class="ag-data">),
 * written by autograd/player/frames.py from the recorded backward pass. The player only
 * applies them: frame k's picture is frames 0..k's node states and gradient texts laid
 * over the neutral drawing, plus frame k's highlighted nodes and edges. It computes
 * nothing about the pass; quiz answers are the recorded gradients.
 */
(function () {
  "use strict";

  var PLAY_DELAY_MS = 1200;

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

  function cellRows(table, cells, secret) {
    table.textContent = "";
    cells.forEach(function (cell) {
      var row = table.insertRow(), head = document.createElement("th");
      head.scope = "row";
      head.textContent = cell[0];
      row.appendChild(head);
      var value = row.insertCell();
      var hide = secret && cell[0] === "sends";
      value.textContent = hide ? "? (your turn: type the gradients below)" : cell[1];
      if (hide) value.className = "ag-secret";
    });
  }

  function parseNumber(text) {
    var t = text.trim().replace(/\u2212/g, "-");
    var fraction = /^(-?[0-9.e+-]+)\s*\/\s*([0-9.e+-]+)$/i.exec(t);
    if (fraction) return Number(fraction[1]) / Number(fraction[2]);
    return t === "" ? NaN : Number(t);
  }

  function setup(root) {
    root.setAttribute("data-ready", "");
    var data = JSON.parse(root.querySelector("script.ag-data").textContent);
    var frames = data.frames, last = frames.length - 1;
    var ui = {};
    ["player", "prev", "play", "next", "slider", "status", "stage", "title", "row",
      "quiz", "table", "print", "fallback"].forEach(function (name) {
      ui[name] = root.querySelector(".ag-" + name);
    });
    // The live picture replaces the static one (kept in a script element, so that a
    // notebook view that strips scripts shows no SVG text soup).
    ui.stage.innerHTML = root.querySelector("script.ag-svg").textContent;
    if (ui.fallback) ui.fallback.remove();
    var parts = byId(ui.stage.querySelector("svg.ag-graph"));
    var shown = 0, timer = null, revealed = {};

    function waiting(k) {
      return data.quiz && frames[k].quiz.length > 0 && !revealed[k];
    }

    function show(k) {
      shown = Math.max(0, Math.min(last, k));
      var frame = frames[shown], pending = waiting(shown);
      paint(parts, stateAt(frames, pending ? shown - 1 : shown), frame.current, frame.edges);
      ui.status.textContent = "step " + shown + " / " + last;
      ui.slider.value = String(shown);
      ui.title.textContent = frame.title;
      cellRows(ui.row, frame.cells, pending);
      quiz(frame, shown, pending);
      ui.prev.disabled = shown === 0;
      ui.next.disabled = shown === last;
      follow(frame.current);
      if (timer && (shown === last || pending)) stop();
    }

    function follow(ids) {
      var part = parts[ids[0]];
      if (!part) return;
      var r = part.el.getBoundingClientRect(), s = ui.stage.getBoundingClientRect();
      if (r.left < s.left || r.right > s.right) {
        ui.stage.scrollLeft += r.left - s.left - (s.width - r.width) / 2;
      }
      if (r.top < s.top || r.bottom > s.bottom) {
        ui.stage.scrollTop += r.top - s.top - (s.height - r.height) / 2;
      }
    }

    function quiz(frame, k, pending) {
      ui.quiz.textContent = "";
      ui.quiz.hidden = !(data.quiz && frame.quiz.length);
      if (ui.quiz.hidden) return;
      var inputs = [];
      var intro = document.createElement("p");
      intro.textContent = "Your turn: what gradient does each input receive? (right " +
        "within " + data.rtol * 100 + " % or " + data.atol + ")";
      ui.quiz.appendChild(intro);
      frame.quiz.forEach(function (question) {
        var group = document.createElement("fieldset"), legend = document.createElement("legend");
        legend.textContent = question.name + (question.delta ? " = " + question.delta : "") +
          "  " + question.shape + (question.first_only ? "  (its first entry)" : "");
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
      var check = button("Check", function () {
        var right = inputs.map(function (input) {
          var value = parseNumber(input.value), answer = input.answer;
          var ok = Math.abs(value - answer) <= Math.max(data.rtol * Math.abs(answer), data.atol);
          mark(input, ok, false);
          return ok;
        });
        if (right.every(Boolean)) reveal(k);
      });
      var give = button("Reveal", function () { reveal(k); });
      check.disabled = give.disabled = !pending;
      ui.quiz.appendChild(check);
      ui.quiz.appendChild(give);
      var verdict = document.createElement("p");
      verdict.className = "ag-verdict";
      verdict.setAttribute("role", "status");
      ui.quiz.appendChild(verdict);
    }

    function mark(input, ok, showAnswer) {
      if (showAnswer && input.value === "") input.value = String(Number(input.answer.toPrecision(4)));
      input.classList.toggle("ag-right", ok);
      input.classList.toggle("ag-wrong", !ok);
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      var verdict = ui.quiz.querySelector(".ag-verdict");
      if (verdict && !showAnswer) {
        var wrong = ui.quiz.querySelectorAll("input.ag-wrong").length;
        verdict.textContent = wrong ? wrong + " not right yet" : "all right";
      }
    }

    function reveal(k) {
      revealed[k] = true;
      show(k);
    }

    function button(text, onClick) {
      var b = document.createElement("button");
      b.type = "button";
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

    function key(event) {
      // Leave alone what the focused control does by itself: typing in a quiz field,
      // the slider's own arrow keys, a button's space and enter.
      var target = event.target, slider = target.type === "range";
      if (event.altKey || event.ctrlKey || event.metaKey || target.tagName === "TEXTAREA" ||
          (target.tagName === "INPUT" && !slider) ||
          (slider && event.key !== " ") ||
          (target.tagName === "BUTTON" && (event.key === " " || event.key === "Enter"))) return;
      var moves = { ArrowRight: 1, ArrowLeft: -1 };
      if (event.key in moves) show(shown + moves[event.key]);
      else if (event.key === " ") toggle();
      else if (event.key === "Home") show(0);
      else if (event.key === "End") show(last);
      else return;
      event.preventDefault();
    }

    function printPages() {
      ui.print.textContent = "";
      var picture = ui.stage.querySelector("svg.ag-graph");
      frames.forEach(function (frame, k) {
        var page = document.createElement("section"), heading = document.createElement("h3");
        page.className = "ag-print-page";
        heading.textContent = "step " + k + " / " + last + ": " + frame.title;
        var copy = picture.cloneNode(true);
        paint(byId(copy), stateAt(frames, k), frame.current, frame.edges);
        var table = document.createElement("table");
        table.className = "ag-cells";
        cellRows(table, frame.cells, false);
        page.appendChild(heading);
        page.appendChild(copy);
        page.appendChild(table);
        ui.print.appendChild(page);
      });
    }

    ui.prev.addEventListener("click", function () { show(shown - 1); });
    ui.next.addEventListener("click", function () { show(shown + 1); });
    ui.play.addEventListener("click", toggle);
    ui.slider.addEventListener("input", function () { show(Number(ui.slider.value)); });
    var standalone = document.body.classList.contains("ag-page");
    (standalone ? document : root).addEventListener("keydown", key);
    window.addEventListener("beforeprint", printPages);
    window.addEventListener("afterprint", function () { ui.print.textContent = ""; });
    ui.player.hidden = false;
    ui.player.style.display = "";
    ui.table.open = false;
    show(0);
    if (standalone) root.focus();
  }

  document.querySelectorAll(".ag-animation:not([data-ready])").forEach(setup);
})();

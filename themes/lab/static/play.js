// conceptlab theme "lab": the playground and the fit, the explorables of a `playground`
// simulation (src/render/widgets/playground.rs draws the same figures at build time).
// Loaded only on pages that have one; it draws with the figures and plumbing of
// widgets.js (its `kit`), whichever of the two scripts runs first.
(function () {
  "use strict";
  function kinds(kit) {
    var decode = kit.decode, get = kit.get, isTop = kit.isTop, rowLen = kit.rowLen, c = kit.c, significant = kit.significant;
    var decimals = kit.decimals, esc = kit.esc, open = kit.open, Plot = kit.Plot, polyline = kit.polyline, binPaths = kit.binPaths;
    var mapBox = kit.mapBox, heatmapSvg = kit.heatmapSvg, lossSvg = kit.lossSvg, runResult = kit.runResult, hashState = kit.hashState;
    var setHash = kit.setHash, fig = kit.fig, later = kit.later, enable = kit.enable, readout = kit.readout;
    var SWEEP_MAP = kit.SWEEP_MAP, SWEEP_LOSS = kit.SWEEP_LOSS;

    // ---- playground and fit -------------------------------------------------------------
    // The figures of src/render/widgets/playground.rs, number for number.
    var NET_W = 600, NODE = 52, GAP = 12, NET_TOP = 30, NET_LEFT = 56, FIT = { w: 600, h: 360 }, REGRESSION = [-1.5, 1.5];
    // A playground run as a one-run set of runs, so that the sweep's figures draw it.
    function oneRun(meta, run) {
      var one = function (q) { return { shape: [1].concat(q.shape), bits: q.bits, min: q.min, max: q.max, top: q.top, q: q.q }; };
      var t = run.t;
      return {
        meta: { runs: { epochs: meta.epochs, snapshots: meta.snapshots, resolution: meta.resolution, diverged: [run.meta.diverged] } },
        t: { train_loss: one(t.train_loss), test_loss: one(t.test_loss), train_accuracy: one(t.train_accuracy), test_accuracy: one(t.test_accuracy), heatmaps: one(t.output), points: t.points, labels: t.labels },
      };
    }
    function hiddenUnits(widths) { var n = 0; for (var l = 1; l < widths.length - 1; l++) n += widths[l]; return n; }
    function netHeight(widths) { return NET_TOP + Math.max.apply(null, widths) * (NODE + GAP) - GAP + 8; }
    function nodeAt(widths, l, i) {
      var layers = widths.length, span = NET_W - NET_LEFT - 12 - NODE, most = Math.max.apply(null, widths);
      return [NET_LEFT + l * span / Math.max(1, layers - 1), NET_TOP + (most - widths[l]) * (NODE + GAP) / 2 + i * (NODE + GAP)];
    }
    function weightText(q, k) { return isTop(q, k) ? "not a number" : decimals(get(q, k), 3); }
    function nodeName(run, l, i) {
      var w = run.meta.widths;
      return l === 0 ? run.meta.feature_labels[i] || "" : l === w.length - 1 ? "output" : "unit " + l + "." + (i + 1);
    }
    function nodeMap(q, start, side, x, y) {
      var s = '<g transform="translate(' + c(x) + " " + c(y) + ") scale(" + significant(NODE / side, 6) + ')" shape-rendering="crispEdges">';
      binPaths(q, start, side, side).forEach(function (p, b) { if (p) s += '<path class="hb' + b + '" d="' + p + '"/>'; });
      return s + '</g><rect class="wnode" x="' + c(x) + '" y="' + c(y) + '" width="' + c(NODE) + '" height="' + c(NODE) + '"/>';
    }
    function networkSvg(meta, run, snap, id, title) {
      var widths = run.meta.widths, layers = widths.length, t = run.t, l, i, j;
      var s = open("wnet", NET_W, Math.round(netHeight(widths)), id, title);
      for (l = 0; l < layers; l++) {
        var name = l === 0 ? "input" : l === layers - 1 ? "output" : "layer " + l;
        s += '<text class="wlabel" x="' + c(nodeAt(widths, l, 0)[0] + NODE / 2) + '" y="16" text-anchor="middle">' + name + "</text>";
      }
      var n = rowLen(t.weights), wmax = Math.max(-t.weights.min, 1e-9), at = 0;
      for (l = 0; l < layers - 1; l++) {
        var fanIn = widths[l], fanOut = widths[l + 1];
        for (i = 0; i < fanIn; i++) {
          for (j = 0; j < fanOut; j++) {
            var k = snap * n + at + i * fanOut + j, v = get(t.weights, k), nan = isTop(t.weights, k), a = nodeAt(widths, l, i), b = nodeAt(widths, l + 1, j);
            s += '<path class="wedge we' + (nan ? "-nan" : v >= 0 ? 1 : 0) + '" d="M' + c(a[0] + NODE) + " " + c(a[1] + NODE / 2) + "L" + c(b[0]) + " " + c(b[1] + NODE / 2) +
              '" stroke-width="' + c(nan ? 1 : 1 + 3 * Math.abs(v) / wmax) + '"><title>' + esc(nodeName(run, l, i)) + " → " + esc(nodeName(run, l + 1, j)) + ": " + weightText(t.weights, k) + "</title></path>";
          }
        }
        at += fanIn * fanOut + fanOut;
      }
      var ures = meta.unit_resolution, cells = ures * ures;
      run.meta.feature_labels.forEach(function (label, k) {
        var p = nodeAt(widths, 0, k);
        s += nodeMap(t.inputs, k * cells, ures, p[0], p[1]) + '<text class="wlabel" x="' + c(p[0] - 6) + '" y="' + c(p[1] + NODE / 2 + 4) + '" text-anchor="end">' + esc(label) + "</text>";
      });
      var units = hiddenUnits(widths), u = 0;
      for (l = 1; l < layers - 1; l++) {
        for (i = 0; i < widths[l]; i++) {
          var q = nodeAt(widths, l, i);
          s += nodeMap(t.units, (snap * units + u) * cells, ures, q[0], q[1]);
          u++;
        }
      }
      var res = meta.resolution, o = nodeAt(widths, layers - 1, 0);
      s += nodeMap(t.output, snap * res * res, res, o[0], o[1]);
      return s + "</svg>";
    }
    function fitSvg(meta, run, snap, id, title) {
      var t = run.t, p = new Plot({ x0: 44, x1: FIT.w - 14, y0: 30, y1: FIT.h - 40, xmin: -1, xmax: 1, ymin: REGRESSION[0], ymax: REGRESSION[1] });
      var s = open("wfit", FIT.w, FIT.h, id, title) + p.axes(5, 7);
      s += '<text class="wlabel" x="' + c(p.x1) + '" y="' + c(FIT.h - 6) + '" text-anchor="end">x</text><text class="wlabel" x="4" y="14">y</text>';
      [[t.points, "pt pt-c0"], [t.test_points, "pt-ring"], [t.test_points, "pt-ring-hole"]].forEach(function (pair) {
        var pts = pair[0], dots = "";
        for (var i = 0; i < Math.floor(pts.q.length / 2); i++) dots += "M" + Math.round(p.x(get(pts, 2 * i))) + " " + Math.round(p.y(get(pts, 2 * i + 1))) + "h0";
        if (dots) s += '<path class="' + pair[1] + '" d="' + dots + '"/>';
      });
      var res = meta.resolution, pts = [];
      for (var i = 0; i < res; i++) pts.push([p.x(-1 + 2 * i / Math.max(1, res - 1)), p.y(get(t.output, snap * res + i))]);
      s += '<path class="wline wfit-line" d="' + polyline(pts) + '"/>';
      // Predictions beyond the chart (or not a number) are drawn at its edge: say so.
      var off = 0;
      for (i = 0; i < res; i++) { var q = t.output.q[snap * res + i]; if (q === 0 || q === t.output.top) off++; }
      var warning = run.meta.diverged ? "diverged: the predictions left the chart" : off ? "the prediction leaves the chart at " + off + " of " + res + " points" : "";
      if (warning) s += '<text class="wlabel wwarn" x="' + c((p.x0 + p.x1) / 2) + '" y="' + c(p.y0 + 16) + '" text-anchor="middle">' + warning + "</text>";
      var x = p.x0 + 20, y = 14;
      s += '<g class="wlegend"><path class="pt pt-c0" d="M' + c(x) + " " + c(y - 4) + 'h0"/><text class="wlabel" x="' + c(x + 10) + '" y="' + c(y) + '">training points</text>' +
        '<path class="pt-ring" d="M' + c(x + 150) + " " + c(y - 4) + 'h0"/><path class="pt-ring-hole" d="M' + c(x + 150) + " " + c(y - 4) + 'h0"/><text class="wlabel" x="' + c(x + 160) + '" y="' + c(y) + '">test points</text>' +
        '<path class="wline wfit-line" d="M' + c(x + 270) + " " + c(y - 4) + 'h24"/><text class="wlabel" x="' + c(x + 300) + '" y="' + c(y) + '">the network</text></g>';
      return s + "</svg>";
    }
    // The test points over the decision map: rings in their class's colour.
    function testPoints(run, size) {
      var pts = run.t.test_points, labels = run.t.test_labels, box = mapBox(size), half = box.side / 2, paths = ["", ""];
      for (var i = 0; i < Math.min(labels.q.length, Math.floor(pts.q.length / 2)); i++) {
        paths[get(labels, i) >= 0.5 ? 1 : 0] += "M" + Math.round(box.left + (get(pts, 2 * i) + 1) * half) + " " + Math.round(box.top + (1 - get(pts, 2 * i + 1)) * half) + "h0";
      }
      var x = box.left + box.side - 90, y = box.top + 14, mark = "M" + c(x) + " " + c(y - 4) + "h0";
      return paths.map(function (d, k) { return d ? '<path class="pt-test pt-c' + k + '" d="' + d + '"/><path class="pt-test-hole" d="' + d + '"/>' : ""; }).join("") +
        '<g class="wlegend"><path class="pt-halo" d="' + mark + '"/><path class="pt-ring" d="' + mark + '"/><path class="pt-ring-hole" d="' + mark + '"/><text class="wlabel" x="' +
        c(x + 10) + '" y="' + c(y) + '">test points</text></g>';
    }
    function describeNetwork(run) {
      var w = run.meta.widths, hidden = w.slice(1, w.length - 1);
      var layers = hidden.length === 1 ? "a hidden layer of " + hidden[0] + " " + run.meta.activation + " units"
        : hidden.length ? "hidden layers of " + hidden.join(", ") + " " + run.meta.activation + " units" : "no hidden layer (logistic regression)";
      return "the network takes " + run.meta.feature_labels.join(", ") + " and has " + layers +
        "; the edges' colour is the weight's sign (orange positive, blue negative) and their width its size.";
    }
    function fitResult(d) {
      var tl = d.t.train_loss, n = rowLen(tl), loss = function (q) { return isTop(q, n - 1) ? "off the chart" : decimals(get(q, n - 1), 4); };
      return "final train loss " + loss(tl) + ", test loss " + loss(d.t.test_loss) + " (mean squared error)" + (d.meta.runs.diverged[0] ? " (diverged)" : "");
    }
    function weightRows(run, snap) {
      var widths = run.meta.widths, t = run.t.weights, n = rowLen(t), at = 0, html = "";
      for (var l = 0; l < widths.length - 1; l++) {
        var fanIn = widths[l], fanOut = widths[l + 1];
        for (var i = 0; i < fanIn; i++) {
          for (var j = 0; j < fanOut; j++) {
            html += "<tr><td>" + esc(nodeName(run, l, i)) + "</td><td>" + esc(nodeName(run, l + 1, j)) + "</td><td>" + weightText(t, snap * n + at + i * fanOut + j) + "</td></tr>";
          }
        }
        for (j = 0; j < fanOut; j++) html += "<tr><td>bias</td><td>" + esc(nodeName(run, l + 1, j)) + "</td><td>" + weightText(t, snap * n + at + fanIn * fanOut + j) + "</td></tr>";
        at += fanIn * fanOut + fanOut;
      }
      return html;
    }
    function play(section, index, regression) {
      var id = section.id, meta = index.meta, axes = meta.axes, snaps = meta.snapshots, base = section.getAttribute("data-runs");
      var inputs = axes.map(function (a) { return section.querySelector('input[name="' + a.key + '"]'); });
      var epoch = section.querySelector('input[name="epoch"]');
      var playButton = section.querySelector("[data-play]"), stepButton = section.querySelector("[data-step]");
      var test = section.querySelector('input[name="test-points"]');
      var runs = {}, wanted = -1, timer = null;
      var state = hashState(id), missing = [];
      if (state) {
        axes.forEach(function (a, i) {
          var at = a.values.indexOf(state[a.key]);
          if (at >= 0) inputs[i].value = at;
          else if (state[a.key] != null) missing.push(a.label + " " + state[a.key]);
        });
        var e = snaps.indexOf(Number(state.epoch));
        if (e >= 0) epoch.value = e;
        else if (state.epoch != null) missing.push("epoch " + state.epoch);
        if (test && state.test === "1") test.checked = true;
      }
      // The controls as last drawn, to go back to when a run cannot be loaded.
      var drawn = null;
      function point() { return inputs.map(function (input) { return Number(input.value); }); }
      function setting() { return axes.map(function (a, i) { return a.label + " " + a.values[point()[i]]; }).join(", ") || "The run"; }
      function runIndex() { return point().reduce(function (acc, v, i) { return acc * axes[i].values.length + v; }, 0); }
      function load(i) {
        if (!runs[i]) {
          runs[i] = fetch(base + i + ".bin").then(function (r) {
            if (!r.ok) throw new Error("HTTP " + r.status);
            return r.arrayBuffer();
          }).then(decode);
          runs[i].catch(function () { delete runs[i]; });
        }
        return runs[i];
      }
      function result(d) { return regression ? fitResult(d) : runResult(d, 0); }
      var say = later(function () { if (timer === null && section.lastRun) readout(section, setting() + ": " + result(oneRun(meta, section.lastRun)) + ". Epoch " + snaps[Number(epoch.value)] + "."); }, 300);
      function render(run, fromInput) {
        var snap = Number(epoch.value), e = snaps[snap], set = setting(), d = oneRun(meta, run);
        section.lastRun = run;
        if (regression) {
          fig(section, "fit", fitSvg(meta, run, snap, id + "-fit-title", "The network's function at epoch " + e + ", " + set));
        } else {
          fig(section, "net", networkSvg(meta, run, snap, id + "-net-title", "The network at epoch " + e + ", " + set));
          var map = heatmapSvg(d, 0, snap, SWEEP_MAP, id + "-map", "Decision boundary at epoch " + e + ", " + set);
          if (test && test.checked) map = map.slice(0, -6) + testPoints(run, SWEEP_MAP) + "</svg>";
          fig(section, "map", map);
        }
        fig(section, "loss", lossSvg(d, 0, snap, SWEEP_LOSS, id + "-loss-title", "Loss curves, " + set, regression ? "epoch of the curve" : null));
        var cap = section.querySelector(".widget-caption");
        if (cap) {
          cap.textContent = regression
            ? set + ": " + fitResult(d) + ". The line is the network's prediction at epoch " + e + "; dots are the training points, rings the test points."
            : set + ": " + runResult(d, 0) + ". At epoch " + e + ": " + describeNetwork(run);
        }
        var body = section.querySelector("[data-weights]"), at = section.querySelector("[data-weights-epoch]");
        if (body) body.innerHTML = weightRows(run, snap);
        if (at) at.textContent = e;
        if (fromInput) {
          var pairs = axes.map(function (a, i) { return [a.key, a.values[point()[i]]]; }).concat([["epoch", e]]);
          if (test && test.checked) pairs.push(["test", "1"]);
          setHash(id, pairs);
          say();
        }
      }
      function draw(fromInput) {
        var i = runIndex(), snap = Number(epoch.value);
        inputs.forEach(function (input, k) {
          var v = axes[k].values[Number(input.value)];
          input.setAttribute("aria-valuetext", v);
          input.parentNode.querySelector("output").textContent = v;
        });
        epoch.setAttribute("aria-valuetext", "epoch " + snaps[snap]);
        epoch.parentNode.querySelector("output").textContent = snaps[snap];
        wanted = i;
        section.setAttribute("aria-busy", "true");
        return load(i).then(function (run) {
          if (wanted !== i) return;
          render(run, fromInput);
          drawn = inputs.concat([epoch]).map(function (input) { return input.value; });
        }, function () {
          if (wanted !== i) return;
          // Back to the run on screen, so that the controls say what the figures show.
          if (drawn) inputs.concat([epoch]).forEach(function (input, k) { input.value = drawn[k]; });
          inputs.concat([epoch]).forEach(function (input, k) {
            var v = k < axes.length ? axes[k].values[Number(input.value)] : snaps[Number(input.value)];
            input.setAttribute("aria-valuetext", k < axes.length ? v : "epoch " + v);
            input.parentNode.querySelector("output").textContent = v;
          });
          readout(section, "The data of that run could not be loaded; the figures still show the run set on the controls.");
        }).then(function () { if (wanted === i) section.removeAttribute("aria-busy"); });
      }
      function stop() {
        if (timer === null) return;
        clearInterval(timer);
        timer = null;
        playButton.textContent = "Play";
        say();
      }
      function step() {
        var next = Number(epoch.value) + 1;
        if (next >= snaps.length) { stop(); return false; }
        epoch.value = next;
        draw(true);
        return true;
      }
      inputs.concat([epoch]).forEach(function (input) { input.addEventListener("input", function () { stop(); draw(true); }); });
      if (test) test.addEventListener("change", function () { draw(true); });
      stepButton.addEventListener("click", function () {
        stop();
        if (Number(epoch.value) >= snaps.length - 1) epoch.value = 0;
        else epoch.value = Number(epoch.value) + 1;
        draw(true);
      });
      playButton.addEventListener("click", function () {
        if (timer !== null) { stop(); return; }
        if (Number(epoch.value) >= snaps.length - 1) { epoch.value = 0; draw(true); }
        playButton.textContent = "Pause";
        timer = setInterval(step, 700);
      });
      // The diagram takes the focus: arrows walk through the edges and say each weight.
      var box = section.querySelector('[data-fig="net"]'), edge = -1;
      if (box) {
        box.tabIndex = 0;
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "The network: the arrow keys read each weight in turn");
        box.addEventListener("keydown", function (event) {
          var edges = box.querySelectorAll("path.wedge");
          var next = { ArrowRight: edge + 1, ArrowDown: edge + 1, ArrowLeft: edge - 1, ArrowUp: edge - 1, Home: 0, End: edges.length - 1 }[event.key];
          if (next === undefined || !edges.length) return;
          event.preventDefault();
          edge = Math.max(0, Math.min(edges.length - 1, next));
          edges.forEach(function (e, k) { e.classList.toggle("wedge-on", k === edge); });
          readout(section, edges[edge].querySelector("title").textContent);
        });
        box.addEventListener("blur", function () {
          box.querySelectorAll("path.wedge-on").forEach(function (e) { e.classList.remove("wedge-on"); });
        });
      }
      return draw(false).then(function () {
        if (!section.lastRun) throw new Error("the default run did not load");
        enable(section);
        if (missing.length) readout(section, "This link names what this playground does not have (" + missing.join(", ") + "); it shows the nearest run it has.");
      });
    }
    return {
      playground: function (section, d) { return play(section, d, false); },
      fit: function (section, d) { return play(section, d, true); },
    };
  }
  if (window.conceptlabWidgets) window.conceptlabWidgets.extend(kinds);
  else (window.conceptlabMoreWidgets = window.conceptlabMoreWidgets || []).push(kinds);
})();

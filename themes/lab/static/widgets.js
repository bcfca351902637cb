// conceptlab theme "lab": the explorables. Each widget's section already holds a static
// figure drawn at build time; this script fetches the widget's artifact when the widget
// scrolls into view, decodes it (the format documented in src/sim/model.rs), enables the
// controls and redraws the figures. State goes into the URL hash: #<widget-id>:k=v;k=v.
(function () {
  "use strict";
  var BINS = 8;
  var MAP = 190;

  // ---- the artifact format ----------------------------------------------------------
  function decode(buffer) {
    var bytes = new Uint8Array(buffer);
    var magic = [67, 76, 83, 73, 77, 0, 1, 0];
    for (var i = 0; i < 8; i++) if (bytes[i] !== magic[i]) throw new Error("not a conceptlab artifact");
    var view = new DataView(buffer);
    var h = view.getUint32(8, true);
    var header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + h)));
    var base = 12 + h;
    var tensors = {};
    Object.keys(header.tensors).forEach(function (name) {
      var t = header.tensors[name];
      var n = t.shape.reduce(function (a, b) { return a * b; }, 1);
      var q = new Uint16Array(n);
      var at = base + t.offset;
      if (at + n * (t.bits / 8) > bytes.length) throw new Error("tensor " + name + " runs past the end");
      for (var k = 0; k < n; k++) q[k] = t.bits === 8 ? bytes[at + k] : view.getUint16(at + 2 * k, true);
      tensors[name] = { shape: t.shape, bits: t.bits, min: t.min, max: t.max, top: t.bits === 8 ? 255 : 65535, q: q };
    });
    return { meta: header.meta, t: tensors };
  }
  function get(t, i) { return t.min + t.q[i] / t.top * (t.max - t.min); }
  function isTop(t, i) { return t.q[i] === t.top; }
  function rowLen(t) { return t.shape.slice(1).reduce(function (a, b) { return a * b; }, 1); }

  // ---- drawing (the same figures as src/render/widgets.rs) --------------------------
  function c(v) { var r = Math.round(v * 10) / 10; return String(r === 0 ? 0 : r); }
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function pct(v) { return Math.round(v * 100) + "%"; }
  function num(v) { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2); }
  function open(cls, w, h, id, title) {
    return '<svg class="wsvg ' + cls + '" viewBox="0 0 ' + w + " " + h + '" width="' + w + '" role="img" aria-labelledby="' + id +
      '" xmlns="http://www.w3.org/2000/svg"><title id="' + id + '">' + esc(title) + "</title>";
  }
  function Plot(o) { Object.keys(o).forEach(function (k) { this[k] = o[k]; }, this); }
  Plot.prototype.x = function (v) {
    var a = this.xmin, b = this.xmax;
    if (this.logx) { v = Math.log(Math.max(v, 1e-9)); a = Math.log(a); b = Math.log(b); }
    return this.x0 + (b > a ? (v - a) / (b - a) : 0.5) * (this.x1 - this.x0);
  };
  Plot.prototype.y = function (v) {
    var t = this.ymax > this.ymin ? Math.min(1, Math.max(0, (v - this.ymin) / (this.ymax - this.ymin))) : 0.5;
    return this.y1 - t * (this.y1 - this.y0);
  };
  Plot.prototype.frame = function () { return '<path class="waxis" d="M' + c(this.x0) + " " + c(this.y0) + "V" + c(this.y1) + "H" + c(this.x1) + '"/>'; };
  Plot.prototype.xtick = function (v, label) {
    var x = c(this.x(v));
    return '<path class="wtick" d="M' + x + " " + c(this.y1) + 'v4"/><text class="wlabel" x="' + x + '" y="' + c(this.y1 + 15) + '" text-anchor="middle">' + esc(label) + "</text>";
  };
  Plot.prototype.ytick = function (v, label) {
    var y = c(this.y(v));
    return '<path class="wgrid" d="M' + c(this.x0) + " " + y + "H" + c(this.x1) + '"/><text class="wlabel" x="' + c(this.x0 - 4) + '" y="' + c(this.y(v) + 4) +
      '" text-anchor="end">' + esc(label) + "</text>";
  };

  function lossSvg(d, run, id, title) {
    var meta = d.meta.runs, tl = d.t.train_loss, epochs = meta.epochs;
    var p = new Plot({ x0: 40, x1: 284, y0: 12, y1: 156, xmin: epochs[0] || 0, xmax: Math.max(1, epochs[epochs.length - 1] || 1), ymin: tl.min, ymax: tl.max });
    var s = open("wloss", 300, 190, id, title);
    s += p.ytick(p.ymin, num(p.ymin)) + p.ytick((p.ymin + p.ymax) / 2, num((p.ymin + p.ymax) / 2)) + p.ytick(p.ymax, num(p.ymax)) + p.frame();
    s += p.xtick(p.xmin, String(p.xmin)) + p.xtick(p.xmax, String(p.xmax));
    s += '<text class="wlabel" x="' + c((p.x0 + p.x1) / 2) + '" y="186" text-anchor="middle">epoch</text>';
    [["train_loss", "wl-train"], ["test_loss", "wl-test"]].forEach(function (pair) {
      var q = d.t[pair[0]], n = rowLen(q), path = "";
      for (var i = 0; i < n; i++) path += (i ? "L" : "M") + c(p.x(epochs[i])) + " " + c(p.y(get(q, run * n + i)));
      s += '<path class="wline ' + pair[1] + '" d="' + path + '"/>';
    });
    var ly = c(p.y0 + 6), ty = c(p.y0 + 10);
    s += '<path class="wline wl-train" d="M' + c(p.x1 - 110) + " " + ly + 'h18"/><text class="wlabel" x="' + c(p.x1 - 88) + '" y="' + ty + '">train</text>' +
      '<path class="wline wl-test" d="M' + c(p.x1 - 50) + " " + ly + 'h18"/><text class="wlabel" x="' + c(p.x1 - 28) + '" y="' + ty + '">test</text>';
    if (meta.diverged[run]) {
      s += '<text class="wlabel wwarn" x="' + c((p.x0 + p.x1) / 2) + '" y="' + c((p.y0 + p.y1) / 2) + '" text-anchor="middle">diverged: the loss left the chart</text>';
    }
    return s + "</svg>";
  }

  function heatBin(q, top) { return Math.min(BINS - 1, Math.floor(q * BINS / (top + 1))); }

  function heatmapSvg(d, run, snap, prefix, title) {
    var meta = d.meta.runs, hm = d.t.heatmaps, res = Math.max(1, meta.resolution);
    var cells = res * res, start = (run * Math.max(1, meta.snapshots.length) + snap) * cells;
    var paths = [];
    for (var b = 0; b < BINS; b++) paths.push("");
    for (var r = 0; r < res; r++) {
      var col = 0;
      while (col < res) {
        var bin = heatBin(hm.q[start + r * res + col], hm.top), end = col + 1;
        while (end < res && heatBin(hm.q[start + r * res + end], hm.top) === bin) end++;
        paths[bin] += "M" + col + " " + r + "h" + (end - col) + "v1h-" + (end - col) + "z";
        col = end;
      }
    }
    var s = open("wmap", MAP, MAP, prefix + "-title", title);
    s += '<g transform="scale(' + Number((MAP / res).toFixed(4)) + ')" shape-rendering="crispEdges">';
    paths.forEach(function (p, i) { if (p) s += '<path class="hb' + i + '" d="' + p + '"/>'; });
    s += "</g>" + pointsMarkup(d, prefix);
    return s + "</svg>";
  }

  function pointsMarkup(d, prefix) {
    var pts = d.t.points, labels = d.t.labels, n = Math.min(labels.q.length, pts.q.length / 2);
    if (!n) return "";
    var paths = ["", ""], half = MAP / 2;
    for (var i = 0; i < n; i++) {
      var k = get(labels, i) >= 0.5 ? 1 : 0;
      paths[k] += "M" + c((get(pts, 2 * i) + 1) * half) + " " + c((1 - get(pts, 2 * i + 1)) * half) + "h0";
    }
    var s = "<defs>";
    paths.forEach(function (p, k) { s += '<path id="' + prefix + "-p" + k + '" d="' + p + '"/>'; });
    s += "</defs>";
    for (var k = 0; k < 2; k++) {
      s += '<use href="#' + prefix + "-p" + k + '" class="pt-halo pt-c' + k + '"/><use href="#' + prefix + "-p" + k + '" class="pt pt-c' + k + '"/>';
    }
    return s;
  }

  function runResult(d, run) {
    var tl = d.t.train_loss, n = rowLen(tl), i = run * n + n - 1;
    var loss = function (q) { return isTop(q, i) ? "off the chart" : get(q, i).toFixed(3); };
    return "final train loss " + loss(tl) + ", test loss " + loss(d.t.test_loss) + ", test accuracy " + pct(get(d.t.test_accuracy, i)) +
      (d.meta.runs.diverged[run] ? " (diverged)" : "");
  }

  // ---- shared plumbing --------------------------------------------------------------
  function hashState(id) {
    var h = location.hash.slice(1);
    if (h.indexOf(id + ":") !== 0) return null;
    var state = {};
    h.slice(id.length + 1).split(";").forEach(function (part) {
      var eq = part.indexOf("=");
      try { if (eq > 0) state[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1)); } catch (e) { /* a mangled value */ }
    });
    return state;
  }
  function setHash(id, pairs) {
    var text = pairs.map(function (p) { return p[0] + "=" + encodeURIComponent(p[1]); }).join(";");
    try { history.replaceState(history.state, "", "#" + id + ":" + text); } catch (e) { /* file: URLs */ }
  }
  function fig(section, name, html) {
    var box = section.querySelector('[data-fig="' + name + '"]');
    if (box) box.innerHTML = html;
  }
  function later(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }
  function enable(section) {
    section.querySelectorAll(".widget-controls").forEach(function (box) { box.hidden = false; box.disabled = false; });
    section.querySelectorAll(".widget-fields").forEach(function (f) { f.disabled = false; });
    section.classList.add("is-ready");
  }
  function readout(section, text) {
    var r = section.querySelector(".widget-readout");
    if (r) r.textContent = text;
  }

  // ---- sweep explorer ---------------------------------------------------------------
  function sweep(section, d) {
    var id = section.id, axes = d.meta.axes, runs = d.meta.runs;
    var inputs = axes.map(function (a) { return section.querySelector('input[name="' + a.key + '"]'); });
    var epoch = section.querySelector('input[name="epoch"]');
    var state = hashState(id);
    if (state) {
      axes.forEach(function (a, i) {
        var at = a.values.indexOf(state[a.key]);
        if (at >= 0) inputs[i].value = at;
      });
      var e = runs.snapshots.indexOf(Number(state.epoch));
      if (e >= 0) epoch.value = e;
    }
    var say = later(function () { readout(section, describe()); }, 250);
    function point() { return inputs.map(function (input) { return Number(input.value); }); }
    function setting() { return axes.map(function (a, i) { return a.label + " " + a.values[point()[i]]; }).join(", ") || "The run"; }
    function runIndex() { return point().reduce(function (acc, v, i) { return acc * axes[i].values.length + v; }, 0); }
    function describe() {
      return setting() + ": " + runResult(d, runIndex()) + ". Boundary at epoch " + runs.snapshots[Number(epoch.value)] + ".";
    }
    function draw(fromInput) {
      var run = runIndex(), snap = Number(epoch.value), set = setting();
      inputs.forEach(function (input, i) {
        var v = axes[i].values[Number(input.value)];
        input.setAttribute("aria-valuetext", v);
        input.parentNode.querySelector("output").textContent = v;
      });
      epoch.setAttribute("aria-valuetext", "epoch " + runs.snapshots[snap]);
      epoch.parentNode.querySelector("output").textContent = runs.snapshots[snap];
      fig(section, "loss", lossSvg(d, run, id + "-loss-title", "Loss curves, " + set));
      fig(section, "map", heatmapSvg(d, run, snap, id + "-map", "Decision boundary at epoch " + runs.snapshots[snap] + ", " + set));
      var cap = section.querySelector(".widget-caption");
      if (cap) cap.textContent = set + ": " + runResult(d, run) + ". The map shows the decision boundary at epoch " + runs.snapshots[snap] +
        " (blue: class 0, orange: class 1) with the training points.";
      if (fromInput) {
        setHash(id, axes.map(function (a, i) { return [a.key, a.values[point()[i]]]; }).concat([["epoch", runs.snapshots[snap]]]));
        say();
      }
    }
    inputs.concat([epoch]).forEach(function (input) { input.addEventListener("input", function () { draw(true); }); });
    draw(false);
    enable(section);
  }

  // ---- failure lab ------------------------------------------------------------------
  function failure(section, d) {
    var id = section.id, modes = d.meta.modes, runs = d.meta.runs;
    var radios = Array.prototype.slice.call(section.querySelectorAll('input[type="radio"]'));
    var state = hashState(id);
    if (state && state.mode) radios.forEach(function (r) { r.checked = r.value === state.mode; });
    function draw(fromInput) {
      var at = Math.max(0, radios.findIndex(function (r) { return r.checked; }));
      var m = modes[at], snap = runs.snapshots.length - 1;
      fig(section, "mode", '<p class="wfig-title">' + esc(m.label) + "</p>" + lossSvg(d, at + 1, id + "-mode-loss-title", "Loss curves: " + m.label) +
        heatmapSvg(d, at + 1, snap, id + "-mode-map", "Final decision boundary: " + m.label));
      section.querySelectorAll(".widget-mode").forEach(function (box) { box.hidden = box.getAttribute("data-mode") !== m.mode; });
      var cap = section.querySelector(".widget-caption");
      if (cap) cap.textContent = "The healthy run next to “" + m.label + "”. Healthy: " + runResult(d, 0) + ". " + m.label + ": " + runResult(d, at + 1) + ".";
      if (fromInput) {
        setHash(id, [["mode", m.mode]]);
        readout(section, m.label + ": " + runResult(d, at + 1) + ". Symptom: " + m.symptom);
      }
    }
    radios.forEach(function (r) { r.addEventListener("change", function () { draw(true); }); });
    draw(false);
    enable(section);
  }

  // ---- learning curve ---------------------------------------------------------------
  function curve(section, d) {
    var meta = d.meta, sizes = meta.sizes, s = sizes.length, m = meta.models.length;
    var t = d.t, box = section.querySelector('[data-fig="curve"]'), svg = box && box.querySelector("svg");
    if (!svg) return;
    var lowest = 1;
    for (var i = 0; i < t.test_min.q.length; i++) lowest = Math.min(lowest, get(t.test_min, i));
    var p = new Plot({ x0: 46, x1: 400, y0: 12, y1: 240, xmin: Math.max(1, sizes[0]), xmax: Math.max(1, sizes[s - 1]), ymin: Math.min(0.5, Math.max(0, Math.floor(lowest * 10) / 10)), ymax: 1, logx: true });
    var at = s - 1;
    box.tabIndex = 0;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Learning curve: left and right arrows read the values at each training-set size");
    var cursor = document.createElementNS("http://www.w3.org/2000/svg", "g");
    cursor.setAttribute("class", "wcursor");
    function show() {
      var x = c(p.x(sizes[at])), html = '<path class="wcursor-line" d="M' + x + " " + c(p.y0) + "V" + c(p.y1) + '"/>';
      var parts = [];
      for (var k = 0; k < m; k++) {
        var j = k * s + at;
        html += '<circle class="wcursor-dot ws' + (k % 6) + '" cx="' + x + '" cy="' + c(p.y(get(t.test_mean, j))) + '" r="5"/>';
        parts.push(meta.models[k].name + " " + pct(get(t.test_mean, j)) + " (" + pct(get(t.test_min, j)) + "–" + pct(get(t.test_max, j)) + ")");
      }
      cursor.innerHTML = html;
      if (!cursor.parentNode) svg.appendChild(cursor);
      readout(section, sizes[at] + " training examples: " + parts.join(", ") + ".");
    }
    box.addEventListener("keydown", function (event) {
      var next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: s - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      at = Math.max(0, Math.min(s - 1, next));
      show();
    });
    box.addEventListener("focus", show);
    svg.addEventListener("pointermove", function (event) {
      var r = svg.getBoundingClientRect(), vx = (event.clientX - r.left) / r.width * 520, best = 0;
      for (var k = 1; k < s; k++) if (Math.abs(p.x(sizes[k]) - vx) < Math.abs(p.x(sizes[best]) - vx)) best = k;
      if (best !== at || !cursor.parentNode) { at = best; show(); }
    });
    enable(section);
  }

  // ---- neuron -----------------------------------------------------------------------
  function act(f, z) {
    return f === "step" ? (z >= 0 ? 1 : 0) : f === "tanh" ? Math.tanh(z) : f === "relu" ? Math.max(0, z) : f === "linear" ? z : 1 / (1 + Math.exp(-z));
  }
  function planeSvg(id, x, w, b) {
    var P = 200, px = function (v) { return 22 + (v + 2) / 4 * P; }, py = function (v) { return 8 + (2 - v) / 4 * P; };
    var z = function (q) { return w[0] * q[0] + w[1] * q[1] + b; };
    var sq = [[-2, -2], [2, -2], [2, 2], [-2, 2]], poly = [], ends = [];
    for (var i = 0; i < 4; i++) {
      var a = sq[i], e = sq[(i + 1) % 4], za = z(a), zb = z(e);
      if (za >= 0) poly.push(a);
      if ((za >= 0) !== (zb >= 0)) {
        var t = za / (za - zb), cut = [a[0] + t * (e[0] - a[0]), a[1] + t * (e[1] - a[1])];
        poly.push(cut);
        ends.push(cut);
      }
    }
    var s = open("wplane", 230, 230, id + "-plane-title", "The input plane: the shaded side is where the weighted sum is positive");
    s += '<rect class="wneg" x="22" y="8" width="200" height="200"/>';
    if (poly.length >= 3) s += '<path class="wpos" d="' + poly.map(function (q, i) { return (i ? "L" : "M") + c(px(q[0])) + " " + c(py(q[1])); }).join("") + 'z"/>';
    s += '<path class="wgrid" d="M' + c(px(0)) + " 8V208M22 " + c(py(0)) + 'H222"/>';
    if (ends.length >= 2) s += '<path class="wdecision" d="M' + c(px(ends[0][0])) + " " + c(py(ends[0][1])) + "L" + c(px(ends[1][0])) + " " + c(py(ends[1][1])) + '"/>';
    s += '<circle class="winput" cx="' + c(px(x[0])) + '" cy="' + c(py(x[1])) + '" r="6"/><text class="wlabel" x="122" y="226" text-anchor="middle">x₁</text><text class="wlabel" x="10" y="108">x₂</text>';
    return s + "</svg>";
  }
  function actSvg(id, f, z) {
    var p = new Plot({ x0: 30, x1: 222, y0: 8, y1: 200, xmin: -5, xmax: 5, ymin: -1.5, ymax: 1.5 });
    var s = open("wact", 230, 230, id + "-act-title", "The activation function, with the neuron's current weighted sum marked");
    s += p.ytick(-1, "−1") + p.ytick(0, "0") + p.ytick(1, "1") + p.frame() + p.xtick(-5, "−5") + p.xtick(0, "z = 0") + p.xtick(5, "5");
    var d = "";
    for (var i = 0; i <= 100; i++) { var zz = -5 + i * 0.1; d += (i ? "L" : "M") + c(p.x(zz)) + " " + c(p.y(act(f, zz))); }
    s += '<path class="wline ws0" d="' + d + '"/><circle class="winput" cx="' + c(p.x(Math.max(-5, Math.min(5, z)))) + '" cy="' + c(p.y(act(f, z))) + '" r="5"/>';
    return s + "</svg>";
  }
  function neuron(section) {
    var id = section.id, keys = ["x1", "x2", "w1", "w2", "b"];
    var inputs = {}, select = section.querySelector('select[name="f"]');
    keys.forEach(function (k) { inputs[k] = section.querySelector('input[name="' + k + '"]'); });
    var state = hashState(id);
    if (state) {
      keys.forEach(function (k) { if (state[k] != null && !isNaN(Number(state[k]))) inputs[k].value = state[k]; });
      if (state.f && select.querySelector('option[value="' + state.f + '"]')) select.value = state.f;
    }
    function v(k) { return Number(inputs[k].value); }
    function draw(fromInput) {
      var f = select.value, z = v("w1") * v("x1") + v("w2") * v("x2") + v("b"), y = act(f, z);
      keys.forEach(function (k) { inputs[k].parentNode.querySelector("output").textContent = v(k); });
      fig(section, "plane", planeSvg(id, [v("x1"), v("x2")], [v("w1"), v("w2")], v("b")));
      fig(section, "act", actSvg(id, f, z));
      var text = "Weighted sum z = " + v("w1") + " × " + v("x1") + " + " + v("w2") + " × " + v("x2") + " + " + v("b") + " = " + z.toFixed(2) +
        "; output " + f + "(z) = " + y.toFixed(2) + ". The input point is on the " + (z >= 0 ? "positive" : "negative") + " side of the line.";
      readout(section, "z = " + z.toFixed(2) + ", output " + y.toFixed(2));
      var cap = section.querySelector(".widget-caption");
      if (cap) cap.textContent = text;
      if (fromInput) setHash(id, keys.map(function (k) { return [k, inputs[k].value]; }).concat([["f", f]]));
    }
    keys.forEach(function (k) { inputs[k].addEventListener("input", function () { draw(true); }); });
    select.addEventListener("change", function () { draw(true); });
    draw(false);
    enable(section);
  }

  // ---- loading ----------------------------------------------------------------------
  var kinds = { "sweep-explorer": sweep, "failure-lab": failure, "learning-curve": curve };
  function load(section) {
    if (section.getAttribute("data-state")) return;
    section.setAttribute("data-state", "loading");
    section.setAttribute("aria-busy", "true");
    fetch(section.getAttribute("data-artifact")).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.arrayBuffer();
    }).then(function (buffer) {
      kinds[section.getAttribute("data-widget")](section, decode(buffer));
      section.setAttribute("data-state", "ready");
    }).catch(function () {
      section.setAttribute("data-state", "failed");
      readout(section, "The data for this explorer could not be loaded; the figure shows the default view.");
    }).then(function () { section.removeAttribute("aria-busy"); });
  }

  function setup() {
    var lazy = [];
    document.querySelectorAll("section[data-widget]").forEach(function (section) {
      var kind = section.getAttribute("data-widget");
      if (kind === "neuron") neuron(section);
      else if (section.hasAttribute("data-artifact") && kinds[kind]) lazy.push(section);
      if (hashState(section.id)) {
        if (lazy.indexOf(section) >= 0) load(section);
        section.scrollIntoView();
      }
    });
    if (!lazy.length) return;
    if (!("IntersectionObserver" in window)) { lazy.forEach(load); return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { seen.unobserve(entry.target); load(entry.target); }
      });
    }, { rootMargin: "200px 0px" });
    lazy.forEach(function (section) { seen.observe(section); });
  }
  window.conceptlabWidgets = { decode: decode };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

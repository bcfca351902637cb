// conceptlab theme "lab": the explorables. Each widget's section already holds a static
// figure drawn at build time; this script fetches the widget's artifact when the widget
// scrolls into view, decodes it (the format documented in src/sim/model.rs), enables the
// controls and redraws the figures. State goes into the URL hash: #<widget-id>:k=v;k=v.
(function () {
  "use strict";
  var BINS = 8;

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

  // ---- numbers: the rule of src/numbers.rs, digit for digit --------------------------
  // |x| in its shortest round-trip digits (toExponential, like Rust's {:e}), rounded half
  // up on those decimal digits, written positionally; negatives take a minus sign (U+2212).
  function decimal(x) {
    var s = Math.abs(x).toExponential(), at = s.indexOf("e");
    var d = s.slice(0, at).replace(".", "").split("").map(Number);
    var zero = d.every(function (v) { return v === 0; });
    return { neg: x < 0 && !zero, d: zero ? [] : d, exp: Number(s.slice(at + 1)) };
  }
  function keep(n, k) {
    if (k < 0 || n.d.length <= k) {
      if (k < 0) n.d = [];
    } else {
      var up = n.d[k] >= 5;
      n.d.length = k;
      for (var i = k; up;) {
        if (i === 0) { n.d.unshift(1); n.d.length = Math.max(k, 1); n.exp++; break; }
        i--;
        if (n.d[i] === 9) n.d[i] = 0; else { n.d[i]++; break; }
      }
      while (n.d.length && n.d[n.d.length - 1] === 0) n.d.pop();
    }
    n.neg = n.neg && n.d.length > 0;
    return n;
  }
  function positional(n, places) {
    var digit = function (i) { return i >= 0 && i < n.d.length ? n.d[i] : 0; }, int = "", frac = "", i;
    if (n.exp >= 0 && n.d.length) for (i = 0; i <= n.exp; i++) int += digit(i); else int = "0";
    for (i = n.exp + 1; i <= n.d.length - 1; i++) frac += digit(i);
    while (frac.length > places && frac.charAt(frac.length - 1) === "0") frac = frac.slice(0, -1);
    while (frac.length < places) frac += "0";
    return (n.neg ? "\u2212" : "") + int + (frac ? "." + frac : "");
  }
  function finite(x) { return isFinite(x) ? null : isNaN(x) ? "NaN" : x > 0 ? "∞" : "\u2212∞"; }
  // At most `digits` significant digits, no trailing zeros.
  function significant(x, digits) { return finite(x) || positional(keep(decimal(x), digits), 0); }
  // Exactly `places` decimals.
  function decimals(x, places) {
    if (finite(x)) return finite(x);
    var n = decimal(x);
    return positional(keep(n, n.exp + 1 + places), places);
  }
  function num(v) { return significant(v, 6); }
  function pct(v) { return decimals(v * 100, 0) + "%"; }

  // Nice ticks (src/render/widgets/plot.rs): a step of 1, 2, 2.5 or 5 times a power of
  // ten, as units × 10^exp with units 10, 20, 25 or 50; labels are written from integers.
  function niceStep(raw) {
    var s = raw.toExponential(), at = s.indexOf("e"), m = Number(s.slice(0, at)), e = Number(s.slice(at + 1));
    return m <= 1 ? [10, e - 1] : m <= 2 ? [20, e - 1] : m <= 2.5 ? [25, e - 1] : m <= 5 ? [50, e - 1] : [10, e];
  }
  function decimalValue(n, e) { return Number(n + "e" + e); }
  function shifted(n, e) {
    var digits = String(Math.abs(n)), text;
    if (e >= 0) text = n === 0 ? "0" : digits + new Array(e + 1).join("0");
    else {
      while (digits.length < 1 - e) digits = "0" + digits;
      var int = digits.slice(0, digits.length + e), frac = digits.slice(digits.length + e).replace(/0+$/, "");
      text = frac ? int + "." + frac : int;
    }
    return (n < 0 ? "\u2212" : "") + text;
  }
  function ticks(lo, hi, most) {
    var span = hi - lo, out = [];
    if (!(span > 0 && isFinite(span)) || !most) return out;
    var st = niceStep(span / most), step = decimalValue(st[0], st[1]);
    var last = Math.floor(hi / step + 1e-9);
    for (var k = Math.ceil(lo / step - 1e-9); k <= last; k++) out.push([decimalValue(k * st[0], st[1]), shifted(k * st[0], st[1])]);
    return out;
  }
  function niceRange(lo, hi, most) {
    var span = hi - lo;
    if (!(span > 0 && isFinite(span))) return [lo - 1, hi + 1];
    var st = niceStep(span / Math.max(1, most)), step = decimalValue(st[0], st[1]);
    return [decimalValue(Math.floor(lo / step + 1e-9) * st[0], st[1]), decimalValue(Math.ceil(hi / step - 1e-9) * st[0], st[1])];
  }

  // ---- drawing (the same figures as src/render/widgets/) -----------------------------
  function c(v) { var r = Math.round(v * 10) / 10; return String(r === 0 ? 0 : r); }
  // As the build's: the first point absolute, then steps between rounded positions.
  function tenths(t) { return t % 10 === 0 ? String(t / 10) : (t < 0 ? "-" : "") + Math.floor(Math.abs(t) / 10) + "." + (Math.abs(t) % 10); }
  function polyline(pts) {
    var d = "", px = 0, py = 0;
    pts.forEach(function (q, i) {
      var x = Math.round(q[0] * 10), y = Math.round(q[1] * 10);
      if (i) { var dy = tenths(y - py); d += "l" + tenths(x - px) + (dy.charAt(0) === "-" ? "" : " ") + dy; }
      else d = "M" + tenths(x) + " " + tenths(y);
      px = x; py = y;
    });
    return d;
  }
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function open(cls, w, h, id, title) {
    return '<svg class="wsvg ' + cls + '" viewBox="0 0 ' + w + " " + h + '" width="' + w + '" role="img" aria-labelledby="' + id +
      '"><title id="' + id + '">' + esc(title) + "</title>";
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
  // The grid lines and the ticks, each set one path, the frame, and the labels (as the
  // build's Plot::axes_at).
  Plot.prototype.axesAt = function (ys, xs) {
    var p = this, s = "";
    if (ys.length) s += '<path class="wgrid" d="' + ys.map(function (t) { return "M" + c(p.x0) + " " + c(p.y(t[0])) + "H" + c(p.x1); }).join("") + '"/>';
    s += p.frame();
    if (xs.length) s += '<path class="wtick" d="' + xs.map(function (t) { return "M" + c(p.x(t[0])) + " " + c(p.y1) + "v5"; }).join("") + '"/>';
    ys.forEach(function (t) { s += '<text class="wlabel wty" x="' + c(p.x0 - 6) + '" y="' + c(p.y(t[0]) + 4) + '">' + esc(t[1]) + "</text>"; });
    xs.forEach(function (t) { s += '<text class="wlabel wtx" x="' + c(p.x(t[0])) + '" y="' + c(p.y1 + 18) + '">' + esc(t[1]) + "</text>"; });
    return s;
  };
  Plot.prototype.axes = function (xs, ys) {
    return this.axesAt(ticks(this.ymin, this.ymax, ys), ticks(this.xmin, this.xmax, xs));
  };

  // Figure sizes (src/render/widgets/runs.rs).
  var SWEEP_LOSS = { w: 600, h: 300 }, SWEEP_MAP = { w: 380, h: 420 }, LAB_LOSS = { w: 360, h: 240 }, LAB_MAP = { w: 360, h: 400 };

  function lossSvg(d, run, marker, size, id, title, markerLabel) {
    var meta = d.meta.runs, tl = d.t.train_loss, epochs = meta.epochs;
    var p = new Plot({ x0: 52, x1: size.w - 14, y0: 34, y1: size.h - 42, xmin: epochs[0] || 0, xmax: Math.max(1, epochs[epochs.length - 1] || 1), ymin: tl.min, ymax: tl.max });
    var s = open("wloss", size.w, size.h, id, title) + p.axes(5, 6);
    s += '<text class="wlabel" x="' + c((p.x0 + p.x1) / 2) + '" y="' + c(size.h - 6) + '" text-anchor="middle">epoch</text><text class="wlabel" x="4" y="14">loss</text>';
    [["train_loss", "wl-train"], ["test_loss", "wl-test"]].forEach(function (pair) {
      var q = d.t[pair[0]], n = rowLen(q), pts = [];
      for (var i = 0; i < n; i++) pts.push([p.x(epochs[i]), p.y(get(q, run * n + i))]);
      var path = polyline(pts);
      s += '<path class="wline ' + pair[1] + '" d="' + path + '"/>';
    });
    var epoch = marker == null ? null : meta.snapshots[marker];
    if (epoch != null) s += '<path class="wepoch" d="M' + c(p.x(epoch)) + " " + c(p.y0) + "V" + c(p.y1) + '"/>';
    var x = p.x0 + 40, y = 14;
    s += '<g class="wlegend"><path class="wline wl-train" d="M' + c(x) + " " + c(y - 4) + 'h24"/><text class="wlabel" x="' + c(x + 30) + '" y="' + c(y) + '">train</text>' +
      '<path class="wline wl-test" d="M' + c(x + 90) + " " + c(y - 4) + 'h24"/><text class="wlabel" x="' + c(x + 120) + '" y="' + c(y) + '">test</text>';
    if (epoch != null) s += '<path class="wepoch" d="M' + c(x + 180) + " " + c(y - 11) + 'v14"/><text class="wlabel" x="' + c(x + 188) + '" y="' + c(y) + '">' + esc(markerLabel || "epoch of the map") + "</text>";
    s += "</g>";
    if (meta.diverged[run]) {
      s += '<text class="wlabel wwarn" x="' + c((p.x0 + p.x1) / 2) + '" y="' + c((p.y0 + p.y1) / 2) + '" text-anchor="middle">diverged: the loss left the chart</text>';
    }
    return s + "</svg>";
  }

  function heatBin(q, top) { return Math.min(BINS - 1, Math.floor(q * BINS / (top + 1))); }
  function mapBox(size) { return { left: 34, top: 8, side: size.w - 44 }; }

  // A map as one path per colour bin (the build's bin_paths).
  function binPaths(hm, start, rows, cols) {
    var paths = [];
    for (var b = 0; b < BINS; b++) paths.push("");
    var binAt = function (r, x) { return heatBin(hm.q[start + r * cols + x], hm.top); };
    // Whether row r has a run of bin b from col to end, no longer.
    var isRun = function (r, col, end, b) {
      for (var x = col; x < end; x++) if (binAt(r, x) !== b) return false;
      return (col === 0 || binAt(r, col - 1) !== b) && (end === cols || binAt(r, end) !== b);
    };
    for (var r = 0; r < rows; r++) {
      var col = 0;
      while (col < cols) {
        var bin = binAt(r, col), end = col + 1;
        while (end < cols && binAt(r, end) === bin) end++;
        // A run the row above has too is part of that row's rectangle.
        if (r === 0 || !isRun(r - 1, col, end, bin)) {
          var height = 1, width = end - col;
          while (r + height < rows && isRun(r + height, col, end, bin)) height++;
          paths[bin] += "M" + col + " " + r + "h" + width + "v" + height + "h-" + width;
        }
        col = end;
      }
    }
    return paths;
  }

  // The points are written once per page: a map whose pointsOf is another map's prefix
  // shows that map's points.
  function heatmapSvg(d, run, snap, size, prefix, title, pointsOf) {
    var meta = d.meta.runs, hm = d.t.heatmaps, res = Math.max(1, meta.resolution), box = mapBox(size);
    var cells = res * res, start = (run * Math.max(1, meta.snapshots.length) + snap) * cells;
    var paths = binPaths(hm, start, res, res);
    var s = open("wmap", size.w, size.h, prefix + "-title", title);
    s += '<g transform="translate(' + c(box.left) + " " + c(box.top) + ") scale(" + significant(box.side / res, 6) + ')" shape-rendering="crispEdges">';
    paths.forEach(function (p, i) { if (p) s += '<path class="hb' + i + '" d="' + p + '"/>'; });
    s += "</g>" + pointsMarkup(d, size, prefix, pointsOf || prefix);
    var p = new Plot({ x0: box.left, x1: box.left + box.side, y0: box.top, y1: box.top + box.side, xmin: -1, xmax: 1, ymin: -1, ymax: 1 });
    return s + p.axes(4, 4) + mapLegend(size, box) + "</svg>";
  }

  function mapLegend(size, box) {
    var y = size.h - 12, step = (size.w - box.left) / 4;
    var s = '<text class="wlabel" x="' + c(box.left + box.side) + '" y="' + c(box.top + box.side + 34) + '" text-anchor="end">x₁</text><text class="wlabel" x="4" y="' +
      c(box.top + 12) + '">x₂</text><g class="wlegend">';
    var dot = function (k, x) { var d = "M" + c(x) + " " + c(y - 4) + "h0"; return '<path class="pt-halo pt-c' + k + '" d="' + d + '"/><path class="pt pt-c' + k + '" d="' + d + '"/>'; };
    var patch = function (b, x) { return '<rect class="hb' + b + '" x="' + c(x - 6) + '" y="' + c(y - 10) + '" width="12" height="12"/>'; };
    [[dot(0, box.left), "class 0"], [dot(1, box.left + step), "class 1"], [patch(1, box.left + 2 * step), "predicts 0"], [patch(6, box.left + 3 * step), "predicts 1"]].forEach(function (item, i) {
      s += item[0] + '<text class="wlabel" x="' + c(box.left + i * step + 10) + '" y="' + c(y) + '">' + item[1] + "</text>";
    });
    return s + "</g>";
  }

  function pointsMarkup(d, size, prefix, pointsOf) {
    var pts = d.t.points, labels = d.t.labels, n = Math.min(labels.q.length, Math.floor(pts.q.length / 2)), box = mapBox(size);
    if (!n) return "";
    var paths = ["", ""], half = box.side / 2;
    for (var i = 0; i < n; i++) {
      var k = get(labels, i) >= 0.5 ? 1 : 0;
      // Whole pixels, as the build: a point is a dot several pixels wide.
      paths[k] += "M" + Math.round(box.left + (get(pts, 2 * i) + 1) * half) + " " + Math.round(box.top + (1 - get(pts, 2 * i + 1)) * half) + "h0";
    }
    var s = "";
    if (pointsOf === prefix) {
      s = "<defs>";
      paths.forEach(function (p, k) { s += '<path id="' + prefix + "-p" + k + '" d="' + p + '"/>'; });
      s += "</defs>";
    }
    for (var k = 0; k < 2; k++) {
      s += '<use href="#' + pointsOf + "-p" + k + '" class="pt-halo pt-c' + k + '"/><use href="#' + pointsOf + "-p" + k + '" class="pt pt-c' + k + '"/>';
    }
    return s;
  }

  function runResult(d, run) {
    var tl = d.t.train_loss, n = rowLen(tl), i = run * n + n - 1;
    var loss = function (q) { return isTop(q, i) ? "off the chart" : decimals(get(q, i), 3); };
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
      fig(section, "loss", lossSvg(d, run, snap, SWEEP_LOSS, id + "-loss-title", "Loss curves, " + set));
      fig(section, "map", heatmapSvg(d, run, snap, SWEEP_MAP, id + "-map", "Decision boundary at epoch " + runs.snapshots[snap] + ", " + set));
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
      fig(section, "mode", '<p class="wfig-title">' + esc(m.label) + "</p>" + lossSvg(d, at + 1, null, LAB_LOSS, id + "-mode-loss-title", "Loss curves: " + m.label) +
        heatmapSvg(d, at + 1, snap, LAB_MAP, id + "-mode-map", "Final decision boundary: " + m.label, id + "-healthy-map"));
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
    var p = new Plot({ x0: 46, x1: 350, y0: 12, y1: 240, xmin: Math.max(1, sizes[0]), xmax: Math.max(1, sizes[s - 1]), ymin: Math.min(0.5, Math.max(0, Math.floor(lowest * 10) / 10)), ymax: 1, logx: true });
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
  // The neuron's figures (src/render/widgets/neuron.rs).
  var PLANE = { left: 40, top: 10, side: 280, w: 340, h: 400 }, ACT = { w: 340, h: 340 };
  function planeSvg(id, x, w, b) {
    var p = new Plot({ x0: PLANE.left, x1: PLANE.left + PLANE.side, y0: PLANE.top, y1: PLANE.top + PLANE.side, xmin: -2, xmax: 2, ymin: -2, ymax: 2 });
    var z = function (q) { return w[0] * q[0] + w[1] * q[1] + b; };
    var sq = [[-2, -2], [2, -2], [2, 2], [-2, 2]], poly = [], ends = [];
    for (var i = 0; i < 4; i++) {
      var a = sq[i], e = sq[(i + 1) % 4], za = z(a), ze = z(e);
      if (za >= 0) poly.push(a);
      if ((za >= 0) !== (ze >= 0)) {
        var t = za / (za - ze), cut = [a[0] + t * (e[0] - a[0]), a[1] + t * (e[1] - a[1])];
        poly.push(cut);
        ends.push(cut);
      }
    }
    var s = open("wplane", PLANE.w, PLANE.h, id + "-plane-title", "The input plane: the shaded side is where the weighted sum is positive");
    s += '<rect class="wneg" x="' + c(PLANE.left) + '" y="' + c(PLANE.top) + '" width="' + c(PLANE.side) + '" height="' + c(PLANE.side) + '"/>';
    if (poly.length >= 3) s += '<path class="wpos" d="' + poly.map(function (q, i) { return (i ? "L" : "M") + c(p.x(q[0])) + " " + c(p.y(q[1])); }).join("") + 'z"/>';
    s += p.axes(4, 4);
    if (ends.length >= 2) s += '<path class="wdecision" d="M' + c(p.x(ends[0][0])) + " " + c(p.y(ends[0][1])) + "L" + c(p.x(ends[1][0])) + " " + c(p.y(ends[1][1])) + '"/>';
    s += '<circle class="winput" cx="' + c(p.x(x[0])) + '" cy="' + c(p.y(x[1])) + '" r="6"/>';
    var y1 = p.y1 + 60, y2 = p.y1 + 82, la = p.x0, lb = p.x0 + 150;
    s += '<text class="wlabel" x="' + c(p.x1) + '" y="' + c(p.y1 + 36) + '" text-anchor="end">x₁</text><text class="wlabel" x="4" y="' + c(p.y0 + 12) + '">x₂</text><g class="wlegend">' +
      '<rect class="wpos wswatch" x="' + c(la) + '" y="' + c(y1 - 11) + '" width="14" height="14"/><text class="wlabel" x="' + c(la + 20) + '" y="' + c(y1) + '">z &gt; 0 (shaded)</text>' +
      '<rect class="wneg wswatch" x="' + c(lb) + '" y="' + c(y1 - 11) + '" width="14" height="14"/><text class="wlabel" x="' + c(lb + 20) + '" y="' + c(y1) + '">z &lt; 0</text>' +
      '<path class="wdecision" d="M' + c(la) + " " + c(y2 - 4) + 'h14"/><text class="wlabel" x="' + c(la + 20) + '" y="' + c(y2) + '">z = 0</text>' +
      '<circle class="winput" cx="' + c(lb + 7) + '" cy="' + c(y2 - 4) + '" r="6"/><text class="wlabel" x="' + c(lb + 20) + '" y="' + c(y2) + '">the input (x₁, x₂)</text></g>';
    return s + "</svg>";
  }
  function actSvg(id, f, label, z) {
    var xr = niceRange(Math.min(z, -5), Math.max(z, 5), 6), xmin = xr[0], xmax = xr[1];
    var at = function (i) { return xmin + i * (xmax - xmin) / 100; }, lo = 0, hi = 1, i;
    for (i = 0; i <= 100; i++) { var v = act(f, at(i)); lo = Math.min(lo, v); hi = Math.max(hi, v); }
    var yr = niceRange(lo, hi, 6), pad = (yr[1] - yr[0]) * 0.04;
    var p = new Plot({ x0: 44, x1: ACT.w - 12, y0: 22, y1: ACT.h - 40, xmin: xmin, xmax: xmax, ymin: yr[0] - pad, ymax: yr[1] + pad });
    var s = open("wact", ACT.w, ACT.h, id + "-act-title", "The activation function, with the neuron's current weighted sum marked");
    s += p.axesAt(ticks(yr[0], yr[1], 6), ticks(xmin, xmax, 6));
    var pts = [];
    for (i = 0; i <= 100; i++) pts.push([p.x(at(i)), p.y(act(f, at(i)))]);
    var d = polyline(pts);
    s += '<text class="wlabel" x="' + c(p.x1) + '" y="' + c(ACT.h - 6) + '" text-anchor="end">z</text><text class="wlabel" x="4" y="12">' + esc(label) + "(z)</text>" +
      '<path class="wline ws0" d="' + d + '"/><circle class="winput" cx="' + c(p.x(z)) + '" cy="' + c(p.y(act(f, z))) + '" r="5"/>';
    return s + "</svg>";
  }
  // A factor of the caption's sum: negative numbers in parentheses.
  function factor(v) { return v < 0 ? "(" + num(v) + ")" : num(v); }
  function neuronCaption(x, w, b, label, f) {
    var z = w[0] * x[0] + w[1] * x[1] + b;
    return "Weighted sum z = " + factor(w[0]) + " × " + factor(x[0]) + " + " + factor(w[1]) + " × " + factor(x[1]) + " + " + factor(b) + " = " + decimals(z, 2) +
      "; output " + label + "(z) = " + decimals(act(f, z), 2) + ". The input point is on the " + (z >= 0 ? "positive" : "negative") + " side of the line.";
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
      var f = select.value, label = select.options[select.selectedIndex].text;
      var x = [v("x1"), v("x2")], w = [v("w1"), v("w2")], z = w[0] * x[0] + w[1] * x[1] + v("b");
      keys.forEach(function (k) { inputs[k].parentNode.querySelector("output").textContent = num(v(k)); });
      fig(section, "plane", planeSvg(id, x, w, v("b")));
      fig(section, "act", actSvg(id, f, label, z));
      readout(section, "z = " + decimals(z, 2) + ", output " + decimals(act(f, z), 2));
      var cap = section.querySelector(".widget-caption");
      if (cap) cap.textContent = neuronCaption(x, w, v("b"), label, f);
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
      return kinds[section.getAttribute("data-widget")](section, decode(buffer));
    }).then(function () {
      section.setAttribute("data-state", "ready");
    }).catch(function () {
      section.setAttribute("data-state", "failed");
      readout(section, "The data for this explorer could not be loaded; the figure shows the default view.");
    }).then(function () { section.removeAttribute("aria-busy"); });
  }

  // ---- keeping a link's target in place ----------------------------------------------
  // The static markup has the height of the loaded widget (style.css reserves the space of
  // the controls and shows one failure mode while loading), so a jump to an element below
  // the widgets lands where it should. Should a widget still change height once it has
  // loaded (a caption wrapping differently), the target of the URL's hash is put back at
  // the top, as long as the reader has not scrolled since the jump.
  var moved = false;
  function hashTarget() {
    var h = location.hash.slice(1);
    if (!h || h.indexOf(":") >= 0) return null;
    try { return document.getElementById(decodeURIComponent(h)); } catch (e) { return null; }
  }
  function keepTarget(section) {
    var target = hashTarget();
    if (moved || !target || section.contains(target)) return;
    if (!(section.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING)) return;
    try { target.scrollIntoView({ block: "start", behavior: "instant" }); } catch (e) { target.scrollIntoView(true); }
  }
  function watchHeights(sections) {
    ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (type) {
      window.addEventListener(type, function () { moved = true; }, { passive: true, capture: true });
    });
    window.addEventListener("hashchange", function () { moved = false; });
    if (!("ResizeObserver" in window)) return;
    var heights = new Map();
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        var section = entry.target, h = section.offsetHeight, before = heights.get(section);
        heights.set(section, h);
        if (before !== undefined && before !== h) keepTarget(section);
      });
    });
    sections.forEach(function (section) { observer.observe(section); });
  }

  // Sets up the widgets of `only` kinds (all the known ones when null).
  function attach(only) {
    var lazy = [], sections = document.querySelectorAll("section[data-widget]");
    sections.forEach(function (section) {
      var kind = section.getAttribute("data-widget");
      if (only && only.indexOf(kind) < 0) return;
      if (kind === "neuron") neuron(section);
      else if (section.hasAttribute("data-artifact") && kinds[kind]) lazy.push(section);
      else return;
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
  // What play.js draws with.
  var kit = {
    decode: decode, get: get, isTop: isTop, rowLen: rowLen, c: c, significant: significant, decimals: decimals, esc: esc, open: open,
    Plot: Plot, polyline: polyline, binPaths: binPaths, mapBox: mapBox, heatmapSvg: heatmapSvg, lossSvg: lossSvg, runResult: runResult,
    hashState: hashState, setHash: setHash, fig: fig, later: later, enable: enable, readout: readout, SWEEP_MAP: SWEEP_MAP, SWEEP_LOSS: SWEEP_LOSS,
  };
  function extend(more) {
    var added = more(kit);
    Object.keys(added).forEach(function (k) { kinds[k] = added[k]; });
    attach(Object.keys(added));
  }
  function setup() {
    watchHeights(document.querySelectorAll("section[data-widget]"));
    attach(null);
    (window.conceptlabMoreWidgets || []).forEach(extend);
  }
  window.conceptlabWidgets = { decode: decode, extend: extend };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

//! The widgets as a reader uses them, in headless Chromium: a site is rendered with
//! hand-built simulation results (see `common::sims`), served on 127.0.0.1 and opened in
//! a same-origin iframe of a probe page that drives the widgets and posts what it saw to
//! `POST /__report`.

mod common;

use std::time::Duration;

use common::Site;
use common::browser::run_probe;
use common::sims::{self, EXPLORE_LESSON};
use serde_json::Value;

const HARNESS: &str = r#"<!doctype html><meta charset="utf-8"><body><script type="module">
const report = (value) => fetch("/__report", { method: "POST", body: JSON.stringify(value) });
const frame = document.createElement("iframe");
frame.style.width = "1000px";
frame.style.height = "700px";
document.body.appendChild(frame);
const loaded = () => new Promise((resolve) => { frame.onload = () => resolve(frame.contentWindow); });
const open = (url) => { const next = loaded(); frame.src = url; return next; };
const reload = () => { const next = loaded(); frame.contentWindow.location.reload(); return next; };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Real key presses, sent by the test through the DevTools protocol to the focused element.
let batches = 0;
const keys = async (...names) => {
  batches++;
  await fetch("/__report", { method: "POST", body: "keys:" + names.join(",") });
  while (Number(await (await fetch("/__delivered")).text()) < batches) await sleep(25);
};
const until = async (what, test) => {
  for (let i = 0; i < 200; i++) { if (test()) return; await sleep(25); }
  throw new Error("timed out waiting for " + what);
};
const input = (win, el, value) => { el.value = value; el.dispatchEvent(new win.Event("input", { bubbles: true })); };
// A checksum of the heatmap's cells as drawn: each colour bin's path.
const cells = (section, fig) => {
  const text = [...section.querySelectorAll('[data-fig="' + fig + '"] path[class^="hb"]')]
    .map((p) => p.getAttribute("class") + p.getAttribute("d")).join("|");
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (h * 33 + text.charCodeAt(i)) >>> 0;
  return text ? h : null;
};
try {
  const result = await (async () => {
SCRIPT
  })();
  await report(result);
} catch (e) {
  await report({ error: String((e && e.stack) || e) });
}
</script>"#;

fn in_browser(script: &str) -> Value {
    let site = Site::fixture("mini");
    site.write("content/demo/005-explore.md", EXPLORE_LESSON);
    let results = sims::results(
        "demo/explore",
        vec![
            ("drill", sims::sweep(200)),
            ("scaling", sims::learning_curve()),
            ("failures", sims::failure_modes("Lower the learning rate.")),
        ],
    );
    sims::build_with(site.root(), &site.public(), "/", &results);
    site.write("public/__probe.html", HARNESS.replace("SCRIPT", script));
    let result = run_probe(
        &site.public(),
        "/",
        "/__probe.html",
        &[],
        Duration::from_secs(45),
    )
    .unwrap_or_else(|| r#"{"error": "timed out waiting for the browser"}"#.to_string());
    let value: Value = serde_json::from_str(&result).unwrap();
    assert!(value.get("error").is_none(), "{}", value["error"]);
    value
}

#[test]
fn the_sweep_explorer_loads_lazily_redraws_and_keeps_its_state_in_the_hash() {
    let seen = in_browser(
        r##"
    let win = await open("/demo/explore/");
    let section = win.document.getElementById("explore-drill");
    const lateBefore = win.document.getElementById("explore-failures").getAttribute("data-state");
    const controlsHidden = section.querySelector(".widget-controls").hidden;
    const staticCells = cells(section, "map");
    section.scrollIntoView();
    await until("the sweep's data", () => section.getAttribute("data-state") === "ready");
    const ready = { hidden: section.querySelector(".widget-controls").hidden, disabled: section.querySelector("fieldset").disabled };
    const first = cells(section, "map");
    const lossBefore = section.querySelector('[data-fig="loss"] path.wl-train').getAttribute("d");
    const lr = section.querySelector('input[name="lr"]');
    // A real key press on the focused slider moves it, and is no lesson shortcut.
    lr.focus();
    await keys("ArrowLeft");
    await sleep(100);
    const byKey = { value: lr.value, cells: cells(section, "map"), hash: win.location.hash, path: win.location.pathname };
    input(win, lr, "0");
    const afterLr = cells(section, "map");
    const lossAfter = section.querySelector('[data-fig="loss"] path.wl-train').getAttribute("d");
    const shown = lr.parentNode.querySelector("output").textContent;
    const valuetext = lr.getAttribute("aria-valuetext");
    const hidden = section.querySelector('input[name="hidden"]');
    input(win, hidden, "2");
    const afterHidden = cells(section, "map");
    const epoch = section.querySelector('input[name="epoch"]');
    input(win, epoch, "2");
    const afterEpoch = cells(section, "map");
    const hash = win.location.hash;
    await sleep(400);
    const readout = section.querySelector(".widget-readout").textContent;
    win = await reload();
    section = win.document.getElementById("explore-drill");
    await until("the sweep after a reload", () => section.getAttribute("data-state") === "ready");
    return {
      byKey, lateBefore, controlsHidden, staticCells, ready, first, afterLr, afterHidden, afterEpoch, lossChanged: lossBefore !== lossAfter,
      shown, valuetext, hash, readout,
      restored: {
        lr: section.querySelector('input[name="lr"]').value,
        hidden: section.querySelector('input[name="hidden"]').value,
        epoch: section.querySelector('input[name="epoch"]').value,
        cells: cells(section, "map"),
        output: section.querySelector('input[name="lr"]').parentNode.querySelector("output").textContent,
        hash: win.location.hash,
      },
    };
"##,
    );
    eprintln!("{seen:#}");
    assert!(
        seen["lateBefore"].is_null(),
        "the last widget waits until it is scrolled to"
    );
    assert_eq!(seen["controlsHidden"], true);
    assert_eq!(seen["ready"]["hidden"], false);
    assert_eq!(seen["ready"]["disabled"], false);
    // The script draws the same heatmap as the build.
    assert_eq!(seen["first"], seen["staticCells"]);
    assert_eq!(seen["byKey"]["value"], "1", "← moved the slider");
    assert_ne!(
        seen["byKey"]["cells"], seen["first"],
        "and redrew the heatmap"
    );
    assert_eq!(
        seen["byKey"]["hash"],
        "#explore-drill:lr=0.01;hidden=4;epoch=200"
    );
    assert_eq!(
        seen["byKey"]["path"], "/demo/explore/",
        "← in a slider is not a shortcut"
    );
    assert_ne!(
        seen["afterLr"], seen["byKey"]["cells"],
        "moving the slider redraws the heatmap"
    );
    assert_ne!(seen["afterHidden"], seen["afterLr"]);
    assert_ne!(seen["afterEpoch"], seen["afterHidden"]);
    assert_eq!(seen["lossChanged"], true);
    assert_eq!(seen["shown"], "0.001");
    assert_eq!(seen["valuetext"], "0.001");
    assert_eq!(seen["hash"], "#explore-drill:lr=0.001;hidden=8-8;epoch=50");
    let readout = seen["readout"].as_str().unwrap();
    assert!(
        readout.starts_with("Learning rate 0.001, Hidden layers 8-8: final train loss"),
        "{readout}"
    );
    assert_eq!(seen["restored"]["lr"], "0");
    assert_eq!(seen["restored"]["hidden"], "2");
    assert_eq!(seen["restored"]["epoch"], "2");
    assert_eq!(seen["restored"]["output"], "0.001");
    assert_eq!(seen["restored"]["cells"], seen["afterEpoch"]);
    assert_eq!(seen["restored"]["hash"], seen["hash"]);
}

#[test]
fn the_neuron_failure_lab_and_learning_curve_respond() {
    let seen = in_browser(
        r##"
    const win = await open("/demo/explore/");
    const doc = win.document;
    const neuron = doc.getElementById("explore-neuron");
    const readout = () => neuron.querySelector(".widget-caption").textContent;
    const live = () => neuron.querySelector(".widget-readout").textContent;
    const liveBefore = live();
    const before = readout();
    const line = () => neuron.querySelector(".wdecision").getAttribute("d");
    const lineBefore = line();
    const w1 = neuron.querySelector('input[name="w1"]');
    input(win, w1, "-2");
    const after = readout();
    const liveAfter = live();
    const lineAfter = line();
    const select = neuron.querySelector('select[name="f"]');
    select.value = "step";
    select.dispatchEvent(new win.Event("change", { bubbles: true }));
    const step = readout();
    const neuronHash = win.location.hash;

    const lab = doc.getElementById("explore-failures");
    lab.scrollIntoView();
    await until("the failure lab's data", () => lab.getAttribute("data-state") === "ready");
    const modeBefore = cells(lab, "mode");
    const healthyBefore = cells(lab, "healthy");
    const visibleBefore = [...lab.querySelectorAll(".widget-mode")].filter((m) => !m.hidden).map((m) => m.dataset.mode);
    const radio = lab.querySelector('input[value="too-small-network"]');
    radio.checked = true;
    radio.dispatchEvent(new win.Event("change", { bubbles: true }));
    const labResult = {
      modeChanged: cells(lab, "mode") !== modeBefore,
      healthySame: cells(lab, "healthy") === healthyBefore,
      visible: [...lab.querySelectorAll(".widget-mode")].filter((m) => !m.hidden).map((m) => m.dataset.mode),
      visibleBefore,
      hash: win.location.hash,
      readout: lab.querySelector(".widget-readout").textContent,
    };

    const curve = doc.getElementById("explore-scaling");
    curve.scrollIntoView();
    await until("the learning curve's data", () => curve.getAttribute("data-state") === "ready");
    const box = curve.querySelector('[data-fig="curve"]');
    box.focus();
    const focused = curve.querySelector(".widget-readout").textContent;
    box.dispatchEvent(new win.KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true, cancelable: true }));
    await sleep(300);
    return {
      before, after, liveBefore, liveAfter, lineBefore, lineAfter, step, neuronHash, lab: labResult,
      curve: { focused, left: curve.querySelector(".widget-readout").textContent, tabIndex: box.tabIndex, dots: curve.querySelectorAll(".wcursor-dot").length, path: win.location.pathname },
    };
"##,
    );
    eprintln!("{seen:#}");
    let before = seen["before"].as_str().unwrap();
    let after = seen["after"].as_str().unwrap();
    assert!(before.contains("output sigmoid(z) = 0.62"), "{before}");
    assert_ne!(before, after, "moving a weight changes the output");
    assert!(after.contains("= -2 × 1 +"), "{after}");
    assert_eq!(seen["liveBefore"], "z = 0.50, output 0.62");
    assert_eq!(seen["liveAfter"], "z = -2.30, output 0.09");
    assert_ne!(
        seen["lineBefore"], seen["lineAfter"],
        "and the decision line"
    );
    assert!(
        seen["step"].as_str().unwrap().contains("step(z) = 0.00"),
        "{}",
        seen["step"]
    );
    assert_eq!(
        seen["neuronHash"],
        "#explore-neuron:x1=1;x2=0.5;w1=-2;w2=-1.2;b=0.3;f=step"
    );
    assert_eq!(seen["lab"]["modeChanged"], true);
    assert_eq!(seen["lab"]["healthySame"], true);
    assert_eq!(
        seen["lab"]["visibleBefore"],
        serde_json::json!(["lr-too-high"])
    );
    assert_eq!(
        seen["lab"]["visible"],
        serde_json::json!(["too-small-network"])
    );
    assert_eq!(
        seen["lab"]["hash"],
        "#explore-failures:mode=too-small-network"
    );
    assert!(
        seen["lab"]["readout"]
            .as_str()
            .unwrap()
            .starts_with("Network too small:")
    );
    assert!(
        seen["curve"]["focused"]
            .as_str()
            .unwrap()
            .starts_with("3000 training examples: logistic"),
        "{}",
        seen["curve"]["focused"]
    );
    assert!(
        seen["curve"]["left"]
            .as_str()
            .unwrap()
            .starts_with("1000 training examples:"),
        "{}",
        seen["curve"]["left"]
    );
    assert_eq!(seen["curve"]["tabIndex"], 0);
    assert_eq!(seen["curve"]["dots"], 3);
    assert_eq!(
        seen["curve"]["path"], "/demo/explore/",
        "arrows in the chart are not lesson shortcuts"
    );
}

//! Runs the shared neural workloads W1, W2, W3 exactly as specified (same data, initial
//! weights and learning rates as the reference implementations) and prints the timed
//! region's seconds and GFLOP/s (conventional FLOP count), plus the training outcome.
//!
//! Usage: `cargo run --release --example engine_bench -- [w1|w2|w3|all] [--threads N]
//! [--reps R] [--kernel auto|scalar|avx2|avx512|reference] [--epochs E] [--params FILE]`
//! (defaults: all, 2 threads, 1 repetition for W1/W2 and 20 for W3, auto kernel).
//! `--params FILE`: W1 writes its trained parameters there (JSON); W3 evaluates the
//! networks in FILE when it exists instead of training W1 first (like the references,
//! which evaluate a saved parameter file).

use std::time::Instant;

use conceptlab::engine::{
    BatchResult, Isa, KernelChoice, Params, TrainSpec, predict_batch, train_batch, workloads,
};

struct Options {
    which: String,
    threads: usize,
    reps: Option<usize>,
    kernel: KernelChoice,
    epochs: Option<usize>,
    params: Option<String>,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        which: "all".into(),
        threads: 2,
        reps: None,
        kernel: KernelChoice::Auto,
        epochs: None,
        params: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "w1" | "w2" | "w3" | "all" => o.which = a,
            "--threads" => {
                o.threads = value("--threads")?
                    .parse()
                    .map_err(|e| format!("--threads: {e}"))?
            }
            "--reps" => {
                o.reps = Some(
                    value("--reps")?
                        .parse()
                        .map_err(|e| format!("--reps: {e}"))?,
                )
            }
            "--epochs" => {
                o.epochs = Some(
                    value("--epochs")?
                        .parse()
                        .map_err(|e| format!("--epochs: {e}"))?,
                )
            }
            "--params" => o.params = Some(value("--params")?),
            "--kernel" => {
                o.kernel = match value("--kernel")?.as_str() {
                    "auto" => KernelChoice::Auto,
                    "scalar" => KernelChoice::Simd(Isa::Scalar),
                    "avx2" => KernelChoice::Simd(Isa::Avx2),
                    "avx512" => KernelChoice::Simd(Isa::Avx512),
                    "reference" => KernelChoice::Reference,
                    k => return Err(format!("unknown kernel {k}")),
                }
            }
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    Ok(o)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    // numpy's default (linear interpolation).
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn outcome(result: &BatchResult) {
    let last =
        |r: &conceptlab::engine::NetworkResult| r.curve.last().cloned().expect("final metrics");
    let losses: Vec<f64> = result.networks.iter().map(|r| last(r).train_loss).collect();
    let accs: Vec<f64> = result
        .networks
        .iter()
        .map(|r| last(r).train_accuracy.unwrap_or(f64::NAN))
        .collect();
    let k = losses.len();
    let mut sl = losses.clone();
    sl.sort_by(f64::total_cmp);
    let mut sa = accs.clone();
    sa.sort_by(f64::total_cmp);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let frac90 = accs.iter().filter(|&&a| a >= 0.9).count() as f64 / k as f64;
    println!(
        "  loss mean {:.4} q25 {:.4} median {:.4} q75 {:.4} min {:.4} max {:.4}",
        mean(&losses),
        quantile(&sl, 0.25),
        quantile(&sl, 0.5),
        quantile(&sl, 0.75),
        sl[0],
        sl[k - 1]
    );
    println!(
        "  acc mean {:.4} median {:.4} min {:.4} max {:.4} frac>=0.9 {:.3}",
        mean(&accs),
        quantile(&sa, 0.5),
        sa[0],
        sa[k - 1],
        frac90
    );
    let picks: Vec<String> = [0, k / 4, k / 2, 3 * k / 4, k - 1]
        .iter()
        .map(|&i| format!("k={i}: {:.4}/{:.3}", losses[i], accs[i]))
        .collect();
    println!("  {}", picks.join("  "));
}

/// Times `train_batch` on the workload. Its result always carries the final metrics
/// (evaluated in f64), which the spec's timed region excludes, so a 0-epoch call
/// (initialization + one f64 evaluation) is timed too and subtracted: the difference is
/// the training loop, the figure comparable to the reference implementations.
fn run_training(w: &workloads::Workload, o: &Options) -> (f64, BatchResult) {
    let mut spec = w.spec.clone();
    spec.kernel = o.kernel;
    let mut flops = w.flops;
    if let Some(e) = o.epochs {
        flops *= e as f64 / spec.epochs as f64;
        spec.epochs = e;
    }
    let reps = o.reps.unwrap_or(1);
    let time = |spec: &TrainSpec| {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..reps {
            let start = Instant::now();
            let result = train_batch(&w.arch, spec, &w.data, &w.hypers).expect("workload is valid");
            times.push(start.elapsed().as_secs_f64());
            last = Some(result);
        }
        (times, last.expect("at least one repetition"))
    };
    let (times, result) = time(&spec);
    let (setup_times, _) = time(&TrainSpec {
        epochs: 0,
        ..spec.clone()
    });
    let (total, setup) = (median(times.clone()), median(setup_times));
    let train = total - setup;
    println!(
        "{}: {:.3} s training loop ({:.1} GFLOP/s), kernel {}",
        w.name,
        train,
        flops / train / 1e9,
        result.kernel
    );
    println!(
        "  whole train_batch call {:.3} s ({:.1} GFLOP/s), of which init + final f64 metrics {:.3} s; runs {:?}",
        total,
        flops / total / 1e9,
        setup,
        times
            .iter()
            .map(|t| (t * 1000.0).round() / 1000.0)
            .collect::<Vec<_>>()
    );
    outcome(&result);
    (total, result)
}

fn main() {
    let o = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("engine_bench: {e}");
            std::process::exit(2);
        }
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.threads)
        .build()
        .expect("thread pool");
    pool.install(|| {
        println!("threads {}, cpu kernel {:?}", o.threads, Isa::detect());
        let mut w1_params: Option<Vec<Params>> = None;
        let saved = o
            .params
            .as_deref()
            .filter(|p| std::path::Path::new(p).exists());
        if let (Some(path), "w3") = (saved, o.which.as_str()) {
            let text = std::fs::read_to_string(path).expect("readable params file");
            w1_params =
                Some(serde_json::from_str(&text).expect("a params file written by this bench"));
        } else if o.which == "w1" || o.which == "all" || o.which == "w3" {
            let (_, r) = run_training(&workloads::w1(), &o);
            let params: Vec<Params> = r.networks.into_iter().map(|n| n.params).collect();
            if let Some(path) = &o.params {
                std::fs::write(path, serde_json::to_string(&params).expect("serializable"))
                    .expect("writable params file");
            }
            w1_params = Some(params);
        }
        if o.which == "w2" || o.which == "all" {
            run_training(&workloads::w2(), &o);
        }
        if o.which == "w3" || o.which == "all" {
            let params = w1_params.expect("W3 evaluates the trained W1 networks");
            let grid = workloads::w3_grid();
            let arch = workloads::w1().arch;
            let mut times = Vec::new();
            let mut out = None;
            for _ in 0..o.reps.unwrap_or(20) {
                let start = Instant::now();
                let p = predict_batch(&arch, &params, grid.view(), o.kernel).expect("valid");
                times.push(start.elapsed().as_secs_f64());
                out = Some(p);
            }
            let p = out.expect("at least one repetition");
            let t = median(times);
            let mean = p.iter().map(|&v| v as f64).sum::<f64>() / p.len() as f64;
            let above = p.iter().filter(|&&v| v > 0.5).count() as f64 / p.len() as f64;
            println!(
                "W3: {:.4} s ({:.1} GFLOP/s)",
                t,
                workloads::W3_FLOPS / t / 1e9
            );
            println!("  mean p {mean:.6}, fraction p > 0.5 {above:.6}");
        }
    });
}

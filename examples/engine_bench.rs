//! Runs the shared neural workloads W1, W2, W3 exactly as specified (same data, initial
//! weights and learning rates as the reference implementations) and prints the timed
//! region's seconds and GFLOP/s (conventional FLOP count), plus the training outcome.
//!
//! Usage: `cargo run --release --example engine_bench -- [w1|w2|w3|all] [--threads N]
//! [--reps R] [--kernel auto|scalar|lanes8|avx2|avx512|reference] [--epochs E] [--params FILE]
//! [--no-peak]`
//! (defaults: all, 2 threads, 1 repetition for W1/W2 and 20 for W3, auto kernel).
//! `--params FILE`: W1 writes its trained parameters there (JSON); W3 evaluates the
//! networks in FILE when it exists instead of training W1 first (like the references,
//! which evaluate a saved parameter file).
//!
//! W3 is printed beside this machine's FMA peak, measured in the same run just before and
//! just after W3's timed calls: every thread runs a loop of independent register-resident
//! fused multiply-adds (24 zmm accumulators for AVX-512, 12 ymm for AVX2: enough to cover
//! the FMA latency on two FMA ports) over the instruction set the W3 kernel uses, on as
//! many threads as W3; the best of 3 repetitions of about 0.2 s each counts.

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
    peak: bool,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        which: "all".into(),
        threads: 2,
        reps: None,
        kernel: KernelChoice::Auto,
        epochs: None,
        params: None,
        peak: true,
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
            "--no-peak" => o.peak = false,
            "--kernel" => {
                o.kernel = match value("--kernel")?.as_str() {
                    "auto" => KernelChoice::Auto,
                    "scalar" => KernelChoice::Simd(Isa::Scalar),
                    "avx2" => KernelChoice::Simd(Isa::Avx2),
                    "lanes8" => KernelChoice::Simd(Isa::Lanes8),
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

/// Loops of independent fused multiply-adds, the accumulators kept in registers: the
/// FLOP rate a kernel of that instruction set could reach at best.
#[cfg(target_arch = "x86_64")]
mod peak {
    use std::arch::x86_64::*;

    /// Accumulators per instruction set: 24 of AVX-512's 32 registers, 12 of AVX2's 16.
    pub const AVX512_ACCUMULATORS: usize = 24;
    pub const AVX2_ACCUMULATORS: usize = 12;

    /// `iters` rounds of 24 independent 16-lane FMAs; returns a sum so nothing is dropped.
    #[target_feature(enable = "avx512f")]
    pub fn avx512(iters: u64) -> f32 {
        let (a, b) = (_mm512_set1_ps(0.999_999), _mm512_set1_ps(1e-6));
        let mut acc = [_mm512_setzero_ps(); AVX512_ACCUMULATORS];
        for (i, v) in acc.iter_mut().enumerate() {
            *v = _mm512_set1_ps(i as f32);
        }
        for _ in 0..iters {
            for v in acc.iter_mut() {
                *v = _mm512_fmadd_ps(*v, a, b);
            }
        }
        let mut s = _mm512_setzero_ps();
        for v in acc {
            s = _mm512_add_ps(s, v);
        }
        _mm512_reduce_add_ps(s)
    }

    /// `iters` rounds of 12 independent 8-lane FMAs.
    #[target_feature(enable = "avx2,fma")]
    pub fn avx2(iters: u64) -> f32 {
        let (a, b) = (_mm256_set1_ps(0.999_999), _mm256_set1_ps(1e-6));
        let mut acc = [_mm256_setzero_ps(); AVX2_ACCUMULATORS];
        for (i, v) in acc.iter_mut().enumerate() {
            *v = _mm256_set1_ps(i as f32);
        }
        for _ in 0..iters {
            for v in acc.iter_mut() {
                *v = _mm256_fmadd_ps(*v, a, b);
            }
        }
        let mut s = _mm256_setzero_ps();
        for v in acc {
            s = _mm256_add_ps(s, v);
        }
        let mut lanes = [0.0f32; 8];
        // SAFETY: `lanes` holds the 8 floats the store writes.
        unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), s) };
        lanes.iter().sum()
    }
}

/// The FMA loop of `isa` (AVX-512 or AVX2: the scalar and reference kernels are compared
/// with the widest this CPU has) on `threads` threads at once: (GFLOP/s, the ISA's name).
#[cfg(target_arch = "x86_64")]
fn fma_peak(isa: Isa, threads: usize) -> (f64, &'static str) {
    let isa = match isa {
        Isa::Avx2 | Isa::Avx512 => isa,
        Isa::Scalar | Isa::Lanes8 => Isa::detect(),
    };
    let (name, flops_per_iter) = match isa {
        Isa::Avx512 => ("avx512", (peak::AVX512_ACCUMULATORS * 16 * 2) as f64),
        Isa::Avx2 => ("avx2", (peak::AVX2_ACCUMULATORS * 8 * 2) as f64),
        Isa::Scalar | Isa::Lanes8 => return (f64::NAN, "none (no AVX2 on this CPU)"),
    };
    // Each thread times its own loop from a common start; the slowest one counts. (Timing
    // from the spawning thread instead would measure nothing when that thread is the one
    // descheduled: the loops run on as many threads as there are cores.)
    let run = |iters: u64| -> f64 {
        let barrier = std::sync::Barrier::new(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        let start = Instant::now();
                        // SAFETY: `isa` is available on this CPU (`Isa::detect` chose it,
                        // or the kernel that uses it was checked to be available).
                        let sum = unsafe {
                            match isa {
                                Isa::Avx512 => peak::avx512(iters),
                                _ => peak::avx2(iters),
                            }
                        };
                        std::hint::black_box(sum);
                        start.elapsed().as_secs_f64()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("FMA loop thread"))
                .fold(0.0, f64::max)
        })
    };
    // Calibrate to about 0.2 s per repetition (at most 2^32 rounds), then keep the best
    // of 3.
    let probe = 1_000_000;
    let t = run(probe).max(1e-4);
    let iters = ((probe as f64) * 0.2 / t).clamp(1.0, 4.0e9) as u64;
    let best = (0..3).map(|_| run(iters)).fold(f64::INFINITY, f64::min);
    let flops = flops_per_iter * iters as f64 * threads as f64;
    (flops / best / 1e9, name)
}

/// CPU seconds used by this process so far, all threads together (Linux; `NaN`
/// elsewhere): what a call costs when other programs share the cores.
#[cfg(target_os = "linux")]
fn process_cpu_seconds() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid `struct timespec` (64-bit Linux layout) for the call to fill.
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc == 0 {
        ts.sec as f64 + ts.nsec as f64 * 1e-9
    } else {
        f64::NAN
    }
}

#[cfg(not(target_os = "linux"))]
fn process_cpu_seconds() -> f64 {
    f64::NAN
}

#[cfg(not(target_arch = "x86_64"))]
fn fma_peak(_: Isa, _: usize) -> (f64, &'static str) {
    (f64::NAN, "not measured on this architecture")
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
            let isa = match o.kernel {
                KernelChoice::Simd(isa) if isa.is_available() => isa,
                _ => Isa::detect(),
            };
            let measure = |isa| {
                if o.peak {
                    fma_peak(isa, o.threads)
                } else {
                    (f64::NAN, "not measured")
                }
            };
            let (peak_before, isa_name) = measure(isa);
            let mut times = Vec::new();
            let mut cpu = Vec::new();
            let mut out = None;
            for _ in 0..o.reps.unwrap_or(20) {
                let (start, cpu_start) = (Instant::now(), process_cpu_seconds());
                let p = predict_batch(&arch, &params, grid.view(), o.kernel).expect("valid");
                times.push(start.elapsed().as_secs_f64());
                cpu.push(process_cpu_seconds() - cpu_start);
                out = Some(p);
            }
            let (peak_after, _) = measure(isa);
            let peak = peak_before.max(peak_after);
            let p = out.expect("at least one repetition");
            let t = median(times.clone());
            let mean = p.iter().map(|&v| v as f64).sum::<f64>() / p.len() as f64;
            let above = p.iter().filter(|&&v| v > 0.5).count() as f64 / p.len() as f64;
            let gflops = workloads::W3_FLOPS / t / 1e9;
            let beside = if o.peak {
                format!(
                    " = {:.1}% of the measured FMA peak ({peak:.1} GFLOP/s, {isa_name}, {} threads)",
                    100.0 * gflops / peak,
                    o.threads
                )
            } else {
                String::new()
            };
            println!("W3: {t:.4} s ({gflops:.1} GFLOP/s){beside}");
            if o.peak {
                println!("  FMA peak {peak_before:.1} GFLOP/s before W3, {peak_after:.1} after");
            }
            println!(
                "  calls min {:.4} s max {:.4} s; CPU time per call (all threads) median {:.4} s min {:.4} s",
                times.iter().copied().fold(f64::INFINITY, f64::min),
                times.iter().copied().fold(0.0, f64::max),
                median(cpu.clone()),
                cpu.iter().copied().fold(f64::INFINITY, f64::min),
            );
            // FNV-1a over the bits of every prediction: equal digests, equal results.
            let digest = p.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, v| {
                (h ^ u64::from(v.to_bits())).wrapping_mul(0x0100_0000_01b3)
            });
            println!(
                "  mean p {mean:.6}, fraction p > 0.5 {above:.6}, bits digest {digest:016x}"
            );
        }
    });
}

//! The bench report for people (`pretty`) and for machines (`json`, the [`BenchReport`]
//! serialized as is).

use std::fmt::Write as _;

use super::{BenchReport, PhaseReport};

/// The report as pretty-printed JSON.
pub fn json(report: &BenchReport) -> String {
    serde_json::to_string_pretty(report).expect("a bench report always serializes")
}

fn kib(v: Option<u64>) -> String {
    v.map_or("n/a".to_owned(), |k| {
        format!("{:.1} MiB", k as f64 / 1024.0)
    })
}

fn phases_table(out: &mut String, phases: &[PhaseReport]) {
    let _ = writeln!(
        out,
        "  {:<20} {:>8} {:>9} {:>7} {:>10} {:>10}",
        "phase", "actions", "requests", "errors", "wall ms", "req/s"
    );
    for p in phases {
        let actions = p.actions.to_string();
        let row = (p.requests, p.errors, p.wall_ms, p.requests_per_sec);
        phase_row(out, &p.name, &actions, row);
    }
}

/// One row of the phases table (the totals row too, which counts no actions).
fn phase_row(
    out: &mut String,
    name: &str,
    actions: &str,
    (requests, errors, wall_ms, rps): (u64, u64, f64, f64),
) {
    let _ = writeln!(
        out,
        "  {name:<20} {actions:>8} {requests:>9} {errors:>7} {wall_ms:>10.1} {rps:>10.0}"
    );
}

/// The report as aligned text tables.
pub fn pretty(r: &BenchReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "zinc-harness bench: {} ({}), {} users, {} groups x {} members, concurrency {}, seed {}",
        r.target, r.app, r.users, r.groups, r.members_per_group, r.concurrency, r.seed
    );
    let _ = writeln!(out, "\nphases");
    phases_table(&mut out, &r.phases);
    let t = &r.totals;
    let row = (t.requests, t.errors, t.wall_ms, t.requests_per_sec);
    phase_row(&mut out, "total", "", row);

    let _ = writeln!(out, "\nlatency per request kind (ms)");
    let _ = writeln!(
        out,
        "  {:<30} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "request", "count", "errors", "p50", "p95", "p99", "max"
    );
    for k in &r.requests {
        let _ = writeln!(
            out,
            "  {:<30} {:>9} {:>7} {:>8.3} {:>8.3} {:>8.3} {:>8.3}",
            k.kind, k.requests, k.errors, k.p50_ms, k.p95_ms, k.p99_ms, k.max_ms
        );
    }

    let d = &r.directory;
    let _ = writeln!(
        out,
        "\ndirectory: {} users created, {} linked; {} groups created, {} linked; {} membership pushes; import saw {} users; refresh saw {} groups",
        d.users_created,
        d.users_linked,
        d.groups_created,
        d.groups_linked,
        d.memberships_pushed,
        d.imported_users,
        d.app_groups
    );

    let o = &r.overhead;
    let _ = writeln!(
        out,
        "\nharness overhead: {:.1} µs/request outside exchanges vs {:.1} µs/request waiting on the server ({:.1}% of action time)",
        o.harness_us_per_request,
        o.wait_us_per_request,
        o.harness_share * 100.0
    );
    if let (Some(c), Some(s)) = (o.client_cpu_us_per_request, o.server_cpu_us_per_request) {
        let _ = writeln!(
            out,
            "CPU per request: client {c:.1} µs, embedded server {s:.1} µs"
        );
    } else if let Some(c) = o.client_cpu_us_per_request {
        let _ = writeln!(out, "CPU per request: client {c:.1} µs");
    }

    let m = &r.memory;
    let _ = writeln!(
        out,
        "memory: peak {} (VmHWM), resident {} before, {} after the phases{}",
        kib(m.peak_rss_kib),
        kib(m.rss_before_kib),
        kib(m.rss_after_kib),
        m.bytes_per_user
            .map(|b| {
                let whose = if r.target == "embedded" {
                    "client + embedded server"
                } else {
                    "client"
                };
                format!(", {b:.0} bytes per user ({whose})")
            })
            .unwrap_or_default()
    );

    if let Some(b) = &r.baseline {
        let _ = writeln!(out, "\nbaseline (fixed-body server, same client, same mix)");
        phases_table(&mut out, &b.phases);
        let ratios: Vec<String> = b
            .ratios
            .iter()
            .map(|x| format!("{} {:.2}x", x.phase, x.ratio))
            .collect();
        let _ = writeln!(out, "  target/baseline throughput: {}", ratios.join(", "));
    }

    if let Some(l) = &r.load {
        let _ = writeln!(
            out,
            "\nload: {:.1} s, {} requests, {} errors, {:.0} req/s; resident memory first {} last {} ({} samples)",
            l.seconds,
            l.requests,
            l.errors,
            l.requests_per_sec,
            kib(l.rss_first_kib),
            kib(l.rss_last_kib),
            l.rss_kib_samples.len()
        );
    }

    if !r.errors.is_empty() {
        let _ = writeln!(out, "\nfirst errors:");
        for e in &r.errors {
            let _ = writeln!(out, "  - {e}");
        }
    }
    out
}

//! What the bench reads about its own process from `/proc` (Linux): memory (`VmHWM`,
//! `VmRSS`) and CPU time per thread, so the client's CPU can be told apart from the
//! embedded servers' (they run on threads named [`crate::bench::baseline::THREAD_NAME`] and
//! `mock-zinc`). Elsewhere every figure is `None`.

use std::fs;

/// A `kB` field of `/proc/self/status`, e.g. `VmHWM` (peak RSS) or `VmRSS`.
fn status_kib(field: &str) -> Option<u64> {
    let text = fs::read_to_string("/proc/self/status").ok()?;
    text.lines().find_map(|l| {
        let rest = l.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// The peak resident set size of this process so far, in KiB.
pub(crate) fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM")
}

/// The current resident set size, in KiB.
pub(crate) fn rss_kib() -> Option<u64> {
    status_kib("VmRSS")
}

/// CPU time (user + system) of this process's threads, split by who they work for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CpuSplit {
    /// Threads of the embedded mock Zinc, in clock ticks.
    pub server: u64,
    /// Threads of the simulated Okta and the bench itself, in clock ticks (the baseline
    /// server's threads count in neither).
    pub client: u64,
}

impl CpuSplit {
    /// Ticks spent since `earlier` (threads that ended in between are lost, so take both
    /// samples while the servers run).
    pub(crate) fn plus(self, other: CpuSplit) -> CpuSplit {
        CpuSplit {
            server: self.server + other.server,
            client: self.client + other.client,
        }
    }

    pub(crate) fn since(self, earlier: CpuSplit) -> CpuSplit {
        CpuSplit {
            server: self.server.saturating_sub(earlier.server),
            client: self.client.saturating_sub(earlier.client),
        }
    }
}

/// Clock ticks per second of `/proc/*/stat` times: 100 on every Linux we run on (USER_HZ).
pub(crate) const TICKS_PER_SEC: u64 = 100;

/// CPU time of every live thread of this process, split by thread name.
pub(crate) fn cpu_split() -> Option<CpuSplit> {
    let mut split = CpuSplit::default();
    for entry in fs::read_dir("/proc/self/task").ok()? {
        let Ok(entry) = entry else { continue };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((name, ticks)) = parse_stat(&stat) else {
            continue;
        };
        // `comm` is cut to 15 bytes.
        if name.starts_with("mock-zinc") {
            split.server += ticks;
        } else if !name.starts_with(super::baseline::THREAD_NAME) {
            split.client += ticks;
        }
    }
    Some(split)
}

/// `(comm, utime + stime)` of one `/proc/<pid>/task/<tid>/stat` line.
fn parse_stat(stat: &str) -> Option<(&str, u64)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = &stat[open + 1..close];
    // Fields after `comm`: state is field 3; utime and stime are fields 14 and 15.
    let rest: Vec<&str> = stat[close + 1..].split_whitespace().collect();
    let utime: u64 = rest.get(11)?.parse().ok()?;
    let stime: u64 = rest.get(12)?.parse().ok()?;
    Some((name, utime + stime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_thread_stat_line_with_spaces_in_the_name() {
        let line = "4242 (mock zinc) x) S 1 2 3 4 5 6 7 8 9 10 120 30 0 0 20 0 1 0 100 0 0";
        assert_eq!(parse_stat(line), Some(("mock zinc) x", 150)));
    }

    #[test]
    fn reads_this_process() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_kib().unwrap() >= rss_kib().unwrap() / 2);
            assert!(cpu_split().is_some());
        }
    }
}

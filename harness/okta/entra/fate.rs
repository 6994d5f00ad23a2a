//! Entra's failure model (reference §1.1 "Retries are per object and slow", "The whole job
//! can be quarantined"; E4, E10): what the provisioning service would do with an answer.
//! Nothing here waits: the consequence is stated on the action ("Entra would quarantine
//! this job"), so a run takes seconds where Entra would take hours or weeks.

use std::fmt;

/// What Entra would do after a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Bad credentials (401): the job is quarantined at once (E4,
    /// `EncounteredQuarantineException`).
    QuarantineCredentials,
    /// A 404 where a 200 was expected (a request on an id Entra cached): a "SCIM compliance
    /// issue", quarantined at once (E4, I14).
    QuarantineNotFound,
    /// A timeout, a connection failure, a 5xx or a 429: retried on a later cycle, in about
    /// 40 minutes (E10; whether `Retry-After` is honoured is not documented, row 25).
    RetryNextCycle,
    /// Any other refusal: the object goes to escrow, retried 6 h, 12 h and 24 h after the
    /// first failure, then every 24 h for 28 days (E4, I13). Counts towards the failure-rate
    /// quarantine.
    Escrow,
    /// A manager or membership update that failed: escrowed like [`Fate::Escrow`] but a
    /// "reference failure", left out of the 40 % and 40,000 counts (E4).
    ReferenceEscrow,
}

impl Fate {
    /// What the provisioning service does for a request that got `status` (`None`: no
    /// answer). `by_id`: the request named an id Entra cached (`/Users/{id}`,
    /// `/Groups/{id}`); `reference`: it updates a manager or members.
    pub fn of(status: Option<u16>, by_id: bool, reference: bool) -> Fate {
        match status {
            Some(401) => Fate::QuarantineCredentials,
            Some(404) if by_id => Fate::QuarantineNotFound,
            None | Some(429) | Some(500..) => Fate::RetryNextCycle,
            Some(_) if reference => Fate::ReferenceEscrow,
            Some(_) => Fate::Escrow,
        }
    }

    pub fn quarantines(self) -> bool {
        matches!(self, Fate::QuarantineCredentials | Fate::QuarantineNotFound)
    }
}

impl fmt::Display for Fate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fate::QuarantineCredentials => {
                "Entra would quarantine this job at once: the credentials were refused \
                 (EncounteredQuarantineException; cycles drop to one a day and the job is \
                 disabled after four weeks) [E4]"
            }
            Fate::QuarantineNotFound => {
                "Entra would quarantine this job at once: 404 on an object it had provisioned, \
                 where it expects 200 (a SCIM compliance issue) [E4]"
            }
            Fate::RetryNextCycle => {
                "Entra would retry this object on the next cycle, in about 40 minutes [E10]"
            }
            Fate::Escrow => {
                "Entra would put this object in escrow: retried 6 h, 12 h and 24 h after the \
                 first failure, then every 24 h for 28 days; the failure counts towards \
                 quarantine [E4]"
            }
            Fate::ReferenceEscrow => {
                "Entra would put this reference update in escrow (retried 6 h, 12 h, 24 h, then \
                 daily for 28 days); reference failures do not count towards the failure-rate \
                 quarantine [E4]"
            }
        })
    }
}

/// A job's failure counts, for the failure-rate quarantine (E4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureCounts {
    /// Objects processed (every action on a user or group).
    pub events: u64,
    /// Failures other than reference failures.
    pub failures: u64,
    /// Manager and membership failures.
    pub reference_failures: u64,
}

/// E4: "at least 5,000 failures" that are "more than 40% of events or more than 40,000".
pub(crate) const MIN_FAILURES: u64 = 5_000;
pub(crate) const FAILURE_SHARE_PERCENT: u64 = 40;
pub(crate) const MANY_FAILURES: u64 = 40_000;
/// E4: failures of any kind, references included.
pub(crate) const ALL_FAILURES_CAP: u64 = 60_000;

impl FailureCounts {
    pub fn record(&mut self, fate: Option<Fate>) {
        self.events += 1;
        match fate {
            None => {}
            Some(Fate::ReferenceEscrow) => self.reference_failures += 1,
            Some(
                Fate::QuarantineCredentials
                | Fate::QuarantineNotFound
                | Fate::RetryNextCycle
                | Fate::Escrow,
            ) => self.failures += 1,
        }
    }

    /// Why the job would be quarantined by its failure rate, if it would.
    pub fn quarantine_reason(&self) -> Option<String> {
        let all = self.failures + self.reference_failures;
        if all >= ALL_FAILURES_CAP {
            return Some(format!(
                "{all} failures of any kind (at least {ALL_FAILURES_CAP}) [E4]"
            ));
        }
        if self.failures < MIN_FAILURES {
            return None;
        }
        if self.failures * 100 > self.events * FAILURE_SHARE_PERCENT {
            return Some(format!(
                "{} of {} events failed, more than {FAILURE_SHARE_PERCENT} % (with at least \
                 {MIN_FAILURES} failures) [E4]",
                self.failures, self.events
            ));
        }
        (self.failures > MANY_FAILURES)
            .then(|| format!("{} failures, more than {MANY_FAILURES} [E4]", self.failures))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_entras_consequences() {
        assert_eq!(
            Fate::of(Some(401), false, false),
            Fate::QuarantineCredentials
        );
        assert_eq!(Fate::of(Some(404), true, false), Fate::QuarantineNotFound);
        // A lookup answered 404 is not a cached object: a plain failure.
        assert_eq!(Fate::of(Some(404), false, false), Fate::Escrow);
        assert_eq!(Fate::of(None, true, false), Fate::RetryNextCycle);
        assert_eq!(Fate::of(Some(503), false, false), Fate::RetryNextCycle);
        assert_eq!(Fate::of(Some(429), false, false), Fate::RetryNextCycle);
        assert_eq!(Fate::of(Some(400), true, true), Fate::ReferenceEscrow);
        assert_eq!(Fate::of(Some(409), false, false), Fate::Escrow);
        assert!(Fate::QuarantineNotFound.quarantines());
        assert!(!Fate::Escrow.quarantines());
    }

    fn counts(events: u64, failures: u64, reference_failures: u64) -> FailureCounts {
        FailureCounts {
            events,
            failures,
            reference_failures,
        }
    }

    #[test]
    fn the_failure_rate_thresholds_of_e4() {
        // Under 5,000 failures nothing quarantines, even at 100 %.
        assert_eq!(counts(4_999, 4_999, 0).quarantine_reason(), None);
        // 5,000 failures: more than 40 % quarantines, 40 % exactly does not.
        assert!(counts(12_000, 5_000, 0).quarantine_reason().is_some());
        assert_eq!(counts(12_500, 5_000, 0).quarantine_reason(), None);
        // More than 40,000 quarantines at any share.
        assert!(counts(1_000_000, 40_001, 0).quarantine_reason().is_some());
        assert_eq!(counts(1_000_000, 40_000, 0).quarantine_reason(), None);
        // Reference failures are left out of both counts, but not out of the 60,000 cap.
        assert_eq!(counts(10_000, 0, 9_000).quarantine_reason(), None);
        assert!(counts(1_000_000, 0, 60_000).quarantine_reason().is_some());
    }

    #[test]
    fn record_counts_by_kind() {
        let mut c = FailureCounts::default();
        c.record(None);
        c.record(Some(Fate::Escrow));
        c.record(Some(Fate::ReferenceEscrow));
        assert_eq!(c, counts(3, 1, 1));
    }
}

//! Shrinking a diverging sequence: the smallest one that still diverges, found by trying
//! smaller ones on a fresh state each time (a fresh mock, or fresh tags on a live server).
//!
//! In order, repeated while anything gets smaller: cut everything after the divergence;
//! drop runs of steps (halves, quarters, … single steps: delta debugging); drop people and
//! groups (with the steps that then name nobody); drop group members and the people of
//! multi-person steps; simplify profile changes to one field. Bounded by a number of tries
//! and a deadline: the best sequence so far is kept when either runs out.

use std::time::Instant;

use super::compare::Divergence;
use super::generate::Sequence;
use crate::scenario::{Action, ConsoleGroup, PersonChanges};

/// How far shrinking went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShrinkStats {
    pub tries: usize,
    pub accepted: usize,
    /// Stopped by the tries or time budget rather than by finding nothing smaller.
    pub cut_short: bool,
}

/// The smallest sequence found that still diverges, with its divergence.
pub(crate) async fn shrink(
    seq: Sequence,
    divergence: Divergence,
    max_tries: usize,
    deadline: Instant,
    mut test: impl AsyncFnMut(&Sequence) -> Option<Divergence>,
) -> (Sequence, Divergence, ShrinkStats) {
    let mut best = truncate(&seq, divergence.step);
    let mut div = divergence;
    let mut stats = ShrinkStats::default();
    loop {
        let mut progress = false;
        let mut candidates = Candidates::new(&best);
        while let Some(cand) = candidates.next(&best) {
            if stats.tries >= max_tries || Instant::now() >= deadline {
                stats.cut_short = true;
                return (best, div, stats);
            }
            stats.tries += 1;
            if let Some(d) = test(&cand).await {
                stats.accepted += 1;
                best = truncate(&cand, d.step);
                div = d;
                progress = true;
                candidates = Candidates::new(&best);
            }
        }
        if !progress {
            return (best, div, stats);
        }
    }
}

fn truncate(seq: &Sequence, step: usize) -> Sequence {
    let mut s = seq.clone();
    s.steps.truncate(step.max(1));
    s
}

/// The smaller sequences to try, smallest changes last (big cuts first).
struct Candidates {
    /// Delta debugging: the chunk size and where the next cut starts.
    chunk: usize,
    at: usize,
    person: usize,
    group: usize,
    member: (usize, usize),
    narrow: usize,
    simplify: (usize, usize),
}

impl Candidates {
    fn new(seq: &Sequence) -> Candidates {
        Candidates {
            chunk: (seq.steps.len() / 2).max(1),
            at: 0,
            person: 0,
            group: 0,
            member: (0, 0),
            narrow: 0,
            simplify: (0, 0),
        }
    }

    fn next(&mut self, seq: &Sequence) -> Option<Sequence> {
        let n = seq.steps.len();
        // Runs of steps, the last step kept (it is where the divergence shows).
        while self.chunk >= 1 && n > 1 {
            if self.at + self.chunk < n {
                let mut s = seq.clone();
                s.steps.drain(self.at..self.at + self.chunk);
                self.at += self.chunk;
                return Some(s);
            }
            self.at = 0;
            // 1 is the last size; 0 marks the cuts done.
            self.chunk /= 2;
        }
        while self.person < seq.people.len() {
            let key = seq.people[self.person].key.clone();
            self.person += 1;
            if seq.people.len() > 1 {
                return Some(without_person(seq, &key));
            }
        }
        if self.group < seq.groups.len() {
            let key = seq.groups[self.group].key.clone();
            self.group += 1;
            return Some(without_group(seq, &key));
        }
        while self.member.0 < seq.groups.len() {
            let (g, m) = self.member;
            if m >= seq.groups[g].members.len() {
                self.member = (g + 1, 0);
                continue;
            }
            self.member.1 += 1;
            let mut s = seq.clone();
            s.groups[g].members.remove(m);
            return Some(s);
        }
        while self.narrow < n {
            let i = self.narrow;
            self.narrow += 1;
            if let Some(a) = narrowed(&seq.steps[i]) {
                let mut s = seq.clone();
                s.steps[i] = a;
                return Some(s);
            }
        }
        while self.simplify.0 < n {
            let (i, f) = self.simplify;
            let fields = match &seq.steps[i] {
                Action::UpdateUser { set, .. } | Action::EditPerson { set, .. } => fields(set),
                _ => Vec::new(),
            };
            if fields.len() <= 1 || f >= fields.len() {
                self.simplify = (i + 1, 0);
                continue;
            }
            self.simplify.1 += 1;
            let mut s = seq.clone();
            if let Action::UpdateUser { set, .. } | Action::EditPerson { set, .. } = &mut s.steps[i]
            {
                *set = fields[f].clone();
            }
            return Some(s);
        }
        None
    }
}

/// Each field of `c` on its own.
fn fields(c: &PersonChanges) -> Vec<PersonChanges> {
    let one = |f: fn(&mut PersonChanges, Option<String>), v: &Option<String>| {
        v.as_ref().map(|v| {
            let mut x = PersonChanges::default();
            f(&mut x, Some(v.clone()));
            x
        })
    };
    [
        one(|x, v| x.first = v, &c.first),
        one(|x, v| x.last = v, &c.last),
        one(|x, v| x.email = v, &c.email),
        one(|x, v| x.user_name = v, &c.user_name),
        one(|x, v| x.display_name = v, &c.display_name),
        one(|x, v| x.title = v, &c.title),
        one(|x, v| x.locale = v, &c.locale),
        one(|x, v| x.department = v, &c.department),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A step acting on several people, acting on the first one only.
fn narrowed(a: &Action) -> Option<Action> {
    let first = |p: &[String]| (p.len() > 1).then(|| vec![p[0].clone()]);
    Some(match a {
        Action::AddMembers { group, people } => Action::AddMembers {
            group: group.clone(),
            people: first(people)?,
        },
        Action::RemoveMembers { group, people } => Action::RemoveMembers {
            group: group.clone(),
            people: first(people)?,
        },
        _ => return None,
    })
}

/// `seq` without the person: out of groups, out of every step (a step left naming nobody
/// goes).
fn without_person(seq: &Sequence, key: &str) -> Sequence {
    let mut s = seq.clone();
    s.people.retain(|p| p.key != key);
    for g in &mut s.groups {
        g.members.retain(|m| m != key);
    }
    s.steps.retain_mut(|a| match a.named().people {
        Some(list) => {
            list.retain(|p| p != key);
            !list.is_empty()
        }
        None => true,
    });
    s
}

/// `seq` without the Okta group and every step that names it.
fn without_group(seq: &Sequence, key: &str) -> Sequence {
    let mut s = seq.clone();
    s.groups.retain(|g| g.key != key);
    let okta = |g: &ConsoleGroup| matches!(g, ConsoleGroup::Okta(k) if k == key);
    s.steps.retain_mut(|a| {
        let named = a.named();
        !(named.groups.iter().any(|g| g == key) || named.console_group.is_some_and(okta))
    });
    s
}

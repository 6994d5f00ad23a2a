//! The directory's data structures: records, indexes and an order index that finds the n-th
//! live item in O(log n), so a page of a list costs the same at 100 and at 100,000 users.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::value::RawValue;
use uuid::Uuid;

/// Creation order with tombstones: slot i holds the i-th created item, `None` once removed.
/// A Fenwick tree over live slots answers "the k-th live item" in O(log n).
#[derive(Debug, Default)]
pub(crate) struct OrderIndex {
    slots: Vec<Option<Uuid>>,
    tree: Vec<u32>, // 1-based Fenwick tree; tree[0] unused
    live: usize,
}

impl OrderIndex {
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    /// Appends an item; returns its slot.
    pub(crate) fn push(&mut self, id: Uuid) -> u32 {
        if self.tree.is_empty() {
            self.tree.push(0);
        }
        self.slots.push(Some(id));
        let i = self.slots.len(); // 1-based index of the new slot
        // tree[i] covers (i - lowbit(i), i]: the new 1 plus the live slots before it in range.
        let low = i & i.wrapping_neg();
        let covered = self.prefix(i - 1) - self.prefix(i - low);
        self.tree.push(covered + 1);
        self.live += 1;
        (i - 1) as u32
    }

    /// Removes the item at `slot`.
    pub(crate) fn remove(&mut self, slot: u32) {
        let idx = slot as usize;
        if self.slots.get(idx).is_some_and(Option::is_some) {
            self.slots[idx] = None;
            let mut i = idx + 1;
            while i < self.tree.len() {
                self.tree[i] -= 1;
                i += i & i.wrapping_neg();
            }
            self.live -= 1;
        }
    }

    fn prefix(&self, mut i: usize) -> u32 {
        let mut sum = 0;
        while i > 0 {
            sum += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }

    /// The k-th (0-based) live item.
    pub(crate) fn nth(&self, k: usize) -> Option<Uuid> {
        if k >= self.live {
            return None;
        }
        // Binary lifting: find the smallest i with prefix(i) > k.
        let n = self.tree.len() - 1;
        let mut pos = 0;
        let mut rem = k as u32;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rem {
                pos = next;
                rem -= self.tree[next];
            }
            step >>= 1;
        }
        self.slots.get(pos).copied().flatten()
    }

    /// Live items in order (for small or whole-list uses such as the console).
    pub(crate) fn iter(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.slots.iter().filter_map(|s| *s)
    }
}

/// A set that keeps insertion order, with O(log n) insert and remove.
#[derive(Debug, Default, Clone)]
pub(crate) struct OrderedSet {
    next: u64,
    seq: HashMap<Uuid, u64>,
    order: BTreeMap<u64, Uuid>,
}

impl OrderedSet {
    pub(crate) fn contains(&self, id: &Uuid) -> bool {
        self.seq.contains_key(id)
    }
    /// Adds `id` at the end; false when it was there already.
    pub(crate) fn insert(&mut self, id: Uuid) -> bool {
        if self.seq.contains_key(&id) {
            return false;
        }
        self.seq.insert(id, self.next);
        self.order.insert(self.next, id);
        self.next += 1;
        true
    }
    pub(crate) fn remove(&mut self, id: &Uuid) -> bool {
        match self.seq.remove(id) {
            Some(n) => {
                self.order.remove(&n);
                true
            }
            None => false,
        }
    }
    pub(crate) fn iter(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.order.values().copied()
    }
    pub(crate) fn clear(&mut self) {
        self.seq.clear();
        self.order.clear();
    }
}

/// A user as Zinc keeps it (Z9): nothing else is stored.
#[derive(Debug, Clone)]
pub(crate) struct UserRec {
    pub(crate) slot: u32,
    pub(crate) user_name: Box<str>,
    pub(crate) given: Box<str>,
    pub(crate) family: Box<str>,
    pub(crate) external_id: Option<Box<str>>,
    /// Always true while Z10 is in force (deactivated users do not exist).
    pub(crate) active: bool,
    pub(crate) created: u64,
    pub(crate) modified: u64,
    /// Groups this user is a member and admin of (removing the user is O(its groups));
    /// boxed and absent for a user in no group, to keep users small.
    pub(crate) links: Option<Box<UserLinks>>,
    /// Only filled while a rule is switched off (Z5: sent emails, Z8: sent displayName).
    pub(crate) naive: Option<Box<NaiveUser>>,
    pub(crate) json: Cached,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct UserLinks {
    pub(crate) member_of: HashSet<Uuid>,
    pub(crate) admin_of: HashSet<Uuid>,
}

impl UserRec {
    pub(crate) fn set_member_of(&mut self, group: Uuid, member: bool) {
        if member {
            self.links.get_or_insert_default().member_of.insert(group);
        } else if let Some(l) = &mut self.links {
            l.member_of.remove(&group);
        }
    }
    pub(crate) fn set_admin_of(&mut self, group: Uuid, admin: bool) {
        if admin {
            self.links.get_or_insert_default().admin_of.insert(group);
        } else if let Some(l) = &mut self.links {
            l.admin_of.remove(&group);
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct NaiveUser {
    pub(crate) emails: Option<serde_json::Value>,
    pub(crate) display_name: Option<String>,
    /// Z9 off: the extension objects sent (schema URN → object), as a generic server keeps
    /// them.
    pub(crate) extensions: serde_json::Map<String, serde_json::Value>,
}

/// Where a group came from (Z14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Created over SCIM by the external directory.
    Okta,
    /// Created in the Zinc Admin Console.
    Console,
}

#[derive(Debug, Clone)]
pub(crate) struct GroupRec {
    pub(crate) slot_all: u32,
    /// Slot in the SCIM order index while the group is visible over SCIM (Z15).
    pub(crate) slot_scim: Option<u32>,
    pub(crate) display_name: Box<str>,
    pub(crate) external_id: Option<Box<str>>,
    pub(crate) origin: Origin,
    pub(crate) linked: bool,
    pub(crate) members: OrderedSet,
    pub(crate) admins: OrderedSet,
    pub(crate) created: u64,
    pub(crate) modified: u64,
    pub(crate) json: Cached,
}

/// An index from a key to the ids that carry it (usually one).
#[derive(Debug, Default)]
pub(crate) struct MultiIndex {
    map: HashMap<Box<str>, Vec<Uuid>>,
}

impl MultiIndex {
    pub(crate) fn get(&self, key: &str) -> &[Uuid] {
        self.map.get(key).map(Vec::as_slice).unwrap_or(&[])
    }
    pub(crate) fn insert(&mut self, key: &str, id: Uuid) {
        self.map.entry(key.into()).or_default().push(id);
    }
    pub(crate) fn remove(&mut self, key: &str, id: Uuid) {
        if let Some(ids) = self.map.get_mut(key) {
            ids.retain(|x| *x != id);
            if ids.is_empty() {
                self.map.remove(key);
            }
        }
    }
}

/// Case-insensitive key (userName, displayName).
pub(crate) fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A record's SCIM representation, serialized on first read and kept until the record
/// changes: reads are most of what Okta sends, and building and serializing the resource
/// (a group of 20 members, with their userNames) on each of them was a large share of the
/// mock's CPU per read in `bench` profiles.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cached(OnceLock<Box<RawValue>>);

impl Cached {
    pub(crate) fn get_or_init(&self, make: impl FnOnce() -> Box<RawValue>) -> &RawValue {
        self.0.get_or_init(make)
    }
    fn clear(&mut self) {
        self.0 = OnceLock::new();
    }
}

/// A record with a [`Cached`] representation.
pub(crate) trait Record {
    fn cached(&mut self) -> &mut Cached;
}

impl Record for UserRec {
    fn cached(&mut self) -> &mut Cached {
        &mut self.json
    }
}

impl Record for GroupRec {
    fn cached(&mut self) -> &mut Cached {
        &mut self.json
    }
}

/// Records by id. Reading goes through `Deref` to the map; every way to change a record
/// goes through this type and forgets the record's cached representation, so a stale body
/// cannot be served (the compiler finds any write that tries to go around it).
#[derive(Debug)]
pub(crate) struct Records<R>(HashMap<Uuid, R>);

impl<R> Default for Records<R> {
    fn default() -> Self {
        Records(HashMap::new())
    }
}

impl<R> std::ops::Deref for Records<R> {
    type Target = HashMap<Uuid, R>;
    fn deref(&self) -> &HashMap<Uuid, R> {
        &self.0
    }
}

impl<R: Record> Records<R> {
    pub(crate) fn get_mut(&mut self, id: &Uuid) -> Option<&mut R> {
        let rec = self.0.get_mut(id)?;
        rec.cached().clear();
        Some(rec)
    }
    pub(crate) fn insert(&mut self, id: Uuid, mut rec: R) -> Option<R> {
        rec.cached().clear();
        self.0.insert(id, rec)
    }
    pub(crate) fn remove(&mut self, id: &Uuid) -> Option<R> {
        self.0.remove(id)
    }
    /// Forgets a record's cached representation when something it shows changed elsewhere.
    pub(crate) fn forget(&mut self, id: &Uuid) {
        if let Some(rec) = self.0.get_mut(id) {
            rec.cached().clear();
        }
    }
}

/// RFC 3339 UTC time with milliseconds, e.g. `2026-11-28T12:34:56.789Z`.
pub(crate) fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    // Written digit by digit: `format!` was a twentieth of the mock's CPU on reads.
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, mut v: u64| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y.clamp(0, 9999) as u64);
    put(5, 2, m as u64);
    put(8, 2, d as u64);
    put(11, 2, rem / 3600);
    put(14, 2, (rem / 60) % 60);
    put(17, 2, rem % 60);
    put(20, 3, ms % 1000);
    out.iter().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_index_finds_nth_live_item_after_removals() {
        let mut idx = OrderIndex::default();
        let ids: Vec<Uuid> = (0..1000).map(|_| Uuid::new_v4()).collect();
        let slots: Vec<u32> = ids.iter().map(|id| idx.push(*id)).collect();
        for (i, slot) in slots.iter().enumerate() {
            if i % 3 == 0 {
                idx.remove(*slot);
            }
        }
        let expected: Vec<Uuid> = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(idx.len(), expected.len());
        for (k, id) in expected.iter().enumerate() {
            assert_eq!(idx.nth(k), Some(*id), "k={k}");
        }
        assert_eq!(idx.nth(expected.len()), None);
        let later = Uuid::new_v4();
        idx.push(later);
        assert_eq!(idx.nth(expected.len()), Some(later));
    }

    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339(1_795_869_296_000), "2026-11-28T12:34:56.000Z");
    }
}

//! A serde `Deserializer` over the positioned node tree.
//!
//! Why not deserialize the text directly: serde stops at the first error, and a scenario author
//! should see every mistake of a file at once. Walking our own tree lets us
//! - attach the exact position of the offending key or value to every error,
//! - report *every* unknown field of a mapping (with "did you mean"), then carry on,
//! - isolate sections with [`Tolerant`]: an error inside one step is recorded and the next
//!   step is still checked,
//! - hand out positions to the types that need them ([`Located`]) for the semantic checks.

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::node::{Node, NodeKind, Pos};

const TOLERANT: &str = "__zinc_scenario_tolerant";
const LOCATED: &str = "__zinc_scenario_located";
/// Marks a position inside a custom error message (see [`error_at`]).
const POS_MARK: char = '\u{1}';

/// One structural problem found while reading the node tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DeError {
    pub pos: Option<Pos>,
    pub message: String,
    pub expected: Option<String>,
    /// The mapping entries (key positions) and list items the error came up through,
    /// innermost first: which entry to leave out to read the rest of a mapping.
    trail: Vec<Via>,
    /// Set by `missing_field`.
    missing: Option<&'static str>,
}

impl DeError {
    fn new(message: String, expected: Option<String>) -> Self {
        DeError {
            pos: None,
            message,
            expected,
            trail: Vec::new(),
            missing: None,
        }
    }

    fn at(mut self, pos: Pos) -> Self {
        if self.pos.is_none() {
            self.pos = Some(pos);
        }
        self
    }

    fn through(mut self, via: Via) -> Self {
        self.trail.push(via);
        self
    }
}

/// A step on an error's way up: the mapping entry (by its key's position) or list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Via {
    Key(Pos),
    Item(Pos),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(e) = &self.expected {
            write!(f, " (expected {e})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let text = msg.to_string();
        // A message made by `error_at` carries its own position and expectation.
        if let Some(rest) = text.strip_prefix(POS_MARK) {
            let mut parts = rest.splitn(4, POS_MARK);
            let line = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let column = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let message = parts.next().unwrap_or_default().to_string();
            let expected = parts.next().filter(|s| !s.is_empty()).map(str::to_string);
            let mut e = DeError::new(message, expected);
            e.pos = (line > 0).then_some(Pos { line, column });
            return e;
        }
        DeError::new(text, None)
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::new(
            format!("wrong type of value: found {}", describe_unexpected(&unexp)),
            Some(plain_expectation(&exp.to_string())),
        )
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::new(
            format!("{} is not allowed here", describe_unexpected(&unexp)),
            Some(exp.to_string()),
        )
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        DeError::new(
            format!("wrong number of items: {len}"),
            Some(exp.to_string()),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::new(
            format!(
                "unknown value `{variant}`{}",
                did_you_mean(variant, expected.iter().copied())
            ),
            Some(one_of(expected)),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError::new(
            format!(
                "unknown field `{field}`{}",
                did_you_mean(field, expected.iter().copied())
            ),
            Some(one_of(expected)),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        let mut e = DeError::new(
            format!("missing required field `{field}`"),
            Some(format!("`{field}: …` in this mapping")),
        );
        e.missing = Some(field);
        e
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::new(
            format!("field `{field}` is given twice"),
            Some("each field once".to_string()),
        )
    }
}

/// serde's names for types, in an author's words.
fn plain_expectation(exp: &str) -> String {
    match exp {
        "a string" | "a borrowed string" | "string" => "text".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping (key: value pairs)".to_string(),
        other if other.starts_with("struct ") => "a mapping (key: value pairs)".to_string(),
        other if other.starts_with("enum ") => "one of the allowed values".to_string(),
        other => other.to_string(),
    }
}

fn describe_unexpected(u: &de::Unexpected<'_>) -> String {
    use de::Unexpected as U;
    match u {
        U::Bool(b) => format!("the boolean `{b}`"),
        U::Unsigned(n) => format!("the number `{n}`"),
        U::Signed(n) => format!("the number `{n}`"),
        U::Float(n) => format!("the number `{n}`"),
        U::Char(c) => format!("the text \"{c}\""),
        U::Str(s) => format!("the text \"{}\"", super::node::shorten(s)),
        U::Bytes(_) => "binary data".to_string(),
        U::Unit | U::Option => "nothing (an empty value)".to_string(),
        U::Seq => "a list".to_string(),
        U::Map => "a mapping (key: value pairs)".to_string(),
        other => other.to_string(),
    }
}

/// "one of `a`, `b` or `c`".
pub(crate) fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing here".to_string(),
        [one] => format!("`{one}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let (last, rest) = quoted.split_last().expect("two or more");
            format!("one of {} or {last}", rest.join(", "))
        }
    }
}

/// The closest known name to a misspelt one, if it is close enough to be a typo.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// ", did you mean `x`?" or nothing.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    match suggest(word, candidates) {
        Some(s) => format!(", did you mean `{s}`?"),
        None => String::new(),
    }
}

/// An error at a known position, from code that only sees a generic serde error type.
pub(crate) fn error_at<E: de::Error>(pos: Pos, message: &str, expected: &str) -> E {
    E::custom(format!(
        "{POS_MARK}{}{POS_MARK}{}{POS_MARK}{message}{POS_MARK}{expected}",
        pos.line, pos.column
    ))
}

/// Errors recorded while deserializing, in the order they were met.
#[derive(Default)]
pub(crate) struct Sink {
    errors: RefCell<Vec<DeError>>,
    /// Entries and items left out after an error, so the rest of their mapping or list is
    /// still read (see [`RetrySeq`]).
    hidden: RefCell<std::collections::HashSet<Via>>,
    /// (mapping, field) pairs for which an unknown key was a near miss.
    explained: RefCell<Vec<(Pos, &'static str)>>,
}

impl Sink {
    fn hide(&self, via: Via) {
        self.hidden.borrow_mut().insert(via);
    }
    fn is_hidden(&self, via: Via) -> bool {
        self.hidden.borrow().contains(&via)
    }
    pub(super) fn push(&self, e: DeError) {
        self.errors.borrow_mut().push(e);
    }
    pub(super) fn take(&self) -> Vec<DeError> {
        std::mem::take(&mut self.errors.borrow_mut())
    }
    /// A "missing field" whose field an unknown near-miss key of the same mapping stands for.
    pub(super) fn is_explained(&self, e: &DeError) -> bool {
        match (e.missing, e.pos) {
            (Some(field), Some(pos)) => self
                .explained
                .borrow()
                .iter()
                .any(|(p, f)| *p == pos && *f == field),
            _ => false,
        }
    }
}

/// Deserialize `T` from a node, recording the errors of [`Tolerant`] parts in `sink`.
pub(crate) fn from_node<'a, T: Deserialize<'a>>(
    node: &'a Node,
    sink: &'a Sink,
) -> Result<T, DeError> {
    T::deserialize(NodeDe { node, sink })
}

#[derive(Clone, Copy)]
struct NodeDe<'a> {
    node: &'a Node,
    sink: &'a Sink,
}

impl<'a> NodeDe<'a> {
    fn child(&self, node: &'a Node) -> NodeDe<'a> {
        NodeDe {
            node,
            sink: self.sink,
        }
    }

    fn finish<T>(&self, r: Result<T, DeError>) -> Result<T, DeError> {
        r.map_err(|e| e.at(self.node.pos))
    }

    fn any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Bool(b) => visitor.visit_bool(*b),
            NodeKind::Int(n) => visitor.visit_i64(*n),
            NodeKind::UInt(n) => visitor.visit_u64(*n),
            NodeKind::Float(n) => visitor.visit_f64(*n),
            NodeKind::Str(s) => visitor.visit_str(s),
            NodeKind::Seq(items) => visitor.visit_seq(SeqDe {
                de: self,
                items: items.iter(),
            }),
            NodeKind::Map(entries) => visitor.visit_map(MapDe {
                de: self,
                entries: entries
                    .iter()
                    .filter(|(k, _)| !self.sink.is_hidden(Via::Key(k.pos)))
                    .collect::<Vec<_>>()
                    .into_iter(),
                value: None,
            }),
        }
    }

    fn string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        // A person types `title: 2024` or `name: yes` and means text: accept any scalar.
        match &self.node.kind {
            NodeKind::Str(s) => visitor.visit_str(s),
            NodeKind::Null | NodeKind::Seq(_) | NodeKind::Map(_) => self.any(visitor),
            _ => match self.node.scalar_text() {
                Some(t) => visitor.visit_string(t),
                None => self.any(visitor),
            },
        }
    }

    fn structure<V: Visitor<'a>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let NodeKind::Map(entries) = &self.node.kind else {
            return self.any(visitor);
        };
        // Every unknown key is reported (not just the first), and left out so the rest of the
        // mapping is still read.
        let mut known = Vec::with_capacity(entries.len());
        for entry in entries {
            if self.sink.is_hidden(Via::Key(entry.0.pos)) {
                continue;
            }
            match entry.0.as_str() {
                Some(k) if fields.contains(&k) => known.push(entry),
                other => {
                    let shown = other.map(str::to_string).or_else(|| entry.0.scalar_text());
                    if let Some(s) = shown
                        .as_deref()
                        .and_then(|k| suggest(k, fields.iter().copied()))
                    {
                        // `emial:` explains a missing `email:`; do not report both.
                        self.sink.explained.borrow_mut().push((self.node.pos, s));
                    }
                    let message = match &shown {
                        Some(k) => format!(
                            "unknown field `{k}`{}",
                            did_you_mean(k, fields.iter().copied())
                        ),
                        None => format!("a field name must be text, found {}", entry.0.describe()),
                    };
                    self.sink
                        .push(DeError::new(message, Some(one_of(fields))).at(entry.0.pos));
                }
            }
        }
        visitor.visit_map(MapDe {
            de: self,
            entries: known.into_iter(),
            value: None,
        })
    }

    fn option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn newtype<V: Visitor<'a>>(self, name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        match name {
            TOLERANT => visitor.visit_seq(RetrySeq {
                de: self,
                hidden_names: Vec::new(),
                attempts: 0,
                done: false,
            }),
            LOCATED => visitor.visit_seq(LocatedDe { de: self, state: 0 }),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn enumeration<V: Visitor<'a>>(
        self,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.kind {
            NodeKind::Str(_) => visitor.visit_enum(EnumDe {
                de: self,
                tag: self.node,
                content: None,
            }),
            NodeKind::Map(entries) if entries.len() == 1 => visitor.visit_enum(EnumDe {
                de: self,
                tag: &entries[0].0,
                content: Some(&entries[0].1),
            }),
            NodeKind::Map(entries) => {
                let names: Vec<String> = entries
                    .iter()
                    .filter_map(|(k, _)| k.scalar_text())
                    .collect();
                let message = if names.is_empty() {
                    "an empty mapping here names no choice".to_string()
                } else {
                    format!(
                        "only one choice is allowed here, found {}",
                        names.join(", ")
                    )
                };
                Err(DeError::new(message, Some(one_of(variants))).at(self.node.pos))
            }
            _ => Err(DeError::new(
                format!("found {}", self.node.describe()),
                Some(one_of(variants)),
            )
            .at(self.node.pos)),
        }
    }
}

/// Each `deserialize_*` method hands the visitor to one of the readers above (with the
/// arguments it needs) and pins an error without a position to this node.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) => $how:ident($($pass:ident),*),)*) => {
        $(fn $method<V: Visitor<'a>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, DeError> {
            let r = self.$how($($pass,)* visitor);
            self.finish(r)
        })*
    };
}

impl<'a> de::Deserializer<'a> for NodeDe<'a> {
    type Error = DeError;

    forward! {
        deserialize_any() => any(), deserialize_bool() => any(), deserialize_i8() => any(),
        deserialize_i16() => any(), deserialize_i32() => any(), deserialize_i64() => any(),
        deserialize_i128() => any(), deserialize_u8() => any(), deserialize_u16() => any(),
        deserialize_u32() => any(), deserialize_u64() => any(), deserialize_u128() => any(),
        deserialize_f32() => any(), deserialize_f64() => any(), deserialize_char() => string(),
        deserialize_str() => string(), deserialize_string() => string(),
        deserialize_bytes() => any(), deserialize_byte_buf() => any(),
        deserialize_option() => option(), deserialize_unit() => any(), deserialize_seq() => any(),
        deserialize_map() => any(), deserialize_identifier() => string(),
        deserialize_ignored_any() => any(),
        deserialize_unit_struct(_name: &'static str) => any(),
        deserialize_newtype_struct(name: &'static str) => newtype(name),
        deserialize_tuple(_len: usize) => any(),
        deserialize_tuple_struct(_name: &'static str, _len: usize) => any(),
        deserialize_struct(_name: &'static str, fields: &'static [&'static str])
            => structure(fields),
        deserialize_enum(_name: &'static str, variants: &'static [&'static str])
            => enumeration(variants),
    }
}

struct SeqDe<'a> {
    de: NodeDe<'a>,
    items: std::slice::Iter<'a, Node>,
}

impl<'a> de::SeqAccess<'a> for SeqDe<'a> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let sink = self.de.sink;
        match self.items.find(|n| !sink.is_hidden(Via::Item(n.pos))) {
            Some(n) => seed
                .deserialize(self.de.child(n))
                .map(Some)
                .map_err(|e| e.at(n.pos).through(Via::Item(n.pos))),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a> {
    de: NodeDe<'a>,
    entries: std::vec::IntoIter<&'a (Node, Node)>,
    value: Option<&'a (Node, Node)>,
}

impl<'a> de::MapAccess<'a> for MapDe<'a> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some(entry) => {
                self.value = Some(entry);
                let k = &entry.0;
                seed.deserialize(self.de.child(k))
                    .map(Some)
                    .map_err(|e| e.at(k.pos).through(Via::Key(k.pos)))
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((k, node)) = self.value.take() else {
            return Err(DeError::new("a value without its key".to_string(), None));
        };
        seed.deserialize(self.de.child(node))
            .map_err(|e| e.at(node.pos).through(Via::Key(k.pos)))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct EnumDe<'a> {
    de: NodeDe<'a>,
    tag: &'a Node,
    content: Option<&'a Node>,
}

impl<'a> de::EnumAccess<'a> for EnumDe<'a> {
    type Error = DeError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'a>>(self, seed: V) -> Result<(V::Value, Self), DeError> {
        let v = seed
            .deserialize(self.de.child(self.tag))
            .map_err(|e| e.at(self.tag.pos))?;
        Ok((v, self))
    }
}

impl<'a> de::VariantAccess<'a> for EnumDe<'a> {
    type Error = DeError;
    fn unit_variant(self) -> Result<(), DeError> {
        match self.content {
            None => Ok(()),
            Some(n) if n.kind == NodeKind::Null => Ok(()),
            Some(n) if matches!(&n.kind, NodeKind::Map(m) if m.is_empty()) => Ok(()),
            Some(n) => Err(DeError::new(
                format!(
                    "`{}` takes no value, found {}",
                    self.tag.scalar_text().unwrap_or_default(),
                    n.describe()
                ),
                Some("nothing after the colon".to_string()),
            )
            .at(n.pos)),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'a>>(self, seed: T) -> Result<T::Value, DeError> {
        match self.content {
            Some(n) => seed.deserialize(self.de.child(n)).map_err(|e| e.at(n.pos)),
            None => Err(DeError::new(
                format!(
                    "`{}` needs a value",
                    self.tag.scalar_text().unwrap_or_default()
                ),
                Some(format!(
                    "`{}: <value>`",
                    self.tag.scalar_text().unwrap_or_default()
                )),
            )
            .at(self.tag.pos)),
        }
    }
    fn tuple_variant<V: Visitor<'a>>(self, _: usize, visitor: V) -> Result<V::Value, DeError> {
        let node = self.content.unwrap_or(self.tag);
        de::Deserializer::deserialize_seq(self.de.child(node), visitor)
    }
    fn struct_variant<V: Visitor<'a>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        // `rotate_token` alone means `rotate_token: {}`: every field at its default.
        match self.content {
            Some(n) if n.kind != NodeKind::Null => {
                de::Deserializer::deserialize_struct(self.de.child(n), "", fields, visitor)
            }
            _ => visitor.visit_map(MapDe {
                de: self.de,
                entries: Vec::new().into_iter(),
                value: None,
            }),
        }
    }
}

/// Hands a `Located` its position, then its value.
struct LocatedDe<'a> {
    de: NodeDe<'a>,
    state: u8,
}

impl<'a> de::SeqAccess<'a> for LocatedDe<'a> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.state += 1;
        match self.state {
            1 => seed
                .deserialize(self.de.node.pos.line.into_deserializer())
                .map(Some),
            2 => seed
                .deserialize(self.de.node.pos.column.into_deserializer())
                .map(Some),
            3 => seed.deserialize(self.de).map(Some),
            _ => Ok(None),
        }
    }
}

/// Hands a `Tolerant` its value as many times as it takes: after an error inside one entry of a
/// mapping (or one item of a list), the error is recorded, that entry is left out and the value
/// is read again, so every wrong entry of e.g. one `expect:` is reported, not just the first.
struct RetrySeq<'a> {
    de: NodeDe<'a>,
    /// Keys left out so far: a later "missing field" for one of them is a consequence, not news.
    hidden_names: Vec<String>,
    attempts: u32,
    done: bool,
}

/// Enough for any real mapping; bounds the work on a pathological one.
const MAX_RETRIES: u32 = 64;

impl<'a> RetrySeq<'a> {
    /// The direct entry or item of this node that `via` names, with its key text.
    fn own(&self, via: Via) -> Option<String> {
        match (&self.de.node.kind, via) {
            (NodeKind::Map(entries), Via::Key(p)) => entries
                .iter()
                .find(|(k, _)| k.pos == p)
                .map(|(k, _)| k.scalar_text().unwrap_or_default()),
            (NodeKind::Seq(items), Via::Item(p)) => {
                items.iter().any(|n| n.pos == p).then(String::new)
            }
            _ => None,
        }
    }
}

impl<'a> de::SeqAccess<'a> for RetrySeq<'a> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        if self.done {
            return Ok(None);
        }
        self.attempts += 1;
        let e = match seed.deserialize(self.de) {
            Ok(v) => {
                self.done = true;
                return Ok(Some(v));
            }
            Err(e) => e.at(self.de.node.pos),
        };
        // After an entry was left out, an error of the mapping as a whole is a consequence
        // (e.g. "no step kind" once the broken kind is left out), unless it is a field that
        // is really missing.
        let consequence = e.trail.is_empty()
            && !self.hidden_names.is_empty()
            && e.missing
                .is_none_or(|f| self.hidden_names.iter().any(|h| h == f));
        if consequence {
            self.done = true;
            return Ok(None);
        }
        self.de.sink.push(e.clone());
        let entry = e.trail.last().copied();
        match entry.and_then(|via| self.own(via).map(|name| (via, name))) {
            Some((via, name)) if self.attempts < MAX_RETRIES => {
                self.de.sink.hide(via);
                self.hidden_names.push(name);
                Err(e)
            }
            _ => {
                self.done = true;
                Ok(None)
            }
        }
    }
}

/// A value that, when wrong, is reported and left out (`None`) instead of failing its parent:
/// how one broken step does not hide the errors of the next.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tolerant<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tolerant<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Tolerant<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Tolerant<T>, A::Error> {
                // The node deserializer records each error and offers the value again with the
                // wrong entry left out, until it reads or gives up (bounded).
                loop {
                    match seq.next_element::<T>() {
                        Ok(Some(v)) => return Ok(Tolerant(Some(v))),
                        Ok(None) => return Ok(Tolerant(None)),
                        Err(_) => continue,
                    }
                }
            }
        }
        d.deserialize_newtype_struct(TOLERANT, V(PhantomData))
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Located<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Located<T>, A::Error> {
                let line: u32 = seq.next_element()?.unwrap_or(0);
                let column: u32 = seq.next_element()?.unwrap_or(0);
                let value: T = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::custom("a located value without its value"))?;
                Ok(Located {
                    value,
                    pos: Pos { line, column },
                })
            }
        }
        d.deserialize_newtype_struct(LOCATED, V(PhantomData))
    }
}

/// In a file a `Tolerant<T>` or `Located<T>` is written as the `T` it wraps: same schema.
macro_rules! schema_of_wrapped {
    ($($wrapper:ident),*) => {$(
        impl<T: JsonSchema> JsonSchema for $wrapper<T> {
            fn inline_schema() -> bool {
                T::inline_schema()
            }
            fn schema_name() -> std::borrow::Cow<'static, str> {
                T::schema_name()
            }
            fn schema_id() -> std::borrow::Cow<'static, str> {
                T::schema_id()
            }
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                T::json_schema(generator)
            }
        }
    )*};
}

schema_of_wrapped!(Tolerant, Located);

/// A mapping whose keys are names chosen by the author (people, groups), in file order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Named<T>(pub Vec<(Located<String>, T)>);

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Named<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Named<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of names to definitions")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Named<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Located<String>>()? {
                    let v = map.next_value::<T>()?;
                    out.push((k, v));
                }
                Ok(Named(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for Named<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Named_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let item = generator.subschema_for::<T>();
        schemars::json_schema!({
            "type": "object",
            "additionalProperties": item,
        })
    }
}

//! The YAML document as a tree of nodes that each know where they are in the file.
//!
//! serde-saphyr parses the text (syntax errors, duplicate keys and the size/depth budget all
//! come from it, with positions); every node is captured with `Spanned`, so later passes can
//! point at the exact key or value that is wrong, and can report *all* problems of a file
//! rather than stopping at the first one.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A 1-based line and column in a scenario file (0 means unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub(crate) struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub(crate) fn new(line: u64, column: u64) -> Pos {
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One YAML node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// How a person would call this kind of value in an error message.
    pub(super) fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Null => "nothing (an empty value)".to_string(),
            NodeKind::Bool(b) => format!("the boolean `{b}`"),
            NodeKind::Int(n) => format!("the number `{n}`"),
            NodeKind::UInt(n) => format!("the number `{n}`"),
            NodeKind::Float(n) => format!("the number `{n}`"),
            NodeKind::Str(s) => format!("the text \"{}\"", shorten(s)),
            NodeKind::Seq(_) => "a list".to_string(),
            NodeKind::Map(_) => "a mapping (key: value pairs)".to_string(),
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar as text, as a person typed it (numbers and booleans too).
    pub(super) fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::Str(s) => Some(s.clone()),
            NodeKind::Bool(b) => Some(b.to_string()),
            NodeKind::Int(n) => Some(n.to_string()),
            NodeKind::UInt(n) => Some(n.to_string()),
            NodeKind::Float(n) => Some(n.to_string()),
            _ => None,
        }
    }

    pub(super) fn map_entries(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value of `key` in a mapping node.
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        self.map_entries()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The key node of `key` in a mapping node.
    pub(super) fn key(&self, key: &str) -> Option<&Node> {
        self.map_entries()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, _)| k)
    }

    /// The first scalar (in document order) under this node whose text is `text`: where a
    /// reference such as a person's key was written.
    pub(super) fn find_scalar(&self, text: &str) -> Option<Pos> {
        match &self.kind {
            NodeKind::Seq(items) => items.iter().find_map(|n| n.find_scalar(text)),
            NodeKind::Map(entries) => entries.iter().find_map(|(_, v)| v.find_scalar(text)),
            _ => (self.scalar_text().as_deref() == Some(text)).then_some(self.pos),
        }
    }
}

pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// A node wrapped by serde-saphyr's `Spanned`, turned into our `Node`.
struct SpannedNode(Node);

impl<'de> Deserialize<'de> for SpannedNode {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<NodeKind>::deserialize(d)?;
        Ok(SpannedNode(Node {
            kind: spanned.value,
            pos: Pos::new(spanned.referenced.line(), spanned.referenced.column()),
        }))
    }
}

impl<'de> Deserialize<'de> for NodeKind {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = NodeKind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<NodeKind, E> {
        Ok(NodeKind::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<NodeKind, E> {
        Ok(NodeKind::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<NodeKind, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => NodeKind::Int(i),
            Err(_) => NodeKind::UInt(v),
        })
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<NodeKind, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => NodeKind::Int(i),
            Err(_) => NodeKind::Float(v as f64),
        })
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<NodeKind, E> {
        Ok(match u64::try_from(v) {
            Ok(i) => NodeKind::UInt(i),
            Err(_) => NodeKind::Float(v as f64),
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<NodeKind, E> {
        Ok(NodeKind::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<NodeKind, E> {
        Ok(NodeKind::Null)
    }
    fn visit_none<E>(self) -> Result<NodeKind, E> {
        Ok(NodeKind::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<NodeKind, D::Error> {
        NodeKind::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeKind, A::Error> {
        let mut items = Vec::new();
        while let Some(SpannedNode(n)) = seq.next_element()? {
            items.push(n);
        }
        Ok(NodeKind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeKind, A::Error> {
        let mut entries = Vec::new();
        while let Some(SpannedNode(k)) = map.next_key()? {
            let SpannedNode(v) = map.next_value()?;
            entries.push((k, v));
        }
        Ok(NodeKind::Map(entries))
    }
}

/// Limits that keep a hostile or broken file from exhausting memory or the stack.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
pub const MAX_DEPTH: usize = 32;
/// Values (scalars, lists, mappings) in a file, counting each alias expansion.
pub const MAX_NODES: usize = 100_000;

/// A YAML-level failure: the text is not a single well-formed YAML document.
#[derive(Debug, Clone)]
pub(crate) struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// Parse YAML text into a node tree (one document).
pub(crate) fn parse_yaml(text: &str) -> Result<Node, YamlError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_documents: 1,
            max_nodes: MAX_NODES,
        },
        with_snippet: false,
        // `on`, `yes`, `no` stay text: `provisioning: on` then reads "unknown value `on`"
        // instead of a puzzling "found the boolean true".
        strict_booleans: true,
    };
    match serde_saphyr::from_str_with_options::<Option<SpannedNode>>(text, options) {
        Ok(Some(SpannedNode(n))) => Ok(n),
        Ok(None) => Ok(Node {
            kind: NodeKind::Null,
            pos: Pos { line: 1, column: 1 },
        }),
        Err(err) => {
            let pos = err
                .location()
                .map(|l| Pos::new(l.line(), l.column()))
                .unwrap_or_default();
            Err(YamlError {
                pos,
                message: err.to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_their_positions() {
        let n = parse_yaml("a: 1\nb:\n  - x\n  - {c: d}\n").unwrap();
        let b = n.get("b").unwrap();
        assert_eq!(b.pos, Pos { line: 3, column: 3 });
        assert_eq!(n.key("b").unwrap().pos, Pos { line: 2, column: 1 });
        assert_eq!(n.find_scalar("d").unwrap(), Pos { line: 4, column: 9 });
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse_yaml("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = "[".repeat(5000);
        let e = parse_yaml(&text).unwrap_err();
        assert!(e.message.contains("recursion limit"), "{}", e.message);
        assert!(e.pos.column as usize <= MAX_DEPTH * 10);
    }
}

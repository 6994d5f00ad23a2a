//! Helpers for the crate's own unit tests.

use serde::Deserialize;
use serde::de::{Error as _, Visitor};

/// serde's own names of `T`'s variants, in declaration order: what a test holds a
/// hand-kept name list to.
pub(crate) fn serde_variants<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(Grab(&mut names));
    names
}

/// A deserializer that only records the variants an enum asks for.
struct Grab<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for Grab<'_> {
    type Error = serde::de::value::Error;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(Self::Error::custom("not an enum"))
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = variants;
        Err(Self::Error::custom("recorded"))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

//! The one walk over every string of a JSON value, for the code that rewrites names and ids
//! in bodies (isolation's tags, placeholders both ways, explore's untagging). Object keys are
//! left as they are.

use serde_json::Value;

/// Calls `f` on every string in `v`, depth first in document order (array items in order,
/// object members in their order), so the first one `f` refuses is the first in the body.
pub(crate) fn each_string(v: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| each_string(i, f)),
        Value::Object(members) => members.values_mut().for_each(|m| each_string(m, f)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A copy of `v` with every string replaced by `f` of it.
pub(crate) fn map_strings(v: &Value, f: impl Fn(&str) -> String) -> Value {
    let mut out = v.clone();
    each_string(&mut out, &mut |s| *s = f(s));
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_string_value_is_visited_in_order_and_keys_are_not() {
        let mut seen = Vec::new();
        let mut v = json!({"a": "x", "b": [1, "y", {"c": "z"}], "d": null, "e": true});
        each_string(&mut v, &mut |s| seen.push(s.clone()));
        assert_eq!(seen, ["x", "y", "z"]);
        let upper = map_strings(&v, str::to_uppercase);
        assert_eq!(
            upper,
            json!({"a": "X", "b": [1, "Y", {"c": "Z"}], "d": null, "e": true})
        );
    }
}

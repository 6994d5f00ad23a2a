//! `{user:KEY}` and `{group:KEY}` in `scim:` paths and `expect: requests:` lines: the server id
//! Okta learned for a person or an Okta group. One parser, used by `check` and by the runner.

/// A placeholder found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdRef<'a> {
    /// `{user:KEY}`: a person's key.
    User(&'a str),
    /// `{group:KEY}`: an Okta group's key.
    Group(&'a str),
    /// `{other:KEY}` with an unknown kind (an error in a scenario).
    Unknown(&'a str, &'a str),
}

/// Every placeholder of `text`, in order. `{…}` without a `kind:` prefix (e.g. JSON in a
/// filter) is not a placeholder.
pub fn placeholders(text: &str) -> Vec<IdRef<'_>> {
    let mut out = Vec::new();
    scan(text, |r| {
        out.push(r);
        None
    });
    out
}

/// `text` with each placeholder replaced by what `f` returns (`None` keeps it as written).
///
/// ```
/// use zinc_harness::scenario::{IdRef, substitute};
/// let path = substitute("/Users/{user:alice}", |r| match r {
///     IdRef::User("alice") => Some("2819c223".to_string()),
///     _ => None,
/// });
/// assert_eq!(path, "/Users/2819c223");
/// ```
pub fn substitute(text: &str, f: impl FnMut(IdRef<'_>) -> Option<String>) -> String {
    scan(text, f)
}

fn scan<'t>(text: &'t str, mut f: impl FnMut(IdRef<'t>) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let whole = &rest[start..start + end + 2];
        let parsed = inner.split_once(':').and_then(|(kind, key)| {
            let plain = !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphabetic());
            plain.then_some(match kind {
                "user" => IdRef::User(key),
                "group" => IdRef::Group(key),
                other => IdRef::Unknown(other, key),
            })
        });
        match parsed.and_then(&mut f) {
            Some(replacement) => out.push_str(&replacement),
            None => out.push_str(whole),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_replaces_placeholders() {
        let text = r#"/Groups/{group:eng}?filter={"x":1}&u={user:alice}{"#;
        assert_eq!(
            placeholders(text),
            [IdRef::Group("eng"), IdRef::User("alice")]
        );
        let out = substitute(text, |r| match r {
            IdRef::Group(k) => Some(format!("G-{k}")),
            _ => None,
        });
        assert_eq!(out, r#"/Groups/G-eng?filter={"x":1}&u={user:alice}{"#);
        assert_eq!(
            placeholders("{person:bob}"),
            [IdRef::Unknown("person", "bob")]
        );
    }
}

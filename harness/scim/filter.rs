//! A small SCIM filter parser (RFC 7644 §3.4.2.2).
//!
//! It parses the whole grammar (comparisons, `pr`, `and`, `or`, `not`, parentheses) so that
//! the server can say precisely what it does not support; every syntax error is an
//! `invalidFilter` [`ScimError`]. Attribute names and operators are case-insensitive.
//! Query-string decoding (`%20` and `+` for spaces) happens before: see [`decode_query`].

use std::fmt;

use super::ScimError;

/// `[urn:]name[.sub]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// Schema URN prefix, if the path was fully qualified.
    pub urn: Option<String>,
    pub name: String,
    pub sub: Option<String>,
}

impl AttrPath {
    /// Parses `[urn:]name[.sub]`; `None` when it is not an attribute path.
    pub fn parse(text: &str) -> Option<Self> {
        let (urn, rest) = if text
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
        {
            let idx = text.rfind(':')?;
            (Some(text[..idx].to_owned()), &text[idx + 1..])
        } else {
            (None, text)
        };
        let (name, sub) = match rest.split_once('.') {
            Some((n, s)) => (n, Some(s)),
            None => (rest, None),
        };
        let valid = |s: &str| {
            let mut chars = s.chars();
            matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '$')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
        };
        if !valid(name) || sub.is_some_and(|s| !valid(s)) {
            return None;
        }
        Some(Self {
            urn,
            name: name.to_owned(),
            sub: sub.map(str::to_owned),
        })
    }

    /// True when this is `name` (no sub-attribute), compared case-insensitively.
    pub fn is(&self, name: &str) -> bool {
        self.sub.is_none() && self.name.eq_ignore_ascii_case(name)
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    fn parse(word: &str) -> Option<Self> {
        Some(match word.to_ascii_lowercase().as_str() {
            "eq" => Self::Eq,
            "ne" => Self::Ne,
            "co" => Self::Co,
            "sw" => Self::Sw,
            "ew" => Self::Ew,
            "gt" => Self::Gt,
            "ge" => Self::Ge,
            "lt" => Self::Lt,
            "le" => Self::Le,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

/// A comparison value.
#[derive(Debug, Clone, PartialEq)]
pub enum CompValue {
    Str(String),
    Bool(bool),
    Null,
    Num(serde_json::Number),
}

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Compare {
        attr: AttrPath,
        op: CompareOp,
        value: CompValue,
    },
    Present(AttrPath),
    /// Every term holds (two or more). A chain is one flat list, so evaluating or dropping
    /// a long `a and b and …` never recurses once per term.
    And(Vec<Filter>),
    /// At least one term holds (two or more), flat like [`Filter::And`].
    Or(Vec<Filter>),
    Not(Box<Filter>),
    /// `attr[filter]`
    ValuePath {
        attr: AttrPath,
        filter: Box<Filter>,
    },
}

impl Filter {
    /// Parses a (query-decoded) filter expression.
    pub fn parse(text: &str) -> Result<Filter, ScimError> {
        let tokens = tokenize(text)?;
        let mut parser = Parser {
            tokens,
            pos: 0,
            terms: 0,
        };
        let filter = parser.or_expr()?;
        if let Some(tok) = parser.tokens.get(parser.pos) {
            return Err(ScimError::invalid_filter(format!(
                "unexpected {tok} in filter {text:?}"
            )));
        }
        Ok(filter)
    }

    /// The `attr eq "string"` shape, if this filter is exactly that.
    pub fn as_string_eq(&self) -> Option<(&AttrPath, &str)> {
        match self {
            Filter::Compare {
                attr,
                op: CompareOp::Eq,
                value: CompValue::Str(v),
            } => Some((attr, v)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Open,
    Close,
    OpenBracket,
    CloseBracket,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Word(w) => write!(f, "`{w}`"),
            Token::Str(s) => write!(f, "string {s:?}"),
            Token::Open => f.write_str("`(`"),
            Token::Close => f.write_str("`)`"),
            Token::OpenBracket => f.write_str("`[`"),
            Token::CloseBracket => f.write_str("`]`"),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, ScimError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '[' | ']' => {
                chars.next();
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '[' => Token::OpenBracket,
                    _ => Token::CloseBracket,
                });
            }
            '"' => {
                // A JSON string literal: find its closing quote, honouring escapes.
                chars.next();
                let mut escaped = false;
                let mut end = None;
                for (i, ch) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if ch == '\\' {
                        escaped = true;
                    } else if ch == '"' {
                        end = Some(i);
                        break;
                    }
                }
                let end = end.ok_or_else(|| {
                    ScimError::invalid_filter(format!("unterminated string in filter {text:?}"))
                })?;
                let value: String = serde_json::from_str(&text[start..=end]).map_err(|_| {
                    ScimError::invalid_filter(format!("bad string literal in filter {text:?}"))
                })?;
                tokens.push(Token::Str(value));
            }
            _ => {
                let mut end = text.len();
                while let Some(&(i, ch)) = chars.peek() {
                    if ch.is_whitespace() || matches!(ch, '(' | ')' | '[' | ']' | '"') {
                        end = i;
                        break;
                    }
                    chars.next();
                }
                tokens.push(Token::Word(text[start..end].to_owned()));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Comparisons and `pr` tests read so far (see [`MAX_TERMS`]).
    terms: usize,
}

/// Deeper nesting (parentheses, `not (…)`, `attr[…]`) than this is refused rather than
/// risking the stack: the parser and every evaluator recurse once per level.
pub const MAX_DEPTH: usize = 64;

/// More comparisons than this in one filter are refused: Okta sends one, a hand-written
/// query a few; 20,000 `or` terms in a PATCH path are an attack on the evaluator's time
/// (every term is tried against every member), not a request.
pub const MAX_TERMS: usize = 1000;

impl Parser {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn next(&mut self) -> Option<Token> {
        let tok = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        tok
    }

    fn or_expr(&mut self) -> Result<Filter, ScimError> {
        self.or_expr_at(0)
    }

    fn or_expr_at(&mut self, depth: usize) -> Result<Filter, ScimError> {
        if depth > MAX_DEPTH {
            return Err(ScimError::invalid_filter(format!(
                "filter is nested more than {MAX_DEPTH} levels deep (the limit)"
            )));
        }
        let mut terms = vec![self.and_expr(depth)?];
        while self.peek_word("or") {
            self.pos += 1;
            terms.push(self.and_expr(depth)?);
        }
        Ok(flat(terms, Filter::Or))
    }

    fn and_expr(&mut self, depth: usize) -> Result<Filter, ScimError> {
        let mut terms = vec![self.unary(depth)?];
        while self.peek_word("and") {
            self.pos += 1;
            terms.push(self.unary(depth)?);
        }
        Ok(flat(terms, Filter::And))
    }

    /// Counts one comparison against [`MAX_TERMS`].
    fn term(&mut self) -> Result<(), ScimError> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(ScimError::invalid_filter(format!(
                "filter has more than {MAX_TERMS} comparisons (the limit)"
            )));
        }
        Ok(())
    }

    fn group(&mut self, depth: usize, close: Token) -> Result<Filter, ScimError> {
        let inner = self.or_expr_at(depth + 1)?;
        match self.next() {
            Some(t) if t == close => Ok(inner),
            Some(t) => Err(ScimError::invalid_filter(format!(
                "expected {close}, found {t}"
            ))),
            None => Err(ScimError::invalid_filter(format!(
                "missing {close} in filter"
            ))),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Filter, ScimError> {
        if self.peek_word("not") {
            self.pos += 1;
            return match self.next() {
                Some(Token::Open) => Ok(Filter::Not(Box::new(self.group(depth, Token::Close)?))),
                _ => Err(ScimError::invalid_filter("`not` must be followed by `(`")),
            };
        }
        match self.next() {
            Some(Token::Open) => self.group(depth, Token::Close),
            Some(Token::Word(word)) => {
                let attr = AttrPath::parse(&word).ok_or_else(|| {
                    ScimError::invalid_filter(format!("`{word}` is not an attribute path"))
                })?;
                self.term()?;
                match self.next() {
                    Some(Token::OpenBracket) => {
                        let filter = self.group(depth, Token::CloseBracket)?;
                        Ok(Filter::ValuePath {
                            attr,
                            filter: Box::new(filter),
                        })
                    }
                    Some(Token::Word(op)) if op.eq_ignore_ascii_case("pr") => {
                        Ok(Filter::Present(attr))
                    }
                    Some(Token::Word(op)) => {
                        let op = CompareOp::parse(&op).ok_or_else(|| {
                            ScimError::invalid_filter(format!("unknown operator `{op}`"))
                        })?;
                        let value = match self.next() {
                            Some(Token::Str(s)) => CompValue::Str(s),
                            Some(Token::Word(w)) => parse_literal(&w)?,
                            Some(t) => {
                                return Err(ScimError::invalid_filter(format!(
                                    "expected a value after `{}`, found {t}",
                                    op.as_str()
                                )));
                            }
                            None => {
                                return Err(ScimError::invalid_filter(format!(
                                    "missing value after `{}`",
                                    op.as_str()
                                )));
                            }
                        };
                        Ok(Filter::Compare { attr, op, value })
                    }
                    Some(t) => Err(ScimError::invalid_filter(format!(
                        "expected an operator after `{attr}`, found {t}"
                    ))),
                    None => Err(ScimError::invalid_filter(format!(
                        "missing operator after `{attr}`"
                    ))),
                }
            }
            Some(t) => Err(ScimError::invalid_filter(format!(
                "unexpected {t} in filter"
            ))),
            None => Err(ScimError::invalid_filter("empty filter")),
        }
    }
}

/// One term as itself, several as the list `make` builds.
fn flat(mut terms: Vec<Filter>, make: fn(Vec<Filter>) -> Filter) -> Filter {
    if terms.len() == 1 {
        terms.pop().expect("one term")
    } else {
        make(terms)
    }
}

fn parse_literal(word: &str) -> Result<CompValue, ScimError> {
    match word.to_ascii_lowercase().as_str() {
        "true" => Ok(CompValue::Bool(true)),
        "false" => Ok(CompValue::Bool(false)),
        "null" => Ok(CompValue::Null),
        _ => match serde_json::from_str::<serde_json::Number>(word) {
            Ok(n) => Ok(CompValue::Num(n)),
            Err(_) => Err(ScimError::invalid_filter(format!(
                "`{word}` is not a value (strings need double quotes)"
            ))),
        },
    }
}

/// Decodes a URL query string into (name, value) pairs: `%XX` escapes and `+` as a space,
/// so both `userName%20eq%20…` and `userName+eq+…` read the same.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(attr: &str, v: &str) -> Filter {
        Filter::Compare {
            attr: AttrPath::parse(attr).unwrap(),
            op: CompareOp::Eq,
            value: CompValue::Str(v.into()),
        }
    }

    #[test]
    fn parses_the_shapes_okta_sends() {
        assert_eq!(
            Filter::parse(r#"userName eq "a@b.c""#).unwrap(),
            eq("userName", "a@b.c")
        );
        assert_eq!(
            Filter::parse(r#"USERNAME  EQ   "a b""#).unwrap(),
            eq("USERNAME", "a b")
        );
        assert_eq!(
            Filter::parse(r#"displayName eq "Say \"hi\"""#).unwrap(),
            eq("displayName", "Say \"hi\"")
        );
        let f =
            Filter::parse(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x""#).unwrap();
        let (attr, v) = f.as_string_eq().unwrap();
        assert_eq!(
            attr.urn.as_deref(),
            Some("urn:ietf:params:scim:schemas:core:2.0:User")
        );
        assert!(attr.is("username"));
        assert_eq!(v, "x");
    }

    #[test]
    fn parses_the_rest_of_the_grammar() {
        let f = Filter::parse(r#"a eq "1" or b pr and not (c gt 2)"#).unwrap();
        let Filter::Or(terms) = f else {
            panic!("or at the top")
        };
        assert_eq!(terms[0], eq("a", "1"));
        assert!(matches!(&terms[1], Filter::And(t) if t.len() == 2));
        let f = Filter::parse(r#"emails[type eq "work"]"#).unwrap();
        assert!(matches!(f, Filter::ValuePath { .. }));
        assert!(
            Filter::parse("active eq true")
                .unwrap()
                .as_string_eq()
                .is_none()
        );
    }

    #[test]
    fn syntax_errors_are_invalid_filter() {
        for bad in [
            "",
            "userName",
            "userName eq",
            "userName eq alice",
            "userName like \"a\"",
            "(a eq \"b\"",
            "a eq \"b\")",
            "\"x\"",
            "a eq \"unterminated",
            "1abc eq \"x\"",
        ] {
            let err = Filter::parse(bad).unwrap_err();
            assert_eq!(
                (err.status, err.scim_type),
                (400, Some(crate::scim::ScimType::InvalidFilter)),
                "{bad}"
            );
        }
        let deep = format!("{}a pr{}", "(".repeat(200), ")".repeat(200));
        assert!(
            Filter::parse(&deep).is_err(),
            "deep nesting is refused, not a stack overflow"
        );
    }

    #[test]
    fn long_chains_are_flat_and_bounded() {
        let chain = |n: usize, op: &str| vec![r#"value eq "zz""#; n].join(&format!(" {op} "));
        // At the limit: one flat list, however long.
        let Filter::Or(terms) = Filter::parse(&chain(MAX_TERMS, "or")).unwrap() else {
            panic!("a flat or")
        };
        assert_eq!(terms.len(), MAX_TERMS);
        assert!(matches!(
            Filter::parse(&chain(MAX_TERMS, "and")).unwrap(),
            Filter::And(t) if t.len() == MAX_TERMS
        ));
        // Past it: `invalidFilter` naming the limit, for a chain of 20,000 as for 1,001.
        for n in [MAX_TERMS + 1, 20_000] {
            let err = Filter::parse(&chain(n, "or")).unwrap_err();
            assert_eq!(err.scim_type, Some(crate::scim::ScimType::InvalidFilter));
            assert!(
                err.detail.contains(&MAX_TERMS.to_string()),
                "{}",
                err.detail
            );
        }
        let deep = format!(
            "{}a pr{}",
            "not (".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        let err = Filter::parse(&deep).unwrap_err();
        assert!(
            err.detail.contains(&MAX_DEPTH.to_string()),
            "{}",
            err.detail
        );
    }

    #[test]
    fn query_strings_decode_plus_and_percent_twenty_alike() {
        let a = decode_query("filter=userName+eq+%22a%40b.c%22&count=2");
        let b = decode_query("filter=userName%20eq%20%22a%40b.c%22&count=2");
        assert_eq!(a, b);
        assert_eq!(a[0].1, r#"userName eq "a@b.c""#);
        assert_eq!(
            decode_query("filter=userName+eq+%22a%2Bb%40c.d%22")[0].1,
            r#"userName eq "a+b@c.d""#
        );
    }
}

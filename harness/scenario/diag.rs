//! Errors in scenario files, in the author's terms: where (file:line:column, the line, a caret
//! under the culprit), what is wrong, and what was expected.

use std::fmt;

use serde::Serialize;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the problem is the file as a whole (unreadable, too big).
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    pub message: String,
    /// What would have been right, e.g. "one of `oin` or `aiw`".
    pub expected: Option<String>,
    /// The source line the problem is on (without its line break).
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem at `line:column` of `text` (the source line is taken from `text`).
    pub(crate) fn at(
        file: &str,
        lines: &Lines<'_>,
        line: u32,
        column: u32,
        message: impl Into<String>,
        expected: Option<String>,
    ) -> Diagnostic {
        let source_line = lines.get(line).map(str::to_string);
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            expected,
            source_line,
        }
    }

    /// A problem with the whole file.
    pub(crate) fn whole(
        file: &str,
        message: impl Into<String>,
        expected: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
            expected,
            source_line: None,
        }
    }
}

/// The lines of a text as YAML counts them (a line break is `\r\n`, `\n` or a lone `\r`),
/// indexed once so that showing thousands of errors stays linear.
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 2;
                }
                b'\r' | b'\n' => {
                    starts.push(i + 1);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        Lines { text, starts }
    }

    /// Line `n` (1-based) without its line break.
    pub(crate) fn get(&self, n: u32) -> Option<&'a str> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        if start >= self.text.len() {
            return None;
        }
        Some(self.text[start..end].trim_end_matches(['\r', '\n']))
    }
}

/// Longest source line shown; longer ones are cut around the caret.
const MAX_SHOWN: usize = 120;

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            writeln!(f, "{}: error: {}", self.file, safe(&self.message))?;
        } else {
            writeln!(
                f,
                "{}:{}:{}: error: {}",
                self.file,
                self.line,
                self.column,
                safe(&self.message)
            )?;
        }
        if let Some(src) = &self.source_line {
            let number = self.line.to_string();
            let gutter = " ".repeat(number.len());
            let chars: Vec<char> = src.chars().collect();
            let col = (self.column.max(1) as usize - 1).min(chars.len());
            // Long lines (a minified blob, a 10 MB line) are cut to a window around the caret.
            let start = col.saturating_sub(MAX_SHOWN / 2);
            let end = (start + MAX_SHOWN).min(chars.len());
            let shown: String = chars[start..end]
                .iter()
                .map(|c| if unsafe_to_show(*c) { '\u{FFFD}' } else { *c })
                .collect();
            let lead = if start > 0 { "…" } else { "" };
            let tail = if end < chars.len() { "…" } else { "" };
            // Pad with the line's own tabs so the caret lines up in a terminal.
            let pad: String = std::iter::once(lead)
                .filter(|l| !l.is_empty())
                .map(|_| ' ')
                .chain(
                    chars[start..col]
                        .iter()
                        .map(|c| if *c == '\t' { '\t' } else { ' ' }),
                )
                .collect();
            let width = underline_width(&chars[col..end]);
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{number} | {lead}{shown}{tail}")?;
            writeln!(f, "{gutter} | {pad}{}", "^".repeat(width))?;
        }
        if let Some(e) = &self.expected {
            let gutter = " ".repeat(if self.line == 0 {
                1
            } else {
                self.line.to_string().len()
            });
            writeln!(f, "{gutter} = expected {}", safe(e))?;
        }
        Ok(())
    }
}

/// Characters that would corrupt a terminal or reorder the shown line (controls, bidi
/// overrides) are shown as U+FFFD.
fn unsafe_to_show(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn safe(text: &str) -> String {
    text.chars()
        .map(|c| if unsafe_to_show(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// How many characters the caret underlines: the word (key, name, number) starting there.
fn underline_width(rest: &[char]) -> usize {
    let quoted = matches!(rest.first(), Some('"') | Some('\''));
    if quoted {
        let q = rest[0];
        return rest[1..]
            .iter()
            .position(|c| *c == q)
            .map(|p| p + 2)
            .unwrap_or(1)
            .min(60);
    }
    let n = rest
        .iter()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | ':' | '#'))
        .count();
    n.clamp(1, 60)
}

/// Every problem found in one scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Lines;

    #[test]
    fn lines_break_like_yaml() {
        let l = Lines::new("a\nb\r\nc\rd\n");
        let got: Vec<Option<&str>> = (0..=6).map(|n| l.get(n)).collect();
        assert_eq!(
            got,
            [None, Some("a"), Some("b"), Some("c"), Some("d"), None, None]
        );
        assert_eq!(Lines::new("").get(1), None);
        assert_eq!(Lines::new("no break").get(1), Some("no break"));
    }
}

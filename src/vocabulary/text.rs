//! Text that reaches a terminal or a file: which characters a name may hold, and how a value
//! quoted in a message is escaped and shortened so that a terminal never obeys it.

/// Whether `c` must never appear in a name or description: C0 controls but tab, DEL, C1
/// controls, the non-characters U+FFFE and U+FFFF (not XML), and the bidirectional overrides and
/// isolates that reorder what a reader sees (U+202A–U+202E, U+2066–U+2069).
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{FFFE}' | '\u{FFFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first forbidden character of `s`, with its 1-based position in characters.
pub fn first_forbidden(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| is_forbidden(*c))
        .map(|(i, c)| (i + 1, c))
}

/// How a character is shown in a message: `U+001B (escape)` style, never the character itself.
pub fn describe(c: char) -> String {
    let what = match c {
        '\0' => " (NUL)",
        '\u{1b}' => " (escape)",
        '\u{8}' => " (backspace)",
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\u{7f}' => " (delete)",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => " (bidirectional override)",
        '\u{FFFE}' | '\u{FFFF}' => " (non-character)",
        _ => "",
    };
    format!("U+{:04X}{what}", u32::from(c))
}

fn escaped(c: char, out: &mut String) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if is_forbidden(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        c => out.push(c),
    }
}

/// `s` made safe for one line of a terminal: every control or reordering character escaped
/// (`\u{1b}`), and at most `max_chars` characters kept (an ellipsis marks the cut).
pub fn for_terminal(s: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (count, c) in s.chars().enumerate() {
        if count >= max_chars {
            out.push('…');
            break;
        }
        escaped(c, &mut out);
    }
    out
}

/// Like [`for_terminal`] but keeps line breaks, each line shortened to `max_line_chars`, and at
/// most `max_lines` lines.
pub fn lines_for_terminal(s: &str, max_line_chars: usize, max_lines: usize) -> String {
    let mut lines: Vec<String> = s
        .split('\n')
        .take(max_lines)
        .map(|l| for_terminal(l, max_line_chars))
        .collect();
    if s.split('\n').count() > max_lines {
        lines.push("…".into());
    }
    lines.join("\n")
}

/// The part of `line` around the 1-based character `column`, at most `width` characters, and the
/// column of the same character within it. Escapes characters a terminal would obey; each escape
/// counts as the characters it shows, so a caret placed under the returned column still points at
/// the right place.
pub fn window(line: &str, column: usize, width: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let half = width / 2;
    let (start, end) = if chars.len() <= width {
        (0, chars.len())
    } else {
        let start = at.saturating_sub(half).min(chars.len() - width);
        (start, start + width)
    };
    let mut out = String::new();
    let mut new_column = 1;
    if start > 0 {
        out.push('…');
        new_column += 1;
    }
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        let before = out.chars().count();
        escaped(c, &mut out);
        if i < at {
            new_column += out.chars().count() - before;
        }
    }
    if end < chars.len() {
        out.push('…');
    }
    (out, new_column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(for_terminal("a\u{1b}[2Jb", 80), "a\\u{1b}[2Jb");
        assert_eq!(for_terminal("tab\there", 80), "tab\\there");
        assert_eq!(for_terminal("x\u{202e}y", 80), "x\\u{202e}y");
        assert!(
            !for_terminal("\u{0}\u{8}\u{7f}\u{9b}", 80)
                .chars()
                .any(is_forbidden)
        );
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "x".repeat(100_000);
        let shown = for_terminal(&long, 120);
        assert_eq!(shown.chars().count(), 121);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn forbidden_characters_are_found_with_their_position() {
        assert_eq!(first_forbidden("Acme\u{1b}"), Some((5, '\u{1b}')));
        assert_eq!(first_forbidden("Acme\tGmbH — Zürich €"), None);
        assert_eq!(first_forbidden("\u{FFFE}"), Some((1, '\u{FFFE}')));
        assert_eq!(describe('\u{1b}'), "U+001B (escape)");
    }

    #[test]
    fn a_window_keeps_the_caret_on_its_character() {
        let line = format!("{}key = 1{}", "a".repeat(500), "b".repeat(500));
        let (shown, column) = window(&line, 501, 60);
        assert!(shown.chars().count() <= 62);
        assert_eq!(shown.chars().nth(column - 1), Some('k'));
        let (shown, column) = window("x = \u{1b}y", 6, 60);
        assert_eq!(shown, "x = \\u{1b}y");
        assert_eq!(shown.chars().nth(column - 1), Some('y'));
    }
}

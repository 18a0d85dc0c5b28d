//! Text for the terminal: aligned tables and wrapped text that fit its width. A table too wide
//! for the width drops its last column with a note, or turns into `key: value` blocks; no word
//! or amount is ever broken across lines.

/// Width when standard output is not a terminal and `COLUMNS` is not set.
pub const DEFAULT_WIDTH: usize = 100;
/// Narrowest and widest widths laid out for.
pub const MIN_WIDTH: usize = 40;
pub const MAX_WIDTH: usize = 400;

/// How text reaches the reader: colour or not, and the width to fit.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub color: bool,
    pub width: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            color: false,
            width: DEFAULT_WIDTH,
        }
    }
}

/// The width to fit: `COLUMNS` when set to a number, else the terminal's width when standard
/// output is one, else 100; kept within 40 to 400.
pub fn stdout_width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|w| *w > 0);
    let width = from_env.or_else(|| {
        terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
    });
    width.unwrap_or(DEFAULT_WIDTH).clamp(MIN_WIDTH, MAX_WIDTH)
}

/// `text` wrapped at word boundaries to `width` columns, each line starting with `indent`; the
/// first line starts with `first` instead (same width as `indent`). A word longer than a line
/// stands alone on its line, never broken.
pub fn wrap(text: &str, width: usize, first: &str, indent: &str) -> String {
    let room = width.saturating_sub(self::width(indent)).max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && self::width(&line) + 1 + self::width(word) > room {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        out.push_str(if i == 0 { first } else { indent });
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// Left- or right-aligned column.
#[derive(Copy, Clone, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// `text` shortened to `max` columns with an ellipsis in the middle, so that names which differ
/// only at the end (`plan-a-…-1`, `plan-a-…-2`) stay apart.
pub fn truncate(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max || max == 0 {
        return text.to_string();
    }
    let keep = max - 1;
    let head = (keep * 3).div_ceil(5);
    let tail = keep - head;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// An aligned table with a header rule that fits `max_width` columns: as it is when it fits;
/// without its last column, and a note saying so, when that makes it fit; otherwise as one
/// `key: value` block per row, headed by the row's first cell.
pub fn table(header: &[(&str, Align)], rows: &[Vec<String>], max_width: usize) -> String {
    let widths = column_widths(header, rows);
    let total = |n: usize| widths[..n].iter().sum::<usize>() + 2 * n.saturating_sub(1);
    if total(widths.len()) <= max_width {
        return aligned(header, rows, &widths);
    }
    let fewer = widths.len().saturating_sub(1);
    if fewer >= 2 && total(fewer) <= max_width {
        let rows: Vec<Vec<String>> = rows.iter().map(|r| r[..fewer].to_vec()).collect();
        let mut out = aligned(&header[..fewer], &rows, &widths[..fewer]);
        out.push_str(&wrap(
            &format!(
                "({} is left out at {max_width} columns: widen the terminal, or use --format csv)",
                header[fewer].0
            ),
            max_width,
            "",
            "",
        ));
        return out;
    }
    blocks(header, rows, max_width)
}

fn column_widths(header: &[(&str, Align)], rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|(h, _)| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(cell));
            }
        }
    }
    widths
}

fn aligned(header: &[(&str, Align)], rows: &[Vec<String>], widths: &[usize]) -> String {
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(width(cell));
            if i > 0 {
                out.push_str("  ");
            }
            match header[i].1 {
                Align::Left => {
                    out.push_str(cell);
                    if i + 1 < cells.len() {
                        out.push_str(&" ".repeat(pad));
                    }
                }
                Align::Right => {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                }
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(header.iter().map(|(h, _)| *h).collect());
    out.push('\n');
    let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    out.push_str(&"─".repeat(total));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
}

/// One block per row: the first cell as its heading, then `label  value` lines, each value
/// wrapped under itself when the width is short.
fn blocks(header: &[(&str, Align)], rows: &[Vec<String>], max_width: usize) -> String {
    let label_width = header[1..].iter().map(|(h, _)| width(h)).max().unwrap_or(0);
    let mut out = String::new();
    let title = header.first().map_or("", |(h, _)| h);
    out.push_str(title);
    out.push('\n');
    out.push_str(&"─".repeat(width(title).min(max_width)));
    out.push('\n');
    for row in rows {
        out.push_str(row.first().map_or("", String::as_str));
        out.push('\n');
        for ((label, _), cell) in header.iter().zip(row).skip(1) {
            let first = format!("  {label:<label_width$}  ");
            if width(&first) + width(cell) <= max_width {
                out.push_str(&first);
                out.push_str(cell);
                out.push('\n');
            } else {
                out.push_str(&format!("  {label}\n"));
                out.push_str(&wrap(cell, max_width, "    ", "    "));
            }
        }
    }
    out
}

/// Display columns of `text`: one per character (certplan prints no wide characters).
fn width(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_long_text_is_cut() {
        let t = table(
            &[("Plan", Align::Left), ("Cost", Align::Right)],
            &[
                vec!["a".into(), "$1".into()],
                vec!["bbb".into(), "$100".into()],
            ],
            100,
        );
        assert_eq!(t, "Plan  Cost\n──────────\na       $1\nbbb   $100\n");
        assert_eq!(truncate("abcdefghij", 5), "abc…j");
        assert_eq!(truncate("plan-with-a-long-name-1", 12), "plan-wi…me-1");
        assert_eq!(truncate("abc", 5), "abc");
    }

    fn wide() -> (Vec<(&'static str, Align)>, Vec<Vec<String>>) {
        let header = vec![
            ("Plan", Align::Left),
            ("Total", Align::Right),
            ("First 12 months", Align::Right),
            ("Run cost / year", Align::Right),
        ];
        let rows = vec![vec![
            "both-parallel".into(),
            "€1,489,825.00".into(),
            "€389,530.00".into(),
            "€214,536.61".into(),
        ]];
        (header, rows)
    }

    #[test]
    fn a_table_too_wide_drops_its_last_column_with_a_note() {
        let (header, rows) = wide();
        let t = table(&header, &rows, 50);
        assert!(!t.contains("€214,536.61"), "{t}");
        assert!(
            t.contains("Run cost / year is left out at 50 columns"),
            "{t}"
        );
        assert!(t.lines().all(|l| l.chars().count() <= 50), "{t}");
    }

    #[test]
    fn a_table_much_too_wide_becomes_key_value_blocks_with_every_value_whole() {
        let (header, rows) = wide();
        let t = table(&header, &rows, 40);
        for value in &rows[0] {
            assert!(
                t.lines().any(|l| l.contains(value.as_str())),
                "{value} whole in {t}"
            );
        }
        assert!(t.lines().all(|l| l.chars().count() <= 40), "{t}");
        assert!(t.contains("  First 12 months  €389,530.00"), "{t}");
    }

    #[test]
    fn wrapped_text_breaks_between_words_only() {
        let text = "Cheapest of the 2 plans that meet them: €39,870 less than both-parallel";
        let w = wrap(text, 30, "  - ", "    ");
        assert!(w.lines().all(|l| l.chars().count() <= 30), "{w}");
        let words: Vec<&str> = w.split_whitespace().filter(|t| *t != "-").collect();
        assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
    }
}

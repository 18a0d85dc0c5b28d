//! Text for the terminal: aligned tables that fit 100 columns.

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

/// An aligned table with a header rule; every cell is padded to its column's width.
pub fn table(header: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|(h, _)| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(cell));
            }
        }
    }
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
        );
        assert_eq!(t, "Plan  Cost\n──────────\na       $1\nbbb   $100\n");
        assert_eq!(truncate("abcdefghij", 5), "abc…j");
        assert_eq!(truncate("plan-with-a-long-name-1", 12), "plan-wi…me-1");
        assert_eq!(truncate("abc", 5), "abc");
    }
}

//! Text laid out for narrow projector screens without cutting anything:
//! the `?` help and a round's rules.

use super::HELP;
use crate::term::{width, wrap};

/// The `?` help for a screen `cols` wide: two columns side by side when
/// they fit, one under the other when not, long lines wrapped; nothing cut.
pub(super) fn help_lines(cols: usize) -> Vec<String> {
    let room = cols.saturating_sub(1).max(1);
    let mut out = Vec::new();
    for line in HELP.lines() {
        if width(line) <= room {
            out.push(line.to_owned());
            continue;
        }
        // "  n        下一题…       o        抢答题…": split after the
        // second run of two or more spaces (key, gap, text, gap, key…).
        let mut halves = vec![line.to_owned()];
        if let Some(body) = line.strip_prefix("  ") {
            let mut gaps = 0;
            let mut prev_space = false;
            let mut run_start = 0;
            let mut run = 0;
            for (i, ch) in body.char_indices() {
                if ch == ' ' {
                    if !prev_space {
                        run_start = i;
                        run = 0;
                    }
                    run += 1;
                    prev_space = true;
                    continue;
                }
                if prev_space && run >= 2 {
                    gaps += 1;
                    if gaps == 2 {
                        halves = vec![
                            format!("  {}", &body[..run_start]),
                            format!("  {}", &body[i..]),
                        ];
                        break;
                    }
                }
                prev_space = false;
            }
        }
        for half in halves {
            if width(&half) <= room {
                out.push(half);
            } else {
                out.extend(wrap(&half, room).lines().map(str::to_owned));
            }
        }
    }
    out
}

/// Text broken into lines at most `room` wide after its commas, so a rule
/// ("抢先犯规 −10") is not split; a clause too long alone is wrapped.
pub(super) fn wrap_at_commas(text: &str, room: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for piece in text.split_inclusive('，') {
        if !line.is_empty() && width(&line) + width(piece) > room {
            lines.push(std::mem::take(&mut line));
        }
        line.push_str(piece);
        if width(&line) > room {
            let wrapped = wrap(&line, room);
            let mut parts: Vec<String> = wrapped.lines().map(str::to_owned).collect();
            line = parts.pop().unwrap_or_default();
            lines.extend(parts);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

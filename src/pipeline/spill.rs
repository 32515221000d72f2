//! Findings held to the end of a run outside memory. A build keeps every
//! finding until it has made every page (levels, de-duplication and the
//! order need them all), and their number grows with the pages: 36,507 on
//! the corpus fanned out to 36 languages, about 8 MB. Written, one line of
//! JSON each, to an unnamed temporary file (the system removes it with the
//! process), they leave stage 4's memory to the language being built
//! (memory grows with the largest language, not with their number).
//!
//! Nothing is lost: what cannot be written stays in memory, and a file
//! that cannot be read back whole is an error that fails the run. The
//! order the findings were kept in is the order they come back in.

use crate::diag::{lint, Drift, Finding, Level, Snippet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};

/// A finding as one line of the file: (lint, level, file, line, column,
/// message, locale, snippet (text, column, cut end), drift (old, new)).
type Line<S> = (
    S,
    u8,
    S,
    usize,
    usize,
    S,
    Option<S>,
    Option<(S, usize, bool)>,
    Option<(S, Option<S>)>,
);

/// Findings kept on disk, in order, with those that could not be written.
pub struct Spill {
    file: Option<BufWriter<File>>,
    /// Lines written whole.
    written: usize,
    /// From the first finding that could not be written on, in order.
    rest: Vec<Finding>,
}

impl Spill {
    /// A spill in a new unnamed temporary file; in memory if none can be
    /// made.
    pub fn new() -> Spill {
        Spill {
            file: tempfile::tempfile().ok().map(BufWriter::new),
            written: 0,
            rest: Vec::new(),
        }
    }

    /// Keeps `findings`, after those kept before.
    pub fn keep(&mut self, findings: Vec<Finding>) {
        let mut line = Vec::new();
        for f in findings {
            // Once one finding stays in memory, all after it do: the order
            // is kept.
            let Some(file) = self.file.as_mut().filter(|_| self.rest.is_empty()) else {
                self.rest.push(f);
                continue;
            };
            line.clear();
            if encode(&f, &mut line) && file.write_all(&line).is_ok() {
                self.written += 1;
            } else {
                self.rest.push(f);
            }
        }
    }

    /// Every finding kept, in the order they were kept; an error if the
    /// file cannot be read back whole.
    pub fn into_vec(self) -> std::io::Result<Vec<Finding>> {
        let mut out = Vec::with_capacity(self.written + self.rest.len());
        if let Some(file) = self.file {
            let mut file = file.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            let mut lines = BufReader::new(file).lines();
            for _ in 0..self.written {
                let line = lines.next().transpose()?.unwrap_or_default();
                let f = decode(&line).ok_or_else(|| {
                    std::io::Error::other("a finding kept in a temporary file came back damaged")
                })?;
                out.push(f);
            }
        }
        out.extend(self.rest);
        Ok(out)
    }
}

impl Default for Spill {
    fn default() -> Self {
        Spill::new()
    }
}

/// Appends `f` as a line to `out`; false for a finding of a lint the
/// crate does not know (it then stays in memory).
fn encode(f: &Finding, out: &mut Vec<u8>) -> bool {
    if lint::ALL.iter().all(|l| l.name != f.lint) {
        return false;
    }
    let level = match f.level {
        Level::Note => 0,
        Level::Warning => 1,
        Level::Error => 2,
    };
    let line: Line<&str> = (
        f.lint,
        level,
        &f.file,
        f.line,
        f.column,
        &f.message,
        f.locale.as_deref(),
        f.snippet
            .as_deref()
            .map(|s| (&*s.text, s.column, s.cut_end)),
        f.drift
            .as_deref()
            .map(|d| (&*d.old_english, d.new_english.as_deref())),
    );
    if serde_json::to_writer(&mut *out, &line).is_err() {
        return false;
    }
    out.push(b'\n');
    true
}

/// The finding of a line written by [`encode`].
fn decode(line: &str) -> Option<Finding> {
    let (name, level, file, line, column, message, locale, snippet, drift): Line<String> =
        serde_json::from_str(line).ok()?;
    let lint = lint::ALL.iter().find(|l| l.name == name)?;
    Some(Finding {
        lint: lint.name,
        level: match level {
            0 => Level::Note,
            1 => Level::Warning,
            _ => Level::Error,
        },
        file,
        line,
        column,
        message,
        locale: locale.map(String::into_boxed_str),
        snippet: snippet.map(|(text, column, cut_end)| {
            Box::new(Snippet {
                text: text.into_boxed_str(),
                column,
                cut_end,
            })
        }),
        drift: drift.map(|(old, new)| {
            Box::new(Drift {
                old_english: old.into_boxed_str(),
                new_english: new.map(String::into_boxed_str),
            })
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    fn finding(i: usize) -> Finding {
        let mut f = Finding::new(
            lint::SEGMENT_STALE,
            &format!("content/zh-CN/a{i}.md"),
            Pos {
                line: i + 1,
                column: 3,
            },
            format!("the English moved on: \"{i}\"\nline two\t\u{1F600}"),
        );
        f.level = Level::Note;
        f.locale = Some("zh-CN".into());
        f.snippet = Some(Box::new(Snippet {
            text: "前文 \"quoted\"".into(),
            column: 2,
            cut_end: true,
        }));
        f.drift = i.is_multiple_of(2).then(|| {
            Box::new(Drift {
                old_english: "Old.".into(),
                new_english: i.is_multiple_of(4).then(|| "New.".into()),
            })
        });
        f
    }

    #[test]
    fn findings_come_back_whole_and_in_order() {
        let all: Vec<Finding> = (0..50).map(finding).collect();
        let mut spill = Spill::new();
        assert!(spill.file.is_some(), "a temporary file");
        spill.keep(all[..20].to_vec());
        spill.keep(Vec::new());
        spill.keep(all[20..].to_vec());
        assert_eq!(spill.written, 50, "every finding went to the file");
        assert_eq!(spill.into_vec().expect("read back"), all);
    }

    #[test]
    fn what_cannot_be_written_stays_in_memory_in_order() {
        let mut unknown = finding(1);
        unknown.lint = "not::a-lint";
        let all = vec![finding(0), unknown, finding(2)];
        let mut spill = Spill::new();
        spill.keep(all.clone());
        assert_eq!((spill.written, spill.rest.len()), (1, 2));
        assert_eq!(spill.into_vec().expect("read back"), all);
        // Without a file, all stays in memory.
        let mut spill = Spill {
            file: None,
            written: 0,
            rest: Vec::new(),
        };
        spill.keep(all.clone());
        assert_eq!(spill.into_vec().expect("read back"), all);
    }
}

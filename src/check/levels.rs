//! Levels: `book.toml [check]` and `--deny warnings` applied to findings.
//!
//! Input: the `[check]` section (lint names or groups in `deny`, `warn`,
//! `allow`) and the findings at their default levels. Output: the findings
//! re-levelled, allowed ones removed. A setting for a lint wins over one for
//! its group. Names are validated when the configuration is read
//! ([`crate::config::CheckSection::validate`]), so here every name is
//! known. Pure.

use crate::config::CheckSection;
use crate::diag::{Finding, Level};
use std::collections::HashMap;

/// What `book.toml` asks for one lint or group: a level, or not reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Level(Level),
    Allow,
}

/// The configured levels, by lint name or group.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    by_name: HashMap<String, Setting>,
    deny_warnings: bool,
}

impl Levels {
    /// Levels from `[check]`; `deny_warnings` turns every warning into an error.
    pub fn new(check: &CheckSection, deny_warnings: bool) -> Levels {
        let mut by_name = HashMap::new();
        let lists = [
            (&check.allow, Setting::Allow),
            (&check.warn, Setting::Level(Level::Warning)),
            (&check.deny, Setting::Level(Level::Error)),
        ];
        for (names, setting) in lists {
            for name in names {
                by_name.insert(name.clone(), setting);
            }
        }
        Levels {
            by_name,
            deny_warnings,
        }
    }

    /// The setting for `lint` at `default` level: the lint's own entry, else
    /// its group's, else the default.
    pub fn setting(&self, lint: &str, default: Level) -> Setting {
        let own = self.by_name.get(lint);
        let group = lint.split_once("::").and_then(|(g, _)| self.by_name.get(g));
        match own.or(group).copied().unwrap_or(Setting::Level(default)) {
            Setting::Level(Level::Warning) if self.deny_warnings => Setting::Level(Level::Error),
            s => s,
        }
    }

    /// Re-levels `findings` in place and removes the allowed ones.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        findings.retain_mut(|f| match self.setting(f.lint, f.level) {
            Setting::Allow => false,
            Setting::Level(level) => {
                f.level = level;
                true
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(deny: &[&str], warn: &[&str], allow: &[&str]) -> CheckSection {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        CheckSection {
            deny: v(deny),
            warn: v(warn),
            allow: v(allow),
            do_not_translate: Vec::new(),
        }
    }

    #[test]
    fn lint_wins_over_group() {
        let levels = Levels::new(&section(&["segment::stale"], &[], &["segment"]), false);
        assert_eq!(
            levels.setting("segment::stale", Level::Note),
            Setting::Level(Level::Error)
        );
        assert_eq!(
            levels.setting("segment::missing", Level::Note),
            Setting::Allow
        );
        assert_eq!(
            levels.setting("sxs::id-mismatch", Level::Warning),
            Setting::Level(Level::Warning)
        );
    }

    #[test]
    fn deny_warnings_leaves_notes() {
        let levels = Levels::new(&CheckSection::default(), true);
        assert_eq!(
            levels.setting("sxs::id-mismatch", Level::Warning),
            Setting::Level(Level::Error)
        );
        assert_eq!(
            levels.setting("segment::stale", Level::Note),
            Setting::Level(Level::Note)
        );
    }
}

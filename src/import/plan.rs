//! What an import changes: units matched to their pairs, checked, and the
//! new bytes of every article that changes, worked out before anything is
//! written.
//!
//! Input: the pipeline's [`Model`] (articles, their English and freshness),
//! the units read from each translation memory file, and a function that
//! reads an article's bytes.
//! Output: a [`Plan`]: a [`Report`] per unit (applied, unchanged, no
//! translation, conflict, unknown) and a [`FileChange`] per article whose
//! bytes change. Pure apart from the reads it is handed; `cmd::import`
//! prints the plan and writes the changes.
//!
//! Per unit:
//! - its key (`path#id` or `path#id@line:column`) names an article of its
//!   locale and a pair of that article, with keys made exactly as `export`
//!   makes them (`export::article_units`) from the article as it is now;
//!   otherwise it is *unknown*;
//! - the English it was exported with must be the pair's English now;
//!   otherwise the file moved on and the unit is a *conflict*, reported with
//!   both texts;
//! - a unit with no translation changes nothing;
//! - its translation, escaped for the sxs context, replaces the pair's when
//!   it differs; and when the unit is confirmed (not fuzzy, or an XLIFF
//!   state of translated or later) while the pair is stale, the
//!   sxs-lookup's English becomes the English of record for that pair
//!   ([`super::record`]), so the pair is current afterwards; when there is
//!   none (the sentence was removed), the unit is a conflict;
//! - two units for one pair that disagree are both conflicts.
//!
//! Units are decided on the articles as the project loaded them; only an
//! article that changes is read again, and its edits are made on exactly the
//! bytes read (if its pairs are no longer the loaded ones, it changed on disk
//! during the import, and its units are conflicts). The edits of one article
//! are made by `writeback::apply`, which checks that the new file reads back
//! as intended; if it refuses them together, each edit is tried alone: those
//! it refuses alone are conflicts, with their reason, and the others are
//! made together (or, if they still cannot be, are conflicts too). Articles
//! are planned in parallel.

use super::Unit;
use crate::diag::Pos;
use crate::load::Project;
use crate::model::Article;
use crate::pair::{Pairing, SegmentState};
use crate::pipeline::Model;
use crate::writeback::{self, Edit};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The units read from one translation memory file.
#[derive(Debug, Clone)]
pub struct Input {
    pub file: PathBuf,
    pub units: Vec<Unit>,
}

/// What became of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Its translation (or the English of record) goes into the file.
    Applied,
    /// The file already says what the unit says.
    Unchanged,
    /// The unit has no translation; the pair is left as it is.
    NoTranslation,
    /// Not applied: the file moved on, or the unit cannot be applied. The
    /// message gives both texts where there are two.
    Conflict(String),
    /// The unit names no locale, article or pair of the project.
    Unknown(String),
}

/// One unit's outcome, with where it came from and where it went.
#[derive(Debug, Clone)]
pub struct Report {
    /// The translation memory file and the unit's line in it.
    pub input: PathBuf,
    pub line: usize,
    pub key: String,
    /// The article file and the pair's place in it, when the pair was found.
    pub pair: Option<(String, Pos)>,
    pub verdict: Verdict,
}

/// One article whose bytes change.
#[derive(Debug, Clone)]
pub struct FileChange {
    pub locale: String,
    /// The article path (relative to its locale folder).
    pub path: String,
    /// The file on disk.
    pub file: PathBuf,
    pub old: Vec<u8>,
    pub new: Vec<u8>,
    /// Indexes into [`Plan::reports`] of the units applied here.
    pub units: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub reports: Vec<Report>,
    pub changes: Vec<FileChange>,
}

impl Plan {
    /// How many reports have a verdict like `like` (messages ignored).
    pub fn count(&self, like: fn(&Verdict) -> bool) -> usize {
        self.reports.iter().filter(|r| like(&r.verdict)).count()
    }
}

/// Holds whole in `model` ([`Model::hold_in`]) the articles the units of
/// `inputs` name, which the plan reads: a lean model keeps only a brief of
/// the others, so memory follows the locales imported.
pub fn hold(model: &mut Model, inputs: &[Input]) {
    let mut named: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for unit in inputs.iter().flat_map(|i| &i.units) {
        let Ok(tag) = &unit.locale else {
            continue;
        };
        let Some(l) = model.project.locales.iter().position(|x| &x.tag == tag) else {
            continue;
        };
        // The key is `path#id`, and a path may hold `#`: every split.
        for (i, _) in unit.key.match_indices('#') {
            let path = &unit.key[..i];
            if model.pairing.brief(l, path).is_some() {
                named.entry(l).or_default().insert(path);
            }
        }
    }
    for (l, paths) in named {
        let paths: Vec<&str> = paths.into_iter().collect();
        model.hold_in(l, &paths);
    }
}

/// Works out the plan on the articles `model` holds ([`hold`]). `read`
/// reads an article file's bytes.
pub fn plan(
    model: &Model,
    inputs: &[Input],
    read: &(dyn Fn(&Path) -> Result<Vec<u8>> + Sync),
) -> Result<Plan> {
    let project = &model.project;
    let mut plan = Plan::default();
    // (locale index, article index) → report indexes.
    let mut by_article: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut units: Vec<&Unit> = Vec::new();
    for input in inputs {
        for unit in &input.units {
            let r = plan.reports.len();
            plan.reports.push(Report {
                input: input.file.clone(),
                line: unit.line,
                key: unit.key.clone(),
                pair: None,
                verdict: Verdict::Unchanged,
            });
            units.push(unit);
            match find_article(project, unit) {
                Ok(at) => by_article.entry(at).or_default().push(r),
                Err(why) => plan.reports[r].verdict = Verdict::Unknown(why),
            }
        }
    }
    let groups: Vec<((usize, usize), Vec<usize>)> = by_article.into_iter().collect();
    let ctx = Context {
        project,
        pairing: &model.pairing,
        units: &units,
        reports: &plan.reports,
    };
    let outcomes = groups
        .par_iter()
        .map(|(at, reports)| ctx.article(*at, reports, read))
        .collect::<Result<Vec<Outcome>>>()?;
    for outcome in outcomes {
        for (r, verdict, pair) in outcome.verdicts {
            plan.reports[r].verdict = verdict;
            if pair.is_some() {
                plan.reports[r].pair = pair;
            }
        }
        plan.changes.extend(outcome.change);
    }
    Ok(plan)
}

/// What the plan of every article reads.
struct Context<'a> {
    project: &'a Project,
    pairing: &'a Pairing,
    units: &'a [&'a Unit],
    reports: &'a [Report],
}

/// A report's index, its verdict, and the pair's place when it was found.
type Decided = (usize, Verdict, Option<(String, Pos)>);

/// What the units of one article come to: verdicts (later ones win) with
/// the pair's place, and the change to make.
#[derive(Default)]
struct Outcome {
    verdicts: Vec<Decided>,
    change: Option<FileChange>,
}

impl Context<'_> {
    /// Decides the units of one article (`reports`) on the article as it
    /// was loaded; only when something changes is the file read again, and
    /// its edit made on exactly those bytes.
    fn article(
        &self,
        (l, a): (usize, usize),
        reports: &[usize],
        read: &(dyn Fn(&Path) -> Result<Vec<u8>> + Sync),
    ) -> Result<Outcome> {
        let locale = &self.project.locales[l];
        let loaded = &locale.articles[a];
        let mut out = Outcome::default();
        let edits = self.decide(l, loaded, reports, &mut out.verdicts);
        if edits.is_empty() {
            return Ok(out);
        }
        let file = locale.dir.join(&loaded.path);
        let old = read(&file)?;
        let article = crate::parse::article(&locale.tag, &loaded.path, &loaded.file, &old);
        if article.segments != loaded.segments {
            for (r, _) in edits {
                let why = format!("{} changed on disk during the import", loaded.file);
                out.verdicts.push((r, Verdict::Conflict(why), None));
            }
            return Ok(out);
        }
        let mut edits = edits;
        let all: Vec<Edit> = edits.iter().map(|(_, e)| e.clone()).collect();
        let mut result = writeback::apply(&old, &article, &all);
        if result.is_err() && edits.len() > 1 {
            // Which edits are refused on their own: those are the
            // conflicts, named by their own reason; the others go in.
            edits.retain(|(r, e)| {
                match writeback::apply(&old, &article, std::slice::from_ref(e)) {
                    Ok(_) => true,
                    Err(err) => {
                        out.verdicts
                            .push((*r, Verdict::Conflict(err.to_string()), None));
                        false
                    }
                }
            });
            let kept: Vec<Edit> = edits.iter().map(|(_, e)| e.clone()).collect();
            result = writeback::apply(&old, &article, &kept);
        }
        let applied: Vec<usize> = edits.iter().map(|(r, _)| *r).collect();
        match result {
            Ok(new) if !applied.is_empty() => {
                out.change = Some(FileChange {
                    locale: locale.tag.clone(),
                    path: loaded.path.clone(),
                    file,
                    old,
                    new,
                    units: applied,
                });
            }
            Ok(_) => {}
            Err(err) => {
                for r in applied {
                    out.verdicts
                        .push((r, Verdict::Conflict(err.to_string()), None));
                }
            }
        }
        Ok(out)
    }

    /// Decides each unit of one article; returns the edits to make, each
    /// with the report it comes from, and gives every report a verdict.
    fn decide(
        &self,
        locale: usize,
        article: &Article,
        reports: &[usize],
        verdicts: &mut Vec<Decided>,
    ) -> Vec<(usize, Edit)> {
        let units = self.units;
        let keys: HashMap<String, usize> = crate::export::article_units(article, &[])
            .units
            .into_iter()
            .enumerate()
            .map(|(i, u)| (u.key, i))
            .collect();
        // The freshness the pipeline computed for every command.
        let fresh = self.pairing.of(locale, article);
        let states = fresh.map(|f| f.states.clone()).unwrap_or_default();
        // For each stale pair, the English that took its place (stage 3).
        let replacements: &[Option<String>] = fresh.map_or(&[], |f| &f.new_english);
        let mut tables: Option<Vec<bool>> = None;
        // Segment index → (report, edit) decided for it.
        let mut decided: BTreeMap<usize, Vec<(usize, Edit)>> = BTreeMap::new();
        for &r in reports {
            let unit = units[r];
            let Some(&i) = keys.get(&unit.key) else {
                let id = unit.key.rsplit('#').next().unwrap_or_default();
                let why = format!("{} has no pair `{id}`", article.file);
                verdicts.push((r, Verdict::Unknown(why), None));
                continue;
            };
            let seg = &article.segments[i];
            let pair = Some((article.file.clone(), seg.pos));
            verdicts.push((r, Verdict::Unchanged, pair));
            let exported = unit.source.replace("\r\n", "\n");
            if exported != seg.source(article) {
                let why = format!(
                    "the English of this pair changed since the export\n  exported: {exported:?}\n  now:      {:?}",
                    seg.source(article)
                );
                verdicts.push((r, Verdict::Conflict(why), None));
                continue;
            }
            let Some(target) = &unit.target else {
                verdicts.push((r, Verdict::NoTranslation, None));
                continue;
            };
            let in_table = tables.get_or_insert_with(|| writeback::in_table(article))[i];
            let new_target = (writeback::escape(target, "\n", in_table) != seg.target(article))
                .then(|| target.clone());
            let mut new_source = None;
            if unit.confirmed && states.get(i) == Some(&SegmentState::Stale) {
                let found = replacements.get(i).cloned().flatten();
                match found {
                    Some(e) => new_source = Some(e),
                    None => {
                        let why = format!(
                            "confirmed, but the English article has no sentence in the place of this \
                             pair's English (removed?), so it cannot be made current\n  English: {:?}",
                            seg.source(article)
                        );
                        verdicts.push((r, Verdict::Conflict(why), None));
                        continue;
                    }
                }
            }
            if new_target.is_none() && new_source.is_none() {
                continue; // Unchanged.
            }
            let edit = Edit {
                id: seg.id.clone(),
                pos: seg.pos,
                target: new_target,
                source: new_source,
            };
            decided.entry(i).or_default().push((r, edit));
        }
        let mut edits = Vec::new();
        for (_, mut candidates) in decided {
            let first = candidates.remove(0);
            if candidates.iter().all(|(_, e)| *e == first.1) {
                verdicts.push((first.0, Verdict::Applied, None));
                edits.push(first);
            } else {
                let lines: Vec<String> = std::iter::once(&first)
                    .chain(&candidates)
                    .map(|(r, e)| {
                        format!(
                            "{}:{}: {:?}",
                            self.reports[*r].input.display(),
                            self.reports[*r].line,
                            e.target.as_deref().unwrap_or("(unchanged)")
                        )
                    })
                    .collect();
                let message = format!(
                    "units for this pair disagree; none was applied\n  {}",
                    lines.join("\n  ")
                );
                for (r, _) in std::iter::once(&first).chain(&candidates) {
                    verdicts.push((*r, Verdict::Conflict(message.clone()), None));
                }
            }
        }
        edits
    }
}

/// The locale and article a unit names, as indexes into the project.
fn find_article(project: &Project, unit: &Unit) -> Result<(usize, usize), String> {
    let tag = match &unit.locale {
        Ok(tag) => tag,
        Err(lang) => return Err(format!("`{lang}` is not a locale of the project")),
    };
    let Some(l) = project.locales.iter().position(|x| &x.tag == tag) else {
        return Err(format!("`{tag}` is not a locale of the project"));
    };
    if unit.key.is_empty() {
        return Err("the unit has no key (`path#id`)".into());
    }
    let articles = &project.locales[l].articles;
    unit.key
        .match_indices('#')
        .find_map(|(i, _)| {
            let path = &unit.key[..i];
            articles
                .binary_search_by(|a| a.path.as_str().cmp(path))
                .ok()
        })
        .map(|a| (l, a))
        .ok_or_else(|| {
            let path = unit.key.split('#').next().unwrap_or_default();
            format!("{tag} has no article `{path}`")
        })
}

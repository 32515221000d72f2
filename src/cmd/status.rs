//! `helpbook status`: load, pair, report.

use crate::cli::{StatusArgs, StatusFormat};
use crate::pipeline::{self, Keep, Model, Output};
use crate::status::Report;
use crate::theme::Theme;
use crate::timing::Stages;
use anyhow::Result;
use std::io::Write;

pub fn run(args: StatusArgs) -> Result<i32> {
    let config = super::config(&args.project)?;
    let theme = Theme::load(&config.root, &config.theme)?;
    let model = Model::load_keeping(config, Keep::Lean, &Stages::default())?;
    let only = model.select(&args.locales)?;
    let summary = pipeline::run(
        &model,
        &theme,
        &only,
        Output::None,
        false,
        &Stages::default(),
    )?;
    let report = Report::new(&model, &only, &summary.findings);
    let text = match args.format {
        StatusFormat::Table => report.table((!args.wide).then(crate::ui::stdout_width).flatten()),
        StatusFormat::Markdown => report.markdown(),
        StatusFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(0)
}

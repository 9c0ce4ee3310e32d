//! `dateline search` and `dateline suggest` (being written).

/// Arguments of `dateline search`.
#[derive(clap::Args)]
pub struct SearchArgs {}

/// Arguments of `dateline suggest`.
#[derive(clap::Args)]
pub struct SuggestArgs {}

pub fn run_search(_args: SearchArgs) -> anyhow::Result<()> {
    anyhow::bail!("dateline search is not implemented yet")
}

pub fn run_suggest(_args: SuggestArgs) -> anyhow::Result<()> {
    anyhow::bail!("dateline suggest is not implemented yet")
}

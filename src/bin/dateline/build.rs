//! `dateline build` (being written).

/// Arguments of `dateline build`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("dateline build is not implemented yet")
}

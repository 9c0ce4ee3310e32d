//! `dateline bench` (being written).

/// Arguments of `dateline bench`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("dateline bench is not implemented yet")
}

//! The projector view of a live session in the terminal.

use std::sync::mpsc::{Receiver, Sender};

use super::host::HostInput;

use super::hub::Cmd;
use crate::error::Result;

pub fn run(hub: &Sender<Cmd>, input: &Receiver<HostInput>, _url: &str, _room: &str) -> Result<()> {
    let mut out = std::io::stdout();
    super::host::scripted(hub, input, &mut out)?;
    Ok(())
}

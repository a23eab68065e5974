//! Simulator behaviours, one file each: a group's reaction to its members' changes,
//! its timers and its state. The engine ([`super::engine`]) keeps the event loop and
//! propagation; each mechanism picks its behaviour through its [`super::SimProfile`].

pub mod data;
mod generator;
pub(in crate::simulate) mod pool;
mod probes;
pub(in crate::simulate) mod rebuild;
pub(in crate::simulate) mod reconverge;
mod restart;
pub(in crate::simulate) mod share;
mod switchover;
mod transfer_switch;

//! `tebiki serve`: an in-memory [`engine`] that rebuilds what an edit touches, the HTTP
//! [`server`] with live reload, the [`snapshot`] of rendered files it serves from, and the
//! file [`watcher`].

pub mod engine;
pub mod review;
pub mod server;
pub mod snapshot;
pub mod watcher;

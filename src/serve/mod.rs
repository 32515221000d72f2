//! `helpbook serve`: build the whole site into a folder of its own, serve it
//! on loopback, and keep it up to date as files change.
//!
//! 1. Bind the port first (a port in use is a clear error before any work).
//! 2. Start the one watcher ([`watch`]), so that no save is missed while
//!    3. the first build runs ([`session`]: the model loaded, then
//!    `pipeline::run` into a staging folder swapped into the served folder,
//!    never the project's build directory), on a thread of its own.
//! 4. Serve from the start ([`http`], over the connections of [`listen`]:
//!    capped, with a deadline for headers; every request checked by
//!    [`guard`] against DNS rebinding and other sites' pages): until the
//!    first build is written, pages are made on request from memory
//!    ([`early`]); then the folder is served while the session applies
//!    each batch of changes and tells open pages what changed ([`live`]).
//! 5. Side-by-side pages are editable ([`edit`]) unless `--read-only`
//!    says otherwise, or `--bind` names a network address without
//!    `--allow-edit`: a save goes to the session, which writes the file
//!    and rebuilds its pages.
//! 6. Ctrl-C (or SIGTERM) closes the live-reload sockets, stops the server
//!    and removes the folder; folders of killed servers are removed at the
//!    next start, beside it.
//!
//! Content errors never stop `serve`, nor do write errors (a full disk, or a
//! file-size limit: `SIGXFSZ` is caught so that the write fails with an error
//! the overlay shows); only a configuration that cannot be read at the start
//! does (exit status 2, like `build`).

mod early;
mod edit;
mod guard;
mod http;
mod listen;
mod live;
mod paths;
mod session;
mod watch;

use crate::cli::ProjectArgs;
use crate::config::Config;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// What `serve` was asked to do.
#[derive(Debug)]
pub struct Options {
    pub project: ProjectArgs,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    /// No editing of translations.
    pub read_only: bool,
    /// Editing even when `bind` is not loopback.
    pub allow_edit: bool,
}

pub fn run(options: Options) -> Result<i32> {
    let project = absolute(options.project)?;
    let config = Config::load_with(&project.dir, project.content.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the server runtime")?;
    let listener = {
        let _runtime = runtime.enter();
        bind(options.bind, options.port)?
    };
    let local = listener
        .local_addr()
        .context("could not read the bound address")?;

    // On a thread of its own: a killed server's site can be tens of
    // thousands of files, and this server need not wait for them to go.
    let _ = std::thread::Builder::new()
        .name("helpbook-clean".into())
        .spawn(|| remove_stale(&std::env::temp_dir()));
    let tmp = tempfile::Builder::new()
        .prefix(&format!("helpbook-serve-{}-", std::process::id()))
        .tempdir()
        .context("could not create a temporary folder for the site")?;
    let site = tmp.path().join("site");
    let (tx, rx) = std::sync::mpsc::channel::<session::Event>();
    let watcher = watch::watch(&config, tx.clone())?;
    let token = editing(options.read_only, options.allow_edit, options.bind)?;
    let live = Arc::new(live::Live::default());

    // Served from the start, empty until the first build is swapped in:
    // meanwhile `early` answers.
    crate::fs::create_dir_all(&site)?;
    let early = Arc::new(early::Early::default());
    eprintln!(
        "building {} into {}",
        config.content_dir.display(),
        site.display()
    );
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    {
        let (live, site, early) = (live.clone(), site.clone(), early.clone());
        std::thread::Builder::new()
            .name("helpbook-build".into())
            .spawn(
                move || match session::Session::start(project, &site, live, &early) {
                    Ok((session, report)) => {
                        if ready_tx.send(Ok(report)).is_ok() {
                            session.run(rx);
                        }
                    }
                    Err(err) => {
                        let _ = ready_tx.send(Err(err));
                    }
                },
            )
            .context("could not start the build thread")?;
    }
    let code = runtime.block_on(async move {
        let host = if local.ip().is_unspecified() {
            SocketAddr::new(IpAddr::from([127, 0, 0, 1]), local.port())
        } else {
            local
        };
        let url = format!("http://{host}/");
        {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "serving {url} (Ctrl-C to stop; pages are made on request until the first build is written)"
            )?;
            out.flush()?;
        }
        if options.open {
            if let Err(err) = opener::open(&url) {
                eprintln!("warning: could not open a browser: {err}");
            }
        }
        if token.is_some() {
            eprintln!("editing is on: side-by-side pages save translations into the files (--read-only turns it off)");
        }
        let app = Started {
            site: &site,
            live,
            session: tx,
            token,
            early,
        };
        serve(listener, app, ready_rx).await?;
        Ok::<i32, anyhow::Error>(0)
    })?;
    drop(watcher);
    runtime.shutdown_background();
    // As a build removes the site it replaces (tempfile's own removal goes
    // one file at a time).
    let _ = crate::write::remove_tree(tmp.path());
    drop(tmp);
    eprintln!("stopped");
    Ok(code)
}

/// The per-run token of the editor, or None when editing is off
/// (`--read-only`, or a network address without `--allow-edit`).
fn editing(read_only: bool, allow_edit: bool, bind: IpAddr) -> Result<Option<String>> {
    if read_only {
        return Ok(None);
    }
    if !bind.to_canonical().is_loopback() && !allow_edit {
        eprintln!(
            "note: editing is off, as --bind {bind} is not loopback (--allow-edit turns it on)"
        );
        return Ok(None);
    }
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("could not make the edit token: {e}"))?;
    Ok(Some(bytes.iter().map(|b| format!("{b:02x}")).collect()))
}

/// Binds the address, with a clear message when the port is taken (in the
/// runtime's context, which the listener registers with).
fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener> {
    if !ip.to_canonical().is_loopback() {
        eprintln!(
            "warning: --bind {ip} makes the preview reachable from other machines; \
             helpbook serve is meant for your own computer"
        );
    }
    let addr = SocketAddr::new(ip, port);
    // Up to 1,024 connections the server has not accepted yet wait in the
    // kernel's queue (std's and mio's listeners ask for 128): those past
    // the connection cap wait there rather than in the clients' retries.
    let listen = || -> std::io::Result<tokio::net::TcpListener> {
        let socket = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        #[cfg(unix)]
        socket.set_reuseaddr(true)?;
        socket.bind(addr)?;
        socket.listen(1024)
    };
    match listen() {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => bail!(
            "port {port} on {ip} is already in use (another server is running there); \
             stop it, or choose another port with --port (--port 0 picks a free one)"
        ),
        Err(e) => Err(e).with_context(|| format!("could not listen on {addr}")),
    }
}

/// What the server is given once started.
struct Started<'a> {
    site: &'a std::path::Path,
    live: Arc<live::Live>,
    session: std::sync::mpsc::Sender<session::Event>,
    token: Option<String>,
    early: Arc<early::Early>,
}

/// Serves until Ctrl-C, or until the first build fails (its error is
/// returned: a configuration or theme that cannot be read, as `build`
/// reports it). `ready` brings the first build's report.
async fn serve(
    listener: tokio::net::TcpListener,
    started: Started<'_>,
    mut ready: tokio::sync::oneshot::Receiver<Result<session::Report>>,
) -> Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let site = started.site;
    let cap = listen::cap();
    let app = Arc::new(http::App {
        root: site
            .canonicalize()
            .with_context(|| format!("could not read {}", site.display()))?,
        live: started.live,
        shutdown: stop_rx.clone(),
        session: std::sync::Mutex::new(started.session),
        token: started.token,
        early: started.early,
        sockets: Arc::new(tokio::sync::Semaphore::new(http::sockets(cap))),
    });
    // Connections that do not close within a second of Ctrl-C are dropped.
    let server = listen::serve(
        listener,
        http::router(app),
        cap,
        stop_rx,
        Duration::from_secs(1),
    );
    let mut server = std::pin::pin!(server);
    let mut stop = std::pin::pin!(stop_signal());
    let mut waiting = true;
    let mut failed = None;
    loop {
        tokio::select! {
            () = &mut server => break,
            () = &mut stop => {
                let _ = stop_tx.send(true);
                (&mut server).await;
                break;
            }
            r = &mut ready, if waiting => {
                waiting = false;
                match r {
                    Ok(Ok(report)) => {
                        let reloaded = match report.provisional {
                            0 => String::new(),
                            n => format!(" ({n} pages shown before it was written reloaded)"),
                        };
                        eprintln!(
                            "built {} pages in {} languages in {:.2}s: {}{reloaded}",
                            report.pages, report.languages, report.seconds, report.findings
                        );
                    }
                    Ok(Err(err)) => failed = Some(err),
                    Err(_) => failed = Some(anyhow::anyhow!("the build thread stopped")),
                }
                if failed.is_some() {
                    let _ = stop_tx.send(true);
                    (&mut server).await;
                    break;
                }
            }
        }
    }
    match failed {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// Ctrl-C, or (on Unix) a polite `kill`.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Removes the temporary sites of `serve` processes that were killed.
fn remove_stale(tmp: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("helpbook-serve-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if crate::write::process_ended(pid) {
            let _ = crate::write::remove_tree(&entry.path());
        }
    }
}

/// The project options with absolute paths, so that the watcher's paths and
/// the configuration's agree.
fn absolute(mut project: ProjectArgs) -> Result<ProjectArgs> {
    project.dir = project
        .dir
        .canonicalize()
        .with_context(|| format!("{}: not a folder", project.dir.display()))?;
    if let Some(content) = &project.content {
        project.content = Some(
            content
                .canonicalize()
                .with_context(|| format!("{}: not a folder", content.display()))?,
        );
    }
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A loopback address written as IPv4 mapped into IPv6 is loopback: the
    /// editor stays on and no warning is given.
    #[test]
    fn mapped_loopback_is_loopback() {
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().expect("address");
        assert!(editing(false, false, mapped).expect("token").is_some());
        let lan: IpAddr = "::ffff:192.168.1.2".parse().expect("address");
        assert!(editing(false, false, lan).expect("no token").is_none());
    }
}

//! dm-hostd: NetBSD's dm driver — the C glue and dm-core — running in
//! userspace on Linux. Serves the control ioctl on DIR/control and every
//! dm device as an NBD export on DIR/nbd.

use clap::Parser;
use dm_hostd::{control, devices, host, nbd};
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dm-hostd",
    about = "NetBSD dm(4) in userspace: control socket and NBD exports"
)]
struct Args {
    /// Directory for the sockets: DIR/control and DIR/nbd.
    #[arg(long, value_name = "DIR")]
    socket_dir: PathBuf,
    /// A component name tables may use, and the host file or block
    /// device behind it (e.g. /dev/wd1a=/tmp/wd1a.img). Repeatable.
    #[arg(long = "disk", value_name = "NAME=PATH")]
    disks: Vec<String>,
    /// A host file exported over NBD as raw/NAME, read through the host
    /// block layer as a disk without dm: the baseline for benchmarks.
    /// Repeatable.
    #[arg(long = "raw", value_name = "NAME=PATH")]
    raws: Vec<String>,
    /// Threads serving each NBD connection: up to this many of its
    /// requests are carried out at once.
    #[arg(long, value_name = "N", default_value_t = nbd::WORKERS,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    nbd_workers: u16,
}

fn listen(path: &PathBuf) -> std::io::Result<UnixListener> {
    let _ = std::fs::remove_file(path);
    UnixListener::bind(path)
}

fn shutdown(dir: &std::path::Path) {
    nbd::disconnect_all();
    if let Ok(devs) = devices::names() {
        for minor in devs.values() {
            let _ = host::flush(*minor);
        }
    }
    let _ = devices::call(&devices::request("remove_all", &[]));
    if let Err(e) = host::fini() {
        eprintln!("dm-hostd: unload: errno {e} (devices still open)");
    }
    let _ = std::fs::remove_file(dir.join("control"));
    let _ = std::fs::remove_file(dir.join("nbd"));
}

fn main() -> ExitCode {
    let args = Args::parse();
    for d in &args.disks {
        let Some((name, path)) = d.split_once('=') else {
            eprintln!("dm-hostd: --disk wants NAME=PATH, got '{d}'");
            return ExitCode::from(2);
        };
        if let Err(e) = host::map_disk(name, path) {
            eprintln!("dm-hostd: --disk {d}: errno {e}");
            return ExitCode::FAILURE;
        }
    }
    for r in &args.raws {
        let Some((name, path)) = r.split_once('=') else {
            eprintln!("dm-hostd: --raw wants NAME=PATH, got '{r}'");
            return ExitCode::from(2);
        };
        if let Err(e) = nbd::add_raw(name, std::path::Path::new(path)) {
            eprintln!("dm-hostd: --raw {r}: {e}");
            return ExitCode::FAILURE;
        }
    }
    if let Err(e) = host::init() {
        eprintln!("dm-hostd: cannot load dm: errno {e}");
        return ExitCode::FAILURE;
    }
    let signals = match signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dm-hostd: signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (ctl, nbd_sock) = (args.socket_dir.join("control"), args.socket_dir.join("nbd"));
    let (cl, nl) = match (listen(&ctl), listen(&nbd_sock)) {
        (Ok(c), Ok(n)) => (c, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!(
                "dm-hostd: cannot listen in {}: {e}",
                args.socket_dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    std::thread::spawn(move || control::run(cl));
    let workers = usize::from(args.nbd_workers);
    std::thread::spawn(move || nbd::run(nl, workers));
    eprintln!(
        "dm-hostd: ready: control {} nbd {}",
        ctl.display(),
        nbd_sock.display()
    );
    let mut signals = signals;
    if let Some(sig) = signals.forever().next() {
        eprintln!("dm-hostd: signal {sig}: shutting down");
    }
    shutdown(&args.socket_dir);
    ExitCode::SUCCESS
}

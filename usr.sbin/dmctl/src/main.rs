//! dmctl(8): the device-mapper control tool. NetBSD dmctl's verbs with
//! their exact output; requests go to /dev/mapper/control on NetBSD and
//! to dm-hostd's control socket in host mode (--control or DM_CONTROL).

mod client;
mod dmsetup;
mod errno;
mod netbsd;
mod table;
mod transport;

use clap::Parser;
use std::process::ExitCode;
use transport::Transport;

#[derive(Parser)]
#[command(
    name = "dmctl",
    disable_help_subcommand = true,
    about = "Control the device-mapper",
    override_usage = "dmctl [--control PATH] command [dm device name] [...]"
)]
struct Args {
    /// The control node or dm-hostd socket (default: DM_CONTROL, else
    /// /dev/mapper/control).
    #[arg(long, value_name = "PATH")]
    control: Option<std::path::PathBuf>,
    /// Take dmsetup(8)'s commands and options instead of NetBSD dmctl's
    /// (the default when run as `dmsetup`).
    #[arg(short = 'S', long = "dmsetup")]
    dmsetup: bool,
    /// The command and its operands.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

fn transport(control: Option<std::path::PathBuf>) -> Box<dyn Transport> {
    let path = control
        .or_else(|| std::env::var_os("DM_CONTROL").map(Into::into))
        .unwrap_or_else(|| "/dev/mapper/control".into());
    #[cfg(feature = "rump")]
    if std::env::var_os("RUMP_SERVER").is_some() {
        return Box::new(transport::Rump { path });
    }
    #[cfg(target_os = "netbsd")]
    {
        use std::os::unix::fs::FileTypeExt;
        let is_dev = std::fs::metadata(&path).is_ok_and(|m| m.file_type().is_char_device());
        if is_dev {
            return Box::new(transport::Ioctl { path });
        }
    }
    Box::new(transport::Socket { path })
}

fn run_dmsetup(control: Option<std::path::PathBuf>, argv: Vec<String>) -> ExitCode {
    let cli = match dmsetup::Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let t = transport(control);
    match dmsetup::main(t.as_ref(), cli) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dmsetup: {e}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let invoked = argv
        .first()
        .and_then(|a| std::path::Path::new(a).file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("dmctl")
        .to_owned();
    if invoked == "dmsetup" {
        let control = std::env::var_os("DM_CONTROL").map(Into::into);
        return run_dmsetup(control, argv);
    }
    let args = Args::parse();
    if args.dmsetup {
        let mut v = vec!["dmsetup".to_owned()];
        v.extend(args.rest);
        return run_dmsetup(args.control, v);
    }
    let Some((verb, operands)) = args.rest.split_first() else {
        eprint!("{}", netbsd::usage());
        return ExitCode::from(1);
    };
    let t = transport(args.control);
    if netbsd::is_verb(verb) {
        return ExitCode::from(netbsd::main(t.as_ref(), verb, operands));
    }
    eprintln!("dmctl: unknown command: {verb}");
    ExitCode::from(1)
}

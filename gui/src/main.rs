//! `spofsim-gui [FILE] [--select ID] [--fail ID]... [--screenshot OUT.png]`: the desktop
//! app. Everything lives in the library; this reads the command line and opens the
//! window. `--screenshot` writes the settled window to a PNG and exits (for docs and
//! the Xvfb script).

use std::path::PathBuf;

const USAGE: &str = "usage: spofsim-gui [FILE] [--select ID] [--fail ID]... [--screenshot OUT.png]";

fn main() -> std::process::ExitCode {
    let mut launch = spofsim_gui::Launch::default();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| match args.next() {
            Some(v) => Ok(v),
            None => Err(format!("error: {flag} needs a value\n{USAGE}")),
        };
        let parsed = match arg.to_str() {
            Some("--screenshot") => value("--screenshot").map(|v| launch.screenshot = Some(PathBuf::from(v))),
            Some("--select") => value("--select").map(|v| launch.select = Some(v.to_string_lossy().into_owned())),
            Some("--fail") => value("--fail").map(|v| launch.fail.push(v.to_string_lossy().into_owned())),
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return std::process::ExitCode::SUCCESS;
            }
            Some(flag) if flag.starts_with('-') => Err(format!("error: unknown option {flag}\n{USAGE}")),
            _ if launch.file.is_none() => {
                launch.file = Some(PathBuf::from(arg));
                Ok(())
            }
            _ => Err(format!("error: more than one file given\n{USAGE}")),
        };
        if let Err(e) = parsed {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    }
    match spofsim_gui::run_native(launch) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot open the window: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

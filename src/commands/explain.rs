//! `spofsim explain CODE`: what a finding or lint code means, why it matters, how to
//! fix it, with an example; `spofsim explain` alone lists every code.

use std::io::Write;

use crate::flags::ExplainArgs;
use crate::Status;

pub fn run(args: &ExplainArgs) -> Status {
    let mut out = String::new();
    let Some(code) = &args.code else {
        for (code, name) in sim_core::explain::codes() {
            out.push_str(&format!("{code}  {name}\n"));
        }
        let _ = std::io::stdout().write_all(out.as_bytes());
        return Status::Ok;
    };
    match sim_core::explain::explain(code) {
        Some(e) => {
            out.push_str(&format!(
                "{} {}\n\n{}\n\nWhy it matters\n  {}\n\nHow to fix it\n  {}\n\nExample\n  {}\n",
                e.code, e.name, e.summary, e.rationale, e.fix, e.example
            ));
            let _ = std::io::stdout().write_all(out.as_bytes());
            Status::Ok
        }
        None => {
            let known: Vec<&str> = sim_core::explain::codes().iter().map(|c| c.0).collect();
            eprintln!("error: no finding or lint has the code \"{code}\"\n  help: known codes: {}", known.join(", "));
            Status::Invalid
        }
    }
}

//! Command-line flags (clap derive). Every subcommand documents an example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  spofsim validate scenarios/             check every scenario under a folder
  spofsim validate shop.jsonc -v          print the compiled model of one file
  spofsim export shop.jsonc --to dot | dot -Tsvg > shop.svg   (or --to mermaid, --to openpsa)
  spofsim generate three-tier --sites 2 --racks 4 --servers-per-rack 10 > shop.json
  spofsim generate fat-tree --k 8 > dc.json
  spofsim schema > scenario.schema.json   JSON Schema for editor completion

Exit status: 0 ok, 1 findings or failed expectations, 2 invalid input or usage.
Colour: --color, or set NO_COLOR to disable it.";

/// Find single points of failure and compute the availability of infrastructure designs.
#[derive(Debug, Parser)]
#[command(name = "spofsim", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

pub use crate::render::ColorChoice;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate every scenario's `expect` blocks for CI: a table of target, measured and
    /// verdict; exit 1 when an expectation fails or a finding reaches --fail-on.
    #[command(
        after_help = "Examples:\n  spofsim check scenarios/\n  spofsim check scenarios/ --format junit --output report.xml\n  spofsim check shop.jsonc --fail-on warning\n  spofsim check shop.jsonc --years 100 --replications 10   a smaller simulation behind simulated verdicts"
    )]
    Check(CheckArgs),
    /// Exact availability, minimal cut sets and importance of each service (or of an
    /// Open-PSA MEF fault tree given as .xml).
    #[command(
        after_help = "Examples:\n  spofsim analyze scenarios/shop-two-tier.jsonc\n  spofsim analyze tree.xml --order all --format json"
    )]
    Analyze(AnalyzeArgs),
    /// Check scenario files (or folders, searched recursively) and report every problem.
    #[command(
        after_help = "Examples:\n  spofsim validate scenarios/\n  spofsim validate a.jsonc b.jsonc --format json"
    )]
    Validate(ValidateArgs),
    /// Blast radius: what goes down when these components fail together, and why.
    #[command(
        after_help = "Examples:\n  spofsim blast scenarios/shop-two-tier.jsonc pdu-a\n  spofsim blast scenarios/full-single-site.jsonc sw-1 sw-2 --format json"
    )]
    Blast(BlastArgs),
    /// Simulate years of failures with real failover timings: availability with a 95%
    /// confidence interval, downtime percentiles, outages by mechanism, data lost.
    #[command(
        after_help = "Examples:\n  spofsim simulate scenarios/shop-two-tier.jsonc\n  spofsim simulate shop.jsonc --years 1000 --replications 100 --seed 7 --format json\n  spofsim simulate shop.jsonc --shard 0/4 --output shard-0.json   (then: spofsim merge shard-*.json)\n  spofsim simulate shop.jsonc --drills-only   exact timeline of the scenario's drills"
    )]
    Simulate(SimulateArgs),
    /// What changed between two versions of a design: SPOFs, cut sets, availability,
    /// RPO/RTO and findings.
    #[command(
        after_help = "Examples:\n  spofsim diff old.jsonc new.jsonc\n  spofsim diff old.jsonc new.jsonc --format markdown --fail-on-regression"
    )]
    Diff(DiffArgs),
    /// Write a commented starter scenario (and the schema beside it) to begin a design.
    #[command(
        after_help = "Examples:\n  spofsim init            writes scenario.jsonc\n  spofsim init shop       writes shop.jsonc, then: spofsim check shop.jsonc"
    )]
    Init(InitArgs),
    /// Write plots (PNG and SVG) and a self-contained index.html for one scenario.
    #[command(
        after_help = "Example:\n  spofsim report scenarios/shop-two-tier.jsonc --out report/   (then open report/index.html)"
    )]
    Report(ReportArgs),
    /// Merge shard files written by `simulate --shard` into the report of the whole run.
    #[command(
        after_help = "Example:\n  spofsim merge shard-0.json shard-1.json shard-2.json shard-3.json --format json"
    )]
    Merge(MergeArgs),
    /// What a finding or lint code means, why it matters, and how to fix it.
    #[command(
        after_help = "Examples:\n  spofsim explain SPOF-L009\n  spofsim explain raid-no-spare\n  spofsim explain          (list every code)"
    )]
    Explain(ExplainArgs),
    /// Generate a valid scenario (three-tier web/AP/DB design, fat-tree data centre, random design) on stdout.
    #[command(
        subcommand,
        after_help = "Examples:\n  spofsim generate fat-tree --k 48 > dc.json\n  spofsim generate three-tier --sites 2 --racks 4 --servers-per-rack 10 > shop.json\n  spofsim generate random --components 12 --seed 7"
    )]
    Generate(GenerateCommand),
    /// Import a scenario from a source of truth (NetBox), to find the SPOFs in what runs.
    #[command(
        subcommand,
        after_help = "Examples:\n  spofsim import netbox --from netbox-api/ --output dc1.jsonc\n  NETBOX_TOKEN=... spofsim import netbox --url https://netbox.example.com --site dc1 --output dc1.jsonc"
    )]
    Import(ImportCommand),
    /// Print the JSON Schema (draft-07) of the scenario language.
    #[command(after_help = "Example:\n  spofsim schema > scenarios/scenario.schema.json")]
    Schema(SchemaArgs),
    /// Draw a scenario as a Graphviz (dot) or Mermaid diagram, or export a service's fault tree as Open-PSA MEF XML.
    #[command(
        after_help = "Examples:\n  spofsim export shop.jsonc --to dot | dot -Tsvg > shop.svg\n  spofsim export shop.jsonc --to mermaid"
    )]
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files or folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Also print each compiled model.
    #[arg(short, long)]
    pub verbose: bool,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code ("SPOF-L009") or rule name ("raid-no-spare"); none lists them all.
    pub code: Option<String>,
    /// Every code as one Markdown page (docs/RULES.md).
    #[arg(long, conflicts_with = "code")]
    pub markdown: bool,
}

/// `i/n`: shard i (from 0) of n.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for ShardSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<ShardSpec, String> {
        let bad = || format!("expected i/n with 0 <= i < n (e.g. 0/4), found `{s}`");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (i.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The scenario file.
    pub file: PathBuf,
    #[command(flatten)]
    pub run: RunSize,
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Run only shard i of n and write a mergeable shard file (JSON).
    #[arg(long)]
    pub shard: Option<ShardSpec>,
    /// No random failures: only the scenario's drills, for their exact timeline.
    #[arg(long)]
    pub drills_only: bool,
    /// Rare-event estimator for highly available designs: regenerative cycles with
    /// forced, biased failures and likelihood ratios (docs/RARE_EVENTS.md). Estimates
    /// steady-state unavailability, downtime and outage frequency with every mechanism
    /// on; needs exponential lifetimes.
    #[arg(long, conflicts_with_all = ["years", "replications", "drills_only"])]
    pub rare_event: bool,
    /// Regenerative cycles of `--rare-event` (run in batches of 1,000).
    #[arg(long, requires = "rare_event", default_value_t = sim_core::simulate::rare::DEFAULT_CYCLES,
          value_parser = clap::value_parser!(u64).range(2..=10_000_000_000))]
    pub cycles: u64,
    /// Zero every detection and failover delay and make every detector perfect; RAID
    /// rebuilds, hot spares, UPS batteries, cold standby and repair crews stay (the
    /// analyzer's model).
    #[arg(long)]
    pub ideal: bool,
    #[arg(long, value_enum, default_value_t = SimFormat::Text)]
    pub format: SimFormat,
    /// Write the report (or shard) to this file instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SimFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The file to write (".jsonc" is added when missing); default "scenario".
    pub name: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The design before.
    pub before: PathBuf,
    /// The design after.
    pub after: PathBuf,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 when something got worse (new SPOF or finding not accepted by the
    /// scenario, lower availability, a longer simulated worst data loss or data lost
    /// entirely where something the service depends on changed, a service removed).
    /// Where the exact analysis did not finish, an availability change the certified
    /// bounds cannot decide counts as a regression. The simulated longest outage is
    /// shown but not judged (one run's maximum moves with the random draws).
    #[arg(long)]
    pub fail_on_regression: bool,
    /// Work budget of each version's exact analysis, in seconds of work on the reference
    /// machine (counted in BDD node requests, so the result is the same on any machine;
    /// a wall-clock limit at four times it stops a much slower one); past it, the
    /// availability is given as certified bounds, computed within the same budget.
    #[arg(long, default_value_t = sim_core::diff::DEFAULT_BUDGET_SECS as f64, value_parser = positive_secs)]
    pub budget_secs: f64,
    /// No progress on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// The simulation of each version behind worst data loss and longest outage.
    #[command(flatten)]
    pub run: RunSize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// The folder to write (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub run: RunSize,
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files from `spofsim simulate --shard i/n`.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = SimFormat::Text)]
    pub format: SimFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Diagram format, or `openpsa` for a service's fault tree (Open-PSA MEF XML).
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// With `--to openpsa`: the service to export (required if there are several).
    #[arg(long)]
    pub service: Option<String>,
    /// Draw each server's parts (PSUs, NICs, bond, processes) as nodes of their own;
    /// by default they are folded into the server, which names them.
    #[arg(long)]
    pub expand: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Dot,
    Mermaid,
    /// The compiled model as plain JSON (elements, requirements, groups, links, services).
    ModelJson,
    Openpsa,
}

/// A cut-set order limit: a number, or `all`.
#[derive(Clone, Copy, Debug)]
pub struct Order(pub Option<usize>);

impl std::str::FromStr for Order {
    type Err = String;
    fn from_str(s: &str) -> Result<Order, String> {
        match s {
            "all" => Ok(Order(None)),
            n => match n.parse::<usize>() {
                Ok(0) | Err(_) => Err(format!("expected a positive number or `all`, found `{n}`")),
                Ok(k) => Ok(Order(Some(k))),
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// A scenario file, or an Open-PSA MEF fault tree (.xml).
    pub file: PathBuf,
    /// Largest cut-set order to enumerate: a number or `all`.
    #[arg(long, default_value = "3")]
    pub order: Order,
    /// Only this service (or fault tree).
    #[arg(long)]
    pub service: Option<String>,
    /// Skip importance measures.
    #[arg(long)]
    pub no_importance: bool,
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    pub format: AnalyzeFormat,
    /// Write the report to this file; a one-line summary still goes to stderr.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// No summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Work budget of the exact analysis of each service, in seconds of work on the
    /// reference machine (2-core AMD EPYC): counted in BDD node requests, so where it
    /// stops, and every figure, is the same on any machine and load; a wall-clock limit
    /// at four times it stops a much slower machine, and the output then says so.
    /// Certified bounds on the unavailability are computed alongside (within twice this
    /// budget, counted in dataflow work) and printed for every service the exact
    /// analysis did not finish.
    #[arg(long, default_value_t = 5.0, value_parser = positive_secs)]
    pub budget_secs: f64,
    /// Memory budget of the exact analysis, in BDD nodes (about 40 bytes each, plus
    /// tables): past it the exact analysis stops and certified bounds are printed.
    #[arg(long, default_value_t = sim_core::analysis::DEFAULT_MAX_BDD_NODES, value_parser = node_budget)]
    pub max_bdd_nodes: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

/// `analyze` formats: the findings formats (junit, sarif, github) need a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnalyzeFormat {
    Text,
    Json,
    Markdown,
    /// One test case per service: "no single point of failure".
    Junit,
    /// SPOFs and lints as SARIF 2.1.0 results.
    Sarif,
    /// `::error file=…,line=…::` annotations.
    Github,
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// A k-ary fat-tree data centre: k pods, (k/2)² core switches, k³/4 hosts.
    FatTree {
        /// Switch radix (even, ≥ 2); 48 gives 27,648 hosts and 2,880 switches.
        #[arg(long)]
        k: usize,
        /// Power feeds per pod, each with one PDU powering the pod's switches in turn.
        #[arg(long, default_value_t = 2)]
        feeds_per_pod: usize,
    },
    /// A three-tier design (web, AP, DB) with every layer doubled, at any scale.
    ThreeTier {
        /// Sites; two or more put GSLB in front and replicate the DB between sites.
        #[arg(long, default_value_t = 1)]
        sites: usize,
        /// Racks per site, each with two top-of-rack switches.
        #[arg(long, default_value_t = 2)]
        racks: usize,
        /// Servers per rack; they run web, ap and db in turn.
        #[arg(long, default_value_t = 6)]
        servers_per_rack: usize,
    },
    /// A random small design, for property tests.
    Random {
        #[arg(long, default_value_t = 12)]
        components: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

#[derive(Debug, Args)]
pub struct BlastArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Ids of the components, links or sites that fail together.
    #[arg(required = true)]
    pub failed: Vec<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files or folders (searched recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Report format; `github` is the default when GITHUB_ACTIONS=true, text otherwise.
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    /// Write the report here; the human summary still goes to stderr.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Lint findings at or above this severity fail the run.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// No human summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// A previous `check --format json` report: findings already in it do not fail the
    /// run (only new ones do); they are still reported.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Work budget of each scenario's exact analysis, in seconds of work on the reference
    /// machine (counted in BDD node requests, so verdicts are the same on any machine;
    /// a wall-clock limit at four times it stops a much slower one, and says so); past
    /// it, availability targets are judged on certified bounds (a target they cannot
    /// decide fails).
    #[arg(long, default_value_t = 5.0, value_parser = positive_secs)]
    pub budget_secs: f64,
    /// The simulation behind simulated verdicts (RPO, RTO, simulated downtime, the
    /// models-agree check), run only when one is needed: a smaller run is faster and
    /// decides fewer verdicts (wider intervals).
    #[command(flatten)]
    pub run: RunSize,
}

/// The size and seed of a crude simulation (`simulate`, `report`, `check`); the
/// defaults are [`sim_core::check::CHECK_SIMULATION`]'s, so the three agree.
#[derive(Debug, Args)]
pub struct RunSize {
    /// Simulated years per replication [default: 100; with `simulate --drills-only`,
    /// the years the drills span, at least 1].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub years: Option<u32>,
    /// Independent replications, each its own random stream [default: 100; with
    /// `simulate --drills-only`, 1: every replay of the drills is the same].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub replications: Option<u64>,
    /// Random seed; printed in every report and with every simulated verdict.
    #[arg(long, default_value_t = sim_core::simulate::DEFAULT_SEED)]
    pub seed: u64,
}

impl RunSize {
    /// The crude simulation these flags ask for, with random failures and timings on.
    pub fn options(&self) -> sim_core::simulate::SimOptions {
        sim_core::simulate::SimOptions {
            years: self.years.unwrap_or(sim_core::simulate::DEFAULT_YEARS),
            replications: self.replications.unwrap_or(sim_core::simulate::DEFAULT_REPLICATIONS),
            seed: self.seed,
            ..sim_core::check::CHECK_SIMULATION
        }
    }

    /// The replay of `model`'s drills alone: one replication unless asked for more
    /// (each replays the same drills), over the years the drills span (at least 1)
    /// unless `--years` is given.
    pub fn drills_options(&self, model: &sim_core::model::Model) -> sim_core::simulate::SimOptions {
        let last_end_secs = model.drills.iter().map(|d| d.at_secs + d.for_secs).fold(0.0, f64::max);
        let spanned = (last_end_secs / sim_core::units::SECS_PER_YEAR).ceil().max(1.0);
        sim_core::simulate::SimOptions {
            years: self.years.unwrap_or(spanned.min(1_000_000.0) as u32),
            replications: self.replications.unwrap_or(1),
            random_failures: false,
            ..self.options()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Markdown,
    Junit,
    /// GitHub Actions annotations; also appends the Markdown summary to $GITHUB_STEP_SUMMARY.
    Github,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Never,
    Warning,
    Error,
}

/// A time limit in seconds: a finite number above 0 (at most a day).
fn positive_secs(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(s),
        Ok(_) => Err(format!("expected seconds above 0 and at most 86400 (a day), found `{text}`")),
        Err(_) => Err(format!("expected a number of seconds, e.g. 5 or 0.5, found `{text}`")),
    }
}

fn node_budget(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1_000 => Ok(n),
        Ok(_) => Err(format!("expected at least 1000 BDD nodes, found `{text}`")),
        Err(_) => Err(format!("expected a whole number of BDD nodes, e.g. 20000000, found `{text}`")),
    }
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Read NetBox (live over its REST API, or saved responses) and write a scenario.
    /// Mapping rules: docs/NETBOX.md.
    #[command(
        after_help = "Examples:\n  spofsim import netbox --from api/ --from api-examples/ --output dc.jsonc\n  NETBOX_TOKEN=... spofsim import netbox --url https://netbox.example.com --site dc1 --output dc1.jsonc\n  spofsim import netbox --url http://127.0.0.1:8000 --save responses/ --output dc.jsonc\nThen write services in a file with \"extends\": \"dc.jsonc\" and run spofsim check on it."
    )]
    Netbox(NetboxArgs),
}

#[derive(Debug, Args)]
pub struct NetboxArgs {
    /// A folder of saved API responses, one JSON file per endpoint
    /// (`dcim__devices.json` for /api/dcim/devices/); repeat to lay folders over each
    /// other (a later folder's object replaces an earlier one with the same id).
    #[arg(long = "from", value_name = "DIR", conflicts_with = "url")]
    pub from: Vec<PathBuf>,
    /// NetBox's base URL (https://netbox.example.com); the API is read below /api/.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The environment variable holding the API token (never put it on the command line).
    #[arg(long, value_name = "NAME", default_value = "NETBOX_TOKEN")]
    pub token_env: String,
    /// Seconds to wait for each HTTP response (1 or more).
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// A PEM file of CA certificates to trust for --url (an internal CA); by default the
    /// Mozilla roots (webpki-roots) are trusted.
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,
    /// With --url: also save every response in this folder, for --from later.
    #[arg(long, value_name = "DIR", requires = "url")]
    pub save: Option<PathBuf>,
    /// Keep only devices of this site (slug); repeatable.
    #[arg(long = "site", value_name = "SLUG")]
    pub sites: Vec<String>,
    /// Keep only devices with this tag (slug); repeatable (any of them).
    #[arg(long = "tag", value_name = "SLUG")]
    pub tags: Vec<String>,
    /// Device statuses to keep, comma-separated.
    #[arg(long, value_name = "LIST", value_delimiter = ',', default_value = "active,planned,staged,offline,failed")]
    pub status: Vec<String>,
    /// A JSON file mapping device role slugs to kinds (or "skip", "pass-through"),
    /// over the built-in table: {"edge-router": "router", "console": "skip"}.
    #[arg(long, value_name = "FILE")]
    pub roles: Option<PathBuf>,
    /// Availability assumed for provider circuits, which NetBox records without an SLA.
    #[arg(long, value_name = "PCT", default_value = "99.9%", allow_hyphen_values = true)]
    pub circuit_availability: String,
    /// The scenario's name.
    #[arg(long, default_value = "netbox")]
    pub name: String,
    /// Write the scenario here (default: stdout). An existing file is replaced only if
    /// it was written by an import, so an architect's own file is never overwritten.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

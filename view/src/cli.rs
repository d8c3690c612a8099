//! The `view` command: reads a definition (and a history), writes the page.

use std::path::{Component, Path, PathBuf};

use switchboard_asl::StateMachine;

use crate::graph::Graph;
use crate::page::{self, Options};

pub const USAGE: &str =
    "usage: view --flow FILE.asl.json [--history HISTORY.json] [--out PAGE.html]
  writes the flow's page (default: beside FILE, as FILE.html); with --history, the call of
  `aws stepfunctions get-execution-history --output json` traced on it (default: beside
  HISTORY, as HISTORY.html)";

/// Parsed arguments.
#[derive(Debug, Default, PartialEq)]
pub struct Args {
    pub flow: PathBuf,
    pub history: Option<PathBuf>,
    pub out: Option<PathBuf>,
}

/// Parses `view`'s arguments.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut flow = None;
    let mut a = Args::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--flow" => flow = Some(PathBuf::from(value("--flow")?)),
            "--history" => a.history = Some(value("--history")?.into()),
            "--out" => a.out = Some(value("--out")?.into()),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    a.flow = flow.ok_or_else(|| format!("--flow is required\n{USAGE}"))?;
    Ok(a)
}

/// Why the command stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The arguments are wrong: the message ends with the usage (exit status 2).
    Usage(String),
    /// A file could not be read, drawn or written (exit status 1).
    Error(String),
}

impl Failure {
    pub fn message(&self) -> &str {
        match self {
            Failure::Usage(m) | Failure::Error(m) => m,
        }
    }
}

/// Runs the command: the line to print, or why it stopped.
pub fn run(args: impl IntoIterator<Item = String>) -> Result<String, Failure> {
    let args = parse_args(args).map_err(Failure::Usage)?;
    write(&args).map_err(Failure::Error)
}

/// Writes the page `args` ask for: the line to print, or the error.
fn write(args: &Args) -> Result<String, String> {
    let text = std::fs::read_to_string(&args.flow)
        .map_err(|e| format!("error: cannot read {}: {e}", args.flow.display()))?;
    let machine = StateMachine::from_json(&text).map_err(|e| {
        format!(
            "error: {}:{}:{}: {e}; is it a state machine definition (the JSON with `StartAt` and `States`)?",
            args.flow.display(),
            e.line(),
            e.column()
        )
    })?;
    let name = flow_name(&args.flow);
    let graph = Graph::from_machine(&name, &machine)
        .map_err(|e| format!("error: {}: {e}", args.flow.display()))?;
    let trace = match &args.history {
        Some(h) => Some(crate::history::read(h, &graph)?),
        None => None,
    };
    let out = args.out.clone().unwrap_or_else(|| match &args.history {
        Some(h) => h.with_extension("html"),
        None => args.flow.with_file_name(format!("{name}.html")),
    });
    let options = Options {
        source_root: source_root(&graph, &args.flow, &out),
    };
    let html = page::render_with(&graph, trace.as_ref(), &options);
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("error: cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&out, &html)
        .map_err(|e| format!("error: cannot write {}: {e}", out.display()))?;
    let steps = trace
        .as_ref()
        .map(|t| format!(", {} steps of the call", t.steps.len()))
        .unwrap_or_default();
    Ok(format!(
        "{}: {} states{steps}, {} bytes",
        out.display(),
        graph.nodes.len(),
        html.len()
    ))
}

/// `dist/x.asl.json` → `x`.
pub fn flow_name(path: &Path) -> String {
    let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("flow");
    file.trim_end_matches(".json")
        .trim_end_matches(".asl")
        .to_owned()
}

/// The directory the states' source paths are relative to, from `out`'s directory: the first
/// of the flow file's directory and its parents, then the current directory and its parents,
/// that holds the first source file a state names.
fn source_root(graph: &Graph, flow: &Path, out: &Path) -> Option<String> {
    let file = graph
        .nodes
        .iter()
        .find_map(|n| n.source.as_ref())?
        .file
        .clone();
    let abs = |p: &Path| std::path::absolute(p).ok();
    let flow_dir = abs(flow)?.parent()?.to_path_buf();
    let cwd = std::env::current_dir().ok()?;
    let root = flow_dir
        .ancestors()
        .chain(cwd.ancestors())
        .find(|d| d.join(&file).is_file())?
        .to_path_buf();
    let out_dir = abs(out)?.parent()?.to_path_buf();
    Some(relative(&out_dir, &root))
}

/// `to` as a path from `from` (both absolute), `/`-separated.
pub fn relative(from: &Path, to: &Path) -> String {
    let norm = |p: &Path| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    out.pop();
                }
                _ => {}
            }
        }
        out
    };
    let (f, t) = (norm(from), norm(to));
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); f.len() - common];
    parts.extend(t[common..].iter().cloned());
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/a/b/dist"), Path::new("/a/b")), "..");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(
            relative(Path::new("/tmp/x"), Path::new("/a/b")),
            "../../a/b"
        );
    }

    #[test]
    fn arguments() {
        let a =
            parse_args(["--flow", "dist/x.asl.json", "--out", "o.html"].map(String::from)).unwrap();
        assert_eq!(a.flow, PathBuf::from("dist/x.asl.json"));
        assert_eq!(a.out, Some(PathBuf::from("o.html")));
        assert!(parse_args(["--history", "h.json"].map(String::from))
            .unwrap_err()
            .contains("--flow is required"));
        assert!(parse_args(["--flw", "x"].map(String::from))
            .unwrap_err()
            .contains("unknown argument `--flw`"));
        assert_eq!(
            flow_name(Path::new("dist/business-phone.asl.json")),
            "business-phone"
        );
    }
}

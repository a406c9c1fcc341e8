//! smguard-regorus [--plan TYPES] [--print-input] POLICY_DIR DATA_JSON INPUT
//!
//! Evaluates `data.smguard.main.report` with regorus on the Rego files under
//! POLICY_DIR (not *_test.rego), with DATA_JSON as data and INPUT as input
//! (`-`: standard input), builtin errors strict as with
//! `opa eval --strict-builtin-errors`. Prints the report as JSON on standard
//! output; on any error one line on standard error and exit code 2.
//!
//! With `--plan TYPES` (comma-separated resource types), INPUT is a Terraform
//! plan file and the input is its engine payload (src/plan.rs); exit code 3
//! says INPUT is not a plain JSON plan (a binary plan, a smguard report).
//! `--print-input` prints the input instead of evaluating.

mod plan;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::exit;

const ENTRYPOINT: &str = "data.smguard.main.report";

fn fail(message: &str) -> ! {
    eprintln!("smguard-regorus: {}", one_line(message));
    exit(2)
}

/// regorus reports a source error as "--> FILE:ROW:COL", the source lines,
/// then "error: MESSAGE": as one line, "FILE:ROW:COL: MESSAGE", at most 300
/// characters.
fn one_line(message: &str) -> String {
    let location = message.lines().find_map(|l| l.trim().strip_prefix("--> "));
    let error = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "));
    let line = match (location, error) {
        (Some(location), Some(error)) => format!("{location}: {error}"),
        _ => message
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("unknown error")
            .to_string(),
    };
    // Some errors carry every value in scope.
    match line.char_indices().nth(300) {
        Some((end, _)) => format!("{} ...", &line[..end]),
        None => line,
    }
}

fn rego_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| {
            entry
                .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())))
                .path()
        })
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            rego_files(&path, out);
        } else if name.ends_with(".rego") && !name.ends_with("_test.rego") {
            out.push(path);
        }
    }
}

fn read_json(name: &str) -> regorus::Value {
    let mut text = String::new();
    let read = if name == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(name).map(|t| text = t)
    };
    read.unwrap_or_else(|e| fail(&format!("{name}: {e}")));
    regorus::Value::from_json_str(&text).unwrap_or_else(|e| fail(&format!("{name}: {e}")))
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut types = None;
    let mut print_input = false;
    while let Some(first) = args.first().cloned() {
        match first.as_str() {
            "--plan" if args.len() > 1 => {
                types = Some(
                    args[1]
                        .split(',')
                        .map(str::to_string)
                        .collect::<BTreeSet<String>>(),
                );
                args.drain(..2);
            }
            "--print-input" => {
                print_input = true;
                args.remove(0);
            }
            _ => break,
        }
    }
    if args.len() != 3 {
        fail("usage: smguard-regorus [--plan TYPES] [--print-input] POLICY_DIR DATA_JSON INPUT");
    }
    let input = match &types {
        None => read_json(&args[2]),
        Some(types) => match plan::payload(&args[2], types) {
            Ok(input) => input,
            Err(plan::Refused::NotAPlan) => {
                eprintln!("smguard-regorus: {}: not a JSON plan", args[2]);
                exit(3)
            }
            Err(plan::Refused::Invalid(message)) => fail(&message),
        },
    };
    if print_input {
        println!(
            "{}",
            input.to_json_str().unwrap_or_else(|e| fail(&e.to_string()))
        );
        return;
    }
    let mut engine = regorus::Engine::new();
    engine.set_strict_builtin_errors(true);
    let mut files = Vec::new();
    rego_files(Path::new(&args[0]), &mut files);
    if files.is_empty() {
        fail(&format!("{}: no Rego files", args[0]));
    }
    for file in &files {
        engine
            .add_policy_from_file(file)
            .unwrap_or_else(|e| fail(&e.to_string()));
    }
    engine
        .add_data(read_json(&args[1]))
        .unwrap_or_else(|e| fail(&e.to_string()));
    engine.set_input(input);
    let report = engine
        .eval_rule(ENTRYPOINT.to_string())
        .unwrap_or_else(|e| match e.to_string().as_str() {
            "not a valid rule path" => fail(&format!("{ENTRYPOINT} is undefined")),
            message => fail(message),
        });
    if report == regorus::Value::Undefined {
        fail(&format!("{ENTRYPOINT} is undefined"));
    }
    println!(
        "{}",
        report
            .to_json_str()
            .unwrap_or_else(|e| fail(&e.to_string()))
    );
}

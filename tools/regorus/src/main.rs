//! smguard-regorus POLICY_DIR DATA_JSON INPUT_JSON
//!
//! Evaluates `data.smguard.main.report` with regorus on the Rego files under
//! POLICY_DIR (not *_test.rego), prints the report as JSON on stdout and the
//! time of each step on stderr. Compare with
//! `opa eval --format json --strict-builtin-errors --ignore '*_test.rego'
//!  -d POLICY_DIR -d DATA_JSON --input INPUT_JSON data.smguard.main.report`.

use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::Instant;

fn rego_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if path.is_dir() {
            rego_files(&path, out);
        } else if name.ends_with(".rego") && !name.ends_with("_test.rego") {
            out.push(path);
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("smguard-regorus: {message}");
    exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        fail("usage: smguard-regorus POLICY_DIR DATA_JSON INPUT_JSON");
    }
    let start = Instant::now();
    let mut engine = regorus::Engine::new();
    engine.set_strict_builtin_errors(true);
    let mut files = Vec::new();
    rego_files(Path::new(&args[1]), &mut files);
    for file in &files {
        engine.add_policy_from_file(file).unwrap_or_else(|e| fail(&e.to_string()));
    }
    let parsed = Instant::now();
    let data = regorus::Value::from_json_file(&args[2]).unwrap_or_else(|e| fail(&e.to_string()));
    engine.add_data(data).unwrap_or_else(|e| fail(&e.to_string()));
    let input = regorus::Value::from_json_file(&args[3]).unwrap_or_else(|e| fail(&e.to_string()));
    engine.set_input(input);
    let loaded = Instant::now();
    let report = engine
        .eval_rule("data.smguard.main.report".to_string())
        .unwrap_or_else(|e| fail(&e.to_string()));
    let evaluated = Instant::now();
    println!("{}", report.to_json_str().unwrap_or_else(|e| fail(&e.to_string())));
    eprintln!(
        "smguard-regorus: {} files parsed in {:.3} s, data and input read in {:.3} s, evaluated in {:.3} s",
        files.len(),
        (parsed - start).as_secs_f64(),
        (loaded - parsed).as_secs_f64(),
        (evaluated - loaded).as_secs_f64(),
    );
}

//! The deploy recipes in `deploy/` and the `Dockerfile`: each is parsed as its platform reads
//! it, and its commands are run here, in order, on a fixture site with the tebiki under test
//! first on PATH (so `deploy/install-tebiki.sh` finds it and installs nothing). Docker itself
//! cannot run here: the Dockerfile's stages are checked and its build command run by the
//! ignored test `dockerfile_build_command_builds_tebiki`.

use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

use crate::common::{BOOK, Fixture};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(docs.len(), 1, "{rel} is one YAML document");
    docs.remove(0)
}

/// A clean site, with the deploy scripts beside it as in a site repository.
fn site() -> Fixture {
    let f = Fixture::with_book(BOOK);
    f.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nSee [the guide](guides/a.md).\n",
    );
    f.write(
        "content/guides/a.md",
        "---\ntitle: A\nsources:\n  - title: The Act\nrelated: [guides/b.md]\n---\nText.\n",
    );
    f.write(
        "content/guides/b.md",
        "---\ntitle: B\nsources:\n  - title: The Act\nrelated: [guides/a.md]\n---\nText.\n",
    );
    for script in ["install-tebiki.sh", "cloudflare-pages.sh"] {
        f.write(
            &format!("deploy/{script}"),
            &read(&format!("deploy/{script}")),
        );
    }
    f
}

/// Runs one shell command as CI would (`bash -e`), in the site, with the tebiki under test on
/// PATH and `env` set. Panics with the output when it fails.
fn sh(f: &Fixture, command: &str, env: &[(&str, &str)]) -> String {
    let (success, text) = sh_status(f, command, env);
    assert!(success, "`{command}` failed:\n{text}");
    text
}

/// [`sh`], returning whether the command succeeded, and its output, rather than panicking.
fn sh_status(f: &Fixture, command: &str, env: &[(&str, &str)]) -> (bool, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_tebiki"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["-eo", "pipefail", "-c", command])
        .current_dir(f.root())
        .env("PATH", path)
        .env("HOME", f.root())
        .envs(env.iter().copied())
        .output()
        .expect("run bash");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// A site with findings: a broken link (an error, so `check` exits 1 in every format) and a
/// page no other page links to (a warning).
fn site_with_findings() -> Fixture {
    let f = site();
    f.write(
        "content/guides/c.md",
        "---\ntitle: C\nsources:\n  - title: The Act\n---\nSee [the plan](plan.md).\n",
    );
    f
}

/// The rule ids of the results in a SARIF log, sorted.
fn sarif_rules(text: &str) -> Vec<String> {
    let sarif: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("not a SARIF log ({e}):\n{text}"));
    assert_eq!(sarif["version"], "2.1.0");
    let mut rules: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["ruleId"].as_str().map(String::from))
        .collect();
    rules.sort();
    rules
}

/// Whether GitHub Actions runs a step with this `if` once an earlier step has (or has not)
/// failed: without one, a step runs only while every earlier step succeeded.
fn github_runs_step(condition: Option<&str>, failed: bool) -> bool {
    let Some(condition) = condition else {
        return !failed;
    };
    let expr = condition
        .trim()
        .strip_prefix("${{")
        .and_then(|c| c.strip_suffix("}}"))
        .unwrap_or(condition)
        .trim();
    match expr {
        "always()" | "!cancelled()" | "success() || failure()" => true,
        "failure()" => failed,
        "success()" => !failed,
        other => panic!("a step condition this test does not know: `{other}`"),
    }
}

/// `${{ expr }}` replaced by its value in `values`; an unknown expression fails the test.
fn expressions(command: &str, values: &[(&str, &str)]) -> String {
    let mut out = command.to_string();
    while let Some(start) = out.find("${{") {
        let end = out[start..].find("}}").expect("closed expression") + start;
        let expr = out[start + 3..end].trim().to_string();
        let value = values
            .iter()
            .find(|(k, _)| *k == expr)
            .unwrap_or_else(|| panic!("no value for `{expr}`"))
            .1;
        out.replace_range(start..end + 2, value);
    }
    out
}

fn assert_built_for(f: &Fixture, base: &str) {
    let home = f.read("public/index.html");
    assert!(
        home.contains(&format!("href=\"{base}guides/a/\"")),
        "not built for {base}:\n{home}"
    );
}

#[test]
fn github_pages_workflow_checks_builds_and_uploads() {
    let workflow = yaml("deploy/github-pages.yml");
    assert!(!workflow["on"]["pull_request"].is_badvalue());
    assert_eq!(workflow["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(workflow["permissions"]["id-token"].as_str(), Some("write"));
    let steps = workflow["jobs"]["build"]["steps"]
        .as_vec()
        .expect("build steps");
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.contains(&"actions/checkout@v4"));
    assert!(uses.contains(&"actions/upload-pages-artifact@v3"));
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/upload-pages-artifact@v3"))
        .expect("upload step");
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(
        deploy["steps"][0]["uses"].as_str(),
        Some("actions/deploy-pages@v4")
    );

    // GitHub passes repository variables to a step only through its `env`: a site in its own
    // repository pins tebiki with them.
    let install = steps
        .iter()
        .find(|s| s["run"].as_str() == Some("bash deploy/install-tebiki.sh"))
        .expect("install step");
    for name in ["TEBIKI_GIT", "TEBIKI_REV"] {
        assert_eq!(
            install["env"][name].as_str(),
            Some(format!("${{{{ vars.{name} }}}}").as_str())
        );
    }
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.contains(&"tebiki check --format github --deny warnings"));
    let f = site();
    for run in runs {
        let command = expressions(
            run,
            &[(
                "steps.pages.outputs.base_url",
                "https://example.github.io/guides",
            )],
        );
        sh(&f, &command, &[]);
    }
    assert_built_for(&f, "https://example.github.io/guides/");

    // The gate fails on a warning, with an annotation GitHub shows on the line.
    f.write("content/guides/c.md", "---\ntitle: C\n---\n");
    let run = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["check", "--format", "github", "--deny", "warnings"])
        .current_dir(f.root())
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&run.stdout)
            .starts_with("::error file=content/guides/c.md,line=2,col=1,title=tebiki "),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

#[test]
fn gitlab_ci_checks_and_builds_pages_and_previews() {
    let ci = yaml("deploy/gitlab-ci.yml");
    assert!(ci["image"].as_str().is_some_and(|i| i.starts_with("rust:")));
    let before: Vec<&str> = ci["default"]["before_script"]
        .as_vec()
        .expect("before_script")
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    let f = site();
    let env = [
        ("CI_PROJECT_DIR", f.root().to_str().expect("utf-8 path")),
        ("CARGO_HOME", ".cargo"),
        ("CI_PAGES_URL", "https://group.gitlab.io/guides"),
        ("CI_MERGE_REQUEST_IID", "42"),
    ];
    for (job, base) in [
        ("check", None),
        ("preview", Some("https://group.gitlab.io/guides/42/")),
        ("pages", Some("https://group.gitlab.io/guides/")),
    ] {
        let script: Vec<&str> = ci[job]["script"]
            .as_vec()
            .unwrap_or_else(|| panic!("{job} has a script"))
            .iter()
            .filter_map(Yaml::as_str)
            .collect();
        let all = before.iter().chain(&script).copied().collect::<Vec<_>>();
        // GitLab runs a job's lines in one shell.
        sh(&f, &all.join("\n"), &env);
        if let Some(base) = base {
            assert_eq!(ci[job]["artifacts"]["paths"][0].as_str(), Some("public"));
            assert_built_for(&f, base);
        }
    }
    assert_eq!(
        ci["preview"]["pages"]["path_prefix"].as_str(),
        Some("$CI_MERGE_REQUEST_IID")
    );
    // The gate runs in merge request pipelines, where the preview is built, as well as on
    // branches: a job without rules would run only in branch pipelines.
    let rules = |job: &str| -> Vec<String> {
        ci[job]["rules"]
            .as_vec()
            .map(|r| {
                r.iter()
                    .filter_map(|r| r["if"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mr = "$CI_PIPELINE_SOURCE == \"merge_request_event\"";
    assert!(
        rules("check").iter().any(|r| r == mr),
        "{:?}",
        rules("check")
    );
    assert!(rules("preview").iter().any(|r| r == mr));
    let sarif: serde_json::Value =
        serde_json::from_str(&f.read("tebiki.sarif")).expect("the check job's SARIF");
    assert_eq!(sarif["version"], "2.1.0");
}

/// The report is kept when it matters: on a site with findings the `check` job fails, and its
/// SARIF artifact holds them. GitLab stops a job at its first failing line, so a report written
/// after the gate would be missing exactly then.
#[test]
fn gitlab_check_job_fails_on_findings_and_still_keeps_the_report() {
    let ci = yaml("deploy/gitlab-ci.yml");
    let lines = |key: &str| -> Vec<String> {
        let node = match key {
            "before_script" => &ci["default"]["before_script"],
            _ => &ci["check"][key],
        };
        node.as_vec()
            .unwrap_or_else(|| panic!("{key}"))
            .iter()
            .filter_map(Yaml::as_str)
            .map(String::from)
            .collect()
    };
    assert_eq!(ci["check"]["artifacts"]["when"].as_str(), Some("always"));
    assert_eq!(
        ci["check"]["artifacts"]["paths"][0].as_str(),
        Some("tebiki.sarif")
    );
    let f = site_with_findings();
    let env = [
        ("CI_PROJECT_DIR", f.root().to_str().expect("utf-8 path")),
        ("CARGO_HOME", ".cargo"),
    ];
    let script = [lines("before_script"), lines("script")].concat();
    let (success, text) = sh_status(&f, &script.join("\n"), &env);
    assert!(!success, "the gate let findings through:\n{text}");
    assert!(text.contains("error[broken-link]"), "{text}");
    assert_eq!(
        sarif_rules(&f.read("tebiki.sarif")),
        ["broken-link", "orphan"],
        "the artifact holds the findings"
    );
}

/// The code-scanning steps docs/deploy.md gives for GitHub, put after the workflow's `Check`
/// step, upload the report when the gate fails, and the job still fails.
#[test]
fn github_code_scanning_steps_upload_the_report_when_the_gate_fails() {
    let docs = read("docs/deploy.md");
    let after = docs
        .split_once("add these steps right after the `Check` step")
        .expect("docs/deploy.md gives the code-scanning steps")
        .1;
    let block = after
        .split_once("```yaml\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("a YAML block")
        .0;
    let added = YamlLoader::load_from_str(block).expect("the steps are YAML");
    let added = added[0].as_vec().expect("a list of steps").clone();
    let workflow = yaml("deploy/github-pages.yml");
    let mut steps = workflow["jobs"]["build"]["steps"]
        .as_vec()
        .expect("build steps")
        .clone();
    let gate = steps
        .iter()
        .position(|s| s["name"].as_str() == Some("Check"))
        .expect("a Check step");
    steps.splice(gate + 1..gate + 1, added);

    let f = site_with_findings();
    let mut failed = false;
    let mut uploaded = None;
    for step in &steps {
        if !github_runs_step(step["if"].as_str(), failed) {
            continue;
        }
        let ok = match (step["run"].as_str(), step["uses"].as_str()) {
            (Some(run), _) => {
                let command = expressions(
                    run,
                    &[(
                        "steps.pages.outputs.base_url",
                        "https://example.github.io/guides",
                    )],
                );
                sh_status(&f, &command, &[]).0
            }
            (None, Some(uses)) if uses.starts_with("github/codeql-action/upload-sarif@") => {
                let file = step["with"]["sarif_file"].as_str().expect("sarif_file");
                uploaded = std::fs::read_to_string(f.path(file)).ok();
                uploaded.is_some()
            }
            // Checkout, caches and Pages: nothing to do on a fixture.
            _ => true,
        };
        failed |= !ok && !step["continue-on-error"].as_bool().unwrap_or(false);
    }
    assert!(failed, "the gate let findings through");
    let uploaded = uploaded.expect("the report was uploaded although the gate failed");
    assert_eq!(sarif_rules(&uploaded), ["broken-link", "orphan"]);
}

#[test]
fn netlify_builds_production_and_previews() {
    let text = read("deploy/netlify.toml");
    let config: toml::Table = toml::from_str(&text).expect("netlify.toml is TOML");
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    let f = site();
    let preview = config["build"]["command"].as_str().expect("command");
    sh(
        &f,
        preview,
        &[
            ("URL", "https://guides.netlify.app"),
            (
                "DEPLOY_PRIME_URL",
                "https://deploy-preview-7--guides.netlify.app",
            ),
        ],
    );
    assert_built_for(&f, "https://deploy-preview-7--guides.netlify.app/");
    let production = config["context"]["production"]["command"]
        .as_str()
        .expect("production command");
    sh(&f, production, &[("URL", "https://guides.netlify.app")]);
    assert_built_for(&f, "https://guides.netlify.app/");
}

#[test]
fn cloudflare_pages_builds_production_and_previews() {
    let config: toml::Table =
        toml::from_str(&read("deploy/wrangler.toml")).expect("wrangler.toml is TOML");
    assert_eq!(config["pages_build_output_dir"].as_str(), Some("public"));
    let f = site();
    sh(
        &f,
        "bash deploy/cloudflare-pages.sh",
        &[
            ("CF_PAGES_BRANCH", "fix-typo"),
            ("CF_PAGES_URL", "https://fix-typo.guides.pages.dev"),
        ],
    );
    assert_built_for(&f, "https://fix-typo.guides.pages.dev/");
    sh(
        &f,
        "bash deploy/cloudflare-pages.sh",
        &[
            ("CF_PAGES_BRANCH", "main"),
            ("CF_PAGES_URL", "https://x.pages.dev"),
        ],
    );
    assert_built_for(&f, "https://example.org/");
}

/// The Dockerfile's stages: `(base image, stage name, instructions)`.
fn docker_stages() -> Vec<(String, Option<String>, Vec<String>)> {
    let text = read("Dockerfile");
    let mut stages: Vec<(String, Option<String>, Vec<String>)> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (op, rest) = line.split_once(' ').unwrap_or((line, ""));
        if op.eq_ignore_ascii_case("FROM") {
            let mut words = rest.split_whitespace();
            let image = words.next().expect("image").to_string();
            let name = match (words.next(), words.next()) {
                (Some(as_), Some(name)) if as_.eq_ignore_ascii_case("AS") => Some(name.to_string()),
                _ => None,
            };
            stages.push((image, name, Vec::new()));
        } else {
            stages
                .last_mut()
                .expect("an instruction after FROM")
                .2
                .push(line.to_string());
        }
    }
    stages
}

#[test]
fn dockerfile_is_multi_stage_and_copies_what_the_build_needs() {
    let stages = docker_stages();
    assert_eq!(stages.len(), 2, "{stages:?}");
    let (builder_image, builder_name, builder) = &stages[0];
    assert!(
        builder_image.starts_with("rust:"),
        "the official Rust image"
    );
    assert_eq!(builder_name.as_deref(), Some("builder"));
    let (final_image, _, last) = &stages[1];
    assert!(
        !final_image.starts_with("rust"),
        "a small final image: {final_image}"
    );
    assert!(
        last.iter()
            .any(|i| i.starts_with("COPY --from=builder ") && i.contains("/target/release/tebiki"))
    );
    assert!(last.iter().any(|i| i.starts_with("WORKDIR /site")));
    assert!(
        last.iter()
            .any(|i| i.starts_with("ENTRYPOINT [\"/usr/local/bin/tebiki\"]"))
    );
    let run = builder
        .iter()
        .find(|i| i.starts_with("RUN "))
        .expect("a RUN in the builder");
    assert_eq!(run, "RUN cargo build --release --locked --bin tebiki");
    // Everything the crate needs to compile is copied: the manifest, the lock file, the
    // build script, and every folder a target or an include reads.
    let copied: Vec<&str> = builder
        .iter()
        .filter_map(|i| i.strip_prefix("COPY "))
        .flat_map(|args| {
            let words: Vec<&str> = args.split_whitespace().collect();
            words[..words.len() - 1].to_vec()
        })
        .collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src",
        "themes",
        "benches",
    ] {
        assert!(
            copied.contains(&needed),
            "the builder copies {needed}: {copied:?}"
        );
        assert!(repo(needed).exists());
    }
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).expect("Cargo.toml");
    for bench in manifest["bench"].as_array().expect("benches") {
        let name = bench["name"].as_str().expect("bench name");
        assert!(repo(&format!("benches/{name}.rs")).exists());
    }
    let ignore = read(".dockerignore");
    assert!(ignore.lines().any(|l| l == "target"));
}

/// Runs the Dockerfile's build command on a copy of only what the builder copies, as the
/// builder stage would (a release build: minutes on two cores, so not in every run).
#[test]
#[ignore = "a release build of tebiki; run with --ignored"]
fn dockerfile_build_command_builds_tebiki() {
    let stages = docker_stages();
    let dir = tempfile::tempdir().expect("temp dir");
    for instruction in &stages[0].2 {
        if let Some(args) = instruction.strip_prefix("COPY ") {
            let words: Vec<&str> = args.split_whitespace().collect();
            for source in &words[..words.len() - 1] {
                let status = Command::new("cp")
                    .args([
                        "-r",
                        &repo(source).to_string_lossy(),
                        &dir.path().to_string_lossy(),
                    ])
                    .status()
                    .expect("cp");
                assert!(status.success());
            }
        }
    }
    let run = stages[0]
        .2
        .iter()
        .find_map(|i| i.strip_prefix("RUN "))
        .expect("RUN");
    let status = Command::new("bash")
        .args(["-c", run])
        .current_dir(dir.path())
        .status()
        .expect("cargo");
    assert!(status.success());
    let built = dir.path().join("target/release/tebiki");
    let version = Command::new(&built)
        .arg("--version")
        .output()
        .expect("run it");
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("tebiki "));
}

/// `deploy/install-tebiki.sh` run with a stand-in `cargo` that records each install and puts a
/// stand-in `tebiki` on PATH; returns how many installs have run.
fn install_with_stand_in_cargo(f: &Fixture, env: &[(&str, &str)]) -> usize {
    let bin = f.path("stand-in");
    std::fs::create_dir_all(&bin).expect("bin");
    let cargo = bin.join("cargo");
    std::fs::write(
        &cargo,
        format!(
            "#!/usr/bin/env bash\necho \"$@\" >> {log}\nprintf '#!/bin/sh\\necho tebiki 0\\n' > {bin}/tebiki\nchmod +x {bin}/tebiki\n",
            log = f.path("installs.log").display(),
            bin = bin.display()
        ),
    )
    .expect("write cargo");
    std::process::Command::new("chmod")
        .args(["+x"])
        .arg(&cargo)
        .status()
        .expect("chmod");
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let output = Command::new("bash")
        .arg("deploy/install-tebiki.sh")
        .current_dir(f.root())
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .expect("run bash");
    assert!(output.status.success(), "{output:?}");
    std::fs::read_to_string(f.path("installs.log"))
        .unwrap_or_default()
        .lines()
        .count()
}

/// A site in its own repository that forgot to say where tebiki comes from is told so, not
/// handed cargo's complaint about a missing Cargo.toml.
#[cfg(unix)]
#[test]
fn install_says_what_to_set_when_there_is_nothing_to_build_from() {
    let f = site();
    std::fs::create_dir_all(f.path("deploy")).expect("mkdir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/install-tebiki.sh"),
        f.path("deploy/install-tebiki.sh"),
    )
    .expect("copy");
    let output = Command::new("bash")
        .arg("deploy/install-tebiki.sh")
        .current_dir(f.root())
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("run bash");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("TEBIKI_GIT") && stderr.contains("TEBIKI_REV"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_cached_tebiki_is_used_only_when_built_from_the_same_source() {
    let f = site();
    // The tebiki repository: its own source.
    f.write("Cargo.toml", "[package]\nname = \"tebiki\"\n");
    f.write("src/main.rs", "fn main() {}\n");
    assert_eq!(install_with_stand_in_cargo(&f, &[]), 1, "first: built");
    assert_eq!(
        install_with_stand_in_cargo(&f, &[]),
        1,
        "same source: cached"
    );
    f.write("src/main.rs", "fn main() { println!(); }\n");
    assert_eq!(
        install_with_stand_in_cargo(&f, &[]),
        2,
        "changed source: built again"
    );
    // A site in its own repository: the pinned revision decides.
    std::fs::remove_file(f.path("Cargo.toml")).expect("remove");
    let pinned = |rev| {
        [
            ("TEBIKI_GIT", "https://example.org/tebiki.git"),
            ("TEBIKI_REV", rev),
        ]
    };
    assert_eq!(
        install_with_stand_in_cargo(&f, &pinned("v1")),
        3,
        "pinned: built"
    );
    assert_eq!(
        install_with_stand_in_cargo(&f, &pinned("v1")),
        3,
        "same pin: cached"
    );
    assert_eq!(
        install_with_stand_in_cargo(&f, &pinned("v2")),
        4,
        "new pin: built again"
    );
}

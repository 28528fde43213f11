//! `tebiki check` as a CI gate: lint levels from book.toml and sections, `--deny warnings`,
//! `--explain`, the GitHub and SARIF formats, and one run that reports config, content and
//! template errors together.

use serde_json::{Value, json};

use crate::common::{BOOK, Fixture, assert_snapshot};

/// A small English site: a home page linking to one guide, and a `reference/` section whose
/// page nothing links to. No page cites sources.
fn site(book: &str, reference_index: &str) -> Fixture {
    let f = Fixture::with_book(book);
    f.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nSee [the guide](guides/a.md).\n",
    );
    f.write("content/guides/_index.md", "---\ntitle: Guides\n---\n");
    f.write("content/guides/a.md", "---\ntitle: A\n---\nText.\n");
    f.write("content/reference/_index.md", reference_index);
    f.write("content/reference/r.md", "---\ntitle: R\n---\nText.\n");
    f
}

/// `(severity, code, file)` of every diagnostic `check --format json` reports, and the exit
/// code.
fn check_json(f: &Fixture, extra: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let run = f.run(&args);
    let list: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    let mut out: Vec<_> = list
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap_or("").to_string(),
                d["code"].as_str().unwrap_or("").to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    (run.code, out)
}

fn t(severity: &str, code: &str, file: &str) -> (String, String, String) {
    (severity.into(), code.into(), file.into())
}

#[test]
fn default_levels_warn() {
    let f = site(BOOK, "---\ntitle: Reference\n---\n");
    let (code, found) = check_json(&f, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        found,
        [
            t("warning", "no-sources", "content/guides/a.md"),
            t("warning", "no-sources", "content/reference/r.md"),
            // The guide is linked from the home page's intro; the reference page from nowhere.
            t("warning", "orphan", "content/reference/r.md"),
        ]
    );
}

#[test]
fn book_levels_and_section_levels() {
    let book = format!("{BOOK}\n[check.levels]\norphan = \"allow\"\nno-sources = \"deny\"\n");
    let f = site(
        &book,
        "---\ntitle: Reference\nlevels:\n  no-sources: allow\n---\n",
    );
    let (code, found) = check_json(&f, &[]);
    assert_eq!(code, 1, "a denied code fails the check");
    assert_eq!(found, [t("error", "no-sources", "content/guides/a.md")]);

    // A section's level reaches the sections inside it; the innermost one wins.
    f.write(
        "content/reference/deep/_index.md",
        "+++\ntitle = \"Deep\"\n[levels]\nno-sources = \"warn\"\n+++\n",
    );
    f.write("content/reference/deep/d.md", "---\ntitle: D\n---\n");
    f.write("content/reference/deep/e.md", "---\ntitle: E\n---\n");
    f.write(
        "content/reference/deeper/_index.md",
        "---\ntitle: Deeper\n---\n",
    );
    f.write("content/reference/deeper/x.md", "---\ntitle: X\n---\n");
    let (_, found) = check_json(&f, &[]);
    assert_eq!(
        found,
        [
            t("error", "no-sources", "content/guides/a.md"),
            t("warning", "no-sources", "content/reference/deep/d.md"),
            t("warning", "no-sources", "content/reference/deep/e.md"),
        ]
    );
}

#[test]
fn deny_warnings_makes_every_warning_fatal() {
    let f = site(BOOK, "---\ntitle: Reference\n---\n");
    for flag in [
        &["--deny", "warnings"][..],
        &["-D", "warnings"],
        &["-Dwarnings"],
    ] {
        let (code, found) = check_json(&f, flag);
        assert_eq!(code, 1, "{flag:?}");
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|(s, _, _)| s == "error"), "{found:?}");
    }
    // An allowed code stays allowed.
    let book = format!("{BOOK}\n[check.levels]\norphan = \"allow\"\nno-sources = \"allow\"\n");
    let f = site(&book, "---\ntitle: Reference\n---\n");
    assert_eq!(check_json(&f, &["-D", "warnings"]), (0, vec![]));
    let run = f.run(&["check", "--deny", "everything"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn unknown_codes_and_levels_are_errors_with_suggestions() {
    let book = format!(
        "{BOOK}\n[check.levels]\norphn = \"allow\"\nno-sources = \"never\"\nbroken-link = \"allow\"\n"
    );
    let f = site(
        &book,
        "---\ntitle: Reference\nlevels:\n  unused-trem: allow\n  orphan: warn\n---\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_snapshot("check/unknown_codes_and_levels.txt", &run.stdout);
}

#[test]
fn every_code_is_explained() {
    for info in tebiki::diag::codes::ALL {
        let f = Fixture::new();
        let run = f.run(&["check", "--explain", info.name]);
        assert_eq!(run.code, 0, "{}: {}", info.name, run.stderr);
        assert!(run.stdout.starts_with(&format!("{}: ", info.name)));
        assert!(run.stdout.contains("Fix:"), "{}", run.stdout);
        assert!(
            run.stdout
                .contains(&format!("Default level: {}", info.default.name())),
            "{}",
            run.stdout
        );
    }
    let run = Fixture::new().run(&["check", "--explain", "orphn"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `orphan`?"),
        "{}",
        run.stderr
    );
}

/// The README's example of a section's `levels`, copied as it stands, does what it says.
#[test]
fn the_readme_section_levels_example_works_when_copied() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let after = readme
        .split_once("In `content/reference/_index.md`:\n\n```yaml\n")
        .expect("the README shows a section's levels")
        .1;
    let example = &after[..after.find("```").expect("the example ends")];
    let f = site(BOOK, example);
    let (code, found) = check_json(&f, &[]);
    assert_eq!(code, 0, "{found:?}");
    assert!(
        !found.contains(&t("warning", "no-sources", "content/reference/r.md")),
        "{found:?}"
    );
    assert!(found.contains(&t("warning", "no-sources", "content/guides/a.md")));
}

#[test]
fn readme_lists_every_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    for info in tebiki::diag::codes::ALL {
        let row = format!("| `{}` | {} |", info.name, info.default.name());
        assert!(readme.contains(&row), "README lacks the row `{row}`");
    }
}

/// A site with one broken link, one broken anchor and warnings, with `%`, `,` and `:` in what
/// is printed.
fn gate_site() -> Fixture {
    let f = Fixture::with_book(BOOK);
    f.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n[x](guides/a.md)\n",
    );
    f.write(
        "content/guides/a.md",
        "---\ntitle: A\nsources:\n  - title: S\n---\n# Growth: 50%, then more\n\nSee [b](b.md) and [it](a.md#growth-50-then).\n",
    );
    f.write(
        "content/guides/q,a.md",
        "---\ntitle: Q\nsources:\n  - title: S\n---\nSee [the 50% page](50%.md).\n[](a.md)\n",
    );
    f
}

#[test]
fn github_format_is_workflow_commands() {
    let f = gate_site();
    let run = f.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        concat!(
            "::error file=content/guides/a.md,line=8,col=5,title=tebiki broken-link::link to `b.md`, which does not exist\n",
            "::error file=content/guides/a.md,line=8,col=19,title=tebiki missing-anchor::`#growth-50-then` is not a heading id on this page%0Ahelp: did you mean `growth-50-then-more`?\n",
            "::warning file=content/guides/q%2Ca.md,line=2,col=1,title=tebiki orphan::no other page links to this page%0Ahelp: link to it from another page or a section's intro, or list it under `related` (a book read in order can set `orphan = \"allow\"` under [check.levels])\n",
            "::error file=content/guides/q%2Ca.md,line=6,col=5,title=tebiki broken-link::link to `50%25.md`, which does not exist\n",
        )
    );
    let run = f.run(&["check", "--format", "github", "-D", "warnings"]);
    assert_eq!(run.code, 1);
}

/// The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that a log of tebiki's
/// touches, with the same types, required properties and enums.
fn sarif_subset_schema() -> Value {
    let message = json!({
        "type": "object",
        "required": ["text"],
        "properties": { "text": { "type": "string" } }
    });
    let descriptor = json!({
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": { "type": "string" },
            "shortDescription": message,
            "fullDescription": message,
            "help": message,
            "defaultConfiguration": {
                "type": "object",
                "properties": {
                    "level": { "enum": ["none", "note", "warning", "error"] }
                }
            }
        }
    });
    let region = json!({
        "type": "object",
        "properties": {
            "startLine": { "type": "integer", "minimum": 1 },
            "startColumn": { "type": "integer", "minimum": 1 }
        }
    });
    let location = json!({
        "type": "object",
        "properties": {
            "physicalLocation": {
                "type": "object",
                "properties": {
                    "artifactLocation": {
                        "type": "object",
                        "properties": { "uri": { "type": "string", "format": "uri-reference" } }
                    },
                    "region": region
                }
            }
        }
    });
    let result = json!({
        "type": "object",
        "required": ["message"],
        "properties": {
            "ruleId": { "type": "string" },
            "ruleIndex": { "type": "integer", "minimum": -1 },
            "level": { "enum": ["none", "note", "warning", "error"] },
            "message": message,
            "locations": { "type": "array", "items": location }
        }
    });
    json!({
        "type": "object",
        "required": ["version", "runs"],
        "properties": {
            "$schema": { "type": "string", "format": "uri" },
            "version": { "enum": ["2.1.0"] },
            "runs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["tool"],
                    "properties": {
                        "tool": {
                            "type": "object",
                            "required": ["driver"],
                            "properties": {
                                "driver": {
                                    "type": "object",
                                    "required": ["name"],
                                    "properties": {
                                        "name": { "type": "string" },
                                        "version": { "type": "string" },
                                        "rules": { "type": "array", "items": descriptor }
                                    }
                                }
                            }
                        },
                        "columnKind": { "enum": ["utf16CodeUnits", "unicodeCodePoints"] },
                        "results": { "type": "array", "items": result }
                    }
                }
            }
        }
    })
}

/// Validates `value` against the JSON Schema keywords the subset uses: `type`, `required`,
/// `properties`, `items`, `enum`, `minimum`, and `format: uri-reference` (no spaces and no
/// characters outside ASCII). Returns each violation with its JSON pointer.
fn validate(schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(ty) = schema["type"].as_str() {
        let ok = match ty {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{at}: not {ty}"));
            return;
        }
    }
    if let Some(options) = schema["enum"].as_array()
        && !options.contains(value)
    {
        errors.push(format!("{at}: {value} not in {options:?}"));
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_i64(), value.as_i64())
        && n < min
    {
        errors.push(format!("{at}: {n} < {min}"));
    }
    if schema["format"] == "uri-reference"
        && let Some(s) = value.as_str()
        && s.chars().any(|c| !c.is_ascii() || c == ' ')
    {
        errors.push(format!("{at}: `{s}` is not a URI reference"));
    }
    for key in schema["required"].as_array().into_iter().flatten() {
        let key = key.as_str().unwrap_or("");
        if value.get(key).is_none() {
            errors.push(format!("{at}: `{key}` is required"));
        }
    }
    if let (Some(props), Some(obj)) = (schema["properties"].as_object(), value.as_object()) {
        for (key, sub) in props {
            if let Some(v) = obj.get(key) {
                validate(sub, v, &format!("{at}/{key}"), errors);
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, v) in list.iter().enumerate() {
            validate(items, v, &format!("{at}/{i}"), errors);
        }
    }
}

#[test]
fn sarif_format_matches_the_schema() {
    let f = gate_site();
    f.write("content/guides/ガイド.md", "---\ntitle: G\n---\n");
    let run = f.run(&["check", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let mut errors = Vec::new();
    validate(&sarif_subset_schema(), &log, "", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator catches what it should.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    let mut caught = Vec::new();
    validate(&sarif_subset_schema(), &broken, "", &mut caught);
    assert_eq!(caught.len(), 2, "{caught:#?}");

    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "tebiki");
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), tebiki::diag::codes::ALL.len());
    let results = run0["results"].as_array().expect("results");
    let broken_link = results
        .iter()
        .find(|r| r["ruleId"] == "broken-link")
        .expect("broken-link result");
    assert_eq!(
        broken_link,
        &json!({
            "ruleId": "broken-link",
            "ruleIndex": rules.iter().position(|r| r["id"] == "broken-link"),
            "level": "error",
            "message": { "text": "link to `b.md`, which does not exist" },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": "content/guides/a.md" },
                    "region": { "startLine": 8, "startColumn": 5 }
                }
            }]
        })
    );
    let anchor = results
        .iter()
        .find(|r| r["ruleId"] == "missing-anchor")
        .expect("missing-anchor result");
    assert_eq!(
        anchor["message"]["text"],
        "`#growth-50-then` is not a heading id on this page (help: did you mean `growth-50-then-more`?)"
    );
    let uris: Vec<&str> = results
        .iter()
        .filter(|r| r["ruleId"] == "orphan" && r["level"] == "warning")
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert_eq!(
        uris,
        [
            "content/guides/q%2Ca.md",
            "content/guides/%E3%82%AC%E3%82%A4%E3%83%89.md"
        ]
    );
}

#[test]
fn one_run_reports_book_toml_and_content_errors() {
    let book = BOOK.replace("description =", "descripton =");
    let f = site(&book, "---\ntitle: Reference\n---\n[x](nowhere.md)\n");
    let (code, found) = check_json(&f, &[]);
    assert_eq!(code, 1);
    assert!(
        found.contains(&t("error", "unknown-key", "book.toml")),
        "{found:?}"
    );
    assert!(
        found.contains(&t("error", "broken-link", "content/reference/_index.md")),
        "{found:?}"
    );
    // A value that is wrong, or of the wrong type, is replaced by its default for the rest of
    // the run.
    for build in ["output_dir = \"../out\"", "drafts = \"yes\""] {
        let book = BOOK.replace(
            "[languages.en]",
            &format!("[build]\n{build}\n\n[languages.en]"),
        );
        let f = site(&book, "---\ntitle: Reference\n---\n[x](nowhere.md)\n");
        let (_, found) = check_json(&f, &[]);
        assert!(
            found.contains(&t("error", "config", "book.toml")),
            "{build}: {found:?}"
        );
        assert!(
            found.contains(&t("error", "broken-link", "content/reference/_index.md")),
            "{build}: {found:?}"
        );
    }
    // A file that is not TOML still stops the run: nothing can be read with it.
    let f = site("[book\n", "---\ntitle: Reference\n---\n");
    let (code, found) = check_json(&f, &[]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn build_reports_template_errors_with_content_errors() {
    let f = Fixture::bilingual();
    f.write(
        "themes/default/templates/taxonomy_term.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ term.nmae }}</p>\n{% endblock content %}\n",
    );
    f.write(
        "content/guides/broken.md",
        "---\ntitle: Broken\n---\n[x](nowhere.md)\n",
    );
    let stderr = f.build_err();
    assert!(stderr.contains("error[broken-link]"), "{stderr}");
    assert!(stderr.contains("error[template]"), "{stderr}");
    let check = f.run(&["check"]);
    let count = |text: &str, what: &str| text.matches(what).count();
    assert_eq!(
        count(&stderr, "error[template]"),
        count(&check.stdout, "error[template]"),
        "build and check report the same template errors:\n{stderr}\n{}",
        check.stdout
    );
}

#[test]
fn levels_apply_to_build_too() {
    let page = "---\ntitle: Home\n---\n<div>raw</div>\n";
    let f = Fixture::with_book(BOOK);
    f.write("content/_index.md", page);
    let run = f.build_ok(&[]);
    assert!(run.stderr.contains("warning[raw-html]"), "{}", run.stderr);

    let f = Fixture::with_book(&format!("{BOOK}\n[check.levels]\nraw-html = \"allow\"\n"));
    f.write("content/_index.md", page);
    let run = f.build_ok(&[]);
    assert!(!run.stderr.contains("raw-html"), "{}", run.stderr);

    let f = Fixture::with_book(&format!("{BOOK}\n[check.levels]\nraw-html = \"deny\"\n"));
    f.write("content/_index.md", page);
    let stderr = f.build_err();
    assert!(stderr.contains("error[raw-html]"), "{stderr}");
    assert!(!f.path("public").exists());
}

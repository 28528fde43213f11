//! The template contract stays documented: every type a template sees is named in
//! `docs/templates.md`.

use std::path::Path;

#[test]
fn every_template_data_type_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read_to_string(root.join("src/pipeline/render/data.rs")).expect("data.rs");
    let docs = std::fs::read_to_string(root.join("docs/templates.md")).expect("templates.md");
    let undocumented: Vec<&str> = data
        .lines()
        .filter_map(|l| l.strip_prefix("pub struct "))
        .filter_map(|l| l.split(['<', ' ', '{']).next())
        .filter(|name| !docs.contains(&format!("`{name}`")))
        .collect();
    assert!(
        undocumented.is_empty(),
        "docs/templates.md does not name {undocumented:?}"
    );
}

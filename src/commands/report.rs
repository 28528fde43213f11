//! The machine-readable forms of a check's report: GitHub Actions workflow commands and
//! SARIF 2.1.0, for code-scanning tools.

use serde_json::{Value, json};

use crate::diag::codes::{self, Level};
use crate::diag::{Diagnostic, Severity};

/// One GitHub Actions workflow command per diagnostic
/// (`::error file=…,line=…,col=…,title=…::message`), so each shows on the pull request's
/// line. The suggestion follows the message on its own line.
pub fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = vec![format!("file={}", escape_property(&d.file))];
        if d.line > 0 {
            props.push(format!("line={}", d.line));
            if d.column > 0 {
                props.push(format!("col={}", d.column));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("tebiki {}", d.code))
        ));
        let mut message = d.message.clone();
        if let Some(help) = &d.suggestion {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

/// The escaping GitHub's toolkit applies to a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The escaping GitHub's toolkit applies to a command's property values: the message's, and
/// `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The report as a SARIF 2.1.0 log: one run, every diagnostic code as a rule (with its
/// explanation), one result per diagnostic. Locations are relative to the site root.
pub fn sarif(diagnostics: &[Diagnostic]) -> Value {
    let rules: Vec<Value> = codes::ALL
        .iter()
        .map(|info| {
            json!({
                "id": info.name,
                "shortDescription": { "text": info.summary },
                "fullDescription": { "text": info.explanation },
                "help": { "text": info.explanation },
                "defaultConfiguration": { "level": sarif_level(info.default) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.suggestion {
                text.push_str(" (help: ");
                text.push_str(help);
                text.push(')');
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&d.file) },
                }
            });
            if d.line > 0 {
                let mut region = json!({ "startLine": d.line });
                if d.column > 0 {
                    region["startColumn"] = json!(d.column);
                }
                location["physicalLocation"]["region"] = region;
            }
            json!({
                "ruleId": d.code.name(),
                "ruleIndex": d.code as usize,
                "level": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "message": { "text": text },
                "locations": [location],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "tebiki",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Allow => "none",
        Level::Warn => "warning",
        Level::Deny => "error",
    }
}

/// A relative path as a URI reference: `/` kept, anything outside the unreserved set
/// percent-encoded (Japanese file names included).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(
            uri("content/ガイド a.md"),
            "content/%E3%82%AC%E3%82%A4%E3%83%89%20a.md"
        );
    }
}

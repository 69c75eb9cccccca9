//! Shell completions (issue 11, item 3): `tribute completions SHELL` for bash, zsh, fish,
//! powershell and elvish. The bash script is sourced in bash and asked what it completes, so a
//! command offers exactly the values it accepts; the other shells' scripts are checked for
//! syntax where the shell is installed (skipped with a note otherwise).

use std::process::Command;

use crate::common::{ok, stderr};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tribute")
}

/// What bash completes after `words` (the last one being completed), with the script sourced.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let line: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source <('{bin}' completions bash) || exit 3\n\
         COMP_WORDS=({words}); COMP_CWORD={last}\n\
         _tribute tribute \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        bin = bin(),
        words = line.join(" "),
        last = words.len() - 1,
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{words:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_sources_the_script_and_completes_what_each_command_accepts() {
    let out = Command::new("bash")
        .args([
            "-c",
            &format!(
                "source <('{}' completions bash) && complete -p tribute",
                bin()
            ),
        ])
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("-F _tribute") && said.trim_end().ends_with(" tribute"),
        "{said}"
    );
    assert_eq!(
        bash_completes(&["tribute", "ledger", "--format", ""]),
        ["table", "csv", "json", "markdown"]
    );
    assert_eq!(
        bash_completes(&["tribute", "export", "--format", ""]),
        ["hledger", "ledger", "beancount"]
    );
    assert_eq!(bash_completes(&["tribute", "led"]), ["ledger"]);
    let shells: Vec<String> = bash_completes(&["tribute", "completions", ""])
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    assert_eq!(shells, ["bash", "elvish", "fish", "powershell", "zsh"]);
    let chart = bash_completes(&["tribute", "chart", "burden", "--"]);
    assert!(chart.iter().any(|o| o == "--output"), "{chart:?}");
    assert!(!chart.iter().any(|o| o == "--format"), "{chart:?}");
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for (shell, checker) in [
        ("bash", Some(("bash", "-n"))),
        ("zsh", Some(("zsh", "-n"))),
        ("fish", Some(("fish", "--no-execute"))),
        ("powershell", None),
        ("elvish", None),
    ] {
        let script = ok(&["completions", shell]);
        // (fish writes options without their dashes; powershell and elvish complete no values.)
        for word in ["ledger", "chart", "burden", "commodity", "columns"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
        let Some((tool, flag)) = checker else {
            continue;
        };
        let file = tempfile::NamedTempFile::new().expect("a file");
        std::fs::write(file.path(), &script).expect("written");
        match Command::new(tool).arg(flag).arg(file.path()).output() {
            Ok(out) => assert!(out.status.success(), "{shell}: {}", stderr(&out)),
            Err(_) => {
                eprintln!("note: {tool} is not installed; its script's syntax is not checked")
            }
        }
    }
    let out = crate::common::run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

//! `dangke completions` and `dangke man`, built from the Chinese command
//! line.

use crate::test::Test;

const COMMANDS: &[&str] = &[
    "study",
    "quiz",
    "check",
    "contest",
    "contests",
    "decks",
    "cards",
    "learners",
    "stats",
    "optimize",
    "db",
    "grade",
    "schema",
    "completions",
    "man",
];

#[test]
fn bash_completion_names_every_command() {
    let out = Test::new().args(["completions", "bash"]).status(0).run();
    assert!(out.stdout.contains("complete -F _dangke"), "{}", out.stdout);
    for command in COMMANDS {
        assert!(
            out.stdout.contains(&format!("dangke,{command})")),
            "bash completion lacks {command}"
        );
    }
}

/// The script really completes, in a real bash: `dangke st<Tab>` offers
/// study and stats, `dangke completions <Tab>` the shells.
#[cfg(unix)]
#[test]
fn bash_completion_completes_in_bash() {
    let t = Test::new().args(["completions", "bash"]);
    let script = t.path("dangke.bash");
    let out = t.run();
    std::fs::write(&script, &out.stdout).unwrap();
    let complete = |words: &str| -> String {
        let program = format!(
            "source '{script}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _dangke dangke \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let output = std::process::Command::new("bash")
            .args(["--norc", "-c", &program])
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let st = complete("dangke st");
    assert!(
        st.lines().any(|l| l == "study") && st.lines().any(|l| l == "stats"),
        "{st}"
    );
    assert!(!st.lines().any(|l| l == "quiz"), "{st}");
    let shells = complete("dangke completions ''");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.lines().any(|l| l == shell), "{shells}");
    }
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, marker) in [
        ("zsh", "#compdef dangke"),
        ("fish", "complete -c dangke"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[dangke]"),
    ] {
        let out = Test::new().args(["completions", shell]).status(0).run();
        assert!(out.stdout.contains(marker), "{shell}: {}", out.stdout);
        // The Chinese help is what the shells show beside the choices.
        if shell != "bash" {
            assert!(
                out.stdout.contains("检查卡组文件"),
                "{shell} lacks descriptions"
            );
        }
    }
}

#[test]
fn unknown_shell_is_a_usage_error_in_chinese() {
    Test::new()
        .args(["completions", "cmd.exe"])
        .stderr_has("可选：bash、elvish、fish、powershell、zsh")
        .status(2)
        .run();
}

#[test]
fn man_page_is_roff_with_chinese_sections() {
    let out = Test::new()
        .args(["man"])
        .stdout_has(".TH dangke 1")
        .stdout_has("党课学习卡：间隔重复学习、自测与知识竞赛")
        .stdout_has(".SH 名称")
        .stdout_has(".SH 选项")
        .stdout_has("[默认：auto]")
        .stdout_lacks(".SH NAME")
        .stdout_lacks("Possible values")
        .status(0)
        .run();
    for command in COMMANDS {
        assert!(
            out.stdout.contains(&format!("dangke\\-{command}(1)")),
            "the page lists dangke-{command}(1)"
        );
    }
}

#[test]
fn man_out_writes_a_page_per_command() {
    let t = Test::new().args(["man", "-o", "man/man1"]);
    let dir = t.path("man/man1");
    let _out = t.stdout_has("dangke-db-backup.1").status(0).run();
    let study = std::fs::read_to_string(format!("{dir}/dangke-study.1")).unwrap();
    assert!(study.contains(".TH dangke-study 1"), "{study}");
    assert!(study.contains("按间隔重复复习到期的卡片"), "{study}");
    assert!(study.contains("\\-\\-mistakes"), "{study}");
    for command in COMMANDS {
        assert!(
            std::path::Path::new(&format!("{dir}/dangke-{command}.1")).exists(),
            "dangke-{command}.1"
        );
    }
    assert!(std::path::Path::new(&format!("{dir}/dangke.1")).exists());
}

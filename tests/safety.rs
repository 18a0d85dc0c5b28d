//! Safe around people: a user's files survive `--out`, a killed run never loses the outputs,
//! names cannot drive a terminal or break a file, and closed pipes or devices end runs cleanly.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{certplan, read_records, repo};

fn scenario_text() -> String {
    fs::read_to_string(repo().join("scenarios/saas-startup.toml")).unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A project folder as a user has it: the scenario, a repository and a file of their own.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("proj");
    fs::create_dir_all(proj.join(".git/objects")).unwrap();
    fs::write(proj.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(proj.join("acme.toml"), scenario_text()).unwrap();
    fs::write(proj.join("thesis.docx"), "years of work").unwrap();
    (dir, proj)
}

fn refuses(args: &[&std::ffi::OsStr], cwd: &Path) -> String {
    let assert = certplan().current_dir(cwd).args(args).assert().code(1);
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn a_folder_with_user_files_a_repository_and_the_scenario_survives_out() {
    let (_dir, proj) = project();
    let before = names(&proj);
    for command in ["plan", "compare"] {
        let stderr = refuses(
            &[
                command.as_ref(),
                proj.join("acme.toml").as_os_str(),
                "--out".as_ref(),
                proj.as_os_str(),
            ],
            &proj,
        );
        assert!(stderr.contains("will not write the outputs"), "{stderr}");
        assert!(stderr.contains("--out"), "says what to do: {stderr}");
        assert_eq!(names(&proj), before);
        assert_eq!(
            fs::read_to_string(proj.join("thesis.docx")).unwrap(),
            "years of work"
        );
        assert!(proj.join(".git/HEAD").is_file());
    }
}

#[test]
fn a_folder_of_documents_is_refused_and_named_files_listed() {
    let (dir, proj) = project();
    let docs = dir.path().join("Documents");
    fs::create_dir_all(docs.join("photos")).unwrap();
    fs::write(docs.join("thesis.pdf"), "x").unwrap();
    let stderr = refuses(
        &[
            "plan".as_ref(),
            proj.join("acme.toml").as_os_str(),
            "--out".as_ref(),
            docs.as_os_str(),
        ],
        dir.path(),
    );
    assert!(stderr.contains("thesis.pdf"), "{stderr}");
    assert_eq!(names(&docs), ["photos", "thesis.pdf"]);
    assert_eq!(
        names(dir.path()),
        ["Documents", "proj"],
        "nothing written beside it"
    );
}

#[test]
fn the_working_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    fs::write(work.join("notes.txt"), "mine").unwrap();
    let scenario = dir.path().join("acme.toml");
    fs::write(&scenario, scenario_text()).unwrap();
    for out in [".", "..", "../work"] {
        let stderr = refuses(
            &[
                "plan".as_ref(),
                scenario.as_os_str(),
                "--out".as_ref(),
                out.as_ref(),
            ],
            &work,
        );
        assert!(stderr.contains("working folder"), "{out}: {stderr}");
    }
    assert_eq!(names(&work), ["notes.txt"]);
}

#[test]
fn a_folder_certplan_wrote_is_replaced_and_a_symlinked_out_writes_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/saas-startup.toml");
    let real = dir.path().join("real");
    certplan()
        .arg("plan")
        .arg(&scenario)
        .arg("--out")
        .arg(&real)
        .assert()
        .success();
    assert!(real.join(".certplan-output").is_file());
    fs::write(real.join("stale.csv"), "from an older run").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    certplan()
        .arg("plan")
        .arg(&scenario)
        .arg("--out")
        .arg(&link)
        .assert()
        .success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(real.join("summary.csv").is_file());
    assert!(
        !real.join("stale.csv").exists(),
        "the whole folder is replaced"
    );
    assert_eq!(
        names(dir.path()),
        ["link", "real"],
        "no staging left behind"
    );
}

/// Runs `plan` into `out` paused at `step`, kills it there, and returns once it is dead.
fn kill_at(step: &str, out: &Path, no_exchange: bool) {
    let signal = out.with_extension("paused");
    let _ = fs::remove_file(&signal);
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("certplan"));
    command
        .arg("plan")
        .arg(repo().join("scenarios/saas-startup.toml"))
        .arg("--out")
        .arg(out)
        .env("CERTPLAN_TEST_PAUSE_AT", step)
        .env("CERTPLAN_TEST_PAUSE_SIGNAL", &signal)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if no_exchange {
        command.env("CERTPLAN_TEST_NO_EXCHANGE", "1");
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    while !signal.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "never reached {step}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    fs::remove_file(&signal).unwrap();
}

fn outputs_present(out: &Path) -> bool {
    out.join("summary.csv").is_file() && out.join(".certplan-output").is_file()
}

#[test]
fn a_run_killed_at_any_step_of_the_swap_leaves_old_or_new_outputs_and_the_next_run_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = repo().join("scenarios/saas-startup.toml");
    let run = || {
        certplan()
            .arg("plan")
            .arg(&scenario)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    };
    run();
    for (step, no_exchange) in [
        ("before-swap", false),
        ("after-swap", false),
        ("before-swap", true),
        ("between-renames", true),
    ] {
        kill_at(step, &out, no_exchange);
        let leftovers: Vec<String> = names(dir.path())
            .into_iter()
            .filter(|n| n.starts_with(".certplan-"))
            .collect();
        if step == "between-renames" {
            // The fallback's one window: the previous outputs wait beside it to be put back.
            assert!(!out.exists());
            assert!(leftovers.iter().any(|n| n.starts_with(".certplan-old-")));
        } else {
            assert!(
                outputs_present(&out),
                "{step}: old or new outputs are there"
            );
        }
        run();
        assert!(outputs_present(&out), "{step}");
        assert_eq!(
            names(dir.path()),
            ["out"],
            "{step}: the next run cleaned up"
        );
    }
}

#[test]
fn the_next_run_puts_back_outputs_a_killed_run_moved_aside_even_when_it_fails_itself() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    certplan()
        .arg("plan")
        .arg(repo().join("scenarios/saas-startup.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    kill_at("between-renames", &out, true);
    assert!(!out.exists());
    // Another scenario into a sibling folder recovers the neighbour too.
    certplan()
        .arg("plan")
        .arg(repo().join("scenarios/saas-startup.toml"))
        .arg("--out")
        .arg(dir.path().join("other"))
        .assert()
        .success();
    assert!(outputs_present(&out));
    assert_eq!(names(dir.path()), ["other", "out"]);
}

fn with_programme_name(name_literal: &str) -> String {
    let text = scenario_text();
    let line = text
        .lines()
        .find(|l| l.starts_with("name = "))
        .unwrap()
        .to_string();
    text.replacen(&line, &format!("name = {name_literal}"), 1)
}

fn rejected(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    fs::write(&path, text).unwrap();
    let assert = certplan()
        .arg("plan")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    assert!(!dir.path().join("out").exists(), "no partial output");
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn control_characters_in_names_and_descriptions_are_refused_naming_the_key() {
    for (literal, shown) in [
        (r#""Acme\u001b[2J""#, "U+001B"),
        (r#""Acme\u0000""#, "U+0000"),
        (r#""Acme\b""#, "U+0008"),
        (r#""Acme\uFFFE""#, "U+FFFE"),
        (r#""Acme\u202Eevil""#, "U+202E"),
        (r#""Acme\u009b""#, "U+009B"),
    ] {
        let stderr = rejected(&with_programme_name(literal));
        assert!(stderr.contains("programme.name"), "{stderr}");
        assert!(stderr.contains(shown), "{stderr}");
        assert!(
            !stderr.chars().any(|c| c.is_control() && c != '\n'),
            "no raw control character reaches the terminal: {stderr:?}"
        );
    }
    let text = scenario_text().replacen(
        "description = \"",
        "description = \"\\u001b]0;pwned\\u0007",
        1,
    );
    let stderr = rejected(&text);
    assert!(stderr.contains(".description"), "{stderr}");
}

#[test]
fn messages_quote_long_and_hostile_lines_escaped_and_short() {
    let hostile = format!("\u{1b}[31m{} = 1\n", "k".repeat(100_000));
    let text = scenario_text().replacen("[soc2]\n", &format!("[soc2]\n{hostile}"), 1);
    let stderr = rejected(&text);
    assert!(stderr.len() < 2_000, "{} bytes of stderr", stderr.len());
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains("\\u{1b}"), "{stderr}");
}

#[test]
fn accepted_names_keep_svg_html_and_csv_well_formed() {
    let name = r#"Ünïcode & <blink>"Quotes"</blink> 'n' ]]> — €"#;
    let text = with_programme_name(&format!("'''{name}'''"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    certplan()
        .arg("plan")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for svg in names(&out).iter().filter(|n| n.ends_with(".svg")) {
        let text = fs::read_to_string(out.join(svg)).unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{svg}: {e}"));
    }
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let mut emitter = html5gum::DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut texts = String::new();
    for token in html5gum::Tokenizer::new_with_emitter(html.as_str(), emitter) {
        match token.unwrap() {
            html5gum::Token::Error(e) => panic!("report.html is not well-formed HTML: {e:?}"),
            html5gum::Token::StartTag(tag) => {
                assert_ne!(&tag.name[..], b"blink", "the name's markup stays text");
            }
            html5gum::Token::String(s) => texts.push_str(&String::from_utf8_lossy(&s)),
            _ => {}
        }
    }
    assert!(texts.contains(name), "the name is shown as written");
    let summary = read_records(&out.join("summary.csv"));
    assert!(!summary.is_empty());
}

#[test]
fn a_closed_standard_output_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("certplan"))
        .arg("compare")
        .arg(repo().join("scenarios/saas-startup.toml"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -0`: the reader goes away before anything is written.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("error") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn a_full_standard_output_is_an_error_not_a_panic() {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(assert_cmd::cargo::cargo_bin("certplan"))
        .arg("validate")
        .arg(repo().join("scenarios/saas-startup.toml"))
        .current_dir(dir.path())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write to standard output"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn devices_and_folders_are_refused_without_reading_them() {
    for path in ["/dev/zero", "/dev/urandom", "/tmp"] {
        certplan()
            .args(["validate", path])
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("not a regular file"));
    }
}

#[test]
fn a_one_month_horizon_keeps_what_january_pays_for_later_work() {
    let text = r#"
[programme]
name = "One month"
start = "2027-01"
horizon_months = 1
currency = "USD"
headcount = 40

[iso27001]
audit_fees_paid = "on_booking"
booking_lead_months = 12
operation_before_stage1_months = 1
implementation_months = 1
gap_assessment_months = 1

[[plan]]
name = "iso"
frameworks = [{ name = "iso27001" }]
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    certplan()
        .arg("plan")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let rows = read_records(&out.join("monthly_costs.csv"));
    let amount = |category: &str| {
        rows.iter()
            .find(|r| r["category"] == category && r["month"] == "2027-01")
            .map(|r| r["amount"].clone())
    };
    // Readiness consulting spread over gap assessment (January) and implementation (February):
    // January pays its half.
    assert_eq!(amount("readiness_consulting").as_deref(), Some("10000.00"));
    // Stage 1 in April, booked 12 months ahead: the application fee and the audit fees are
    // paid on booking, moved to the framework's start, January.
    let fees = amount("fees_and_travel").expect("application fee in January");
    assert_eq!(fees, "1000.00");
    assert!(
        amount("audit_fees").is_some(),
        "audit fees booked in January"
    );
    // The schedule shows only what starts inside the horizon.
    let schedule = read_records(&out.join("schedule.csv"));
    assert!(schedule.iter().all(|r| r["start"].as_str() <= "2027-01-31"));
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).unwrap();
                found.push((path.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn a_read_only_output_folder_is_refused_and_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = repo().join("scenarios/saas-startup.toml");
    certplan()
        .arg("plan")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let before = tree(&out);
    // chmod a-w: tests may run as root, whom the bits do not stop; certplan reads them.
    let mode = fs::metadata(&out).unwrap().permissions().mode();
    fs::set_permissions(&out, fs::Permissions::from_mode(mode & !0o222)).unwrap();
    let other = repo().join("scenarios/eu-midsize.toml");
    for command in ["plan", "compare", "risk"] {
        let mut cmd = certplan();
        cmd.arg(command).arg(&other).arg("--out").arg(&out);
        if command == "risk" {
            cmd.args(["--draws", "20"]);
        }
        let stderr = String::from_utf8(cmd.assert().code(1).get_output().stderr.clone()).unwrap();
        assert!(stderr.contains("read-only"), "{command}: {stderr}");
        assert!(stderr.contains("chmod u+w"), "{command}: {stderr}");
    }
    fs::set_permissions(&out, fs::Permissions::from_mode(mode)).unwrap();
    assert_eq!(
        tree(&out),
        before,
        "the folder's files and bytes are unchanged"
    );
    assert_eq!(names(dir.path()), ["out"], "nothing staged beside it");
}

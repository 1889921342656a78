//! The strict input reader (`parse_owned`: a JSON object, no key twice at any depth, bounded
//! nesting, the longest string kept in the input's own buffer) and each command's reading of
//! the object, through the same dispatch as `execute`.
//!
//! Properties: what the reader accepts is exactly what `serde_json` reads, value for value (the
//! long string moved, not changed); what it refuses is `invalid-input` on `input` or on the
//! path of a key given twice; a command refuses input with `invalid-input` naming a parameter
//! of its own, a key the input gave, or `input`/`linkedinVersion`, and then has sent nothing to
//! LinkedIn; no secret comes back.

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedin_connector::commands::{ALL, catalog};
use linkedin_connector::core::input::parse_owned;
use linkedin_connector_fuzz::case::decode_input;
use linkedin_connector_fuzz::checks::{error_problem, leak, request_problem, result_text};
use linkedin_connector_fuzz::env::{Answer, FuzzEnv};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some(case) = decode_input(data) else {
        return;
    };
    let map = match parse_owned(case.input.clone()) {
        Ok(map) => map,
        Err(e) => {
            let field = e.field().expect("invalid-input").to_string();
            assert!(error_problem(&e).is_none(), "{e:?}");
            if field != "input" {
                // A key given twice (reading stops there, whatever follows): the path ends with
                // a key the text holds at least twice, when the text writes it plainly.
                assert!(e.message().contains("more than once"), "{e:?}");
                let key = field.rsplit('.').next().unwrap_or_default();
                let plain = |c: char| c.is_ascii_graphic() && c != '"' && c != '\\';
                if !case.input.contains('\\') && key.chars().all(plain) {
                    let written = format!("{key}\"");
                    assert!(
                        case.input.matches(&written).count() >= 2,
                        "{:?}: {e:?}",
                        case.input
                    );
                }
            }
            return;
        }
    };
    if !case.input.trim().is_empty() {
        match serde_json::from_str::<Value>(&case.input) {
            Ok(Value::Object(expected)) => {
                assert_eq!(map, expected, "{:?}", case.input);
            }
            other => panic!("{:?} read as {map:?}, serde_json: {other:?}", case.input),
        }
    }
    command(case.command, map);
});

fn command(index: usize, map: serde_json::Map<String, Value>) {
    let command = ALL[index];
    let name = command.spec().name;
    let keys: Vec<String> = map.keys().cloned().collect();
    let input_text = Value::Object(map.clone()).to_string();
    let answers = (0..8).map(|_| Answer::Http {
        status: 200,
        headers: Vec::new(),
        body: b"{}".to_vec(),
    });
    let mut env = FuzzEnv::new(answers);
    let result = command.execute(&mut env, map);
    if let Err(e) = &result {
        assert!(error_problem(e).is_none(), "{name}: {e:?}");
        if let Some(field) = e.field() {
            let catalog = catalog();
            let params = catalog
                .commands
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.params.iter().map(|p| p.name.clone()).collect::<Vec<_>>())
                .unwrap_or_default();
            // `name`, or a field inside it (`name.key`, `name[3]`); a key may hold `.` itself.
            let names = |name: &str| {
                field
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            };
            assert!(
                names("input")
                    || names("linkedinVersion")
                    || params.iter().any(|p| names(p))
                    || keys.iter().any(|k| names(k)),
                "{name}: {input_text} refused naming {field:?}: {e:?}"
            );
            let to_linkedin = env
                .sent
                .iter()
                .any(|s| s.uri.host().is_some_and(|h| h.ends_with("linkedin.com")));
            assert!(
                !to_linkedin,
                "{name}: {input_text} refused as invalid-input after a request to LinkedIn: {e:?}"
            );
        }
    }
    // A secret the user typed into the input is theirs to see again.
    if leak(&input_text, &[linkedin_connector_fuzz::checks::TOKEN]).is_none()
        && leak(&input_text, &[linkedin_connector_fuzz::checks::SECRET]).is_none()
    {
        for sent in &env.sent {
            assert_eq!(request_problem(sent), None, "{name}: {input_text}");
        }
        let text = result_text(&result);
        assert_eq!(leak(&text, &env.secrets_read()), None, "{name}: {text}");
    }
}

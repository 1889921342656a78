//! LinkedIn's answers, decoded: a command (any of them; the seeds are the fixtures, so mostly
//! the readers: get-user-info, get-post, list-posts' items and the list-page reader, get-lead,
//! comments, reactions, organizations, media status …) with its input, run through the same
//! dispatch as `execute` against a scripted LinkedIn whose statuses, headers and bodies are
//! fuzzed. Bodies and headers can echo the access token and client secret in every form an
//! API or a proxy may use (`$T0$` … `$S7$`, see the case format).
//!
//! Properties: the output is a JSON object; an error is typed, with a message, and one that
//! reports a LinkedIn status (401, 403, 426, 429) follows an answer with that status; requests
//! go where they may and carry secrets only there; a call makes a bounded number of requests;
//! and no secret the call held comes back, in any reading of the output or error.

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedin_connector::commands::ALL;
use linkedin_connector::core::command::envelope;
use linkedin_connector::core::input::parse_owned;
use linkedin_connector_fuzz::case::decode_answers;
use linkedin_connector_fuzz::checks::{
    SECRET, TOKEN, error_problem, leak, request_problem, result_text,
};
use linkedin_connector_fuzz::env::FuzzEnv;
use serde_json::Value;

/// More requests than any command makes for one input (list-posting-targets' batches of 20
/// organizations and the media polls included).
const MAX_REQUESTS: usize = 64;

fuzz_target!(|data: &[u8]| {
    let Some(case) = decode_answers(data) else {
        return;
    };
    let Ok(map) = parse_owned(case.input.clone()) else {
        return;
    };
    // The input target fuzzes inputs; here a secret in the input would only be echoed back.
    if leak(&case.input, &[TOKEN, SECRET]).is_some() {
        return;
    }
    let command = ALL[case.command];
    let name = command.spec().name;
    let answers = case.answers.len();
    let mut env = FuzzEnv::new(case.answers);
    let result = command.execute(&mut env, map);
    let text = result_text(&result);
    match &result {
        Ok(output) => {
            let value: Value = serde_json::from_str(output).expect("the output is JSON");
            assert!(value.is_object(), "{name}: {output}");
        }
        Err(e) => {
            assert!(error_problem(e).is_none(), "{name}: {e:?}");
            let status = match e.kind() {
                "unauthorized" => Some(401),
                "forbidden" => Some(403),
                "version-retired" => Some(426),
                "rate-limited" => Some(429),
                _ => None,
            };
            if let Some(status) = status {
                assert!(
                    env.served.contains(&status),
                    "{name}: {} without a {status} (served {:?})",
                    e.kind(),
                    env.served
                );
            }
        }
    }
    let enveloped: Value = serde_json::from_str(&envelope(&result)).expect("the envelope is JSON");
    assert!(enveloped.get("ok").is_some() != enveloped.get("error").is_some());
    assert!(
        env.sent.len() < MAX_REQUESTS && env.sent.len() <= answers + 1,
        "{name}: {} requests for {answers} answers",
        env.sent.len()
    );
    for sent in &env.sent {
        assert_eq!(request_problem(sent), None, "{name}");
    }
    assert_eq!(
        leak(&text, &env.secrets_read()),
        None,
        "{name} returned a secret: {text}"
    );
});

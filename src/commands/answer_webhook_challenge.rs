//! answer-webhook-challenge: the answer to LinkedIn's webhook endpoint validation.

use serde::Serialize;

use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::Client;
use crate::core::webhook::{MAX_CHALLENGE_CODE, challenge_response, is_challenge_code};

#[derive(Default)]
pub struct AnswerWebhookChallenge;

crate::input! {
    /// Input of answer-webhook-challenge.
    pub struct Input {
        /// The challengeCode query parameter of LinkedIn's validation request: letters, digits
        /// and -, at most 128 characters (LinkedIn sends a UUID).
        #[param(example = "890e4665-4dfe-4ab1-b689-ed553bceeed0", max_length = 128, pattern = "^[A-Za-z0-9-]+$")]
        pub challenge_code: String,
    }
}

/// The JSON body to send back to LinkedIn's validation request. Mirrors the WIT
/// `challenge-answer` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeAnswer {
    pub challenge_code: String,
    pub challenge_response: String,
}

impl Command for AnswerWebhookChallenge {
    const SPEC: Spec = Spec {
        name: "answer-webhook-challenge",
        title: "Answer webhook challenge",
        description: "Computes the answer to LinkedIn's webhook validation GET \
                      (?challengeCode=...) with the app's client secret. Reply with this output \
                      as JSON, status 200, within 3 seconds. Only LinkedIn's challenge-code shape \
                      is answered, so the command cannot be used to sign anything else.",
        scopes: &[],
        role: "",
        calls: &[],
        versioned: false,
    };
    type Input = Input;
    type Output = ChallengeAnswer;

    fn run(input: Input, api: &mut Client<'_>) -> Result<ChallengeAnswer, Error> {
        let code = input.challenge_code;
        if !is_challenge_code(&code) {
            return Err(Error::invalid(
                "challengeCode",
                format!(
                    "`challengeCode` must be LinkedIn's challenge code: letters, digits and -, at \
                     most {MAX_CHALLENGE_CODE} characters (such as a UUID)."
                ),
            ));
        }
        let secret = api.client_secret()?;
        if secret.is_empty() {
            return Err(Error::credentials(
                "The platform supplied an empty LinkedIn client secret; set the app's client \
                 secret in the datasource to answer webhook challenges.",
            ));
        }
        Ok(ChallengeAnswer {
            challenge_response: challenge_response(&secret, &code),
            challenge_code: code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::pipeline::CredentialError;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    const CHALLENGE: &str = "890e4665-4dfe-4ab1-b689-ed553bceeed0";

    #[test]
    fn answers_with_the_hmac_of_the_code() {
        let out = run::<AnswerWebhookChallenge>(
            &mut ScriptEnv::new(),
            json!({"challengeCode": CHALLENGE}),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"challengeCode": CHALLENGE, "challengeResponse": "8bde2af5ee9529546d2098fc83434bb05aff1104dca629a22f301714626e29b0"})
        );
    }

    #[test]
    fn needs_a_secret_and_a_code_of_linkedins_shape() {
        let code = || json!({"challengeCode": CHALLENGE});
        let mut env = ScriptEnv::new();
        env.secret = Ok("  ".into());
        let err = run::<AnswerWebhookChallenge>(&mut env, code()).unwrap_err();
        assert_eq!(err.kind(), "credentials");
        env.secret = Err(CredentialError::NotConfigured("no secret stored".into()));
        let err = run::<AnswerWebhookChallenge>(&mut env, code()).unwrap_err();
        assert_eq!(err.kind(), "credentials");
        assert!(
            err.message()
                .contains("No LinkedIn client secret is available")
        );
        env.secret = Err(CredentialError::Unavailable("vault timed out".into()));
        let err = run::<AnswerWebhookChallenge>(&mut env, code()).unwrap_err();
        assert!(err.message().contains("vault timed out"), "{err}");
        for bad in [
            "",
            "hmacsha256={\"leadGenFormResponse\":\"x\"}",
            "a b",
            "a=b",
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<AnswerWebhookChallenge>(
                    &mut env,
                    json!({"challengeCode": bad})
                )),
                "challengeCode",
                "{bad}"
            );
        }
    }

    #[test]
    fn the_secret_never_appears() {
        let mut env = ScriptEnv::new();
        env.secret = Ok("super-secret-value".into());
        let out = run::<AnswerWebhookChallenge>(&mut env, json!({"challengeCode": "x"})).unwrap();
        assert!(!out.to_string().contains("super-secret-value"));
    }
}

//! Every command, one file each, named after it. A file holds the command's spec, input, output
//! and `run`; the catalog, `execute`'s dispatch and input validation come from the list below,
//! and the typed WIT functions are generated from `wit/` by `build.rs` and run the commands by
//! name. Adding a command is its file, its fixtures, its WIT function and one line here.

pub mod shared;

macro_rules! registry {
    ($($module:ident : $command:ident;)*) => {
        $(pub mod $module;)*

        /// Every command, in the order a platform should show them.
        pub const ALL: &[&dyn crate::core::command::Dispatch] = &[$(&$module::$command),*];

        /// Every command's spec, in the same order.
        pub const SPECS: &[&crate::core::spec::Spec] =
            &[$(&<$module::$command as crate::core::command::Command>::SPEC),*];
    };
}

registry! {
    get_user_info: GetUserInfo;
    create_post: CreatePost;
    create_post_with_media: CreatePostWithMedia;
    register_upload: RegisterUpload;
    upload_media: UploadMedia;
    get_media_status: GetMediaStatus;
    custom_action: CustomAction;
    answer_webhook_challenge: AnswerWebhookChallenge;
    parse_lead_notification: ParseLeadNotification;
    get_lead: GetLead;
    check_connection: CheckConnection;
    list_posting_targets: ListPostingTargets;
    get_organization: GetOrganization;
    get_organization_statistics: GetOrganizationStatistics;
    list_comments: ListComments;
    create_comment: CreateComment;
    delete_comment: DeleteComment;
    list_reactions: ListReactions;
    react: React;
    remove_reaction: RemoveReaction;
    list_posts: ListPosts;
    get_post: GetPost;
    update_post: UpdatePost;
    delete_post: DeletePost;
    get_post_engagement: GetPostEngagement;
}

use crate::core::command::{self, Catalog};
use crate::core::error::Error;
use crate::core::pipeline::Env;

/// Runs the command named `name` on `input` (JSON text) and returns the output as JSON text.
pub fn execute(env: &mut dyn Env, name: &str, input: impl Into<String>) -> Result<String, Error> {
    command::execute(ALL, SPECS, env, name, input.into())
}

/// The catalog of every command.
pub fn catalog() -> Catalog {
    command::catalog(ALL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::ScriptEnv;

    #[test]
    fn every_command_refuses_unknown_fields_before_sending() {
        for command in ALL {
            let mut env = ScriptEnv::new();
            let err = execute(&mut env, command.spec().name, r#"{"bogusField": 1}"#).unwrap_err();
            assert_eq!(
                err.field(),
                Some("bogusField"),
                "{}: {err:?}",
                command.spec().name
            );
            assert!(env.sent.is_empty());
        }
    }

    #[test]
    fn unknown_command_names_the_field() {
        let err = execute(&mut ScriptEnv::new(), "delete-everything", "{}").unwrap_err();
        assert_eq!(err.field(), Some("command"));
    }

    #[test]
    fn names_are_unique_and_every_param_is_described() {
        let catalog = catalog();
        for (i, a) in catalog.commands.iter().enumerate() {
            assert!(catalog.commands[i + 1..].iter().all(|b| b.name != a.name));
            for p in &a.params {
                assert!(
                    !p.description.is_empty(),
                    "{}.{} has no help text",
                    a.name,
                    p.name
                );
                for text in [&p.default_value, &p.example].into_iter().flatten() {
                    assert!(
                        serde_json::from_str::<serde_json::Value>(text).is_ok(),
                        "{}.{}: {text}",
                        a.name,
                        p.name
                    );
                }
            }
            assert!(serde_json::from_str::<serde_json::Value>(&a.input_schema).is_ok());
        }
    }
}

#[cfg(test)]
mod redaction_tests {
    //! No secret reaches an output or an error, whatever LinkedIn's body looks like: every
    //! command runs on the inputs of its own fixtures against answers that echo the token and
    //! the client secret in the forms an API or a proxy may use. The client secret is asked for
    //! only by the commands that use it, and the token only by calls that send it (least
    //! privilege): an answer can only echo a secret the component sent, so each is checked in
    //! the calls that had it.

    use super::*;
    use crate::core::testing::ScriptEnv;
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    use proptest::prelude::*;
    use serde_json::Value;

    const TOKEN: &str = "AQV8/tok+en_x.y=";
    const SECRET: &str = "s3cr/et+Key";

    /// Every (command, input) of the fixtures whose input is a JSON object.
    fn cases() -> Vec<(String, String)> {
        let mut out = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let case: Value =
                        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                    if let (Some(command), Some(input)) =
                        (case["command"].as_str(), case.get("input"))
                        && input.is_object()
                    {
                        out.push((command.to_string(), input.to_string()));
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// `secret` as it might appear inside a JSON string literal or a body.
    fn form(secret: &str, how: u8) -> String {
        match how % 6 {
            0 => secret.to_string(),
            1 => secret.replace('/', "\\/"),
            2 => secret
                .chars()
                .map(|c| format!("\\u{:04x}", c as u32))
                .collect(),
            3 => utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
            4 => {
                // Split across escapes: the first half as written, the rest \u-escaped.
                let half = secret.len() / 2;
                let tail: String = secret[half..]
                    .chars()
                    .map(|c| format!("\\u{:04x}", c as u32))
                    .collect();
                format!("{}{tail}", &secret[..half])
            }
            _ => utf8_percent_encode(
                &utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
                NON_ALPHANUMERIC,
            )
            .to_string(),
        }
    }

    fn leaks(text: &str, secrets: &[&str]) -> bool {
        let decoded = serde_json::from_str::<Value>(text)
            .map(|v| v.to_string())
            .unwrap_or_default();
        [text.to_string(), decoded].iter().any(|t| {
            let mut t = t.clone();
            for _ in 0..3 {
                if secrets.iter().any(|s| t.contains(s)) {
                    return true;
                }
                t = percent_encoding::percent_decode_str(&t)
                    .decode_utf8_lossy()
                    .into_owned();
            }
            false
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn prop_no_secret_reaches_an_output_or_an_error(
            how in any::<u8>(),
            status in prop::sample::select(vec![200u16, 201, 400, 401, 403, 404, 422, 426, 429, 500]),
            binary in any::<bool>(),
        ) {
            for (command, input) in cases() {
                let token = form(TOKEN, how);
                let secret = form(SECRET, how.wrapping_add(1));
                let body = if binary {
                    let mut bytes = vec![0xff, 0xfe];
                    bytes.extend_from_slice(format!("{TOKEN} {secret}").as_bytes());
                    bytes
                } else {
                    format!(
                        r#"{{"message":"bad {token}","id":"urn:li:share:1","sub":"abc","value":{{"uploadUrl":"https://www.linkedin.com/dms-uploads/x?t={token}","image":"urn:li:image:1"}},"elements":[{{"id":"{secret}"}}],"status":"AVAILABLE","active":true,"scope":"{token}"}}"#
                    )
                    .into_bytes()
                };
                let mut env = ScriptEnv::new();
                env.token = Ok(TOKEN.into());
                env.secret = Ok(SECRET.into());
                env.settings.push(("clientId".into(), "86abc".into()));
                for _ in 0..64 {
                    env.responses.push_back(Ok((
                        status,
                        vec![("x-echo".into(), format!("Bearer {}", form(TOKEN, 3))), ("etag".into(), "e".into())],
                        body.clone(),
                    )));
                }
                let text = match execute(&mut env, &command, input.as_str()) {
                    Ok(output) => output,
                    Err(error) => error.to_json().to_string(),
                };
                let had: Vec<&str> = [(env.token_reads, TOKEN), (env.secret_reads, SECRET)]
                    .into_iter()
                    .filter(|(reads, _)| *reads > 0)
                    .map(|(_, secret)| secret)
                    .collect();
                prop_assert!(!leaks(&text, &had), "{command} leaked (form {how}, status {status}): {text}");
            }
        }
    }
}

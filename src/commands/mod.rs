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
}

use crate::core::command::{self, Catalog};
use crate::core::error::Error;
use crate::core::pipeline::Env;

/// Runs the command named `name` on `input` (JSON text) and returns the output as JSON text.
pub fn execute(env: &mut dyn Env, name: &str, input: &str) -> Result<String, Error> {
    command::execute(ALL, SPECS, env, name, input)
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

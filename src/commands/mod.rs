//! Every command, one file each, named after it. A file holds the command's spec, input, output
//! and `run`; the catalog, `execute`'s dispatch, input validation and the typed WIT functions all
//! come from the one line per command in [`for_each_command!`].

pub mod shared;

/// The list of commands, in the order a platform should show them: the module, the command type,
/// and the WIT records of its typed function (`()` for a command without input). The registry
/// below and the typed `impl Guest` in the component's glue are both generated from it, so
/// adding a command is its file, its fixtures, its WIT function, and one line here.
macro_rules! for_each_command {
    ($then:ident) => {
        $then! {
            get_user_info: GetUserInfo() -> UserInfo;
            create_post: CreatePost(CreatePostInput) -> PostCreated;
            create_post_with_media: CreatePostWithMedia(CreatePostWithMediaInput) -> PostCreated;
            register_upload: RegisterUpload(RegisterUploadInput) -> UploadRegistered;
            upload_media: UploadMedia(UploadMediaInput) -> MediaUploaded;
            get_media_status: GetMediaStatus(GetMediaStatusInput) -> MediaStatus;
            custom_action: CustomAction(CustomActionInput) -> CustomActionResult;
            answer_webhook_challenge: AnswerWebhookChallenge(AnswerWebhookChallengeInput) -> ChallengeAnswer;
            parse_lead_notification: ParseLeadNotification(ParseLeadNotificationInput) -> LeadNotifications;
            get_lead: GetLead(GetLeadInput) -> Lead;
            check_connection: CheckConnection() -> ConnectionCheck;
            list_posts: ListPosts(ListPostsInput) -> PostPage;
            get_post: GetPost(GetPostInput) -> PostItem;
            update_post: UpdatePost(UpdatePostInput) -> PostUpdated;
            delete_post: DeletePost(DeletePostInput) -> PostDeleted;
            get_post_engagement: GetPostEngagement(GetPostEngagementInput) -> PostEngagements;
        }
    };
}
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub(crate) use for_each_command;

macro_rules! registry {
    ($($module:ident : $command:ident ($($input:ident)?) -> $output:ident;)*) => {
        $(pub mod $module;)*

        /// Every command, in catalog order.
        pub const ALL: &[&dyn crate::core::command::Dispatch] = &[$(&$module::$command),*];

        /// Every command's spec, in the same order.
        pub const SPECS: &[&crate::core::spec::Spec] =
            &[$(&<$module::$command as crate::core::command::Command>::SPEC),*];
    };
}
for_each_command!(registry);

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

//! The command table behind `datasource.execute`: name -> input reader -> command -> JSON.

use crate::catalog;
use crate::error::Error;
use crate::input::{Fields, parse_object};
use crate::pipeline::Env;
use crate::{custom_action, lead, media, media_post, posts, profile, upload, webhook};

/// Runs `command` on `input` (JSON text) and returns the output as JSON text.
pub fn execute(env: &mut dyn Env, command: &str, input: &str) -> Result<String, Error> {
    let spec = catalog::find(command).ok_or_else(|| {
        let known: Vec<&str> = catalog::COMMANDS.iter().map(|c| c.name).collect();
        Error::invalid(
            "command",
            format!(
                "Unknown command {command:?}; expected one of: {}.",
                known.join(", ")
            ),
        )
    })?;
    let map = parse_object(input)?;
    match spec.name {
        "get-user-info" => {
            Fields::new(&map, spec)?;
            profile::get_user_info(env).map(|out| out.to_json())
        }
        "create-post" => {
            posts::create_post(env, posts::CreatePost::from_json(&map)?).map(|out| out.to_json())
        }
        "create-post-with-media" => media_post::create_post_with_media(
            env,
            media_post::CreatePostWithMedia::from_json(&map)?,
        )
        .map(|out| out.to_json()),
        "register-upload" => media::register_upload(env, media::RegisterUpload::from_json(&map)?)
            .map(|out| out.to_json()),
        "upload-media" => upload::upload_media(env, upload::UploadMedia::from_json(&map)?)
            .map(|out| out.to_json()),
        "get-media-status" => media::get_media_status(env, media::GetMediaStatus::from_json(&map)?)
            .map(|out| out.to_json()),
        "custom-action" => {
            custom_action::custom_action(env, custom_action::CustomAction::from_json(&map)?)
                .map(|out| out.to_json())
        }
        "answer-webhook-challenge" => {
            webhook::answer_webhook_challenge(env, webhook::AnswerChallenge::from_json(&map)?)
                .map(|out| out.to_json())
        }
        "parse-lead-notification" => {
            webhook::parse_lead_notification(env, webhook::ParseLeadNotification::from_json(&map)?)
                .map(|out| out.to_json())
        }
        "get-lead" => lead::get_lead(env, lead::GetLead::from_json(&map)?).map(|out| out.to_json()),
        other => Err(Error::invalid(
            "command",
            format!("Command {other:?} is in the catalog but not implemented."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::ScriptEnv;

    #[test]
    fn every_catalog_command_is_dispatched() {
        for spec in catalog::COMMANDS {
            let err =
                execute(&mut ScriptEnv::new(), spec.name, r#"{"bogusField": 1}"#).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, .. } if field == "bogusField"),
                "{}: {err:?}",
                spec.name
            );
        }
    }

    #[test]
    fn unknown_command_names_the_field() {
        let err = execute(&mut ScriptEnv::new(), "delete-everything", "{}").unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field, .. } if field == "command"));
    }
}

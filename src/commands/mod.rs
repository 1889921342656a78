//! Every command, one file each, named after it. A file holds the command's spec, input, output
//! and `run`; the catalog, `execute`'s dispatch and input validation come from the list below,
//! and the typed WIT functions are generated from `wit/` by `build.rs` and run the commands by
//! name. Adding a command is its file, its fixtures, its WIT function, and two lines here: its
//! module and its place in [`ALL`].

pub mod shared;

pub mod answer_webhook_challenge;
pub mod check_connection;
pub mod create_campaign;
pub mod create_campaign_group;
pub mod create_comment;
pub mod create_creative;
pub mod create_lead_subscription;
pub mod create_post;
pub mod create_post_with_media;
pub mod custom_action;
pub mod delete_comment;
pub mod delete_lead_subscription;
pub mod delete_post;
pub mod get_ad_analytics;
pub mod get_audience_count;
pub mod get_lead;
pub mod get_media_status;
pub mod get_organization;
pub mod get_organization_statistics;
pub mod get_post;
pub mod get_post_engagement;
pub mod get_user_info;
pub mod list_ad_accounts;
pub mod list_campaign_groups;
pub mod list_campaigns;
pub mod list_comments;
pub mod list_creatives;
pub mod list_lead_forms;
pub mod list_lead_subscriptions;
pub mod list_leads;
pub mod list_posting_targets;
pub mod list_posts;
pub mod list_reactions;
pub mod parse_lead_notification;
pub mod react;
pub mod register_upload;
pub mod remove_reaction;
pub mod search_targeting;
pub mod update_ad_status;
pub mod update_post;
pub mod upload_media;

/// Every command, in the order a platform should show them.
pub const ALL: &[&dyn Dispatch] = &[
    &get_user_info::GetUserInfo,
    &create_post::CreatePost,
    &create_post_with_media::CreatePostWithMedia,
    &register_upload::RegisterUpload,
    &upload_media::UploadMedia,
    &get_media_status::GetMediaStatus,
    &custom_action::CustomAction,
    &answer_webhook_challenge::AnswerWebhookChallenge,
    &parse_lead_notification::ParseLeadNotification,
    &get_lead::GetLead,
    &list_lead_forms::ListLeadForms,
    &list_leads::ListLeads,
    &create_lead_subscription::CreateLeadSubscription,
    &list_lead_subscriptions::ListLeadSubscriptions,
    &delete_lead_subscription::DeleteLeadSubscription,
    &check_connection::CheckConnection,
    &list_posting_targets::ListPostingTargets,
    &get_organization::GetOrganization,
    &get_organization_statistics::GetOrganizationStatistics,
    &list_comments::ListComments,
    &create_comment::CreateComment,
    &delete_comment::DeleteComment,
    &list_reactions::ListReactions,
    &react::React,
    &remove_reaction::RemoveReaction,
    &list_posts::ListPosts,
    &get_post::GetPost,
    &update_post::UpdatePost,
    &delete_post::DeletePost,
    &get_post_engagement::GetPostEngagement,
    &list_ad_accounts::ListAdAccounts,
    &list_campaign_groups::ListCampaignGroups,
    &create_campaign_group::CreateCampaignGroup,
    &list_campaigns::ListCampaigns,
    &create_campaign::CreateCampaign,
    &update_ad_status::UpdateAdStatus,
    &list_creatives::ListCreatives,
    &create_creative::CreateCreative,
    &get_ad_analytics::GetAdAnalytics,
    &search_targeting::SearchTargeting,
    &get_audience_count::GetAudienceCount,
];

use crate::core::command::{self, Catalog, Dispatch};
use crate::core::error::Error;
use crate::core::pipeline::Env;

/// Runs the command named `name` on `input` (JSON text) and returns the output as JSON text.
pub fn execute(env: &mut dyn Env, name: &str, input: impl Into<String>) -> Result<String, Error> {
    command::execute(ALL, env, name, input.into()).map(String::from)
}

/// [`execute`] for `execute-json`: `{"ok": <output>}` or `{"error": <the error's JSON form>}`.
pub fn execute_json(env: &mut dyn Env, name: &str, input: String) -> String {
    command::envelope(&command::execute(ALL, env, name, input))
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

    // Both hold characters that JSON, percent-encoding and little text all escape.
    const TOKEN: &str = "AQV8/tok+en_x.y=";
    const SECRET: &str = "s3cr/et+K(e)y_";

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
        match how % 8 {
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
            5 => utf8_percent_encode(
                &utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
                NON_ALPHANUMERIC,
            )
            .to_string(),
            // Little text, as LinkedIn stores a post's commentary: reserved characters behind a
            // backslash (written inside a JSON string, so the backslash is itself escaped).
            6 => json_content(&crate::core::text::escape(secret)),
            // Little text with only the first reserved character escaped.
            _ => {
                let little = crate::core::text::escape(secret);
                let first = little.find('\\').map_or(little.len(), |at| at + 2);
                json_content(&[&little[..first], &little[first..].replace('\\', "")].concat())
            }
        }
    }

    /// `text` as the inside of a JSON string literal.
    fn json_content(text: &str) -> String {
        let quoted = serde_json::to_string(text).unwrap();
        quoted[1..quoted.len() - 1].to_string()
    }

    /// `text` with little text's backslash escapes undone.
    fn little_unescaped(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.extend(chars.next()),
                c => out.push(c),
            }
        }
        out
    }

    /// Whether any reading of `text` holds a secret: as written, JSON-decoded, little text
    /// read back, and behind up to three layers of percent-encoding.
    fn leaks(text: &str, secrets: &[&str]) -> bool {
        let mut strings = Vec::new();
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            collect_strings(&value, &mut strings);
        }
        let mut readings = vec![text.to_string(), little_unescaped(text)];
        for s in strings {
            readings.push(little_unescaped(&s));
            readings.push(s);
        }
        readings.iter().any(|t| {
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

    /// Every string in `value`, keys included.
    fn collect_strings(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
            Value::Object(map) => {
                for (k, v) in map {
                    out.push(k.clone());
                    collect_strings(v, out);
                }
            }
            _ => {}
        }
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
                    // Little text where a command reads it back as plain text: the commentary
                    // of a post (alone, and as a list element), a mention's name and a hashtag;
                    // and a comment's text.
                    let commentary = format!(
                        r#"Hi {token} and {secret} @[{token}](urn:li:person:abc) {{hashtag|\#|{secret}}}"#
                    );
                    format!(
                        r#"{{"message":"bad {token}","id":"urn:li:share:1","sub":"abc","commentary":"{commentary}","value":{{"uploadUrl":"https://www.linkedin.com/dms-uploads/x?t={token}","image":"urn:li:image:1"}},"elements":[{{"id":"{secret}"}},{{"id":"urn:li:share:2","commentary":"{commentary}","message":{{"text":"{commentary}"}},"commentUrn":"urn:li:comment:(urn:li:activity:1,2)"}}],"status":"AVAILABLE","active":true,"scope":"{token}"}}"#
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

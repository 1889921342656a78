//! delete-lead-subscription: removes a Lead Sync webhook subscription; one already gone is not an
//! error (Lead Sync `leadNotifications`).

use serde::Serialize;

use crate::commands::shared::lead_sync::{SCOPES, SubscriptionId};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::LEAD_ROLE;

#[derive(Default)]
pub struct DeleteLeadSubscription;

crate::input! {
    /// Input of delete-lead-subscription.
    pub struct Input {
        /// The subscription id, as create-lead-subscription and list-lead-subscriptions give
        /// it (text or a number).
        #[param(example = "5107")]
        pub id: SubscriptionId,
    }
}

/// A deleted subscription. Mirrors the WIT `lead-subscription-deleted`.
#[derive(Clone, Debug, Serialize)]
pub struct SubscriptionDeleted {
    pub id: String,
    /// Always true: the subscription is gone, whether this call or an earlier one removed it.
    pub deleted: bool,
}

impl Command for DeleteLeadSubscription {
    const SPEC: Spec = Spec {
        name: "delete-lead-subscription",
        title: "Delete lead subscription",
        description: "Removes a webhook subscription, so LinkedIn stops notifying its webhook, \
                      and returns its id with deleted: true. One that is already gone (LinkedIn \
                      answers 404) is also deleted: true, so a retried delete is safe. Needs \
                      r_marketing_leadgen_automation, and a role on the ad account or the page.",
        scopes: SCOPES,
        role: LEAD_ROLE,
        calls: &["DELETE /rest/leadNotifications/{id}"],
        versioned: true,
    };
    type Input = Input;
    type Output = SubscriptionDeleted;

    fn run(input: Input, api: &mut Client<'_>) -> Result<SubscriptionDeleted, Error> {
        let path = ["/leadNotifications/", &input.id.path_key()].concat();
        api.delete(ApiRequest::new(http::Method::DELETE, Api::Rest, path))?;
        Ok(SubscriptionDeleted {
            id: input.id.0,
            deleted: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn deleted_and_already_gone_are_both_deleted() {
        for status in [204, 404] {
            let mut env = ScriptEnv::new().respond(status, &[], "");
            let out = run::<DeleteLeadSubscription>(&mut env, json!({"id": 5107})).unwrap();
            assert_eq!(out, json!({"id": "5107", "deleted": true}));
            assert_eq!(env.sent[0].method, http::Method::DELETE);
            assert_eq!(
                env.sent[0].url,
                "https://api.linkedin.com/rest/leadNotifications/5107"
            );
        }
        let mut env = ScriptEnv::new().respond(
            404,
            &[],
            r#"{"status":404,"message":"No virtual resource found"}"#,
        );
        let err = run::<DeleteLeadSubscription>(&mut env, json!({"id": "5107"})).unwrap_err();
        assert_eq!(
            err.kind(),
            "not-found",
            "a route LinkedIn does not serve deletes nothing"
        );
    }

    #[test]
    fn bad_ids_send_nothing() {
        for id in [
            json!("../leadForms"),
            json!(""),
            json!(-3),
            json!({"id": 1}),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<DeleteLeadSubscription>(&mut env, json!({"id": id}))),
                "id"
            );
            assert!(env.sent.is_empty());
        }
    }
}

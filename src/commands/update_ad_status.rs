//! update-ad-status: launches, pauses or archives a campaign group, campaign or creative, then
//! reads it back and says whether it actually serves, and if not, why.

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::commands::shared::ads::{
    AccountRef, AdEntity, AdId, AdKind, WRITE_SCOPES, account_path,
};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::{Choice, Field, ParamType};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_STATUS_ROLE;
use crate::core::urn::percent_encode;

#[derive(Default)]
pub struct UpdateAdStatus;

crate::choice!(
    /// The status to set.
    SetStatus { Active = "ACTIVE", Paused = "PAUSED", Archived = "ARCHIVED" }
);

/// A campaign group, campaign or creative, by URN: its kind picks the endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityRef(pub AdId);

impl Field for EntityRef {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        AdId::read_urn(
            value,
            name,
            &[AdKind::CampaignGroup, AdKind::Campaign, AdKind::Creative],
        )
        .map(EntityRef)
    }
}

crate::input! {
    /// Input of update-ad-status.
    pub struct Input {
        /// The ad account the entity belongs to: its id, urn:li:sponsoredAccount:{id} or
        /// sponsoredAccount:{id}.
        #[param(example = "urn:li:sponsoredAccount:506223315")]
        pub ad_account: AccountRef,
        /// What to change, as a URN (a bare id does not say which kind it is):
        /// urn:li:sponsoredCampaignGroup:{id}, urn:li:sponsoredCampaign:{id} or
        /// urn:li:sponsoredCreative:{id}.
        #[param(example = "urn:li:sponsoredCampaign:141049524")]
        pub entity: EntityRef,
        /// ACTIVE (launch), PAUSED or ARCHIVED.
        #[param(example = "ACTIVE")]
        pub status: SetStatus,
    }
}

/// The entity after the change. Mirrors the WIT `ad-status` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdStatus {
    /// The entity's URN.
    pub entity: String,
    /// Its status as read back (a creative's intendedStatus).
    pub status: Option<String>,
    /// A campaign group's or campaign's serving statuses (`RUNNABLE` when it can serve).
    pub serving_statuses: Vec<String>,
    /// A creative's review: PENDING, APPROVED, REJECTED or NEEDS_REVIEW; none before review.
    pub review_status: Option<String>,
    /// Why a creative does not serve (UNDER_REVIEW, CAMPAIGN_STOPPED, …).
    pub serving_hold_reasons: Vec<String>,
    /// Whether it actually delivers now.
    pub serving: bool,
    /// Short reasons it does not, empty when it does.
    pub why_not_serving: Vec<String>,
    pub raw: Box<RawValue>,
}

/// The body of the partial update: `{"patch": {"$set": {"status": S}}}`, or `intendedStatus`
/// for a creative.
#[derive(Serialize)]
struct Patch {
    patch: Set,
}

#[derive(Serialize)]
struct Set {
    #[serde(rename = "$set")]
    set: StatusField,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum StatusField {
    Status(&'static str),
    IntendedStatus(&'static str),
}

impl Command for UpdateAdStatus {
    const SPEC: Spec = Spec {
        name: "update-ad-status",
        title: "Update ad status",
        description: "Launches (ACTIVE), pauses or archives a campaign group, campaign or \
                      creative, then reads it back and says whether it actually serves, and if \
                      not, why (whyNotServing): a status other than ACTIVE, a serving status \
                      other than RUNNABLE (BILLING_HOLD, ACCOUNT_TOTAL_BUDGET_HOLD, …), a \
                      creative's review not yet APPROVED, or its hold reasons. An ad serves only \
                      when its campaign group, campaign and creative are all ACTIVE, the \
                      campaign is RUNNABLE and the creative approved: call this for each, or \
                      read a creative's hold reasons (CAMPAIGN_STOPPED, …) to see its parents.",
        scopes: &[WRITE_SCOPES],
        role: AD_STATUS_ROLE,
        calls: &[
            "POST /rest/adAccounts/{id}/adCampaignGroups/{id}, /adCampaigns/{id} or \
             /creatives/{encoded URN} (X-RestLi-Method: PARTIAL_UPDATE)",
            "GET the same path",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = AdStatus;

    fn run(input: Input, api: &mut Client<'_>) -> Result<AdStatus, Error> {
        let entity = input.entity.0;
        let urn = entity.urn();
        let account = &input.ad_account.0;
        let (path, field) = match entity.kind {
            AdKind::CampaignGroup => (
                ["/adCampaignGroups/", &entity.id].concat(),
                StatusField::Status(input.status.as_str()),
            ),
            AdKind::Campaign => (
                ["/adCampaigns/", &entity.id].concat(),
                StatusField::Status(input.status.as_str()),
            ),
            // `entity` admits no account (AdId::read_urn), so this arm is creatives.
            AdKind::Creative | AdKind::Account => (
                ["/creatives/", &percent_encode(&urn)].concat(),
                StatusField::IntendedStatus(input.status.as_str()),
            ),
        };
        let path = account_path(account, &path);
        let update = ApiRequest::new(http::Method::POST, Api::Rest, path.clone())
            .header("x-restli-method", "PARTIAL_UPDATE")
            .json(&Patch {
                patch: Set { set: field },
            });
        api.send(update).map_err(|e| match e {
            Error::NotFound(_) => e.prefixed(&format!(
                "Ad account {} has no {} {urn}. ",
                account.id,
                entity.kind.noun()
            )),
            other => other,
        })?;
        let read_back = |e: Error| {
            e.prefixed(&format!(
                "LinkedIn set {urn} to {}, but reading it back failed: ",
                input.status.as_str()
            ))
        };
        let response = api
            .send(ApiRequest::get(Api::Rest, path))
            .map_err(read_back)?;
        let raw = response.raw_json().map_err(read_back)?;
        let state = AdEntity::read(&response, &raw, entity.kind.noun()).map_err(read_back)?;
        Ok(serving(urn, entity.kind, state, raw))
    }
}

/// Whether the entity serves, and why not. Groups and campaigns serve when ACTIVE and exactly
/// RUNNABLE; creatives when ACTIVE, approved, and held for no reason.
fn serving(entity: String, kind: AdKind, state: AdEntity, raw: Box<RawValue>) -> AdStatus {
    let mut why = Vec::new();
    let status = match kind {
        AdKind::Creative => state.intended_status,
        _ => state.status,
    };
    match status.as_deref() {
        Some("ACTIVE") => {}
        Some(other) => why.push(["status ", other].concat()),
        None => why.push("no status reported".to_string()),
    }
    let serving_statuses = state.serving_statuses.unwrap_or_default();
    let hold_reasons = state.serving_hold_reasons.unwrap_or_default();
    let review_status = state.review.and_then(|r| r.status);
    if kind == AdKind::Creative {
        match review_status.as_deref() {
            Some("APPROVED") => {}
            Some(other) => why.push(["review ", other].concat()),
            None => why.push("not reviewed yet (review starts when it is ACTIVE)".to_string()),
        }
        why.extend(hold_reasons.iter().cloned());
    } else {
        if serving_statuses.is_empty() {
            why.push("no serving status reported".to_string());
        }
        why.extend(
            serving_statuses
                .iter()
                .filter(|s| *s != "RUNNABLE")
                .cloned(),
        );
    }
    AdStatus {
        entity,
        status,
        serving_statuses,
        review_status,
        serving_hold_reasons: hold_reasons,
        serving: why.is_empty(),
        why_not_serving: why,
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn launches_a_campaign_and_reads_it_back() {
        let mut env = ScriptEnv::new().respond(204, &[], "").respond(
            200,
            &[],
            r#"{"id":141049524,"status":"ACTIVE","servingStatuses":["RUNNABLE"]}"#,
        );
        let out = run::<UpdateAdStatus>(
            &mut env,
            json!({"adAccount": 506223315, "entity": "urn:li:sponsoredCampaign:141049524", "status": "active"}),
        )
        .unwrap();
        let update = &env.sent[0];
        assert_eq!(
            update.url,
            "https://api.linkedin.com/rest/adAccounts/506223315/adCampaigns/141049524"
        );
        assert_eq!(update.header("x-restli-method"), Some("PARTIAL_UPDATE"));
        assert_eq!(
            update.json(),
            json!({"patch": {"$set": {"status": "ACTIVE"}}})
        );
        assert_eq!(env.sent[1].method, http::Method::GET);
        assert_eq!(env.sent[1].url, update.url);
        assert_eq!(out["serving"], true);
        assert_eq!(out["whyNotServing"], json!([]));
    }

    #[test]
    fn a_creative_says_why_it_does_not_serve() {
        let mut env = ScriptEnv::new().respond(204, &[], "").respond(
            200,
            &[],
            r#"{"intendedStatus":"ACTIVE","review":{"status":"PENDING"},"servingHoldReasons":["UNDER_REVIEW","CAMPAIGN_STOPPED"]}"#,
        );
        let out = run::<UpdateAdStatus>(
            &mut env,
            json!({"adAccount": 1, "entity": "sponsoredCreative:9", "status": "ACTIVE"}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts/1/creatives/urn%3Ali%3AsponsoredCreative%3A9"
        );
        assert_eq!(
            env.sent[0].json(),
            json!({"patch": {"$set": {"intendedStatus": "ACTIVE"}}})
        );
        assert_eq!(out["serving"], false);
        assert_eq!(
            out["whyNotServing"],
            json!(["review PENDING", "UNDER_REVIEW", "CAMPAIGN_STOPPED"])
        );
        assert_eq!(out["reviewStatus"], "PENDING");
    }

    #[test]
    fn a_paused_group_on_hold_lists_both() {
        let state = AdEntity {
            status: Some("PAUSED".into()),
            serving_statuses: Some(vec!["STOPPED".into(), "BILLING_HOLD".into()]),
            ..AdEntity::default()
        };
        let raw = RawValue::from_string("{}".into()).unwrap();
        let out = serving(
            "urn:li:sponsoredCampaignGroup:1".into(),
            AdKind::CampaignGroup,
            state,
            raw,
        );
        assert!(!out.serving);
        assert_eq!(
            out.why_not_serving,
            ["status PAUSED", "STOPPED", "BILLING_HOLD"]
        );
    }

    #[test]
    fn a_failed_read_back_says_the_change_was_made() {
        let mut env = ScriptEnv::new().respond(204, &[], "").respond(
            429,
            &[],
            r#"{"status":429,"message":"throttled"}"#,
        );
        let err = run::<UpdateAdStatus>(
            &mut env,
            json!({"adAccount": 1, "entity": "urn:li:sponsoredCampaignGroup:2", "status": "PAUSED"}),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "rate-limited");
        assert!(
            err.message()
                .starts_with("LinkedIn set urn:li:sponsoredCampaignGroup:2 to PAUSED"),
            "{err}"
        );
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (
                json!({"adAccount": 1, "entity": "141049524", "status": "ACTIVE"}),
                "entity",
            ),
            (
                json!({"adAccount": 1, "entity": "urn:li:sponsoredAccount:1", "status": "ACTIVE"}),
                "entity",
            ),
            (
                json!({"adAccount": 1, "entity": "urn:li:sponsoredCampaign:1", "status": "DRAFT"}),
                "status",
            ),
            (
                json!({"entity": "urn:li:sponsoredCampaign:1", "status": "ACTIVE"}),
                "adAccount",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<UpdateAdStatus>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}

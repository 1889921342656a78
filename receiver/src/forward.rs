//! What the receiver sends to FORWARD_URL: one JSON object per notification, signed with
//! FORWARD_SECRET over `"<timestamp>.<body>"` (Stripe's scheme), so the platform can check that
//! a forward came from its receiver and refuse one replayed later.

use hmac::{Hmac, Mac};
use linkedin_connector::core::error::Error;
use linkedin_connector::core::leads::Lead;
use linkedin_connector::core::webhook::LeadNotification;
use serde::Serialize;
use sha2::Sha256;

/// Unix seconds when the forward was signed.
pub const TIMESTAMP_HEADER: &str = "x-connector-timestamp";
/// `v1=<hex HMAC-SHA256(FORWARD_SECRET, "<timestamp>.<body>")>`.
pub const SIGNATURE_HEADER: &str = "x-connector-signature";
const VERSION_PREFIX: &str = "v1=";

/// One forwarded notification.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery<'a> {
    /// `<leadUrn>:<action>:<occurredAt>`: the same for every delivery of one notification, so the
    /// platform drops the repeats of LinkedIn's retries (and of the receiver's 502s).
    pub delivery_id: String,
    /// The notification as parse-lead-notification reads it.
    pub notification: &'a LeadNotification,
    /// The lead as get-lead gives it; null for a DELETED action, without a token, or when the
    /// fetch failed for good (`lead_error`).
    pub lead: Option<&'a Lead>,
    /// Why the lead could not be fetched, when LinkedIn refused it for good (a 4xx: an expired
    /// token, a missing role, a deleted lead): the error as the connector's commands give it.
    pub lead_error: Option<&'a Error>,
}

/// The delivery id of a notification. A part LinkedIn left out is empty; the id stays the same
/// across retries either way, since a retry carries the same body.
pub fn delivery_id(notification: &LeadNotification) -> String {
    let action = notification.action.as_deref().unwrap_or_default();
    let occurred_at = notification
        .occurred_at
        .map(|t| t.to_string())
        .unwrap_or_default();
    format!("{}:{action}:{occurred_at}", notification.lead_urn)
}

/// The `X-Connector-Signature` value of `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: u64, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    [VERSION_PREFIX, &hex::encode(mac.finalize().into_bytes())].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkedin_connector::core::webhook::parse_notifications;

    #[test]
    fn signature_matches_an_independent_hmac() {
        // python3: hmac.new(b"forward-secret-0123456789", b'1700000000.{"deliveryId":"x"}',
        // hashlib.sha256).hexdigest()
        assert_eq!(
            signature(
                "forward-secret-0123456789",
                1_700_000_000,
                br#"{"deliveryId":"x"}"#
            ),
            "v1=3987d383b19bbbbe65673524abddfefe7d79dd23a8d54209a7492c1057427648"
        );
    }

    #[test]
    fn delivery_id_is_urn_action_and_time() {
        let notifications = parse_notifications(
            r#"[{"leadGenFormResponse":"urn:li:leadGenFormResponse:a-1","leadAction":"created","occurredAt":1686182358881},
               {"leadGenFormResponse":"urn:li:leadGenFormResponse:b-2"}]"#,
        )
        .unwrap();
        assert_eq!(
            delivery_id(&notifications[0]),
            "urn:li:leadGenFormResponse:a-1:CREATED:1686182358881"
        );
        assert_eq!(
            delivery_id(&notifications[1]),
            "urn:li:leadGenFormResponse:b-2::"
        );
    }
}

//! What the Lead Sync management commands share: the owner of forms, leads and subscriptions
//! (an ad account or an organization, a Rest.li union), the lead type that goes with it, the
//! subscription id, and the scope.

use serde::Serialize;
use serde_json::Value;

use crate::core::error::{Error, quoted};
use crate::core::input::{Choice, Field, ParamType, wrong_type};
use crate::core::urn::{Urn, percent_encode};

/// What every Lead Sync call needs; a 403 also names [`crate::core::spec::LEAD_ROLE`].
pub const SCOPES: &[&str] = &["r_marketing_leadgen_automation"];

crate::choice!(
    /// Where a lead comes from: an ad (an ad account's), or an organization's event page,
    /// company page or product page.
    LeadType {
        Sponsored = "SPONSORED",
        Event = "EVENT",
        Company = "COMPANY",
        OrganizationProduct = "ORGANIZATION_PRODUCT",
    }
);

/// Who owns forms, leads and subscriptions. It serialises as LinkedIn writes the union in a body
/// and in outputs (`{"sponsoredAccount": "urn:li:sponsoredAccount:1"}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Owner {
    /// An ad account's URN: sponsored leads.
    SponsoredAccount(String),
    /// An organization's URN: event, company page and product page leads.
    Organization(String),
}

/// `urn:li:sponsoredAccount:1`, `sponsoredAccount:1`, `urn:li:organization:2` or
/// `organization:2`. A bare number is refused: ad accounts and organizations both have numeric
/// ids, and reading leads of the wrong one fails late and confusingly.
impl Field for Owner {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        let text = match value {
            Value::String(s) => s.trim(),
            Value::Number(n) => return Err(ambiguous(name, &n.to_string())),
            other => return Err(wrong_type(name, "a string", other)),
        };
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ambiguous(name, text));
        }
        let urn = Urn::parse_field(text, name, &["sponsoredAccount", "organization"])?;
        Ok(match urn.kind() {
            "sponsoredAccount" => Owner::SponsoredAccount(urn.to_string()),
            _ => Owner::Organization(urn.to_string()),
        })
    }
}

fn ambiguous(name: &str, id: &str) -> Error {
    Error::invalid(
        name,
        format!(
            "`{name}` {id} could be an ad account or an organization; write \
             urn:li:sponsoredAccount:{id} (sponsored leads) or urn:li:organization:{id} (a \
             page's event, company or product leads)."
        ),
    )
}

impl Owner {
    /// The member name of the union: `sponsoredAccount` or `organization`.
    fn key(&self) -> &'static str {
        match self {
            Owner::SponsoredAccount(_) => "sponsoredAccount",
            Owner::Organization(_) => "organization",
        }
    }

    fn urn(&self) -> &str {
        match self {
            Owner::SponsoredAccount(urn) | Owner::Organization(urn) => urn,
        }
    }

    /// The union as a Rest.li query value: `(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A1)`.
    pub fn restli(&self) -> String {
        ["(", self.key(), ":", &percent_encode(self.urn()), ")"].concat()
    }

    /// The lead type asked for, checked against the owner (an ad account has only sponsored
    /// leads, an organization only organic ones), or the owner's own: SPONSORED for an ad
    /// account, COMPANY for an organization.
    pub fn lead_type(&self, given: Option<LeadType>, field: &str) -> Result<LeadType, Error> {
        let sponsored = matches!(self, Owner::SponsoredAccount(_));
        match given {
            None if sponsored => Ok(LeadType::Sponsored),
            None => Ok(LeadType::Company),
            Some(t) if (t == LeadType::Sponsored) == sponsored => Ok(t),
            Some(t) => Err(Error::invalid(
                field,
                match sponsored {
                    true => format!(
                        "`{field}` {} is an organization's lead type, but the owner is an ad \
                         account, whose leads are SPONSORED; give the organization as owner.",
                        t.as_str()
                    ),
                    false => format!(
                        "`{field}` SPONSORED needs an ad account as owner \
                         (urn:li:sponsoredAccount:…); an organization's leads are EVENT, \
                         COMPANY or ORGANIZATION_PRODUCT."
                    ),
                },
            )),
        }
    }
}

/// `(leadType:SPONSORED)`, the lead type as the finders take it.
pub fn lead_type_query(lead_type: LeadType) -> String {
    ["(leadType:", lead_type.as_str(), ")"].concat()
}

/// The id of a subscription: LinkedIn's key, text or a number (platforms pass ids both ways).
/// Letters, digits, `-` and `_`, or a URN; anything else could change the path it is put in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionId(pub String);

/// The longest id taken; LinkedIn's keys are far shorter.
const MAX_ID: usize = 255;

impl Field for SubscriptionId {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        let text = match value {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) if n.is_u64() => n.to_string(),
            other => return Err(wrong_type(name, "a string or a whole number", other)),
        };
        let token = !text.is_empty()
            && text.len() <= MAX_ID
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if token || (text.starts_with("urn:li:") && Urn::parse(&text).is_ok()) {
            Ok(SubscriptionId(text))
        } else {
            Err(Error::invalid(
                name,
                format!(
                    "`{name}` must be a subscription id as list-lead-subscriptions gives it \
                     (letters, digits, - and _), not {}.",
                    quoted(&text)
                ),
            ))
        }
    }
}

impl SubscriptionId {
    /// The id as one path segment.
    pub fn path_key(&self) -> String {
        percent_encode(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn owners_are_unions() {
        let read = |v: Value| Owner::read(&v, "owner");
        let owner = read(json!("sponsoredAccount:520866471")).unwrap();
        assert_eq!(
            owner.restli(),
            "(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A520866471)"
        );
        assert_eq!(
            serde_json::to_value(&owner).unwrap(),
            json!({"sponsoredAccount": "urn:li:sponsoredAccount:520866471"})
        );
        let owner = read(json!(" urn:li:organization:2414183 ")).unwrap();
        assert_eq!(
            owner.restli(),
            "(organization:urn%3Ali%3Aorganization%3A2414183)"
        );
        assert_eq!(
            serde_json::to_value(&owner).unwrap(),
            json!({"organization": "urn:li:organization:2414183"})
        );
        for (bad, says) in [
            (
                json!("520866471"),
                "could be an ad account or an organization",
            ),
            (
                json!(520866471),
                "could be an ad account or an organization",
            ),
            (json!("urn:li:person:abc"), "urn:li:sponsoredAccount:…"),
            (json!("sponsoredAccount:12a"), "malformed"),
            (json!(["organization:1"]), "a string"),
        ] {
            let err = read(bad.clone()).unwrap_err();
            assert_eq!(err.field(), Some("owner"), "{bad}");
            assert!(err.message().contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn lead_types_default_by_owner_and_must_match_it() {
        let ads = Owner::SponsoredAccount("urn:li:sponsoredAccount:1".into());
        let org = Owner::Organization("urn:li:organization:1".into());
        assert_eq!(
            ads.lead_type(None, "leadType").unwrap(),
            LeadType::Sponsored
        );
        assert_eq!(org.lead_type(None, "leadType").unwrap(), LeadType::Company);
        assert_eq!(
            org.lead_type(Some(LeadType::Event), "leadType").unwrap(),
            LeadType::Event
        );
        assert_eq!(
            LeadType::parse("organization_product"),
            Some(LeadType::OrganizationProduct)
        );
        for (owner, t) in [(&ads, LeadType::Company), (&org, LeadType::Sponsored)] {
            assert_eq!(
                owner.lead_type(Some(t), "leadType").unwrap_err().field(),
                Some("leadType")
            );
        }
        assert_eq!(lead_type_query(LeadType::Event), "(leadType:EVENT)");
    }

    #[test]
    fn subscription_ids() {
        let read = |v: Value| SubscriptionId::read(&v, "id");
        assert_eq!(read(json!(7)).unwrap().path_key(), "7");
        assert_eq!(read(json!(" ab-1_C ")).unwrap().0, "ab-1_C");
        assert_eq!(
            read(json!("urn:li:leadNotification:7")).unwrap().path_key(),
            "urn%3Ali%3AleadNotification%3A7"
        );
        for bad in [
            json!(".."),
            json!("a/b"),
            json!("a b"),
            json!(-1),
            json!(1.5),
            json!(""),
        ] {
            assert_eq!(read(bad.clone()).unwrap_err().field(), Some("id"), "{bad}");
        }
    }
}

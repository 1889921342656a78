//! What the Ads commands share: accounts, campaign groups, campaigns and creatives given as an
//! id, a URN or its short form; money as LinkedIn writes it; the values of a new entity's status
//! and objective; locales; search criteria; a created entity's id; the scopes.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::core::dates::{EndInstant, Instant};
use crate::core::error::{Error, quoted};
use crate::core::input::{Choice, Field, ParamType, Written, wrong_type};
use crate::core::paging::{self, CursorPage, PageSize};
use crate::core::pipeline::ApiResponse;
use crate::core::restli::encode_leaf;
use crate::core::urn::Urn;

/// Reading accounts, campaign groups, campaigns, creatives and targeting.
pub const READ_SCOPES: &str = "r_ads|rw_ads";
/// Creating and changing them.
pub const WRITE_SCOPES: &str = "rw_ads";
/// Ad analytics.
pub const REPORTING_SCOPES: &str = "r_ads_reporting";

/// The page size of the accounts, campaign groups and campaigns searches: up to 1,000.
pub type SearchPageSize = PageSize<1000>;
/// The page size of the creatives search: up to 100.
pub type CreativePageSize = PageSize<100>;

/// LinkedIn's longest campaign group and campaign name.
pub const MAX_NAME_CHARS: usize = 100;

/// The kinds of Ads entity a command names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdKind {
    Account,
    CampaignGroup,
    Campaign,
    Creative,
}

impl AdKind {
    /// The kind in its URN (`urn:li:sponsoredCampaign:…`).
    pub const fn urn_kind(self) -> &'static str {
        match self {
            AdKind::Account => "sponsoredAccount",
            AdKind::CampaignGroup => "sponsoredCampaignGroup",
            AdKind::Campaign => "sponsoredCampaign",
            AdKind::Creative => "sponsoredCreative",
        }
    }

    /// How a message names it.
    pub const fn noun(self) -> &'static str {
        match self {
            AdKind::Account => "ad account",
            AdKind::CampaignGroup => "campaign group",
            AdKind::Campaign => "campaign",
            AdKind::Creative => "creative",
        }
    }

    fn of_urn_kind(kind: &str) -> Option<AdKind> {
        [
            AdKind::Account,
            AdKind::CampaignGroup,
            AdKind::Campaign,
            AdKind::Creative,
        ]
        .into_iter()
        .find(|k| k.urn_kind() == kind)
    }
}

/// An Ads entity: its kind and numeric id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdId {
    pub kind: AdKind,
    /// Digits.
    pub id: String,
}

impl AdId {
    /// `urn:li:sponsoredAccount:{id}`.
    pub fn urn(&self) -> String {
        ["urn:li:", self.kind.urn_kind(), ":", &self.id].concat()
    }

    /// The URN as one Rest.li value (`urn%3Ali%3AsponsoredAccount%3A1`), for query strings.
    pub fn restli(&self) -> String {
        encode_leaf(&self.urn())
    }

    /// An entity of `kind` given as its id (digits, or a JSON number), its URN or its short
    /// form (`sponsoredAccount:{id}`).
    pub fn read(value: &Value, name: &str, kind: AdKind) -> Result<AdId, Error> {
        let text = match value {
            Value::Number(n) => n.as_u64().map(|n| n.to_string()),
            Value::String(s) => Some(s.trim().to_string()),
            other => return Err(wrong_type(name, "an id or URN", other)),
        };
        let expected = || {
            let k = kind.urn_kind();
            format!(
                "`{name}` must be {} {} id (digits), urn:li:{k}:{{id}} or {k}:{{id}}",
                article(kind.noun()),
                kind.noun()
            )
        };
        let Some(text) = text else {
            return Err(Error::invalid(name, format!("{}.", expected())));
        };
        if digits(&text) {
            return Ok(AdId { kind, id: text });
        }
        match Urn::parse(&text) {
            Ok(urn) if urn.kind() == kind.urn_kind() && digits(urn.id()) => Ok(AdId {
                kind,
                id: urn.id().to_string(),
            }),
            Ok(urn) if urn.kind() == kind.urn_kind() => Err(Error::invalid(
                name,
                format!("{}; its id {} is not digits.", expected(), quoted(urn.id())),
            )),
            Ok(urn) => Err(Error::invalid(
                name,
                format!("{}, not a {} URN.", expected(), urn.kind()),
            )),
            Err(_) => Err(Error::invalid(
                name,
                format!("{}, not {}.", expected(), quoted(&text)),
            )),
        }
    }

    /// An entity given as a URN (or short form) of one of `kinds`: the kind picks the endpoint,
    /// so a bare id is refused.
    pub fn read_urn(value: &Value, name: &str, kinds: &[AdKind]) -> Result<AdId, Error> {
        let listed: Vec<String> = kinds
            .iter()
            .map(|k| format!("urn:li:{}:{{id}}", k.urn_kind()))
            .collect();
        let expected = format!("`{name}` must be a URN: {}", listed.join(", "));
        let text = match value {
            Value::String(s) => s.trim(),
            Value::Number(_) => {
                return Err(Error::invalid(
                    name,
                    format!("{expected}; a bare id does not say which kind of entity it is."),
                ));
            }
            other => return Err(wrong_type(name, "a URN", other)),
        };
        if digits(text) {
            return Err(Error::invalid(
                name,
                format!("{expected}; a bare id does not say which kind of entity it is."),
            ));
        }
        let urn = Urn::parse(text)
            .map_err(|why| Error::invalid(name, format!("{expected}; this one {why}.")))?;
        match AdKind::of_urn_kind(urn.kind()) {
            Some(kind) if kinds.contains(&kind) => AdId::read(value, name, kind),
            _ => Err(Error::invalid(
                name,
                format!("{expected}, not a {} URN.", urn.kind()),
            )),
        }
    }
}

fn article(noun: &str) -> &'static str {
    match noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => "an",
        false => "a",
    }
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Declares an input type for one kind of Ads entity.
macro_rules! ad_ref {
    ($(#[$meta:meta])* $name:ident, $kind:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(pub AdId);

        impl Field for $name {
            const TYPE: ParamType = ParamType::String;

            fn read(value: &Value, name: &str) -> Result<Self, Error> {
                AdId::read(value, name, $kind).map($name)
            }
        }
    };
}

ad_ref!(
    /// An ad account: `123`, `urn:li:sponsoredAccount:123` or `sponsoredAccount:123`.
    AccountRef,
    AdKind::Account
);
ad_ref!(
    /// A campaign group: its id, `urn:li:sponsoredCampaignGroup:…` or the short form.
    CampaignGroupRef,
    AdKind::CampaignGroup
);
ad_ref!(
    /// A campaign: its id, `urn:li:sponsoredCampaign:…` or the short form.
    CampaignRef,
    AdKind::Campaign
);
ad_ref!(
    /// A creative: its id, `urn:li:sponsoredCreative:…` or the short form.
    CreativeRef,
    AdKind::Creative
);

/// `List(urn%3Ali%3AsponsoredCampaign%3A1,…)`: entities as one Rest.li list.
pub fn restli_list<'a>(ids: impl IntoIterator<Item = &'a AdId>) -> String {
    let items: Vec<String> = ids.into_iter().map(AdId::restli).collect();
    ["List(", &items.join(","), ")"].concat()
}

/// `/adAccounts/{id}`: where an account's groups, campaigns and creatives live.
pub fn account_path(account: &AdId, rest: &str) -> String {
    ["/adAccounts/", &account.id, rest].concat()
}

/// Money as LinkedIn writes it: the amount a decimal string, with its currency. Mirrors the WIT
/// `money` record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    pub amount: String,
    pub currency_code: String,
}

crate::input! {
    /// Money as given: `{"amount": "50", "currencyCode": "USD"}`.
    pub struct MoneyInput {
        /// A decimal of 0 or more with at most 2 decimals: a string ("12.50") or a number,
        /// sent as written.
        pub amount: Amount,
        /// The currency, three letters (USD, EUR); LinkedIn wants the ad account's.
        pub currency_code: Currency,
    }
}

impl MoneyInput {
    pub fn money(self) -> Money {
        Money {
            amount: self.amount.0,
            currency_code: self.currency_code.0,
        }
    }
}

/// A money amount, kept as the decimal text it was written with (`0.10`, not `0.1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount(pub String);

impl Field for Amount {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        amount(value, name, None)
    }

    fn take_in(value: Value, name: &str, written: &Written) -> Result<Self, Error> {
        amount(&value, name, written.get(name))
    }
}

/// The amount's text: a string as given, a number as written; then checked.
fn amount(value: &Value, name: &str, written: Option<&str>) -> Result<Amount, Error> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => written.map_or_else(|| n.to_string(), str::to_string),
        other => {
            return Err(wrong_type(
                name,
                "a decimal amount such as \"12.50\"",
                other,
            ));
        }
    };
    let problem = if text.starts_with('-') {
        Some("must not be negative")
    } else if is_exponent(&text) {
        Some("must be written without an exponent (100, not 1e2)")
    } else {
        match text.split_once('.') {
            Some((whole, decimals)) if digits(whole) && digits(decimals) => {
                (decimals.len() > 2).then_some("may have at most 2 decimals")
            }
            None if digits(&text) => None,
            _ => Some("must be a decimal amount such as 50 or 12.50"),
        }
    };
    match problem {
        None => Ok(Amount(text)),
        Some(problem) => Err(Error::invalid(
            name,
            format!("`{name}` {problem}, not {}.", quoted(&text)),
        )),
    }
}

/// Whether `text` is a number written with an exponent (`1e2`, `1.5E-3`).
fn is_exponent(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits(exponent)
}

/// An ISO 4217 currency code, upper-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Currency(pub String);

impl Field for Currency {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::String(s)
                if s.trim().len() == 3 && s.trim().bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                Ok(Currency(s.trim().to_ascii_uppercase()))
            }
            Value::String(s) => Err(Error::invalid(
                name,
                format!(
                    "`{name}` must be a three-letter currency code such as USD, not {}.",
                    quoted(s)
                ),
            )),
            other => Err(wrong_type(name, "a currency code such as USD", other)),
        }
    }
}

/// Checks that every amount given is in one currency: LinkedIn takes only the account's, so two
/// currencies in one request cannot both be right. `amounts` are (field, money) in input order;
/// the error names the first that differs from the first.
pub fn one_currency(amounts: &[(&str, Option<&Money>)]) -> Result<(), Error> {
    let mut given = amounts
        .iter()
        .filter_map(|(field, money)| money.map(|m| (*field, m)));
    let Some((first_field, first)) = given.next() else {
        return Ok(());
    };
    match given.find(|(_, m)| m.currency_code != first.currency_code) {
        Some((field, m)) => Err(Error::invalid(
            format!("{field}.currencyCode"),
            format!(
                "`{field}` is in {} but `{first_field}` in {}; LinkedIn takes only the ad \
                 account's currency.",
                m.currency_code, first.currency_code
            ),
        )),
        None => Ok(()),
    }
}

crate::choice!(
    /// The status of a new campaign group, campaign or creative.
    NewStatus { Draft = "DRAFT", Active = "ACTIVE", Paused = "PAUSED" }
);

crate::choice!(
    /// A campaign group's or campaign's objective. LinkedIn's docs spell the website-visits
    /// objective both ways (the campaign-group schema WEBSITE_VISIT, the campaign schema
    /// WEBSITE_VISITS); both are offered, and the one LinkedIn refuses comes back as its 400.
    ObjectiveType {
        BrandAwareness = "BRAND_AWARENESS",
        Engagement = "ENGAGEMENT",
        JobApplicants = "JOB_APPLICANTS",
        LeadGeneration = "LEAD_GENERATION",
        WebsiteConversions = "WEBSITE_CONVERSIONS",
        WebsiteVisit = "WEBSITE_VISIT",
        WebsiteVisits = "WEBSITE_VISITS",
        VideoViews = "VIDEO_VIEWS"
    }
);

/// A country and language, as LinkedIn's campaigns and targeting take them. Mirrors the WIT
/// `ad-locale` record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdLocale {
    pub country: String,
    pub language: String,
}

impl AdLocale {
    /// LinkedIn's default: English, United States.
    pub fn en_us() -> AdLocale {
        AdLocale {
            country: "US".into(),
            language: "en".into(),
        }
    }

    /// `(language:en,country:US)`.
    pub fn restli(&self) -> String {
        [
            "(language:",
            &encode_leaf(&self.language),
            ",country:",
            &encode_leaf(&self.country),
            ")",
        ]
        .concat()
    }
}

/// `en_US` (or `en-US`), or `{"country": "US", "language": "en"}` (as an object, or as JSON text:
/// the typed interface's string).
impl Field for AdLocale {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        if let Value::String(text) = value
            && text.trim_start().starts_with('{')
            && let Ok(map) = crate::core::input::parse_object(text)
        {
            return AdLocale::read(&Value::Object(map), name);
        }
        let field = |key: &str| match value.get(key) {
            Some(Value::String(s)) => Some(s.trim()),
            _ => None,
        };
        let (language, country) = match value {
            Value::String(s) => s.trim().split_once(['_', '-']).unwrap_or((s.trim(), "")),
            Value::Object(map) if map.len() == 2 => (
                field("language").unwrap_or_default(),
                field("country").unwrap_or_default(),
            ),
            Value::Object(_) => ("", ""),
            other => return Err(wrong_type(name, "a locale such as en_US", other)),
        };
        let letters = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic());
        if letters(language) && letters(country) {
            Ok(AdLocale {
                country: country.to_ascii_uppercase(),
                language: language.to_ascii_lowercase(),
            })
        } else {
            Err(Error::invalid(
                name,
                format!(
                    "`{name}` must be a language and country such as en_US (or {{\"language\": \
                     \"en\", \"country\": \"US\"}}), not {value}."
                ),
            ))
        }
    }
}

/// A creative's lead-gen form button, as LinkedIn gives and takes it. Mirrors the WIT
/// `leadgen-call-to-action` record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadgenCallToAction {
    /// The lead-gen form: `urn:li:adForm:{id}`.
    pub destination: String,
    /// The button's label (`SIGN_UP`).
    pub label: String,
}

crate::choice!(
    /// The label of a lead-gen form button.
    LeadgenLabel {
        Apply = "APPLY",
        Download = "DOWNLOAD",
        ViewQuote = "VIEW_QUOTE",
        LearnMore = "LEARN_MORE",
        SignUp = "SIGN_UP",
        Subscribe = "SUBSCRIBE",
        Register = "REGISTER",
        RequestDemo = "REQUEST_DEMO",
        Join = "JOIN",
        Attend = "ATTEND",
        UnlockFullDocument = "UNLOCK_FULL_DOCUMENT"
    }
);

crate::input! {
    /// A lead-gen form button as given.
    pub struct LeadgenInput {
        /// The lead-gen form: urn:li:adForm:{id}.
        pub destination: FormRef,
        /// The button's label.
        pub label: LeadgenLabel,
    }
}

impl LeadgenInput {
    pub fn checked(self) -> LeadgenCallToAction {
        LeadgenCallToAction {
            destination: self.destination.0,
            label: self.label.as_str().to_string(),
        }
    }
}

/// A lead-gen form of the Ads API: `urn:li:adForm:{id}` (or `adForm:{id}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormRef(pub String);

impl Field for FormRef {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        let text = <String as Field>::read(value, name)?;
        Urn::parse_field(&text, name, &["adForm"]).map(|urn| FormRef(urn.to_string()))
    }
}

/// A search finder's `search` criteria, `(facet:(values:List(…)),…)`, each facet only when it
/// has values, in the order added.
#[derive(Default)]
pub struct Search(Vec<String>);

impl Search {
    /// `facet:(values:List(v1,v2))`, each value a Rest.li string.
    pub fn values<'a>(mut self, facet: &str, values: impl IntoIterator<Item = &'a str>) -> Search {
        let values: Vec<String> = values.into_iter().map(encode_leaf).collect();
        if !values.is_empty() {
            self.0
                .push([facet, ":(values:List(", &values.join(","), "))"].concat());
        }
        self
    }

    /// `facet:true` / `facet:false`.
    pub fn flag(mut self, facet: &str, value: bool) -> Search {
        self.0.push(format!("{facet}:{value}"));
        self
    }

    /// The `search` parameter, none without criteria.
    pub fn restli(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| ["(", &self.0.join(","), ")"].concat())
    }
}

/// A created Ads entity. Mirrors the WIT `ad-created` record.
#[derive(Clone, Debug, Serialize)]
pub struct AdCreated {
    /// Digits.
    pub id: String,
    pub urn: String,
    /// LinkedIn's body, when the 201 carried one (usually not).
    pub raw: Option<Box<RawValue>>,
}

impl AdCreated {
    /// The entity a create answer names in `x-restli-id`: its id, or its URN (creatives).
    pub fn from_response(response: &ApiResponse, kind: AdKind) -> Result<AdCreated, Error> {
        let named = response.created_id()?;
        let id = id_of(&named, kind).ok_or_else(|| {
            response.not_json(format!(
                "it names the new {} {}, which is not its id or URN",
                kind.noun(),
                quoted(&named)
            ))
        })?;
        let id = AdId { kind, id };
        Ok(AdCreated {
            urn: id.urn(),
            id: id.id,
            raw: response.raw(),
        })
    }
}

/// The digits of an id LinkedIn gave as digits or as a URN of `kind`.
pub fn id_of(text: &str, kind: AdKind) -> Option<String> {
    if digits(text) {
        return Some(text.to_string());
    }
    let urn = Urn::parse(text).ok()?;
    (urn.kind() == kind.urn_kind() && digits(urn.id())).then(|| urn.id().to_string())
}

/// An account, campaign group, campaign or creative as LinkedIn's searches and reads answer
/// it: every field a command gives, each optional. One model for the four kinds rather than one
/// each: every derived reader costs kilobytes of component, and the kinds share most fields.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdEntity {
    /// A number (accounts, groups, campaigns) or a URN (creatives).
    pub id: Option<IdText>,
    pub name: Option<String>,
    pub status: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub serving_statuses: Option<Vec<String>>,
    // Accounts.
    pub currency: Option<String>,
    pub reference: Option<String>,
    pub test: Option<bool>,
    // Campaign groups and campaigns.
    pub run_schedule: Option<RunSchedule>,
    pub objective_type: Option<String>,
    pub total_budget: Option<Money>,
    pub daily_budget: Option<Money>,
    pub unit_cost: Option<Money>,
    pub cost_type: Option<String>,
    pub campaign_group: Option<String>,
    pub locale: Option<AdLocale>,
    // Creatives.
    pub campaign: Option<String>,
    pub intended_status: Option<String>,
    pub content: Option<ContentReference>,
    pub review: Option<Review>,
    pub serving_hold_reasons: Option<Vec<String>>,
    pub leadgen_call_to_action: Option<LeadgenCallToAction>,
}

/// A creative's `content`: the post it sponsors.
#[derive(Debug, Deserialize)]
pub struct ContentReference {
    pub reference: Option<String>,
}

/// A creative's `review`.
#[derive(Debug, Deserialize)]
pub struct Review {
    pub status: Option<String>,
}

impl AdEntity {
    /// Reads one entity as LinkedIn sent it; `what` names it in a decode error.
    pub fn read(response: &ApiResponse, raw: &RawValue, what: &str) -> Result<AdEntity, Error> {
        crate::core::json::objects::from_str(raw.get())
            .map_err(|e| response.not_json(format!("the {what} does not read ({e})")))
    }

    /// The entity's id, read as one of `kind`; a decode error when it has none.
    pub fn ad_id(&self, response: &ApiResponse, kind: AdKind) -> Result<AdId, Error> {
        answered_id(
            response,
            self.id.as_ref().unwrap_or(&IdText::default()),
            kind,
        )
    }
}

/// One page of a search finder: each element as an [`AdEntity`], with LinkedIn's bytes for its
/// `raw`, and the next page.
pub fn search_page(
    response: &ApiResponse,
    kind: AdKind,
) -> Result<CursorPage<(AdEntity, AdId, Box<RawValue>)>, Error> {
    let (elements, next) = paging::read_cursor(response)?;
    let what = ["list answer's ", kind.noun()].concat();
    let mut items = Vec::with_capacity(elements.len());
    for raw in elements {
        let entity = AdEntity::read(response, raw, &what)?;
        let id = entity.ad_id(response, kind)?;
        items.push((entity, id, raw.to_owned()));
    }
    Ok(CursorPage { items, next })
}

/// The entity of `kind` an answer names by `id`; a decode error when it is not its id or URN.
pub fn answered_id(response: &ApiResponse, id: &IdText, kind: AdKind) -> Result<AdId, Error> {
    match id_of(&id.0, kind) {
        Some(digits) => Ok(AdId { kind, id: digits }),
        None => Err(response.not_json(format!(
            "it names {} {} by {}, which is not its id or URN",
            article(kind.noun()),
            kind.noun(),
            quoted(&id.0)
        ))),
    }
}

/// An id as LinkedIn's Ads answers give it: a number (accounts, groups, campaigns) or a URN
/// string (creatives); read as text, kept for [`id_of`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdText(pub String);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = IdText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an id (a number or a URN)")
            }
            fn visit_u64<E>(self, v: u64) -> Result<IdText, E> {
                Ok(IdText(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<IdText, E> {
                Ok(IdText(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// A run schedule as LinkedIn gives and takes it: epoch milliseconds. Mirrors the WIT
/// `run-schedule` record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSchedule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<u64>,
}

/// The run schedule of a group or campaign, checked: an end after the start, an end for a total
/// budget, a start for an end. None without start and end.
pub fn run_schedule(
    start: Option<Instant>,
    end: Option<EndInstant>,
    total_budget: bool,
) -> Result<Option<RunSchedule>, Error> {
    match (start, end) {
        (_, None) if total_budget => Err(Error::invalid(
            "end",
            "A totalBudget needs an `end`: LinkedIn spends a total budget over a fixed schedule.",
        )),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(Error::invalid("start", "An `end` needs a `start`.")),
        (Some(start), Some(end)) if end.0 <= start.0 => {
            Err(Error::invalid("end", "`end` must be after `start`."))
        }
        (Some(start), end) => Ok(Some(RunSchedule {
            start: Some(start.0),
            end: end.map(|e| e.0),
        })),
    }
}

/// A name of 1 to 100 characters.
pub fn check_name(name: &str, field: &str) -> Result<(), Error> {
    let length = name.chars().count();
    if name.trim().is_empty() {
        return Err(Error::invalid(
            field,
            format!("`{field}` must not be empty."),
        ));
    }
    if length > MAX_NAME_CHARS {
        return Err(Error::invalid(
            field,
            format!("`{field}` has {length} characters; LinkedIn allows at most {MAX_NAME_CHARS}."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::input::{Fields, Input, parse_owned};
    use serde_json::json;

    #[test]
    fn entities_by_id_urn_or_short_form() {
        let account = |v: Value| AdId::read(&v, "adAccount", AdKind::Account);
        for given in [
            json!(506223315),
            json!("506223315"),
            json!(" urn:li:sponsoredAccount:506223315 "),
            json!("sponsoredAccount:506223315"),
            json!("urn:li:SponsoredAccount:506223315"),
        ] {
            let id = account(given.clone()).unwrap();
            assert_eq!(id.urn(), "urn:li:sponsoredAccount:506223315", "{given}");
            assert_eq!(id.restli(), "urn%3Ali%3AsponsoredAccount%3A506223315");
        }
        for bad in [
            json!("urn:li:sponsoredCampaign:1"),
            json!("sponsoredAccount:abc"),
            json!("abc"),
            json!(-1),
            json!(1.5),
            json!(true),
        ] {
            assert_eq!(
                account(bad.clone()).unwrap_err().field(),
                Some("adAccount"),
                "{bad}"
            );
        }
        let entity = |v: Value| {
            AdId::read_urn(&v, "entity", &[AdKind::Campaign, AdKind::Creative]).map(|id| id.urn())
        };
        assert_eq!(
            entity(json!("sponsoredCreative:7")).unwrap(),
            "urn:li:sponsoredCreative:7"
        );
        for bad in [
            json!("7"),
            json!(7),
            json!("urn:li:sponsoredAccount:7"),
            json!("x"),
        ] {
            assert_eq!(
                entity(bad.clone()).unwrap_err().field(),
                Some("entity"),
                "{bad}"
            );
        }
        assert_eq!(
            id_of("urn:li:sponsoredCreative:9", AdKind::Creative).as_deref(),
            Some("9")
        );
        assert_eq!(id_of("urn:li:sponsoredCampaign:9", AdKind::Creative), None);
        assert_eq!(id_of("9", AdKind::Campaign).as_deref(), Some("9"));
    }

    crate::input! {
        /// A test input with money.
        pub struct Budget {
            pub daily_budget: MoneyInput,
        }
    }

    fn budget(text: &str) -> Result<Money, Error> {
        let mut fields: Fields = parse_owned(text.to_string())?;
        Budget::from_fields(&mut fields).map(|b| b.daily_budget.money())
    }

    #[test]
    fn money_keeps_the_amount_as_written() {
        for (amount, sent) in [
            ("\"50\"", "50"),
            ("50", "50"),
            ("12.5", "12.5"),
            ("0.10", "0.10"),
            ("\" 12.50 \"", "12.50"),
            ("1000000", "1000000"),
        ] {
            let money = budget(&format!(
                r#"{{"dailyBudget": {{"amount": {amount}, "currencyCode": "usd"}}}}"#
            ))
            .unwrap();
            assert_eq!(money.amount, sent, "{amount}");
            assert_eq!(money.currency_code, "USD");
        }
        for (amount, says) in [
            ("-5", "negative"),
            ("\"-0.5\"", "negative"),
            ("1e2", "exponent"),
            ("\"1E2\"", "exponent"),
            ("1.5e-1", "exponent"),
            ("0.125", "at most 2 decimals"),
            ("\"12.\"", "decimal amount"),
            ("\".5\"", "decimal amount"),
            ("\"1,5\"", "decimal amount"),
            ("\"ten\"", "decimal amount"),
            ("[]", "decimal amount"),
        ] {
            let err = budget(&format!(
                r#"{{"dailyBudget": {{"amount": {amount}, "currencyCode": "USD"}}}}"#
            ))
            .unwrap_err();
            assert_eq!(err.field(), Some("dailyBudget.amount"), "{amount}");
            assert!(err.message().contains(says), "{amount}: {err}");
        }
        for (input, field) in [
            (
                r#"{"dailyBudget": {"amount": "5"}}"#,
                "dailyBudget.currencyCode",
            ),
            (
                r#"{"dailyBudget": {"amount": "5", "currencyCode": "US"}}"#,
                "dailyBudget.currencyCode",
            ),
            (
                r#"{"dailyBudget": {"currencyCode": "USD"}}"#,
                "dailyBudget.amount",
            ),
            (
                r#"{"dailyBudget": {"amount": "", "currencyCode": "USD"}}"#,
                "dailyBudget.amount",
            ),
            (
                r#"{"dailyBudget": {"amount": "5", "currencyCode": "USD", "x": 1}}"#,
                "dailyBudget.x",
            ),
            (r#"{"dailyBudget": "5 USD"}"#, "dailyBudget"),
        ] {
            assert_eq!(budget(input).unwrap_err().field(), Some(field), "{input}");
        }
    }

    #[test]
    fn currencies_must_agree() {
        let usd = Money {
            amount: "1".into(),
            currency_code: "USD".into(),
        };
        let eur = Money {
            currency_code: "EUR".into(),
            ..usd.clone()
        };
        assert!(one_currency(&[("unitCost", Some(&usd)), ("dailyBudget", Some(&usd))]).is_ok());
        let err = one_currency(&[
            ("unitCost", Some(&usd)),
            ("dailyBudget", None),
            ("totalBudget", Some(&eur)),
        ])
        .unwrap_err();
        assert_eq!(err.field(), Some("totalBudget.currencyCode"));
    }

    #[test]
    fn locales_and_searches() {
        let locale = |v: Value| AdLocale::read(&v, "locale");
        for given in [
            json!("en_US"),
            json!("en-us"),
            json!({"country": "US", "language": "en"}),
            json!(r#"{"language": "EN", "country": "us"}"#),
        ] {
            assert_eq!(locale(given.clone()).unwrap(), AdLocale::en_us(), "{given}");
        }
        assert_eq!(AdLocale::en_us().restli(), "(language:en,country:US)");
        for bad in [
            json!("english"),
            json!("en"),
            json!({"country": "US"}),
            json!(1),
        ] {
            assert_eq!(
                locale(bad.clone()).unwrap_err().field(),
                Some("locale"),
                "{bad}"
            );
        }
        let search = Search::default()
            .values("campaignGroup", ["urn:li:sponsoredCampaignGroup:1"])
            .values("status", [])
            .flag("test", false);
        assert_eq!(
            search.restli().as_deref(),
            Some("(campaignGroup:(values:List(urn%3Ali%3AsponsoredCampaignGroup%3A1)),test:false)")
        );
        assert_eq!(Search::default().values("status", []).restli(), None);
    }
}

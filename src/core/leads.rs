//! Reading Lead Sync leads and forms: a form response has only question ids and option ids, and
//! the meaning is in the form. Used by get-lead, by parse-lead-notification's `fetchLead`, by
//! list-leads and list-lead-forms, and meant for a webhook receiver component too.
//!
//! One lead is read with LinkedIn's own projection, which inlines its form; the form is fetched
//! separately only when it did not come inline. A page of leads (list-leads) comes without its
//! forms, and each distinct form of the page is fetched once.
//!
//! LinkedIn's bodies are read into the models below. Ids are numbers in one answer and digits
//! in a string in another, and texts are plain or localized, so those few fields have lenient
//! readers of their own ([`Scalar`], [`Text`]); everything else is plain serde.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::core::error::{Error, quoted};
use crate::core::input::{Field, ParamType, wrong_type};
use crate::core::json::object;
use crate::core::pipeline::{Api, ApiRequest, ApiResponse, Client};
use crate::core::urn::{Urn, percent_encode};

/// The projection LinkedIn's Postman collection uses: the response plus the form definition.
/// Projections are written unencoded, in Rest.li 1.0 style, even on protocol 2.0.
pub const LEAD_PROJECTION: &str = "ownerInfo,associatedEntityInfo,leadMetadataInfo,owner,\
leadType,versionedLeadGenFormUrn,id,submittedAt,testLead,formResponse,\
form:(hiddenFields,creationLocale,name,id,content)";

/// The URN kind of a lead; `leadFormResponse` is accepted as a synonym on input.
const LEAD_KIND: &str = "leadGenFormResponse";
const LEAD_KINDS: &[&str] = &[LEAD_KIND, "leadFormResponse"];

/// Lead ids are tokens such as `249592fc-d272-44ba-a7db-c2bdce579507-6`.
const MAX_ID_LEN: usize = 200;

/// The locale a form without `creationLocale` is read in.
const DEFAULT_LOCALE: &str = "en_US";

/// One answer, with the question it answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub question_id: Option<i64>,
    /// The question as the member saw it (else the form's label for it).
    pub question: Option<String>,
    /// `EMAIL`, `FIRST_NAME`, ...; absent for custom questions.
    pub predefined_field: Option<String>,
    /// A text answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The labels of the options chosen in a multiple-choice answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// A lead with its answers.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lead {
    pub lead_urn: String,
    pub lead_id: String,
    /// Epoch milliseconds.
    pub submitted_at: Option<i64>,
    pub test_lead: bool,
    /// The versioned form URN.
    pub form_urn: Option<String>,
    pub form_id: Option<String>,
    pub form_version: Option<i64>,
    pub form_name: Option<String>,
    pub lead_type: Option<String>,
    pub owner: Option<Value>,
    pub submitter: Option<String>,
    pub answers: Vec<Answer>,
    /// Answers to predefined questions by `predefinedField`; multiple choices joined by `, `.
    pub fields: BTreeMap<String, String>,
    /// LinkedIn's lead body, unchanged.
    pub raw: Box<RawValue>,
}

/// The lead id of a full URN, short form or bare id; invalid-input naming `field` otherwise.
pub fn parse_lead(text: &str, field: &str) -> Result<String, Error> {
    let text = text.trim();
    let id = if text.contains(':') {
        Urn::parse_field(text, field, LEAD_KINDS)?.id().to_string()
    } else {
        text.to_string()
    };
    if is_lead_id(&id) {
        Ok(id)
    } else {
        Err(Error::invalid(
            field,
            format!(
                "`{field}` must be urn:li:leadGenFormResponse:{{id}} or the id, made of letters, \
                 digits, - and _."
            ),
        ))
    }
}

/// The id of `urn:li:leadGenFormResponse:{id}` as LinkedIn sends it in notifications.
pub fn lead_id_of_urn(urn: &str) -> Option<String> {
    let urn = Urn::parse(urn).ok()?;
    (LEAD_KINDS.contains(&urn.kind()) && is_lead_id(urn.id())).then(|| urn.id().to_string())
}

fn is_lead_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The form id and version of `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)`
/// (`("7234246", Some(1))`) or of a plain `urn:li:leadGenForm:7234246` (`("7234246", None)`).
pub fn form_id_and_version(urn: &str) -> Option<(String, Option<i64>)> {
    let urn = Urn::parse(urn).ok()?;
    match urn.kind() {
        "leadGenForm" => Some((urn.id().to_string(), None)),
        "versionedLeadGenForm" => {
            let inner = urn.id().strip_prefix('(')?.strip_suffix(')')?;
            let (form, version) = inner.rsplit_once(',')?;
            let form = Urn::parse(form).ok()?;
            (form.kind() == "leadGenForm").then_some(())?;
            Some((form.id().to_string(), version.trim().parse().ok()))
        }
        _ => None,
    }
}

/// One version of a lead form, the key of everything Lead Sync does with a form: leads are
/// submitted to a version, and a form-level subscription or a lead search names one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormVersion {
    /// The form id, digits.
    pub id: String,
    pub version: i64,
}

impl FormVersion {
    /// A versioned form URN as the user gives it: `urn:li:versionedLeadGenForm:(urn:li:
    /// leadGenForm:7234246,1)`, its short form `versionedLeadGenForm:(…)`, with or without the
    /// space after the comma that LinkedIn's notifications carry. A form without its version
    /// (`urn:li:leadGenForm:7234246`, a bare id) is refused with a pointer to list-lead-forms,
    /// which gives each form's versioned URN.
    pub fn parse(text: &str, field: &str) -> Result<FormVersion, Error> {
        let text = text.trim();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let spaceless: String = text.chars().filter(|c| *c != ' ').collect();
        let unversioned = match Urn::parse(&spaceless) {
            Ok(urn) if urn.kind() == "versionedLeadGenForm" => {
                return match form_id_and_version(&spaceless) {
                    Some((id, Some(version))) if digits(&id) && version >= 0 => {
                        Ok(FormVersion { id, version })
                    }
                    _ => Err(malformed_form(field, text)),
                };
            }
            Ok(urn) if urn.kind() == "leadGenForm" && digits(urn.id()) => urn.id().to_string(),
            _ if digits(text) => text.to_string(),
            _ => return Err(malformed_form(field, text)),
        };
        Err(Error::invalid(
            field,
            format!(
                "`{field}` {} names a form but not its version; give the versioned form URN, \
                 urn:li:versionedLeadGenForm:(urn:li:leadGenForm:{unversioned},{{version}}), as \
                 list-lead-forms returns it in formUrn.",
                quoted(text)
            ),
        ))
    }

    /// `urn:li:leadGenForm:{id}`, the form whatever its version.
    pub fn form_urn(&self) -> String {
        ["urn:li:leadGenForm:", &self.id].concat()
    }
}

/// `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:{id},{version})`.
impl fmt::Display for FormVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:{},{})",
            self.id, self.version
        )
    }
}

/// A `form` input: the versioned form URN as text. A number is a form id, which lacks the version.
impl Field for FormVersion {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::String(text) => FormVersion::parse(text, name),
            Value::Number(n) => FormVersion::parse(&n.to_string(), name),
            other => Err(wrong_type(name, "a versioned form URN", other)),
        }
    }
}

fn malformed_form(field: &str, text: &str) -> Error {
    Error::invalid(
        field,
        format!(
            "`{field}` must be a versioned form URN such as \
             urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1) (list-lead-forms gives \
             each form's formUrn), not {}.",
            quoted(text)
        ),
    )
}

/// A JSON scalar as LinkedIn writes ids and answers: a number in one answer, digits in a
/// string in another. Anything else (a list, an object, null) reads as `None`, so one odd
/// value does not fail the whole lead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scalar {
    #[default]
    None,
    Int(i64),
    Text(String),
}

impl Scalar {
    /// The whole number, from a number or from digits.
    pub fn int(&self) -> Option<i64> {
        match self {
            Scalar::Int(n) => Some(*n),
            Scalar::Text(text) => text.trim().parse().ok(),
            Scalar::None => None,
        }
    }

    /// The value as text (`7`, `true`, `blue`).
    pub fn text(&self) -> Option<String> {
        match self {
            Scalar::Int(n) => Some(n.to_string()),
            Scalar::Text(text) => Some(text.clone()),
            Scalar::None => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(i64::try_from(v).map_or_else(|_| Scalar::Text(v.to_string()), Scalar::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::None)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::None)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::None)
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A text of a form: plain (`"name": "custom questions"`), or localized
/// (`{"localized": {"en_US": "First name"}}`, a value possibly `{"rawText": …}`), the locales
/// kept in LinkedIn's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Localized(Vec<(String, String)>),
}

impl Text {
    /// The text in `locale` (`en_US`), else in another locale of its language, else in en_US,
    /// else the first there is.
    pub fn label(&self, locale: &str) -> Option<String> {
        let localized = match self {
            Text::Plain(text) => return Some(text.clone()),
            Text::Localized(localized) => localized,
        };
        let language = locale.split('_').next().unwrap_or(locale);
        let find = |wanted: &dyn Fn(&str) -> bool| {
            localized
                .iter()
                .find(|(key, _)| wanted(key))
                .map(|(_, text)| text.clone())
        };
        find(&|key| key == locale)
            .or_else(|| find(&|key| key.split('_').next() == Some(language)))
            .or_else(|| find(&|key| key == DEFAULT_LOCALE))
            .or_else(|| localized.first().map(|(_, text)| text.clone()))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text or a localized text")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut localized = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "localized" => localized = map.next_value::<Locales>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Text::Localized(localized))
            }
        }

        deserializer.deserialize_any(TextVisitor)
    }
}

/// The `localized` map of a [`Text`], in order; values that hold no text are left out.
struct Locales(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Locales {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LocalesVisitor;

        impl<'de> Visitor<'de> for LocalesVisitor {
            type Value = Locales;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of locale to text")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Locales, A::Error> {
                let mut out = Vec::new();
                while let Some((locale, text)) = map.next_entry::<String, LocaleText>()? {
                    out.extend(text.0.map(|text| (locale, text)));
                }
                Ok(Locales(out))
            }
        }

        deserializer.deserialize_map(LocalesVisitor)
    }
}

/// One locale's value: the text, or `{"rawText": text}`.
struct LocaleText(Option<String>);

impl<'de> Deserialize<'de> for LocaleText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LocaleTextVisitor;

        impl<'de> Visitor<'de> for LocaleTextVisitor {
            type Value = LocaleText;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E>(self, v: &str) -> Result<LocaleText, E> {
                Ok(LocaleText(Some(v.to_string())))
            }
            fn visit_i64<E>(self, _: i64) -> Result<LocaleText, E> {
                Ok(LocaleText(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<LocaleText, E> {
                Ok(LocaleText(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<LocaleText, E> {
                Ok(LocaleText(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<LocaleText, E> {
                Ok(LocaleText(None))
            }
            fn visit_unit<E>(self) -> Result<LocaleText, E> {
                Ok(LocaleText(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<LocaleText, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LocaleText(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LocaleText, A::Error> {
                let mut text = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "rawText" => text = map.next_value::<Option<String>>()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(LocaleText(text))
            }
        }

        deserializer.deserialize_any(LocaleTextVisitor)
    }
}

/// A lead form as `GET /rest/leadForms/{id}` and the `q=owner` finder return it, or as the
/// lead projection inlines it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LeadForm {
    /// The form id (a number; the `urn:li:leadGenForm:` URN is read too).
    pub id: Scalar,
    pub version_id: Scalar,
    pub name: Option<Text>,
    /// `PUBLISHED`, `DRAFT`, `ARCHIVED`, ...
    pub state: Option<String>,
    pub creation_locale: Option<CreationLocale>,
    pub content: Option<FormContent>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CreationLocale {
    pub language: Option<String>,
    pub country: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FormContent {
    pub questions: Option<Vec<FormQuestion>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FormQuestion {
    pub question_id: Scalar,
    /// A label in the language of the member who made the form.
    pub name: Option<Text>,
    /// `FIRST_NAME`, `EMAIL`, ...; none for a custom question.
    pub predefined_field: Option<String>,
    /// The question in the form's language.
    pub question: Option<Text>,
    pub question_details: Option<QuestionDetails>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QuestionDetails {
    pub text_question_details: Option<IgnoredAny>,
    pub multiple_choice_question_details: Option<ChoiceDetails>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChoiceDetails {
    pub options: Vec<ChoiceOption>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChoiceOption {
    pub id: Scalar,
    pub text: Option<Text>,
}

impl LeadForm {
    /// The form id as digits, from a number, digits, or a `urn:li:leadGenForm:` URN.
    pub fn form_id(&self) -> Option<String> {
        let id = self.id.text()?;
        let id = match form_id_and_version(&id) {
            Some((id, _)) => id,
            None => id,
        };
        (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
    }

    /// The form's locale key (`en_US`) from its `creationLocale`, if it has one.
    pub fn locale(&self) -> Option<String> {
        let locale = self.creation_locale.as_ref()?;
        let language = locale.language.as_deref().filter(|l| !l.is_empty())?;
        Some(match locale.country.as_deref().filter(|c| !c.is_empty()) {
            Some(country) => [language, "_", country].concat(),
            None => language.to_string(),
        })
    }

    /// The locale its texts are read in: its own, else en_US.
    pub fn reading_locale(&self) -> String {
        self.locale().unwrap_or_else(|| DEFAULT_LOCALE.to_string())
    }

    pub fn questions(&self) -> &[FormQuestion] {
        self.content
            .as_ref()
            .and_then(|c| c.questions.as_deref())
            .unwrap_or_default()
    }

    fn has_questions(&self) -> bool {
        self.content.as_ref().is_some_and(|c| c.questions.is_some())
    }
}

impl FormQuestion {
    /// The question as the member saw it, else the form's label for it.
    pub fn text(&self, locale: &str) -> Option<String> {
        self.question
            .as_ref()
            .and_then(|t| t.label(locale))
            .or_else(|| self.name.as_ref().and_then(|t| t.label(locale)))
    }

    /// The predefined field, unless LinkedIn sent it empty.
    pub fn predefined_field(&self) -> Option<&str> {
        self.predefined_field.as_deref().filter(|f| !f.is_empty())
    }

    pub fn options(&self) -> &[ChoiceOption] {
        self.question_details
            .as_ref()
            .and_then(|d| d.multiple_choice_question_details.as_ref())
            .map(|d| d.options.as_slice())
            .unwrap_or_default()
    }

    /// The label of option `id`; the id itself when the form does not name it.
    fn option_label(&self, id: &Scalar, locale: &str) -> String {
        self.options()
            .iter()
            .find(|o| o.id.int().is_some() && o.id.int() == id.int())
            .and_then(|o| o.text.as_ref())
            .and_then(|t| t.label(locale))
            .or_else(|| id.text())
            .unwrap_or_default()
    }
}

/// A lead form response as LinkedIn returns it (alone, or as an element of the `q=owner`
/// finder).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LeadResponse {
    id: Option<String>,
    owner: Option<Value>,
    submitter: Option<String>,
    lead_type: Option<String>,
    versioned_lead_gen_form_urn: Option<String>,
    submitted_at: Option<i64>,
    test_lead: Option<bool>,
    form_response: Option<FormResponse>,
    /// The form, when the projection inlined it.
    form: Option<LeadForm>,
    /// The form as a decorated URN would inline it.
    #[serde(rename = "versionedLeadGenFormUrn~")]
    resolved_form: Option<LeadForm>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FormResponse {
    answers: Vec<GivenAnswer>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct GivenAnswer {
    question_id: Scalar,
    answer_details: Option<AnswerDetails>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct AnswerDetails {
    text_question_answer: Option<GivenValue>,
    multiple_choice_answer: Option<GivenValue>,
}

/// A text answer's `answer`, or a multiple-choice answer's `options` (one model for both keeps
/// the component smaller).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GivenValue {
    answer: Scalar,
    options: Vec<Scalar>,
}

impl LeadResponse {
    /// The inlined form, taken out, when it has questions.
    fn take_inline_form(&mut self) -> Option<LeadForm> {
        [self.form.take(), self.resolved_form.take()]
            .into_iter()
            .flatten()
            .find(LeadForm::has_questions)
    }

    fn form_id_and_version(&self) -> (Option<String>, Option<i64>) {
        match self
            .versioned_lead_gen_form_urn
            .as_deref()
            .and_then(form_id_and_version)
        {
            Some((id, version)) => (Some(id), version),
            None => (None, None),
        }
    }

    /// The lead id LinkedIn gave, when it is one (the bare id or its URN).
    fn lead_id(&self) -> Option<String> {
        let id = self.id.as_deref()?;
        match is_lead_id(id) {
            true => Some(id.to_string()),
            false => lead_id_of_urn(id),
        }
    }

    /// The lead, its answers read through `form`.
    fn into_lead(self, lead_id: String, form: Option<&LeadForm>, raw: Box<RawValue>) -> Lead {
        let (form_id, form_version) = self.form_id_and_version();
        let locale = form.map_or_else(|| DEFAULT_LOCALE.to_string(), LeadForm::reading_locale);
        let (answers, fields) = map_answers(
            self.form_response.map(|r| r.answers).unwrap_or_default(),
            form,
            &locale,
        );
        Lead {
            lead_urn: ["urn:li:", LEAD_KIND, ":", &lead_id].concat(),
            lead_id,
            submitted_at: self.submitted_at,
            test_lead: self.test_lead.unwrap_or(false),
            form_urn: self.versioned_lead_gen_form_urn,
            form_id,
            form_version,
            form_name: form
                .and_then(|f| f.name.as_ref())
                .and_then(|n| n.label(&locale)),
            lead_type: self.lead_type,
            owner: self.owner.filter(Value::is_object),
            submitter: self.submitter,
            answers,
            fields,
            raw,
        }
    }
}

/// Fetches leads, keeping the forms it has read: a webhook body or a page of leads often names
/// one form many times, and each is read once.
#[derive(Default)]
pub struct LeadFetcher {
    forms: BTreeMap<String, LeadForm>,
}

impl LeadFetcher {
    /// The lead `id` (already validated), with its answers mapped through its form.
    pub fn fetch(&mut self, api: &mut Client<'_>, id: &str) -> Result<Lead, Error> {
        let request = ApiRequest::get(
            Api::Rest,
            format!("/leadFormResponses/{}", percent_encode(id)),
        )
        .query_raw("fields", LEAD_PROJECTION);
        let response = api.send(request)?;
        let raw = response.raw_json()?;
        let mut lead: LeadResponse =
            object(raw.get()).map_err(|why| response.not_json(["the lead ", &why].concat()))?;
        let lead_id = lead.lead_id().unwrap_or_else(|| id.to_string());
        let inline = lead.take_inline_form();
        let form = match (&inline, lead.form_id_and_version().0) {
            (Some(form), _) => Some(form),
            (None, Some(form_id)) => Some(self.form(api, &form_id)?),
            (None, None) => None,
        };
        Ok(lead.into_lead(lead_id, form, raw))
    }

    /// The leads of one page of the `q=owner` finder (`elements`, of `response`), each with its
    /// answers mapped. Each distinct form of the page is read once, in the order the page first
    /// names it, before any lead is mapped; a form that cannot be read fails the whole page,
    /// since answers without their questions are of no use to a platform.
    pub fn page(
        &mut self,
        api: &mut Client<'_>,
        response: &ApiResponse,
        elements: Vec<&RawValue>,
    ) -> Result<Vec<Lead>, Error> {
        let mut leads = Vec::with_capacity(elements.len());
        for (i, raw) in elements.into_iter().enumerate() {
            let bad =
                |why: &dyn fmt::Display| response.not_json(format!("lead [{i}] of the list {why}"));
            let mut lead: LeadResponse = object(raw.get()).map_err(|e| bad(&e))?;
            let lead_id = lead.lead_id().ok_or_else(|| bad(&"has no lead id (id)"))?;
            let inline = lead.take_inline_form();
            leads.push((lead, lead_id, inline, raw));
        }
        for (lead, _, inline, _) in &leads {
            if let (None, (Some(form_id), _)) = (inline, lead.form_id_and_version()) {
                self.form(api, &form_id)?;
            }
        }
        Ok(leads
            .into_iter()
            .map(|(lead, lead_id, inline, raw)| {
                let form = match &inline {
                    Some(form) => Some(form),
                    None => lead
                        .form_id_and_version()
                        .0
                        .and_then(|id| self.forms.get(&id)),
                };
                lead.into_lead(lead_id, form, raw.to_owned())
            })
            .collect())
    }

    /// The form definition `GET /rest/leadForms/{id}`, read once per fetcher.
    fn form(&mut self, api: &mut Client<'_>, form_id: &str) -> Result<&LeadForm, Error> {
        Ok(match self.forms.entry(form_id.to_string()) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let response = api.send(ApiRequest::get(
                    Api::Rest,
                    format!("/leadForms/{}", percent_encode(form_id)),
                ))?;
                let raw = response.raw_json()?;
                let form = object(raw.get())
                    .map_err(|why| response.not_json(["the lead form ", &why].concat()))?;
                slot.insert(form)
            }
        })
    }
}

fn map_answers(
    given: Vec<GivenAnswer>,
    form: Option<&LeadForm>,
    locale: &str,
) -> (Vec<Answer>, BTreeMap<String, String>) {
    let questions = form.map(LeadForm::questions).unwrap_or_default();
    let mut answers = Vec::with_capacity(given.len());
    let mut fields = BTreeMap::new();
    for given in given {
        let question_id = given.question_id.int();
        let question =
            question_id.and_then(|id| questions.iter().find(|q| q.question_id.int() == Some(id)));
        let details = given.answer_details.unwrap_or_default();
        let text = details.text_question_answer.and_then(|a| a.answer.text());
        let values = details.multiple_choice_answer.map(|chosen| {
            chosen
                .options
                .iter()
                .map(|id| match question {
                    Some(q) => q.option_label(id, locale),
                    None => id.text().unwrap_or_default(),
                })
                .collect::<Vec<_>>()
        });
        let predefined_field = question
            .and_then(FormQuestion::predefined_field)
            .map(str::to_string);
        let joined = text
            .clone()
            .or_else(|| values.as_ref().map(|v| v.join(", ")));
        if let (Some(field), Some(value)) = (&predefined_field, joined) {
            fields.insert(field.clone(), value);
        }
        answers.push(Answer {
            question_id,
            question: question.and_then(|q| q.text(locale)),
            predefined_field,
            value: if values.is_some() { None } else { text },
            values,
        });
    }
    (answers, fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_forms_as_input() {
        let urn = "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)";
        for text in [
            urn,
            "versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
            "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246, 1)",
            " urn:li:versionedleadgenform:(urn:li:leadGenForm:7234246,1) ",
        ] {
            let form = FormVersion::parse(text, "form").unwrap();
            assert_eq!(form.to_string(), urn, "{text}");
            assert_eq!(form.form_urn(), "urn:li:leadGenForm:7234246");
        }
        let unversioned = "names a form but not its version";
        let malformed = "must be a versioned form URN such as";
        for (text, says) in [
            ("urn:li:leadGenForm:7234246", unversioned),
            ("leadGenForm:7234246", unversioned),
            ("7234246", unversioned),
            (
                "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:72a,1)",
                malformed,
            ),
            (
                "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7,x)",
                malformed,
            ),
            (
                "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7,-1)",
                malformed,
            ),
            ("urn:li:versionedLeadGenForm:(urn:li:share:7,1)", malformed),
            ("urn:li:versionedLeadGenForm:7", malformed),
            ("urn:li:leadGenForm:abc", malformed),
            ("(urn:li:leadGenForm:7,1)", malformed),
        ] {
            let err = FormVersion::parse(text, "form").unwrap_err();
            assert_eq!(err.field(), Some("form"), "{text}");
            assert!(err.message().contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn texts_are_read_in_the_forms_locale() {
        let text: Text = serde_json::from_str(
            r#"{"localized": {"fr_FR": "Couleur", "en_US": "Colour", "de_DE": {"rawText": "Farbe"}, "x": 1}}"#,
        )
        .unwrap();
        assert_eq!(text.label("de_DE").as_deref(), Some("Farbe"));
        assert_eq!(text.label("fr_CA").as_deref(), Some("Couleur"));
        assert_eq!(text.label("es_ES").as_deref(), Some("Colour"));
        let text: Text = serde_json::from_str(r#"{"localized": {"sv_SE": "Namn"}}"#).unwrap();
        assert_eq!(
            text.label("en_US").as_deref(),
            Some("Namn"),
            "else the first"
        );
        let text: Text = serde_json::from_str(r#""plain""#).unwrap();
        assert_eq!(text.label("en_US").as_deref(), Some("plain"));
    }

    #[test]
    fn scalars_are_numbers_or_digits() {
        let read = |text: &str| serde_json::from_str::<Scalar>(text).unwrap();
        assert_eq!(read("7").int(), Some(7));
        assert_eq!(read(r#"" 7 ""#).int(), Some(7));
        assert_eq!(read(r#""blue""#).int(), None);
        assert_eq!(read(r#""blue""#).text().as_deref(), Some("blue"));
        assert_eq!(read("true").text().as_deref(), Some("true"));
        assert_eq!(read("[1]"), Scalar::None);
        assert_eq!(read(r#"{"a": [1]}"#), Scalar::None);
        assert_eq!(read("null"), Scalar::None);
    }

    #[test]
    fn form_ids_and_locales() {
        let form: LeadForm = serde_json::from_str(
            r#"{"id": 7, "versionId": 2, "creationLocale": {"language": "es", "country": "ES"}}"#,
        )
        .unwrap();
        assert_eq!(form.form_id().as_deref(), Some("7"));
        assert_eq!(form.version_id.int(), Some(2));
        assert_eq!(form.locale().as_deref(), Some("es_ES"));
        let form: LeadForm = serde_json::from_str(
            r#"{"id": "urn:li:leadGenForm:8", "creationLocale": {"language": "fr"}}"#,
        )
        .unwrap();
        assert_eq!(form.form_id().as_deref(), Some("8"));
        assert_eq!(form.locale().as_deref(), Some("fr"));
        let form: LeadForm = serde_json::from_str(r#"{"id": "x/y"}"#).unwrap();
        assert_eq!(form.form_id(), None);
        assert_eq!(form.locale(), None);
        assert_eq!(form.reading_locale(), "en_US");
    }
}
